"""Reads about people: a person's own account ("Your account" and their download), and
the People pages administrators use."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.db.models import Q, QuerySet

from ..models import AuditEntry, User
from ..roles import ROLES


def account_roles(user) -> list[str]:
    """The labels of the roles the person holds, in the order core.roles lists them."""
    held = set(user.groups.values_list("name", flat=True))
    return [str(role.label) for role in ROLES if role.slug in held]


def account_email_addresses(user) -> list[EmailAddress]:
    """The person's email addresses, primary first."""
    return list(EmailAddress.objects.filter(user=user).order_by("-primary", "email"))


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
    """Core's part of a person's data download: their account, sign-ins and staff actions.

    The audit log's entries are included when the person made the change: they are
    records about the person as much as about the thing changed.
    """
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
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in account_email_addresses(user)
        ],
        "single_sign_on": [
            {"provider": account.provider, "uid": account.uid}
            for account in SocialAccount.objects.filter(user=user).order_by("pk")
        ],
        "changes_made_as_staff": [
            {
                "when": entry.created_at.isoformat(),
                "operation": entry.operation,
                "action": entry.action,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "object_label": entry.object_label,
            }
            for entry in AuditEntry.objects.filter(actor_id=user.pk).order_by("created_at", "pk")
        ],
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
    return [str(role.label) for role in ROLES if role.slug in held]
