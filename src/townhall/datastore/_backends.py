"""What differs between SQLite and PostgreSQL, and nothing else.

Both run the same queries through Django's connection. Differences: column types, the
bulk load (executemany against COPY), full-text search (an FTS5 table against a
generated tsvector column with a GIN index), NULL ordering in indexes, and how a query
is stopped when it runs too long (a progress handler against statement_timeout).
"""

import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal

from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from . import _types as types
from .errors import QueryTimeout

ROW_ID = "_id"
FULL_TEXT = "_full_text"
_WORDS = re.compile(r"\w+", re.UNICODE)


def quote(name: str) -> str:
    """Quote an identifier for SQL run through Django's cursor with a parameter list.

    Names come from headers: embedded quotes are doubled and "%" is doubled because the
    statement is run with parameters (always, even an empty list, so the doubling is undone).
    """
    return raw_quote(name).replace("%", "%%")


def raw_quote(name: str) -> str:
    """Quote an identifier for SQL run without parameter substitution (COPY)."""
    return '"' + name.replace('"', '""') + '"'


class Backend:
    """The operations whose SQL differs by database. Subclasses fill in the differences."""

    vendor = ""
    sql_types: dict[str, str] = {}

    def create_table(
        self, name: str, columns: Sequence[tuple[str, str]], full_text: Sequence[str] = ()
    ) -> None:
        """Create a table with `_id` and the typed columns; `full_text` names the text columns
        that `q` searches, for a backend that indexes them as rows arrive."""
        definitions = [f"{ROW_ID} {self.row_id_type}"] + [
            f"{quote(column)} {self.sql_types[type_name]}" for column, type_name in columns
        ]
        definitions += self.full_text_columns(full_text)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE {quote(name)} ({', '.join(definitions)})", [])

    row_id_type = "INTEGER PRIMARY KEY"

    def full_text_columns(self, text_columns: Sequence[str]) -> list[str]:
        return []

    def analyse(self, name: str) -> None:
        """Give the query planner statistics about the new table."""
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {quote(name)}", [])

    def load(self, name: str, columns: Sequence[str], values: list[Sequence]) -> None:
        """Append one batch: `values` holds one sequence per column, of stored text, with
        None or an empty string for an empty cell (both are stored as NULL)."""
        raise NotImplementedError

    def index_sql(self, name: str, index: str, column: str) -> str:
        raise NotImplementedError

    def create_index(self, name: str, number: int, column: str) -> bool:
        """Index one column; False when the database refuses (values too long to index)."""
        statement = self.index_sql(name, f"{name}_i{number}", column)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [])
        except OperationalError:
            return False
        except Exception as error:  # PostgreSQL: ProgramLimitExceeded on very long text
            if getattr(getattr(error, "__cause__", None), "sqlstate", "") == "54000":
                return False
            raise
        return True

    def create_full_text(self, name: str, text_columns: Sequence[str]) -> None:
        raise NotImplementedError

    def drop(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(name)}", [])

    def tables_like(self, prefix: str) -> list[str]:
        return [
            table
            for table in connection.introspection.table_names()
            if table.startswith(prefix) and not table.endswith("_fts")
        ]

    def full_text_condition(self, name: str, q: str) -> tuple[str, list]:
        raise NotImplementedError

    def order(self, column_sql: str, descending: bool) -> str:
        return f"{column_sql} {'DESC' if descending else 'ASC'}"

    def contains(self, column_sql: str, type_name: str) -> str:
        """A case-insensitive substring match against one bound LIKE pattern."""
        if type_name != types.TEXT:
            column_sql = f"CAST({column_sql} AS TEXT)"
        return f"{column_sql} LIKE %s ESCAPE '\\'"

    def bypass_index(self, column_sql: str) -> str:
        """The column in a form the planner will not use an index for (see selectors.search)."""
        return column_sql

    def param(self, type_name: str, stored: str | None):
        """The Python value to bind for a stored-text value of a column of this type."""
        if stored is None:
            return None
        if type_name in (types.INTEGER, types.BOOLEAN):
            return int(stored)
        return stored

    @contextmanager
    def time_limit(self, milliseconds: int) -> Iterator[None]:
        raise NotImplementedError
        yield


class SQLiteBackend(Backend):
    vendor = "sqlite"
    sql_types = {
        types.INTEGER: "INTEGER",
        # REAL: exact to 15 significant digits, which money and measures never reach;
        # ADR 0020 weighs it against TEXT.
        types.DECIMAL: "REAL",
        types.DATE: "TEXT",
        types.DATETIME: "TEXT",
        types.BOOLEAN: "INTEGER",
        types.TEXT: "TEXT",
    }

    def load(self, name: str, columns: Sequence[str], values: list[Sequence]) -> None:
        """executemany on the driver's own cursor, inside the caller's transaction: Django's
        wrapper rewrites every row's parameters, which costs more than SQLite's insert."""
        names = ", ".join(map(raw_quote, columns))
        marks = ", ".join(["NULLIF(?, '')"] * len(columns))
        statement = f"INSERT INTO {raw_quote(name)} ({names}) VALUES ({marks})"  # noqa: S608 - quoted known identifiers; values are bound
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(statement, zip(*values, strict=True))
        finally:
            cursor.close()

    def index_sql(self, name: str, index: str, column: str) -> str:
        return f"CREATE INDEX {quote(index)} ON {quote(name)} ({quote(column)})"

    def analyse(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit = 1000", [])
        super().analyse(name)

    def create_full_text(self, name: str, text_columns: Sequence[str]) -> None:
        """A contentless FTS5 index of all text columns, joined: it stores no second copy."""
        fts = quote(f"{name}_fts")
        joined = " || ' ' || ".join(f"coalesce({quote(c)}, '')" for c in text_columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE VIRTUAL TABLE {fts} USING fts5(t, content='', detail=none, columnsize=0, "
                "tokenize='unicode61 remove_diacritics 2')",
                [],
            )
            cursor.execute(
                f"INSERT INTO {fts} (rowid, t) SELECT {ROW_ID}, {joined} FROM {quote(name)}",  # noqa: S608 - quoted known identifiers
                [],
            )

    def drop(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(name + '_fts')}", [])
        super().drop(name)

    def full_text_condition(self, name: str, q: str) -> tuple[str, list]:
        words = " ".join(f'"{word}"' for word in _WORDS.findall(q))
        fts = quote(f"{name}_fts")
        return f"{ROW_ID} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [words]  # noqa: S608 - quoted known identifiers; values are bound

    def bypass_index(self, column_sql: str) -> str:
        # SQLite's unary plus leaves the value alone but hides the column from the planner.
        return f"+{column_sql}"

    def param(self, type_name: str, stored: str | None):
        if stored is not None and type_name == types.DECIMAL:
            return float(stored)
        return super().param(type_name, stored)

    @contextmanager
    def time_limit(self, milliseconds: int) -> Iterator[None]:
        """Interrupt the statement from SQLite's progress handler once the time is up."""
        connection.ensure_connection()
        raw = connection.connection
        deadline = time.monotonic() + milliseconds / 1000
        raw.set_progress_handler(lambda: time.monotonic() > deadline, 20_000)
        try:
            yield
        except OperationalError as error:
            if "interrupt" in str(error):
                raise _timeout(milliseconds) from error
            raise
        finally:
            raw.set_progress_handler(None, 0)


class PostgreSQLBackend(Backend):
    vendor = "postgresql"
    sql_types = {
        types.INTEGER: "bigint",
        types.DECIMAL: "numeric",
        types.DATE: "date",
        types.DATETIME: "timestamp",
        types.BOOLEAN: "boolean",
        types.TEXT: "text",
    }
    row_id_type = "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"

    def full_text_columns(self, text_columns: Sequence[str]) -> list[str]:
        """A tsvector generated while COPY writes each row, so full text costs no second pass."""
        if not text_columns:
            return []
        joined = " || ' ' || ".join(f"coalesce({quote(c)}, '')" for c in text_columns)
        return [
            f"{FULL_TEXT} tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('simple'::regconfig, {joined})) STORED"
        ]

    def load(self, name: str, columns: Sequence[str], values: list[Sequence]) -> None:
        """COPY in text format, the batch written as one block built column by column:
        psycopg's write_row costs more per row than the rest of the load."""
        connection.ensure_connection()
        statement = f"COPY {raw_quote(name)} ({', '.join(map(raw_quote, columns))}) FROM STDIN"
        fields = [_copy_field(column) for column in values]
        block = "\n".join(map("\t".join, zip(*fields, strict=True))) + "\n"
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            copy.write(block)

    def index_sql(self, name: str, index: str, column: str) -> str:
        # NULLs first ascending, as in SQLite, so keyset pages read the same on both.
        return (
            f"CREATE INDEX {quote(index)} ON {quote(name)} ({quote(column)} NULLS FIRST, {ROW_ID})"
        )

    def create_full_text(self, name: str, text_columns: Sequence[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX {quote(name + '_fts')} ON {quote(name)} USING GIN ({FULL_TEXT})", []
            )

    def full_text_condition(self, name: str, q: str) -> tuple[str, list]:
        return f"{FULL_TEXT} @@ plainto_tsquery('simple'::regconfig, %s)", [q]

    def order(self, column_sql: str, descending: bool) -> str:
        return f"{column_sql} {'DESC NULLS LAST' if descending else 'ASC NULLS FIRST'}"

    def contains(self, column_sql: str, type_name: str) -> str:
        if type_name != types.TEXT:
            column_sql = f"CAST({column_sql} AS TEXT)"
        return f"{column_sql} ILIKE %s ESCAPE '\\'"

    def param(self, type_name: str, stored: str | None):
        if stored is not None and type_name == types.DECIMAL:
            return Decimal(stored)
        if stored is not None and type_name == types.BOOLEAN:
            return stored == "1"
        return super().param(type_name, stored)

    @contextmanager
    def time_limit(self, milliseconds: int) -> Iterator[None]:
        """statement_timeout for this transaction only; the reads are rolled back after, so
        the setting never outlives them even inside a caller's transaction."""
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('statement_timeout', %s, true)", [str(milliseconds)]
                    )
                try:
                    yield
                finally:
                    transaction.set_rollback(True)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", "") == "57014":
                raise _timeout(milliseconds) from error
            raise


_COPY_SPECIAL = re.compile(r"[\\\t\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(column: Sequence[str | None]) -> list[str]:
    """One column's cells in COPY's text format: NULL (None or empty) as \\N, specials
    escaped. Typed columns never hold specials (their values were checked), so a column is
    escaped cell by cell only when its joined text shows it needs to be."""
    present = [value for value in column if value]
    joined = "\n".join(present)
    if _COPY_SPECIAL.search(joined) or joined.count("\n") != max(len(present) - 1, 0):
        return [value.translate(_COPY_ESCAPES) if value else r"\N" for value in column]
    return [value or r"\N" for value in column]


def _timeout(milliseconds: int) -> QueryTimeout:
    return QueryTimeout(
        _("The query took longer than %(seconds)s seconds and was stopped. Narrow it down.")
        % {"seconds": f"{milliseconds / 1000:g}"},
        {"timeout_ms": milliseconds},
    )


def backend() -> Backend:
    """The backend for the default database."""
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    return SQLiteBackend()
