"""Turning a search (filters, q, sort, fields, cursor) into one parameterised SELECT.

Identifiers come only from the table's known columns and are quoted; every value is a
bound parameter. Keyset pages compare the sort key of the last row seen, with `_id` as
the tie-breaker, so a page 50,000 rows deep costs what the first page costs. NULLs sort
as the smallest value on both databases (PostgreSQL's indexes are built NULLS FIRST).
"""

import json
from collections.abc import Iterable
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from townhall.core.middleware import holds_nul

from . import _types as types
from ._backends import ROW_ID, Backend, query_words, quote
from .errors import (
    InvalidAggregate,
    InvalidCursor,
    InvalidField,
    InvalidFilter,
    InvalidGroupBy,
    InvalidSort,
)
from .models import Table
from .results import Filter

OPERATORS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "contains", "isnull")
_COMPARISONS = {"eq": "=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
MAX_IN_VALUES = 1000
_CURSOR_SALT = "townhall.datastore.cursor"
_TRUE = frozenset(("1", "true", "yes", "t", "y"))
_FALSE = frozenset(("0", "false", "no", "f", "n"))
Sort = list[tuple[str, bool]]
PERIODS = ("day", "week", "month", "quarter", "year")
AGGREGATES = ("count", "sum", "avg", "min", "max")
_MEASURABLE = (types.INTEGER, types.DECIMAL)
# How the rest of the categories ("Other") are aggregated from each group's figures.
_OTHER = {
    "count": "SUM(v)",
    "sum": "SUM(v)",
    "avg": "1.0 * SUM(s) / NULLIF(SUM(c), 0)",
    "min": "MIN(v)",
    "max": "MAX(v)",
}


class Query:
    """The columns of one table, and the SQL fragments that search it."""

    def __init__(self, table: Table, engine: Backend):
        self.table = table
        self.engine = engine
        self.types = {ROW_ID: types.INTEGER, **{c["id"]: c["type"] for c in table.columns}}
        self.readers = {ROW_ID: types.reader(types.INTEGER)} | {
            c["id"]: types.reader(c["type"], c.get("scale")) for c in table.columns
        }
        self.name = quote(table.physical_name)
        self.bypass_index: frozenset[str] = frozenset()

    # Columns -----------------------------------------------------------------------------

    def fields(self, requested: Iterable[str] | str | None) -> list[str]:
        if requested is None:
            return list(self.types)
        if isinstance(requested, str):
            requested = [part.strip() for part in requested.split(",") if part.strip()]
        chosen = list(dict.fromkeys(requested))
        unknown = [name for name in chosen if name not in self.types]
        if unknown:
            raise InvalidField(
                _("There is no column called %(names)s.") % {"names": _names(unknown)},
                {"fields": unknown, "columns": list(self.types)},
            )
        return chosen

    def field_info(self, names: list[str]) -> list[dict[str, str]]:
        return [{"id": name, "type": self.types[name]} for name in names]

    # Filters -----------------------------------------------------------------------------

    def where(self, filters, q: str | None) -> tuple[list[str], list[Any]]:
        conditions: list[str] = []
        params: list[Any] = []
        for condition in normalise_filters(filters):
            sql, values = self._condition(condition)
            conditions.append(sql)
            params.extend(values)
        if q and q.strip():
            if not self.table.full_text:
                raise InvalidFilter(
                    _("This table has no text columns to search."), {"q": q, "code": "no_text"}
                )
            if (
                query_words(q)
                and not self.table.indexes_ready
                and self.engine.full_text_needs_index
            ):
                # The load serves the table before building its full-text index (ADR 0038).
                text = [c["id"] for c in self.table.columns if c["type"] == types.TEXT]
                sql, values = self.engine.full_text_scan(text, q)
            elif query_words(q):
                sql, values = self.engine.full_text_condition(self.table.physical_name, q)
            else:
                # As CKAN's DataStore answers (PostgreSQL's empty tsquery): text with no
                # words in it (punctuation, an emoji) matches no row.
                sql, values = "1 = 0", []
            conditions.append(sql)
            params.extend(values)
        return conditions, params

    def _condition(self, condition: Filter) -> tuple[str, list[Any]]:
        column, op = condition.column, condition.op
        if column not in self.types:
            raise InvalidFilter(
                _("There is no column called %(names)s.") % {"names": _names([column])},
                {"column": column, "columns": list(self.types)},
            )
        if op not in OPERATORS:
            raise InvalidFilter(
                _("“%(op)s” is not a filter. Use one of: %(ops)s.")
                % {"op": op, "ops": ", ".join(OPERATORS)},
                {"column": column, "op": op},
            )
        if holds_nul(condition.value):
            raise InvalidFilter(
                _("A filter value cannot hold a NUL character."), {"column": column, "op": op}
            )
        sql_column = (
            self.engine.bypass_index(quote(column))
            if column in self.bypass_index
            else quote(column)
        )
        if op == "isnull":
            return f"{sql_column} IS {'' if _truth(condition) else 'NOT '}NULL", []
        if op == "contains":
            return self.engine.contains(sql_column, self.types[column]), [
                "%" + _escape_like(str(condition.value)) + "%"
            ]
        if op == "in":
            values = condition.value
            if isinstance(values, str) or not isinstance(values, Iterable):
                values = [values]
            values = list(values)
            if not values or len(values) > MAX_IN_VALUES:
                raise InvalidFilter(
                    _("“in” needs between 1 and %(max)s values.") % {"max": MAX_IN_VALUES},
                    {"column": column, "op": op},
                )
            parsed = [self.value(column, value) for value in values]
            present = [value for value in parsed if value is not None]
            parts = []
            if present:
                parts.append(f"{sql_column} IN ({', '.join(['%s'] * len(present))})")
            if len(present) < len(parsed):
                parts.append(f"{sql_column} IS NULL")
            return f"({' OR '.join(parts)})", present
        value = self.value(column, condition.value)
        if value is None:
            if op in ("eq", "ne"):
                return f"{sql_column} IS {'NOT ' if op == 'ne' else ''}NULL", []
            raise InvalidFilter(
                _("“%(op)s” needs a value.") % {"op": op}, {"column": column, "op": op}
            )
        if op == "ne":
            return f"({sql_column} IS NULL OR {sql_column} <> %s)", [value]
        return f"{sql_column} {_COMPARISONS[op]} %s", [value]

    def value(self, column: str, given: Any) -> Any:
        """A filter value read as the column's type, ready to bind; InvalidFilter if it isn't."""
        type_name = self.types[column]
        try:
            stored = types.parse_value(type_name, given)
        except ValueError:
            raise InvalidFilter(
                _("“%(value)s” is not a %(type)s, the type of column “%(column)s”.")
                % {"value": str(given)[:100], "type": type_name, "column": column},
                {"column": column, "value": str(given)[:100], "type": type_name},
            ) from None
        return self.engine.param(type_name, stored)

    # Grouping ----------------------------------------------------------------------------

    def group_key(self, column: str, period: str | None) -> str:
        """The SQL that a grouped query groups by: the column, or the start of its period."""
        if column not in self.types:
            raise InvalidGroupBy(
                _("There is no column called %(names)s to group by.") % {"names": _names([column])},
                {"group_by": column, "columns": list(self.types), "reason": "unknown_column"},
            )
        if not period:
            return quote(column)
        if period not in PERIODS:
            raise InvalidGroupBy(
                _("“%(period)s” is not a period. Use one of: %(periods)s.")
                % {"period": str(period)[:50], "periods": ", ".join(PERIODS)},
                {"period": str(period)[:50], "periods": list(PERIODS), "reason": "unknown_period"},
            )
        if self.types[column] not in (types.DATE, types.DATETIME):
            raise InvalidGroupBy(
                _("Column “%(column)s” holds no dates, so it cannot be grouped by %(period)s.")
                % {"column": column, "period": period},
                {"group_by": column, "period": period, "reason": "period_needs_date"},
            )
        return self.engine.period_start(quote(column), period)

    def aggregate(self, function: str, measure: str | None) -> str:
        """The SQL of `function` over the measure column (count alone counts rows)."""
        if function not in AGGREGATES:
            raise InvalidAggregate(
                _("“%(function)s” is not an aggregate. Use one of: %(functions)s.")
                % {"function": str(function)[:50], "functions": ", ".join(AGGREGATES)},
                {"aggregate": str(function)[:50], "reason": "unknown_function"},
            )
        if not measure:
            if function != "count":
                raise InvalidAggregate(
                    _("“%(function)s” needs a column of numbers (measure).")
                    % {"function": function},
                    {"aggregate": function, "reason": "needs_measure"},
                )
            return "COUNT(*)"
        if measure not in self.types:
            raise InvalidAggregate(
                _("There is no column called %(names)s.") % {"names": _names([measure])},
                {"measure": measure, "columns": list(self.types), "reason": "unknown_column"},
            )
        if self.types[measure] not in _MEASURABLE:
            raise InvalidAggregate(
                _("Column “%(column)s” holds %(type)s, not numbers: it cannot be aggregated.")
                % {"column": measure, "type": self.types[measure]},
                {"measure": measure, "type": self.types[measure], "reason": "not_numeric"},
            )
        return f"{function.upper()}({quote(measure)})"

    def grouped(
        self,
        *,
        key_sql: str,
        value_sql: str,
        function: str,
        measure: str | None,
        conditions: list[str],
        by_period: bool,
    ) -> str:
        """One SELECT returning (is_other, rank, key, value, rows, groups) per group.

        By period: every period in date order, rows with no date left out. By category:
        the groups ranked by value, largest first, numbered by `rank`; the caller binds the
        number kept, and a last row (is_other = 1) aggregates the groups past it from each
        group's own figures, so the database never sends the long tail.
        """
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        if by_period:
            where = (
                f"{where} AND {key_sql} IS NOT NULL" if where else f" WHERE {key_sql} IS NOT NULL"
            )
            return (
                f"SELECT 0, 0, {key_sql} AS k, {value_sql} AS v, COUNT(*), 1 FROM {self.name}"  # noqa: S608 - quoted known identifiers; values are bound
                f"{where} GROUP BY {key_sql} ORDER BY k LIMIT %s"
            )
        parts = (
            f", SUM({quote(measure)}) AS s, COUNT({quote(measure)}) AS c"
            if function == "avg"
            else ""
        )
        return (
            f"WITH g AS (SELECT {key_sql} AS k, {value_sql} AS v, COUNT(*) AS n{parts} "  # noqa: S608 - quoted known identifiers; values are bound
            f"FROM {self.name}{where} GROUP BY {key_sql}), "
            "r AS (SELECT g.*, ROW_NUMBER() OVER "
            "(ORDER BY CASE WHEN v IS NULL THEN 1 ELSE 0 END, v DESC, k) AS rank FROM g) "
            "SELECT 0, rank, k, v, n, 1 FROM r WHERE rank <= %s "
            f"UNION ALL SELECT 1, 0, NULL, {_OTHER[function]}, SUM(n), COUNT(*) FROM r "
            "WHERE rank > %s ORDER BY 1, 2"
        )

    def aggregate_reader(self, function: str, measure: str | None):
        """A function from an aggregate as the database returns it to its Python value:
        counts as int; sums, minimums and maximums as the measure's own type (a decimal
        column's places kept); averages as a Decimal with two places at least."""
        if function == "count":
            return lambda stored: None if stored is None else int(stored)
        scale = next((c.get("scale") for c in self.table.columns if c["id"] == measure), None)
        if function == "avg":
            return types.reader(types.DECIMAL, max(scale or 0, 2))
        if self.types[measure] == types.INTEGER:
            return lambda stored: None if stored is None else int(stored)
        return types.reader(types.DECIMAL, scale)

    # Sorting and keyset pages ------------------------------------------------------------

    def sort(self, sort) -> Sort:
        order: Sort = []
        for item in _sort_items(sort):
            column, descending = item
            if column not in self.types:
                raise InvalidSort(
                    _("There is no column called %(names)s to sort by.")
                    % {"names": _names([column])},
                    {"column": column, "columns": list(self.types)},
                )
            if column not in (name for name, _desc in order):
                order.append((column, descending))
        return order

    def order_by(self, order: Sort) -> str:
        parts = [self.engine.order(quote(column), desc) for column, desc in order]
        if ROW_ID not in (column for column, _desc in order):
            parts.append(self.engine.order(ROW_ID, order[-1][1] if order else False))
        return ", ".join(parts)

    def key_columns(self, order: Sort) -> Sort:
        """The sort with `_id` appended as tie-breaker, in the last column's direction."""
        if ROW_ID in (column for column, _desc in order):
            return order
        return [*order, (ROW_ID, order[-1][1] if order else False)]

    def cursor(self, order: Sort, row: dict[str, Any]) -> str:
        keys = self.key_columns(order)
        payload = {
            "t": str(self.table.pk),
            "g": self.table.generation,
            "s": [[column, desc] for column, desc in keys],
            "v": [_stored_text(row[column]) for column, _desc in keys],
        }
        return signing.dumps(payload, salt=_CURSOR_SALT, compress=True)

    def after(self, cursor: str, order: Sort) -> tuple[str, list[Any], str | None]:
        """The condition for rows after the cursor's row in this sort order, and, when the
        rows with an empty first sort column must be read by a second query (see
        `_keyset_condition`), the condition that selects them."""
        keys = self.key_columns(order)
        try:
            payload = signing.loads(cursor, salt=_CURSOR_SALT)
        except (signing.BadSignature, ValueError, json.JSONDecodeError):
            raise InvalidCursor(
                _("The page cursor is not valid."), {"after": cursor[:100]}
            ) from None
        if payload.get("t") != str(self.table.pk) or payload.get("s") != [list(k) for k in keys]:
            raise InvalidCursor(
                _("The page cursor belongs to another table or sort order."),
                {"after": cursor[:100]},
            )
        if payload.get("g") != self.table.generation:
            raise InvalidCursor(
                _("The table has been reloaded since this page; start again from the first page."),
                {"after": cursor[:100], "reason": "reloaded"},
            )
        values = [
            None if text is None else self.engine.param(self.types[column], text)
            for (column, _desc), text in zip(keys, payload["v"], strict=True)
        ]
        return _keyset_condition(keys, values)


def _keyset_condition(keys: Sort, values: list[Any]) -> tuple[str, list[Any], str | None]:
    """Rows strictly after `values` in the order `keys`, NULLs being the smallest value.

    (k1 after v1) OR (k1 = v1 AND k2 after v2) OR ..., plus a bound on the first column so
    that the database seeks in its index instead of scanning from the start. Descending,
    the rows whose first column is NULL come last; a bound that let them in would be an OR
    no index serves, so they are left out and the third value returned selects them for
    a second query that fills the page when the first runs out.
    """
    alternatives: list[str] = []
    params: list[Any] = []
    equal: list[str] = []
    equal_params: list[Any] = []
    for (column, descending), value in zip(keys, values, strict=True):
        sql_column = quote(column)
        if value is None:
            after = "1 = 0" if descending else f"{sql_column} IS NOT NULL"
            after_params: list[Any] = []
        elif descending:
            after = f"({sql_column} < %s OR {sql_column} IS NULL)"
            after_params = [value]
        else:
            after = f"{sql_column} > %s"
            after_params = [value]
        alternatives.append(" AND ".join([*equal, after]))
        params.extend([*equal_params, *after_params])
        if value is None:
            equal.append(f"{sql_column} IS NULL")
        else:
            equal.append(f"{sql_column} = %s")
            equal_params.append(value)
    condition = "(" + " OR ".join(f"({alt})" for alt in alternatives) + ")"
    (first, descending), first_value = keys[0], values[0]
    null_tail = None
    if first_value is None:
        if descending:
            condition = f"{quote(first)} IS NULL AND {condition}"
    else:
        condition = f"{quote(first)} {'<=' if descending else '>='} %s AND {condition}"
        params.insert(0, first_value)
        if descending and first != ROW_ID:
            null_tail = f"{quote(first)} IS NULL"
    return condition, params, null_tail


def normalise_filters(filters) -> list[Filter]:
    """Filters as a list of Filter, from a Filter list, (column, op, value) tuples, dicts
    {column, op, value}, or CKAN's dict {column: value or [values]} meaning eq or in."""
    if not filters:
        return []
    if isinstance(filters, dict):
        return [
            Filter(column, "in" if isinstance(value, list | tuple) else "eq", value)
            for column, value in filters.items()
        ]
    normalised = []
    for item in filters:
        if isinstance(item, Filter):
            normalised.append(item)
        elif isinstance(item, dict) and "column" in item:
            normalised.append(Filter(item["column"], item.get("op", "eq"), item.get("value")))
        elif isinstance(item, list | tuple) and len(item) == 3:
            normalised.append(Filter(*item))
        else:
            raise InvalidFilter(_("A filter could not be read."), {"filter": str(item)[:200]})
    return normalised


def _sort_items(sort) -> list[tuple[str, bool]]:
    """Accept [(column, descending)], ["-column"], ["column desc"] or "a desc, b"."""
    if not sort:
        return []
    if isinstance(sort, str):
        sort = [part for part in sort.split(",") if part.strip()]
    items = []
    for item in sort:
        if isinstance(item, list | tuple) and len(item) == 2:
            items.append((str(item[0]), bool(item[1])))
            continue
        if not isinstance(item, str):
            raise InvalidSort(_("A sort could not be read."), {"sort": str(item)[:200]})
        text = item.strip()
        lowered = text.lower()
        if text.startswith("-"):
            items.append((text[1:], True))
        elif lowered.endswith(" desc"):
            items.append((text[:-5].strip(), True))
        elif lowered.endswith(" asc"):
            items.append((text[:-4].strip(), False))
        else:
            items.append((text, False))
    return items


def _truth(condition: Filter) -> bool:
    value = condition.value
    if isinstance(value, bool):
        return value
    if value is None:
        return True
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidFilter(
        _("“isnull” takes true or false."), {"column": condition.column, "op": "isnull"}
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _stored_text(value: Any) -> str | None:
    """A value read from the database as text, for a cursor (JSON-safe, exact)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def _names(names: list[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)
