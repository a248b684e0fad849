"""In a real browser at phone width: a resident opens Digital leadership from the menu,
filters the decisions register by their ward, reads a decision and sees what evidence it
cites, or that it cites none."""

import pytest
from playwright.sync_api import expect

from tests.core.factories import AreaFactory
from tests.e2e.axe import assert_accessible
from tests.leadership.factories import DecisionFactory, PortfolioFactory, in_wards

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


def test_resident_finds_a_decision_for_their_ward_and_sees_its_evidence_on_a_phone(page):
    ward = AreaFactory(code="E05999904", name="Riverside")
    portfolio = PortfolioFactory(name="Environment and transport")
    in_wards(
        DecisionFactory(
            portfolio=portfolio,
            title="Dim street lights on residential roads after midnight",
            maker_name="Cabinet member for environment and transport",
        ),
        ward.code,
    )
    DecisionFactory(portfolio=portfolio, title="Approve the cyber security plan")

    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Digital leadership"
    ).click()
    page.get_by_role("heading", name="Digital leadership", level=1).wait_for()
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="See all decisions and the evidence behind them").click()
    page.get_by_role("heading", name="Decisions", level=1).wait_for()
    expect(page.locator("[aria-current=page]")).to_have_text("Digital leadership")
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("Ward").select_option(label="Riverside")
    page.get_by_role("button", name="Show decisions").click()
    page.get_by_role("link", name="See all decisions").wait_for()
    assert page.get_by_role("link", name="Approve the cyber security plan").count() == 0
    page.get_by_role("link", name="Dim street lights").click()
    page.get_by_role("heading", level=1, name="Dim street lights").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)
    expect(page.get_by_text("This decision cites no evidence")).to_be_visible()
