"""The roles core itself declares, and the sync that turns every declared role into a group.

Each module declares the roles it gives work to in its manifest (`Manifest.roles`); the
platform's roles are their union (`registry.roles()`), so adding a module edits no other.
Core keeps the generic ones every module may name. A role is a Django group whose name is
the slug, so that a renamed label never breaks a permission.
"""

from django.utils.translation import gettext_lazy as _

from .registry import Role

PUBLIC = "public"
"""Pseudo-role: an action open to everyone, signed in or not."""
STAFF = "staff"
"""Pseudo-role: an action open to anyone who holds a staff role."""
PSEUDO_ROLES = frozenset({PUBLIC, STAFF})

RESIDENT = "resident"
OFFICER = "officer"
DATA_PUBLISHER = "data_publisher"
COUNCILLOR = "councillor"
CHIEF_DIGITAL_OFFICER = "chief_digital_officer"
ADMINISTRATOR = "administrator"
ASSISTED_DIGITAL_HELPER = "assisted_digital_helper"

CORE_ROLES: tuple[Role, ...] = (
    Role(
        slug=RESIDENT,
        name=_("Resident"),
        description=_("Someone who lives or works in the area and takes part"),
    ),
    Role(
        slug=OFFICER,
        name=_("Officer"),
        description=_("A member of council staff; single sign-on gives this role"),
        staff=True,
    ),
    Role(
        slug=DATA_PUBLISHER,
        name=_("Data publisher"),
        description=_("Publishes the council's data: datasets, tables and geography"),
        staff=True,
    ),
    Role(
        slug=COUNCILLOR,
        name=_("Councillor"),
        description=_("An elected member of the council"),
    ),
    Role(
        slug=CHIEF_DIGITAL_OFFICER,
        name=_("Chief digital officer"),
        description=_("Leads the council's digital work and reads the audit log"),
        staff=True,
    ),
    Role(
        slug=ASSISTED_DIGITAL_HELPER,
        name=_("Assisted digital helper"),
        description=_(
            "Completes residents' forms on their behalf when they phone, write or call in"
        ),
        staff=True,
    ),
    Role(
        slug=ADMINISTRATOR,
        name=_("Administrator"),
        description=_("May do everything, including giving people roles"),
        staff=True,
    ),
)


def sync_role_groups(*, apps=None, using: str = "default", **kwargs) -> None:
    """Make sure every declared role has its group; a post_migrate handler, so no install
    or upgrade needs a manual step. Idempotent; a group whose role is no longer declared is
    kept, so that people keep it if its module comes back."""
    from django.apps import apps as global_apps

    from .registry import registry

    try:
        group_model = (apps or global_apps).get_model("auth", "Group")
    except LookupError:
        return
    groups = group_model.objects.using(using)
    existing = set(groups.values_list("name", flat=True))
    groups.bulk_create(
        [group_model(name=slug) for slug in registry.roles() if slug not in existing]
    )
