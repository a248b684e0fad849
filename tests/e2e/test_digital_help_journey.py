"""In a real browser on a 390px phone: a resident finds free Wi-Fi, a device loan and a
skills class near a postcode, open now; each page fits the screen, passes axe, and weighs
at most 100 KB transferred without JavaScript."""

import gzip
from datetime import time
from pathlib import Path

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

BUILD = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "townhall"
    / "core"
    / "static"
    / "townhall"
    / "build"
)
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


@pytest.fixture
def compressed_stylesheets():
    """Production serves static files compressed (WhiteNoise's storage writes a .gz beside
    each at collectstatic, ADR 0039); the test server serves what it finds, so write the
    same .gz files for the build's stylesheets, and take away those written here."""
    written = []
    for stylesheet in BUILD.glob("*.css"):
        target = stylesheet.with_name(stylesheet.name + ".gz")
        if not target.exists():
            target.write_bytes(gzip.compress(stylesheet.read_bytes(), 9))
            written.append(target)
    yield
    for target in written:
        target.unlink(missing_ok=True)


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


def test_digital_help_pages_weigh_at_most_100_kb_without_javascript(
    browser, live_server, directory, compressed_stylesheets
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    tab = context.new_page()
    finished = []
    tab.on("requestfinished", finished.append)

    def weight(path: str) -> int:
        finished.clear()
        tab.goto(path, wait_until="load")
        sizes = [request.sizes() for request in finished]
        return sum(size["responseBodySize"] + size["responseHeadersSize"] for size in sizes)

    results = weight("/digital-help/?postcode=NB1+1AA&open_now=on")
    tab.goto("/digital-help/?postcode=NB1+1AA")
    tab.get_by_role("link", name="Laptop loans").click()
    service = weight(tab.url)
    context.close()

    assert 0 < results <= MOST_BYTES, f"Find digital help weighs {results} bytes"
    assert 0 < service <= MOST_BYTES, f"a service's page weighs {service} bytes"
