"""In a real browser, on a phone-sized screen: a data publisher adds a second Townhall as a
harvest source from Manage, harvests it, and reads the run's report; each page passes
axe-core and none is wider than the screen."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.opendata.factories import DatasetFactory, LinkResourceFactory, OrganisationFactory
from townhall.opendata.models import Dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def _check(page) -> None:
    assert_accessible(page)
    _fits_the_screen(page)


def test_publisher_harvests_a_neighbouring_townhall_on_a_phone(
    browser, live_server, person, settings
):
    settings.HARVEST_ALLOW_PRIVATE_ADDRESSES = True
    neighbour = OrganisationFactory(title="Neighbouring council", slug="neighbouring-council")
    spending = DatasetFactory(
        published=True, publisher=neighbour, title="Spending over £500", slug="spending"
    )
    LinkResourceFactory(dataset=spending, format="CSV", url="https://files.example/spend.csv")
    OrganisationFactory(title="Harvested from our neighbours", slug="from-neighbours")
    publisher = person("data_publisher", is_staff=True)
    client = Client()
    client.force_login(publisher)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/manage/")
    page.get_by_role("link", name="Harvest sources").click()
    _check(page)
    page.get_by_role("link", name="Add a harvest source").click()
    page.get_by_role("button", name="Add source").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the source")
    _check(page)
    page.get_by_label("Name").fill("Neighbouring council's data")
    page.get_by_label("CKAN API").check()
    page.get_by_label("Address").fill(live_server.url)
    page.get_by_label("Only this organisation (optional)").fill("neighbouring-council")
    page.get_by_label("File the datasets under").select_option(
        label="Harvested from our neighbours"
    )
    page.get_by_label("Only when asked").check()
    page.get_by_role("button", name="Add source").click()
    expect(page.locator("h1")).to_have_text("Neighbouring council's data")
    _check(page)
    page.get_by_role("button", name="Harvest everything now").click()
    expect(page.locator("h1")).to_have_text("Harvest report")
    expect(page.locator("main")).to_contain_text("Spending over £500")
    expect(page.locator("main")).to_contain_text("Finished")
    _check(page)
    context.close()

    copy = Dataset.objects.get(harvest_source__isnull=False)
    assert copy.publisher.slug == "from-neighbours" and copy.pk != spending.pk
