"""Read-only SQL reaches public DataStore tables and nothing else, whatever the parser thinks.

Issue #9's hole: a common table expression named after a real table, defined in one scope,
made the same name count as a CTE everywhere, so `core_user` was read. These tests hold each
lock on its own: the parser's scopes, and underneath it the sandbox, where no other table
exists to be read even when both the parser and the authorizer's list are fooled.
"""

# ruff: noqa: S608 - these tests write hostile SQL on purpose
import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from townhall.datastore import _sandbox, selectors, services
from townhall.datastore.errors import DataStoreError, SqlNotAllowed, TableNotFound
from townhall.datastore.models import Table

from .factories import spend_rows

pytestmark = pytest.mark.django_db(transaction=True)

# Each hides a real table behind a CTE of the same name in another scope. {real} is a table
# of the site's own schema, {public} a public DataStore table.
SHADOWING = {
    "sub-select": (
        "SELECT * FROM {real}, (WITH {real} AS (SELECT 1 AS zz) SELECT zz FROM {real}) AS t"
    ),
    "union branch": (
        'SELECT count(*) AS n FROM "{public}" '
        "UNION ALL SELECT * FROM (WITH {real} AS (SELECT 1 AS zz) SELECT zz FROM {real}) "
        "UNION ALL SELECT count(*) FROM {real}"
    ),
    "where in": (
        'SELECT count(*) AS n FROM "{public}" WHERE _id IN '
        "(WITH {real} AS (SELECT 1 AS zz) SELECT zz FROM {real}) "
        "OR _id IN (SELECT count(*) FROM {real})"
    ),
    "recursive": (
        "SELECT * FROM {real}, (WITH RECURSIVE {real}(n) AS "
        "(SELECT 1 UNION ALL SELECT n + 1 FROM {real} WHERE n < 3) SELECT n FROM {real}) AS t"
    ),
    "alias naming a real table": (
        'SELECT * FROM "{public}" AS {real} WHERE EXISTS (SELECT 1 FROM {real})'
    ),
    "later cte": "WITH a AS (SELECT * FROM {real}), {real} AS (SELECT 1 AS zz) SELECT * FROM a",
}


@pytest.fixture
def public(make_table, public_tables):
    return make_table(rows=spend_rows(5))


def site_tables() -> list[str]:
    """Every table of the site's own schema: everything that is not a DataStore table."""
    datastore = {name.lower() for name in Table.objects.values_list("physical_name", flat=True)}
    return [
        name
        for name in connection.introspection.table_names()
        if not name.lower().startswith("ds_") and name.lower() not in datastore
    ]


def test_sql_refuses_the_cte_shadowing_statement_from_the_security_report(public):
    statement = (
        "SELECT email, is_staff, password FROM core_user, "
        "(WITH core_user AS (SELECT 1 AS zz) SELECT zz FROM core_user) AS t WHERE is_staff = 1"
    )

    with pytest.raises(TableNotFound):
        selectors.sql(statement)


@pytest.mark.parametrize("variant", SHADOWING)
def test_sql_refuses_a_real_table_hidden_behind_a_cte_of_its_name(public, variant):
    statement = SHADOWING[variant].format(real="core_user", public=public.id)

    with pytest.raises(DataStoreError) as raised:
        selectors.sql(statement)

    assert raised.value.code in ("table_not_found", "sql_not_allowed", "sql_invalid")


def test_sql_still_reads_ctes_in_their_own_scope(public):
    result = selectors.sql(
        f'SELECT n FROM (WITH counted AS (SELECT count(*) AS n FROM "{public.id}") '
        "SELECT n FROM counted) AS t"
    )

    assert result.records == [{"n": 5}]


@override_settings(TOWNHALL_API_RATE="100000/m")
def test_no_site_table_is_readable_through_either_sql_endpoint(client, public):
    """Every table that is not the DataStore's, through /api/v1 and CKAN's action, by name
    and behind every shadowing trick: never a 200, never a row."""
    tables = site_tables()
    assert "core_user" in tables and "django_session" in tables
    for real in tables:
        quoted = '"' + real + '"'
        for statement in [f"SELECT * FROM {quoted}"] + [
            variant.format(real=quoted, public=public.id) for variant in SHADOWING.values()
        ]:
            native = client.get(reverse("api-v1:run_sql"), {"sql": statement})
            ckan = client.get(
                reverse("ckan-action", args=["datastore_search_sql"]), {"sql": statement}
            )

            assert native.status_code in (400, 403, 404), (real, statement, native.content)
            assert ckan.status_code in (403, 404, 409), (real, statement, ckan.content)
            assert "records" not in native.json() and ckan.json()["success"] is False


def test_the_sandbox_alone_reads_no_site_table_even_when_told_it_may(public):
    """As if the parser and the authorizer's list were both fooled: still nothing."""
    for real in site_tables():
        with pytest.raises(SqlNotAllowed):
            _sandbox.execute(f'SELECT * FROM "{real}"', tables=[real], limit=1, timeout_ms=2000)


def test_the_sandbox_reads_a_public_table_it_is_told_it_may(public):
    physical = Table.objects.get(pk=public.id).physical_name

    names, rows = _sandbox.execute(
        f'SELECT count(*) AS n FROM "{physical}"', tables=[physical], limit=1, timeout_ms=2000
    )

    assert (names, rows) == (["n"], [(5,)])


def test_the_sandbox_reads_no_draft_table_it_was_not_told_of(make_table, private_tables):
    draft = Table.objects.get(pk=make_table(rows=spend_rows(3)).id).physical_name

    with pytest.raises(SqlNotAllowed):
        _sandbox.execute(f'SELECT * FROM "{draft}"', tables=[], limit=1, timeout_ms=2000)


def test_sql_grants_follow_a_table_out_of_public_view(make_table, public_tables):
    """Withdrawing a table (its owner's check saying no) and refreshing closes it to SQL."""
    table = make_table(rows=spend_rows(2))
    physical = Table.objects.get(pk=table.id).physical_name
    statement = f'SELECT count(*) AS n FROM "{physical}"'
    assert _sandbox.execute(statement, tables=[physical], limit=1, timeout_ms=2000)[1]

    public_tables.check = staticmethod(lambda table_id, user: False)
    services.sql_access_refresh(table_ids=[table.id])

    with pytest.raises(TableNotFound):
        selectors.sql(f'SELECT count(*) AS n FROM "{table.id}"')
    if connection.vendor == "postgresql":
        with pytest.raises(SqlNotAllowed):
            _sandbox.execute(statement, tables=[physical], limit=1, timeout_ms=2000)
