"""Browser journeys on a phone: a consultation lead cross-tabulates the results (the wide
table scrolls inside its own box, never the page) and codes several free-text answers at
once; both pages pass axe."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.participation.factories import (
    ConsultationFactory,
    LeadFactory,
    QuestionFactory,
    SurveyPageFactory,
)
from townhall.participation import services
from townhall.participation.models import Answer, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ETHNICITY = [
    "Black, Black British, Caribbean or African: African",
    "Black, Black British, Caribbean or African: Caribbean",
    "Black, Black British, Caribbean or African: Any other Black background",
    "White: English, Welsh, Scottish, Northern Irish or British",
]


def _phone_signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="en-GB"
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def test_lead_on_a_phone_cross_tabulates_results_in_a_box_that_scrolls(browser, live_server):
    lead = LeadFactory()
    consultation = ConsultationFactory(title="Library opening hours", author=lead)
    page_of_survey = SurveyPageFactory(consultation=consultation)
    often = QuestionFactory(
        page=page_of_survey,
        kind=Question.Kind.SINGLE_CHOICE,
        text="How often do you visit?",
        choices=["Weekly", "Never"],
    )
    ethnicity = QuestionFactory(
        page=page_of_survey,
        kind=Question.Kind.SINGLE_CHOICE,
        text="What is your ethnic group?",
        choices=ETHNICITY,
    )
    for number in range(12):
        services.response_record(
            actor=lead,
            consultation=consultation,
            channel="paper",
            answers={
                str(often.pk): ["Weekly", "Never"][number % 2],
                str(ethnicity.pk): ETHNICITY[number % 4],
            },
        )
    context = _phone_signed_in(browser, live_server, lead)
    tab = context.new_page()

    tab.goto(f"/consultations/manage/{consultation.slug}/results/")
    expect(tab.locator("svg.th-chart__svg").last).to_contain_text("Any other Black")
    tab.get_by_role("link", name="Cross-tabulate the results").click()
    tab.get_by_label("Rows").select_option(label="How often do you visit?")
    tab.get_by_label("Columns").select_option(label="What is your ethnic group?")
    tab.get_by_role("button", name="Show the table").click()

    table = tab.get_by_role("table", name="How often do you visit? by What is your ethnic group?")
    expect(table).to_contain_text(ETHNICITY[2])
    expect(table).to_contain_text("fewer than 5")
    box = tab.locator(".th-table-scroll")
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(tab)
    context.close()


def test_lead_ticks_several_answers_and_codes_them_in_one_go(browser, live_server):
    lead = LeadFactory()
    consultation = ConsultationFactory(author=lead)
    comments = QuestionFactory(
        page=SurveyPageFactory(consultation=consultation),
        kind=Question.Kind.LONG_TEXT,
        text="Anything else?",
    )
    for text in ("Nowhere to park", "Open on Sundays", "Parking is too dear"):
        services.response_record(
            actor=lead, consultation=consultation, channel="paper", answers={str(comments.pk): text}
        )
    context = _phone_signed_in(browser, live_server, lead)
    tab = context.new_page()

    tab.goto(f"/consultations/manage/{consultation.slug}/results/{comments.pk}/")
    tab.locator("#answer-{}".format(Answer.objects.get(text="Nowhere to park").pk)).get_by_label(
        "Select this answer"
    ).check()
    tab.locator(
        "#answer-{}".format(Answer.objects.get(text="Parking is too dear").pk)
    ).get_by_label("Select this answer").check()
    tab.get_by_label("Code to add to the selected answers").fill("Parking")
    tab.get_by_role("button", name="Add code to selected answers").click()

    expect(tab.get_by_text("Code added to the selected answers.")).to_be_visible()
    assert sorted(Answer.objects.filter(codes__label="Parking").values_list("text", flat=True)) == [
        "Nowhere to park",
        "Parking is too dear",
    ]
    tab.get_by_label("Show").select_option(label="Answers with no code")
    tab.get_by_role("button", name="Filter answers").click()
    expect(tab.locator(".govuk-summary-card")).to_have_count(1)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(tab)
    context.close()
