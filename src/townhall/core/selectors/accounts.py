"""Reads about people: a person's own account ("Your account" and their download), and
the People pages administrators use."""

from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..formats import govuk_datetime
from ..models import User
from ..registry import panels_to_show, registry


def account_roles(user) -> list[str]:
    """The names of the roles the person holds, in the order the modules declare them."""
    held = set(user.groups.values_list("name", flat=True))
    return [str(role.name) for slug, role in registry.roles().items() if slug in held]


def account_email_addresses(user) -> list[EmailAddress]:
    """The person's email addresses, primary first."""
    return list(EmailAddress.objects.filter(user=user).order_by("-primary", "email"))


def account_panels(user) -> list[dict[str, Any]]:
    """The modules' "Your account" panels that have something to show the person."""
    return panels_to_show(registry.account_panels(), user)


def account_summary(user) -> dict[str, Any]:
    """What the "Your account" page lists about the person."""
    return {
        "email": user.email,
        "display_name": user.display_name,
        "preferred_language": user.get_preferred_language_display(),
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "roles": account_roles(user),
        "email_addresses": account_email_addresses(user),
        "uses_single_sign_on": SocialAccount.objects.filter(user=user).exists(),
        "has_password": user.has_usable_password(),
    }


def core_personal_data(user) -> dict[str, Any]:
    """Core's part of a person's data download beyond its declared records: the account
    itself (email addresses, sign-on identities and staff changes are declared as
    PersonalRecords in core's manifest)."""
    return {
        "account": {
            "public_id": str(user.public_id),
            "email": user.email,
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_sign_in": user.last_login.isoformat() if user.last_login else None,
            "is_staff": user.is_staff,
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
    }


def people_for_staff(*, query: str = "", role: str = "") -> QuerySet[User]:
    """People as administrators find them on the People page: by name or email address,
    and by role, with their roles loaded."""
    people = User.objects.prefetch_related("groups").order_by("display_name", "email")
    if query:
        people = people.filter(Q(email__icontains=query) | Q(display_name__icontains=query))
    if role:
        people = people.filter(groups__name=role)
    return people


def person_by_public_id(public_id: Any) -> User | None:
    return User.objects.prefetch_related("groups").filter(public_id=public_id).first()


def role_labels(person: User) -> list[str]:
    """The labels of the roles the person holds (their groups must be prefetched)."""
    held = {group.name for group in person.groups.all()}
    return [str(role.name) for slug, role in registry.roles().items() if slug in held]


def account_data_sections(user) -> list[dict[str, Any]]:
    """What the readable "Your data" page lists: for each module that holds records about
    the person, each declared kind of record with the records in words and what deleting
    the account does to them. The same declarations drive the JSON download."""
    sections = []
    for manifest in registry:
        kinds = []
        for records in manifest.personal_records:
            exported = records.exported(user)
            if not exported:
                continue
            items = exported if isinstance(exported, list) else [exported]
            kinds.append(
                {
                    "label": records.label,
                    "items": [_described(records.model_class, item) for item in items],
                    "on_erasure": records.reason or ERASED,
                }
            )
        if kinds:
            sections.append({"name": manifest.name, "kinds": kinds})
    return sections


ERASED = _("Deleted when you delete your account.")


def _described(model: Any, item: Any) -> list[tuple[str, str]]:
    """One exported record as (label, value) lines a person can read: each field by its
    name on the model (a related record's field by the related record's name), choices by
    their label, yes or no, dates as people write them. Nested detail (a response's
    answers) is left to the download."""
    if not isinstance(item, dict):
        return [("", str(item))]
    lines = []
    for path, value in item.items():
        if value in (None, "") or isinstance(value, dict | list):
            continue
        field = _field(model, path)
        if field is not None and field.choices:
            value = dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        text = _as_date(value) if isinstance(value, str) else str(value)
        lines.append((_label(model, path, field), text))
    return lines


def _field(model: Any, path: str) -> Any:
    """The model field at the end of a lookup such as "proposal__title", or None."""
    field = None
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except (FieldDoesNotExist, AttributeError):
            return None
        model = field.related_model or model
    return field


def _label(model: Any, path: str, field: Any) -> str:
    head = _field(model, path.split("__")[0]) if "__" in path else field
    name = getattr(head, "verbose_name", None) or path.split("__")[0].replace("_", " ")
    return capfirst(str(name))


def _as_date(text: str) -> str:
    """An ISO 8601 timestamp from the export as a GOV.UK date and time; other text as it is."""
    if len(text) < 19 or text[10:11] != "T":
        return text
    try:
        return govuk_datetime(datetime.fromisoformat(text))
    except ValueError:
        return text
