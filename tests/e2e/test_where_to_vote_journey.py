"""In a real browser on a 390px phone: a resident opens Elections from the menu, finds their
polling station by postcode, and at a split postcode picks their address; each page fits the
screen and passes axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.elections.factories import riverside_stations, riverside_ward

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_resident_finds_their_station_from_the_menu_and_picks_an_address_when_split(page):
    riverside_ward()
    riverside_stations()
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Elections").click()
    page.get_by_role("heading", name="Elections", level=1).wait_for()
    expect(page.locator("[aria-current=page]")).to_have_text("Elections")
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("Postcode").fill("nb1 1aa")
    page.get_by_role("button", name="Find my polling station").click()
    page.get_by_role("heading", name="Your polling station", exact=True).wait_for()
    expect(page.locator("svg").first).to_be_visible()
    _fits_the_screen(page)
    assert_accessible(page)

    page.get_by_label("Postcode").fill("NB1 2AB")
    page.get_by_role("button", name="Find my polling station").click()
    page.get_by_role("heading", name="Choose your address").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="2 Mill Road").click()
    page.get_by_text("For 2 Mill Road").wait_for()
    expect(page.get_by_role("rowheader", name="Riverside School")).to_be_visible()
    _fits_the_screen(page)
