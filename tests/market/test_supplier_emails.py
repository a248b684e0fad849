"""Suppliers follow new challenges by capability through core's subscriptions: when a
challenge is published each matching follower is emailed once, in their language, with a
one-click unsubscribe; the landing page, the supplier's page and the Atom feed link to it."""

from urllib.parse import urlparse

import pytest
from django.core import mail

from tests.market.factories import ChallengeFactory, SupplierFactory
from townhall.core.models import Subscription
from townhall.market import services
from townhall.market.models import Challenge

pytestmark = pytest.mark.django_db
KIND = "market_challenges"


@pytest.fixture
def publish(officer, django_capture_on_commit_callbacks):
    def run(**fields):
        draft = ChallengeFactory(status=Challenge.Status.DRAFT, published_at=None, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            services.challenge_publish(actor=officer, challenge=draft)
        return draft

    return run


def test_a_supplier_follows_its_own_capabilities(supplier):
    supplier.capabilities = ["data", "waste"]
    supplier.save()
    services.challenge_alerts_follow(actor=supplier.account)
    followed = Subscription.objects.filter(person=supplier.account, kind=KIND)
    assert sorted(followed.values_list("key", flat=True)) == ["data", "waste"]


def test_only_matching_suppliers_are_emailed_and_each_once(supplier, rival, publish):
    supplier.capabilities = ["data", "waste"]
    supplier.save()
    services.challenge_alerts_follow(actor=supplier.account)
    services.challenge_alerts_follow(actor=rival.account)  # rival does "data" only
    SupplierFactory(capabilities=["waste"])  # matches, but never asked for emails
    challenge = publish(title="Missed bins", capabilities=["waste", "digital"])
    assert [message.to for message in mail.outbox] == [[supplier.account.email]]
    message = mail.outbox[0]
    assert "Missed bins" in message.subject
    assert f"/market/challenges/{challenge.slug}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_editing_a_published_challenge_emails_no_one_again(officer, supplier, publish):
    supplier.capabilities = ["waste"]
    supplier.save()
    services.challenge_alerts_follow(actor=supplier.account)
    challenge = publish(capabilities=["waste"])
    services.challenge_close(actor=officer, challenge=challenge)
    assert len(mail.outbox) == 1


def test_a_welsh_speaking_supplier_is_emailed_in_welsh(supplier, publish):
    supplier.account.preferred_language = "cy"
    supplier.account.save()
    supplier.capabilities = ["waste"]
    supplier.save()
    services.challenge_alerts_follow(actor=supplier.account)
    publish(title="Missed bins", title_cy="Biniau a gollwyd", capabilities=["waste"])
    assert "Biniau a gollwyd" in mail.outbox[0].subject
    assert "/cy/market/challenges/" in mail.outbox[0].body


def test_someone_without_an_account_follows_a_capability_by_email(
    client, publish, django_capture_on_commit_callbacks
):
    page = client.get("/market/emails/").text
    assert f"/follow/{KIND}/waste/" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/follow/{KIND}/waste/", {"email": "bids@example.org"})
    Subscription.objects.filter(email="bids@example.org").update(confirmed_at="2026-12-01T00:00Z")
    mail.outbox.clear()
    publish(capabilities=["waste"])
    assert [message.to for message in mail.outbox] == [["bids@example.org"]]


def test_one_click_unsubscribe_stops_the_emails(client, supplier, publish):
    supplier.capabilities = ["waste"]
    supplier.save()
    services.challenge_alerts_follow(actor=supplier.account)
    publish(capabilities=["waste"])
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    assert client.post(urlparse(link).path).status_code == 200
    assert not Subscription.objects.filter(person=supplier.account, kind=KIND).exists()
    mail.outbox.clear()
    publish(capabilities=["waste"])
    assert mail.outbox == []


def test_changing_capabilities_changes_what_a_following_supplier_hears_about(supplier):
    supplier.capabilities = ["waste"]
    supplier.save()
    services.challenge_alerts_follow(actor=supplier.account)
    services.supplier_edit(
        actor=supplier.account,
        supplier=supplier,
        name=supplier.name,
        sme=True,
        voluntary_sector=False,
        capabilities=["data"],
        areas_served=[],
    )
    assert list(Subscription.objects.filter(kind=KIND).values_list("key", flat=True)) == ["data"]


def test_a_supplier_with_no_capabilities_is_asked_for_them(supplier):
    supplier.capabilities = []
    supplier.save()
    with pytest.raises(services.SupplierInvalid, match="capabilities first"):
        services.challenge_alerts_follow(actor=supplier.account)


def test_a_supplier_follows_and_stops_from_the_emails_page(client, supplier):
    client.force_login(supplier.account)
    assert client.post("/market/emails/", {"emails": "follow"}).status_code == 302
    assert Subscription.objects.filter(person=supplier.account, kind=KIND).count() == 1
    assert "Stop emails about new challenges" in client.get("/market/emails/").text
    client.post("/market/emails/", {"emails": "stop"})
    assert not Subscription.objects.filter(person=supplier.account, kind=KIND).exists()


def test_the_landing_page_supplier_page_and_feed_link_to_the_emails(client, supplier):
    assert 'href="/market/emails/"' in client.get("/market/").text
    feed = client.get("/market/opportunities.atom").text
    assert 'rel="related"' in feed and "/market/emails/" in feed
    client.force_login(supplier.account)
    assert 'href="/market/emails/"' in client.get("/market/your-organisation/").text


def test_a_supplier_download_lists_what_it_follows(supplier):
    from townhall.core.selectors.subscriptions import subscriptions_export

    services.challenge_alerts_follow(actor=supplier.account)
    exported = subscriptions_export(Subscription.objects.filter(person=supplier.account))
    assert exported[0]["title"] == "New challenges for suppliers: Data, analytics and research"


def test_the_emails_page_is_in_welsh_at_cy(client):
    page = client.get("/cy/market/emails/").text
    assert "Cael negeseuon e-bost am heriau newydd" in page
    assert f"/cy/follow/{KIND}/waste/" in page
