"""Proposals: submit, support once, threaded comments, follow, and the council's response."""

import pytest
from django.urls import reverse

from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.core.selectors.subscriptions import is_following
from townhall.participation import selectors, services
from townhall.participation.models import Proposal, ProposalProcess, Support

pytestmark = pytest.mark.django_db


@pytest.fixture
def process():
    return ProposalProcess.objects.create(slug="parks-ideas", title="Ideas for our parks")


@pytest.fixture
def proposal(process, resident):
    return services.proposal_submit(
        actor=resident, process=process, title="Water fountains", body="Add drinking fountains."
    )


def _url(name, proposal, *extra):
    return reverse(f"participation:{name}", args=[proposal.process.slug, proposal.pk, *extra])


def test_signed_in_resident_submits_a_proposal_and_follows_it(client, resident, process):
    client.force_login(resident)
    page = client.post(
        reverse("participation:proposal_new", args=[process.slug]),
        {"title": "More benches", "body": "Benches along the river path."},
    )
    proposal = Proposal.objects.get()
    assert page["Location"] == _url("proposal_detail", proposal)
    assert proposal.status == Proposal.Status.UNDER_REVIEW
    assert is_following(resident, kind="proposal", key=proposal.pk)


def test_submitting_a_proposal_asks_anonymous_visitors_to_sign_in(client, process):
    page = client.get(reverse("participation:proposal_new", args=[process.slug]))
    assert "/accounts/login/" in page["Location"]
    with pytest.raises(PermissionDenied):
        services.proposal_submit(actor=None, process=process, title="T", body="B")


def test_a_person_supports_a_proposal_only_once(client, person, proposal):
    supporter = person("resident")
    client.force_login(supporter)
    client.post(_url("proposal_act", proposal, "support"))
    second = client.post(_url("proposal_act", proposal, "support"), follow=True)
    assert "You have already supported this proposal" in second.text
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert Support.objects.count() == 1


def test_comments_thread_replies_under_the_comment_they_answer(person, proposal):
    first, second = person("resident"), person("resident")
    question = services.comment_add(actor=first, proposal=proposal, body="Where exactly?")
    later = services.comment_add(actor=second, proposal=proposal, body="A second topic")
    reply = services.comment_add(
        actor=second, proposal=proposal, body="By the pond", parent=question
    )
    thread = selectors.comment_thread(proposal)
    assert [(comment.pk, depth) for comment, depth in thread] == [
        (question.pk, 0),
        (reply.pk, 1),
        (later.pk, 0),
    ]


def test_reply_must_answer_a_comment_on_the_same_proposal(person, process, proposal, resident):
    other = services.proposal_submit(actor=resident, process=process, title="Other", body="Other")
    elsewhere = services.comment_add(actor=resident, proposal=other, body="Elsewhere")
    with pytest.raises(services.ParticipationError):
        services.comment_add(actor=resident, proposal=proposal, body="Reply", parent=elsewhere)


@pytest.mark.parametrize("parent", ["abc", "²", "99999999999999999999999", "999999"])
def test_a_reply_to_a_comment_that_is_not_there_is_a_404_and_stores_nothing(
    client, resident, proposal, parent
):
    client.force_login(resident)
    response = client.post(
        _url("proposal_act", proposal, "comment"), {"body": "Agreed", "parent": parent}
    )
    assert response.status_code == 404
    assert not proposal.comments.exists()


@pytest.mark.parametrize("act", ["report", "appeal"])
def test_acting_on_a_comment_that_is_not_there_is_a_404(client, resident, proposal, act):
    client.force_login(resident)
    response = client.post(
        _url("proposal_act", proposal, act),
        {"comment": "99999999999999999999999", "reason": "spam"},
    )
    assert response.status_code == 404


def test_hostile_html_in_comments_is_shown_as_inert_text(client, resident, proposal):
    client.force_login(resident)
    client.post(_url("proposal_act", proposal, "comment"), {"body": "<script>alert('x')</script>"})
    page = client.get(_url("proposal_detail", proposal))
    assert "<script>alert('x')</script>" not in page.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page.text


def test_resident_follows_and_unfollows(client, person, proposal):
    follower = person("resident")
    client.force_login(follower)
    client.post(_url("proposal_act", proposal, "follow"))
    assert is_following(follower, kind="proposal", key=proposal.pk)
    client.post(_url("proposal_act", proposal, "unfollow"))
    assert not is_following(follower, kind="proposal", key=proposal.pk)


def test_council_response_sets_the_status_and_is_audited(client, officer, proposal):
    client.force_login(officer)
    client.post(
        _url("proposal_response", proposal),
        {"status": "accepted", "response": "We will add two fountains in spring."},
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert AuditEntry.objects.filter(action="participation.proposal_respond").exists()
    assert (
        "We will add two fountains in spring." in client.get(_url("proposal_detail", proposal)).text
    )


def test_not_taking_a_proposal_forward_needs_a_reason(officer, proposal):
    with pytest.raises(services.ParticipationError, match="Say why"):
        services.proposal_respond(
            actor=officer, proposal=proposal, status=Proposal.Status.NOT_TAKEN_FORWARD, response=" "
        )


def test_residents_cannot_respond_for_the_council(client, resident, proposal):
    client.force_login(resident)
    assert client.get(_url("proposal_response", proposal)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.proposal_respond(actor=resident, proposal=proposal, status="done", response="")


def test_proposals_are_listed_through_the_api(client, proposal):
    items = client.get("/api/v1/consultations/proposals?process=parks-ideas").json()["items"]
    assert [(item["title"], item["status"], item["supporters"]) for item in items] == [
        ("Water fountains", "under_review", 0)
    ]


def test_a_resident_writing_too_fast_is_told_when_to_try_again(
    client, resident, proposal, settings
):
    settings.TOWNHALL_FORM_RATE = "3/m"
    client.force_login(resident)
    url = _url("proposal_act", proposal, "comment")
    answers = [client.post(url, {"body": f"Comment {n}"}).status_code for n in range(4)]
    assert 429 not in answers[:3]
    assert answers[3] == 429
