"""The officer's harvest pages under /data/publish/harvest/: the sources, a form to add or
change one, a source's page with its runs, and a run's report.

Each view asks the permission gate, calls one service or selector, and renders.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.core.permissions import require

from ..models import HarvestRun, HarvestSource
from . import selectors, services
from .forms import HarvestSourceForm

ACTION = services.ACTION


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def sources(request):
    require(request.user, ACTION)
    context = {"sources": selectors.harvest_sources(request.user)}
    return render(request, "opendata/harvest/sources.html", context)


@login_required
def source_create(request):
    require(request.user, ACTION)
    form = HarvestSourceForm(request.POST or None, initial={"schedule": "daily", "kind": "ckan"})
    if request.method == "POST" and form.is_valid():
        try:
            source = services.harvest_source_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Harvest source added. Start its first harvest here."))
            return redirect("opendata:harvest_source", source.pk)
    return render(request, "opendata/harvest/source_form.html", {"form": form, "source": None})


@login_required
def source_edit(request, source_id):
    require(request.user, ACTION)
    source = get_object_or_404(HarvestSource, pk=source_id)
    form = HarvestSourceForm(request.POST or None, initial=HarvestSourceForm.initial_for(source))
    form.fields["kind"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("kind")
        try:
            services.harvest_source_update(actor=request.user, source=source, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Harvest source saved."))
            return redirect("opendata:harvest_source", source.pk)
    return render(request, "opendata/harvest/source_form.html", {"form": form, "source": source})


@login_required
def source(request, source_id):
    require(request.user, ACTION)
    found = get_object_or_404(HarvestSource.objects.select_related("publisher"), pk=source_id)
    context = {"source": found, "runs": selectors.harvest_runs(found)}
    return render(request, "opendata/harvest/source.html", context)


@login_required
@require_POST
def run_request(request, source_id):
    require(request.user, ACTION)
    found = HarvestSource.objects.filter(pk=source_id).first()
    if found is None:
        messages.error(request, _("That harvest source no longer exists."))
        return redirect("opendata:harvest_sources")
    run = services.harvest_run_request(
        actor=request.user, source=found, full=request.POST.get("full") == "1"
    )
    messages.success(request, _("Harvest asked for. Its report appears below when it ends."))
    return redirect("opendata:harvest_run", found.pk, run.pk)


@login_required
def run(request, source_id, run_id):
    require(request.user, ACTION)
    found = get_object_or_404(
        HarvestRun.objects.select_related("source__publisher", "requested_by"),
        pk=run_id,
        source_id=source_id,
    )
    context = {"run": found, "source": found.source, "report_lang": _report_lang()}
    return render(request, "opendata/harvest/run.html", context)


def _report_lang() -> str:
    """The lang attribute for a report's stored text on a page in another language: a run
    writes its report in the site's language (harvest_run_execute), so on /cy/ the reasons
    and notes are English and must say so (WCAG 2.2 SC 3.1.2)."""
    if translation.get_language() == settings.LANGUAGE_CODE:
        return ""
    return translation.to_locale(settings.LANGUAGE_CODE).replace("_", "-")
