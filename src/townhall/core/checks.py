"""System checks for a deployment, with stable ids (townhall.core.E001...)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning
from django.core.checks import register as register_check
from django.db import DatabaseError


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


def check_demo_accounts_setting(app_configs, **kwargs):
    """Demo accounts share a published password: never outside development (DEBUG)."""
    if settings.TOWNHALL_DEMO_ACCOUNTS and not settings.DEBUG:
        return [
            Error(
                "TOWNHALL_DEMO_ACCOUNTS is true outside development: anyone could sign in "
                "as the demo administrator with the published demo password.",
                hint="Remove TOWNHALL_DEMO_ACCOUNTS from the environment (it is false by default).",
                id="townhall.core.E002",
            )
        ]
    return []


def check_no_demo_accounts(app_configs, databases=None, **kwargs):
    """A deployment without TOWNHALL_DEMO_ACCOUNTS must hold no demo account (they have a
    published password). A database check: `migrate`, `check --database default` and
    `townhall serve` run it."""
    from .demo.accounts import DEMO_ACCOUNT_EMAILS
    from .models import User

    if settings.TOWNHALL_DEMO_ACCOUNTS or not databases:
        return []
    found = set()
    for alias in databases:
        try:
            found.update(
                User.objects.using(alias)
                .filter(email__in=DEMO_ACCOUNT_EMAILS)
                .values_list("email", flat=True)
            )
        except DatabaseError:  # Not migrated yet: there is nobody to find.
            continue
    if not found:
        return []
    return [
        Error(
            f"Demo accounts exist, and their password is published: {', '.join(sorted(found))}.",
            hint="Erase them (the People page of the administration site), or serve a "
            "database the demo was not loaded into.",
            id="townhall.core.E003",
        )
    ]


def register() -> None:
    register_check(check_modules_have_manifests)
    register_check(check_tile_server)
    register_check(check_demo_accounts_setting)
    register_check(check_no_demo_accounts, Tags.database)
