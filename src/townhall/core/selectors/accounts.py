"""Reads about a person's own account: what "Your account" shows and what they download."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from ..models import AuditEntry
from ..registry import registry


def account_roles(user) -> list[str]:
    """The names of the roles the person holds, in the order the modules declare them."""
    held = set(user.groups.values_list("name", flat=True))
    return [str(role.name) for slug, role in registry.roles().items() if slug in held]


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
