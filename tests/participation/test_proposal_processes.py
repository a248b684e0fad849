"""Opening a proposals process from the web: moderation chosen per process, and the dates
between which residents may submit."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townhall.core.models import AuditEntry
from townhall.participation import selectors, services
from townhall.participation.models import Proposal, ProposalProcess

pytestmark = pytest.mark.django_db
NEW = reverse("participation:process_new")


def _form(**fields):
    return {
        "title": "Ideas for our parks",
        "slug": "parks-ideas",
        "description": "What would make our parks better?",
        "moderation": "pre",
        **fields,
    }


def _dates(prefix: str, day) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_lead_opens_a_pre_moderated_process_with_dates(client, lead):
    client.force_login(lead)
    response = client.post(
        NEW,
        _form(
            **_dates("opens_on", datetime(2026, 7, 1)), **_dates("closes_on", datetime(2026, 7, 31))
        ),
    )
    process = ProposalProcess.objects.get()
    assert response.url == reverse("participation:process_detail", args=["parks-ideas"])
    assert process.moderation == ProposalProcess.Moderation.PRE
    assert process.opens_at == datetime(2026, 6, 30, 23, 0, tzinfo=UTC)
    assert process.closes_at == datetime(2026, 7, 31, 22, 59, 59, tzinfo=UTC)
    assert AuditEntry.objects.filter(object_id=str(process.pk)).exists()


def test_a_process_without_dates_takes_proposals_from_now(client, lead):
    client.force_login(lead)
    client.post(NEW, _form(moderation="post"))
    page = client.get(reverse("participation:process_detail", args=["parks-ideas"]))
    assert "Submit a proposal" in page.text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"slug": "new"}, "Choose another address"),
        ({"moderation": "sometimes"}, "Select a valid choice"),
        (
            {
                **_dates("opens_on", datetime(2026, 7, 31)),
                **_dates("closes_on", datetime(2026, 7, 1)),
            },
            "The closing date must be on or after the opening date",
        ),
    ],
)
def test_process_form_explains_what_is_wrong(client, lead, fields, message):
    client.force_login(lead)
    page = client.post(NEW, _form(**fields))
    assert "govuk-error-summary" in page.text
    assert message in page.text
    assert not ProposalProcess.objects.exists()


def test_process_address_must_be_unused(client, lead):
    ProposalProcess.objects.create(slug="parks-ideas", title="Old")
    client.force_login(lead)
    page = client.post(NEW, _form())
    assert "Another process already has the address" in page.text
    assert ProposalProcess.objects.count() == 1


def test_only_leads_open_processes(client, resident):
    assert client.get(NEW).status_code == 302
    client.force_login(resident)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _form()).status_code == 403
    assert "Open a proposals process" not in client.get(reverse("participation:process_list")).text
    assert not ProposalProcess.objects.exists()


def test_leads_find_the_page_from_the_list_of_processes(client, lead):
    client.force_login(lead)
    assert NEW in client.get(reverse("participation:process_list")).text


@pytest.mark.parametrize(
    ("opens", "closes", "taking"),
    [
        (None, None, True),
        (-1, 1, True),
        (1, 2, False),
        (-2, -1, False),
    ],
    ids=["no dates", "between the dates", "not yet open", "closed"],
)
def test_residents_submit_only_between_the_dates(resident, lead, opens, closes, taking):
    now = timezone.now()
    process = services.proposals_process_create(
        actor=lead,
        slug="p",
        title="P",
        opens_at=opens and now + timedelta(days=opens),
        closes_at=closes and now + timedelta(days=closes),
    )
    assert selectors.process_taking_proposals(process) is taking
    if taking:
        services.proposal_submit(actor=resident, process=process, title="T", body="B")
        assert Proposal.objects.count() == 1
    else:
        with pytest.raises(services.ParticipationError, match="not taking new proposals"):
            services.proposal_submit(actor=resident, process=process, title="T", body="B")


def test_pre_moderation_chosen_on_the_page_holds_proposals_for_a_moderator(client, lead, resident):
    client.force_login(lead)
    client.post(NEW, _form())
    proposal = services.proposal_submit(
        actor=resident, process=ProposalProcess.objects.get(), title="Benches", body="By the pond."
    )
    assert proposal.visibility == Proposal.Visibility.PENDING
