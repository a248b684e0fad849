"""System checks for a deployment, with stable ids (townhall.core.E001...)."""

from django.conf import settings
from django.core.checks import Error, Warning
from django.core.checks import register as register_check


def check_modules_have_manifests(app_configs, **kwargs):
    from .registry import registry

    registered = {manifest.app_label for manifest in registry}
    errors = []
    for module in settings.TOWNHALL_MODULES:
        label = module.rsplit(".", 1)[-1]
        if label not in registered:
            errors.append(
                Error(
                    f"The module {module} has no registered manifest.",
                    hint="Give it a manifest.py with MANIFEST and an AppConfig based on core.module.ModuleConfig.",
                    id="townhall.core.E001",
                )
            )
    return errors


def check_tile_server(app_configs, **kwargs):
    if settings.MAP_TILE_URL and not settings.MAP_TILE_ATTRIBUTION:
        return [
            Warning(
                "MAP_TILE_URL is set but MAP_TILE_ATTRIBUTION is empty.",
                hint="Most tile licences require an attribution; set MAP_TILE_ATTRIBUTION.",
                id="townhall.core.W001",
            )
        ]
    return []


def register() -> None:
    register_check(check_modules_have_manifests)
    register_check(check_tile_server)
