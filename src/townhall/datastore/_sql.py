"""Read-only SQL over DataStore tables, as CKAN's datastore_search_sql offers it.

Four locks, each enough alone for the most common attacks:
1. the text is parsed (sqlglot) and must be one SELECT (WITH and UNION allowed) naming
   only DataStore tables, by their ids in double quotes, and only allow-listed functions;
   anything else is refused with a message that says what;
2. the statement actually run is the one sqlglot writes back from the checked tree, with
   the table ids rewritten to the physical tables;
3. the database itself refuses writes: SQLite through an authorizer that allows reading
   only those tables and calling only allow-listed functions; PostgreSQL in a READ ONLY
   transaction that is rolled back;
4. a time limit and a row limit.
"""

import sqlite3
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import sqlglot
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _
from sqlglot import exp

from . import _types as types
from ._backends import backend
from .errors import SqlInvalid, SqlNotAllowed, TableNotFound
from .models import Table

MAX_SQL_LENGTH = 20_000
# Functions by the name sqlglot gives them (it reads e.g. SQLite's ifnull as coalesce).
ALLOWED_FUNCTIONS = frozenset(
    (
        "abs",
        "avg",
        "case",
        "cast",
        "coalesce",
        "concat",
        "count",
        "date",
        "denserank",
        "exists",
        "extract",
        "greatest",
        "groupconcat",
        "if",
        "lag",
        "lead",
        "least",
        "left",
        "length",
        "lower",
        "max",
        "min",
        "nullif",
        "rank",
        "replace",
        "right",
        "round",
        "rownumber",
        "splitpart",
        "strposition",
        "substring",
        "sum",
        "timestamptrunc",
        "datetrunc",
        "timetostr",
        "tsordstotimestamp",
        "trim",
        "upper",
    )
)
# Functions sqlglot does not know, by their own name.
ALLOWED_OTHER_FUNCTIONS = frozenset(("total", "julianday", "datetime", "time", "ltrim", "rtrim"))
# What SQLite's authorizer sees: the engine-level names of the same functions.
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
_FORBIDDEN_NODES = (
    exp.DML,
    exp.DDL,
    exp.Command,
    exp.Pragma,
    exp.Into,
    exp.Lock,
    exp.Placeholder,
    exp.Parameter,
    exp.Set,
    exp.Transaction,
    exp.Commit,
    exp.Rollback,
    exp.Use,
)


def run(
    sql_text: str,
    *,
    limit: int,
    timeout_ms: int,
    visible: Callable[[uuid.UUID], bool] | None,
):
    from .results import SqlResult

    engine = backend()
    dialect = "postgres" if engine.vendor == "postgresql" else "sqlite"
    statement, physical = _checked(sql_text, dialect, limit, visible)
    with engine.time_limit(timeout_ms), _read_only(engine.vendor, physical):
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
                names = [column[0] for column in cursor.description]
                rows = cursor.fetchmany(limit + 1)
        except DatabaseError as error:
            if "interrupt" in str(error) or getattr(error.__cause__, "sqlstate", "") == "57014":
                raise
            if "not authorized" in str(error):
                raise SqlNotAllowed(
                    _("The query tried to do something other than read DataStore tables."),
                    {"error": str(error)[:500]},
                ) from error
            raise SqlInvalid(
                _("The database could not run the query: %(error)s") % {"error": error},
                {"error": str(error)[:500]},
            ) from error
    records = [dict(zip(names, row, strict=True)) for row in rows[:limit]]
    return SqlResult(
        fields=[{"id": name, "type": _type_of(records, name)} for name in names],
        records=[{name: _plain(value) for name, value in record.items()} for record in records],
        truncated=len(rows) > limit,
    )


def _checked(sql_text: str, dialect: str, limit: int, visible) -> tuple[str, set[str]]:
    """The statement to run, rewritten from the checked tree, and the tables (and common
    table expressions) it reads, in lower case as SQLite compares names."""
    if not sql_text or not sql_text.strip():
        raise SqlInvalid(_("Write a SELECT statement."))
    if len(sql_text) > MAX_SQL_LENGTH:
        raise SqlNotAllowed(
            _("The SQL is longer than %(max)s characters.") % {"max": MAX_SQL_LENGTH}
        )
    try:
        statements = [s for s in sqlglot.parse(sql_text, read=dialect) if s is not None]
    except sqlglot.errors.SqlglotError as error:
        raise SqlInvalid(
            _("The SQL could not be read: %(error)s") % {"error": str(error).splitlines()[0]},
            {"error": str(error)[:500]},
        ) from error
    if len(statements) != 1:
        raise SqlNotAllowed(_("Send exactly one statement."), {"statements": len(statements)})
    tree = statements[0]
    if not isinstance(tree, exp.Select | exp.SetOperation):
        raise SqlNotAllowed(
            _("Only SELECT statements are allowed."), {"statement": tree.key.upper()}
        )
    for node in tree.walk():
        _check_node(node)
    physical = _rewrite_tables(tree, visible)
    _limit(tree, limit)
    return tree.sql(dialect=dialect), physical


def _check_node(node: exp.Expression) -> None:
    if isinstance(node, _FORBIDDEN_NODES):
        raise SqlNotAllowed(
            _("%(part)s is not allowed in a read-only query.") % {"part": node.key.upper()},
            {"part": node.key},
        )
    if isinstance(node, exp.Anonymous):
        if node.name.lower() not in ALLOWED_OTHER_FUNCTIONS:
            raise _function_refused(node.name)
    elif isinstance(node, exp.Func) and node.key not in ALLOWED_FUNCTIONS:
        raise _function_refused(node.sql_name() if hasattr(node, "sql_name") else node.key)


def _function_refused(name: str) -> SqlNotAllowed:
    return SqlNotAllowed(
        _("The function %(name)s is not allowed.") % {"name": name.lower()},
        {"function": name.lower()},
    )


def _rewrite_tables(tree: exp.Expression, visible) -> set[str]:
    """Point each "<table id>" at its physical table, keeping the id as the alias."""
    ctes = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    physical: set[str] = set(ctes)
    for table in list(tree.find_all(exp.Table)):
        name = table.name
        if table.args.get("db") or table.args.get("catalog"):
            raise SqlNotAllowed(
                _("Name DataStore tables only by their id, without a schema: %(name)s")
                % {"name": table.sql()},
                {"table": table.sql()},
            )
        if not isinstance(table.this, exp.Identifier):
            raise SqlNotAllowed(
                _("Only DataStore tables may be read: %(name)s") % {"name": table.sql()},
                {"table": table.sql()},
            )
        if name.lower() in ctes:
            continue
        stored = _datastore_table(name)
        if stored is None or (visible is not None and not visible(stored.pk)):
            raise TableNotFound(
                _("There is no DataStore table called “%(name)s”. Name tables by their id.")
                % {"name": name[:100]},
                {"table": name[:100]},
            )
        alias = table.alias
        table.set("this", exp.to_identifier(stored.physical_name, quoted=True))
        if not alias:
            table.set("alias", exp.TableAlias(this=exp.to_identifier(name, quoted=True)))
        physical.add(stored.physical_name.lower())
    return physical


def _datastore_table(name: str) -> Table | None:
    try:
        table_id = uuid.UUID(name)
    except ValueError:
        return None
    return Table.objects.filter(pk=table_id).first()


def _limit(tree: exp.Query, limit: int) -> None:
    """Ask for one row past the limit (so truncation shows) unless the query asks for fewer."""
    current = tree.args.get("limit")
    expression = current.expression if current is not None else None
    if isinstance(expression, exp.Literal) and expression.is_int and int(expression.name) <= limit:
        return
    tree.set("limit", exp.Limit(expression=exp.Literal.number(limit + 1)))


class _read_only:
    """Make the database itself refuse anything but reading the given tables."""

    def __init__(self, vendor: str, tables: set[str]):
        self.vendor, self.tables = vendor, tables

    def __enter__(self):
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION READ ONLY")
        else:
            connection.ensure_connection()
            connection.connection.set_authorizer(self._authorise)
        return self

    def __exit__(self, *exc_info):
        if self.vendor != "postgresql":
            connection.connection.set_authorizer(None)
        return False

    def _authorise(self, action, first, second, database, trigger):
        if action == sqlite3.SQLITE_SELECT:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            return sqlite3.SQLITE_OK if first.lower() in self.tables else sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_FUNCTION:
            return sqlite3.SQLITE_OK if second.lower() in SQLITE_FUNCTIONS else sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_RECURSIVE:
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY


def _type_of(records: list[dict[str, Any]], name: str) -> str:
    for record in records:
        value = record[name]
        if value is None:
            continue
        if isinstance(value, bool):
            return types.BOOLEAN
        if isinstance(value, int):
            return types.INTEGER
        if isinstance(value, float | Decimal):
            return types.DECIMAL
        if hasattr(value, "hour"):
            return types.DATETIME
        if hasattr(value, "isoformat"):
            return types.DATE
        return types.TEXT
    return types.TEXT


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    return value
