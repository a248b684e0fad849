"""The resource preview's chart: a grouped query over the whole filtered table, labelled
as the table's values read (money where the data dictionary's unit is £), with its
figures in a table and an address that draws it again."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from townhall.opendata import services

from .factories import DatasetFactory, upload

pytestmark = pytest.mark.django_db

DEPARTMENTS = [
    *["Adult Social Care"] * 6, *["Highways"] * 3, *["Libraries"] * 2,
    "Parks", "Waste", "Planning", "Housing",
]  # fmt: skip


def _spending_csv(rows: int) -> str:
    """`rows` payments over three years; department by a fixed cycle; £1,000.50 each."""
    start = dt.date(2023, 10, 1)
    lines = ["Transaction date,Department/service,Net amount"]
    for n in range(rows):
        day = start + dt.timedelta(days=n * 3)
        lines.append(f"{day.isoformat()},{DEPARTMENTS[n % len(DEPARTMENTS)]},1000.50")
    return "\n".join(lines) + "\n"


@pytest.fixture
def spending(publisher):
    """The preview of 360 payments whose data dictionary says "Net amount" is in pounds."""
    version = upload(
        publisher, DatasetFactory(published=True), content=_spending_csv(360), filename="spend.csv"
    )
    resource = version.resource
    services.resource_describe_columns(
        actor=publisher,
        resource=resource,
        columns=["Transaction date", "Department/service", "Net amount"],
        entries={"Net amount": {"unit": "£"}},
    )
    return reverse("opendata:resource", args=[resource.dataset.slug, resource.pk])


def _chart_rows(page: str) -> list[tuple[str, str]]:
    """The (label, value) rows of the table behind the chart."""
    figure = page[page.index('<figure class="th-chart"') :]
    body = figure[figure.index("<tbody") : figure.index("</tbody>")]
    return re.findall(r'<th scope="row"[^>]*>(.*?)</th>\s*<td[^>]*>(.*?)</td>', body, re.S)


def test_a_bar_per_department_totals_every_row_not_the_page_in_view(client, spending):
    page = client.get(
        spending, {"chart": "bar", "x": "Department/service", "agg": "sum", "y": "Net amount"}
    ).content.decode()

    # 360 rows, a page of 50: one bar per department, each the total of all its rows.
    assert _chart_rows(page) == [
        ("Adult Social Care", "£144,072.00"),
        ("Highways", "£72,036.00"),
        ("Libraries", "£48,024.00"),
        ("Housing", "£24,012.00"),
        ("Parks", "£24,012.00"),
        ("Planning", "£24,012.00"),
        ("Waste", "£24,012.00"),
    ]
    assert "Total Net amount by Department/service" in page


def test_the_departments_past_the_top_n_are_shown_as_other(client, spending):
    page = client.get(
        spending, {"x": "Department/service", "agg": "sum", "y": "Net amount", "top": "5"}
    ).content.decode()
    assert _chart_rows(page)[4:] == [("Parks", "£24,012.00"), ("Other (2 more)", "£48,024.00")]

    page = client.get(
        spending,
        {"x": "Department/service", "agg": "count", "top": "5", "col": "Department/service",
         "op": "ne", "val": "Parks"},
    ).content.decode()  # fmt: skip
    assert _chart_rows(page) == [
        ("Adult Social Care", "144"), ("Highways", "72"), ("Libraries", "48"),
        ("Housing", "24"), ("Planning", "24"), ("Other (1 more)", "24"),
    ]  # fmt: skip


def test_a_line_by_month_spans_the_three_years_labelled_as_months(client, spending):
    page = client.get(
        spending,
        {"chart": "line", "x": "Transaction date", "period": "month", "agg": "sum",
         "y": "Net amount"},
    ).content.decode()  # fmt: skip

    rows = _chart_rows(page)
    assert rows[0][0] == "Oct 2023"
    assert rows[-1][0] == "Sep 2026"
    assert len(rows) == 36
    total = sum(Decimal(value.replace("£", "").replace(",", "")) for _label, value in rows)
    assert total == Decimal("1000.50") * 360
    assert "Total Net amount by month" in page


def test_days_read_as_the_table_writes_dates_and_quarters_as_their_months(client, spending):
    days = client.get(
        spending, {"chart": "line", "x": "Transaction date", "period": "day", "agg": "count"}
    ).content.decode()
    quarters = client.get(
        spending, {"x": "Transaction date", "period": "quarter", "agg": "count"}
    ).content.decode()

    assert _chart_rows(days)[0] == ("1 Oct 2023", "1")
    assert _chart_rows(quarters)[0] == ("Oct–Dec 2023", "31")


def test_the_link_to_a_chart_keeps_its_filters_and_settings(client, spending):
    query = {
        "col": "Department/service", "op": "eq", "val": "Highways",
        "x": "Transaction date", "period": "year", "agg": "sum", "y": "Net amount",
    }  # fmt: skip
    page = client.get(spending, query).content.decode()

    link = re.search(r'href="([^"]*)#chart">Link to this chart', page).group(1)
    again = client.get(link.replace("&amp;", "&")).content.decode()
    assert _chart_rows(again) == _chart_rows(page)
    assert [label for label, _value in _chart_rows(page)] == ["2023", "2024", "2025", "2026"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"x": "Department/service", "period": "month"}, "Group by a column of dates"),
        ({"x": "Department/service", "agg": "sum"}, "Choose the column of numbers to show"),
        (
            {"chart": "bar", "x": "Transaction date", "period": "week", "agg": "count"},
            "A bar chart shows at most 60 bars, and this one would have 155",
        ),
    ],
)
def test_a_chart_that_cannot_be_drawn_says_why(client, spending, query, message):
    page = client.get(spending, query).content.decode()

    assert message in page
    assert '<figure class="th-chart"' not in page


def test_a_published_chart_links_to_the_same_figures_in_the_datastore_api(client, spending):
    page = client.get(
        spending,
        {"col": "Department/service", "op": "eq", "val": "Highways",
         "x": "Transaction date", "period": "year", "agg": "sum", "y": "Net amount"},
    ).content.decode()  # fmt: skip

    api = re.search(r'href="([^"]*)">Get these figures as JSON', page).group(1)
    body = client.get(api.replace("&amp;", "&")).json()
    assert [(group["key"][:4], f"£{Decimal(group['value']):,}") for group in body["groups"]] == (
        _chart_rows(page)
    )
