"""The database-specific full-text index behind site search (FTS5 on SQLite, GIN on PostgreSQL).

SQLite: an external-content FTS5 table over core_searchentry, kept in step by triggers.
The tokenizer folds case and diacritics ("Gŵyl" matches "gwyl") and stems English words.

PostgreSQL: a stored generated tsvector column with a GIN index. English rows use the
'english' configuration (stemming: "parks" finds "park"); Welsh rows use 'simple', because
PostgreSQL has no Welsh stemmer and English stemming would mangle Welsh words. Diacritics
are folded with translate() (no unaccent extension, which needs a superuser). The title is
weighted A, the summary B and the body C so ts_rank puts title matches first.

Caution for later migrations: SQLite's schema editor rebuilds a table to alter it, which
drops its triggers. A migration that alters SearchEntry must run SQLITE_FORWARD again.
"""

from django.db import migrations

# Welsh and other Latin diacritics, folded to their base letters on PostgreSQL.
ACCENTED = "âêîôûŵŷáéíóúẃýàèìòùẁỳäëïöüẅÿÂÊÎÔÛŴŶÁÉÍÓÚẂÝÀÈÌÒÙẀỲÄËÏÖÜẄŸ"
UNACCENTED = "aeiouwyaeiouwyaeiouwyaeiouwyAEIOUWYAEIOUWYAEIOUWYAEIOUWY"

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS core_searchentry_fts USING fts5(
        title, summary, body,
        content='core_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_insert AFTER INSERT ON core_searchentry
    BEGIN
        INSERT INTO core_searchentry_fts(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_delete AFTER DELETE ON core_searchentry
    BEGIN
        INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS core_searchentry_fts_update AFTER UPDATE ON core_searchentry
    BEGIN
        INSERT INTO core_searchentry_fts(core_searchentry_fts, rowid, title, summary, body)
        VALUES ('delete', old.id, old.title, old.summary, old.body);
        INSERT INTO core_searchentry_fts(rowid, title, summary, body)
        VALUES (new.id, new.title, new.summary, new.body);
    END
    """,
    "INSERT INTO core_searchentry_fts(core_searchentry_fts) VALUES ('rebuild')",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_searchentry_fts_update",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS core_searchentry_fts_insert",
    "DROP TABLE IF EXISTS core_searchentry_fts",
]


def _weighted(column: str, weight: str) -> str:
    folded = f"translate(coalesce({column}, ''), '{ACCENTED}', '{UNACCENTED}')"
    return (
        "setweight(CASE WHEN language = 'cy' "
        f"THEN to_tsvector('simple'::regconfig, {folded}) "
        f"ELSE to_tsvector('english'::regconfig, {folded}) END, '{weight}')"
    )


POSTGRESQL_FORWARD = [
    "ALTER TABLE core_searchentry ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS ("
    + " || ".join((_weighted("title", "A"), _weighted("summary", "B"), _weighted("body", "C")))
    + ") STORED",
    "CREATE INDEX IF NOT EXISTS core_searchentry_search_vector "
    "ON core_searchentry USING gin (search_vector)",
]

POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS core_searchentry_search_vector",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0003_council_pages")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        )
    ]
