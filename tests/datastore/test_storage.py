"""Where DataStore tables live: on SQLite, a database file of their own (ADR 0023)."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection

from townhall.datastore import selectors
from townhall.datastore.models import Table

from .factories import spend_rows

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL keeps DataStore tables in its database"
)
MOVE = import_module("townhall.datastore.migrations.0002_tables_in_their_own_file")


def names_in(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM {schema}.sqlite_master WHERE name LIKE 'ds%'")  # noqa: S608 - a constant schema
        return {row[0] for row in cursor.fetchall()}


def test_a_loaded_table_lives_in_the_datastore_file_not_the_sites(make_table, public_tables):
    table = Table.objects.get(pk=make_table(rows=spend_rows(3)).id)

    assert table.physical_name in names_in("datastore")
    assert f"{table.physical_name}_fts" in names_in("datastore")
    assert not names_in("main")


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_moves_tables_out_of_the_site_file_and_back(make_table, public_tables):
    """An install from before the split has its tables in the site's file: the migration
    moves each one, with its rows, indexes and full text, and its reverse moves it back."""
    table = Table.objects.get(pk=make_table(rows=spend_rows(12)).id)
    with connection.schema_editor() as editor:
        MOVE.move_back(apps, editor)
    assert table.physical_name in names_in("main") and not names_in("datastore")

    with connection.schema_editor() as editor:
        MOVE.move_tables(apps, editor)

    assert table.physical_name in names_in("datastore") and not names_in("main")
    assert any(name.endswith("_i1") for name in names_in("datastore"))
    page = selectors.search(table.pk, q="Tyres", include_total=True)
    assert page.total == 3
    assert selectors.search(table.pk, include_total=True).total == 12
