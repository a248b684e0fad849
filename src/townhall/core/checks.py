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


def check_search_resources(app_configs, **kwargs):
    """Each search kind is declared once, over a model that is installed, so the index
    can follow every item of it (core.services.search.search_index_update)."""
    from django.apps import apps

    from .registry import registry

    errors = []
    owners: dict[str, str] = {}
    for manifest in registry:
        for resource in manifest.search_resources:
            if resource.kind in owners:
                errors.append(
                    Error(
                        f"The search kind {resource.kind!r} is declared by both "
                        f"{owners[resource.kind]} and {manifest.app_label}.",
                        hint="Give each SearchResource a kind of its own.",
                        id="townhall.core.E020",
                    )
                )
            owners.setdefault(resource.kind, manifest.app_label)
            try:
                apps.get_model(resource.model)
            except (LookupError, ValueError):
                errors.append(
                    Error(
                        f"The search kind {resource.kind!r} of {manifest.app_label} names "
                        f"the model {resource.model!r}, which is not installed.",
                        hint='Set SearchResource.model to "app_label.ModelName".',
                        id="townhall.core.E021",
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
    register_check(check_search_resources)
    register_check(check_tile_server)
