"""What participation puts on the staff workspace: its tools and the work waiting."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.participation.factories import ConsultationFactory
from townhall.core.selectors.workspace import work_waiting_for
from townhall.participation.models import Comment, Consultation, Proposal, ProposalProcess

pytestmark = pytest.mark.django_db


def test_moderators_see_the_held_comments_and_proposals_waiting_for_them(person, client):
    author = person("resident")
    process = ProposalProcess.objects.create(slug="parks", title="Parks")
    proposal = Proposal.objects.create(process=process, title="Benches", body="B", author=author)
    for _ in range(4):
        Comment.objects.create(proposal=proposal, author=author, body="x", visibility="pending")
    moderator = person("moderator")
    client.force_login(moderator)

    labels = [item.label for item in work_waiting_for(moderator)]
    page = client.get(reverse("core:workspace")).text

    assert labels == ["4 comments waiting for a moderator"]
    assert "4 comments waiting for a moderator" in page
    assert f'href="{reverse("participation:moderation_queue")}"' in page


def test_a_lead_sees_drafts_by_others_waiting_for_approval_but_not_their_own(person):
    lead, colleague = person("consultation_lead"), person("consultation_lead")
    ConsultationFactory(author=colleague, state=Consultation.State.DRAFT)
    ConsultationFactory(author=lead, state=Consultation.State.DRAFT)

    assert [item.label for item in work_waiting_for(lead)] == [
        "1 consultation waiting for approval"
    ]


def test_a_lead_sees_outcomes_overdue(person):
    long_ago = timezone.now() - timedelta(weeks=20)
    ConsultationFactory(
        state=Consultation.State.CLOSED, opens_at=long_ago - timedelta(weeks=4), closes_at=long_ago
    )

    assert "1 outcome overdue" in [
        item.label for item in work_waiting_for(person("consultation_lead"))
    ]
