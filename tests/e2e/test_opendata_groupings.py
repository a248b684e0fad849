"""In a real browser on a phone-sized screen: the person who sets up the
catalogue adds a publisher in English and Welsh, renames it, is refused deleting one that a
dataset uses, deletes an unused one; each page passes axe-core."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.opendata.factories import DatasetFactory, OrganisationFactory
from townhall.opendata.models import Organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalogue_manager_adds_renames_and_deletes_publishers_on_a_phone(
    page, live_server, person
):
    manager = person("chief_digital_officer", is_staff=True)
    DatasetFactory(publisher=OrganisationFactory(title="Finance", slug="finance"), published=True)
    client = Client()
    client.force_login(manager)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto("/manage/")
    page.get_by_role("link", name="Publishers").click()
    expect(page.get_by_role("heading", name="Publishers")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a publisher").click()
    page.get_by_role("button", name="Add a publisher").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("This field is required")
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Libraries")
    page.get_by_label("Name in Welsh").fill("Llyfrgelloedd")
    page.get_by_role("button", name="Add a publisher").click()
    expect(page.locator("main")).to_contain_text("Libraries has been added.")

    page.get_by_role("link", name="Libraries").click()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Libraries and Archives")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("Changes to Libraries and Archives saved.")

    page.get_by_role("link", name="Finance").click()
    page.get_by_role("link", name="Delete").click()
    expect(page.locator("main")).to_contain_text("1 dataset uses it, so it cannot be deleted.")
    assert_accessible(page)

    page.goto("/data/publish/publishers/libraries/delete/")
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.locator("main")).to_contain_text("Libraries and Archives has been deleted.")
    assert list(Organisation.objects.values_list("slug", flat=True)) == ["finance"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
