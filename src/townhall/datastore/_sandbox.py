"""Where read-only SQL runs: a place that holds nothing but public DataStore tables. Internal.

The parser (`_sql`) is one lock. This module holds the others, and each of them alone keeps
every table but the public DataStore tables out of reach, so a mistake in the parser (as in
the CTE-shadowing hole of issue #9) exposes nothing (ADR 0023):

- SQLite: a connection of its own to the DataStore's database file (no other table lives
  there), opened read-only, unable to attach another file, with an authorizer that lets it
  read only the physical tables the checked statement names and call only allow-listed
  functions, a cap on the size of any one value, and a progress handler as the time limit.
- PostgreSQL: a READ ONLY transaction, always rolled back, running as a role
  (settings.DATASTORE_SQL_ROLE) granted SELECT on published DataStore tables only, with
  statement_timeout and work_mem of its own.
- Both: at most settings.DATASTORE_SQL_CONCURRENCY statements at once on one machine.
"""

import fcntl
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import quote as url_quote

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from . import _grants
from ._backends import raw_quote, timeout_error
from .errors import SqlBusy, SqlInvalid, SqlNotAllowed, SqlUnavailable

# No single value may grow past this (SQLite's SQLITE_LIMIT_LENGTH): string doubling in a
# recursive query otherwise takes gigabytes inside one step of the engine, between two
# checks of the time limit.
MAX_VALUE_BYTES = 1_000_000
# PostgreSQL's memory for each sort or hash before it spills to disk, and the most one
# statement may spill.
WORK_MEM = "16MB"
TEMP_FILE_LIMIT = "256MB"
# What SQLite's authorizer sees: the engine-level names of the allow-listed functions.
SQLITE_FUNCTIONS = frozenset(
    (
        "abs",
        "avg",
        "coalesce",
        "count",
        "date",
        "datetime",
        "dense_rank",
        "group_concat",
        "ifnull",
        "iif",
        "instr",
        "julianday",
        "lag",
        "lead",
        "length",
        "like",
        "lower",
        "ltrim",
        "max",
        "min",
        "nullif",
        "rank",
        "replace",
        "round",
        "row_number",
        "rtrim",
        "strftime",
        "substr",
        "substring",
        "sum",
        "time",
        "total",
        "trim",
        "upper",
    )
)


def execute(
    statement: str, *, tables: Sequence[str], limit: int, timeout_ms: int
) -> tuple[list[str], list[tuple]]:
    """Run `statement` reading only the physical `tables`; its column names and at most
    `limit` + 1 rows. Raises QueryTimeout, SqlNotAllowed, SqlInvalid, SqlBusy or
    SqlUnavailable."""
    with _slot():
        if connection.vendor == "postgresql":
            return _run_postgresql(statement, tables, limit, timeout_ms)
        return _run_sqlite(statement, tables, limit, timeout_ms)


@contextmanager
def _slot() -> Iterator[None]:
    """One of settings.DATASTORE_SQL_CONCURRENCY places, held by a lock on a file that every
    process of this machine sees, so workers and threads share one bound. SqlBusy when none
    is free: a busy machine answers at once rather than queueing work it cannot bound."""
    folder = Path(settings.VAR_DIR) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(max(1, settings.DATASTORE_SQL_CONCURRENCY)):
        handle = open(folder / f"datastore-sql-{number}.lock", "a+b")  # noqa: SIM115 - held until the block ends
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    raise SqlBusy(
        _("The server is running as many SQL queries as it can. Try again in a few seconds."),
        {"retry_after_seconds": 5},
    )


def _run_sqlite(statement, tables, limit, timeout_ms):
    path = settings.DATASTORE_SQLITE_PATH
    if not Path(path).exists():
        raise SqlInvalid(_("There are no DataStore tables yet."), {"table": None})
    raw = sqlite3.connect(
        f"file:{url_quote(str(path))}?mode=ro", uri=True, isolation_level=None, timeout=5
    )
    try:
        raw.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        raw.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        raw.execute("PRAGMA query_only = ON")
        stored = {row[0].lower() for row in raw.execute("SELECT name FROM sqlite_master")}
        allowed = frozenset(name.lower() for name in tables)
        raw.set_authorizer(partial(_authorise, allowed, frozenset(stored)))
        deadline = time.monotonic() + timeout_ms / 1000
        raw.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            cursor = raw.execute(statement)
            names = [column[0] for column in cursor.description]
            return names, cursor.fetchmany(limit + 1)
        except sqlite3.Error as error:
            raise _sqlite_error(error, timeout_ms) from error
    finally:
        raw.close()


def _authorise(
    tables: frozenset[str], stored: frozenset[str], action, first, second, database, trigger
) -> int:
    """SQLite asks this while it compiles the statement. It reports reading a real table's
    column as READ of that table in "main"; a common table expression is reported only when
    its rows are counted, as a READ with no database and a name that no stored object has.
    So a name the parser took for a CTE is judged here as what it really is."""
    if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_RECURSIVE):
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_READ:
        name = (first or "").lower()
        table = database in ("main", None) and name in tables
        cte = database is None and name not in stored
        return sqlite3.SQLITE_OK if table or cte else sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_OK if second.lower() in SQLITE_FUNCTIONS else sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_DENY


def _sqlite_error(error: sqlite3.Error, timeout_ms: int) -> Exception:
    text = str(error)
    if "interrupt" in text:
        return timeout_error(timeout_ms)
    if "not authorized" in text or "prohibited" in text or "no such table" in text:
        return SqlNotAllowed(
            _("The query tried to do something other than read public DataStore tables."),
            {"error": text[:500]},
        )
    if "too big" in text:
        return _too_large()
    return SqlInvalid(
        _("The database could not run the query: %(error)s") % {"error": text[:500]},
        {"error": text[:500]},
    )


def _run_postgresql(statement, tables, limit, timeout_ms):
    role = settings.DATASTORE_SQL_ROLE
    if not _grants.role_exists():
        raise SqlUnavailable(
            _("Read-only SQL is not set up on this server. The DataStore's other queries work."),
            {"role": role},
        )
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            try:
                cursor.execute("SET TRANSACTION READ ONLY")
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [str(timeout_ms)]
                )
                cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
                _limit_temporary_files(cursor)
                cursor.execute(f"SET LOCAL ROLE {raw_quote(role)}")
                cursor.execute(statement)
                names = [column[0] for column in cursor.description]
                return names, cursor.fetchmany(limit + 1)
            finally:
                transaction.set_rollback(True)
    except DatabaseError as error:
        raise _postgresql_error(error, timeout_ms) from error


def _limit_temporary_files(cursor) -> None:
    """Cap what one statement may spill to disk, where the database user may (only a
    superuser, or a user granted SET on temp_file_limit, can): a value doubling inside a
    recursive query spills its rows there, between two checks of statement_timeout."""
    try:
        with transaction.atomic():
            cursor.execute("SELECT set_config('temp_file_limit', %s, true)", [TEMP_FILE_LIMIT])
    except DatabaseError:
        return


def _postgresql_error(error: DatabaseError, timeout_ms: int) -> Exception:
    state = getattr(error.__cause__, "sqlstate", "") or ""
    text = str(error).splitlines()[0] if str(error) else ""
    if state == "57014":
        return timeout_error(timeout_ms)
    if state in ("42501", "25006", "42P01"):  # privilege, read-only transaction, no such table
        return SqlNotAllowed(
            _("The query tried to do something other than read public DataStore tables."),
            {"error": text[:500]},
        )
    if state in ("54000", "53200", "53100", "53400"):  # program, memory, disk, temp file limits
        return _too_large()
    return SqlInvalid(
        _("The database could not run the query: %(error)s") % {"error": text[:500]},
        {"error": text[:500]},
    )


def _too_large() -> SqlNotAllowed:
    return SqlNotAllowed(
        _("The query built a value larger than %(size)s characters, which is not allowed.")
        % {"size": f"{MAX_VALUE_BYTES:,}"},
        {"max_value_bytes": MAX_VALUE_BYTES},
        code="sql_value_too_large",
    )
