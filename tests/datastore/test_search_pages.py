"""Keyset pages: following `next_cursor` visits every row once, in order, ties and NULLs too."""

import pytest
from django.core import signing

from townhall.datastore import selectors, services
from townhall.datastore.errors import InvalidCursor, InvalidQuery

from .factories import OWNER, write_csv


@pytest.fixture
def table(make_table):
    """57 rows with many ties and empty cells in every column."""
    rows = [
        [
            str(n % 4) if n % 5 else "",
            ["b", "a", "", "c"][n % 4],
            f"2024-0{1 + n % 3}-01" if n % 7 else "",
            f"{(n % 6) / 2:.1f}",
        ]
        for n in range(57)
    ]
    return make_table(header=["group", "letter", "day", "score"], rows=rows)


def _walk(table_id, sort, limit):
    seen, cursor = [], None
    while True:
        page = selectors.search(table_id, sort=sort, limit=limit, after=cursor, include_total=False)
        seen.extend(record["_id"] for record in page.records)
        cursor = page.next_cursor
        if cursor is None:
            return seen


@pytest.mark.parametrize(
    "sort",
    [
        [],
        [("group", False)],
        [("group", True)],
        [("letter", False), ("day", True)],
        [("day", True), ("group", False), ("score", True)],
        [("score", False), ("_id", True)],
    ],
)
@pytest.mark.parametrize("limit", [1, 7, 57])
def test_keyset_pages_visit_every_row_once_in_the_order_of_one_big_page(table, sort, limit):
    everything = selectors.search(table.id, sort=sort, limit=1000).records

    assert _walk(table.id, sort, limit) == [record["_id"] for record in everything]


def test_offset_pages_still_work_for_ckan_clients(table):
    first = selectors.search(table.id, sort="group", limit=10)
    second = selectors.search(table.id, sort="group", limit=10, offset=10)
    both = selectors.search(table.id, sort="group", limit=20)

    assert first.records + second.records == both.records


def test_last_page_has_no_next_cursor(table):
    assert selectors.search(table.id, limit=57).next_cursor is None
    assert selectors.search(table.id, limit=56).next_cursor is not None


def test_a_cursor_from_another_sort_or_table_is_refused(table, make_table):
    cursor = selectors.search(table.id, sort="group", limit=5).next_cursor
    unsorted = selectors.search(table.id, limit=5).next_cursor
    other = make_table()

    with pytest.raises(InvalidCursor):
        selectors.search(table.id, sort="letter", after=cursor)
    with pytest.raises(InvalidCursor):
        selectors.search(other.id, after=unsorted)


def test_a_tampered_cursor_is_refused(table):
    cursor = selectors.search(table.id, sort="group", limit=5).next_cursor
    payload = signing.loads(cursor, salt="townhall.datastore.cursor")
    payload["v"] = ["1 OR 1=1", 3]
    forged = signing.dumps(payload, salt="another salt", compress=True)

    for bad in (forged, cursor[:-3] + "abc", "garbage"):
        with pytest.raises(InvalidCursor) as raised:
            selectors.search(table.id, sort="group", after=bad)
        assert raised.value.code == "invalid_cursor"


def test_a_cursor_is_refused_once_the_table_is_reloaded(table, tmp_path):
    cursor = selectors.search(table.id, limit=5).next_cursor
    path = write_csv(tmp_path, [["1", "a", "", "1"]], header=["group", "letter", "day", "score"])
    services.ingest_file(owner=OWNER, table_id=table.id, path=str(path), filename="new.csv")

    with pytest.raises(InvalidCursor) as raised:
        selectors.search(table.id, after=cursor)

    assert raised.value.details["reason"] == "reloaded"


@pytest.mark.parametrize(
    "arguments",
    [{"limit": -1}, {"limit": 10_001}, {"offset": -5}, {"offset": 5, "after": "x"}],
)
def test_page_arguments_out_of_range_are_refused(table, arguments):
    with pytest.raises(InvalidQuery):
        selectors.search(table.id, **arguments)


def test_keyset_pages_with_a_broad_filter_match_one_big_page(make_table):
    """A filter matching most rows makes SQLite walk the sort index (a planner hint);
    the rows and their order must be exactly those of one big page, which is not hinted."""
    rows = [[["north", "south"][n % 3 == 0], str(n % 17) if n % 11 else ""] for n in range(300)]
    info = make_table(header=["side", "score"], rows=rows)
    filters = {"side": "north"}

    everything = selectors.search(info.id, filters=filters, sort="-score", limit=1000).records
    seen, cursor = [], None
    while True:
        page = selectors.search(info.id, filters=filters, sort="-score", limit=10, after=cursor)
        seen += [record["_id"] for record in page.records]
        if (cursor := page.next_cursor) is None:
            break

    assert len(everything) == 200
    assert seen == [record["_id"] for record in everything]


def _postgresql_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's time limit is a progress handler, with no statements of its own")


@pytest.mark.django_db(transaction=True)
def test_a_page_outside_a_transaction_is_fetched_in_one_statement_with_its_time_limit():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from townhall.datastore._backends import backend

    _postgresql_only()
    with CaptureQueriesContext(connection) as queries:
        rows = backend().fetch_within(1000, "SELECT %s AS n", [7], 10)

    assert rows == [(7,)]
    assert len(queries.captured_queries) == 1  # not BEGIN, set_config, the SELECT, ROLLBACK


@pytest.mark.django_db(transaction=True)
def test_a_page_fetched_in_one_statement_still_stops_at_its_time_limit_and_leaves_none():
    from django.db import connection

    from townhall.datastore._backends import backend
    from townhall.datastore.errors import QueryTimeout

    _postgresql_only()
    with pytest.raises(QueryTimeout):
        backend().fetch_within(50, "SELECT pg_sleep(2)", [], 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout')")
        assert cursor.fetchone()[0] == "0"
