"""Pages for the Local Government Transparency Code: compliance, schemas, validation reports.

`urlpatterns_transparency` is included by the open data app's urls.py, under /data/ (and
/cy/data/), before the dataset pattern so "transparency" is never read as a dataset slug.
"""

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import selectors, transparency
from .transparency.compliance import NOT_PUBLISHED, OVERDUE

PROBLEM_LABELS = {
    "type-error": _("Wrong type of value"),
    "constraint-error": _("Value not allowed"),
    "missing-cell": _("Row too short"),
    "extra-cell": _("Row too long"),
    "blank-row": _("Empty row"),
    "missing-label": _("Missing column"),
    "incorrect-label": _("Wrong column heading"),
    "extra-label": _("Extra column"),
    "blank-label": _("Column without a heading"),
    "duplicate-label": _("Repeated column heading"),
    "format-error": _("Wrong file format"),
    "encoding-error": _("Unreadable text"),
}
SHOWN_PROBLEMS = 500


@require_GET
def compliance_page(request: HttpRequest) -> HttpResponse:
    """Which mandated datasets the council publishes, when each is due, which are late."""
    today = timezone.localdate()
    rows = selectors.transparency_compliance(today=today)
    context = {
        "rows": rows,
        "today": today,
        "late": sum(row.status in (OVERDUE, NOT_PUBLISHED) for row in rows),
    }
    return render(request, "opendata/transparency/compliance.html", context)


@require_GET
def schema_download(request: HttpRequest, kind: str) -> JsonResponse:
    """A mandated dataset's Table Schema, for publishers to check their files before upload."""
    try:
        found = transparency.kind(kind)
    except transparency.UnknownKind as missing:
        raise Http404 from missing
    return JsonResponse(found.descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})


@require_GET
def validation_report(request: HttpRequest, slug: str, version_id: UUID) -> HttpResponse:
    """The row-by-row report of one upload of a Transparency Code dataset.

    Anyone may read the report of a published dataset's upload; a draft's only those who may
    edit it (the catalogue's reader rule).
    """
    dataset = selectors.dataset_for_reader(slug, request.user)
    if dataset is None or not dataset.transparency_code:
        raise Http404
    version = next(
        (
            found
            for resource in dataset.resources.all()
            for found in selectors.resource_versions(resource).filter(pk=version_id)
        ),
        None,
    )
    if version is None:
        raise Http404
    report = transparency.validate_version(version, dataset.transparency_code)
    context = {
        "dataset": dataset,
        "version": version,
        "kind": transparency.kind(dataset.transparency_code),
        "report": report,
        "counts": [
            (PROBLEM_LABELS.get(name, name), count) for name, count in report.counts().items()
        ],
        "errors": report.errors[:SHOWN_PROBLEMS],
        "hidden_errors": max(len(report.errors) - SHOWN_PROBLEMS, 0),
    }
    return render(request, "opendata/transparency/report.html", context)


urlpatterns_transparency = [
    path("transparency/", compliance_page, name="transparency"),
    path("transparency/<slug:kind>.json", schema_download, name="transparency_schema"),
    path(
        "<slug:slug>/validation/<uuid:version_id>/",
        validation_report,
        name="transparency_report",
    ),
]
