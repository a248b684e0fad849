"""Downloads of platform datasets: other modules' open data, generated when asked for."""

import csv
import json

from django.http import Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header

from townhall.core.registry import OpenDataExport
from townhall.core.spreadsheets import defuse_formula

from ..services.platform import export_by_slug
from . import DOWNLOAD_TYPES


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def _csv_rows(export: OpenDataExport):
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(export.fields)
    for row in export.rows():
        yield writer.writerow([_safe_cell(row.get(name)) for name in export.fields])


def _safe_cell(value) -> str:
    return defuse_formula("" if value is None else str(value))


def _json_rows(export: OpenDataExport):
    yield '{"fields": ' + json.dumps(list(export.fields)) + ', "records": ['
    for number, row in enumerate(export.rows()):
        record = {name: row.get(name) for name in export.fields}
        yield ("," if number else "") + json.dumps(record, default=str, ensure_ascii=False)
    yield "]}"


def platform_download(request, slug: str, extension: str):
    export = export_by_slug(slug)
    if export is None or extension not in DOWNLOAD_TYPES:
        raise Http404
    rows = _csv_rows(export) if extension == "csv" else _json_rows(export)
    response = StreamingHttpResponse(rows, content_type=DOWNLOAD_TYPES[extension])
    response["Content-Disposition"] = content_disposition_header(True, f"{slug}.{extension}")
    return response
