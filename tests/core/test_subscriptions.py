"""Following by email, in core: anyone may follow a public thing with an email address
alone (confirmed by a link), every email to a follower carries RFC 8058 one-click
unsubscribe, and digests are written in each follower's language."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tests.core.test_notify import FakeNotify, _backend, notify_server  # noqa: F401
from tests.participation.factories import ConsultationFactory
from townhall.core.models import PendingNotification, Subscription
from townhall.core.services import subscriptions
from townhall.core.services.subscriptions import (
    notification_preference_set,
    send_digests,
    subscription_create,
    subscriptions_purge_unconfirmed,
)
from townhall.participation import services as participation

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


def _follow_url(consultation):
    return reverse("core:follow", args=["consultation", consultation.pk])


def _ask_by_email(client, consultation, capture, email="ann@example.org"):
    with capture(execute=True):
        return client.post(_follow_url(consultation), {"email": email})


def _path(link: str) -> str:
    return urlsplit(link).path


def _confirmation_path() -> str:
    return _path(LINK.search(mail.outbox[-1].body).group())


def _close(consultation, capture):
    with capture(execute=True):
        participation.consultation_close(actor=consultation.author, consultation=consultation)


class _Clock:
    """Django's signing reads time.time(); this one runs `offset` seconds away."""

    def __init__(self, offset: float) -> None:
        self.offset = offset

    def time(self) -> float:
        import time

        return time.time() + self.offset


def test_a_resident_follows_by_email_alone_and_unsubscribes_in_one_click(
    client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(title="Library hours")
    page = client.get(reverse("participation:consultation_detail", args=[consultation.slug]))
    assert "Get emails about this consultation" in page.text

    answer = _ask_by_email(client, consultation, django_capture_on_commit_callbacks)
    assert "Check your email" in answer.text
    assert [message.to for message in mail.outbox] == [["ann@example.org"]]
    assert "Library hours" in mail.outbox[0].subject
    assert not Subscription.objects.get().confirmed_at

    confirmed = client.post(_confirmation_path())
    assert "You will get emails about this" in confirmed.text
    assert Subscription.objects.get().confirmed_at

    _close(consultation, django_capture_on_commit_callbacks)
    update = mail.outbox[-1]
    assert update.to == ["ann@example.org"]
    sent = update.message()
    link = sent["List-Unsubscribe"].strip("<>")
    assert sent["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in update.body

    one_click = Client(enforce_csrf_checks=True).post(
        _path(link), {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status_code == 200
    assert "You will get no more of these emails" in one_click.text
    assert not Subscription.objects.exists()


def test_one_click_unsubscribe_twice_says_it_is_already_done(
    resident, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory()
    participation.consultation_follow(actor=resident, consultation=consultation)
    _close(consultation, django_capture_on_commit_callbacks)
    path = _path(mail.outbox[0].message()["List-Unsubscribe"].strip("<>"))
    robot = Client(enforce_csrf_checks=True)

    robot.post(path, {"List-Unsubscribe": "One-Click"})
    again = robot.post(path, {"List-Unsubscribe": "One-Click"})

    assert again.status_code == 200
    assert "You have already stopped these emails" in again.text
    assert not Subscription.objects.exists()


def test_the_unsubscribe_link_opened_in_a_browser_asks_before_changing_anything(
    resident, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(title="Parks")
    participation.consultation_follow(actor=resident, consultation=consultation)
    _close(consultation, django_capture_on_commit_callbacks)
    path = _path(mail.outbox[0].message()["List-Unsubscribe"].strip("<>"))

    page = Client().get(path)

    assert "Stop these emails" in page.text
    assert "Parks" in page.text
    assert Subscription.objects.count() == 1


def test_a_tampered_unsubscribe_link_says_it_is_not_valid_and_changes_nothing(
    resident, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory()
    participation.consultation_follow(actor=resident, consultation=consultation)
    _close(consultation, django_capture_on_commit_callbacks)
    path = _path(mail.outbox[0].message()["List-Unsubscribe"].strip("<>"))
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged_token = signing.dumps(["someone-elses-token"], salt="another salt")
    for tampered in (token[:-3] + "xyz", forged_token):
        url = reverse("core:unsubscribe", args=[tampered])
        for answer in (Client().get(url), Client(enforce_csrf_checks=True).post(url)):
            assert answer.status_code == 400
            assert "This link is not valid" in answer.text
    assert Subscription.objects.count() == 1


def test_a_signed_in_person_follows_at_once_without_a_confirmation_email(
    client, resident, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory()
    client.force_login(resident)
    assert resident.email in client.get(_follow_url(consultation)).text

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(_follow_url(consultation))

    assert answer.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.person == resident and subscription.confirmed_at
    assert mail.outbox == []


def test_a_welsh_follower_gets_the_daily_digest_in_welsh(
    person, django_capture_on_commit_callbacks
):
    reader = person("resident", preferred_language="cy")
    consultation = ConsultationFactory(title="Oriau'r llyfrgell")
    notification_preference_set(actor=reader, frequency="daily")
    participation.consultation_follow(actor=reader, consultation=consultation)

    with translation.override("en-gb"):
        _close(consultation, django_capture_on_commit_callbacks)
        assert mail.outbox == []
        assert send_digests.enqueue("daily").return_value == 1

    digest = mail.outbox[0]
    assert digest.to == [reader.email]
    assert digest.subject == "Diweddariadau am yr hyn rydych chi'n ei ddilyn"
    assert "Oriau'r llyfrgell" in digest.body
    assert "I roi'r gorau i'r e-byst hyn" in digest.body
    assert _path(digest.message()["List-Unsubscribe"].strip("<>")).startswith("/cy/")
    assert not PendingNotification.objects.exists()


def test_an_address_given_on_a_welsh_page_is_written_to_in_welsh(
    client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(title="Parciau")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cy{_follow_url(consultation)}", {"email": "ann@example.org"})

    assert mail.outbox[0].subject == "Cadarnhewch eich bod eisiau e-byst am “Parciau”"
    assert _confirmation_path().startswith("/cy/")
    client.post(_confirmation_path())
    _close(consultation, django_capture_on_commit_callbacks)
    assert mail.outbox[-1].subject == "Diweddariad am rywbeth rydych chi'n ei ddilyn"


def test_opening_the_confirmation_link_asks_before_confirming_so_mail_scanners_confirm_nothing(
    client, django_capture_on_commit_callbacks
):
    _ask_by_email(client, ConsultationFactory(title="Bins"), django_capture_on_commit_callbacks)

    opened = client.get(_confirmation_path())

    assert opened.status_code == 200
    assert "Confirm you want these emails" in opened.text
    assert "Bins" in opened.text
    assert Subscription.objects.get().confirmed_at is None


def test_confirming_twice_says_already_confirmed_and_changes_nothing(
    client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory()
    _ask_by_email(client, consultation, django_capture_on_commit_callbacks)
    path = _confirmation_path()
    client.post(path)
    first = Subscription.objects.get().confirmed_at

    again = client.post(path)

    assert again.status_code == 200
    assert "You have already confirmed" in again.text
    assert Subscription.objects.get().confirmed_at == first


def test_a_stale_confirmation_link_says_it_has_expired_and_confirms_nothing(
    client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS = 7
    consultation = ConsultationFactory(title="Bins")
    monkeypatch.setattr(signing, "time", _Clock(-timedelta(days=8).total_seconds()))
    _ask_by_email(client, consultation, django_capture_on_commit_callbacks)
    monkeypatch.undo()

    path = _confirmation_path()
    assert client.get(path).status_code == 410
    answer = client.post(path)

    assert answer.status_code == 410
    assert "This link has expired" in answer.text
    assert "Bins" in answer.text
    assert Subscription.objects.get().confirmed_at is None


@pytest.mark.parametrize(
    "token",
    ["made-up", signing.dumps("a-subscription-token", salt="townhall.core.subscription.unsub")],
)
def test_a_forged_confirmation_link_says_it_is_not_valid_and_confirms_nothing(
    client, token, django_capture_on_commit_callbacks
):
    _ask_by_email(client, ConsultationFactory(), django_capture_on_commit_callbacks)

    path = reverse("core:subscription_confirm", args=[token])
    assert client.get(path).status_code == 400
    answer = client.post(path)

    assert answer.status_code == 400
    assert "This link is not valid" in answer.text
    assert Subscription.objects.get().confirmed_at is None


def test_asking_again_before_confirming_keeps_one_subscription_and_sends_a_fresh_link(
    client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory()
    _ask_by_email(client, consultation, django_capture_on_commit_callbacks)
    _ask_by_email(client, consultation, django_capture_on_commit_callbacks, email="ANN@example.org")

    assert Subscription.objects.count() == 1
    assert len(mail.outbox) == 2


def test_an_address_not_yet_confirmed_hears_nothing_of_changes(
    client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory()
    _ask_by_email(client, consultation, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    _close(consultation, django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_following_by_email_refuses_a_bad_address_and_stores_nothing(client):
    answer = client.post(_follow_url(ConsultationFactory()), {"email": "not an address"})

    assert "Enter an email address in the correct format" in answer.text
    assert not Subscription.objects.exists()


def test_a_draft_cannot_be_followed_by_email(client):
    draft = ConsultationFactory(draft=True)

    assert client.post(_follow_url(draft), {"email": "ann@example.org"}).status_code == 404
    with pytest.raises(subscriptions.NotFollowable):
        subscription_create(kind="consultation", key=draft.pk, email="ann@example.org")
    assert not Subscription.objects.exists()


def test_an_unknown_kind_cannot_be_followed(client):
    assert client.get(reverse("core:follow", args=["nothing", "1"])).status_code == 404


def test_following_by_email_is_rate_limited(client, settings):
    settings.TOWNHALL_FORM_RATE = "2/m"
    url = _follow_url(ConsultationFactory())
    for _ in range(2):
        client.post(url, {"email": "ann@example.org"})

    assert client.post(url, {"email": "ann@example.org"}).status_code == 429


def test_unsubscribing_everything_forgets_the_address(client, django_capture_on_commit_callbacks):
    first, second = ConsultationFactory(), ConsultationFactory()
    for consultation in (first, second):
        _ask_by_email(client, consultation, django_capture_on_commit_callbacks)
        client.post(_confirmation_path())
    _close(first, django_capture_on_commit_callbacks)
    path = _path(mail.outbox[-1].message()["List-Unsubscribe"].strip("<>"))

    client.post(path, {"everything": "1"})

    assert not Subscription.objects.filter(email="ann@example.org").exists()


def test_subscriptions_never_confirmed_are_deleted_after_the_retention_period(
    client, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory()
    _ask_by_email(client, consultation, django_capture_on_commit_callbacks)
    _ask_by_email(client, consultation, django_capture_on_commit_callbacks, email="bo@example.org")
    client.post(_confirmation_path())
    Subscription.objects.update(created_at=timezone.now() - timedelta(days=8))

    assert subscriptions_purge_unconfirmed(older_than_days=7) == 1

    assert list(Subscription.objects.values_list("email", flat=True)) == ["bo@example.org"]


def test_a_followers_email_sent_through_notify_carries_its_one_click_unsubscribe_link(
    resident,
    notify_server,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    consultation = ConsultationFactory()
    participation.consultation_follow(actor=resident, consultation=consultation)
    _close(consultation, django_capture_on_commit_callbacks)
    message = mail.outbox[0]

    _backend(notify_server).send_messages([message])

    sent = FakeNotify.received[0]["body"]
    assert sent["one_click_unsubscribe_url"] == message.extra_headers["List-Unsubscribe"][1:-1]


def test_an_email_without_one_click_unsubscribe_goes_to_notify_without_one(
    notify_server,  # noqa: F811
):
    from django.core.mail import EmailMessage

    _backend(notify_server).send_messages([EmailMessage("Code", "123", None, ["a@example.org"])])

    assert "one_click_unsubscribe_url" not in FakeNotify.received[0]["body"]


def test_a_person_s_download_lists_what_they_follow_and_erasure_removes_it(resident):
    from townhall.core.services.accounts import account_erase, account_export

    consultation = ConsultationFactory(title="Parks")
    participation.consultation_follow(actor=resident, consultation=consultation)

    following = account_export(user=resident)["modules"]["core"]["following"]
    assert following[0]["title"] == "Parks"

    account_erase(user=resident)
    assert not Subscription.objects.exists()


def test_system_check_refuses_a_followable_kind_another_module_declares():
    from townhall.core.checks import check_followable_kinds_declared_once
    from townhall.core.registry import Followable, Manifest, registry

    registry.register(
        Manifest(
            app_label="probe",
            name="Probe",
            followables=(Followable(kind="consultation", label="Consultation", item=dict.get),),
        )
    )
    try:
        errors = check_followable_kinds_declared_once(None)
    finally:
        registry._manifests.pop("probe")

    assert [error.id for error in errors] == ["townhall.core.E022"]
    assert "'consultation' is declared by both participation and probe" in errors[0].msg
