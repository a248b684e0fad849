"""In a real browser, on a phone-sized screen: a publisher uploads a new version with a
problem to a published dataset, finds it waiting for confirmation while the public still
see the previous version, confirms the problem and publishes it (ADR 0037)."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.opendata.factories import DatasetFactory, upload
from tests.opendata.test_publishing import QUIRKY_CSV

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_publisher_confirms_the_problems_of_a_held_version_and_publishes_it(
    browser, live_server, person, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    publisher = person("data_publisher", is_staff=True)
    dataset = DatasetFactory(published=True, slug="spending")
    resource = upload(publisher, dataset).resource
    upload(publisher, dataset, QUIRKY_CSV, filename="spend.csv", resource=resource)
    client = Client()
    client.force_login(publisher)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"/data/spending/{resource.pk}/")
    expect(page.locator("#held-version")).to_contain_text(
        "Loaded with 1 problem — waiting for you to confirm"
    )
    expect(page.locator("#load-problems tbody tr")).to_contain_text("31/02/2023")
    expect(page.locator(".th-preview-table")).to_contain_text("Abbey")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("button", name="Publish this version").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The data was loaded with 1 problem."
    )
    page.get_by_label("I have checked the problems and want to publish the data as it is").check()
    page.get_by_role("button", name="Publish this version").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The new version is published."
    )
    expect(page.locator(".th-preview-table")).to_contain_text("Acme Ltd")
