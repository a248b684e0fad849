"""The DataStore's reads: table info, searches, facets, streamed downloads and read-only SQL.

Selectors do not check who is asking, except `sql` (whose text may name any table, and
which reads public tables only), `is_visible`, and `search` when given `visible_to`:
callers such as open data's pages decide who may read a table; the public API asks
`is_visible` first, or lets `search` check with the record it reads anyway.
"""

import csv
import hashlib
import io
import json
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils.translation import gettext as _

from townhall.core.spreadsheets import defuse_formula

from . import _paired, _sql, _visibility
from . import _types as types
from ._backends import backend, quote
from ._ids import as_table_uuid
from ._query import Query, normalise_filters
from .errors import InvalidQuery, QueryTimeout, TableNotFound
from .models import Ingest, Table
from .results import (
    Facet,
    FacetValue,
    Filter,
    Group,
    GroupedResult,
    IngestReport,
    SearchPage,
    SqlResult,
    TableInfo,
)

__all__ = [  # Result types are re-exported: other modules import only selectors and services.
    "Facet",
    "FacetValue",
    "Filter",
    "Group",
    "GroupedResult",
    "IngestReport",
    "SearchPage",
    "SqlResult",
    "TableInfo",
    "facets",
    "grouped",
    "is_visible",
    "last_report",
    "search",
    "sql",
    "stream_csv",
    "stream_json",
    "table_info",
]

MAX_LIMIT = 10_000
MAX_GROUPS = 100
MAX_PERIODS = 5_000
MAX_OFFSET = 2**63 - 1  # the largest integer SQLite and PostgreSQL take
STREAM_BATCH = 2_000
_UNCHECKED = object()  # `search` without `visible_to`: the caller has decided already


def _timeout_ms() -> int:
    return settings.DATASTORE_QUERY_TIMEOUT_MS


def is_visible(table_id: uuid.UUID, user: Any) -> bool:
    """Whether `user` (None for the public) may read the table, as its owner says.
    False for a table whose owning module declares no `datastore_readers` that says yes."""
    return _visibility.allows(as_table_uuid(table_id), user)


def table_info(table_id: uuid.UUID) -> TableInfo | None:
    """The served table's columns, cached row count, last load report; None if no table."""
    table = Table.objects.filter(pk=as_table_uuid(table_id)).first()
    if table is None:
        return None
    return TableInfo(
        id=table.pk,
        columns=list(table.columns),
        row_count=table.row_count,
        updated_at=table.updated_at,
        last_report=last_report(table.pk),
        full_text=table.full_text,
    )


def tables_columns(table_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, str]]]:
    """The columns [{id, type, label}] of each of the tables that exists, by table id, in
    one query (a page looking across many tables for a column, without their reports)."""
    found = Table.objects.filter(pk__in=[as_table_uuid(table_id) for table_id in table_ids])
    return {table_id: list(columns) for table_id, columns in found.values_list("pk", "columns")}


def last_report(table_id: uuid.UUID) -> IngestReport | None:
    """The report of the latest load, successful or not; None if none was tried."""
    latest = Ingest.objects.filter(table_id=as_table_uuid(table_id)).exclude(report={}).first()
    return IngestReport.from_dict(latest.report) if latest else None


def served_report(table_id: uuid.UUID) -> IngestReport | None:
    """The report of the load whose rows are served now (the latest successful one), with
    the problems that load found; None if no load has succeeded."""
    latest = (
        Ingest.objects.filter(table_id=as_table_uuid(table_id), status=Ingest.Status.OK)
        .exclude(report={})
        .first()
    )
    return IngestReport.from_dict(latest.report) if latest else None


def held_report(table_id: uuid.UUID) -> IngestReport | None:
    """The report of the table's load held until its owner releases or discards it (status
    "held", with its problems; ADR 0037); None when no load is held."""
    held = Ingest.objects.filter(table_id=as_table_uuid(table_id), status=Ingest.Status.HELD)
    latest = held.exclude(report={}).first()
    return IngestReport.from_dict(latest.report) if latest else None


def search(
    table_id: uuid.UUID,
    *,
    filters=None,
    q: str | None = None,
    sort=(),
    fields: list[str] | None = None,
    limit: int = 100,
    offset: int = 0,
    after: str | None = None,
    include_total: bool = True,
    total_estimation_threshold: int | None = None,
    visible_to: Any = _UNCHECKED,
) -> SearchPage:
    """One page of the table's rows, as {column: value} dicts with Python-typed values
    (int, Decimal, date, datetime, bool, str, None) and `_id`.

    filters: a list of Filter (or (column, op, value) tuples), or CKAN's {column: value or
    [values]}. sort: [(column, descending)], or "-column" / "column desc" strings. `after`
    is the `next_cursor` of the previous page (keyset paging; offset still works).
    Totals are cached per load and filter. With `total_estimation_threshold` (CKAN's
    parameter), a filtered total above it may be the query planner's estimate, marked
    `total_was_estimated`, where the database gives one cheaply (PostgreSQL). With
    `visible_to` (a user, or None for the public), a table that person may not read is
    not found, as an unknown one is. Raises TableNotFound, InvalidFilter, InvalidSort, InvalidField, InvalidCursor, InvalidQuery or
    QueryTimeout.
    """
    table = _table(table_id, visible_to)
    engine = backend()
    query = Query(table, engine)
    _check_page(limit, offset, after)
    chosen = query.fields(fields)
    conditions, params = query.where(filters, q)
    order = query.sort(sort)
    keys = query.key_columns(order)
    selected = list(dict.fromkeys([*chosen, *(column for column, _desc in keys)]))
    total, estimated = (
        _total(table, query, conditions, params, total_estimation_threshold)
        if include_total or order
        else (None, False)
    )
    pair = _paired.pair_asked(table, normalise_filters(filters), order, q)
    paired = pair is not None and _paired.is_indexed(table, pair)
    if pair and not paired:
        _paired.note_asked(table, pair)
    if not paired and _prefer_sort_index(table, conditions, order, total, limit + 1 + offset, q):
        query.bypass_index = frozenset(f.column for f in normalise_filters(filters)) - {order[0][0]}
        conditions, params = query.where(filters, q)
    page_conditions, page_params, null_tail = list(conditions), list(params), None
    if after:
        sql, values, null_tail = query.after(after, order)
        page_conditions.append(sql)
        page_params.extend(values)
    rows = _page(query, selected, page_conditions, page_params, order, limit + 1, offset)
    if null_tail and len(rows) <= limit:
        rows += _page(
            query, selected, [*conditions, null_tail], params, order, limit + 1 - len(rows), 0
        )
    more = len(rows) > limit
    rows = rows[:limit]
    reading = [(name, selected.index(name), query.readers[name]) for name in chosen]
    records = [{name: read(row[position]) for name, position, read in reading} for row in rows]
    return SearchPage(
        fields=query.field_info(chosen),
        records=records,
        total=total if include_total else None,
        total_was_estimated=estimated and include_total,
        next_cursor=(
            query.cursor(order, dict(zip(selected, rows[-1], strict=True)))
            if more and rows
            else None
        ),
    )


def _page(query: Query, selected, conditions, params, order, limit: int, offset: int) -> list:
    statement = (
        f"SELECT {', '.join(quote(c) for c in selected)} FROM {query.name}"  # noqa: S608 - quoted known identifiers; values are bound
        f"{_where(conditions)} ORDER BY {query.order_by(order)} LIMIT %s OFFSET %s"
    )
    return query.engine.fetch_within(_timeout_ms(), statement, [*params, limit, offset], limit)


def _prefer_sort_index(table, conditions, order, matching, wanted: int, q) -> bool:
    """Whether to read the sort column's index and test the filters row by row, rather than
    use a filter's index and sort what it finds.

    Walking the sort index reads about wanted x rows / matching entries; the filter's index
    finds `matching` rows that must all be sorted. SQLite's planner does not weigh the LIMIT
    this way (PostgreSQL's does, and ignores the hint), so a broad filter with a sort would
    sort tens of thousands of rows to return a hundred.
    """
    if not (order and conditions and matching) or q:
        return False
    return matching * matching > wanted * table.row_count


def _check_page(limit: int, offset: int, after: str | None) -> None:
    if not 0 <= int(limit) <= MAX_LIMIT:
        raise InvalidQuery(
            _("limit must be between 0 and %(max)s.") % {"max": MAX_LIMIT}, {"limit": limit}
        )
    if not 0 <= int(offset) <= MAX_OFFSET:
        raise InvalidQuery(
            _("offset must be between 0 and %(max)s.") % {"max": MAX_OFFSET}, {"offset": offset}
        )
    if after and offset:
        raise InvalidQuery(_("Give either a page cursor (after) or an offset, not both."))


def _where(conditions: list[str]) -> str:
    return f" WHERE {' AND '.join(conditions)}" if conditions else ""


def _total(
    table: Table, query: Query, conditions: list[str], params: list[Any], threshold: int | None
) -> tuple[int | None, bool]:
    """The number of matching rows and whether it is an estimate: the cached count for the
    whole table, otherwise a count cached per load and filter. Above `threshold`, where the
    database estimates (PostgreSQL), rows are counted only up to it and the planner's
    estimate is given (a broad filter's exact count was most of a first page's time).
    None when counting takes longer than the time allowed."""
    if not conditions:
        return table.row_count, False
    engine = query.engine
    if not engine.estimates_counts:
        threshold = None
    fingerprint = hashlib.sha256(
        json.dumps([conditions, params, threshold], cls=DjangoJSONEncoder).encode()
    ).hexdigest()
    key = f"datastore:count:{table.pk}:{table.generation}:{fingerprint}"
    found = cache.get(key)
    if found is not None:
        return tuple(found)
    matching = f"SELECT 1 FROM {query.name}{_where(conditions)}"  # noqa: S608 - quoted known identifiers; values are bound
    try:
        with engine.time_limit(_timeout_ms()), connection.cursor() as cursor:
            if threshold is None:
                cursor.execute(f"SELECT COUNT(*) FROM ({matching}) AS matching", params)  # noqa: S608 - as above
                found = (cursor.fetchone()[0], False)
            else:
                cursor.execute(
                    f"SELECT COUNT(*) FROM ({matching} LIMIT %s) AS matching",  # noqa: S608 - as above
                    [*params, threshold + 1],
                )
                counted = cursor.fetchone()[0]
                found = (
                    (max(engine.estimate_rows(cursor, matching, params), counted), True)
                    if counted > threshold
                    else (counted, False)
                )
    except QueryTimeout:
        return None, False
    cache.set(key, found, timeout=24 * 3600)
    return found


def facets(
    table_id: uuid.UUID,
    *,
    columns: list[str],
    filters=None,
    q: str | None = None,
    limit: int = 10,
    time_limit_ms: int = 500,
) -> dict[str, Facet]:
    """The `limit` most frequent values of each column among the matching rows, with counts.

    All columns share `time_limit_ms`; a column not counted in time has complete=False.
    """
    table = _table(table_id)
    engine = backend()
    query = Query(table, engine)
    names = query.fields(columns)
    conditions, params = query.where(filters, q)
    deadline = time.monotonic() + time_limit_ms / 1000
    found: dict[str, Facet] = {}
    for name in names:
        remaining = int((deadline - time.monotonic()) * 1000)
        if remaining <= 0:
            found[name] = Facet(column=name, values=[], complete=False)
            continue
        column = quote(name)
        statement = (
            f"SELECT {column}, COUNT(*) FROM {query.name}{_where(conditions)} "  # noqa: S608 - quoted known identifiers; values are bound
            f"GROUP BY {column} ORDER BY COUNT(*) DESC, {column} LIMIT %s"
        )
        try:
            with engine.time_limit(remaining), connection.cursor() as cursor:
                cursor.execute(statement, [*params, int(limit)])
                rows = cursor.fetchall()
        except QueryTimeout:
            found[name] = Facet(column=name, values=[], complete=False)
            continue
        found[name] = Facet(
            column=name,
            values=[FacetValue(query.readers[name](value), count) for value, count in rows],
            complete=True,
        )
    return found


def grouped(
    table_id: uuid.UUID,
    *,
    group_by: str,
    period: str | None = None,
    aggregate: str = "count",
    measure: str | None = None,
    filters=None,
    q: str | None = None,
    limit: int = 10,
    other: bool = True,
) -> GroupedResult:
    """`aggregate` (count, sum, avg, min or max) of the `measure` column over every row that
    matches `filters` and `q`, grouped in the database by the `group_by` column.

    With a `period` (day, week, month, quarter or year; a date or timestamp column only),
    the groups are every period that has rows, in date order, keyed by the period's first
    day (weeks start on Monday); at most MAX_PERIODS of them (`truncated` says more were
    left off). Without, the `limit` largest groups (1 to MAX_GROUPS) come first, largest
    first, and, when `other` is true, the rest are aggregated as one "other" group. `count`
    with no measure counts rows. Time-limited as searches are; cached per load and query,
    as filtered totals are. Raises TableNotFound,
    InvalidGroupBy, InvalidAggregate, InvalidFilter, InvalidQuery or QueryTimeout.
    """
    table = _table(table_id)
    query = Query(table, backend())
    key_sql = query.group_key(group_by, period)
    value_sql = query.aggregate(aggregate, measure)
    if not 1 <= int(limit) <= MAX_GROUPS:
        raise InvalidQuery(
            _("limit must be between 1 and %(max)s.") % {"max": MAX_GROUPS}, {"limit": limit}
        )
    conditions, params = query.where(filters, q)
    statement = query.grouped(
        key_sql=key_sql,
        value_sql=value_sql,
        function=aggregate,
        measure=measure,
        conditions=conditions,
        by_period=bool(period),
    )
    bounds = [MAX_PERIODS + 1] if period else [int(limit), int(limit)]
    rows = _grouped_rows(table, query, statement, [*params, *bounds])
    read_key = types.reader(types.DATE) if period else query.readers[group_by]
    read_value = query.aggregate_reader(aggregate, measure)
    groups = [
        Group(key=read_key(key), value=read_value(value), rows=int(count))
        for is_other, _rank, key, value, count, _groups in rows
        if not is_other
    ]
    rest = [row for row in rows if row[0] and row[5]]
    truncated = bool(period) and len(groups) > MAX_PERIODS
    return GroupedResult(
        group_by=group_by,
        period=period or None,
        function=aggregate,
        measure=measure or None,
        groups=groups[:MAX_PERIODS],
        other=(
            Group(key=None, value=read_value(rest[0][3]), rows=int(rest[0][4]))
            if rest and other
            else None
        ),
        other_groups=int(rest[0][5]) if rest and other else 0,
        truncated=truncated,
    )


def _grouped_rows(table: Table, query: Query, statement: str, params: list[Any]) -> list:
    """The grouped query's rows, cached per load and query as totals are: a grouped query
    reads the whole table, and a shared or cited chart is drawn again and again."""
    fingerprint = hashlib.sha256(
        json.dumps([statement, params], cls=DjangoJSONEncoder).encode()
    ).hexdigest()
    key = f"datastore:groups:{table.pk}:{table.generation}:{fingerprint}"
    found = cache.get(key)
    if found is not None:
        return found
    with query.engine.time_limit(_timeout_ms()), connection.cursor() as cursor:
        cursor.execute(statement, params)
        found = cursor.fetchall()
    cache.set(key, found, timeout=24 * 3600)
    return found


def stream_csv(table_id: uuid.UUID, *, filters=None, q=None, sort=(), fields=None) -> Iterator[str]:
    """The matching rows as CSV text, in chunks, in constant memory, header row first.

    Arguments are checked before this returns (so errors come before any output); rows are
    read as the iterator is consumed. Text cells that a spreadsheet would run as a formula
    (starting = + - @ tab or carriage return) get a leading single quote, as OWASP advises;
    numbers, dates and booleans are written as they are.
    """
    columns, query, rows = _stream(table_id, filters=filters, q=q, sort=sort, fields=fields)
    return _csv_chunks(columns, query, rows)


def _csv_chunks(columns, query, rows) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([defuse_formula(name) for name in columns])
    cells = [_csv_cell(query.types[name], query.readers[name]) for name in columns]
    for count, row in enumerate(rows, start=1):
        writer.writerow([cell(value) for cell, value in zip(cells, row, strict=True)])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def stream_json(
    table_id: uuid.UUID, *, filters=None, q=None, sort=(), fields=None
) -> Iterator[str]:
    """The matching rows as one JSON document {"fields": [...], "records": [...]}, in chunks.
    Arguments are checked before this returns, as for stream_csv."""
    columns, query, rows = _stream(table_id, filters=filters, q=q, sort=sort, fields=fields)
    return _json_chunks(columns, query, rows)


def _json_chunks(columns, query, rows) -> Iterator[str]:
    encoder = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":"))
    yield '{"fields":' + encoder.encode(query.field_info(columns))
    yield ',"records":['
    readers = [query.readers[name] for name in columns]
    chunk: list[str] = []
    for count, row in enumerate(rows):
        record = {
            name: read(value) for name, read, value in zip(columns, readers, row, strict=True)
        }
        chunk.append(("," if count else "") + encoder.encode(record))
        if len(chunk) >= 500:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "]}"


def _stream(table_id, *, filters, q, sort, fields):
    """Columns, the query and a lazy iterator of rows read through a server-side cursor."""
    table = _table(table_id)
    query = Query(table, backend())
    chosen = query.fields(fields)
    conditions, params = query.where(filters, q)
    order = query.sort(sort)
    statement = (
        f"SELECT {', '.join(quote(c) for c in chosen)} FROM {query.name}"  # noqa: S608 - quoted known identifiers; values are bound
        f"{_where(conditions)} ORDER BY {query.order_by(order)}"
    )

    def rows() -> Iterator[tuple]:
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(statement, params)
            while batch := cursor.fetchmany(STREAM_BATCH):
                yield from batch
        finally:
            cursor.close()

    return chosen, query, rows()


def _csv_cell(type_name: str, read):
    if type_name == types.TEXT:
        return lambda value: "" if value is None else defuse_formula(value)
    if type_name == types.BOOLEAN:
        return lambda value: "" if value is None else ("true" if value else "false")
    return lambda value: "" if value is None else str(read(value))


def sql(sql_text: str, *, limit: int = 1000, timeout_ms: int | None = None) -> SqlResult:
    """Run one read-only SELECT over public DataStore tables, named as "<table uuid>" (quoted).

    Only tables the registered visibility check lets the public read may be named: drafts
    are read through search, never through SQL. Only allow-listed functions; at most `limit`
    rows (`truncated` says there were more); stopped after `timeout_ms` (by default
    settings.DATASTORE_SQL_TIMEOUT_MS). Raises SqlNotAllowed, SqlInvalid, TableNotFound,
    QueryTimeout, SqlBusy (every place taken: retry) or SqlUnavailable (not set up here).
    """
    return _sql.run(
        sql_text, limit=limit, timeout_ms=timeout_ms or settings.DATASTORE_SQL_TIMEOUT_MS
    )


def _table(table_id, visible_to: Any = _UNCHECKED) -> Table:
    """The table's record; with `visible_to`, only if that person may read the table. One
    read serves both: reading it twice cost a rows request about a sixth of its CPU time
    in Django."""
    table = Table.objects.filter(pk=as_table_uuid(table_id)).first()
    if table is None or (
        visible_to is not _UNCHECKED
        and not _visibility.owner_allows(table.owner, table.pk, visible_to)
    ):
        raise TableNotFound(_("There is no DataStore table with this id."), {"id": str(table_id)})
    return table
