"""The council as a fediverse actor: its ActivityPub documents and talk with other servers.

Addresses are built from TOWNHALL_SITE_URL in English, so they stay the same whatever
page language asked. The actor is the news list (/news/) and each note is its update's
page (/news/<slug>/): a browser gets the page, a fediverse server asking for
`application/activity+json` gets the document (views.py negotiates). Remote servers are
reached through core's guarded requests (ADR 0015), with a short timeout and our
signature on every request (ADR 0071).
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from townhall.core import outbound
from townhall.core.selectors.site import site_settings

from .signatures import sign

ACTIVITY_JSON = "application/activity+json"
JRD_JSON = "application/jrd+json"
CONTEXT = ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"]
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
TIMEOUT_SECONDS = 5
#: The largest actor, key or answer document read from another server.
MAX_DOCUMENT_BYTES = 1024 * 1024
KEY_CACHE_SECONDS = 3600
_ACCEPTS_ACTIVITY = re.compile(r"application/(activity\+json|ld\+json)")


class RemoteError(Exception):
    """Another server could not be reached, refused us or answered nonsense."""


@dataclass(frozen=True)
class Signer:
    """Our key, as the deliveries sign with it."""

    key_id: str
    private_key: str


@dataclass(frozen=True)
class RemoteActor:
    """What we keep of another server's actor: who it is, its key and its inboxes."""

    id: str
    key_id: str
    public_key: str
    inbox: str
    shared_inbox: str


def wants_activity_json(request) -> bool:
    """Whether the request asks for an ActivityPub document rather than a page."""
    return bool(_ACCEPTS_ACTIVITY.search(request.headers.get("Accept", "")))


def site_url(path: str) -> str:
    return settings.TOWNHALL_SITE_URL.rstrip("/") + path


def site_host() -> str:
    return settings.TOWNHALL_SITE_URL.split("://", 1)[-1].split("/", 1)[0]


def _english(name: str, *args: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return site_url(reverse(name, args=args))


def actor_url() -> str:
    return _english("news:update_list")


def key_id() -> str:
    return actor_url() + "#main-key"


def note_url(update) -> str:
    return _english("news:update_detail", update.slug)


def collection_url(name: str) -> str:
    return _english(f"activitypub:{name}")


def actor_document(*, handle: str, public_key: str) -> dict:
    """The council's actor: an Organization whose posts are its published updates."""
    site = site_settings()
    document = {
        "@context": CONTEXT,
        "id": actor_url(),
        "type": "Organization",
        "preferredUsername": handle,
        "name": site.council_name,
        "summary": f"<p>News from {site.council_name}: {actor_url()}</p>",
        "url": actor_url(),
        "inbox": collection_url("inbox"),
        "outbox": collection_url("outbox"),
        "followers": collection_url("followers"),
        "manuallyApprovesFollowers": False,
        "discoverable": True,
        "publicKey": {"id": key_id(), "owner": actor_url(), "publicKeyPem": public_key},
    }
    if site.logo:
        document["icon"] = {"type": "Image", "url": site_url(site.logo.url)}
    return document


def webfinger_document(handle: str) -> dict:
    return {
        "subject": f"acct:{handle}@{site_host()}",
        "aliases": [actor_url()],
        "links": [
            {"rel": "self", "type": ACTIVITY_JSON, "href": actor_url()},
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": actor_url(),
            },
        ],
    }


def _hashtag(service) -> dict:
    words = re.findall(r"[^\W_]+", service.name_en_gb or service.name)
    with translation.override(settings.LANGUAGE_CODE):
        href = site_url(reverse("news:update_list")) + f"?service={service.slug}"
    return {
        "type": "Hashtag",
        "name": "#" + "".join(w[:1].upper() + w[1:] for w in words),
        "href": href,
    }


def _content(title: str, summary: str, link: str, tags: list[dict]) -> str:
    hashtags = " ".join(
        f'<a href="{escape(tag["href"])}" class="mention hashtag" rel="tag">{escape(tag["name"])}</a>'
        for tag in tags
    )
    paragraphs = [
        f"<p><strong>{escape(title)}</strong></p>",
        f"<p>{escape(summary)}</p>",
        f'<p><a href="{escape(link)}">{escape(link)}</a></p>',
    ]
    if hashtags:
        paragraphs.append(f"<p>{hashtags}</p>")
    return "".join(paragraphs)


def note(update) -> dict:
    """The update as a Note: English content, Welsh too in contentMap when written, a
    link to its page and a hashtag for each of its services."""
    link = note_url(update)
    tags = [_hashtag(service) for service in update.services.all()]
    english = _content(update.title_en_gb, update.summary_en_gb, link, tags)
    content_map = {"en": english}
    if update.title_cy and update.summary_cy:
        with translation.override("cy"):
            welsh_link = site_url(reverse("news:update_detail", args=[update.slug]))
        content_map["cy"] = _content(update.title_cy, update.summary_cy, welsh_link, tags)
    document = {
        "id": link,
        "type": "Note",
        "attributedTo": actor_url(),
        "url": link,
        "published": update.published_at.isoformat(),
        "to": [PUBLIC],
        "cc": [collection_url("followers")],
        "content": english,
        "contentMap": content_map,
        "tag": tags,
    }
    return document


def tombstone(update) -> dict:
    return {"@context": CONTEXT, "id": note_url(update), "type": "Tombstone"}


def activity(kind: str, update) -> dict:
    """A Create, Update or Delete of the update's note, addressed to the public and our
    followers. Each Update has its own id (its moment), as servers drop repeated ids."""
    obj = {"id": note_url(update), "type": "Tombstone"} if kind == "Delete" else note(update)
    if kind == "Update":
        # Only an edit says when it was edited: Mastodon marks a note with `updated` as
        # edited, and saving the publish itself moves updated_at.
        obj["updated"] = update.updated_at.isoformat()
    suffix = {"Create": "create", "Delete": "delete"}.get(kind)
    suffix = suffix or f"update-{int(update.updated_at.timestamp() * 1_000_000)}"
    return {
        "@context": CONTEXT,
        "id": f"{note_url(update)}#{suffix}",
        "type": kind,
        "actor": actor_url(),
        "published": (update.published_at if kind == "Create" else update.updated_at).isoformat(),
        "to": [PUBLIC],
        "cc": [collection_url("followers")],
        "object": obj,
    }


def accept(follow: dict, accept_id: str) -> dict:
    return {
        "@context": CONTEXT,
        "id": f"{actor_url()}#accepts/{accept_id}",
        "type": "Accept",
        "actor": actor_url(),
        "object": follow,
    }


def outbox(*, total: int) -> dict:
    return {
        "@context": CONTEXT,
        "id": collection_url("outbox"),
        "type": "OrderedCollection",
        "totalItems": total,
        "first": collection_url("outbox") + "?page=1",
    }


def outbox_page(page) -> dict:
    """One page (a django Paginator page of updates) of Create activities, newest first."""
    base = collection_url("outbox")
    document = {
        "@context": CONTEXT,
        "id": f"{base}?page={page.number}",
        "type": "OrderedCollectionPage",
        "partOf": base,
        "orderedItems": [activity("Create", update) for update in page.object_list],
    }
    if page.has_next():
        document["next"] = f"{base}?page={page.next_page_number()}"
    if page.has_previous():
        document["prev"] = f"{base}?page={page.previous_page_number()}"
    return document


def followers(*, total: int) -> dict:
    """The followers collection: how many, not who (their accounts are theirs to show)."""
    return {
        "@context": CONTEXT,
        "id": collection_url("followers"),
        "type": "OrderedCollection",
        "totalItems": total,
    }


# Talking to other servers -------------------------------------------------------------------


def _guard() -> outbound.Guard:
    """Only public https addresses, no redirects, small answers: an inbox or key address
    comes from whoever POSTs to us, so it must not reach the council's own network. The
    setting TOWNHALL_ACTIVITYPUB_ALLOW_LOCAL (tests only) lets plain http and local
    addresses by."""
    local = bool(getattr(settings, "TOWNHALL_ACTIVITYPUB_ALLOW_LOCAL", False))
    return outbound.Guard(
        schemes=("https", "http") if local else ("https",),
        allow_private=local,
        follow_redirects=False,
        timeout=TIMEOUT_SECONDS,
        max_bytes=MAX_DOCUMENT_BYTES,
    )


def remote_actor(
    key_id: str, *, signer: Signer | None, fresh: bool = False
) -> tuple[RemoteActor, bool]:
    """The actor that owns `key_id`, fetched from its server (signed, as servers in
    authorised-fetch mode insist) and kept for an hour; and whether it came from that
    cache. Raises RemoteError."""
    cache_key = "townhall:news:ap-key:" + hashlib.sha256(key_id.encode()).hexdigest()
    cached = None if fresh else cache.get(cache_key)
    if cached is not None:
        return RemoteActor(**cached), True
    document = fetch(key_id.split("#", 1)[0], signer=signer)
    if document.get("type") not in (None, "Key") and "inbox" in document:
        owner = document
    else:
        owner = fetch(str(document.get("owner", "")), signer=signer)
    key = owner.get("publicKey") or document.get("publicKey") or document
    try:
        found = RemoteActor(
            id=str(owner["id"]),
            key_id=str(key["id"]),
            public_key=str(key["publicKeyPem"]),
            inbox=str(owner["inbox"]),
            shared_inbox=str((owner.get("endpoints") or {}).get("sharedInbox") or ""),
        )
    except (KeyError, TypeError) as error:
        raise RemoteError(f"The actor document has no {error}") from None
    if found.key_id != key_id:
        raise RemoteError("The actor document does not hold the key that signed.")
    cache.set(cache_key, asdict(found), KEY_CACHE_SECONDS)
    return found, False


def fetch(url: str, *, signer: Signer | None) -> dict:
    """GET an ActivityPub document. Raises RemoteError."""
    headers = {"Accept": ACTIVITY_JSON}
    if signer is not None:
        headers |= sign(
            method="GET", url=url, body=None, key_id=signer.key_id, private_key=signer.private_key
        )
    try:
        document = json.loads(outbound.request(url, guard=_guard(), headers=headers).body)
    except (outbound.FetchError, ValueError) as error:
        raise RemoteError(f"{url[:200]}: {error}") from None
    if not isinstance(document, dict):
        raise RemoteError(f"{url[:200]}: not an ActivityPub document")
    return document


def deliver(inbox: str, document: dict, *, signer: Signer) -> None:
    """POST `document` to `inbox`, signed. Raises RemoteError unless it is taken."""
    body = json.dumps(document).encode()
    headers = {"Content-Type": ACTIVITY_JSON, "Accept": ACTIVITY_JSON}
    headers |= sign(
        method="POST", url=inbox, body=body, key_id=signer.key_id, private_key=signer.private_key
    )
    try:
        outbound.request(inbox, guard=_guard(), method="POST", headers=headers, body=body)
    except outbound.FetchError as error:
        raise RemoteError(f"{inbox[:200]}: {error}") from None
