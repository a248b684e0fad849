"""In a real browser on a 390px phone: the digital exclusion risk index of the demo council
fits the screen (its table scrolls in its own box), passes axe in English and Welsh, and
weighs at most 100 KB without JavaScript (about 26 KB for the demo's 66 areas)."""

import pytest

from tests.e2e.axe import assert_accessible
from tests.e2e.test_digital_help_journey import MOST_BYTES, _sent
from tests.inclusion.test_risk_demo import _demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def northbridge(db):
    _demo()


@pytest.mark.parametrize("path", ["/digital-help/risk/", "/cy/digital-help/risk/"])
def test_the_risk_index_fits_a_phone_and_passes_axe(page, northbridge, path):
    page.goto(path)

    page.locator("svg.th-map__svg").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)


def test_the_risk_index_is_light_without_javascript(browser, live_server, northbridge):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    tab = context.new_page()
    finished = []
    tab.on("requestfinished", lambda request: finished.append(request))
    tab.goto("/digital-help/risk/", wait_until="load")
    size = sum(_sent(request) for request in finished)
    context.close()

    assert 0 < size <= MOST_BYTES, size
