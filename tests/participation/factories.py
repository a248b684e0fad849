"""Consultations, surveys and responses for tests, in any state of their lifecycle."""

import re
from datetime import timedelta

import factory
from django.urls import reverse
from django.utils import timezone

from tests.core.factories import UserFactory
from townhall.participation.models import (
    Consultation,
    ConsultationDocument,
    Question,
    SurveyPage,
)


def LeadFactory(**fields):
    """A member of staff holding the consultation lead role."""
    return UserFactory(roles=("consultation_lead",), is_staff=True, **fields)


class ConsultationFactory(factory.django.DjangoModelFactory):
    """An open consultation (opened a week ago, closing in three weeks) unless told otherwise."""

    class Meta:
        model = Consultation

    slug = factory.Sequence(lambda n: f"consultation-{n}")
    title = factory.Sequence(lambda n: f"Consultation number {n}")
    summary = "What we propose, in a sentence."
    description = "We propose **changes**."
    service_area = "Libraries and culture"
    state = Consultation.State.OPEN
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))
    author = factory.SubFactory(UserFactory, roles=("consultation_lead",), is_staff=True)
    decision_title = "Cabinet: library strategy"
    decision_url = "https://democracy.example.org/library"

    class Params:
        draft = factory.Trait(state=Consultation.State.DRAFT)
        approved = factory.Trait(state=Consultation.State.APPROVED)
        closed = factory.Trait(
            state=Consultation.State.CLOSED,
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=30)),
            closed_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=30)),
        )


class SurveyPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyPage

    consultation = factory.SubFactory(ConsultationFactory)
    title = factory.Sequence(lambda n: f"Page {n}")
    position = factory.Sequence(lambda n: n)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    page = factory.SubFactory(SurveyPageFactory)
    consultation = factory.SelfAttribute("page.consultation")
    kind = Question.Kind.SHORT_TEXT
    text = factory.Sequence(lambda n: f"Question {n}?")
    position = factory.Sequence(lambda n: n)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationDocument

    consultation = factory.SubFactory(ConsultationFactory)
    title = "Consultation document"
    url = "https://www.example.org/document.pdf"


def library_survey(consultation: Consultation) -> dict[str, Question]:
    """A two-page survey with a conditional question and a third page for the postcode."""
    first = SurveyPageFactory(consultation=consultation, title="Your library", position=1)
    frequency = QuestionFactory(
        page=first,
        kind=Question.Kind.SINGLE_CHOICE,
        text="How often do you visit?",
        choices=["Weekly", "Never"],
        required=True,
    )
    second = SurveyPageFactory(consultation=consultation, title="Why not", position=2)
    why_not = QuestionFactory(
        page=second,
        kind=Question.Kind.LONG_TEXT,
        text="Why do you not visit?",
        condition_question=frequency,
        condition_value="Never",
    )
    third = SurveyPageFactory(consultation=consultation, title="About the proposals", position=3)
    return {
        "frequency": frequency,
        "why_not": why_not,
        "services": QuestionFactory(
            page=third,
            kind=Question.Kind.MULTIPLE_CHOICE,
            text="Which services do you use?",
            choices=["Books", "Computers", "Events"],
        ),
        "comments": QuestionFactory(
            page=third, kind=Question.Kind.LONG_TEXT, text="Anything else?"
        ),
        "postcode": QuestionFactory(page=third, kind=Question.Kind.POSTCODE, text="Your postcode"),
    }


def submission_key(page) -> str:
    """The idempotency key rendered into a "check your answers" page."""
    found = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page.text)
    assert found, "the check-answers page has no idempotency key"
    return found.group(1)


def answer_online(client, consultation: Consultation, *page_answers: dict):
    """Go through the survey as a resident would: start, one POST per page, check, send.

    Returns the last HTTP response (the redirect to the confirmation page, normally).
    """
    page = client.post(reverse("participation:respond_start", args=[consultation.slug]))
    for answers in page_answers:
        assert page.status_code == 302, page.content
        page = client.post(page["Location"], answers)
    assert page.status_code == 302, page.content
    check = client.get(reverse("participation:respond_check", args=[consultation.slug]))
    return client.post(check.request["PATH_INFO"], {"idempotency_key": submission_key(check)})


class BudgetFactory(factory.django.DjangoModelFactory):
    """A borough-wide knapsack budget of £10,000 taking project ideas, unless told otherwise."""

    class Meta:
        model = "participation.Budget"

    slug = factory.Sequence(lambda n: f"fund-{n}")
    title = factory.Sequence(lambda n: f"Neighbourhood fund {n}")
    total_pence = 10_000_00
    ballot_kind = "knapsack"


class BudgetProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "participation.BudgetProject"

    budget = factory.SubFactory(BudgetFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    description = "A project residents asked for."
    cost_pence = 2_000_00
