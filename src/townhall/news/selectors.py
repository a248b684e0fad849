"""Reads of updates and services: what the public sees, what editors see, and how
updates appear to feeds, site search, subscriptions and the home page."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.core.languages import in_each_language
from townhall.core.registry import FollowedItem, SearchDocument
from townhall.core.selectors.geography import area_by_code, area_name, wards

from .activitypub import Signer, key_id
from .channels import BlueskyChannel, Channel, LogChannel, MastodonChannel
from .credentials import decrypt
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

SEARCH_UPDATE = "news_update"
FOLLOW_ALL = "news"
FOLLOW_SERVICE = "news_service"
FOLLOW_WARD = "news_ward"
ALL_NEWS_KEY = "all"
VISIBLE_STATES = (Update.State.PUBLISHED, Update.State.ARCHIVED)


@dataclass(frozen=True)
class WardTag:
    """A ward an update is tagged with, named in the page's language."""

    code: str
    name: str


def _with_tags(updates: QuerySet[Update]) -> QuerySet[Update]:
    return updates.prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("name")), "wards"
    )


def public_updates() -> QuerySet[Update]:
    """Updates the public may read: published (or since archived) and whose publish
    date has come, newest first, with their services and wards."""
    return _with_tags(
        Update.objects.filter(state__in=VISIBLE_STATES, published_at__lte=timezone.now())
    )


def current_updates(*, service: Service | None = None, ward_code: str = "") -> QuerySet[Update]:
    """Published updates (archived ones left out), newest first, optionally about one
    service and one ward: what the list, the feeds and the home page show."""
    updates = public_updates().filter(state=Update.State.PUBLISHED)
    if service is not None:
        updates = updates.filter(services=service)
    if ward_code:
        updates = updates.filter(wards__ward_code=ward_code)
    return updates


def updates_posted_to_social(day: date) -> tuple[int, int]:
    """The measure "news_posted_to_social": of the updates published in the 90 days to
    `day`, how many were posted to at least one of the council's social accounts."""
    published = public_updates().filter(
        published_at__date__gt=day - timedelta(days=90), published_at__date__lte=day
    )
    posted = published.filter(cross_posts__status=CrossPost.Status.POSTED).distinct()
    return posted.count(), published.count()


def public_update(slug: str) -> Update | None:
    """The update at `slug` if the public may read it, else None."""
    return public_updates().filter(slug=slug).first()


def latest_updates(count: int = 3) -> list[Update]:
    return list(current_updates()[:count])


def services() -> QuerySet[Service]:
    return Service.objects.order_by("name", "id")


def service_by_slug(slug: str) -> Service | None:
    return Service.objects.filter(slug=slug).first()


def ward(code: str) -> WardTag | None:
    """The ward with this code, from core's geography; None when there is none."""
    area = area_by_code(code)
    if area is None or area.kind != "ward":
        return None
    return WardTag(code=area.code, name=area_name(area))


def ward_choices() -> list[tuple[str, str]]:
    """The council's wards as (code, name) pairs in the page's language."""
    return [(area.code, area_name(area)) for area in wards()]


def ward_tags(update: Update) -> list[WardTag]:
    """The update's wards named in the page's language (a ward since removed from core's
    geography is left out)."""
    names = dict(ward_choices())
    codes = [tag.ward_code for tag in update.wards.all()]
    return [WardTag(code=code, name=names[code]) for code in codes if code in names]


def editor_updates() -> QuerySet[Update]:
    """Every update in every state, drafts first then newest, for editors."""
    return _with_tags(Update.objects.all()).order_by("state", "-published_at", "-updated_at")


def editor_update(public_id: Any) -> Update | None:
    return _with_tags(Update.objects.all()).filter(public_id=public_id).first()


def update_ward_codes(update: Update) -> list[str]:
    return sorted(UpdateWard.objects.filter(update=update).values_list("ward_code", flat=True))


# Subscriptions ------------------------------------------------------------------------


def all_news_followed(key: str) -> FollowedItem | None:
    if key != ALL_NEWS_KEY:
        return None
    return FollowedItem(title=_("All news from the council"), url=reverse("news:update_list"))


def service_followed(key: str) -> FollowedItem | None:
    service = service_by_slug(key)
    if service is None:
        return None
    return FollowedItem(
        title=_("News about %(service)s") % {"service": service.name},
        url=reverse("news:update_list") + f"?service={service.slug}",
    )


def ward_followed(key: str) -> FollowedItem | None:
    found = ward(key)
    if found is None:
        return None
    return FollowedItem(
        title=_("News for %(ward)s") % {"ward": found.name},
        url=reverse("news:update_list") + f"?ward={found.code}",
    )


def followed_by_update(update: Update) -> list[tuple[str, str]]:
    """The (kind, key) pairs whose followers hear of the update: all news, each of its
    services and each of its wards."""
    return [
        (FOLLOW_ALL, ALL_NEWS_KEY),
        *((FOLLOW_SERVICE, service.slug) for service in update.services.all()),
        *((FOLLOW_WARD, tag.ward_code) for tag in update.wards.all()),
    ]


# Site search, the Welsh list and open data ---------------------------------------------


def update_search_documents(update: Update) -> list[SearchDocument]:
    """An update as site search sees it while it is published (an archived one has left
    the list, the feeds and search, though its page stays for the links to it)."""
    if update.state != Update.State.PUBLISHED:
        return []

    def document(language: str) -> SearchDocument:
        return SearchDocument(
            kind=SEARCH_UPDATE,
            key=str(update.public_id),
            url=reverse("news:update_detail", args=[update.slug]),
            title=update.title,
            body=f"{update.summary}\n\n{update.body}",
            summary=update.summary,
            language=language,
        )

    return in_each_language(update, ("title", "summary", "body"), document)


def searchable_updates() -> QuerySet[Update]:
    return current_updates().order_by("pk")


def updates_rows():
    """Every update the public may read, as open data (no author: personal data)."""
    for update in public_updates().order_by("published_at", "pk"):
        yield {
            "id": str(update.public_id),
            "url": reverse("news:update_detail", args=[update.slug]),
            "title": update.title_en_gb,
            "title_cy": update.title_cy or "",
            "summary": update.summary_en_gb,
            "summary_cy": update.summary_cy or "",
            "state": update.state,
            "published_at": update.published_at.isoformat(),
            "services": ";".join(service.slug for service in update.services.all()),
            "wards": ";".join(tag.ward_code for tag in update.wards.all()),
        }


# Cross-posting -----------------------------------------------------------------------------


def social_accounts() -> QuerySet[SocialAccount]:
    return SocialAccount.objects.order_by("name", "id")


def social_account(pk: int) -> SocialAccount | None:
    return SocialAccount.objects.filter(pk=pk).first()


def cross_posts(update: Update) -> QuerySet[CrossPost]:
    """The update's posts to social accounts, with their accounts, by account name."""
    return CrossPost.objects.filter(update=update).select_related("account")


def cross_post(pk: int) -> CrossPost | None:
    return CrossPost.objects.select_related("update").filter(pk=pk).first()


def channel_for(account: SocialAccount) -> Channel:
    """The adapter that posts to `account`, its credentials decrypted."""
    if account.kind == SocialAccount.Kind.MASTODON:
        return MastodonChannel(server=account.server, token=decrypt(account.secret))
    if account.kind == SocialAccount.Kind.BLUESKY:
        return BlueskyChannel(
            server=account.server, handle=account.handle, password=decrypt(account.secret)
        )
    return LogChannel(account.name)


# The fediverse --------------------------------------------------------------------------------


def fediverse_actor() -> FediverseActor | None:
    """The council's fediverse account, or None before anything has asked for it
    (services.fediverse_account makes it)."""
    return FediverseActor.objects.order_by("pk").first()


def fediverse_signer() -> Signer | None:
    """Our signing key, decrypted, or None when there is no account yet."""
    account = fediverse_actor()
    if account is None:
        return None
    return Signer(key_id=key_id(), private_key=decrypt(account.private_key))


def follower_count() -> int:
    return Follower.objects.count()


def delivery_inboxes() -> list[str]:
    """Each inbox updates go to, once: a server's shared inbox stands for its accounts."""
    found = {follower.delivery_inbox for follower in Follower.objects.all()}
    return sorted(found)


def deliveries(update: Update) -> QuerySet[Delivery]:
    """The update's deliveries to followers' servers, newest first."""
    return Delivery.objects.filter(update=update).order_by("-created_at", "inbox")


def delivery(pk: int) -> Delivery | None:
    """An update's delivery (the Accept of a follow has no update, and no staff page)."""
    return Delivery.objects.select_related("update").filter(pk=pk, update__isnull=False).first()
