""" "We asked, you said, we did": publishing outcomes, and the public lists of them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from townhall.core.permissions import PermissionDenied
from townhall.participation import selectors, services
from townhall.participation.models import Consultation

from .factories import ConsultationFactory

pytestmark = pytest.mark.django_db

OUTCOME = {
    "you_said": "Keep **Millbrook** open.<script>alert(1)</script>",
    "we_did": "We kept Millbrook open three days a week.",
    "what_changed": "No library closes.",
    "decision_title": "Cabinet: library strategy 2027",
    "decision_url": "https://democracy.example.org/library-2027",
}


def test_lead_publishes_the_outcome_and_the_public_page_shows_it(client, lead):
    consultation = ConsultationFactory(closed=True, author=lead)
    client.force_login(lead)
    published = client.post(
        reverse("participation:manage_outcome", args=[consultation.slug]), OUTCOME
    )
    assert published.status_code == 302
    client.logout()
    page = client.get(reverse("participation:consultation_detail", args=[consultation.slug]))
    assert "We asked, you said, we did" in page.text
    assert "<strong>Millbrook</strong>" in page.text
    assert "<script>alert(1)</script>" not in page.text
    assert 'href="https://democracy.example.org/library-2027"' in page.text
    assert "The outcome was published on" in page.text
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.OUTCOME_PUBLISHED


def test_outcome_cannot_be_published_while_the_consultation_is_open(lead):
    consultation = ConsultationFactory(author=lead)
    with pytest.raises(services.InvalidTransition):
        services.outcome_publish(actor=lead, consultation=consultation, **OUTCOME)


def test_outcome_is_published_only_by_a_consultation_lead(officer):
    consultation = ConsultationFactory(closed=True)
    with pytest.raises(PermissionDenied):
        services.outcome_publish(actor=officer, consultation=consultation, **OUTCOME)


def test_outcome_list_shows_published_outcomes_and_overdue_consultations(client, lead):
    done = ConsultationFactory(closed=True, author=lead, title="Garden waste")
    services.outcome_publish(actor=lead, consultation=done, **OUTCOME)
    ConsultationFactory(
        closed=True, title="Street lighting", closed_at=timezone.now() - timedelta(weeks=14)
    )
    ConsultationFactory(closed=True, title="Recently closed")
    page = client.get(reverse("participation:outcome_list"))
    assert "Garden waste" in page.text
    assert "Cabinet: library strategy 2027" in page.text
    overdue_section = page.text.split("Outcomes that are overdue")[1]
    assert "Street lighting" in overdue_section
    assert "Recently closed" not in overdue_section
    assert "Garden waste" not in overdue_section


def test_overdue_outcomes_include_consultations_closed_by_date_only():
    ConsultationFactory(
        state=Consultation.State.CLOSED,
        opens_at=timezone.now() - timedelta(weeks=30),
        closes_at=timezone.now() - timedelta(weeks=13),
        title="Closed by date",
    )
    assert [c.title for c in selectors.overdue_outcomes()] == ["Closed by date"]


def test_consultation_list_links_to_outcomes_and_lists_open_consultations(client):
    ConsultationFactory(title="Library services")
    ConsultationFactory(draft=True, title="Secret draft")
    page = client.get(reverse("participation:consultation_list"))
    assert "Library services" in page.text
    assert "Secret draft" not in page.text
    assert reverse("participation:outcome_list") in page.text


def test_public_consultations_are_offered_to_site_search():
    from townhall.core.registry import registry

    ConsultationFactory(title="Library services")
    ConsultationFactory(draft=True, title="Secret draft")
    resource = registry.search_resource("consultation")
    documents = [doc for item in resource.items() for doc in resource.documents(item)]
    assert [document.title for document in documents] == ["Library services"]
