"""On SQLite, DataStore tables move from the site's database file into the DataStore's own
file (attached as `datastore`), so read-only SQL can open that file alone (ADR 0023).

Each served table is created again in the other file from its own CREATE statement, its rows
copied, its indexes and full-text index built again there, and the original dropped. Staging
tables that a killed load left behind are dropped rather than moved. Reversible: the same
steps the other way. PostgreSQL keeps its tables where they are: a role's grants guard them.
"""

import re

from django.db import migrations

SITE, OWN = "main", "datastore"
_CREATE = re.compile(r"^\s*CREATE\s+(TABLE|INDEX|UNIQUE\s+INDEX|VIRTUAL\s+TABLE)\s+", re.I)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def move_tables(apps, schema_editor, source: str = SITE, target: str = OWN) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    served = dict(
        apps.get_model("datastore", "Table").objects.values_list("physical_name", "columns")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, type, tbl_name, sql FROM {source}.sqlite_master "  # noqa: S608 - constant schema names
            "WHERE name LIKE 'ds\\_%%' ESCAPE '\\' AND sql IS NOT NULL ORDER BY type DESC, name"
        )
        objects = cursor.fetchall()
        tables = [row for row in objects if row[1] == "table" and row[0] in served]
        for name, _type, _table, sql in tables:
            cursor.execute(_CREATE.sub(lambda m: f"CREATE {m.group(1)} {target}.", sql, 1))
            copy = f"INSERT INTO {target}.{_quote(name)} SELECT * FROM {source}.{_quote(name)}"  # noqa: S608 - quoted known names
            cursor.execute(copy)
        for name, kind, table, sql in objects:
            if kind == "index" and table in served:
                cursor.execute(_CREATE.sub(lambda m: f"CREATE {m.group(1)} {target}.", sql, 1))
            elif kind == "table" and name.endswith("_fts") and name[: -len("_fts")] in served:
                cursor.execute(_CREATE.sub(lambda m: f"CREATE {m.group(1)} {target}.", sql, 1))
                _fill_full_text(cursor, target, name[: -len("_fts")], served[name[: -len("_fts")]])
        for name in sorted({row[0] for row in objects if row[1] == "table"}, key=len, reverse=True):
            if not re.search(r"_fts_(data|idx|config|docsize|content)$", name):
                cursor.execute(f"DROP TABLE IF EXISTS {source}.{_quote(name)}")


def _fill_full_text(cursor, schema: str, table: str, columns: list[dict]) -> None:
    text = [column["id"] for column in columns if column.get("type") == "text"]
    joined = " || ' ' || ".join(f"coalesce({_quote(column)}, '')" for column in text) or "''"
    cursor.execute(
        f"INSERT INTO {schema}.{_quote(table + '_fts')} (rowid, t) "  # noqa: S608 - quoted known names
        f"SELECT _id, {joined} FROM {schema}.{_quote(table)}"
    )


def move_back(apps, schema_editor) -> None:
    move_tables(apps, schema_editor, source=OWN, target=SITE)


class Migration(migrations.Migration):
    dependencies = [("datastore", "0001_tables_and_ingests")]

    operations = [migrations.RunPython(move_tables, move_back)]
