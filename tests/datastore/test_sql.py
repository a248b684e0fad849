"""Read-only SQL: one SELECT over DataStore tables, allow-listed functions, time and row limits."""

import pytest

from townhall.datastore import selectors
from townhall.datastore.errors import DataStoreError, QueryTimeout, TableNotFound

from .factories import spend_rows

# Read-only SQL runs on a connection of its own, which sees only what has been committed.
pytestmark = pytest.mark.django_db(transaction=True)


def _naming(table, statement: str) -> str:
    """The statement with {t} replaced by the table's id, as clients write it."""
    return statement.replace("{t}", str(table.id))


@pytest.fixture
def table(make_table, public_tables):
    return make_table(rows=spend_rows(20))


def test_sql_runs_a_select_over_a_table_named_by_its_id(table):
    result = selectors.sql(
        _naming(
            table,
            'SELECT "Supplier", count(*) AS n, sum("Net amount") AS total FROM "{t}" '
            'WHERE "Paid" GROUP BY "Supplier" ORDER BY n DESC, "Supplier" LIMIT 2',
        )
    )

    assert [f["id"] for f in result.fields] == ["Supplier", "n", "total"]
    assert [(r["Supplier"], r["n"]) for r in result.records] == [
        ("Borough Builders", 5),
        ("Northbridge Tyres", 5),
    ]
    assert result.truncated is False


def test_sql_allows_with_union_joins_and_the_table_id_as_qualifier(table):
    result = selectors.sql(
        _naming(
            table,
            'WITH big AS (SELECT * FROM "{t}" WHERE "Net amount" > 600) '
            'SELECT count(*) AS n FROM big JOIN "{t}" AS t ON t._id = big._id '
            'UNION ALL SELECT count("{t}"."Supplier") FROM "{t}"',
        )
    )

    assert [r["n"] for r in result.records] == [6, 20]


def test_sql_keeps_percent_signs_in_literals(table):
    result = selectors.sql(
        _naming(table, """SELECT count(*) AS n FROM "{t}" WHERE "Supplier" LIKE '%Ltd%'""")
    )

    assert result.records == [{"n": 5}]


def test_sql_stops_at_the_row_limit_and_says_it_did(table):
    cut = selectors.sql(_naming(table, 'SELECT * FROM "{t}"'), limit=3)
    asked = selectors.sql(_naming(table, 'SELECT * FROM "{t}" LIMIT 2'), limit=3)

    assert (len(cut.records), cut.truncated) == (3, True)
    assert (len(asked.records), asked.truncated) == (2, False)


HOSTILE = [
    "ATTACH DATABASE '/tmp/evil.db' AS evil",
    "PRAGMA table_info(core_user)",
    'DELETE FROM "{id}"',
    'UPDATE "{id}" SET "Supplier" = \'x\'',
    'INSERT INTO "{id}" ("Supplier") VALUES (\'x\')',
    'DROP TABLE "{id}"',
    "CREATE TABLE evil (x)",
    'SELECT 1; DROP TABLE "{id}"',
    'SELECT * FROM "{id}"; SELECT 1',
    "SELECT * FROM sqlite_master",
    "SELECT * FROM pg_catalog.pg_tables",
    "SELECT * FROM information_schema.tables",
    "SELECT * FROM core_user",
    'SELECT * FROM main."{id}"',
    "SELECT load_extension('evil')",
    "SELECT pg_sleep(10)",
    "SELECT randomblob(1000000000)",
    "SELECT current_setting('server_version')",
    "SELECT * FROM pragma_table_info('core_user')",
    'WITH d AS (DELETE FROM "{id}" RETURNING *) SELECT * FROM d',
    'SELECT * INTO evil FROM "{id}"',
    "VACUUM INTO '/tmp/copy.db'",
    'SELECT * FROM "{id}" WHERE "Supplier" = ?',
    "",
    "SELECT FROM WHERE",
]


@pytest.mark.parametrize("statement", HOSTILE)
def test_sql_refuses_anything_but_reading_datastore_tables(table, statement):
    with pytest.raises(DataStoreError) as raised:
        selectors.sql(statement.replace("{id}", str(table.id)))

    assert raised.value.code in ("sql_not_allowed", "sql_invalid", "table_not_found")
    assert raised.value.message
    assert selectors.table_info(table.id).row_count == 20


def test_sql_names_the_function_it_refuses(table):
    with pytest.raises(DataStoreError) as raised:
        selectors.sql(_naming(table, 'SELECT load_extension("Supplier") FROM "{t}"'))

    assert raised.value.code == "sql_not_allowed"
    assert raised.value.details == {"function": "load_extension"}


def test_sql_stops_a_query_that_would_run_forever(table):
    forever = (
        "WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter) "
        "SELECT count(*) FROM counter"
    )

    with pytest.raises(QueryTimeout) as raised:
        selectors.sql(forever, timeout_ms=300)

    assert raised.value.code == "query_timeout"
    assert selectors.sql(_naming(table, 'SELECT count(*) AS n FROM "{t}"')).records == [{"n": 20}]


def test_sql_reads_only_tables_their_owner_lets_the_public_read(make_table, readers):
    from townhall.datastore import services

    public, hidden = make_table(), make_table()
    readers.check = staticmethod(lambda table_id, user: table_id == public.id)
    services.sql_access_refresh(table_ids=[public.id, hidden.id])

    with pytest.raises(TableNotFound):
        selectors.sql(_naming(hidden, 'SELECT * FROM "{t}"'))
    assert selectors.sql(_naming(public, 'SELECT count(*) AS n FROM "{t}"')).records


def test_sql_reads_nothing_whose_owner_declares_no_readers(make_table, readers, monkeypatch):
    from townhall.core.registry import Manifest, registry

    from .factories import OWNER

    hidden = make_table()
    monkeypatch.setitem(registry._manifests, OWNER, Manifest(app_label=OWNER, name="Silent"))

    with pytest.raises(TableNotFound):
        selectors.sql(_naming(hidden, 'SELECT * FROM "{t}"'))


DOUBLING = (
    "WITH RECURSIVE c(n, s) AS (SELECT 0, 'aaaaaaaaaaaaaaaa' UNION ALL "
    "SELECT n+1, s || s FROM c WHERE n < 25) SELECT max(n), max(length(s)) FROM c"
)


def test_sql_refuses_a_recursive_query_that_builds_text(table):
    with pytest.raises(DataStoreError) as raised:
        selectors.sql(DOUBLING)

    assert raised.value.code == "sql_not_allowed"
    assert raised.value.details == {"part": "dpipe"}


def test_sql_sandbox_stops_a_value_growing_past_its_bound_on_its_own(table):
    """Underneath the parser: SQLite refuses any value over MAX_VALUE_BYTES; PostgreSQL
    stops the doubling at its temp_file_limit (where the user may set it) or its timeout."""
    from django.db import connection

    from townhall.datastore import _sandbox

    with pytest.raises(DataStoreError) as raised:
        _sandbox.execute(DOUBLING, tables=[], limit=10, timeout_ms=300)

    expected = {"sql_value_too_large"}
    if connection.vendor == "postgresql":
        expected.add("query_timeout")
    assert raised.value.code in expected


def test_sql_refuses_binary_values_with_a_message(table):
    blob = "CAST('a' AS BYTEA)" if _is_postgresql() else "CAST('a' AS BLOB)"
    with pytest.raises(DataStoreError) as raised:
        selectors.sql(f"SELECT {blob} AS b")

    assert raised.value.code == "sql_binary_value"
    assert "text" in raised.value.message


def test_sql_refuses_a_nul_character(table):
    with pytest.raises(DataStoreError) as raised:
        selectors.sql("SELECT '\x00' AS x")

    assert raised.value.code == "sql_invalid"


def test_sql_answers_busy_when_every_place_on_the_machine_is_taken(table, settings):
    from townhall.datastore import _sandbox
    from townhall.datastore.errors import SqlBusy

    settings.DATASTORE_SQL_CONCURRENCY = 1
    with _sandbox._slot(), pytest.raises(SqlBusy) as raised:
        selectors.sql(_naming(table, 'SELECT count(*) FROM "{t}"'))
    assert raised.value.http_status == 503
    assert selectors.sql(_naming(table, 'SELECT count(*) AS n FROM "{t}"')).records == [{"n": 20}]


def test_sql_has_one_time_limit_for_both_endpoints(settings, table):
    settings.DATASTORE_SQL_TIMEOUT_MS = 200
    forever = (
        "WITH RECURSIVE counter(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counter) "
        "SELECT count(*) FROM counter"
    )

    with pytest.raises(QueryTimeout) as raised:
        selectors.sql(forever)

    assert raised.value.details == {"timeout_ms": 200}


def _is_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
