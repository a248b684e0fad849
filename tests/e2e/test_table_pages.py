"""On a 390 px phone: the catalogue shows results before its filters, no data page scrolls
sideways, the preview's numbers are right-aligned and formatted, and "About this data"
keeps its labels whole."""

import pytest
from playwright.sync_api import expect

from tests.opendata.factories import DatasetFactory, ThemeFactory, upload
from townhall.opendata import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH, PHONE_HEIGHT = 390, 844
WIDE = (
    "Transaction date,Supplier,Net amount,Irrecoverable VAT,Department/service,"
    "Procurement category,Purpose narrative,CIPFA expenditure code\n"
    "2023-10-01,Northbridge Highways Ltd,1250.00,250.00,Highways and Transport,"
    "Construction,Road resurfacing on the ring road,Contractors\n"
    "2023-10-02,Riverside Care Partnership,-120.00,0.00,Adult Social Care,"
    "Social care,Residential care placement,Private contractors\n"
)

# Lines a label's text takes: a label broken mid-word takes two.
LINES = (
    "el => { const range = document.createRange(); range.selectNodeContents(el);"
    " return range.getClientRects().length; }"
)


@pytest.fixture
def spending(person):
    publisher = person("data_publisher", is_staff=True)
    for number in range(12):
        DatasetFactory(published=True, themes=[ThemeFactory()], title=f"Register {number}")
    dataset = DatasetFactory(published=True, title="Spending over £500", slug="spending")
    services.dataset_update(actor=publisher, dataset=dataset, keywords=["spending", "payments"])
    resource = upload(publisher, dataset, WIDE, filename="spending.csv").resource
    services.resource_describe_columns(
        actor=publisher,
        resource=resource,
        columns=["Net amount"],
        entries={"Net amount": {"unit": "£"}},
    )
    return resource


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_data_pages_fit_a_phone_with_results_first_and_numbers_right_aligned(page, spending):
    page.goto("/data/")
    first = page.locator(".th-dataset-result").first
    expect(first).to_be_visible()
    assert first.bounding_box()["y"] < 2 * PHONE_HEIGHT
    assert _scroll_width(page) <= PHONE_WIDTH
    page.get_by_text("Filter results").click()
    expect(page.get_by_role("group", name="Publisher")).to_be_visible()

    page.goto(f"/data/{spending.dataset.slug}/")
    keys = page.locator(".th-summary-list--stacked .govuk-summary-list__key")
    expect(keys.filter(has_text="Keywords")).to_be_visible()
    assert _scroll_width(page) <= PHONE_WIDTH
    for width in (PHONE_WIDTH, 800, 1280):
        page.set_viewport_size({"width": width, "height": PHONE_HEIGHT})
        assert keys.evaluate_all(f"keys => keys.map({LINES})") == [1] * keys.count(), width
    page.set_viewport_size({"width": PHONE_WIDTH, "height": PHONE_HEIGHT})

    page.goto(f"/data/{spending.dataset.slug}/{spending.pk}/")
    amount = page.locator(".th-preview-table tbody tr").first.locator("td").nth(2)
    expect(amount).to_have_text("£1,250.00")
    assert amount.evaluate("cell => getComputedStyle(cell).textAlign") == "right"
    expect(page.locator(".th-preview-table tbody tr").first.locator("td").first).to_have_text(
        "1 Oct 2023"
    )
    assert _scroll_width(page) <= PHONE_WIDTH
