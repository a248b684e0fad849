"""System checks for a deployment, with stable ids (townhall.core.E001...)."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import Error, Tags, Warning
from django.core.checks import register as register_check
from django.core.exceptions import FieldDoesNotExist
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


def _points_at_person(field, user_model) -> bool:
    """A field of the model itself (not a reverse relation) that holds a person."""
    return (
        field.is_relation
        and not field.auto_created
        and bool(field.many_to_one or field.one_to_one or field.many_to_many)
        and field.related_model is user_model
    )


def check_personal_records_declared(app_configs, **kwargs):
    """Every relation to the user model, of every installed model, is declared in some
    module's manifest as PersonalRecords (townhall.core.E010), and every declaration
    makes sense (townhall.core.E011): otherwise a person's download would miss it and
    their erasure would leave it behind, or be blocked by it."""
    from .registry import registry

    user_model = get_user_model()
    declared = {
        (records.model.lower(), records.owner_field) for records in registry.personal_records()
    }
    errors = []
    for config in app_configs or apps.get_app_configs():
        for model in config.get_models():
            for field in model._meta.get_fields():
                if not _points_at_person(field, user_model):
                    continue
                if (model._meta.label_lower, field.name) in declared:
                    continue
                errors.append(
                    Error(
                        f"{model._meta.label}.{field.name} points at a person, but no module's "
                        "manifest declares what happens to it when the person downloads or "
                        "erases their data.",
                        hint=(
                            f'Declare PersonalRecords(model="{model._meta.label}", '
                            f'owner_field="{field.name}", ...) in the personal_records of the '
                            f'manifest of the module that owns "{config.label}" (core '
                            "declares those of the third-party apps it installs)."
                        ),
                        obj=model,
                        id="townhall.core.E010",
                    )
                )
    return errors + _declaration_errors(registry, user_model)


def _declaration_errors(registry, user_model) -> list[Error]:
    errors = []
    seen = set()
    for manifest in registry:
        for records in manifest.personal_records:
            where = (
                f"{manifest.app_label}'s PersonalRecords for {records.model}.{records.owner_field}"
            )
            target = (records.model.lower(), records.owner_field)
            problems = [_declaration_problem(records, user_model)]
            if target in seen:
                problems.append("declares it a second time")
            seen.add(target)
            errors.extend(
                Error(f"{where} {problem}.", id="townhall.core.E011")
                for problem in problems
                if problem
            )
    return errors


def _declaration_problem(records, user_model) -> str:
    """What is wrong with one declaration, or ""."""
    from .registry import Erasure

    try:
        field = records.relation
    except LookupError:
        return "names a model that is not installed"
    except FieldDoesNotExist:
        return "names a field the model does not have"
    if not _points_at_person(field, user_model):
        return "names a field that does not point at the user model"
    if records.erasure == Erasure.ANONYMISE and not (field.null or field.many_to_many):
        return "anonymises, but the field cannot be empty (make it null=True)"
    if records.erasure == Erasure.CUSTOM and records.erase is None:
        return "has a custom erasure but no erase callable"
    if records.erasure in (Erasure.ANONYMISE, Erasure.RETAIN) and not records.reason:
        return "keeps the records but gives the person no reason"
    return ""


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


def check_followable_kinds_declared_once(app_configs, **kwargs):
    """Each followable kind is declared once: a subscription stores only its kind and key,
    so two modules sharing a kind would send one module's followers the other's news."""
    from .registry import registry

    owners: dict[str, str] = {}
    errors = []
    for manifest in registry:
        for followable in manifest.followables:
            if followable.kind in owners:
                errors.append(
                    Error(
                        f"The followable kind {followable.kind!r} is declared by both "
                        f"{owners[followable.kind]} and {manifest.app_label}.",
                        hint="Give each Followable a kind of its own, such as 'app.thing'.",
                        id="townhall.core.E022",
                    )
                )
            owners.setdefault(followable.kind, manifest.app_label)
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
            id="townhall.core.E013",
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
                        id="townhall.core.E014",
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


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


def check_demo_accounts_setting(app_configs, **kwargs):
    """Demo accounts share a published password: only in development (DEBUG) or on a
    server that answers to this machine's own loopback names alone (the demo)."""
    loopback_only = bool(settings.ALLOWED_HOSTS) and set(settings.ALLOWED_HOSTS) <= LOOPBACK_HOSTS
    if settings.TOWNHALL_DEMO_ACCOUNTS and not (settings.DEBUG or loopback_only):
        return [
            Error(
                "TOWNHALL_DEMO_ACCOUNTS is true on a server other machines can reach: anyone "
                "could sign in as the demo administrator with the published demo password.",
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
    register_check(check_personal_records_declared)
    register_check(check_search_resources)
    register_check(check_followable_kinds_declared_once)
    register_check(check_actions_name_declared_roles)
    register_check(check_roles_declared_once)
    register_check(check_tile_server)
    register_check(check_demo_accounts_setting)
    register_check(check_no_demo_accounts, Tags.database)
