"""In a real browser on a phone: an officer imports a neighbouring council's published
scorecard from Manage, is told exactly what is wrong with a broken one, and a resident
compares the councils by region, with the radar and bar charts and their tables."""

import copy
import json
from datetime import date

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from townhall.leadership import maturity, services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


def _publish_ours(officer) -> None:
    framework = services.maturity_framework_load(
        actor=officer, data=json.loads(maturity.DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
    )
    assessment = services.maturity_assessment_start(
        actor=officer, framework=framework, assessed_on=date(2026, 12, 1)
    )
    for key, question in maturity.questions(framework.definition).items():
        if "measure" not in question:
            services.maturity_answer(
                actor=officer, assessment=assessment, question=key, level=3, evidence="Shown."
            )
    services.maturity_assessment_publish(actor=officer, assessment=assessment)


def _upload(page, data) -> None:
    page.get_by_label("Scorecard file").set_input_files(
        {
            "name": "eastmere.json",
            "mimeType": "application/json",
            "buffer": json.dumps(data).encode(),
        }
    )
    page.get_by_role("button", name="Import scorecard").click()


def test_officer_imports_a_neighbours_scorecard_and_a_resident_compares_on_a_phone(
    browser, live_server, person
):
    officer = person("decisions_officer", is_staff=True)
    _publish_ours(officer)
    client = Client()
    client.force_login(officer)
    ours = client.get("/api/v1/scorecard").json()
    theirs = copy.deepcopy(ours)
    theirs.update(council="Eastmere District Council", council_code="E07999901", total=72.5)
    theirs["sections"][0]["percent"] = 90.0
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/manage/")
    page.get_by_role("link", name="Digital maturity").first.click()
    page.get_by_role("link", name="Other councils' scorecards").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Other councils' scorecards")
    _fits_the_screen(page)
    assert_accessible(page)

    broken = copy.deepcopy(theirs)
    broken["sections"][1]["questions"][0]["level"] = 7
    _upload(page, broken)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "sections[1].questions[0].level: 7 is out of range: it must be from 1 to 5"
    )
    assert_accessible(page)

    page.get_by_label("Type of council (optional)").select_option(label="District council")
    page.get_by_label("Region (optional)").select_option(label="North West")
    _upload(page, theirs)
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "The scorecard of Eastmere District Council, assessed on 1 December 2026, is imported."
    )
    expect(page.get_by_role("table")).to_contain_text("Eastmere District Council")
    _fits_the_screen(page)

    page.get_by_role("link", name="See the public comparison").click()
    page.get_by_label("Region (optional)").select_option(label="Wales")
    page.get_by_role("button", name="Show councils").click()
    expect(page.locator("main")).not_to_contain_text("Eastmere District Council")
    page.get_by_label("Region (optional)").select_option(label="North West")
    page.get_by_role("button", name="Show councils").click()
    expect(page.get_by_role("table").first).to_contain_text("Eastmere District Council")
    radar = page.locator("svg", has=page.locator("title", has_text="Areas: this council"))
    expect(radar).to_be_visible()
    page.get_by_text("Show the data as a table").first.click()
    expect(
        page.get_by_role("columnheader", name="Average of the other councils shown")
    ).to_be_visible()
    _fits_the_screen(page)
    assert_accessible(page)
    context.close()
