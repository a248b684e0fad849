"""CKAN's DataStore actions, datastore_search and datastore_search_sql, over our DataStore.

Parameters and results follow ckanext/datastore (CKAN 2.10): limit defaults to 100,
`sort` is "column desc, other", `filters` is {column: value or [values]}, `q` is text (or
{column: text}), records come as objects (or lists with records_format=lists), and
`_links` give the start and the next page by offset.
"""

import csv
import io
import math
from datetime import datetime
from urllib.parse import urlencode

from django.urls import reverse

from townhall.core.api import VisitorRateThrottle
from townhall.datastore import errors as datastore_errors
from townhall.datastore import selectors as datastore

from .. import selectors
from . import params, shapes
from .errors import NotAuthorized, NotFound, Unavailable, ValidationError

LIMIT_DEFAULT, LIMIT_MAX = 100, 32000
RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
SQL_ROW_LIMIT = 32000


def _user(request):
    return getattr(request, "ckan_user", None) or request.user


def _resource(request, resource_id):
    resource = selectors.resource_for_reader(str(resource_id or ""), _user(request))
    if resource is None or not resource.datastore_active:
        raise NotFound(f'Resource "{resource_id}" was not found.')
    return resource


def _filters(data: dict) -> dict:
    filters = params.json_value(data, "filters", {}) or {}
    if not isinstance(filters, dict):
        raise ValidationError({"filters": ["Not a json object"]})
    return filters


def _q(data: dict):
    """Full-text q: text searches every column; {column: text} becomes contains filters."""
    q = (
        params.json_value(data, "q", "")
        if str(data.get("q", "")).startswith("{")
        else data.get("q", "")
    )
    if isinstance(q, dict):
        return None, [
            {"column": column, "op": "contains", "value": text} for column, text in q.items()
        ]
    return (str(q) if q else None), []


def datastore_search(request, data: dict) -> dict:
    """Rows of a resource's DataStore table, filtered, searched, sorted and paged."""
    resource_id = data.get("resource_id") or data.get("id")
    if not resource_id:
        raise ValidationError({"resource_id": ["Missing value"]})
    resource = _resource(request, resource_id)
    limit = params.integer(data, "limit", LIMIT_DEFAULT, maximum=LIMIT_MAX)
    offset = params.integer(data, "offset", 0)
    include_total = params.boolean(data, "include_total", True)
    records_format = str(data.get("records_format") or "objects")
    if records_format not in RECORDS_FORMATS:
        raise ValidationError({"records_format": [f"Value must be one of {list(RECORDS_FORMATS)}"]})
    filters = _filters(data)
    q, q_filters = _q(data)
    fields = params.text_list(data, "fields") or None
    sort = data.get("sort") or ()
    if isinstance(sort, list):
        sort = ", ".join(map(str, sort))
    all_filters = [
        *(
            {"column": c, "op": "in" if isinstance(v, list) else "eq", "value": v}
            for c, v in filters.items()
        ),
        *q_filters,
    ]
    try:
        page = datastore.search(
            resource.pk,
            filters=all_filters,
            q=q,
            sort=sort,
            fields=fields,
            limit=limit,
            offset=offset,
            include_total=include_total,
        )
    except datastore_errors.InvalidFilter as error:
        raise ValidationError({"filters": [error.message]}) from error
    except datastore_errors.InvalidSort as error:
        raise ValidationError({"sort": [error.message]}) from error
    except datastore_errors.InvalidField as error:
        raise ValidationError({"fields": [error.message]}) from error
    except datastore_errors.QueryTimeout as error:
        raise ValidationError({"query": ["Query took too long"]}) from error
    except datastore_errors.TableNotFound as error:
        raise NotFound(f'Resource "{resource_id}" was not found.') from error
    except datastore_errors.DataStoreError as error:
        raise ValidationError({"query": [error.message]}) from error
    names = [field["id"] for field in page.fields]
    if records_format == "objects":
        records = page.records
    elif records_format == "lists":
        records = [[record.get(name) for name in names] for record in page.records]
    else:
        records = _delimited(page.records, names, "\t" if records_format == "tsv" else ",")
    result = {
        "resource_id": str(resource.pk),
        "fields": shapes.datastore_fields_of(page.fields),
        "records": records,
        "records_format": records_format,
        "limit": limit,
        "include_total": include_total,
        "_links": _links(resource.pk, data, offset, limit),
    }
    if include_total:
        result["total"] = page.total
        result["total_was_estimated"] = False
    for echoed in ("filters", "q", "sort", "offset"):  # `fields` are the field dicts
        if echoed in data:
            result[echoed] = data[echoed] if echoed != "filters" else filters
    return result


def _delimited(records: list[dict], names: list[str], delimiter: str) -> str:
    """Records as the text PostgreSQL's COPY ... TO STDOUT csv gives CKAN: no header row
    (the names are in `fields`), lines ending in a line feed, empty for null, booleans as
    t and f, and values holding the delimiter, a quote or a line break quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    for record in records:
        writer.writerow([_copy_cell(record.get(name)) for name in names])
    return buffer.getvalue()


def _copy_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def datastore_info(request, data: dict) -> dict:
    """A DataStore table's description, as CKAN 2.10's datastore_info: `meta` (its `id`,
    row `count`, `table_type` and `aliases`) and `fields` (each {id, type, info: {label,
    notes, type_override}}, without CKAN's internal `_id`)."""
    resource_id = data.get("resource_id") or data.get("id")
    if not resource_id:
        raise ValidationError({"resource_id": ["Missing value"]})
    resource = _resource(request, resource_id)
    info = datastore.table_info(resource.pk)
    if info is None:
        raise NotFound(f'Resource "{resource_id}" was not found.')
    fields = [
        {
            "id": column["id"],
            "type": shapes.FIELD_TYPES.get(column.get("type", "text"), "text"),
            "info": {"label": column.get("label") or "", "notes": "", "type_override": ""},
        }
        for column in info.columns
    ]
    result: dict = {"fields": fields}
    if params.boolean(data, "include_meta", True):
        result["meta"] = {
            "id": str(resource.pk),
            "count": info.row_count,
            "table_type": "BASE TABLE",
            "aliases": [],
        }
    return result


def _links(resource_id, data: dict, offset: int, limit: int) -> dict:
    base = reverse("ckan-action", args=["datastore_search"])
    kept = {key: value for key, value in data.items() if key not in ("offset", "resource_id", "id")}
    kept = {key: value for key, value in kept.items() if isinstance(value, str | int)}
    start = {"resource_id": str(resource_id), **kept}
    return {
        "start": f"{base}?{urlencode(start)}",
        "next": f"{base}?{urlencode({**start, 'offset': offset + limit})}",
    }


def _throttle(request) -> None:
    """The JSON API's per-visitor limit, shared with it; holders of an API token are not
    limited, as on the JSON API."""
    if getattr(request, "ckan_user", None) is not None:
        return
    throttle = VisitorRateThrottle()
    if not throttle.allow_request(request):
        wait = max(1, math.ceil(throttle.wait() or 1))
        raise Unavailable(
            429, "Rate Limit Error", "Too many requests. Wait and try again.", retry_after=wait
        )


def datastore_search_sql(request, data: dict) -> dict:
    """A read-only SQL SELECT over public DataStore tables, each named by its resource id in
    quotes. Limited per visitor as the JSON API is (core.api.VisitorRateThrottle), since each
    statement can cost the server seconds."""
    sql = data.get("sql")
    if not sql:
        raise ValidationError({"sql": ["Missing value"]})
    _throttle(request)
    try:
        result = datastore.sql(str(sql), limit=SQL_ROW_LIMIT)
    except datastore_errors.SqlNotAllowed as error:
        raise NotAuthorized(error.message) from error
    except datastore_errors.TableNotFound as error:
        raise NotFound(error.message) from error
    except datastore_errors.QueryTimeout as error:
        raise ValidationError({"query": ["Query took too long"]}) from error
    except (datastore_errors.SqlBusy, datastore_errors.SqlUnavailable) as error:
        raise Unavailable(503, "Service Unavailable", error.message, retry_after=5) from error
    except datastore_errors.DataStoreError as error:
        raise ValidationError({"query": [error.message]}) from error
    shaped = {
        "sql": sql,
        "fields": shapes.datastore_fields_of(result.fields, with_row_id=False),
        "records": result.records,
    }
    if result.truncated:
        shaped["records_truncated"] = True
    return shaped
