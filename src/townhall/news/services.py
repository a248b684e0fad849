"""Every write to news: services (topics) and updates, their lifecycle and who hears.

The rules an editor can count on (docs/modules/news.md says the same):

- only people whom the gate lets do `news.manage_updates` write, publish and archive
  updates, and only those allowed `news.manage_services` keep the list of services;
- an update's title, summary and body are required in English, Welsh is optional (unless
  the council requires Welsh before anything publishes); titles and summaries are one
  line; the body is plain paragraphs or Markdown, shown with any HTML removed;
- a draft is published once, on a publish date that is now or earlier (never later: a
  later date would tell followers of news the public cannot yet read); a published update
  is archived when it is out of date, leaving the list and the feeds, its page kept;
- publishing tells followers of all news, of each of the update's services and of each
  of its wards, each person once (core.services.subscriptions).

Saves reach the audit log through its signals; publishing and archiving are recorded
as actions. Publishing also queues a post to each of the council's social accounts and a
Create to each fediverse follower's server (tasks.py), which never holds the publishing
back; editing a published update sends an Update, archiving it a Delete.
"""

import json
import re
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.languages import welsh_required_message
from townhall.core.permissions import require
from townhall.core.services.search import search_index_update
from townhall.core.services.subscriptions import notify_followers
from townhall.core.tasks import enqueue_on_commit

from . import activitypub, selectors
from .credentials import encrypt
from .models import (
    CrossPost,
    Delivery,
    FediverseActor,
    Follower,
    Service,
    SocialAccount,
    Update,
    UpdateWard,
)
from .signatures import SignatureRefused, new_keypair, signature_key_id, verify
from .tasks import cross_post, deliver

MANAGE_UPDATES = "news.manage_updates"
MANAGE_SERVICES = "news.manage_services"
MANAGE_CHANNELS = "news.manage_channels"
UPDATE_TEXT = ("title", "summary", "body")
State = Update.State


class NewsError(Exception):
    """A change news refuses; nothing was stored. `code` is stable, `message` for people,
    `field` names the form field to blame, if any."""

    code = "news_error"

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class UpdateInvalid(NewsError):
    code = "update_invalid"


class InvalidTransition(NewsError):
    code = "invalid_transition"


class ServiceInvalid(NewsError):
    code = "service_invalid"


class SocialAccountInvalid(NewsError):
    code = "social_account_invalid"


class HandleInvalid(NewsError):
    code = "handle_invalid"


class InboxRefused(NewsError):
    """An activity the inbox turns away; `status` is the HTTP status to answer with."""

    def __init__(self, code: str, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.status = code, status


#: Addresses under /news/ that are pages of their own, never an update's.
RESERVED_SLUGS = frozenset({"manage", "services", "wards", "activitypub"})


def _unique_slug(model: Any, text: str) -> str:
    base = (slugify(text) or "update")[:100]
    slug, number = base, 1
    while slug in RESERVED_SLUGS or model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _validated(obj: Any, exclude: Iterable[str] = ()) -> None:
    """full_clean() with its first message as a NewsError naming the field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise UpdateInvalid(messages[0], field=field.removesuffix("_en_gb")) from None


# Services ---------------------------------------------------------------------------------


def service_create(*, actor: Any, name_en: str, name_cy: str = "") -> Service:
    """Add a service updates can be tagged with; its address comes from its English name."""
    require(actor, MANAGE_SERVICES)
    with transaction.atomic():
        service = Service(name_en_gb=name_en.strip(), name_cy=name_cy.strip())
        service.slug = _unique_slug(Service, service.name_en_gb)
        _check_service(service)
        service.save()
        return service


def service_edit(*, actor: Any, service: Service, name_en: str, name_cy: str = "") -> Service:
    """Rename a service (its address, which feeds and followers use, stays)."""
    require(actor, MANAGE_SERVICES)
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        service.name_en_gb, service.name_cy = name_en.strip(), name_cy.strip()
        _check_service(service)
        service.save()
        return service


def _check_service(service: Service) -> None:
    if not service.name_en_gb:
        raise ServiceInvalid(_("Enter the service's name in English"), field="name")
    try:
        service.full_clean(exclude=["slug"], validate_unique=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ServiceInvalid(messages[0], field=field.removesuffix("_en_gb")) from None


# Updates ----------------------------------------------------------------------------------


def update_create(
    *,
    actor: Any,
    title_en: str,
    summary_en: str,
    body_en: str,
    title_cy: str = "",
    summary_cy: str = "",
    body_cy: str = "",
    services: Iterable[Service] = (),
    ward_codes: Iterable[str] = (),
) -> Update:
    """Write a draft update; its address comes from its English title."""
    require(actor, MANAGE_UPDATES)
    with transaction.atomic():
        update = Update(author=actor)
        _fill(update, title_en, summary_en, body_en, title_cy, summary_cy, body_cy)
        update.slug = _unique_slug(Update, update.title_en_gb)
        update.save()
        _tag(update, services, ward_codes)
        return update


def update_edit(
    *,
    actor: Any,
    update: Update,
    title_en: str,
    summary_en: str,
    body_en: str,
    title_cy: str = "",
    summary_cy: str = "",
    body_cy: str = "",
    services: Iterable[Service] = (),
    ward_codes: Iterable[str] = (),
) -> Update:
    """Change an update in any state (a correction to a published one shows at once;
    its address stays, so links to it keep working)."""
    require(actor, MANAGE_UPDATES, update)
    with transaction.atomic():
        update = Update.objects.select_for_update().get(pk=update.pk)
        _fill(update, title_en, summary_en, body_en, title_cy, summary_cy, body_cy)
        update.save()
        _tag(update, services, ward_codes)
        search_index_update(selectors.SEARCH_UPDATE, update)
        if update.state == State.PUBLISHED:
            _queue_deliveries(update, "Update")
        return update


def _fill(update: Update, *texts: str) -> None:
    names = ("title_en_gb", "summary_en_gb", "body_en_gb", "title_cy", "summary_cy", "body_cy")
    for name, value in zip(names, texts, strict=True):
        setattr(update, name, (value or "").strip())
    for name, label in (
        ("title", _("Enter the title in English")),
        ("summary", _("Enter the summary in English")),
        ("body", _("Enter the update in English")),
    ):
        if not getattr(update, f"{name}_en_gb"):
            raise UpdateInvalid(label, field=name)
    _validated(update, exclude=["slug", "author"])


def _tag(update: Update, services: Iterable[Service], ward_codes: Iterable[str]) -> None:
    codes = sorted(set(ward_codes))
    known = {code for code, _name in selectors.ward_choices()}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise UpdateInvalid(
            _("There is no ward with the code %(code)s") % {"code": unknown[0]}, field="wards"
        )
    update.services.set(list(services))
    UpdateWard.objects.filter(update=update).exclude(ward_code__in=codes).delete()
    have = set(UpdateWard.objects.filter(update=update).values_list("ward_code", flat=True))
    UpdateWard.objects.bulk_create(
        [UpdateWard(update=update, ward_code=code) for code in codes if code not in have]
    )


def update_publish(*, actor: Any, update: Update, published_at: datetime | None = None) -> Update:
    """Publish a draft from `published_at` (now unless given; never later than now) and
    tell its followers. Raises InvalidTransition unless it is a draft, UpdateInvalid for a
    date still to come or when the council requires Welsh that is missing."""
    require(actor, MANAGE_UPDATES, update)
    now = timezone.now()
    published_at = published_at or now
    if published_at > now:
        raise UpdateInvalid(_("The publish date must be today or earlier"), field="published_at")
    with transaction.atomic():
        locked = Update.objects.select_for_update().get(pk=update.pk)
        if locked.state != State.DRAFT:
            raise InvalidTransition(_("Only a draft can be published."))
        missing = welsh_required_message([(locked, UPDATE_TEXT)])
        if missing:
            raise UpdateInvalid(missing)
        locked.state, locked.published_at = State.PUBLISHED, published_at
        locked.save(update_fields=["state", "published_at", "updated_at"])
        _after_transition(actor, locked, "publish", before=State.DRAFT)
        _tell_followers(locked)
        _queue_cross_posts(locked)
        _queue_deliveries(locked, "Create")
        return locked


def update_archive(*, actor: Any, update: Update) -> Update:
    """Take a published update off the list, the feeds and the home page; its page stays,
    marked as archived, so that links to it still lead somewhere."""
    require(actor, MANAGE_UPDATES, update)
    with transaction.atomic():
        locked = Update.objects.select_for_update().get(pk=update.pk)
        if locked.state != State.PUBLISHED:
            raise InvalidTransition(_("Only a published update can be archived."))
        locked.state = State.ARCHIVED
        locked.save(update_fields=["state", "updated_at"])
        _after_transition(actor, locked, "archive", before=State.PUBLISHED)
        _queue_deliveries(locked, "Delete")
        return locked


def _after_transition(actor: Any, update: Update, step: str, *, before: str) -> None:
    search_index_update(selectors.SEARCH_UPDATE, update)
    audit.record(
        actor=actor,
        operation="action",
        action=f"news.update_{step}",
        instance=update,
        before={"state": before},
        after={"state": update.state},
    )


def _tell_followers(update: Update) -> None:
    """One email (or digest entry) to each follower of all news or of one of the update's
    services or wards, in their own language."""
    followed = selectors.followed_by_update(update)
    (kind, key), also = followed[0], followed[1:]

    def subject() -> str:
        return str(_("News: %(title)s") % {"title": update.title})

    def body() -> str:
        path = reverse("news:update_detail", args=[update.slug])
        link = settings.TOWNHALL_SITE_URL.rstrip("/") + path
        day = date_format(timezone.localtime(update.published_at), "j F Y")
        return f"{update.title}\n{day}\n\n{update.summary}\n\n{link}"

    notify_followers(kind=kind, key=key, also=also, subject=subject, body=body)


# Cross-posting ------------------------------------------------------------------------------


def _queue_cross_posts(update: Update) -> None:
    """One background post per enabled social account, sent after this commits."""
    for account in SocialAccount.objects.filter(enabled=True):
        record, _created = CrossPost.objects.get_or_create(update=update, account=account)
        enqueue_on_commit(cross_post, record.pk)


def cross_post_retry(*, actor: Any, record: CrossPost) -> CrossPost:
    """Try a failed post again (after the network is back or its credentials are fixed)."""
    require(actor, MANAGE_UPDATES, record.update)
    return _retry(record, cross_post)


def delivery_retry(*, actor: Any, record: Delivery) -> Delivery:
    """Send a failed delivery of an update to a follower's server again."""
    require(actor, MANAGE_UPDATES, record.update)
    return _retry(record, deliver)


def _retry(record: CrossPost | Delivery, task: Any) -> CrossPost | Delivery:
    """Queue a failed post or delivery again, from its first attempt."""
    with transaction.atomic():
        record = type(record).objects.select_for_update().get(pk=record.pk)
        if record.status != record.Status.FAILED:
            raise InvalidTransition(_("Only a failed post can be tried again."))
        record.status, record.attempts = record.Status.QUEUED, 0
        record.save(update_fields=["status", "attempts", "updated_at"])
        enqueue_on_commit(task, record.pk)
        return record


def social_account_add(
    *, actor: Any, kind: str, name: str, server: str = "", handle: str = "", secret: str = ""
) -> SocialAccount:
    """Add a social account to cross-post to; `secret` (a Mastodon access token, a Bluesky
    app password) is stored encrypted. Raises SocialAccountInvalid naming the field."""
    require(actor, MANAGE_CHANNELS)
    account = SocialAccount(
        kind=kind, name=name.strip(), server=server.strip(), handle=handle.strip().lstrip("@")
    )
    if kind == SocialAccount.Kind.BLUESKY and not account.server:
        account.server = "https://bsky.social"
    needs = {
        SocialAccount.Kind.MASTODON: ("server", "secret"),
        SocialAccount.Kind.BLUESKY: ("handle", "secret"),
    }.get(kind, ())
    messages = {
        "server": _("Enter the address of the account's server, like https://mastodon.social"),
        "handle": _("Enter the account's handle, like northbridge.bsky.social"),
        "secret": _("Enter the access token or app password"),
    }
    for field in needs:
        if not (secret.strip() if field == "secret" else getattr(account, field)):
            raise SocialAccountInvalid(messages[field], field=field)
    if account.server and not account.server.startswith("https://"):
        raise SocialAccountInvalid(
            _("The server's address must start with https://"), field="server"
        )
    try:
        account.full_clean(exclude=["secret"])
    except ValidationError as error:
        field, problems = next(iter(error.message_dict.items()))
        raise SocialAccountInvalid(problems[0], field=field) from None
    account.secret = encrypt(secret.strip()) if secret.strip() else ""
    with transaction.atomic():
        account.save()
    return account


def social_account_remove(*, actor: Any, account: SocialAccount) -> None:
    """Stop cross-posting to the account and forget its credentials and its posts' record."""
    require(actor, MANAGE_CHANNELS)
    with transaction.atomic():
        SocialAccount.objects.filter(pk=account.pk).delete()


# The fediverse (ADR 0071) ---------------------------------------------------------------------

HANDLE = re.compile(r"^[a-z0-9_]{1,30}$")


def fediverse_account() -> FediverseActor:
    """The council's fediverse account, made with a new keypair the first time it is
    asked for (its private key stored encrypted); the same row ever after."""
    account = selectors.fediverse_actor()
    if account is not None:
        return account
    public, private = new_keypair()
    account, _created = FediverseActor.objects.get_or_create(
        pk=1, defaults={"public_key": public, "private_key": encrypt(private)}
    )
    return account


def fediverse_handle_set(*, actor: Any, handle: str) -> FediverseActor:
    """Choose the handle the council is found by (`@handle@site host`). Followers are
    unaffected: they follow the actor's address, which never changes."""
    require(actor, MANAGE_CHANNELS)
    handle = handle.strip().lstrip("@").lower()
    if not HANDLE.match(handle):
        raise HandleInvalid(
            _("Enter a handle of up to 30 lower-case letters, digits and underscores"),
            field="handle",
        )
    with transaction.atomic():
        account = FediverseActor.objects.select_for_update().get(pk=fediverse_account().pk)
        before = account.handle
        account.handle = handle
        account.save(update_fields=["handle", "updated_at"])
        audit.record(
            actor=actor,
            operation="action",
            action="news.fediverse_handle_set",
            instance=account,
            before={"handle": before},
            after={"handle": handle},
        )
        return account


def inbox_receive(*, method: str, target: str, headers: Any, body: bytes) -> None:
    """Take an activity POSTed to the council's inbox: Follow records the follower and
    queues a signed Accept, Undo of a Follow forgets them, anything else is ignored.
    Raises InboxRefused (stored nothing) for anything unsigned, badly signed, signed by
    someone other than its actor, or not an activity."""
    try:
        key = signature_key_id(headers)
    except SignatureRefused as refusal:
        raise InboxRefused(refusal.code, refusal.message, status=401) from None
    try:
        activity = json.loads(body)
    except ValueError:
        activity = None
    if not isinstance(activity, dict) or not isinstance(activity.get("type"), str):
        raise InboxRefused("activity_invalid", "The body is not an ActivityPub activity.")
    fediverse_account()
    signer = selectors.fediverse_signer()
    remote = _verified_sender(key, signer, method=method, target=target, headers=headers, body=body)
    if activity.get("actor") != remote.id:
        raise InboxRefused(
            "actor_mismatch", "The activity's actor is not who signed it.", status=401
        )
    kind, obj = activity["type"], activity.get("object")
    if kind == "Follow":
        if obj != activitypub.actor_url():
            raise InboxRefused("not_our_actor", "Only the council's actor can be followed here.")
        _follow(remote, activity)
    elif kind == "Undo" and isinstance(obj, dict) and obj.get("type") == "Follow":
        Follower.objects.filter(actor_url=remote.id).delete()


def _verified_sender(key: str, signer, **request: Any) -> activitypub.RemoteActor:
    """The remote actor whose key signed the request, once the signature holds. A key
    from the cache that fails is fetched again once: the sender may have a new key."""
    try:
        remote, cached = activitypub.remote_actor(key, signer=signer)
        try:
            verify(**request, public_key=remote.public_key)
        except SignatureRefused as refusal:
            if refusal.code != "signature_invalid" or not cached:
                raise
            remote, _cached = activitypub.remote_actor(key, signer=signer, fresh=True)
            verify(**request, public_key=remote.public_key)
    except SignatureRefused as refusal:
        raise InboxRefused(refusal.code, refusal.message, status=401) from None
    except activitypub.RemoteError as error:
        raise InboxRefused(
            "key_unavailable", f"The signing key could not be fetched: {error}", status=401
        ) from None
    return remote


def _follow(remote: activitypub.RemoteActor, follow: dict) -> None:
    with transaction.atomic():
        Follower.objects.update_or_create(
            actor_url=remote.id,
            defaults={"inbox": remote.inbox, "shared_inbox": remote.shared_inbox},
        )
        accept = activitypub.accept(follow, uuid.uuid4().hex)
        record = Delivery.objects.create(inbox=remote.inbox, kind="Accept", activity=accept)
        enqueue_on_commit(deliver, record.pk)


def _queue_deliveries(update: Update, kind: str) -> None:
    """One signed POST of the update's Create, Update or Delete to each follower's
    server, sent in the background after this commits."""
    inboxes = selectors.delivery_inboxes()
    if not inboxes:
        return
    fediverse_account()
    document = activitypub.activity(kind, update)
    records = Delivery.objects.bulk_create(
        [Delivery(update=update, inbox=inbox, kind=kind, activity=document) for inbox in inboxes]
    )
    for record in records:
        enqueue_on_commit(deliver, record.pk)
