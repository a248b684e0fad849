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


def check_actions_name_declared_roles(app_configs, **kwargs):
    from .registry import registry
    from .roles import PSEUDO_ROLES

    declared = registry.roles().keys() | PSEUDO_ROLES
    return [
        Error(
            f"The action {action.name} names the role {slug!r}, which no installed module declares.",
            hint="Declare the role in the roles of the manifest of the module that owns it.",
            obj=action.name,
            id="townhall.core.E011",
        )
        for action in registry.actions().values()
        for slug in action.roles
        if slug not in declared
    ]


def check_roles_declared_once(app_configs, **kwargs):
    from .registry import registry
    from .roles import PSEUDO_ROLES

    owners: dict[str, str] = {}
    errors = []
    for manifest in registry:
        for role in manifest.roles:
            if role.slug in owners or role.slug in PSEUDO_ROLES:
                errors.append(
                    Error(
                        f"The module {manifest.app_label} declares the role {role.slug!r}, "
                        f"already declared by {owners.get(role.slug, 'core')}.",
                        hint="One module owns each role; others name it in their actions.",
                        obj=role.slug,
                        id="townhall.core.E012",
                    )
                )
            owners.setdefault(role.slug, manifest.app_label)
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
    register_check(check_actions_name_declared_roles)
    register_check(check_roles_declared_once)
    register_check(check_tile_server)
