"""Writes to accounts: a person's own details, download and erasure; and, for
administrators, adding, changing, giving roles to and erasing people."""

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..audit import acting_as, record
from ..models import User
from ..permissions import PermissionDenied, require
from ..registry import registry
from ..roles import ADMINISTRATOR

MANAGE_PEOPLE = "core.manage_people"

#: The details of a person an administrator may change (see person_update).
PERSON_DETAILS = frozenset(
    {
        "email",
        "display_name",
        "preferred_language",
        "is_active",
        "is_staff",
        "is_superuser",
        "legal_hold",
        "legal_hold_reason",
    }
)


class AccountErasureBlocked(Exception):
    """The account cannot be erased, and nothing was changed; `reason` says why, in words
    for the person or the administrator who asked (this base: a module's records still
    point at the person)."""

    reason = _(
        "Another part of the site still holds records that point at this account. "
        "Contact us and we will delete it for you."
    )


class AccountIsLastAdministrator(AccountErasureBlocked):
    """Erasing this account would leave nobody able to manage the site."""

    reason = _(
        "This is the only administrator's account. Give someone else the administrator "
        "role first, so that someone can still manage the site."
    )


class AccountUnderLegalHold(AccountErasureBlocked):
    """An administrator has put the person's records under legal hold."""

    reason = _(
        "The council must keep this account's records for a legal reason. It can be "
        "deleted once the legal hold is lifted."
    )


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
def account_erase(*, user: User, actor: User | None = None) -> None:
    """Erase the person: every module's erase hook, then the account itself.

    The audit log is append-only and stays as it is: its rows keep their actor id
    (the foreign key has no database constraint) and what they recorded at the time.
    The erasure itself is logged without the person's details, naming `actor` when an
    administrator erased them (None: they erased themselves, or retention did), and it
    runs as nobody so that the audit signals do not copy the deleted account into the log.
    Raises AccountErasureBlocked, and changes nothing, when a module's records still
    point at the person; its subclasses AccountIsLastAdministrator when nobody else
    could manage the site, and AccountUnderLegalHold when an administrator has put the
    person's records on hold. Callers check permission (see person_erase).
    """
    _refuse_erasure_if_needed(user)
    user_id, public_id = user.pk, user.public_id
    with acting_as(None):
        try:
            registry.erase(user)
            user.delete()
        except ProtectedError as error:
            raise AccountErasureBlocked(str(error)) from error
        record(
            actor=actor,
            operation="action",
            action="core.erase_account",
            object_type="core.user",
            object_id=str(user_id),
            object_label=f"person {public_id}",
        )


def _refuse_erasure_if_needed(user: User) -> None:
    """Raise the AccountErasureBlocked that applies to the person, if any.

    The administrators are locked (on PostgreSQL) until the erasure commits, so that two
    administrators erasing each other at once cannot both succeed.
    """
    if User.objects.filter(pk=user.pk, legal_hold=True).exists():
        raise AccountUnderLegalHold()
    administrators = set(
        User.objects.select_for_update(of=("self",))
        .filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=ADMINISTRATOR))
        .values_list("pk", flat=True)
    )
    if administrators == {user.pk}:
        raise AccountIsLastAdministrator()


def _check_role_slugs(role_slugs: Iterable[str]) -> set[str]:
    """The slugs as a set; ValueError names any that no installed module declares."""
    slugs = set(role_slugs)
    unknown = slugs - registry.roles().keys()
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    return slugs


@transaction.atomic
def account_grant_roles(*, user: User, role_slugs: Iterable[str]) -> None:
    """Give the person these roles (declared in manifests, see registry.roles()). Used when an account is created for
    someone by the system, such as staff arriving through single sign-on; an
    administrator changes roles in the admin, under core.manage_people.
    """
    slugs = _check_role_slugs(role_slugs)
    user.groups.add(*Group.objects.filter(name__in=slugs))


def accounts_purge_unverified(*, older_than_days: int) -> int:
    """Erase sign-ups never verified within `older_than_days`; return how many.

    A sign-up that is never confirmed is personal data we have no reason to keep
    (RETENTION_UNVERIFIED_ACCOUNT_DAYS). Only sign-ups are candidates: accounts holding
    an unconfirmed address and no confirmed one. People an administrator added (who may
    have no address record at all), staff, superusers and anyone whose records block
    erasure are left alone.
    """
    cutoff = timezone.now() - timezone.timedelta(days=older_than_days)
    verified = EmailAddress.objects.filter(verified=True).values("user_id")
    unverified = EmailAddress.objects.filter(verified=False).values("user_id")
    candidates = User.objects.filter(
        date_joined__lt=cutoff, is_staff=False, is_superuser=False, pk__in=unverified
    ).exclude(pk__in=verified)
    erased = 0
    for user in candidates.iterator():
        try:
            account_erase(user=user)
        except AccountErasureBlocked:
            continue
        erased += 1
    return erased


# People, as an administrator manages them (core.manage_people) ----------------------------


def _require_may_manage(actor: User, person: User | None = None) -> None:
    """core.manage_people, and only a superuser may touch a superuser's account."""
    require(actor, MANAGE_PEOPLE)
    if person is not None and person.is_superuser and not actor.is_superuser:
        raise PermissionDenied(MANAGE_PEOPLE)


@transaction.atomic
def person_create(
    *,
    actor: User,
    email: str,
    display_name: str = "",
    preferred_language: str = "en-gb",
    is_active: bool = True,
    is_staff: bool = False,
    is_superuser: bool = False,
    role_slugs: Iterable[str] = (),
    legal_hold: bool = False,
    legal_hold_reason: str = "",
) -> User:
    """Add a person for the council; return them.

    They get no usable password (they sign in by email, through a password reset, or by
    single sign-on) and their address is recorded as confirmed: the administrator vouches
    for it, so the retention job never takes them for an abandoned sign-up. Only a
    superuser may add a superuser. The save is audited by signal.
    """
    _require_may_manage(actor)
    if is_superuser and not actor.is_superuser:
        raise PermissionDenied(MANAGE_PEOPLE)
    slugs = _check_role_slugs(role_slugs)
    person = User(
        email=User.objects.normalize_email(email).lower(),
        display_name=display_name.strip(),
        preferred_language=preferred_language,
        is_active=is_active,
        is_staff=is_staff,
        is_superuser=is_superuser,
        legal_hold=legal_hold,
        legal_hold_reason=legal_hold_reason,
    )
    person.set_unusable_password()
    person.full_clean(exclude=["password"])
    if email_confirmed_by_another(person.email, None):
        raise ValidationError({"email": [ADDRESS_TAKEN]})
    person.save()
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    person.groups.set(Group.objects.filter(name__in=slugs))
    return person


ADDRESS_TAKEN = _("Another person has confirmed this email address as theirs.")


def email_confirmed_by_another(email: str, person: User | None) -> bool:
    """Whether someone else holds the address as a confirmed sign-in address (allauth lets
    only one person confirm an address)."""
    others = EmailAddress.objects.filter(email__iexact=email, verified=True)
    if person is not None and person.pk is not None:
        others = others.exclude(user=person)
    return others.exists()


@transaction.atomic
def person_update(*, actor: User, person: User, changes: dict[str, Any]) -> User:
    """Change a person's details (the keys of PERSON_DETAILS); return the saved person.

    The stored account decides what is allowed, not `person`, which may already carry
    the new values: only a superuser may change a superuser or make or unmake one.
    """
    unknown = set(changes) - PERSON_DETAILS
    if unknown:
        raise ValueError(f"Not a detail an administrator changes: {', '.join(sorted(unknown))}")
    stored = User.objects.select_for_update().get(pk=person.pk)
    _require_may_manage(actor, stored)
    makes_or_unmakes_superuser = changes.get("is_superuser", stored.is_superuser) != (
        stored.is_superuser
    )
    if makes_or_unmakes_superuser and not actor.is_superuser:
        raise PermissionDenied(MANAGE_PEOPLE)
    if "email" in changes:
        changes = {**changes, "email": User.objects.normalize_email(changes["email"]).lower()}
    moves_address = changes.get("email", stored.email) != stored.email
    if moves_address and email_confirmed_by_another(changes["email"], stored):
        raise ValidationError({"email": [ADDRESS_TAKEN]})
    hold_before = {"legal_hold": stored.legal_hold, "legal_hold_reason": stored.legal_hold_reason}
    for name, value in changes.items():
        setattr(stored, name, value)
    stored.full_clean(exclude=["password"])
    if changes:
        stored.save(update_fields=sorted(changes))
    hold_after = {"legal_hold": stored.legal_hold, "legal_hold_reason": stored.legal_hold_reason}
    if hold_after != hold_before:
        record(
            actor=actor,
            operation="action",
            action="core.set_legal_hold" if stored.legal_hold else "core.lift_legal_hold",
            object_type="core.user",
            object_id=str(stored.pk),
            object_label=f"person {stored.public_id}",
            before=hold_before,
            after=hold_after,
        )
    if moves_address:
        # Sign-in by link and password resets go to allauth's addresses: the old one must
        # stop working. The administrator vouches for the new one, as in person_create.
        EmailAddress.objects.filter(user=stored).delete()
        EmailAddress.objects.create(user=stored, email=stored.email, verified=True, primary=True)
    return stored


@transaction.atomic
def person_roles_set(*, actor: User, person: User, role_slugs: Iterable[str]) -> None:
    """Make `role_slugs` exactly the roles the person holds.

    The change is audited by the many-to-many signal handler in core.audit, so nothing
    is recorded here.
    """
    _require_may_manage(actor, person)
    slugs = _check_role_slugs(role_slugs)
    person.groups.set(Group.objects.filter(name__in=slugs))


def person_erase(*, actor: User, person: User) -> None:
    """Erase a person on an administrator's word, exactly as they could erase themselves
    (every module's erase hook, then the account); the erasure names the administrator.
    Raises AccountErasureBlocked, changing nothing, when a module refuses.
    """
    _require_may_manage(actor, person)
    account_erase(user=person, actor=actor)
