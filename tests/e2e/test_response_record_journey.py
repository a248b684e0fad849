"""Browser journey: a resident on a phone saves their answers (the resume link fits the
screen), sends them, sees their reference and opens the printable copy."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.participation.factories import ConsultationFactory, library_survey
from townhall.participation.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_on_a_phone_keeps_a_record_of_their_response(browser, live_server):
    consultation = ConsultationFactory(title="Redesigning the library service")
    library_survey(consultation)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"/consultations/{consultation.slug}/respond/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Weekly").check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_label("Your link (select it to copy it)")).to_have_value(
        re.compile(r"/respond/resume/")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.goto(page.get_by_label("Your link (select it to copy it)").input_value())
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Anything else?").fill("Open on Sundays.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send response").click()
    reference = Response.objects.get().reference
    expect(page.locator(".govuk-panel")).to_contain_text(reference)
    page.get_by_role("link", name="See or print a copy of your answers").click()
    expect(page.locator("main")).to_contain_text("Open on Sundays.")
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    context.close()
