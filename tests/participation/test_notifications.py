"""Notifications: followers hear of changes at their chosen frequency."""

import pytest
from django.core import mail
from django.utils import translation

from townhall.core.models import PendingNotification
from townhall.core.services.subscriptions import notification_preference_set, send_digests
from townhall.participation import services
from townhall.participation.models import Comment, ProposalProcess


@pytest.fixture
def followed(db, person, officer):
    author = person("resident")
    process = ProposalProcess.objects.create(slug="ideas", title="Ideas")
    proposal = services.proposal_submit(actor=author, process=process, title="Benches", body="More")
    return proposal, author


def _respond(officer, proposal, capture):
    with capture(execute=True):
        services.proposal_respond(
            actor=officer, proposal=proposal, status="accepted", response="Yes"
        )


def test_followers_are_emailed_straight_away_by_default(
    followed, officer, django_capture_on_commit_callbacks
):
    proposal, author = followed
    _respond(officer, proposal, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[author.email]]
    assert "Benches" in mail.outbox[0].body


def test_followers_choosing_a_daily_digest_get_one_email_for_several_changes(
    followed, officer, django_capture_on_commit_callbacks
):
    proposal, author = followed
    notification_preference_set(actor=author, frequency="daily")
    _respond(officer, proposal, django_capture_on_commit_callbacks)
    _respond(officer, proposal, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert PendingNotification.objects.filter(subscription__person=author).count() == 2
    send_digests.enqueue("daily")
    assert [message.to for message in mail.outbox] == [[author.email]]
    assert not PendingNotification.objects.exists()


def test_followers_choosing_never_hear_nothing(
    followed, officer, django_capture_on_commit_callbacks
):
    proposal, author = followed
    notification_preference_set(actor=author, frequency="never")
    _respond(officer, proposal, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not PendingNotification.objects.exists()


def test_the_person_responding_is_not_notified_of_their_own_change(
    followed, officer, django_capture_on_commit_callbacks
):
    proposal, author = followed
    services.proposal_follow(actor=officer, proposal=proposal)
    _respond(officer, proposal, django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[author.email]]


def test_resident_chooses_weekly_emails_on_the_settings_page(client, resident):
    from django.urls import reverse

    client.force_login(resident)
    url = reverse("core:email_preferences")
    assert 'value="immediately" checked' in client.get(url).text
    client.post(url, {"frequency": "weekly"})
    assert 'value="weekly" checked' in client.get(url).text


def test_each_follower_hears_in_their_own_language_whoever_acted(
    followed, officer, person, django_capture_on_commit_callbacks
):
    proposal, author = followed
    author.preferred_language = "cy"
    author.save(update_fields=["preferred_language"])
    english_reader = person("resident")
    services.proposal_follow(actor=english_reader, proposal=proposal)

    with translation.override("en-gb"):
        _respond(officer, proposal, django_capture_on_commit_callbacks)

    by_reader = {message.to[0]: message for message in mail.outbox}
    proposal.refresh_from_db()
    with translation.override("cy"):
        welsh_subject = translation.gettext("An update on something you follow")
        welsh_status = str(proposal.get_status_display())
    assert by_reader[author.email].subject == welsh_subject != "An update on something you follow"
    assert welsh_status in by_reader[author.email].body
    assert by_reader[english_reader.email].subject == "An update on something you follow"
    assert "The council responded to the proposal “Benches”" in by_reader[english_reader.email].body


def test_followers_hear_of_a_new_comment_but_the_commenter_does_not(
    followed, person, django_capture_on_commit_callbacks
):
    proposal, author = followed
    commenter = person("resident")
    services.proposal_follow(actor=commenter, proposal=proposal)

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(actor=commenter, proposal=proposal, body="Where would they go?")

    assert [message.to for message in mail.outbox] == [[author.email]]
    assert "Where would they go?" in mail.outbox[0].body


def test_a_comment_waiting_for_a_moderator_is_announced_once_published(
    followed, person, django_capture_on_commit_callbacks
):
    proposal, author = followed
    proposal.process.moderation = ProposalProcess.Moderation.PRE
    proposal.process.save()

    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_add(
            actor=person("resident"), proposal=proposal, body="Near the pond"
        )
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.moderation_decide(actor=person("moderator"), item=comment, publish=True)

    assert [message.to for message in mail.outbox] == [[author.email]]
    assert "Near the pond" in mail.outbox[0].body


def test_a_comment_is_announced_once_even_if_reported_and_published_again(
    followed, person, settings, django_capture_on_commit_callbacks
):
    settings.PARTICIPATION_REPORTS_TO_HIDE = 1
    proposal, author = followed
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_add(actor=person("resident"), proposal=proposal, body="Hello")
    services.content_report(actor=person("resident"), item=comment, reason="spam")

    with django_capture_on_commit_callbacks(execute=True):
        services.moderation_decide(actor=person("moderator"), item=comment, publish=True)

    assert [message.to for message in mail.outbox] == [[author.email]]


def test_a_comment_restored_on_appeal_is_announced_then(
    followed, person, django_capture_on_commit_callbacks
):
    proposal, author = followed
    proposal.process.moderation = ProposalProcess.Moderation.PRE
    proposal.process.save()
    commenter, moderator = person("resident"), person("moderator")
    comment = services.comment_add(actor=commenter, proposal=proposal, body="Held one")
    services.moderation_decide(actor=moderator, item=comment, publish=False, reason="Unsure")
    appeal = services.appeal_submit(
        actor=commenter, item=Comment.objects.get(pk=comment.pk), text="Please"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_decide(actor=moderator, appeal=appeal, restore=True)

    assert [message.to for message in mail.outbox] == [[author.email]]


def test_nothing_that_is_not_public_is_announced(
    followed, person, django_capture_on_commit_callbacks
):
    proposal, author = followed
    other, moderator = person("resident"), person("moderator")
    with django_capture_on_commit_callbacks(execute=True):
        parent = services.comment_add(actor=other, proposal=proposal, body="Rude words")
    services.moderation_decide(actor=moderator, item=parent, publish=False, reason="Rude")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(actor=other, proposal=proposal, body="Under hidden", parent=parent)
        services.moderation_decide(
            actor=moderator, item=proposal, publish=False, reason="Off topic"
        )
        services.comment_add(actor=author, proposal=proposal, body="Please restore it")

    assert mail.outbox == []
