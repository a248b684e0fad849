"""In a real browser at phone width: a resident goes from the news list to an update."""

import pytest

from tests.core.factories import AreaFactory
from tests.e2e.axe import assert_accessible
from tests.news.factories import ServiceFactory, UpdateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


def test_resident_reads_an_update_from_the_news_list_on_a_phone(page):
    ward = AreaFactory(code="E05999904", name="Riverside")
    bins = ServiceFactory(slug="bins-and-recycling", name_en_gb="Bins and recycling")
    UpdateFactory(
        title_en_gb="Riverside Road resurfacing starts in January with overnight closures",
        summary_en_gb="Riverside Road closes overnight for four weeks.",
        body_en_gb="Work runs from 8pm to 6am.\n\n- Access kept\n- Parking suspended",
        services=[bins],
        ward_codes=[ward.code],
    )
    page.goto("/news/")
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="Riverside Road resurfacing").click()
    page.get_by_role("heading", level=1, name="Riverside Road resurfacing").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)
    assert page.locator("article li").count() == 2
