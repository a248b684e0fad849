"""Grouped queries: an aggregate of a measure per category or per period, over every
matching row, computed by the database with GROUP BY, validated and time-limited."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

from townhall.datastore import selectors
from townhall.datastore.errors import DataStoreError, QueryTimeout

from .factories import spend_rows

pytestmark = pytest.mark.django_db

SUPPLIERS_BY_SPEND = ["Northbridge Tyres", "Café Ñandú", "Borough Builders", "Acme Ltd"]


def _sums(rows, key) -> dict:
    totals: dict = defaultdict(Decimal)
    for row in rows:
        totals[key(row)] += Decimal(row[2])
    return totals


def test_sum_by_category_covers_every_row_not_one_page(make_table):
    rows = spend_rows(400)
    info = make_table(rows=rows)

    result = selectors.grouped(
        info.id, group_by="Supplier", aggregate="sum", measure="Net amount", limit=10
    )

    expected = _sums(rows, lambda row: row[1])
    assert [(g.key, g.value) for g in result.groups] == [
        (name, expected[name]) for name in SUPPLIERS_BY_SPEND
    ]
    assert sum(g.rows for g in result.groups) == 400
    assert result.other is None


def test_the_groups_past_the_top_n_are_summed_as_other(make_table):
    rows = spend_rows(400)
    info = make_table(rows=rows)

    result = selectors.grouped(
        info.id, group_by="Supplier", aggregate="sum", measure="Net amount", limit=2
    )

    expected = _sums(rows, lambda row: row[1])
    assert [g.key for g in result.groups] == SUPPLIERS_BY_SPEND[:2]
    assert result.other.value == sum(expected[name] for name in SUPPLIERS_BY_SPEND[2:])
    assert result.other.rows == 200
    assert result.other_groups == 2


def test_the_average_of_other_is_over_its_rows_not_an_average_of_averages(make_table):
    rows = [
        ["2024-01-01", "A", "100.00", "1", "yes"],
        ["2024-01-01", "B", "10.00", "1", "yes"],
        ["2024-01-01", "C", "1.00", "1", "yes"],
        ["2024-01-01", "C", "1.00", "1", "yes"],
        ["2024-01-01", "C", "4.00", "1", "yes"],
    ]
    info = make_table(rows=rows)

    result = selectors.grouped(
        info.id, group_by="Supplier", aggregate="avg", measure="Net amount", limit=1
    )

    assert [(g.key, g.value) for g in result.groups] == [("A", Decimal("100.00"))]
    assert result.other.value == Decimal("4.00")  # (10 + 1 + 1 + 4) / 4, not (10 + 2) / 2


@pytest.mark.parametrize(
    ("aggregate", "measure", "expected"),
    [
        ("count", None, {"Acme Ltd": 3, "Borough Builders": 3}),
        ("count", "Net amount", {"Acme Ltd": 3, "Borough Builders": 3}),
        ("min", "Invoice count", {"Acme Ltd": 0, "Borough Builders": 0}),
        (
            "max",
            "Net amount",
            {"Acme Ltd": Decimal("558.00"), "Borough Builders": Decimal("565.25")},
        ),
    ],
)
def test_count_min_and_max_per_group(make_table, aggregate, measure, expected):
    info = make_table(rows=spend_rows(12))

    result = selectors.grouped(
        info.id, group_by="Supplier", aggregate=aggregate, measure=measure, limit=10
    )

    assert {g.key: g.value for g in result.groups if g.key in expected} == expected


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _quarter(day: dt.date) -> dt.date:
    return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)


def _year(day: dt.date) -> dt.date:
    return day.replace(month=1, day=1)


@pytest.mark.parametrize(
    ("period", "start"),
    [
        ("day", lambda d: d),
        ("week", _monday),
        ("month", _month),
        ("quarter", _quarter),
        ("year", _year),
    ],
)
def test_dates_group_by_period_in_date_order_keyed_by_its_first_day(make_table, period, start):
    rows = spend_rows(60)
    info = make_table(rows=rows)

    result = selectors.grouped(
        info.id, group_by="Transaction date", period=period, aggregate="sum", measure="Net amount"
    )

    expected = _sums(rows, lambda row: start(dt.date.fromisoformat(row[0])))
    assert [(g.key, g.value) for g in result.groups] == sorted(expected.items())
    assert result.other is None and not result.truncated


def test_a_grouped_query_counts_only_the_filtered_rows(make_table):
    rows = spend_rows(48)
    info = make_table(rows=rows)

    result = selectors.grouped(
        info.id,
        group_by="Transaction date",
        period="quarter",
        filters={"Supplier": "Acme Ltd"},
        q=None,
    )

    assert sum(g.value for g in result.groups) == 12
    assert [g.key for g in result.groups] == [
        dt.date(2024, 1, 1), dt.date(2024, 4, 1), dt.date(2024, 7, 1)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("arguments", "code", "reason"),
    [
        ({"group_by": "Nope"}, "invalid_group_by", "unknown_column"),
        ({"group_by": "Transaction date", "period": "fortnight"}, "invalid_group_by", "unknown_period"),
        ({"group_by": "Supplier", "period": "month"}, "invalid_group_by", "period_needs_date"),
        ({"group_by": "Supplier", "aggregate": "median"}, "invalid_aggregate", "unknown_function"),
        ({"group_by": "Supplier", "aggregate": "sum"}, "invalid_aggregate", "needs_measure"),
        ({"group_by": "Supplier", "aggregate": "sum", "measure": "Nope"}, "invalid_aggregate", "unknown_column"),
        ({"group_by": "Paid", "aggregate": "sum", "measure": "Supplier"}, "invalid_aggregate", "not_numeric"),
    ],
)  # fmt: skip
def test_a_grouped_query_refuses_what_it_cannot_compute_with_a_stable_code(
    make_table, arguments, code, reason
):
    info = make_table(rows=spend_rows(4))

    with pytest.raises(DataStoreError) as raised:
        selectors.grouped(info.id, **arguments)

    assert raised.value.code == code
    assert raised.value.details["reason"] == reason


def test_a_column_name_is_an_identifier_never_sql(make_table):
    header = ["Day", 'Team"; DROP TABLE x; --', "Amount %s", "Count", "Paid"]
    info = make_table(rows=spend_rows(8), header=header)

    result = selectors.grouped(
        info.id, group_by='Team"; DROP TABLE x; --', aggregate="sum", measure="Amount %s"
    )

    assert len(result.groups) == 4
    assert selectors.search(info.id, limit=1).total == 8


def test_a_grouped_query_is_answered_from_the_cache_until_the_table_is_reloaded(make_table):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    info = make_table(rows=spend_rows(12))
    arguments = {"group_by": "Supplier", "aggregate": "sum", "measure": "Net amount"}
    first = selectors.grouped(info.id, **arguments)

    with CaptureQueriesContext(connection) as captured:
        again = selectors.grouped(info.id, **arguments)
    assert again == first
    assert not any("GROUP BY" in query["sql"] for query in captured.captured_queries)

    make_table(rows=spend_rows(4), table_id=info.id)
    assert sum(g.rows for g in selectors.grouped(info.id, **arguments).groups) == 4


def test_a_grouped_query_is_stopped_at_the_datastore_time_limit(make_table, settings):
    info = make_table(rows=spend_rows(20_000))
    settings.DATASTORE_QUERY_TIMEOUT_MS = 1

    with pytest.raises(QueryTimeout) as raised:
        selectors.grouped(
            info.id,
            group_by="Transaction date",
            period="week",
            aggregate="avg",
            measure="Net amount",
        )

    assert raised.value.code == "query_timeout"


def test_api_groups_answers_the_grouped_query_as_json(client, make_table, public_tables):
    info = make_table(rows=spend_rows(40))

    response = client.get(
        f"/api/v1/datastore/{info.id}/groups",
        {
            "group_by": "Transaction date",
            "period": "quarter",
            "aggregate": "sum",
            "measure": "Net amount",
            "filter.Supplier": "Acme Ltd",
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body["group_by"] == "Transaction date" and body["period"] == "quarter"
    assert body["groups"][0] == {"key": "2024-01-01", "value": "2522.00", "rows": 4}
    assert body["other"] is None and body["truncated"] is False


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"group_by": "Nope"}, "invalid_group_by"),
        ({"group_by": "Transaction date", "period": "fortnight"}, "invalid_group_by"),
        ({"group_by": "Paid", "aggregate": "sum", "measure": "Supplier"}, "invalid_aggregate"),
        ({"group_by": "Supplier", "limit": "0"}, "invalid_query"),
        ({"group_by": "Supplier", "filter.nope": "1"}, "invalid_filter"),
    ],
)
def test_api_groups_errors_have_stable_codes(client, make_table, public_tables, query, code):
    info = make_table(rows=spend_rows(4))

    response = client.get(f"/api/v1/datastore/{info.id}/groups", query)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
