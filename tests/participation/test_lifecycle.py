"""A consultation's lifecycle: who may move it, in which order, and what everyone sees."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.elections.factories import ElectionFactory
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.participation import selectors, services
from townhall.participation.models import Consultation

from .factories import ConsultationFactory, DocumentFactory

State = Consultation.State
pytestmark = pytest.mark.django_db


def _create(lead, **fields):
    now = timezone.now()
    defaults = {
        "title": "Library services",
        "slug": "library-services",
        "summary": "How should libraries change?",
        "service_area": "Libraries",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(weeks=12),
    }
    return services.consultation_create(actor=lead, **(defaults | fields))


def test_consultation_moves_through_every_stage_with_an_audit_entry_for_each(lead, approver):
    consultation = _create(lead)
    consultation = services.consultation_approve(actor=approver, consultation=consultation)
    consultation = services.consultation_open(actor=lead, consultation=consultation)
    consultation = services.consultation_close(actor=lead, consultation=consultation)
    consultation = services.consultation_start_analysis(actor=lead, consultation=consultation)
    services.outcome_publish(
        actor=lead,
        consultation=consultation,
        you_said="Keep libraries open.",
        we_did="We kept them open.",
        what_changed="No closures.",
        decision_title="Cabinet decision",
    )
    consultation.refresh_from_db()
    assert consultation.state == State.OUTCOME_PUBLISHED
    assert consultation.approved_by == approver
    assert consultation.outcome_published_at is not None
    recorded = list(
        AuditEntry.objects.filter(action__startswith="participation.consultation_")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert recorded == [
        "participation.consultation_approve",
        "participation.consultation_open",
        "participation.consultation_close",
        "participation.consultation_start_analysis",
        "participation.consultation_publish_outcome",
    ]


def test_consultation_approval_by_its_author_is_refused(lead):
    consultation = _create(lead)
    with pytest.raises(services.SelfApproval):
        services.consultation_approve(actor=lead, consultation=consultation)
    assert Consultation.objects.get().state == State.DRAFT


def test_consultation_approval_by_its_author_is_refused_even_for_an_administrator(administrator):
    consultation = ConsultationFactory(draft=True, author=administrator)
    with pytest.raises(services.SelfApproval):
        services.consultation_approve(actor=administrator, consultation=consultation)


@pytest.mark.parametrize("role", ["resident", "officer", "moderator"])
def test_consultation_create_is_refused_without_the_consultation_lead_role(person, role):
    with pytest.raises(PermissionDenied):
        _create(person(role))


def test_consultation_cannot_open_before_it_is_approved(lead):
    consultation = _create(lead)
    with pytest.raises(services.InvalidTransition):
        services.consultation_open(actor=lead, consultation=consultation)


def _election(name: str, notice_of_election: date, poll_date: date):
    """An election whose pre-election period runs from `notice_of_election` to polling day."""
    return ElectionFactory(
        identifier=f"local.northbridge.{poll_date}",
        name=name,
        notice_of_election=notice_of_election,
        registration_deadline=notice_of_election,
        postal_vote_deadline=notice_of_election,
        proxy_vote_deadline=notice_of_election,
        poll_date=poll_date,
    )


def test_consultation_open_warns_when_it_would_run_in_an_elections_pre_election_period(
    lead, approver
):
    consultation = services.consultation_approve(actor=approver, consultation=_create(lead))
    today = timezone.localdate()
    _election("Borough elections", today + timedelta(days=10), today + timedelta(days=40))
    with pytest.raises(services.PreElectionPeriodWarning, match="Borough elections"):
        services.consultation_open(actor=lead, consultation=consultation)
    opened = services.consultation_open(
        actor=lead, consultation=consultation, acknowledge_pre_election=True
    )
    assert opened.state == State.OPEN


def test_pre_election_periods_outside_the_consultation_raise_no_warning(lead):
    consultation = _create(lead)
    _election("Last year", date(2020, 3, 1), date(2020, 5, 1))
    assert (
        selectors.pre_election_periods_overlapping(
            opens_at=consultation.opens_at, closes_at=consultation.closes_at
        )
        == []
    )


def test_staff_page_shows_the_pre_election_warning(client, lead):
    consultation = ConsultationFactory(approved=True, author=lead)
    today = timezone.localdate()
    _election("By-election", today - timedelta(days=1), today + timedelta(days=1))
    client.force_login(lead)
    page = client.get(reverse("participation:manage_detail", args=[consultation.slug]))
    assert "pre-election period" in page.text
    assert "By-election" in page.text


def test_pre_election_periods_are_no_longer_entered_by_hand(client, lead):
    client.force_login(lead)
    assert client.get("/consultations/manage/pre-election-periods/").status_code == 404
    assert "Pre-election periods" not in client.get(reverse("participation:manage_list")).text


def test_editing_an_approved_consultation_sends_it_back_for_approval(lead, approver):
    consultation = services.consultation_approve(actor=approver, consultation=_create(lead))
    edited = services.consultation_update(actor=lead, consultation=consultation, title="New title")
    assert edited.state == State.DRAFT
    assert edited.approved_by is None


def test_editing_an_open_consultation_is_refused(lead):
    consultation = ConsultationFactory(author=lead)
    with pytest.raises(services.SurveyLocked):
        services.consultation_update(actor=lead, consultation=consultation, title="Changed")


def test_outcome_clock_counts_down_twelve_weeks_from_closing():
    consultation = ConsultationFactory(closed=True)
    clock = selectors.outcome_clock(consultation)
    assert clock.due_at == consultation.closed_at + timedelta(weeks=12)
    assert clock.days_left == 84 - 30
    assert not clock.overdue


def test_outcome_clock_is_overdue_after_twelve_weeks(client):
    consultation = ConsultationFactory(closed=True, closed_at=timezone.now() - timedelta(weeks=13))
    assert selectors.outcome_clock(consultation).overdue
    page = client.get(reverse("participation:consultation_detail", args=[consultation.slug]))
    assert "Overdue" in page.text


def test_outcome_clock_does_not_run_while_the_consultation_is_open():
    assert selectors.outcome_clock(ConsultationFactory()) is None


def test_public_page_shows_dates_documents_versions_datasets_and_the_decision(client, lead):
    consultation = ConsultationFactory(author=lead)
    DocumentFactory(consultation=consultation, title="Easy Read guide", kind="easy_read")
    DocumentFactory(consultation=consultation, title="Dogfen", kind="welsh")
    services.dataset_reference_add(
        actor=lead, consultation=consultation, dataset_slug="library-visits", title="Library visits"
    )
    page = client.get(reverse("participation:consultation_detail", args=[consultation.slug]))
    assert page.status_code == 200
    for text in (
        "Easy Read guide",
        "Easy Read",
        "Welsh (Cymraeg)",
        "Library visits",
        "Cabinet: library strategy",
        "Respond to this consultation",
    ):
        assert text in page.text
    assert 'href="/data/library-visits/"' in page.text


def test_draft_consultations_are_not_public(client):
    consultation = ConsultationFactory(draft=True)
    page = client.get(reverse("participation:consultation_detail", args=[consultation.slug]))
    assert page.status_code == 404


def test_staff_pages_ask_anonymous_visitors_to_sign_in(client):
    page = client.get(reverse("participation:manage_list"))
    assert page.status_code == 302
    assert "/accounts/login/" in page["Location"]


def test_staff_pages_are_forbidden_to_residents(client, resident):
    client.force_login(resident)
    assert client.get(reverse("participation:manage_list")).status_code == 403


def test_lead_creates_a_consultation_from_the_form(client, lead):
    client.force_login(lead)
    page = client.post(
        reverse("participation:manage_create"),
        {
            "title_en_gb": "Parks",
            "slug": "parks",
            "summary_en_gb": "Parks",
            "service_area": "Parks",
            "response_mode": "anyone",
            "opens_on_day": "1",
            "opens_on_month": "3",
            "opens_on_year": "2030",
            "closes_on_day": "1",
            "closes_on_month": "6",
            "closes_on_year": "2030",
        },
    )
    assert page.status_code == 302, page.content
    created = Consultation.objects.get(slug="parks")
    assert created.state == State.DRAFT
    assert created.author == lead
    assert timezone.localtime(created.closes_at).hour == 23


def test_lead_approves_from_the_staff_page(client, lead, approver):
    consultation = ConsultationFactory(draft=True, author=lead)
    client.force_login(approver)
    client.post(reverse("participation:manage_step", args=[consultation.slug, "approve"]))
    consultation.refresh_from_db()
    assert consultation.state == State.APPROVED


def test_consultation_address_cannot_take_one_the_site_uses(client, lead):
    client.force_login(lead)
    page = client.post(reverse("participation:manage_create"), {"title": "X", "slug": "outcomes"})
    assert "Choose another address" in page.text
