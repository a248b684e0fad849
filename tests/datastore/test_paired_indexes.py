"""Pages filtered on one column and sorted on another learn their two-column index (ADR 0025)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from townhall.datastore import selectors
from townhall.datastore.models import Table

from .factories import spend_rows
from .test_killed_load import index_names

FILTER = {"Supplier": "Borough Builders"}
SORT = "-Net amount"


@pytest.fixture(autouse=True)
def _small_tables_learn_quickly(settings):
    settings.DATASTORE_PAIRED_INDEX_MIN_ROWS = 100
    settings.DATASTORE_PAIRED_INDEX_AFTER = 3
    settings.DATASTORE_PAIRED_INDEXES = 2


@pytest.fixture
def spending(make_table, public_tables):
    """400 spending rows, with ties and empty amounts so page order is tested at its edges."""
    rows = spend_rows(400)
    for number, row in enumerate(rows):
        if number % 9 == 0:
            row[2] = ""
        elif number % 4 == 0:
            row[2] = "750.00"
    return make_table(rows=rows)


def _ask(table_id, times: int, *, filters=FILTER, sort=SORT) -> None:
    for _ in range(times):
        selectors.search(table_id, filters=filters, sort=sort, limit=10)


def _walk(table_id, *, sort=SORT) -> list[int]:
    seen, cursor = [], None
    while True:
        page = selectors.search(
            table_id, filters=FILTER, sort=sort, limit=17, after=cursor, include_total=False
        )
        seen.extend(record["_id"] for record in page.records)
        cursor = page.next_cursor
        if cursor is None:
            return seen


def _pair_index(table_id) -> str | None:
    """The learned index's name: the table's name, `_p` and eight hex digits (never `_pkey`)."""
    learned = re.compile(re.escape(Table.objects.get(pk=table_id).physical_name) + r"_p[0-9a-f]{8}")
    return next((name for name in index_names() if learned.fullmatch(name)), None)


def test_a_pair_asked_for_often_is_indexed_and_remembered_on_the_table(spending):
    _ask(spending.id, 2)
    assert Table.objects.get(pk=spending.id).paired_indexes == []

    _ask(spending.id, 1)

    assert Table.objects.get(pk=spending.id).paired_indexes == [["Supplier", "Net amount"]]
    assert _pair_index(spending.id)


def test_a_page_read_through_the_paired_index_is_the_page_read_without_it(spending):
    before = {sort: _walk(spending.id, sort=sort) for sort in (SORT, "Net amount")}

    _ask(spending.id, 3)

    assert _pair_index(spending.id)
    assert {sort: _walk(spending.id, sort=sort) for sort in (SORT, "Net amount")} == before
    assert len(before[SORT]) == 100


def test_the_database_reads_the_paired_index_for_a_filtered_sorted_page(spending):
    _ask(spending.id, 3)
    index = _pair_index(spending.id)
    physical = Table.objects.get(pk=spending.id).physical_name
    with CaptureQueriesContext(connection) as queries:
        _ask(spending.id, 1)
    page = next(
        q["sql"]
        for q in queries.captured_queries
        if physical in q["sql"] and "ORDER BY" in q["sql"]
    )
    page = page.rsplit(";", 1)[-1].strip()  # PostgreSQL sends its time limit first

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {page}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {page}")
        plan = " ".join(str(row) for row in cursor.fetchall())

    assert index in plan


def test_small_tables_and_unfiltered_or_searched_pages_learn_nothing(
    make_table, public_tables, settings
):
    small = make_table(rows=spend_rows(99))
    large = make_table(rows=spend_rows(120))

    _ask(small.id, 5)
    _ask(large.id, 5, filters=None)
    for _ in range(5):
        selectors.search(large.id, filters=FILTER, sort=SORT, q="Builders")

    assert Table.objects.get(pk=small.id).paired_indexes == []
    assert Table.objects.get(pk=large.id).paired_indexes == []


def test_a_table_learns_no_more_pairs_than_allowed(spending):
    for column in ("Net amount", "Transaction date", "Invoice count"):
        _ask(spending.id, 3, sort=column)

    assert Table.objects.get(pk=spending.id).paired_indexes == [
        ["Supplier", "Net amount"],
        ["Supplier", "Transaction date"],
    ]


def test_a_new_load_builds_the_learned_pairs_again_and_forgets_a_column_it_lost(
    spending, make_table, settings
):
    _ask(spending.id, 3)
    _ask(spending.id, 3, sort="Invoice count")

    make_table(table_id=spending.id, rows=spend_rows(300))
    assert _pair_index(spending.id)

    make_table(
        table_id=spending.id,
        header=["Transaction date", "Supplier", "Net amount", "Paid"],
        rows=[row[:3] + row[4:] for row in spend_rows(300)],
    )
    assert Table.objects.get(pk=spending.id).paired_indexes == [["Supplier", "Net amount"]]
    assert _pair_index(spending.id)
