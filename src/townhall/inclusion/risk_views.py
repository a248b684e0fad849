"""Pages of the digital exclusion risk index: the public map and table with its
downloads, and the officer's page under Manage."""

import csv
import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from townhall.core.components.maps import map_of
from townhall.core.permissions import page_for
from townhall.core.spreadsheets import defuse_formula

from . import risk_selectors as selectors
from . import risk_services as services
from .manifest import MANAGE_RISK_INDEX
from .risk_forms import RiskImportForm, RiskWeightsForm
from .risk_scoring import COMPONENT_LABELS, COMPONENTS, INDICATORS, SCORE_FIELDS

OPEN_DATA_SLUG = "digital-exclusion-risk-index"


def _open_data_url() -> str | None:
    """The catalogue's page of the scores, when open data is installed and has it."""
    from django.apps import apps

    if not apps.is_installed("townhall.opendata"):
        return None
    from townhall.opendata.selectors import platform_dataset_url

    return platform_dataset_url(OPEN_DATA_SLUG)


def _map(index):
    features = [
        {
            "type": "Feature",
            "geometry": area.geometry,
            "properties": {
                "name": _("%(name)s: class %(number)s%(gap)s")
                % {
                    "name": area.display_name,
                    "number": area.score.risk_class or "–",
                    "gap": _(", a gap") if area.gap else "",
                },
                "variant": f"risk-{area.score.risk_class or 0}" + (" gap" if area.gap else ""),
                "label": str(area.score.risk_class or "–") + ("!" if area.gap else ""),
            },
        }
        for area in index.areas
    ]
    features += [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [point["longitude"], point["latitude"]]},
            "properties": {"name": point["name"], "variant": "help"},
        }
        for point in index.help_points
    ]
    return map_of(title=_("Risk of digital exclusion by small area"), features=features)


def risk_page(request: HttpRequest) -> HttpResponse:
    index = selectors.risk_index()
    context = {
        "index": index,
        "map": _map(index) if index.areas else None,
        "components": [(c, COMPONENT_LABELS[c]) for c in COMPONENTS],
        "indicators": INDICATORS,
        "weights": [
            (COMPONENT_LABELS[c], getattr(index.weights, c), 100 * index.weights.share(c))
            for c in COMPONENTS
        ],
        "open_data_url": _open_data_url(),
    }
    return render(request, "inclusion/risk.html", context)


def risk_download(request: HttpRequest, extension: str) -> HttpResponse:
    index = selectors.risk_index()
    if extension == "json":
        response = HttpResponse(
            json.dumps(selectors.score_document(index), indent=1),
            content_type="application/json; charset=utf-8",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # so that a spreadsheet reads the file as UTF-8
        writer = csv.DictWriter(response, fieldnames=SCORE_FIELDS)
        writer.writeheader()
        for row in selectors.score_rows(index):
            writer.writerow(
                {k: defuse_formula(v) if isinstance(v, str) else v for k, v in row.items()}
            )
    response["Content-Disposition"] = (
        f'attachment; filename="digital-exclusion-risk-index.{extension}"'
    )
    response["Link"] = (
        "<https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/>; "
        'rel="license"'
    )
    return response


# Manage ---------------------------------------------------------------------------------

risk_officer_page = page_for(MANAGE_RISK_INDEX)


def _weights_initial() -> dict:
    weights = selectors.weights_in_force()
    return {component: getattr(weights, component) for component in COMPONENTS}


def _manage(request, *, boundaries=None, indicators=None, weights=None, problems=(), status=200):
    context = {
        "boundaries_form": boundaries or RiskImportForm(prefix="boundaries"),
        "indicators_form": indicators or RiskImportForm(prefix="indicators"),
        "weights_form": weights or RiskWeightsForm(prefix="weights", initial=_weights_initial()),
        "problems": problems,
        "imports": selectors.risk_imports()[:50],
        "weights_history": selectors.weights_history()[:50],
        "weights": selectors.weights_in_force(),
        "areas": selectors.small_area_count(),
        "indicators": INDICATORS,
    }
    return render(request, "inclusion/manage/risk.html", context, status=status)


@risk_officer_page
def risk_manage(request: HttpRequest) -> HttpResponse:
    return _manage(request)


@risk_officer_page
@require_POST
def risk_import(request: HttpRequest, kind: str) -> HttpResponse:
    form = RiskImportForm(request.POST, request.FILES, prefix=kind)
    problems: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        run = (
            services.small_areas_import if kind == "boundaries" else services.risk_indicators_import
        )
        try:
            record = run(
                actor=request.user,
                data=upload.read(),
                file_name=upload.name,
                source=form.cleaned_data["source"],
            )
        except services.ImportRefused as refused:
            problems = refused.problems
            form.add_error(
                "file",
                _(
                    "The file was not imported: nothing has changed. Mend the problems listed and try again."
                ),
            )
        else:
            messages.success(
                request,
                _("Imported %(rows)s rows from %(file)s.")
                % {"rows": record.rows, "file": record.file_name},
            )
            return redirect("inclusion:risk_manage")
    return _manage(request, **{kind: form}, problems=problems, status=400)


@risk_officer_page
@require_http_methods(["POST"])
def risk_weights(request: HttpRequest) -> HttpResponse:
    form = RiskWeightsForm(request.POST, prefix="weights")
    if form.is_valid():
        try:
            saved = services.risk_weights_set(actor=request.user, **form.cleaned_data)
        except services.WeightsInvalid as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Version %(version)s of the weights is in force.") % {"version": saved.version},
            )
            return redirect("inclusion:risk_manage")
    return _manage(request, weights=form, status=400)
