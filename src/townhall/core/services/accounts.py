"""Writes to a person's own account: their details, their data download, erasing them."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from ..audit import acting_as, record
from ..models import User
from ..registry import registry
from ..roles import ROLE_SLUGS


class AccountErasureBlocked(Exception):
    """A module still holds records that stop the account being deleted."""


@transaction.atomic
def account_update(*, user: User, display_name: str, preferred_language: str) -> User:
    """Change the person's own display name and preferred language; return the person."""
    user.display_name = display_name.strip()
    user.preferred_language = preferred_language
    user.full_clean(validate_unique=False, exclude=["password"])
    user.save(update_fields=["display_name", "preferred_language"])
    return user


def account_export(*, user: User) -> dict[str, Any]:
    """Everything Townhall holds about the person, from every module, as JSON-safe data."""
    return {
        "format": "townhall-personal-data/1",
        "generated_at": timezone.now().isoformat(),
        "modules": registry.personal_data(user),
    }


@transaction.atomic
def account_erase(*, user: User) -> None:
    """Erase the person: every module's erase hook, then the account itself.

    The audit log is append-only and stays as it is: its rows keep their actor id
    (the foreign key has no database constraint) and what they recorded at the time.
    The erasure itself is logged without the person's details, and it runs as nobody
    so that the audit signals do not copy the deleted account into the log.
    Raises AccountErasureBlocked, and changes nothing, when a module's records still
    point at the person.
    """
    user_id, public_id = user.pk, user.public_id
    with acting_as(None):
        try:
            registry.erase(user)
            user.delete()
        except ProtectedError as error:
            raise AccountErasureBlocked(str(error)) from error
        record(
            actor=None,
            operation="action",
            action="core.erase_account",
            object_type="core.user",
            object_id=str(user_id),
            object_label=f"person {public_id}",
        )


@transaction.atomic
def account_grant_roles(*, user: User, role_slugs: Iterable[str]) -> None:
    """Give the person these roles (see core.roles). Used when an account is created for
    someone by the system, such as staff arriving through single sign-on; an
    administrator changes roles in the admin, under core.manage_people.
    """
    slugs = set(role_slugs)
    unknown = slugs - ROLE_SLUGS
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    user.groups.add(*Group.objects.filter(name__in=slugs))


def accounts_purge_unverified(*, older_than_days: int) -> int:
    """Erase sign-ups never verified within `older_than_days`; return how many.

    A sign-up that is never confirmed is personal data we have no reason to keep
    (RETENTION_UNVERIFIED_ACCOUNT_DAYS). Staff and anyone with a verified address, or
    whose records block erasure, are left alone.
    """
    from allauth.account.models import EmailAddress

    cutoff = timezone.now() - timezone.timedelta(days=older_than_days)
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    candidates = User.objects.filter(
        date_joined__lt=cutoff, is_staff=False, is_superuser=False
    ).exclude(pk__in=verified)
    erased = 0
    for user in candidates.iterator():
        try:
            account_erase(user=user)
        except AccountErasureBlocked:
            continue
        erased += 1
    return erased
