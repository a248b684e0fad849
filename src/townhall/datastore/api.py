"""/api/v1/datastore: read public DataStore tables as JSON, CSV, or with read-only SQL.

GET /api/v1/datastore/{table_id}                 columns, row count, last load
GET /api/v1/datastore/{table_id}/rows            a page of rows; `next` links the next page
    ?filter.<column>__<op>=<value>   ops: eq ne lt lte gt gte in contains isnull
    &q=<words>&sort=-amount,date&fields=a,b&limit=100&after=<cursor>&offset=0
GET /api/v1/datastore/{table_id}/rows.csv|.json  the whole (or filtered) table, streamed
GET /api/v1/datastore/{table_id}/groups          an aggregate per group, over all matching rows
    ?group_by=<column>&period=day|week|month|quarter|year
    &aggregate=count|sum|avg|min|max&measure=<column>&limit=10&other=true&filter....&q=
GET /api/v1/datastore/sql?sql=SELECT ...         read-only SQL over tables named by id
"""

import uuid
from datetime import datetime
from typing import Any

import orjson
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Router, Schema

from townhall.core.api_errors import ApiError, responses
from townhall.core.permissions import require

from . import selectors
from ._query import OPERATORS
from .errors import DataStoreError, TableNotFound
from .results import Filter

router = Router(tags=["datastore"])
FILTER_PREFIX = "filter."
MAX_SQL_ROWS = 1000
# Above this many matching rows a filtered total may be estimated (PostgreSQL), as CKAN's
# `total_estimation_threshold` allows: counting 50,000 rows was most of a first page.
TOTAL_ESTIMATION_THRESHOLD = 10_000


class FieldOut(Schema):
    id: str
    type: str
    label: str | None = None


class TableOut(Schema):
    id: uuid.UUID
    fields: list[FieldOut]
    row_count: int
    updated_at: datetime
    last_load: dict[str, Any] | None
    rows_url: str
    csv_url: str
    json_url: str


class RowsOut(Schema):
    fields: list[FieldOut]
    records: list[dict[str, Any]]
    total: int | None
    total_was_estimated: bool
    next: str | None


class GroupOut(Schema):
    key: Any
    value: Any
    rows: int


class GroupsOut(Schema):
    group_by: str
    period: str | None
    aggregate: str
    measure: str | None
    groups: list[GroupOut]
    other: GroupOut | None
    other_groups: int
    truncated: bool


class SqlOut(Schema):
    fields: list[FieldOut]
    records: list[dict[str, Any]]
    truncated: bool


def _streamed(media_type: str) -> dict:
    """The OpenAPI description of a download: a streamed file, which no schema describes."""
    return {"responses": {200: {"content": {media_type: {"schema": {}}}}}}


def _api_error(error: DataStoreError) -> ApiError:
    return ApiError(error.http_status, error.code, error.message, error.details)


def _readable(request, table_id: uuid.UUID) -> None:
    require(request.user, "datastore.query")
    if not selectors.is_visible(table_id, request.user):
        raise _api_error(TableNotFound(_("There is no DataStore table with this id.")))


def _search_arguments(request) -> dict[str, Any]:
    """Filters, q, sort and fields from the query string."""
    filters = []
    for key in request.GET:
        if not key.startswith(FILTER_PREFIX):
            continue
        column, _sep, op = key[len(FILTER_PREFIX) :].rpartition("__")
        if not column or op not in OPERATORS:
            column, op = key[len(FILTER_PREFIX) :], "eq"
        values = request.GET.getlist(key)
        if op == "in":
            value: Any = values if len(values) > 1 else values[0].split(",")
        else:
            value = values[-1]
        filters.append(Filter(column, op, value))
    fields = request.GET.get("fields")
    return {
        "filters": filters,
        "q": request.GET.get("q") or None,
        "sort": request.GET.get("sort") or (),
        "fields": [name.strip() for name in fields.split(",")] if fields else None,
    }


@router.get("/sql", response=responses(SqlOut, 403, 404, 422, 503), summary="Run read-only SQL")
def run_sql(request, sql: str, limit: int = MAX_SQL_ROWS):
    """One SELECT over public tables, each named by its id in double quotes."""
    require(request.user, "datastore.query_sql")
    try:
        result = selectors.sql(sql, limit=max(0, min(limit, MAX_SQL_ROWS)))
    except DataStoreError as error:
        raise _api_error(error) from error
    return {"fields": result.fields, "records": result.records, "truncated": result.truncated}


@router.get(
    "/{uuid:table_id}",
    response=responses(TableOut, 403, 404),
    summary="A table's columns and size",
)
def table(request, table_id: uuid.UUID):
    _readable(request, table_id)
    info = selectors.table_info(table_id)
    if info is None:
        raise _api_error(TableNotFound(_("There is no DataStore table with this id.")))
    base = request.build_absolute_uri(f"/api/v1/datastore/{table_id}/rows")
    report = info.last_report
    return {
        "id": info.id,
        "fields": [{"id": "_id", "type": "integer", "label": None}, *info.columns],
        "row_count": info.row_count,
        "updated_at": info.updated_at,
        "last_load": (
            {
                "status": report.status,
                "message": report.message,
                "rows": report.rows,
                "problem_counts": report.problem_counts,
                "finished_at": report.finished_at,
            }
            if report
            else None
        ),
        "rows_url": base,
        "csv_url": f"{base}.csv",
        "json_url": f"{base}.json",
    }


@router.get(
    "/{uuid:table_id}/rows", response=responses(RowsOut, 403, 404, 422), summary="A page of rows"
)
def rows(
    request,
    table_id: uuid.UUID,
    limit: int = 100,
    offset: int = 0,
    after: str | None = None,
    include_total: bool = True,
    total_estimation_threshold: int | None = None,
):
    """Filter with `filter.<column>__<op>=value`; follow `next` for the following page.
    A filtered total above `total_estimation_threshold` (DATASTORE_TOTAL_ESTIMATION_THRESHOLD
    unless given) may be the database's estimate, and `total_was_estimated` says so."""
    require(request.user, "datastore.query")
    if total_estimation_threshold is None:
        total_estimation_threshold = getattr(
            settings, "DATASTORE_TOTAL_ESTIMATION_THRESHOLD", TOTAL_ESTIMATION_THRESHOLD
        )
    try:
        page = selectors.search(
            table_id,
            **_search_arguments(request),
            limit=limit,
            offset=offset,
            after=after,
            include_total=include_total,
            total_estimation_threshold=(
                None if total_estimation_threshold is None else max(total_estimation_threshold, 0)
            ),
            visible_to=request.user,
        )
    except DataStoreError as error:
        raise _api_error(error) from error
    following = None
    if page.next_cursor:
        query = request.GET.copy()
        query.pop("offset", None)
        query["after"] = page.next_cursor
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return _json(
        {
            "fields": [
                {"id": f["id"], "type": f["type"], "label": f.get("label")} for f in page.fields
            ],
            "records": page.records,
            "total": page.total,
            "total_was_estimated": page.total_was_estimated,
            "next": following,
        }
    )


@router.get(
    "/{uuid:table_id}/groups",
    response=responses(GroupsOut, 403, 404, 422),
    summary="An aggregate per group",
    url_name="datastore_groups",
)
def groups(
    request,
    table_id: uuid.UUID,
    group_by: str,
    period: str | None = None,
    aggregate: str = "count",
    measure: str | None = None,
    limit: int = 10,
    other: bool = True,
):
    """`aggregate` of `measure` over every matching row, grouped by a column (the `limit`
    largest groups, then the rest as `other`) or by a date column's `period` (every period,
    in date order). Filters and `q` as for rows."""
    _readable(request, table_id)
    arguments = _search_arguments(request)
    try:
        result = selectors.grouped(
            table_id,
            group_by=group_by,
            period=period or None,
            aggregate=aggregate,
            measure=measure or None,
            filters=arguments["filters"],
            q=arguments["q"],
            limit=limit,
            other=other,
        )
    except DataStoreError as error:
        raise _api_error(error) from error
    return _json(
        {
            "group_by": result.group_by,
            "period": result.period,
            "aggregate": result.function,
            "measure": result.measure,
            "groups": [vars(group) for group in result.groups],
            "other": vars(result.other) if result.other else None,
            "other_groups": result.other_groups,
            "truncated": result.truncated,
        }
    )


_DJANGO_JSON = DjangoJSONEncoder()


def _json(payload: dict) -> HttpResponse:
    """A page of rows (the RowsOut schema) encoded by orjson, in C: Django's encoder took a
    fifth of each request's time. Values orjson hands back (Decimal, dates and times) are
    written as Django's encoder writes them, so the output is the same."""
    body = orjson.dumps(
        payload, default=_DJANGO_JSON.default, option=orjson.OPT_PASSTHROUGH_DATETIME
    )
    return HttpResponse(body, content_type="application/json")


@router.get(
    "/{uuid:table_id}/rows.csv",
    response=responses(None, 403, 404),
    summary="Download rows as CSV",
    openapi_extra=_streamed("text/csv"),
)
def rows_csv(request, table_id: uuid.UUID):
    return _download(request, table_id, selectors.stream_csv, "text/csv; charset=utf-8", "csv")


@router.get(
    "/{uuid:table_id}/rows.json",
    response=responses(None, 403, 404),
    summary="Download rows as JSON",
    openapi_extra=_streamed("application/json"),
)
def rows_json(request, table_id: uuid.UUID):
    return _download(request, table_id, selectors.stream_json, "application/json", "json")


def _download(request, table_id, stream, content_type: str, extension: str):
    _readable(request, table_id)
    try:
        chunks = stream(table_id, **_search_arguments(request))
    except DataStoreError as error:
        raise _api_error(error) from error
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{table_id}.{extension}")
    return response
