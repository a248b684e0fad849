"""Read-only SQL over public DataStore tables, as CKAN's datastore_search_sql offers it.

Locks, each of which alone stops the attacks it is meant for (ADR 0023):
1. the text is parsed (sqlglot) and must be one SELECT (WITH and UNION allowed) that names
   only public DataStore tables, by their ids in double quotes, and calls only allow-listed
   functions; scopes are resolved, so a name counts as a common table expression only where
   a WITH in scope defines it, and every other name must be a public table's id;
2. the statement run is the one sqlglot writes back from the checked tree, with the ids
   rewritten to the physical tables;
3. it runs in `_sandbox`, where nothing but DataStore tables exists to be read (SQLite: the
   DataStore's own file, read-only, behind an authorizer that judges the tables SQLite really
   reads; PostgreSQL: a role granted SELECT on published DataStore tables only), with a time
   limit, a cap on value size and a bound on how many run at once;
4. a row limit.
"""

import uuid
from decimal import Decimal
from typing import Any

import sqlglot
from django.db import connection
from django.utils.translation import gettext as _
from sqlglot import exp
from sqlglot.optimizer.scope import Scope, traverse_scope

from . import _sandbox, _visibility
from . import _types as types
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


# What can make a value grow inside a recursive query.
_TEXT_BUILDERS = (exp.DPipe, exp.Concat, exp.ConcatWs, exp.Replace, exp.GroupConcat, exp.Repeat)


def run(sql_text: str, *, limit: int, timeout_ms: int):
    """See selectors.sql."""
    from .results import SqlResult

    dialect = "postgres" if connection.vendor == "postgresql" else "sqlite"
    statement, physical = _checked(sql_text, dialect, limit)
    names, rows = _sandbox.execute(
        statement, tables=sorted(physical), limit=limit, timeout_ms=timeout_ms
    )
    if len(set(names)) != len(names):
        raise SqlInvalid(
            _("Give each column of the result a different name (use AS)."),
            {"columns": names},
            code="sql_duplicate_columns",
        )
    records = [
        {name: _plain(value) for name, value in zip(names, row, strict=True)}
        for row in rows[:limit]
    ]
    return SqlResult(
        fields=[{"id": name, "type": _type_of(records, name)} for name in names],
        records=records,
        truncated=len(rows) > limit,
    )


def _checked(sql_text: str, dialect: str, limit: int) -> tuple[str, set[str]]:
    """The statement to run, rewritten from the checked tree, and the physical tables it
    reads, in lower case as SQLite compares names. Common table expressions are not tables:
    they never join that set."""
    if not sql_text or not sql_text.strip():
        raise SqlInvalid(_("Write a SELECT statement."))
    if len(sql_text) > MAX_SQL_LENGTH:
        raise SqlNotAllowed(
            _("The SQL is longer than %(max)s characters.") % {"max": MAX_SQL_LENGTH}
        )
    if "\x00" in sql_text:
        raise SqlInvalid(_("The SQL contains a NUL character."), {"character": "NUL"})
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
    _check_recursion(tree)
    physical = _rewrite_tables(tree)
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


def _check_recursion(tree: exp.Expression) -> None:
    """A recursive query may count and compare but not build text: `s || s` doubles a value
    each step, and a few dozen steps take gigabytes inside single steps of the engine, where
    no time limit can stop them."""
    for with_ in tree.find_all(exp.With):
        if not with_.args.get("recursive"):
            continue
        for cte in with_.expressions:
            builder = cte.find(*_TEXT_BUILDERS)
            if builder is not None:
                raise SqlNotAllowed(
                    _("A recursive query may not build text (%(part)s).")
                    % {"part": builder.key.upper()},
                    {"part": builder.key},
                )


def _function_refused(name: str) -> SqlNotAllowed:
    return SqlNotAllowed(
        _("The function %(name)s is not allowed.") % {"name": name.lower()},
        {"function": name.lower()},
    )


def _rewrite_tables(tree: exp.Expression) -> set[str]:
    """Point each "<table id>" at its physical table, keeping the id as the alias.

    Every table reference that scope resolution does not show to be a common table
    expression defined in its own scope must be a public DataStore table's id."""
    ctes = _cte_references(tree)
    physical: set[str] = set()
    for table in list(tree.find_all(exp.Table)):
        if id(table) in ctes:
            continue
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
        stored = _datastore_table(name)
        if stored is None or not _visibility.allows(stored.pk, None):
            raise TableNotFound(
                _("There is no public DataStore table called “%(name)s”. Name tables by their id.")
                % {"name": name[:100]},
                {"table": name[:100]},
            )
        alias = table.alias
        table.set("this", exp.to_identifier(stored.physical_name, quoted=True))
        if not alias:
            table.set("alias", exp.TableAlias(this=exp.to_identifier(name, quoted=True)))
        physical.add(stored.physical_name.lower())
    return physical


def _cte_references(tree: exp.Expression) -> set[int]:
    """The ids of the table nodes that refer to a common table expression: in the scope
    where the node stands, its name is one of the CTEs that scope can see and the source
    it resolves to is that CTE."""
    try:
        scopes = traverse_scope(tree)
    except sqlglot.errors.SqlglotError as error:
        raise SqlInvalid(
            _("The SQL could not be read: %(error)s") % {"error": str(error).splitlines()[0]},
            {"error": str(error)[:500]},
        ) from error
    found: set[int] = set()
    for scope in scopes:
        for table in scope.tables:
            if table.args.get("db") or table.args.get("catalog"):
                continue
            cte = scope.cte_sources.get(table.name)
            source = scope.sources.get(table.alias_or_name)
            if isinstance(cte, Scope) and source is cte:
                found.add(id(table))
    return found


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
    if isinstance(value, bytes | bytearray | memoryview):
        raise SqlInvalid(
            _("The query returned binary data, which JSON cannot carry. Cast it to text."),
            {"value": "binary"},
            code="sql_binary_value",
        )
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    return value
