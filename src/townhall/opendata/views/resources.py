"""A resource's public pages: the preview (table, filters, chart, map) and its downloads."""

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from townhall.core.permissions import can

from .. import columns, preview, selectors, visuals
from ..forms import ChartForm
from ..models import ResourceVersion
from . import DOWNLOAD_TYPES


def _readable(request, slug: str, resource_id):
    dataset = selectors.dataset_for_reader(slug, request.user)
    if dataset is None:
        raise Http404
    resource = selectors.resource_for_reader(resource_id, request.user, dataset=dataset)
    if resource is None:
        raise Http404
    return dataset, resource


def resource(request, slug: str, resource_id):
    dataset, found = _readable(request, slug, resource_id)
    table = selectors.table_for_reader(found, request.user)
    can_edit = can(request.user, "opendata.edit_dataset", dataset)
    context = {
        "dataset": dataset,
        "resource": found,
        "table": table,
        "can_edit": can_edit,
        "report": selectors.ingest_report(found) if can_edit else None,
        "latest": selectors.latest_version(found),
        "held_report": selectors.held_report(found) if can_edit else None,
        "versions": selectors.resource_versions(found)[:10],
    }
    if table is not None:
        state = preview.read_state(request.GET, [column["id"] for column in table.columns])
        page, error = selectors.table_page(found, request.user, state)
        chart_form = ChartForm(request.GET, columns=table.columns)
        dictionary = columns.column_dictionary(found, table.columns)
        context.update(
            columns=dictionary,
            facets=columns.table_facets(found, table, state, dictionary) if page else [],
            served_report=selectors.served_report(found),
            state=state,
            page=page,
            query_error=error,
            operators=preview.OPERATORS,
            chart_form=chart_form,
            chart=visuals.chart_for(
                found, state, chart_form, {column.id for column in dictionary if column.money}
            ),
            chart_query=visuals.chart_query(state, chart_form),
            chart_api=visuals.chart_api_url(found, state, chart_form),
            pagination=_keyset_pagination(state, page),
            download_query=state.query(),
        )
    page = context.get("page")
    context["map"] = visuals.map_for(found, page.records if page is not None else None)
    return render(request, "opendata/resource.html", context)


def _keyset_pagination(state: preview.PreviewState, page) -> dict | None:
    if page is None:
        return None
    next_link = state.query(page=state.page + 1, after=page.next_cursor) if page.next_cursor else ""
    previous_link = state.query(page=state.page - 1) if state.page > 1 else ""
    if not (next_link or previous_link):
        return None
    return {"previous": previous_link, "next": next_link, "items": []}


def download(request, slug: str, resource_id, extension: str):
    """The table, or the filtered and sorted view of it, streamed as CSV or JSON."""
    if extension not in DOWNLOAD_TYPES:
        raise Http404
    _dataset, found = _readable(request, slug, resource_id)
    table = selectors.table_for_reader(found, request.user)
    if table is None:
        raise Http404
    state = preview.read_state(request.GET, [column["id"] for column in table.columns])
    chunks = selectors.table_stream(found, request.user, state, extension)
    filtered = "-filtered" if state.filters or state.q else ""
    response = StreamingHttpResponse(chunks, content_type=DOWNLOAD_TYPES[extension])
    filename = f"{slugify(found.name) or 'data'}{filtered}.{extension}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def resource_file(request, slug: str, resource_id):
    """The file of the version currently served, as uploaded."""
    _dataset, found = _readable(request, slug, resource_id)
    if found.current_version is None:
        raise Http404
    return _file_response(found.current_version)


def version_file(request, slug: str, resource_id, version_id):
    """Any kept version's file; older versions stay downloadable."""
    _dataset, found = _readable(request, slug, resource_id)
    version = found.versions.filter(pk=version_id).first()
    if version is None:
        raise Http404
    return _file_response(version)


def _file_response(version: ResourceVersion) -> FileResponse:
    try:
        handle = version.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing.")) from missing
    return FileResponse(handle, as_attachment=True, filename=version.filename)
