"""In a real browser on a phone: a resident charts three years of spending by department
(the top ten and the rest as "Other") and by month, each with its figures in a table.
The journey in test_opendata_journey.py runs axe-core over a page with a chart."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.opendata.factories import DatasetFactory, upload
from townhall.opendata import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

DEPARTMENTS = [f"Department {letter}" for letter in "ABCDEFGHIJKL"]


@pytest.fixture
def spending(person, settings, tmp_path):
    """600 payments from October 2023 to September 2026 across twelve departments."""
    settings.MEDIA_ROOT = str(tmp_path)
    lines = ["Transaction date,Department/service,Net amount"]
    for n in range(600):
        day = dt.date(2023, 10, 1) + dt.timedelta(days=n * 1095 // 600)
        lines.append(f"{day.isoformat()},{DEPARTMENTS[n % 12]},{500 + n % 12 * 100}.25")
    dataset = DatasetFactory(title="Spending over £500", slug="spending", published=True)
    publisher = person("data_publisher", is_staff=True)
    version = upload(publisher, dataset, content="\n".join(lines) + "\n", filename="spend.csv")
    services.resource_describe_columns(
        actor=publisher,
        resource=version.resource,
        columns=["Transaction date", "Department/service", "Net amount"],
        entries={"Net amount": {"unit": "£"}},
    )
    return version


def _fits_the_phone(page) -> None:
    box = page.locator("figure.th-chart").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390


def test_resident_charts_spending_by_department_and_by_month_on_a_phone(page, spending):
    resource = spending.resource
    page.goto(f"/data/spending/{resource.pk}/")

    page.get_by_label("Group by (optional)", exact=True).select_option("Department/service")
    page.get_by_label("Show (optional)", exact=True).select_option("sum")
    page.get_by_label("Of the column").select_option("Net amount")
    page.get_by_role("button", name="Draw chart").click()

    figure = page.locator("figure.th-chart")
    expect(figure.locator("figcaption")).to_have_text("Total Net amount by Department/service")
    page.get_by_text("Show the data as a table").click()
    rows = figure.locator("tbody tr")
    expect(rows).to_have_count(11)
    expect(rows.first.locator("th")).to_have_text("Department L")
    expect(rows.first.locator("td")).to_have_text("£80,012.50")
    expect(rows.last.locator("th")).to_have_text("Other (2 more)")
    expect(rows.last.locator("td")).to_have_text("£55,025.00")
    _fits_the_phone(page)

    page.get_by_label("Chart type").select_option("line")
    page.get_by_label("Group by (optional)", exact=True).select_option("Transaction date")
    page.get_by_label("Group dates by").select_option("month")
    page.get_by_role("button", name="Draw chart").click()

    expect(figure.locator("figcaption")).to_have_text("Total Net amount by month")
    page.get_by_text("Show the data as a table").click()
    expect(rows).to_have_count(36)
    expect(rows.first).to_contain_text("Oct 2023")
    expect(rows.last).to_contain_text("Sep 2026")
    _fits_the_phone(page)
