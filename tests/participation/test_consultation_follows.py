"""Following a consultation: residents hear when it closes and when its outcome is
published (and anyone following before it opens, when it opens), each at the frequency
they chose for everything they follow."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.participation.factories import ConsultationFactory
from townhall.core.models import PendingNotification, Subscription
from townhall.core.permissions import PermissionDenied
from townhall.core.services.subscriptions import notification_preference_set
from townhall.participation import services

pytestmark = pytest.mark.django_db


def _follows():
    return Subscription.objects.filter(kind="consultation")


def _follow_url(consultation):
    return reverse("participation:consultation_follow", args=[consultation.slug])


def _publish(lead, consultation):
    services.outcome_publish(
        actor=lead,
        consultation=consultation,
        you_said="Open later",
        we_did="Opened later",
        what_changed="Hours",
        decision_title="Cabinet",
    )


def test_resident_follows_and_stops_following_from_the_consultation_page(client, resident):
    consultation = ConsultationFactory(title="Library hours")
    client.force_login(resident)
    page = client.get(reverse("participation:consultation_detail", args=[consultation.slug]))
    assert "Follow this consultation" in page.text
    page = client.post(_follow_url(consultation), follow=True)
    assert "You follow this consultation" in page.text
    assert "Stop following this consultation" in page.text
    client.post(_follow_url(consultation), {"stop": "1"})
    assert not _follows().exists()


def test_following_twice_keeps_one_follow(resident):
    consultation = ConsultationFactory()
    services.consultation_follow(actor=resident, consultation=consultation)
    services.consultation_follow(actor=resident, consultation=consultation)
    assert _follows().count() == 1


def test_following_needs_a_sign_in(client):
    consultation = ConsultationFactory()
    response = client.post(_follow_url(consultation))
    assert response.url.startswith(reverse("account_login"))
    assert not _follows().exists()
    with pytest.raises(PermissionDenied):
        services.consultation_follow(actor=None, consultation=consultation)


def test_a_signed_out_resident_who_follows_comes_back_following_after_signing_in(client, resident):
    consultation = ConsultationFactory(title="Library hours")
    page = client.get(reverse("participation:consultation_detail", args=[consultation.slug]))
    assert "Follow this consultation" in page.text
    sign_in = client.post(_follow_url(consultation))
    assert f"next={_follow_url(consultation)}" in sign_in.url.replace("%2F", "/")
    client.force_login(resident)
    back = client.get(_follow_url(consultation), follow=True)
    assert back.redirect_chain[-1][0] == reverse(
        "participation:consultation_detail", args=[consultation.slug]
    )
    assert "You follow this consultation" in back.text
    assert _follows().get().person == resident


def test_opening_the_follow_address_signed_in_without_asking_follows_nothing(client, resident):
    consultation = ConsultationFactory()
    client.force_login(resident)
    page = client.get(_follow_url(consultation), follow=True)
    assert page.status_code == 200
    assert not _follows().exists()
    assert "Follow this consultation" in page.text


def test_a_signed_in_resident_is_never_asked_to_sign_in_to_follow(client, resident):
    consultation = ConsultationFactory(closed=True)
    client.force_login(resident)
    page = client.get(reverse("participation:consultation_detail", args=[consultation.slug]))
    assert "Sign in" not in page.text.split("<main")[1]
    followed = client.post(_follow_url(consultation))
    assert followed.url == reverse("participation:consultation_detail", args=[consultation.slug])
    assert _follows().get().person == resident


def test_an_address_confirmed_by_email_leads_back_to_the_consultation(
    client, django_capture_on_commit_callbacks
):
    import re
    from urllib.parse import urlsplit

    consultation = ConsultationFactory(title="Library hours")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("core:follow", args=["consultation", consultation.pk]),
            {"email": "a@example.org"},
        )
    link = re.search(r"https?://\S+/confirm/\S+", mail.outbox[-1].body).group()
    confirmed = client.post(urlsplit(link).path)
    detail = reverse("participation:consultation_detail", args=[consultation.slug])
    assert f'href="{detail}"' in confirmed.text
    assert "Back to “Library hours”" in confirmed.text


def test_a_draft_consultation_cannot_be_followed_from_the_site(client, resident):
    consultation = ConsultationFactory(draft=True)
    client.force_login(resident)
    assert client.post(_follow_url(consultation)).status_code == 404


def test_followers_are_emailed_when_it_closes_and_when_the_outcome_is_published(
    lead, resident, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(title="Library hours", author=lead)
    services.consultation_follow(actor=resident, consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        consultation = services.consultation_close(actor=lead, consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(lead, consultation)
    assert [message.to for message in mail.outbox] == [[resident.email], [resident.email]]
    assert "“Library hours” has closed" in mail.outbox[0].body
    assert "by " in mail.outbox[0].body
    assert "published the outcome of the consultation “Library hours”" in mail.outbox[1].body


def test_followers_of_an_approved_consultation_hear_when_it_opens(
    lead, resident, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(approved=True, title="Parks", author=lead)
    services.consultation_follow(actor=resident, consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_open(actor=lead, consultation=consultation)
    assert "“Parks” is open. You can respond until" in mail.outbox[0].body


def test_steps_residents_do_not_follow_send_nothing(
    lead, resident, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(closed=True, author=lead)
    services.consultation_follow(actor=resident, consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_start_analysis(actor=lead, consultation=consultation)
    assert mail.outbox == []


def test_consultation_changes_wait_for_the_weekly_digest_of_those_who_chose_it(
    lead, resident, django_capture_on_commit_callbacks
):
    consultation = ConsultationFactory(title="Library hours", author=lead)
    notification_preference_set(actor=resident, frequency="weekly")
    services.consultation_follow(actor=resident, consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_close(actor=lead, consultation=consultation)
    assert mail.outbox == []
    assert PendingNotification.objects.get(subscription__person=resident, frequency="weekly")


def test_followers_who_chose_never_hear_nothing(lead, resident, django_capture_on_commit_callbacks):
    consultation = ConsultationFactory(author=lead)
    notification_preference_set(actor=resident, frequency="never")
    services.consultation_follow(actor=resident, consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_close(actor=lead, consultation=consultation)
    assert mail.outbox == []
    assert not PendingNotification.objects.exists()
