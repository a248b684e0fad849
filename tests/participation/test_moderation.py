"""Moderation: pre-moderation, heuristics, reports, hiding with a reason, appeals, audit."""

import pytest
from django.urls import reverse

from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.participation import selectors, services
from townhall.participation.models import Moderated, ProposalProcess

pytestmark = pytest.mark.django_db
Visibility = Moderated.Visibility


@pytest.fixture
def moderator(person):
    return person("moderator", is_staff=True)


@pytest.fixture
def process():
    return ProposalProcess.objects.create(slug="ideas", title="Ideas")


@pytest.fixture
def proposal(process, resident):
    return services.proposal_submit(actor=resident, process=process, title="Benches", body="More")


def _detail(proposal):
    return reverse("participation:proposal_detail", args=[proposal.process.slug, proposal.pk])


def test_pre_moderated_proposal_waits_for_a_moderator_before_it_is_public(
    client, resident, moderator
):
    process = ProposalProcess.objects.create(slug="pre", title="Pre", moderation="pre")
    proposal = services.proposal_submit(
        actor=resident, process=process, title="Swings", body="Please"
    )
    assert proposal.visibility == Visibility.PENDING
    assert list(selectors.proposals_in(process)) == []
    assert client.get(_detail(proposal)).status_code == 404
    client.force_login(resident)
    assert "waiting for a moderator" in client.get(_detail(proposal)).text
    services.moderation_decide(actor=moderator, item=proposal, publish=True)
    assert list(selectors.proposals_in(process)) == [proposal]
    assert AuditEntry.objects.filter(action="participation.moderation_publish").exists()


@pytest.mark.parametrize(
    "text",
    [
        "Visit http://a.example http://b.example http://c.example",
        "Buy now, cheap casino!",
        "What a load of shit",
    ],
)
def test_comments_that_look_like_spam_or_profanity_are_held_for_review(proposal, resident, text):
    comment = services.comment_add(actor=resident, proposal=proposal, body=text)
    assert comment.visibility == Visibility.PENDING
    assert comment not in [c for c, _depth in selectors.comment_thread(proposal)]


def test_ordinary_comment_is_published_at_once(proposal, resident):
    comment = services.comment_add(
        actor=resident, proposal=proposal, body="Good idea near the pond."
    )
    assert comment.visibility == Visibility.VISIBLE


def test_enough_reports_hide_a_comment_for_review(person, proposal, settings):
    settings.PARTICIPATION_REPORTS_TO_HIDE = 2
    comment = services.comment_add(actor=person("resident"), proposal=proposal, body="Rude remark")
    services.content_report(actor=person("resident"), item=comment, reason="offensive")
    assert comment.visibility == Visibility.VISIBLE
    services.content_report(actor=person("resident"), item=comment, reason="offensive")
    assert comment.visibility == Visibility.PENDING
    assert comment in selectors.moderation_queue().comments


def test_a_person_reports_an_item_only_once(client, person, proposal):
    reporter = person("resident")
    client.force_login(reporter)
    url = reverse("participation:proposal_act", args=[proposal.process.slug, proposal.pk, "report"])
    client.post(url, {"reason": "spam"})
    again = client.post(url, {"reason": "spam"}, follow=True)
    assert "You have already reported this" in again.text
    proposal.refresh_from_db()
    assert proposal.report_count == 1


def test_hiding_needs_a_reason_and_the_author_sees_it_and_may_appeal(
    client, moderator, resident, proposal
):
    with pytest.raises(services.ParticipationError, match="reason"):
        services.moderation_decide(actor=moderator, item=proposal, publish=False)
    services.moderation_decide(actor=moderator, item=proposal, publish=False, reason="Advertising")
    client.force_login(resident)
    page = client.get(_detail(proposal))
    assert "a moderator hid it because: Advertising" in page.text
    client.post(
        reverse("participation:proposal_act", args=[proposal.process.slug, proposal.pk, "appeal"]),
        {"text": "It is not an advert."},
    )
    appeal = selectors.moderation_queue().appeals[0]
    services.appeal_decide(actor=moderator, appeal=appeal, restore=True)
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.VISIBLE
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"participation.moderation_hide", "participation.appeal_decide"} <= actions


def test_only_the_author_may_appeal(person, moderator, proposal):
    services.moderation_decide(actor=moderator, item=proposal, publish=False, reason="Spam")
    with pytest.raises(services.ParticipationError, match="Only the author"):
        services.appeal_submit(actor=person("resident"), item=proposal, text="Please")


def test_residents_cannot_moderate(client, resident, proposal):
    with pytest.raises(PermissionDenied):
        services.moderation_decide(actor=resident, item=proposal, publish=False, reason="x")
    client.force_login(resident)
    assert client.get(reverse("participation:moderation_queue")).status_code == 403


def test_moderators_queue_lists_held_content(client, moderator, resident):
    process = ProposalProcess.objects.create(slug="pre", title="Pre", moderation="pre")
    services.proposal_submit(actor=resident, process=process, title="Held idea", body="Text")
    client.force_login(moderator)
    page = client.get(reverse("participation:moderation_queue"))
    assert "Held idea" in page.text


def test_held_proposals_are_not_in_the_api(client, resident):
    process = ProposalProcess.objects.create(slug="pre", title="Pre", moderation="pre")
    services.proposal_submit(actor=resident, process=process, title="Held idea", body="Text")
    assert client.get("/api/v1/consultations/proposals").json()["items"] == []


def _queue_url():
    return reverse("participation:moderation_queue")


def test_a_comment_reported_once_is_in_the_queue_with_the_reason_and_its_context(
    client, person, moderator, proposal
):
    author = person("resident", display_name="Alex Writer")
    first = services.comment_add(actor=person("resident"), proposal=proposal, body="Nice idea")
    reply = services.comment_add(actor=author, proposal=proposal, body="Rude remark", parent=first)
    client.force_login(person("resident"))
    url = reverse("participation:proposal_act", args=[proposal.process.slug, proposal.pk, "report"])
    client.post(url, {"reason": "offensive", "comment": reply.pk})

    reply.refresh_from_db()
    assert reply.visibility == Visibility.VISIBLE  # still public until a moderator acts
    assert reply in selectors.moderation_queue().comments
    client.force_login(moderator)
    page = client.get(_queue_url()).text
    assert "Rude remark" in page
    assert "Alex Writer" in page
    assert "Offensive or abusive" in page
    assert "Benches" in page and "Ideas" in page  # the proposal and its process
    assert "Nice idea" in page  # the comment it replies to
    assert f"{_detail(proposal)}#comment-{reply.pk}" in page


def test_a_reported_proposal_is_in_the_queue_while_still_public(client, person, proposal):
    services.content_report(actor=person("resident"), item=proposal, reason="spam")
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.VISIBLE
    assert proposal in selectors.moderation_queue().proposals
    assert client.get(_detail(proposal)).status_code == 200


def test_reported_items_count_as_waiting_in_the_workspace(person, proposal):
    comment = services.comment_add(actor=person("resident"), proposal=proposal, body="Hm")
    services.content_report(actor=person("resident"), item=comment, reason="off_topic")
    services.content_report(actor=person("resident"), item=proposal, reason="spam")
    counts = selectors.moderation_counts()
    assert counts["comments"] == 1
    assert counts["proposals"] == 1


def test_publishing_a_reported_item_clears_it_from_the_queue(person, moderator, proposal):
    comment = services.comment_add(actor=person("resident"), proposal=proposal, body="Fine")
    services.content_report(actor=person("resident"), item=comment, reason="spam")
    services.moderation_decide(actor=moderator, item=comment, publish=True)
    assert comment not in selectors.moderation_queue().comments
    assert selectors.moderation_counts()["comments"] == 0
    # A later report brings it back, showing only the report made since the decision.
    services.content_report(actor=person("resident"), item=comment, reason="offensive")
    entry = selectors.moderation_queue().comments[0]
    assert [report.reason for report in entry.open_reports] == ["offensive"]


def test_hiding_asks_for_confirmation_on_a_page_of_its_own(client, person, moderator, proposal):
    comment = services.comment_add(actor=person("resident"), proposal=proposal, body="Spammy")
    services.content_report(actor=person("resident"), item=comment, reason="spam")
    client.force_login(moderator)
    queue = client.get(_queue_url()).text
    confirm_url = reverse("participation:moderation_decide", args=["comment", comment.pk])
    assert f'href="{confirm_url}"' in queue
    confirm = client.get(confirm_url)
    assert confirm.status_code == 200
    assert "Are you sure you want to hide this comment?" in confirm.text
    assert "Spammy" in confirm.text
    comment.refresh_from_db()
    assert comment.visibility == Visibility.VISIBLE  # a GET changes nothing
    empty = client.post(confirm_url, {"decision": "hide", "reason": " "})
    assert empty.status_code == 200
    assert "Give the reason for hiding it." in empty.text
    comment.refresh_from_db()
    assert comment.visibility == Visibility.VISIBLE
    done = client.post(confirm_url, {"decision": "hide", "reason": "Advertising"})
    assert done.status_code == 302
    comment.refresh_from_db()
    assert comment.visibility == Visibility.HIDDEN
    assert comment.hidden_reason == "Advertising"


def test_the_hide_confirmation_is_for_moderators_only(client, resident, proposal):
    url = reverse("participation:moderation_decide", args=["proposal", proposal.pk])
    assert client.get(url).status_code == 302
    client.force_login(resident)
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "hide", "reason": "x"}).status_code == 403


def test_the_queue_and_confirmation_render_in_welsh(client, person, moderator, proposal):
    services.content_report(actor=person("resident"), item=proposal, reason="spam")
    queue = "/cy" + _queue_url()
    confirm = "/cy" + reverse("participation:moderation_decide", args=["proposal", proposal.pk])
    client.force_login(moderator)
    assert "Adroddiadau" in client.get(queue).text
    assert "Ydych chi’n siŵr eich bod am guddio’r cynnig hwn?" in client.get(confirm).text


def test_a_moderator_decides_an_appeal_from_the_queue(client, moderator, resident, proposal):
    hidden = services.moderation_decide(
        actor=moderator, item=proposal, publish=False, reason="Spam"
    )
    appeal = services.appeal_submit(actor=resident, item=hidden, text="It is not spam.")
    client.force_login(moderator)
    url = reverse("participation:appeal_decide", args=[appeal.pk])
    assert client.post(url, {"decision": "restore"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.visibility == Visibility.VISIBLE


def test_a_moderator_following_the_queue_is_emailed_when_something_is_first_reported(
    client, person, moderator, proposal, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(moderator)
    follow = client.post(reverse("participation:moderation_follow"), {"follow": "1"})
    assert follow.status_code == 302
    assert selectors.is_following_moderation(moderator)
    comment = services.comment_add(actor=person("resident"), proposal=proposal, body="Rude")
    reporter = person("resident")
    with django_capture_on_commit_callbacks(execute=True):
        services.content_report(actor=reporter, item=comment, reason="offensive")
    with django_capture_on_commit_callbacks(execute=True):
        services.content_report(actor=person("resident"), item=comment, reason="spam")
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    body = mail.outbox[0].body
    assert "Benches" in body and "Offensive or abusive" in body
    assert "/consultations/moderation/" in body
    assert "Rude" not in body  # never the reported text itself


def test_only_moderators_may_follow_the_queue_and_former_ones_hear_nothing(
    client, person, resident, moderator, proposal, django_capture_on_commit_callbacks
):
    from django.core import mail

    from townhall.core.services.subscriptions import subscription_create

    client.force_login(resident)
    assert client.post(reverse("participation:moderation_follow"), {"follow": "1"}).status_code == (
        403
    )
    with pytest.raises(PermissionDenied):
        services.moderation_follow(actor=resident)
    by_email = reverse("core:follow", args=["moderation", "reports"])
    assert client.get(by_email).status_code == 404  # nobody follows it by email alone
    services.moderation_follow(actor=moderator)
    former = person("resident")
    subscription_create(kind="moderation", key="reports", person=former)  # role since removed
    with django_capture_on_commit_callbacks(execute=True):
        services.content_report(actor=person("resident"), item=proposal, reason="spam")
    assert [message.to for message in mail.outbox] == [[moderator.email]]


def test_a_welsh_speaking_moderator_is_emailed_about_a_report_in_welsh(
    person, proposal, django_capture_on_commit_callbacks
):
    from django.core import mail

    moderator = person("moderator", is_staff=True, preferred_language="cy")
    services.moderation_follow(actor=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        services.content_report(actor=person("resident"), item=proposal, reason="spam")
    assert mail.outbox[0].subject == "Mae rhywbeth wedi cael ei adrodd"
    assert "Cafodd y cynnig “Benches” ei adrodd" in mail.outbox[0].body
