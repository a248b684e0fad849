"""In a real browser, on a phone-sized screen: an administrator adds a council page from
Manage (after fixing a mistake), changes the site settings and corrects a ward's Welsh
name; each page passes axe-core and fits the screen."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.core.factories import AreaFactory
from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_administrator_manages_pages_settings_and_area_names_on_a_phone(
    page, live_server, administrator
):
    AreaFactory(name="Castle", code="E05000001")
    _sign_in(page, live_server, administrator)

    page.goto("/manage/")
    page.get_by_role("link", name="Council pages").click()
    expect(page.get_by_role("heading", name="Council pages")).to_be_visible()
    assert_accessible(page)
    _fits_the_screen(page)

    page.get_by_role("link", name="Add a page").click()
    page.get_by_label("Title", exact=True).fill("Bins and recycling")
    page.get_by_role("button", name="Add page").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    _fits_the_screen(page)
    page.get_by_label("Body", exact=True).fill("## Collection days\n\nEvery Tuesday.")
    page.get_by_label("Body in Welsh").fill("Pob dydd Mawrth.")
    page.get_by_label("Address").fill("bins")
    page.get_by_role("button", name="Add page").click()
    expect(page.get_by_text("“Bins and recycling” has been added")).to_be_visible()

    page.goto("/bins/")
    expect(page.get_by_role("heading", name="Collection days")).to_be_visible()

    page.goto("/manage/settings/")
    assert_accessible(page)
    _fits_the_screen(page)
    page.get_by_label("Brand colour").fill("#ffdd00")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page.goto("/manage/areas/")
    assert_accessible(page)
    _fits_the_screen(page)
    page.get_by_role("link", name="Castle").click()
    page.get_by_label("Name in Welsh").fill("Castell")
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_role("cell", name="Castell")).to_be_visible()
