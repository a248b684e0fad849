"""The council as a fediverse actor: WebFinger, the actor, outbox, notes, inbox, delivery.

Another server is played by a small HTTP server on this machine ("the remote"). It signs
what it sends and checks what it receives with its own implementation of the
draft-cavage HTTP Signatures Mastodon uses (below, written apart from ours on purpose),
so our signing and our checking are each tested against something that is not themselves.
"""

import base64
import hashlib
import json
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.cache import cache
from django.urls import reverse

from tests.news.factories import ServiceFactory, UpdateFactory
from townhall.core.audit import acting_as
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.news import credentials, services, views
from townhall.news.models import Delivery, FediverseActor, Follower, Update

ACTIVITY = "application/activity+json"
INBOX = "/news/activitypub/inbox"
ACTOR = "http://localhost:8000/news/"


def _key_pem(key) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


class Remote(BaseHTTPRequestHandler):
    """A fediverse server with one account, alice: serves her actor document, and takes
    POSTs to her inbox and the shared inbox only when Mastodon's checks pass."""

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    our_key = ""  # The council's public key, as the remote would fetch it.
    base = ""
    down = False
    received: list[dict] = []
    fetched: list[str] = []

    def do_GET(self):
        Remote.fetched.append(self.path)
        if self.path != "/users/alice":
            return self._answer(404, {})
        return self._answer(
            200,
            {
                "@context": ["https://www.w3.org/ns/activitystreams"],
                "id": f"{Remote.base}/users/alice",
                "type": "Person",
                "inbox": f"{Remote.base}/users/alice/inbox",
                "endpoints": {"sharedInbox": f"{Remote.base}/inbox"},
                "publicKey": {
                    "id": f"{Remote.base}/users/alice#main-key",
                    "owner": f"{Remote.base}/users/alice",
                    "publicKeyPem": _key_pem(Remote.key),
                },
            },
        )

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"] or 0))
        if Remote.down:
            return self._answer(503, {"error": "down"})
        problem = mastodon_check(
            "post", self.path, self.headers, body, Remote.our_key, key_id=ACTOR + "#main-key"
        )
        if problem:
            return self._answer(401, {"error": problem})
        Remote.received.append({"path": self.path, "activity": json.loads(body)})
        self._answer(202, {})

    def _answer(self, status, document):
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", ACTIVITY)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def mastodon_check(method, path, headers, body, public_pem, *, key_id) -> str:
    """What Mastodon's SignatureVerification checks, or "" when the request passes."""
    fields = dict(
        part.split("=", 1) for part in (headers.get("Signature") or "").split(",") if "=" in part
    )
    fields = {name.strip(): value.strip().strip('"') for name, value in fields.items()}
    if fields.get("keyId") != key_id:
        return "unknown key"
    names = fields.get("headers", "").split()
    if not {"(request-target)", "host", "date", "digest"} <= set(names):
        return "headers not signed"
    expected = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
    if headers.get("Digest") != expected:
        return "digest mismatch"
    if abs(datetime.now(UTC) - parsedate_to_datetime(headers.get("Date"))) > timedelta(hours=1):
        return "stale date"
    lines = [
        f"(request-target): {method} {path}" if n == "(request-target)" else f"{n}: {headers[n]}"
        for n in names
    ]
    try:
        serialization.load_pem_public_key(public_pem.encode()).verify(
            base64.b64decode(fields["signature"]),
            "\n".join(lines).encode(),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except Exception:
        return "bad signature"
    return ""


def remote_signed(activity, *, key=None, date=None, body=None, headers=None, key_id="") -> dict:
    """Headers for a POST of `activity` to our inbox signed as alice (or with `key`)."""
    sent = json.dumps(activity).encode()
    values = {
        "host": "testserver",
        "date": format_datetime(date or datetime.now(UTC), usegmt=True),
        "digest": "SHA-256=" + base64.b64encode(hashlib.sha256(sent).digest()).decode(),
    }
    names = headers or ["(request-target)", "host", "date", "digest"]
    text = "\n".join(
        f"(request-target): post {INBOX}" if n == "(request-target)" else f"{n}: {values[n]}"
        for n in names
    )
    signature = (key or Remote.key).sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    values["signature"] = (
        f'keyId="{key_id or Remote.base + "/users/alice#main-key"}",algorithm="rsa-sha256",'
        f'headers="{" ".join(names)}",signature="{base64.b64encode(signature).decode()}"'
    )
    return {"body": body if body is not None else sent, "headers": values}


@pytest.fixture
def remote(settings, db):
    settings.TOWNHALL_ACTIVITYPUB_ALLOW_LOCAL = True
    cache.clear()
    Remote.down, Remote.received, Remote.fetched = False, [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Remote)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Remote.base = f"http://127.0.0.1:{server.server_address[1]}"
    Remote.our_key = services.fediverse_account().public_key
    yield Remote
    server.shutdown()


def _follow_activity():
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": f"{Remote.base}/follows/1",
        "type": "Follow",
        "actor": f"{Remote.base}/users/alice",
        "object": ACTOR,
    }


def _post(client, signed):
    return client.post(INBOX, data=signed["body"], content_type=ACTIVITY, headers=signed["headers"])


def _follow(client, capture):
    with capture(execute=True):
        return _post(client, remote_signed(_follow_activity()))


# Finding the council -----------------------------------------------------------------------


def test_webfinger_finds_the_council_by_its_handle(client, db):
    response = client.get("/.well-known/webfinger", {"resource": "acct:council@localhost:8000"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jrd+json"
    document = response.json()
    assert document["subject"] == "acct:council@localhost:8000"
    assert {"rel": "self", "type": ACTIVITY, "href": ACTOR} in document["links"]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({}, 400, "resource_missing"),
        ({"resource": "council"}, 400, "resource_invalid"),
        ({"resource": "acct:mayor@localhost:8000"}, 404, "resource_unknown"),
        ({"resource": "acct:council@elsewhere.example"}, 404, "resource_unknown"),
    ],
)
def test_webfinger_refuses_other_resources_with_a_clear_error(client, db, query, status, code):
    response = client.get("/.well-known/webfinger", query)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_the_actor_is_a_document_for_servers_and_the_news_page_for_browsers(client, db):
    response = client.get("/news/", headers={"Accept": ACTIVITY})
    assert response["Content-Type"] == ACTIVITY
    assert "Accept" in response["Vary"]
    actor = response.json()
    assert actor["id"] == ACTOR and actor["type"] == "Organization"
    assert actor["preferredUsername"] == "council" and actor["name"]
    assert actor["inbox"] == "http://localhost:8000" + INBOX
    assert actor["outbox"].endswith("/news/activitypub/outbox")
    assert actor["followers"].endswith("/news/activitypub/followers")
    assert actor["publicKey"]["id"] == ACTOR + "#main-key"
    assert actor["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    page = client.get("/news/", headers={"Accept": "text/html"})
    assert page["Content-Type"].startswith("text/html")


def test_the_keypair_is_made_once_and_the_private_key_is_stored_encrypted(db):
    first = services.fediverse_account()
    again = services.fediverse_account()
    assert FediverseActor.objects.count() == 1 and first.public_key == again.public_key
    assert "PRIVATE KEY" not in first.private_key
    assert credentials.decrypt(first.private_key).startswith("-----BEGIN PRIVATE KEY-----")


# What the council publishes ----------------------------------------------------------------


def test_the_outbox_pages_create_notes_newest_first_with_welsh_and_hashtags(
    client, db, monkeypatch
):
    monkeypatch.setattr(views, "OUTBOX_PAGE_SIZE", 1)
    bins = ServiceFactory(slug="bins", name_en_gb="Bin collections")
    older = UpdateFactory(title_en_gb="Older")
    newer = UpdateFactory(
        title_en_gb="Bins on Monday",
        title_cy="Biniau ddydd Llun",
        summary_cy="Newid diwrnod.",
        services=[bins],
        published_at=older.published_at + timedelta(hours=1),
    )
    UpdateFactory(draft=True)
    collection = client.get("/news/activitypub/outbox").json()
    assert (collection["type"], collection["totalItems"]) == ("OrderedCollection", 2)
    page = client.get(collection["first"].removeprefix("http://localhost:8000")).json()
    [create] = page["orderedItems"]
    note = create["object"]
    assert create["type"] == "Create" and note["type"] == "Note"
    assert note["id"] == f"http://localhost:8000/news/{newer.slug}/"
    assert "Bins on Monday" in note["content"]
    assert "Biniau ddydd Llun" in note["contentMap"]["cy"]
    assert note["tag"][0]["name"] == "#BinCollections"
    assert page["next"].endswith("?page=2")


def test_each_note_resolves_at_its_id_and_an_archived_one_is_gone(client, db):
    update = UpdateFactory(title_en_gb="Library hours")
    response = client.get(f"/news/{update.slug}/", headers={"Accept": ACTIVITY})
    assert response.json()["type"] == "Note" and "Library hours" in response.json()["content"]
    update.state = Update.State.ARCHIVED
    update.save()
    gone = client.get(f"/news/{update.slug}/", headers={"Accept": ACTIVITY})
    assert (gone.status_code, gone.json()["type"]) == (410, "Tombstone")


# The inbox ---------------------------------------------------------------------------------


def test_a_follow_is_recorded_and_answered_with_a_signed_accept(
    client, remote, django_capture_on_commit_callbacks
):
    response = _follow(client, django_capture_on_commit_callbacks)
    assert response.status_code == 202
    follower = Follower.objects.get()
    assert follower.actor_url == f"{remote.base}/users/alice"
    assert follower.shared_inbox == f"{remote.base}/inbox"
    [accepted] = remote.received
    assert accepted["path"] == "/users/alice/inbox"
    assert accepted["activity"]["type"] == "Accept"
    assert accepted["activity"]["object"]["id"] == f"{remote.base}/follows/1"
    assert Delivery.objects.get(kind="Accept").status == Delivery.Status.DELIVERED


def test_undoing_a_follow_forgets_the_follower(client, remote, django_capture_on_commit_callbacks):
    _follow(client, django_capture_on_commit_callbacks)
    undo = {"type": "Undo", "actor": f"{remote.base}/users/alice", "object": _follow_activity()}
    assert _post(client, remote_signed(undo)).status_code == 202
    assert not Follower.objects.exists()


def test_a_senders_key_is_fetched_once_and_kept(client, remote, django_capture_on_commit_callbacks):
    _follow(client, django_capture_on_commit_callbacks)
    _follow(client, django_capture_on_commit_callbacks)
    assert remote.fetched == ["/users/alice"]


@pytest.mark.parametrize(
    ("signing", "code"),
    [
        ("unsigned", "signature_missing"),
        ("another key", "signature_invalid"),
        ("digest mismatch", "digest_mismatch"),
        ("old date", "date_out_of_range"),
        ("no digest signed", "signature_headers"),
    ],
)
def test_the_inbox_refuses_what_is_unsigned_or_badly_signed(client, remote, signing, code):
    activity = _follow_activity()
    signed = {
        "unsigned": lambda: {"body": json.dumps(activity).encode(), "headers": {}},
        "another key": lambda: remote_signed(
            activity, key=rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ),
        "digest mismatch": lambda: remote_signed(activity, body=b'{"type": "Follow"}'),
        "old date": lambda: remote_signed(activity, date=datetime.now(UTC) - timedelta(hours=1)),
        "no digest signed": lambda: remote_signed(
            activity, headers=["(request-target)", "host", "date"]
        ),
    }[signing]()
    response = _post(client, signed)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert not Follower.objects.exists() and not Delivery.objects.exists()


def test_the_inbox_refuses_an_activity_signed_by_someone_else(client, remote):
    activity = {**_follow_activity(), "actor": "https://elsewhere.example/users/mallory"}
    response = _post(client, remote_signed(activity))
    assert (response.status_code, response.json()["error"]["code"]) == (401, "actor_mismatch")
    assert not Follower.objects.exists()


@pytest.mark.parametrize(
    "key_id",
    [
        "http://social.example/users/alice#main-key",
        "https://127.0.0.1/users/alice#main-key",
        "https://[::ffff:10.0.0.1]/users/alice#main-key",
    ],
)
def test_the_inbox_fetches_no_key_from_plain_http_or_a_private_address(
    client, db, settings, key_id
):
    settings.TOWNHALL_ACTIVITYPUB_ALLOW_LOCAL = False
    response = _post(client, remote_signed({"type": "Follow"}, key_id=key_id))
    assert (response.status_code, response.json()["error"]["code"]) == (401, "key_unavailable")
    assert not Follower.objects.exists()


def test_the_followers_collection_counts_but_does_not_list(
    client, remote, django_capture_on_commit_callbacks
):
    _follow(client, django_capture_on_commit_callbacks)
    collection = client.get("/news/activitypub/followers").json()
    assert collection["totalItems"] == 1
    assert "orderedItems" not in collection and "first" not in collection


# Delivery ----------------------------------------------------------------------------------


def _publish(editor, capture, **fields):
    update = services.update_create(
        actor=editor, title_en="Road closed", summary_en="Mill Lane.", body_en="Details.", **fields
    )
    with capture(execute=True):
        return services.update_publish(actor=editor, update=update)


def test_publishing_delivers_a_signed_create_once_to_each_server(
    client, remote, editor, django_capture_on_commit_callbacks
):
    _follow(client, django_capture_on_commit_callbacks)
    # A second account on the same server shares its inbox: the server gets one copy.
    Follower.objects.create(
        actor_url=f"{remote.base}/users/bob",
        inbox=f"{remote.base}/users/bob/inbox",
        shared_inbox=f"{remote.base}/inbox",
    )
    remote.received.clear()
    update = _publish(editor, django_capture_on_commit_callbacks)
    [created] = remote.received
    assert created["path"] == "/inbox"
    assert created["activity"]["type"] == "Create"
    assert created["activity"]["object"]["id"] == f"http://localhost:8000/news/{update.slug}/"
    assert Delivery.objects.get(update=update).status == Delivery.Status.DELIVERED


def test_an_edit_sends_update_and_archiving_sends_delete(
    client, remote, editor, django_capture_on_commit_callbacks
):
    _follow(client, django_capture_on_commit_callbacks)
    update = _publish(editor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_edit(
            actor=editor, update=update, title_en="Road open", summary_en="Mill Lane.", body_en="."
        )
        services.update_archive(actor=editor, update=update)
    kinds = [item["activity"]["type"] for item in remote.received]
    assert kinds == ["Accept", "Create", "Update", "Delete"]
    assert "updated" not in remote.received[1]["activity"]["object"]
    assert "Road open" in remote.received[2]["activity"]["object"]["content"]
    assert remote.received[2]["activity"]["object"]["updated"]
    assert remote.received[3]["activity"]["object"]["type"] == "Tombstone"


def test_a_server_that_is_down_fails_its_delivery_and_the_update_stays_published(
    client, remote, editor, django_capture_on_commit_callbacks
):
    _follow(client, django_capture_on_commit_callbacks)
    remote.down = True
    update = _publish(editor, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(update=update)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 5)
    assert "503" in delivery.error
    assert Update.objects.get(pk=update.pk).state == Update.State.PUBLISHED


def test_publishing_with_no_followers_delivers_nothing(editor, django_capture_on_commit_callbacks):
    _publish(editor, django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists()


# Staff -------------------------------------------------------------------------------------


def test_editors_see_the_follower_count_and_each_deliverys_status_and_retry_a_failed_one(
    client, remote, editor, django_capture_on_commit_callbacks
):
    _follow(client, django_capture_on_commit_callbacks)
    remote.down = True
    update = _publish(editor, django_capture_on_commit_callbacks)
    client.force_login(editor)
    page = client.get(reverse("news:manage_edit", args=[update.public_id])).text
    assert "1 account in the fediverse follows" in page
    assert f"{remote.base}/inbox" in page and "Failed" in page
    welsh = client.get("/cy" + reverse("news:manage_edit", args=[update.public_id])).text
    assert "Mae 1 cyfrif yn y ffedyfers yn dilyn newyddion y cyngor." in welsh
    remote.down = False
    delivery = Delivery.objects.get(update=update)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("news:delivery_retry", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED


def test_an_administrator_sets_the_handle_and_it_is_audited(client, person):
    administrator = person("administrator", is_staff=True)
    client.force_login(administrator)
    response = client.post(reverse("news:manage_fediverse"), {"handle": "@Northbridge_News"})
    assert response.status_code == 302
    assert FediverseActor.objects.get().handle == "northbridge_news"
    entry = AuditEntry.objects.get(action="news.fediverse_handle_set")
    assert (entry.before, entry.after) == ({"handle": "council"}, {"handle": "northbridge_news"})
    assert all("PRIVATE" not in json.dumps(e.after) for e in AuditEntry.objects.all())
    found = client.get(
        "/.well-known/webfinger", {"resource": "acct:northbridge_news@localhost:8000"}
    )
    assert found.status_code == 200
    page = client.get(reverse("news:manage_fediverse")).text
    assert "@northbridge_news@localhost:8000" in page


def test_a_handle_that_is_not_a_handle_is_refused_and_nothing_changes(person):
    administrator = person("administrator", is_staff=True)
    with acting_as(administrator), pytest.raises(services.HandleInvalid):
        services.fediverse_handle_set(actor=administrator, handle="the council!")
    assert services.fediverse_account().handle == "council"


def test_only_administrators_set_the_handle(client, editor):
    with pytest.raises(PermissionDenied):
        services.fediverse_handle_set(actor=editor, handle="news")
    client.force_login(editor)
    assert client.get(reverse("news:manage_fediverse")).status_code == 403
