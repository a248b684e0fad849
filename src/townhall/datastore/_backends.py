"""What differs between SQLite and PostgreSQL, and nothing else.

Both run the same queries through Django's connection. Differences: column types, the
bulk load (ADBC into a scratch file against COPY), full-text search (an FTS5 table against a
generated tsvector column with a GIN index), NULL ordering in indexes, and how a query
is stopped when it runs too long (a progress handler against statement_timeout).
"""

import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as arrow_csv
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, transaction
from django.utils.translation import gettext as _

from . import _types as types
from .errors import QueryTimeout

ROW_ID = "_id"
# The schema name under which SQLite attaches the DataStore's own database file.
SCHEMA = "datastore"
FULL_TEXT = "_full_text"
# Runs of letters and digits, as SQLite's unicode61 tokenizer reads them. It keeps the
# Unicode 6.1 tables its name gives, where these letters (New Tai Lue vowels, two Vedic
# signs) were still marks that split words; a word it splits would be a phrase query,
# which an index without positions (detail=none) refuses.
_WORDS = re.compile(r"[^\W_\u19b0-\u19c0\u19c8\u19c9\u1cf2\u1cf3]+")


def query_words(q: str) -> list[str]:
    """The words of a full-text query, as both databases' full-text indexes split text."""
    return _WORDS.findall(q)


def in_callers_transaction() -> bool:
    """Whether the caller holds a transaction open, so statements run inside it."""
    return connection.in_atomic_block or not connection.get_autocommit()


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
            cursor.execute(f"CREATE TABLE {self.qualified(name)} ({', '.join(definitions)})", [])

    def qualified(self, name: str) -> str:
        """A new table's or index's name, quoted, in the DataStore's own schema. Statements
        that use an existing table name it unqualified: only the DataStore has `ds_` tables."""
        return quote(name)

    row_id_type = "INTEGER PRIMARY KEY"

    def add_row_id_key(self, name: str) -> None:
        """Make `_id` the primary key once the rows are in, where the database would
        otherwise maintain the key row by row as they arrive."""

    def full_text_columns(self, text_columns: Sequence[str]) -> list[str]:
        return []

    def analyse(self, name: str) -> None:
        """Give the query planner statistics about the new table."""
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {quote(name)}", [])

    def analyse_index(self, name: str, index: str) -> None:
        """Statistics for an index added to a served table; PostgreSQL's are per column,
        which the table's ANALYZE already gathered."""

    @contextmanager
    def writer(self, name: str, columns: Sequence[tuple[str, str]]) -> Iterator["BulkWriter"]:
        """A BulkWriter that appends batches to the new table. What it wrote is kept only
        if the block ends without an exception."""
        raise NotImplementedError
        yield

    def index_sql(self, name: str, index: str, columns: Sequence[str]) -> str:
        """CREATE INDEX on the columns in order, each ascending with empty values first,
        then the row id: the order pages are read in, so a page in either direction needs
        no sort."""
        raise NotImplementedError

    def create_index(self, name: str, number: int, column: str) -> bool:
        """Index one column; False when the database refuses (values too long to index)."""
        return self._create_index(self.index_sql(name, f"{name}_i{number}", [column]))

    def create_paired_index(self, name: str, index: str, first: str, second: str) -> bool:
        """Index a filtered column and a sorted one together (ADR 0025); False when the
        database refuses."""
        return self._create_index(self.index_sql(name, index, [first, second]))

    def _create_index(self, statement: str) -> bool:
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
            for table in self.table_names()
            if table.startswith(prefix) and not table.endswith("_fts")
        ]

    def table_names(self) -> list[str]:
        """Every table in the DataStore's own schema (or, on PostgreSQL, the database)."""
        return connection.introspection.table_names()

    def full_text_condition(self, name: str, q: str) -> tuple[str, list]:
        """The condition matching rows that hold every word of `q`, which has words."""
        raise NotImplementedError

    # Whether `full_text_condition` needs the index built after the load (ADR 0038).
    full_text_needs_index = False
    # Whether `estimate_rows` is cheap and good enough to stand in for a large count.
    estimates_counts = False

    def estimate_rows(self, cursor, statement: str, params: list) -> int:
        """The query planner's estimate of the rows `statement` returns."""
        raise NotImplementedError

    def full_text_scan(self, text_columns: Sequence[str], q: str) -> tuple[str, list]:
        """Like full_text_condition, without the index, while it is built: rows holding
        every word of `q` in some text column, as part of a word too (so a little more)."""
        words = query_words(q)
        any_column = " OR ".join(self.contains(quote(c), types.TEXT) for c in text_columns)
        conditions = " AND ".join([f"({any_column})"] * len(words))
        # Words are letters and digits only, so none holds a LIKE wildcard or the escape.
        return conditions, [f"%{word}%" for word in words for _ in text_columns]

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

    def period_start(self, column_sql: str, period: str) -> str:
        """The first day of the day, week (from Monday), month, quarter or year that a date
        or timestamp column's value falls in, as a date."""
        raise NotImplementedError

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

    def fetch_within(self, milliseconds: int, statement: str, params: list, size: int) -> list:
        """Up to `size` rows of one SELECT, stopped (QueryTimeout) after `milliseconds`."""
        with self.time_limit(milliseconds), connection.cursor() as cursor:
            cursor.execute(statement, params)
            return list(cursor.fetchmany(size))


class SQLiteBackend(Backend):
    """DataStore tables live in a database file of their own (SCHEMA, attached to every
    connection of the site's database), so that read-only SQL can be run against that file
    alone, where no other table exists to be read (ADR 0023)."""

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

    @contextmanager
    def writer(self, name: str, columns: Sequence[tuple[str, str]]) -> Iterator["BulkWriter"]:
        """Batches go through ADBC's SQLite driver, which binds Arrow arrays in C, into
        scratch database files of their own, each copied into the new table in one
        statement while the driver fills the next. The driver carries its own copy of
        SQLite, whose locks would not see Django's on the same file
        (https://sqlite.org/howtocorrupt.html, "multiple copies of SQLite"), so it never
        opens the site's database. SQLite cannot attach a file inside a transaction: a
        caller already in one gets the driver's executemany instead."""
        if in_callers_transaction():
            yield _Inserting(partial(self._insert, name, [column for column, _ in columns]))
            return
        writer = _ScratchWriter(name, [self.sql_types[type_name] for _, type_name in columns])
        try:
            yield writer
        finally:
            writer.discard()

    def _insert(self, name: str, columns: Sequence[str], values: list[pa.Array]) -> None:
        """executemany on the driver's own cursor: Django's wrapper rewrites every row's
        parameters, which costs more than SQLite's insert."""
        names = ", ".join(map(raw_quote, columns))
        marks = ", ".join(["?"] * len(columns))
        statement = f"INSERT INTO {raw_quote(name)} ({names}) VALUES ({marks})"  # noqa: S608 - quoted known identifiers; values are bound
        connection.ensure_connection()
        with transaction.atomic():
            cursor = connection.connection.cursor()
            try:
                cursor.executemany(statement, zip(*(v.to_pylist() for v in values), strict=True))
            finally:
                cursor.close()

    def qualified(self, name: str) -> str:
        return f"{SCHEMA}.{quote(name)}"

    def table_names(self) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT name FROM {SCHEMA}.sqlite_master WHERE type = 'table' ORDER BY name",  # noqa: S608 - a constant schema name
                [],
            )
            return [row[0] for row in cursor.fetchall()]

    def index_sql(self, name: str, index: str, columns: Sequence[str]) -> str:
        # SQLite sorts NULL first ascending and ends every index with the rowid (`_id`).
        listed = ", ".join(quote(column) for column in columns)
        return f"CREATE INDEX IF NOT EXISTS {self.qualified(index)} ON {quote(name)} ({listed})"

    def analyse(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit = 1000", [])
        super().analyse(name)

    def analyse_index(self, name: str, index: str) -> None:
        # Without its statistics the planner guesses ten rows per value of the index's
        # first column, whatever the table holds.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit = 1000", [])
            cursor.execute(f"ANALYZE {self.qualified(index)}", [])

    def create_full_text(self, name: str, text_columns: Sequence[str]) -> None:
        """A contentless FTS5 index of all text columns, joined: it stores no second copy.
        One a killed load left half filled is built again."""
        fts = quote(f"{name}_fts")
        joined = " || ' ' || ".join(f"coalesce({quote(c)}, '')" for c in text_columns)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {fts}", [])
            cursor.execute(
                f"CREATE VIRTUAL TABLE {self.qualified(name + '_fts')} USING fts5(t, content='', detail=none, columnsize=0, "
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

    full_text_needs_index = True

    def full_text_condition(self, name: str, q: str) -> tuple[str, list]:
        words = " ".join(f'"{word}"' for word in query_words(q))
        fts = quote(f"{name}_fts")
        return f"{ROW_ID} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)", [words]  # noqa: S608 - quoted known identifiers; values are bound

    def bypass_index(self, column_sql: str) -> str:
        # SQLite's unary plus leaves the value alone but hides the column from the planner.
        return f"+{column_sql}"

    def period_start(self, column_sql: str, period: str) -> str:
        # Dates and timestamps are ISO text here; date() reads both. "%%" is "%" once the
        # statement's parameters are bound.
        modifiers = {
            "day": "",
            "week": ", 'weekday 0', '-6 days'",
            "month": ", 'start of month'",
            "quarter": (
                ", 'start of month', '-' || ((CAST(strftime('%%m', {c}) AS INTEGER) - 1) %% 3)"
                " || ' months'"
            ),
            "year": ", 'start of year'",
        }[period]
        return f"date({column_sql}{modifiers.format(c=column_sql)})"

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
                raise timeout_error(milliseconds) from error
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
    row_id_type = "bigint NOT NULL"
    estimates_counts = True

    def estimate_rows(self, cursor, statement: str, params: list) -> int:
        """From the statistics the load's ANALYZE gathered: within a few per cent for an
        equality or a range on a column, looser for a substring or a full-text match (the
        exact count up to the threshold is the floor)."""
        cursor.execute(f"EXPLAIN (FORMAT JSON) {statement}", params)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])

    def add_row_id_key(self, name: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {quote(name)} ADD PRIMARY KEY ({ROW_ID})", [])

    def analyse(self, name: str) -> None:
        """VACUUM as well, outside a transaction (it cannot run in one): it marks every page
        visible, so a filtered count reads only the index (8 ms rather than 80 for 50,000
        of a million rows) and the first readers do not each rewrite the pages' hint bits."""
        if in_callers_transaction():
            super().analyse(name)
            return
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {quote(name)}", [])

    def full_text_columns(self, text_columns: Sequence[str]) -> list[str]:
        """A tsvector generated while COPY writes each row, so full text costs no second pass."""
        if not text_columns:
            return []
        joined = " || ' ' || ".join(f"coalesce({quote(c)}, '')" for c in text_columns)
        return [
            f"{FULL_TEXT} tsvector GENERATED ALWAYS AS "
            f"(to_tsvector('simple'::regconfig, {joined})) STORED"
        ]

    @contextmanager
    def writer(self, name: str, columns: Sequence[tuple[str, str]]) -> Iterator["BulkWriter"]:
        """COPY in CSV format, each batch written as CSV by Arrow's C++ writer (null as an
        unquoted empty field, every text quoted) while the server parses the one before."""
        names = ", ".join([ROW_ID] + [raw_quote(column) for column, _ in columns])
        yield _Copying(f"COPY {raw_quote(name)} ({names}) FROM STDIN (FORMAT csv)", len(columns))

    def index_sql(self, name: str, index: str, columns: Sequence[str]) -> str:
        # NULLs first ascending, as in SQLite, so keyset pages read the same on both; the
        # row id too, or a descending page (`DESC NULLS LAST` on both) would sort it again.
        listed = ", ".join(f"{quote(column)} NULLS FIRST" for column in [*columns, ROW_ID])
        return f"CREATE INDEX IF NOT EXISTS {quote(index)} ON {quote(name)} ({listed})"

    def create_full_text(self, name: str, text_columns: Sequence[str]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(name + '_fts')} ON {quote(name)} "
                f"USING GIN ({FULL_TEXT})",
                [],
            )

    def full_text_condition(self, name: str, q: str) -> tuple[str, list]:
        # PostgreSQL refuses a NUL character in any text; between words it is a space.
        return f"{FULL_TEXT} @@ plainto_tsquery('simple'::regconfig, %s)", [q.replace("\x00", " ")]

    def order(self, column_sql: str, descending: bool) -> str:
        return f"{column_sql} {'DESC NULLS LAST' if descending else 'ASC NULLS FIRST'}"

    def contains(self, column_sql: str, type_name: str) -> str:
        if type_name != types.TEXT:
            column_sql = f"CAST({column_sql} AS TEXT)"
        return f"{column_sql} ILIKE %s ESCAPE '\\'"

    def period_start(self, column_sql: str, period: str) -> str:
        # date_trunc's weeks start on Monday, as ISO 8601's do.
        return f"CAST(date_trunc('{period}', CAST({column_sql} AS timestamp)) AS date)"

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
        with _cancelled_as_timeout(milliseconds), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [str(milliseconds)]
                )
            try:
                yield
            finally:
                transaction.set_rollback(True)

    def fetch_within(self, milliseconds: int, statement: str, params: list, size: int) -> list:
        """Outside a transaction, the time limit and the SELECT go in one message, which
        PostgreSQL runs as one implicit transaction that the limit ends with: one round trip
        where `time_limit` takes four (BEGIN, set_config, the SELECT, ROLLBACK). Every
        rows request fetches its page this way. Inside a caller's transaction, or with
        server-side binding (which takes one statement a message), as `time_limit` does."""
        options = connection.settings_dict.get("OPTIONS", {})
        if (
            connection.in_atomic_block
            or not connection.get_autocommit()
            or options.get("server_side_binding")
        ):
            return super().fetch_within(milliseconds, statement, params, size)
        with _cancelled_as_timeout(milliseconds), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT set_config('statement_timeout', %s, true); {statement}",
                [str(milliseconds), *params],
            )
            cursor.nextset()
            return list(cursor.fetchmany(size))


class BulkWriter:
    """Writes batches into a new table in two steps, so that the slow half of the work
    runs beside the reading of the file: `prepare` (in a background thread, never touching
    Django's connection) turns a batch, one Arrow array of stored text per column with
    null for an empty cell, into what the database takes, and `apply` (in the caller's
    thread) hands that to the database."""

    def prepare(self, values: list[pa.Array]):
        return values

    def apply(self, item) -> None:
        raise NotImplementedError


class _Inserting(BulkWriter):
    def __init__(self, insert: Callable[[list[pa.Array]], None]):
        self.apply = insert


class _Copying(BulkWriter):
    def __init__(self, statement: str, width: int):
        self.statement = statement
        self.fields = [ROW_ID] + [f"c{position}" for position in range(width)]
        self.options = arrow_csv.WriteOptions(include_header=False)
        self.rows = 0

    def prepare(self, values: list[pa.Array]) -> pa.Buffer:
        block = pa.BufferOutputStream()
        row_ids = _row_ids(self.rows, len(values[0]))
        self.rows += len(values[0])
        arrow_csv.write_csv(pa.table([row_ids, *values], names=self.fields), block, self.options)
        return block.getvalue()

    def apply(self, item: pa.Buffer) -> None:
        """One transaction a batch, so that other writers are not held up, which does not
        wait for its WAL to reach the disk: nobody reads the new table until it is swapped
        in, in a transaction that does wait, after the last batch. Inside a caller's
        transaction the setting would last until the caller's commit, so it is left alone."""
        connection.ensure_connection()
        own_transaction = not in_callers_transaction()
        with transaction.atomic(), connection.connection.cursor() as cursor:
            if own_transaction:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            with cursor.copy(self.statement) as copy:
                copy.write(memoryview(item))


def _row_ids(before: int, count: int) -> pa.Array:
    """`_id` for the next `count` rows: the file's order, from 1."""
    return pc.add(pc.cumulative_sum(pa.repeat(1, count).cast(pa.int64())), before)


_SCRATCH = "townhall_load"


class _ScratchWriter(BulkWriter):
    """ADBC fills one scratch file a batch in the preparing thread; the caller's thread
    copies each finished file into the new table."""

    stale_after_seconds = 6 * 3600

    def __init__(self, name: str, sql_types: Sequence[str]):
        self.name = name
        self.sql_types = sql_types
        self.rows = 0
        self.made: list[_Scratch] = []
        self.folder = _scratch_folder()
        _remove_stale(self.folder, self.stale_after_seconds)

    def prepare(self, values: list[pa.Array]) -> "_Scratch":
        scratch = _Scratch(self.folder, self.sql_types)
        self.made.append(scratch)
        count = len(values[0])
        scratch.fill([_row_ids(self.rows, count), *values])
        self.rows += count
        return scratch

    def apply(self, item: "_Scratch") -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ATTACH DATABASE %s AS {_SCRATCH}", [str(item.path)])
            try:
                cursor.execute(f"INSERT INTO {quote(self.name)} SELECT * FROM {_SCRATCH}.t", [])  # noqa: S608 - quoted known identifiers
            finally:
                cursor.execute(f"DETACH DATABASE {_SCRATCH}", [])
        item.discard()

    def discard(self) -> None:
        for scratch in self.made:
            scratch.discard()


class _Scratch:
    """A throwaway SQLite file, beside the site's database, that ADBC fills with one batch for
    the new table (its columns named _id, c0, c1... so no header reaches the driver's SQL)."""

    def __init__(self, folder: str | None, sql_types: Sequence[str]):
        import adbc_driver_sqlite.dbapi

        handle, path = tempfile.mkstemp(prefix=_SCRATCH_PREFIX, suffix=".sqlite3", dir=folder)
        os.close(handle)
        self.path = Path(path)
        self.fields = [ROW_ID] + [f"c{position}" for position in range(len(sql_types))]
        self.connection = None
        try:
            self._create(adbc_driver_sqlite.dbapi, sql_types)
        except BaseException:
            self.discard()
            raise

    def _create(self, driver, sql_types: Sequence[str]) -> None:
        self.connection = driver.connect(str(self.path), autocommit=True)
        definitions = ", ".join(
            [f"{ROW_ID} INTEGER PRIMARY KEY"]
            + [f"c{position} {sql_type}" for position, sql_type in enumerate(sql_types)]
        )
        with self.connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute(f"CREATE TABLE t ({definitions})")

    def fill(self, values: list[pa.Array]) -> None:
        with self.connection.cursor() as cursor:
            cursor.adbc_ingest("t", pa.table(values, names=self.fields), mode="append")
        self.close()

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def discard(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)


_SCRATCH_PREFIX = ".townhall-load-"


def _scratch_folder() -> str | None:
    """The database's own folder (the same disk, not a memory-backed /tmp), or the system's
    temporary folder for an in-memory database."""
    name = str(connection.settings_dict["NAME"])
    if name.startswith("file:") or name == ":memory:" or "mode=memory" in name:
        return None
    return str(Path(name).resolve().parent)


def _remove_stale(folder: str | None, seconds: int) -> None:
    """Remove scratch files a killed load left behind."""
    cutoff = time.time() - seconds
    for path in Path(folder or tempfile.gettempdir()).glob(f"{_SCRATCH_PREFIX}*.sqlite3"):
        with suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


@contextmanager
def _cancelled_as_timeout(milliseconds: int) -> Iterator[None]:
    """PostgreSQL's "canceling statement due to statement timeout" as QueryTimeout."""
    try:
        yield
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", "") == "57014":
            raise timeout_error(milliseconds) from error
        raise


def timeout_error(milliseconds: int) -> QueryTimeout:
    return QueryTimeout(
        _("The query took longer than %(seconds)s seconds and was stopped. Narrow it down.")
        % {"seconds": f"{milliseconds / 1000:g}"},
        {"timeout_ms": milliseconds},
    )


def attach_own_file(sender, connection, **kwargs) -> None:
    """connection_created: attach the DataStore's database file to each new SQLite connection
    of the site's database, as SCHEMA, in WAL mode like the site's own file."""
    if connection.vendor != "sqlite" or connection.alias != DEFAULT_DB_ALIAS:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ATTACH DATABASE %s AS {SCHEMA}", [settings.DATASTORE_SQLITE_PATH])
        for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "mmap_size = 1073741824"):
            cursor.execute(f"PRAGMA {SCHEMA}.{pragma}", [])


def backend() -> Backend:
    """The backend for the default database."""
    if connection.vendor == "postgresql":
        return PostgreSQLBackend()
    return SQLiteBackend()
