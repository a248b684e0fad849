"""The roles people hold. Each is a Django group, created by a migration.

Roles are named by slug in code and manifests; the group's name is the slug so that a
renamed label never breaks a permission.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .registry import Label


@dataclass(frozen=True)
class Role:
    slug: str
    label: Label
    staff: bool


RESIDENT = "resident"
SUPPLIER = "supplier"
OFFICER = "officer"
DATA_PUBLISHER = "data_publisher"
CONSULTATION_LEAD = "consultation_lead"
MODERATOR = "moderator"
ELECTIONS_OFFICER = "elections_officer"
PROCUREMENT_OFFICER = "procurement_officer"
COUNCILLOR = "councillor"
CABINET_MEMBER = "cabinet_member"
DIGITAL_BOARD_MEMBER = "digital_board_member"
CHIEF_DIGITAL_OFFICER = "chief_digital_officer"
ADMINISTRATOR = "administrator"

ROLES: tuple[Role, ...] = (
    Role(RESIDENT, _("Resident"), staff=False),
    Role(SUPPLIER, _("Supplier"), staff=False),
    Role(OFFICER, _("Officer"), staff=True),
    Role(DATA_PUBLISHER, _("Data publisher"), staff=True),
    Role(CONSULTATION_LEAD, _("Consultation lead"), staff=True),
    Role(MODERATOR, _("Moderator"), staff=True),
    Role(ELECTIONS_OFFICER, _("Elections officer"), staff=True),
    Role(PROCUREMENT_OFFICER, _("Procurement officer"), staff=True),
    Role(COUNCILLOR, _("Councillor"), staff=False),
    Role(CABINET_MEMBER, _("Cabinet member"), staff=False),
    Role(DIGITAL_BOARD_MEMBER, _("Digital board member"), staff=False),
    Role(CHIEF_DIGITAL_OFFICER, _("Chief digital officer"), staff=True),
    Role(ADMINISTRATOR, _("Administrator"), staff=True),
)
ROLE_SLUGS = frozenset(role.slug for role in ROLES)
STAFF_ROLES = frozenset(role.slug for role in ROLES if role.staff)
