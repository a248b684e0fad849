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


def _survey_with_responses(officer, lead, *, weekly=5, never=1):
    """A consultation with a closed question, an equality monitoring question and a free
    text one, answered by `weekly + never` people, then closed."""
    from .factories import QuestionFactory, SurveyPageFactory

    consultation = ConsultationFactory(author=lead, title="Library hours")
    page = SurveyPageFactory(consultation=consultation)
    often = QuestionFactory(
        page=page,
        kind="single_choice",
        text="How often do you visit?",
        choices=["Weekly", "Never"],
        choices_cy=["Yn wythnosol", "Byth"],
    )
    age = QuestionFactory(
        page=page,
        kind="single_choice",
        text="Your age band",
        choices=["Under 30", "30 or over"],
        monitoring_topic="age",
    )
    comments = QuestionFactory(page=page, kind="long_text", text="Anything else?")
    for choice in ["Weekly"] * weekly + ["Never"] * never:
        services.response_record(
            actor=officer,
            consultation=consultation,
            channel="paper",
            answers={
                str(often.pk): choice,
                str(age.pk): "Under 30",
                str(comments.pk): "Private words about my neighbour",
            },
            received_at=timezone.now() - timedelta(days=1),
        )
    return services.consultation_close(actor=lead, consultation=consultation)


def _outcome_page(client, consultation):
    return client.get(reverse("participation:consultation_detail", args=[consultation.slug]))


def test_published_outcome_shows_how_many_responded_and_a_summary_with_small_counts_hidden(
    client, lead, officer
):
    consultation = _survey_with_responses(officer, lead, weekly=6, never=0)
    services.outcome_publish(actor=lead, consultation=consultation, **OUTCOME)
    page = _outcome_page(client, consultation)
    assert "6 people responded" in page.text
    summary = page.text.split("What people told us")[1]
    assert "How often do you visit?" in summary
    assert "Weekly" in summary and "Fewer than 5" in summary
    assert "Your age band" not in summary
    assert "Private words" not in page.text


def test_published_outcome_withholds_a_count_that_subtraction_from_the_total_would_give_away(
    client, lead, officer
):
    consultation = _survey_with_responses(officer, lead, weekly=5, never=1)
    services.outcome_publish(actor=lead, consultation=consultation, **OUTCOME)
    summary = _outcome_page(client, consultation).text.split("What people told us")[1]

    # 6 responded and 5 visit weekly would leave exactly one who never does.
    assert "6 people responded" in _outcome_page(client, consultation).text
    assert "Fewer than 5" in summary and "Withheld" in summary
    assert ">5<" not in summary


def test_published_outcome_links_to_the_results_dataset_once_open_data_publishes_it(
    client, lead, officer
):
    from townhall.opendata.services.platform import platform_datasets_sync

    consultation = _survey_with_responses(officer, lead)
    services.outcome_publish(actor=lead, consultation=consultation, **OUTCOME)
    assert "Download the results as open data" not in _outcome_page(client, consultation).text
    dataset = next(
        d for d in platform_datasets_sync() if d.platform_export == "consultation-results"
    )
    page = _outcome_page(client, consultation)
    assert "Download the results as open data" in page.text
    assert reverse("opendata:dataset", args=[dataset.slug]) in page.text


def test_a_closed_consultation_reads_opened_and_closed_rather_than_opens(client, lead):
    consultation = ConsultationFactory(closed=True, author=lead)
    services.outcome_publish(actor=lead, consultation=consultation, **OUTCOME)
    page = _outcome_page(client, consultation)
    assert ">Opened<" in page.text and ">Closed<" in page.text
    assert ">Opens<" not in page.text and ">Closes<" not in page.text
    listing = client.get(reverse("participation:outcome_list"))
    assert "Opened" in listing.text and "closed" in listing.text


def test_an_open_consultation_reads_opened_and_closes(client):
    page = _outcome_page(client, ConsultationFactory())
    assert ">Opened<" in page.text and ">Closes<" in page.text
    assert ">Opens<" not in page.text


def test_the_welsh_outcome_page_shows_the_summary(client, lead, officer):
    consultation = _survey_with_responses(officer, lead)
    services.outcome_publish(actor=lead, consultation=consultation, **OUTCOME)
    page = client.get(
        f"/cy{reverse('participation:consultation_detail', args=[consultation.slug])}"
    )
    assert page.status_code == 200
    assert "Ymatebodd 6 o bobl" in page.text
    summary = page.text.split("Beth ddywedodd pobl wrthym")[1]
    assert "Yn wythnosol" in summary and "Llai na 5" in summary


def test_consultations_waiting_for_their_outcome_say_when_they_closed(client):
    ConsultationFactory(closed=True, title="Street lighting")
    page = client.get(reverse("participation:consultation_list"))
    waiting = page.text.split("Closed, waiting for the outcome")[1]
    assert "Street lighting" in waiting
    assert "closed" in waiting.split("Street lighting")[1].split("</li>")[0]
