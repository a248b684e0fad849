"""Browser journey: a consultation lead on a phone fixes a typo in a question of an open
consultation that already has a response; the answer stays, the pages pass axe and fit
390 px."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.test_participation_journey import _signed_in_context
from tests.participation.factories import (
    ConsultationFactory,
    LeadFactory,
    QuestionFactory,
    SurveyPageFactory,
)
from townhall.participation import services
from townhall.participation.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_lead_fixes_a_typo_in_an_open_survey_on_a_phone(browser, live_server):
    lead = LeadFactory()
    consultation = ConsultationFactory(author=lead, title="Library hours")
    question = QuestionFactory(
        page=SurveyPageFactory(consultation=consultation, title="Your views"),
        kind=Question.Kind.SINGLE_CHOICE,
        text="How often do you vist the library?",
        choices=["Weekly", "Montly", "Never"],
    )
    services.response_record(
        actor=lead, consultation=consultation, channel="paper", answers={str(question.pk): "Montly"}
    )
    context = _signed_in_context(browser, live_server, lead, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/consultations/manage/{consultation.slug}/survey/")
    page.get_by_role("link", name="Change “How often do you vist the library?”").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("only changes that keep")
    assert_accessible(page)
    _fits_the_phone(page)

    page.get_by_label("Question", exact=True).fill("How often do you visit the library?")
    page.get_by_label("Option 2", exact=True).fill("Monthly")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("The question is saved.")
    expect(page.locator("main")).to_contain_text("How often do you visit the library?")
    assert_accessible(page)
    _fits_the_phone(page)
    context.close()
    assert question.answers.get().choice == "Monthly"
