"""Totals are cached per load and filter; facets count values within a time limit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.datastore import selectors, services

from .factories import OWNER, spend_rows, write_csv


def _count_queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return sum("COUNT(*)" in query["sql"] for query in captured.captured_queries)


def test_the_unfiltered_total_is_the_cached_row_count_not_a_count(make_table):
    info = make_table(rows=spend_rows(12))

    assert _count_queries(lambda: selectors.search(info.id, limit=1)) == 0
    assert selectors.search(info.id, limit=1).total == 12


def test_a_filtered_total_is_counted_once_then_cached(make_table):
    info = make_table(rows=spend_rows(12))

    def search():
        return selectors.search(info.id, filters={"Supplier": "Acme Ltd"}, limit=1)

    assert _count_queries(search) == 1
    assert _count_queries(search) == 0
    assert search().total == 3


def test_a_new_load_invalidates_cached_totals(make_table, tmp_path):
    info = make_table(rows=spend_rows(12))
    filters = {"Supplier": "Acme Ltd"}
    assert selectors.search(info.id, filters=filters).total == 3

    path = write_csv(tmp_path, spend_rows(40), name="more.csv")
    services.ingest_file(owner=OWNER, table_id=info.id, path=str(path), filename="more.csv")

    assert selectors.search(info.id, filters=filters).total == 10
    assert selectors.search(info.id).total == 40


def test_include_total_false_skips_the_count(make_table):
    info = make_table(rows=spend_rows(12))

    page = selectors.search(info.id, filters={"Paid": True}, include_total=False)

    assert page.total is None


def test_facets_count_the_most_frequent_values_of_each_column(make_table):
    info = make_table(rows=spend_rows(10))

    found = selectors.facets(info.id, columns=["Supplier", "Paid"], limit=2)

    assert [(v.value, v.count) for v in found["Supplier"].values] == [
        ("Acme Ltd", 3),
        ("Borough Builders", 3),
    ]
    assert [(v.value, v.count) for v in found["Paid"].values] == [(False, 5), (True, 5)]
    assert found["Supplier"].complete


def test_facets_count_only_the_matching_rows(make_table):
    info = make_table(rows=spend_rows(10))

    found = selectors.facets(info.id, columns=["Supplier"], filters=[("Invoice count", "lt", 2)])

    assert [(v.value, v.count) for v in found["Supplier"].values] == [
        ("Borough Builders", 2),
        ("Acme Ltd", 1),
        ("Café Ñandú", 1),
    ]


def test_facets_left_uncounted_when_time_runs_out_say_so(make_table):
    info = make_table(rows=spend_rows(10))

    found = selectors.facets(info.id, columns=["Supplier"], time_limit_ms=0)

    assert found["Supplier"].complete is False
    assert found["Supplier"].values == []


def test_facets_refuse_an_unknown_column(make_table):
    from townhall.datastore.errors import InvalidField

    info = make_table()

    with pytest.raises(InvalidField):
        selectors.facets(info.id, columns=["Supplier", "nope"])


def test_a_filtered_total_above_the_threshold_is_estimated_where_the_database_estimates(
    make_table,
):
    info = make_table(rows=spend_rows(2_000))

    page = selectors.search(
        info.id, filters={"Supplier": "Acme Ltd"}, limit=1, total_estimation_threshold=100
    )

    if connection.vendor == "postgresql":
        assert page.total_was_estimated
        assert 400 <= page.total <= 600
    else:
        assert (page.total, page.total_was_estimated) == (500, False)


def test_a_filtered_total_within_the_threshold_is_counted_exactly(make_table):
    info = make_table(rows=spend_rows(2_000))

    page = selectors.search(
        info.id, filters={"Supplier": "Acme Ltd"}, limit=1, total_estimation_threshold=500
    )

    assert (page.total, page.total_was_estimated) == (500, False)
