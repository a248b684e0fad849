"""In a real browser on a 390px phone: a partner changes its library's Saturday opening
hours, and the directory officer approves the change from Manage; every page fits the
screen and passes axe."""

import json
from datetime import date, time

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.inclusion.factories import (
    DirectoryOfficerFactory,
    OrganizationFactory,
    PartnerFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
)
from townhall.inclusion.models import Schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def _signed_in(browser, live_server, person):
    client = Client()
    client.force_login(person)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_a_partner_changes_saturday_hours_and_the_officer_approves_them_on_a_phone(
    browser, live_server
):
    library = OrganizationFactory(name_en_gb="Northbridge Libraries")
    service = ServiceFactory(
        organization=library, name_en_gb="Free Wi-Fi at Riverside Library",
        last_confirmed=date(2024, 1, 5),
    )  # fmt: skip
    place = ServiceAtLocationFactory(service=service, location__name_en_gb="Riverside Library")
    ScheduleFactory(service_at_location=place)
    partner = PartnerFactory(library, email="library@example.org")

    page = _signed_in(browser, live_server, partner)
    page.goto("/account/")
    page.get_by_role("link", name="Check or update your directory entries").click()
    expect(page.get_by_text("Needs confirming")).to_be_visible()
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="Free Wi-Fi at Riverside Library").click()
    page.get_by_role("link", name="Propose changes").click()
    page.get_by_label("Saturday").fill("10:00 to 13:00")
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("Waiting for review").first).to_be_visible()
    _fits_the_screen(page)
    assert_accessible(page)

    page.context.close()
    page = _signed_in(browser, live_server, DirectoryOfficerFactory())
    page.goto("/manage/")
    page.get_by_role("link", name="1 change to a directory entry waiting for review").click()
    page.get_by_role("link", name="Free Wi-Fi at Riverside Library").click()
    expect(page.locator("tbody")).to_contain_text("Riverside Library: Saturday")
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("button", name="Approve and publish the change").click()
    expect(page.get_by_text("The change is approved and live.")).to_be_visible()
    page.context.close()

    assert Schedule.objects.filter(byday="SA", opens_at=time(10)).exists()


def test_an_import_with_problems_lists_them_on_a_phone(browser, live_server, tmp_path):
    from tests.inclusion.test_feed_import import page as feed_page
    from tests.inclusion.test_feed_import import service_record

    bad = service_record()
    bad["service_at_locations"][0]["location"]["latitude"] = 100
    bad["schedules"][0]["opens_at"] = "9am"
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(feed_page(bad)))

    page = _signed_in(browser, live_server, DirectoryOfficerFactory())
    page.goto("/digital-help/manage/")
    page.get_by_role("link", name="Import another directory").click()
    page.get_by_label("The feed's address").fill("https://directory.example.org/openreferral")
    page.get_by_label("Or upload its services").set_input_files(str(feed))
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_text("2 problems were found")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("latitude")
    _fits_the_screen(page)
    assert_accessible(page)
    page.context.close()


def test_the_officers_directory_pages_fit_a_phone_and_pass_axe(browser, live_server):
    library = OrganizationFactory(name_en_gb="Northbridge Libraries")
    ServiceFactory(organization=library, name_en_gb="Old Wi-Fi", last_confirmed=date(2020, 1, 1))
    PartnerFactory(library, email="a-rather-long-partner-address@northbridge-libraries.example")

    page = _signed_in(browser, live_server, DirectoryOfficerFactory())
    page.goto("/digital-help/manage/")
    page.get_by_label("Only stale entries").check()
    page.get_by_role("button", name="Search").click()
    expect(page.locator("tbody")).to_contain_text("Old Wi-Fi")
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="partner accounts Northbridge Libraries").click()
    expect(page.get_by_text("a-rather-long-partner-address").first).to_be_visible()
    _fits_the_screen(page)
    assert_accessible(page)
    page.goto("/digital-help/manage/changes/")
    _fits_the_screen(page)
    assert_accessible(page)
    page.context.close()
