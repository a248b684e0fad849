"""Elections officers' pages: the elections, a new election, its ballots and candidates."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from townhall.core.permissions import can

from . import selectors, services
from .forms import CandidateForm, ElectionForm, PollingImportForm


def staff_page(action: str):
    """Sign-in for anonymous visitors, 403 for anyone who may not do `action`."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can(request.user, action):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


officers_page = staff_page(services.MANAGE)


def _service_error(form, error: services.ElectionsError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@officers_page
def manage_list(request: HttpRequest) -> HttpResponse:
    return render(request, "elections/manage/list.html", {"elections": selectors.elections()})


@officers_page
@require_http_methods(["GET", "POST"])
def manage_create(request: HttpRequest) -> HttpResponse:
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            election = services.election_create(actor=request.user, **form.cleaned_data)
        except services.ElectionsError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is added.") % {"name": election.name})
            return redirect("elections:manage_detail", election.identifier)
    return render(request, "elections/manage/form.html", {"form": form})


@officers_page
def manage_detail(request: HttpRequest, identifier: str) -> HttpResponse:
    election = selectors.election_with_ballots(identifier)
    if election is None:
        raise Http404
    return render(request, "elections/manage/detail.html", {"election": election})


@officers_page
@require_http_methods(["GET", "POST"])
def candidate_add(request: HttpRequest, identifier: str) -> HttpResponse:
    ballot = selectors.ballot_by_identifier(identifier)
    if ballot is None:
        raise Http404
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_add(
                actor=request.user, ballot=ballot, **form.cleaned_data
            )
        except services.ElectionsError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": candidate.name})
            return redirect("elections:manage_detail", ballot.election.identifier)
    return render(request, "elections/manage/candidate.html", {"form": form, "ballot": ballot})


@staff_page(services.IMPORT_STATIONS)
@require_http_methods(["GET", "POST"])
def stations_import(request: HttpRequest) -> HttpResponse:
    form = PollingImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        stations = form.cleaned_data["stations"]
        report = services.polling_data_import(
            actor=request.user,
            layout=form.cleaned_data["layout"],
            addresses=form.cleaned_data["addresses"].read(),
            stations=stations.read() if stations else None,
        )
        if report.stored:
            messages.success(
                request,
                _("Imported %(stations)d polling stations and %(addresses)d addresses.")
                % {"stations": report.stations, "addresses": report.addresses},
            )
            return redirect("elections:stations_import")
    return render(request, "elections/manage/import.html", {"form": form, "report": report})
