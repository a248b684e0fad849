"""In a real browser on a 390px phone: a resident finds free Wi-Fi, a device loan and a
skills class near a postcode, open now; each page fits the screen, passes axe, and weighs
at most 100 KB transferred without JavaScript."""

import gzip
from datetime import time

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.inclusion.factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
)
from townhall.core.models import Postcode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOST_BYTES = 100_000


@pytest.fixture
def directory(db):
    """NB1 1AA, and Wi-Fi, a device loan and a skills class near it, open all week."""
    Postcode.objects.create(
        postcode="NB1 1AA", latitude=53.05, longitude=-1.55, local_authority_code="E07999999"
    )
    for name, place, terms, latitude in (
        ("Free Wi-Fi at Riverside Library", "Riverside Library", ["free-wifi"], 53.052),
        ("Laptop loans", "Castle Community Centre", ["device-loans"], 53.055),
        ("Get online course", "Abbey School", ["skills-foundation"], 53.06),
    ):
        service = ServiceFactory(name_en_gb=name, terms=terms)
        at = ServiceAtLocationFactory(
            service=service, location=LocationFactory(name_en_gb=place, latitude=latitude)
        )
        ScheduleFactory(
            service_at_location=at,
            byday="MO,TU,WE,TH,FR,SA,SU",
            opens_at=time(0),
            closes_at=time(23, 59, 59),
        )


def _fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _search(page, kind: str) -> None:
    page.get_by_label("Postcode").fill("nb1 1aa")
    page.get_by_label("What kind of help").select_option(label=kind)
    page.get_by_label("Only show places open now").check()
    page.get_by_role("button", name="Find help").click()


def test_a_resident_finds_wifi_a_device_loan_and_a_skills_class_open_now(page, directory):
    page.goto("/")
    page.get_by_role("link", name="Digital help").first.click()
    page.get_by_role("heading", name="Find digital help").wait_for()

    for kind, found in (
        ("Free Wi-Fi", "Free Wi-Fi at Riverside Library"),
        ("Device loans and gifts", "Laptop loans"),
        ("Basic digital skills courses", "Get online course"),
    ):
        _search(page, kind)
        expect(page.get_by_role("link", name=found)).to_be_visible()
        expect(page.get_by_text("Open now").first).to_be_visible()
        expect(page.locator(".th-map svg")).to_be_visible()
        _fits_the_screen(page)
        assert_accessible(page)

    page.get_by_role("link", name="Get online course").click()
    page.get_by_role("heading", name="Opening times this week").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)


def test_digital_help_in_welsh_fits_and_passes_axe(page, directory):
    page.goto("/cy/digital-help/?postcode=NB1+1AA&kind=free-wifi")
    page.get_by_role("link", name="Free Wi-Fi at Riverside Library").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)


def _sent(request) -> int:
    """Bytes the response to `request` took on the wire. The test server sends static files
    as they are; production sends them compressed (WhiteNoise's storage, ADR 0039), so for
    an uncompressed static file count its gzip size, as production would send it."""
    size = request.sizes()
    response = request.response()
    body = size["responseBodySize"]
    if "/static/" in request.url and not response.header_value("content-encoding"):
        body = len(gzip.compress(response.body(), 9))
    return size["responseHeadersSize"] + body


def test_digital_help_pages_weigh_at_most_100_kb_without_javascript(
    browser, live_server, directory
):
    def weight(path: str) -> int:
        """A new visitor's page load (nothing cached), scripts off."""
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 390, "height": 844},
            java_script_enabled=False,
        )
        tab = context.new_page()
        finished = []
        tab.on("requestfinished", lambda request: finished.append(request))
        tab.goto(path, wait_until="load")
        total = sum(_sent(request) for request in finished)
        context.close()
        return total

    service = ServiceFactory._meta.model.objects.get(name_en_gb="Laptop loans")
    for path in (
        "/digital-help/?postcode=NB1+1AA&open_now=on",
        "/cy/digital-help/?postcode=NB1+1AA",
        f"/digital-help/services/{service.slug}/",
    ):
        size = weight(path)
        assert 0 < size <= MOST_BYTES, f"{path}: {size} bytes"
