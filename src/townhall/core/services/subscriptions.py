"""Following things by email: subscribe (signed in, or by email address alone with a
confirmation link), unsubscribe in one click, and tell followers what changed, at once
or in a daily or weekly digest, in each follower's own language.

Modules declare what may be followed (registry.Followable) and call `notify_followers`
when something changes; everything else is here, so that every module's emails carry
the same RFC 8058 one-click unsubscribe headers and honour the same choices.

Links are signed with Django's signing framework: a confirmation link carries the
subscription's secret token and expires after RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS;
an unsubscribe link carries the tokens of the subscriptions an email was about and
never expires (an old email must still let its reader stop the emails). A link whose
signature does not match changes nothing.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from itertools import chain
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Frequency, NotificationPreference, PendingNotification, Subscription
from ..permissions import require
from ..registry import FollowedItem, registry
from ..selectors.subscriptions import followed_item, followers, notification_frequency
from ..tasks import enqueue_on_commit, retrying_task

#: The resident form a subscription is when no module declares its kind (core.manifest).
FOLLOW_FORM = "core.follow"
CONFIRM_SALT = "townhall.core.subscription.confirm"
UNSUBSCRIBE_SALT = "townhall.core.subscription.unsubscribe"


class SubscriptionError(Exception):
    """A subscription request or link that cannot be acted on; nothing was changed.
    `code` is stable, `message` is for the person."""

    code = "subscription_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFollowable(SubscriptionError):
    code = "not_followable"


class InvalidAddress(SubscriptionError):
    code = "invalid_email"


class LinkInvalid(SubscriptionError):
    """The link was altered, made up, or its subscription no longer exists."""

    code = "link_invalid"


class LinkExpired(SubscriptionError):
    """A genuine confirmation link, too old to use. `item` is what it was for, if known."""

    code = "link_expired"

    def __init__(self, message: str, item: FollowedItem | None) -> None:
        super().__init__(message)
        self.item = item


@dataclass(frozen=True)
class Confirmation:
    subscription: Subscription
    item: FollowedItem | None
    already: bool
    """True when the subscription was confirmed before (the link was followed twice)."""


# Subscribing -------------------------------------------------------------------------


def subscription_create(
    *, kind: str, key: Any, person: Any = None, email: str = "", language: str = ""
) -> Subscription:
    """Follow a thing, as a signed-in `person` or by `email` alone.

    Anyone may follow a public thing by address; who may follow what as a person is the
    module's rule, checked by its service before it calls this (core's own follow page
    offers public things only). A person's subscription is confirmed at once, at the frequency they chose for
    everything they follow, and following twice keeps one. An address's is confirmed by
    the link emailed to it (sent after this commits): asking again before confirming
    sends a fresh link, and asking once confirmed sends nothing and changes nothing.
    Raises NotFollowable when no module declares `kind`, there is no such thing, or (for
    an address) it is not public, and InvalidAddress for an address that is not one.
    """
    key = str(key)
    item = followed_item(kind, key)
    if item is None or (person is None and not item.public):
        raise NotFollowable(_("You cannot follow that."))
    if person is not None:
        if not getattr(person, "is_authenticated", False):
            raise PermissionError("Sign in to follow something as yourself.")
        subscription, _created = Subscription.objects.get_or_create(
            person=person,
            kind=kind,
            key=key,
            defaults={
                "frequency": notification_frequency(person),
                "language": person.preferred_language or settings.LANGUAGE_CODE,
                "confirmed_at": timezone.now(),
            },
        )
        return subscription
    address = email.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise InvalidAddress(
            _("Enter an email address in the correct format, like name@example.com")
        ) from None
    with transaction.atomic():
        subscription, _created = Subscription.objects.get_or_create(
            email=address,
            kind=kind,
            key=key,
            defaults={"language": language or translation.get_language() or "en-gb"},
        )
        if subscription.confirmed_at is None:
            enqueue_on_commit(send_confirmation, subscription.pk)
    return subscription


def subscription_create_for_resident(
    *, actor: Any, kind: str, key: Any, email: str, channel: str, language: str = ""
) -> Subscription:
    """Follow a public thing for a resident, by the resident's `email` alone, as staff
    helping them (assisted digital, ADR 0107): never as `actor`'s own account. The
    resident still confirms by the link emailed to them, so nothing is sent to an address
    its owner did not agree to. The channel and the helper are recorded by
    core.services.assisted, as the resident form that declares `kind` (core's "follow"
    when none does). Raises as subscription_create does, and PermissionDenied unless the
    gate lets `actor` assist residents."""
    from ..assisted import ACTION
    from . import assisted

    require(actor, ACTION)
    form = next(
        (
            resident_form.key
            for resident_form in registry.resident_forms()
            if kind in resident_form.followable_kinds
        ),
        FOLLOW_FORM,
    )
    with transaction.atomic():
        subscription = subscription_create(kind=kind, key=key, email=email, language=language)
        assisted.assisted_submission_record(
            actor=actor, form=form, channel=channel, instance=subscription
        )
    return subscription


def confirmation_link_check(*, token: str) -> Confirmation:
    """What a confirmation link is for, changing nothing: the page the link opens shows
    this with a button, because mail scanners follow links in emails and must not
    confirm an address on its owner's behalf. Raises as subscription_confirm does."""
    subscription, expired = _linked_subscription(token, lock=False)
    item = followed_item(subscription.kind, subscription.key)
    if subscription.confirmed_at is None and expired:
        raise LinkExpired(_("That link has expired."), item)
    return Confirmation(subscription, item, already=subscription.confirmed_at is not None)


def subscription_confirm(*, token: str) -> Confirmation:
    """Confirm the subscription a link emailed to its address names.

    Confirming twice confirms once and says so (`already`). Raises LinkInvalid
    for an altered or made-up link, or one whose subscription was since removed, and
    LinkExpired for a genuine link older than RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS
    (unless it had been confirmed in time, which is then `already`).
    """
    with transaction.atomic():
        subscription, expired = _linked_subscription(token, lock=True)
        item = followed_item(subscription.kind, subscription.key)
        if subscription.confirmed_at is not None:
            return Confirmation(subscription, item, already=True)
        if expired:
            raise LinkExpired(_("That link has expired."), item)
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
    return Confirmation(subscription, item, already=False)


def _linked_subscription(token: str, *, lock: bool) -> tuple[Subscription, bool]:
    """The subscription a confirmation link names, and whether the link is past its age."""
    max_age = timedelta(days=settings.RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS)
    try:
        secret = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
        expired = False
    except signing.SignatureExpired:
        secret = signing.loads(token, salt=CONFIRM_SALT)
        expired = True
    except signing.BadSignature:
        raise LinkInvalid(_("That link is not valid.")) from None
    subscriptions = Subscription.objects.filter(token=secret)
    subscription = (subscriptions.select_for_update() if lock else subscriptions).first()
    if subscription is None:
        raise LinkInvalid(_("That link is not valid."))
    return subscription, expired


def subscription_remove(*, person: Any, kind: str, key: Any) -> None:
    """The signed-in person stops following the thing (nothing happens if they did not)."""
    Subscription.objects.filter(person=person, kind=kind, key=str(key)).delete()


# Unsubscribing by link -----------------------------------------------------------------


def unsubscribe_link(subscriptions: Iterable[Subscription], *, language: str) -> str:
    """The absolute one-click unsubscribe address for an email about `subscriptions`."""
    token = signing.dumps([s.token for s in subscriptions], salt=UNSUBSCRIBE_SALT)
    with translation.override(language):
        path = reverse("core:unsubscribe", args=[token])
    return settings.TOWNHALL_SITE_URL.rstrip("/") + path


def unsubscribe_link_subscriptions(token: str) -> list[Subscription]:
    """The subscriptions an unsubscribe link still stands for (none once unsubscribed).

    Raises LinkInvalid when the link was altered or made up.
    """
    try:
        secrets = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise LinkInvalid(_("That link is not valid.")) from None
    if not isinstance(secrets, list) or not all(isinstance(s, str) for s in secrets):
        raise LinkInvalid(_("That link is not valid."))
    return list(Subscription.objects.filter(token__in=secrets).select_related("person"))


@transaction.atomic
def subscription_unsubscribe(*, token: str, everything: bool = False) -> int:
    """Stop the emails an unsubscribe link is about; returns how many subscriptions went.

    Idempotent: a second use finds nothing and returns 0. With `everything`, every other
    subscription of the same people and addresses goes too, so that an address given
    without an account is forgotten entirely. Raises LinkInvalid (changing nothing) when
    the link was altered or made up.
    """
    subscriptions = unsubscribe_link_subscriptions(token)
    chosen = Subscription.objects.filter(pk__in=[s.pk for s in subscriptions])
    if everything:
        people = {s.person_id for s in subscriptions if s.person_id}
        addresses = {s.email for s in subscriptions if not s.person_id}
        chosen = Subscription.objects.filter(person_id__in=people) | Subscription.objects.filter(
            person__isnull=True, email__in=addresses
        )
    deleted = chosen.delete()[1].get(Subscription._meta.label, 0)
    return deleted


def subscriptions_purge_unconfirmed(*, older_than_days: int) -> int:
    """Delete subscriptions by address never confirmed within `older_than_days` (the
    address is personal data we have no reason to keep); returns how many."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    stale = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff)
    return stale.delete()[1].get(Subscription._meta.label, 0)


def subscriptions_end(*, kind: str, ended: Callable[[str], bool]) -> int:
    """Delete every subscription to a thing of `kind` that `ended(key)` says is over, for
    a module whose things end (a past election's reminders: the address was given for that
    election alone); returns how many went."""
    keys = Subscription.objects.filter(kind=kind).values_list("key", flat=True).distinct()
    over = [key for key in keys if ended(key)]
    gone = Subscription.objects.filter(kind=kind, key__in=over).delete()[1]
    return gone.get(Subscription._meta.label, 0)


# How often -------------------------------------------------------------------------------


@transaction.atomic
def notification_preference_set(*, actor: Any, frequency: str) -> NotificationPreference:
    """The signed-in person's own choice of how often to hear about what they follow; it
    applies at once to everything they follow and to what they follow later."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionError("Sign in to choose how often you hear from us.")
    chosen = Frequency(frequency)
    preference, _created = NotificationPreference.objects.update_or_create(
        person=actor, defaults={"frequency": chosen}
    )
    Subscription.objects.filter(person=actor).update(frequency=chosen)
    return preference


# Telling followers -------------------------------------------------------------------------


def notify_followers(
    *,
    kind: str,
    key: Any,
    body: Callable[[], str],
    subject: Callable[[], str] | None = None,
    exclude: Iterable[Any] = (),
    also: Iterable[tuple[str, Any]] = (),
) -> None:
    """Tell everyone following the thing about a change, each at their chosen frequency
    (straight away after this commits, or in their daily or weekly digest) and in their
    own language: `body` (and `subject`, by default "An update on something you follow")
    are called once in each language the followers read. People in `exclude` (the one
    who made the change) are not told. `also` names other things, as (kind, key) pairs,
    the change is about (a news update's service and wards): their followers are told
    too, and someone following several of them is told once."""
    left_out = {getattr(person, "pk", None) for person in exclude}
    written: dict[str, tuple[str, str]] = {}
    waiting: list[PendingNotification] = []
    told: set[int | str] = set()
    about = ((kind, key), *also)
    for subscription in chain.from_iterable(followers(kind=k, key=v) for k, v in about):
        if subscription.person_id is not None and subscription.person_id in left_out:
            continue
        # A person's id, or an address followed without an account: never equal to each other.
        recipient = subscription.person_id or subscription.email
        if recipient in told:
            continue
        told.add(recipient)
        if subscription.frequency == Frequency.NEVER:
            continue
        language = _language_of(subscription)
        if language not in written:
            with translation.override(language):
                title = subject() if subject else _("An update on something you follow")
                written[language] = (str(title), str(body()))
        title, text = written[language]
        if subscription.frequency == Frequency.IMMEDIATELY:
            enqueue_on_commit(send_notification, subscription.pk, title, text)
        else:
            waiting.append(
                PendingNotification(
                    subscription=subscription, frequency=subscription.frequency, text=text
                )
            )
    PendingNotification.objects.bulk_create(waiting)


@retrying_task
def send_notification(subscription_id: int, subject: str, text: str) -> None:
    """Email one follower one change, unless they unsubscribed or left meanwhile."""
    subscription = _deliverable(subscription_id)
    if subscription is not None:
        _send_to_follower([subscription], subject=subject, text=text)


def email_follower(
    subscription: Subscription, *, subject: Callable[[], str], body: Callable[[], str]
) -> None:
    """Email one follower now, whatever their chosen frequency, for a module that keeps its
    own timetable (an election reminder is no use in tomorrow's digest): `subject` and
    `body` are called in the follower's language, and the email carries the same one-click
    unsubscribe as every other. Sends nothing to an unconfirmed subscription."""
    if subscription.confirmed_at is None:
        return
    with translation.override(_language_of(subscription)):
        title, text = str(subject()), str(body())
    _send_to_follower([subscription], subject=title, text=text)


@retrying_task
def send_digests(frequency: str) -> int:
    """Send each follower their waiting daily (or weekly) changes in one email; returns
    how many emails were sent. Run daily and weekly (`townhall send_digests`)."""
    with transaction.atomic():
        pending = list(
            PendingNotification.objects.select_for_update(of=("self",))
            .filter(frequency=frequency)
            .select_related("subscription__person")
        )
        PendingNotification.objects.filter(pk__in=[n.pk for n in pending]).delete()
    grouped: dict[tuple, list[PendingNotification]] = defaultdict(list)
    for notification in pending:
        subscription = notification.subscription
        if subscription.person_id is not None and not subscription.person.is_active:
            continue
        recipient = (
            ("person", subscription.person_id)
            if subscription.person_id
            else (
                "address",
                subscription.email,
            )
        )
        grouped[recipient].append(notification)
    for notifications in grouped.values():
        subscriptions = list({n.subscription_id: n.subscription for n in notifications}.values())
        with translation.override(_language_of(subscriptions[0])):
            subject = _("Updates on what you follow")
        _send_to_follower(
            subscriptions, subject=subject, text="\n\n".join(n.text for n in notifications)
        )
    return len(grouped)


def _deliverable(subscription_id: int) -> Subscription | None:
    return (
        Subscription.objects.filter(pk=subscription_id, confirmed_at__isnull=False)
        .exclude(person__is_active=False)
        .select_related("person")
        .first()
    )


def _send_to_follower(subscriptions: list[Subscription], *, subject: str, text: str) -> None:
    """One email to the follower, with an unsubscribe link in its text and in RFC 8058's
    List-Unsubscribe and List-Unsubscribe-Post headers, so that mail programs offer a
    one-click "Unsubscribe" (the Notify backend passes the link to Notify)."""
    language = _language_of(subscriptions[0])
    link = unsubscribe_link(subscriptions, language=language)
    with translation.override(language):
        footer = _("To stop these emails, open this link:") + f"\n{link}"
    EmailMessage(
        subject,
        f"{text}\n\n---\n{footer}",
        None,
        [subscriptions[0].address],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()


@retrying_task
def send_confirmation(subscription_id: int) -> None:
    """Email an address the link that confirms its subscription (double opt-in)."""
    subscription = Subscription.objects.filter(pk=subscription_id, confirmed_at=None).first()
    if subscription is None:
        return
    item = followed_item(subscription.kind, subscription.key)
    if item is None:
        return
    token = signing.dumps(subscription.token, salt=CONFIRM_SALT)
    with translation.override(subscription.language):
        link = settings.TOWNHALL_SITE_URL.rstrip("/") + reverse(
            "core:subscription_confirm", args=[token]
        )
        days = settings.RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS
        subject = _("Confirm you want emails about “%(title)s”") % {"title": item.title}
        text = _(
            "Someone, probably you, asked for emails about “%(title)s” to be sent to this "
            "address.\n\nTo start them, open this link within %(days)s days:\n%(link)s\n\n"
            "If it was not you, ignore this email: we will delete your address in "
            "%(days)s days."
        ) % {"title": item.title, "link": link, "days": days}
    EmailMessage(subject, text, None, [subscription.email]).send()


def _language_of(subscription: Subscription) -> str:
    """A person's language as they chose it for their account; an address's, the
    language of the page where it subscribed."""
    if subscription.person_id is not None:
        return subscription.person.preferred_language or settings.LANGUAGE_CODE
    return subscription.language or settings.LANGUAGE_CODE
