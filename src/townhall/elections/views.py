"""The elections section, where to vote, results and councillors, for residents; and
elections officers' pages: elections, ballots, candidates, results, councillors and the
import of polling stations."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from townhall.core.components.charts import bar_chart
from townhall.core.components.maps import map_of
from townhall.core.fields import PostcodeForm
from townhall.core.permissions import page_for
from townhall.core.ratelimit import form_rate_limit
from townhall.core.response_cache import public_answer
from townhall.core.selectors import geography
from townhall.core.selectors.site import council_name
from townhall.core.services.geography import PostcodeError, PostcodeOutsideCouncil

from . import results_csv, selectors, services
from .forms import (
    AccessibilityForm,
    CandidateForm,
    CouncillorForm,
    DistrictsImportForm,
    ElectionForm,
    NewCouncillorForm,
    PollingImportForm,
    ResultForm,
    ResultsImportForm,
    SurgeryForm,
)

officers_page = page_for(services.MANAGE)


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


@page_for(services.IMPORT_STATIONS)
@require_http_methods(["GET", "POST"])
def stations_import(request: HttpRequest) -> HttpResponse:
    form = PollingImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        stations = form.cleaned_data["stations"]
        report = services.polling_data_import(
            actor=request.user,
            layout=form.cleaned_data["layout"],
            addresses=form.cleaned_data["addresses"],
            stations=stations,
        )
        if report.stored:
            messages.success(
                request,
                _(
                    "Imported %(stations)d polling stations and %(addresses)d addresses "
                    "from the %(layout)s export."
                )
                % {
                    "stations": report.stations,
                    "addresses": report.addresses,
                    "layout": report.layout,
                },
            )
            return redirect("elections:stations_list")
    return render(request, "elections/manage/import.html", {"form": form, "report": report})


@page_for(services.IMPORT_STATIONS)
def stations_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "elections/manage/stations.html", {"stations": selectors.polling_stations()}
    )


def _districts_map(districts):
    return map_of(
        title=_("Map of polling districts"),
        features=[
            {
                "type": "Feature",
                "geometry": district.boundary,
                "properties": {
                    "name": f"{district.code} {district.name}".strip(),
                    "description": ngettext(
                        "%(count)d address; station %(station)s",
                        "%(count)d addresses; station %(station)s",
                        district.address_count,
                    )
                    % {
                        "count": district.address_count,
                        "station": district.station_council_id or _("not given"),
                    },
                },
            }
            for district in districts
            if district.boundary
        ],
    )


@page_for(services.IMPORT_STATIONS)
def districts_list(request: HttpRequest) -> HttpResponse:
    districts = list(selectors.polling_districts())
    context = {
        "map": _districts_map(districts),
        "without_boundary": [d for d in districts if not d.boundary],
    }
    return render(request, "elections/manage/districts.html", context)


@page_for(services.IMPORT_STATIONS)
@require_http_methods(["GET", "POST"])
def districts_import(request: HttpRequest) -> HttpResponse:
    form = DistrictsImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.polling_districts_import(
            actor=request.user,
            boundaries_file=form.cleaned_data["boundaries"],
            code_property=form.cleaned_data["code_property"],
            name_property=form.cleaned_data["name_property"],
            station_property=form.cleaned_data["station_property"],
        )
        if report.stored:
            messages.success(
                request,
                _("Imported the boundaries of %(count)d polling districts.")
                % {"count": report.districts},
            )
            return redirect("elections:districts_list")
    return render(
        request, "elections/manage/districts_import.html", {"form": form, "report": report}
    )


@page_for(services.IMPORT_STATIONS)
@require_http_methods(["GET", "POST"])
def station_edit(request: HttpRequest, council_id: str) -> HttpResponse:
    station = selectors.polling_station(council_id)
    if station is None:
        raise Http404
    initial = {
        "accessibility": station.accessibility_en_gb,
        "accessibility_cy": station.accessibility_cy,
    }
    form = AccessibilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.polling_station_describe(actor=request.user, station=station, **form.cleaned_data)
        messages.success(
            request, _("Access details for %(station)s are saved.") % {"station": station}
        )
        return redirect("elections:stations_list")
    return render(request, "elections/manage/station.html", {"form": form, "station": station})


# Generous for a person, a wall for a script walking every postcode in the council.


def _lookup_rate(group: str, request: HttpRequest) -> str:
    """Polling station look-ups one visitor may make (ELECTIONS_LOOKUP_RATE), read on each
    request: many voters can share an address (a mobile network's, a library's)."""
    return settings.ELECTIONS_LOOKUP_RATE


WHERE_DO_I_VOTE = "https://wheredoivote.co.uk/postcode/{postcode}/"


def _station_map(station):
    return map_of(
        title=_("Map of your polling station"),
        features=[
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [station.longitude, station.latitude]},
                "properties": {"name": str(station), "description": station.postcode},
            }
        ],
    )


def _where_to_vote_page(request: HttpRequest, form, found, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "found": found,
        "map": _station_map(found.station) if found and found.station else None,
        "electoral_services": selectors.electoral_services(),
    }
    return render(request, "elections/where_to_vote.html", context, status=status)


def index(request: HttpRequest) -> HttpResponse:
    """The elections section: where to vote, the coming elections' key dates and voter ID
    rule, reminders, councillors and results, each a click from here."""
    context = {
        "form": PostcodeForm(),
        "upcoming": selectors.upcoming_elections(),
        "latest_results": selectors.elections_with_results().first(),
    }
    return render(request, "elections/index.html", context)


# An anonymous visitor's answer is kept whole (core.response_cache, ADR 0045) until any
# elections change; a kept answer is served before the limiter, which counts the look-ups
# that reach the database (a postcode not asked before).
public_lookup = public_answer(generation=selectors.lookup_generation)


@public_lookup
@form_rate_limit(rate=_lookup_rate, methods=("GET",))
def where_to_vote(request: HttpRequest) -> HttpResponse:
    form = PostcodeForm(request.GET or None)
    found = None
    if form.is_valid():
        try:
            found = selectors.where_to_vote(form.cleaned_data["postcode"])
        except PostcodeOutsideCouncil as error:
            form.add_error(
                "postcode",
                _(
                    "%(postcode)s is not in %(council)s. Find where you vote on your own "
                    "council's polling station finder, or at WhereDoIVote.co.uk."
                )
                % {"postcode": error.postcode, "council": council_name()},
            )
            form.elsewhere = WHERE_DO_I_VOTE.format(postcode=error.postcode.replace(" ", ""))
        except PostcodeError as error:
            form.add_error("postcode", error.message)
    return _where_to_vote_page(request, form, found, status=400 if form.errors else 200)


@public_lookup
@form_rate_limit(rate=_lookup_rate, methods=("GET",))
def where_to_vote_at(request: HttpRequest, uprn: str) -> HttpResponse:
    found = selectors.where_to_vote_at(uprn)
    if found is None:
        raise Http404
    return _where_to_vote_page(request, PostcodeForm(initial={"postcode": found.postcode}), found)


def _ward_name(item) -> str:
    return (translation.get_language() == "cy" and item.ward_name_cy) or item.ward_name


def _turnout_chart(title, points):
    return bar_chart(
        title=title,
        points=points,
        value_label=_("Turnout (%)"),
        category_label=_("Ward"),
        decimal_places=1,
    )


def results_index(request: HttpRequest) -> HttpResponse:
    elections, wards = selectors.turnout_by_ward()
    charts = [
        _turnout_chart(
            _("Turnout by ward, %(election)s") % {"election": election.name},
            [(_ward_name(w), w.turnouts[i]) for w in wards if w.turnouts[i] is not None],
        )
        for i, election in reversed(list(enumerate(elections)))
    ]
    context = {"elections": elections[::-1], "wards": wards, "charts": charts}
    return render(request, "elections/results_index.html", context)


def election_results(request: HttpRequest, identifier: str) -> HttpResponse:
    election = selectors.election_results(identifier)
    if election is None:
        raise Http404
    declared = [ballot for ballot in election.ballots.all() if hasattr(ballot, "result")]
    chart = _turnout_chart(
        _("Turnout by ward"), [(_ward_name(b), b.result.turnout) for b in declared]
    )
    context = {"election": election, "chart": chart, "declared": len(declared)}
    return render(request, "elections/election_results.html", context)


def ballot_results(request: HttpRequest, identifier: str) -> HttpResponse:
    ballot = selectors.ballot_with_result(identifier)
    if ballot is None:
        raise Http404
    candidates = [
        {"candidate": c, "share": selectors.share(c.votes, ballot)} for c in ballot.candidates.all()
    ]
    total = sum(c.votes or 0 for c in ballot.candidates.all())
    chart = bar_chart(
        title=_("Votes for each candidate"),
        points=[(c.name, c.votes or 0) for c in ballot.candidates.all()],
        value_label=_("Votes"),
        category_label=_("Candidate"),
        percent_of=total or None,
        percent_label=_("Share of the votes"),
    )
    result = getattr(ballot, "result", None)
    context = {"ballot": ballot, "result": result, "candidates": candidates, "chart": chart}
    return render(request, "elections/ballot_results.html", context)


def results_download(request: HttpRequest, identifier: str, extension: str) -> HttpResponse:
    election = selectors.election_by_identifier(identifier)
    if election is None or extension not in ("csv", "json"):
        raise Http404
    rows = selectors.results_rows(election)
    if extension == "json":
        return JsonResponse({"election_id": identifier, "results": rows})
    response = HttpResponse(results_csv.write(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{identifier}-results.csv"'
    return response


def councillors(request: HttpRequest) -> HttpResponse:
    members = selectors.councillors()
    return render(request, "elections/councillors.html", {"councillors": members})


results_page = page_for(services.ENTER_RESULTS)
councillors_page = page_for(services.MANAGE_COUNCILLORS)


@results_page
@require_http_methods(["GET", "POST"])
def result_enter(request: HttpRequest, identifier: str) -> HttpResponse:
    ballot = selectors.ballot_with_result(identifier)
    if ballot is None:
        raise Http404
    result = getattr(ballot, "result", None)
    initial = {
        name: getattr(result, name)
        for name in ("electorate", "ballot_papers_issued", "rejected_ballots")
        if result
    }
    form = ResultForm(request.POST or None, ballot=ballot, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.ballot_result_record(actor=request.user, ballot=ballot, **form.figures())
        except services.ElectionsError as error:
            _service_error(form, error)
        else:
            messages.success(
                request, _("The result for %(ward)s is declared.") % {"ward": ballot.ward_name}
            )
            return redirect("elections:manage_detail", ballot.election.identifier)
    return render(request, "elections/manage/result.html", {"form": form, "ballot": ballot})


@results_page
@require_http_methods(["GET", "POST"])
def results_import(request: HttpRequest) -> HttpResponse:
    form = ResultsImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = services.results_import(
            actor=request.user, data=form.cleaned_data["results"].read()
        )
        if report.stored:
            messages.success(
                request,
                _("Results for %(count)d ballots are declared.") % {"count": report.ballots},
            )
            return redirect("elections:manage_list")
    return render(request, "elections/manage/results_import.html", {"form": form, "report": report})


@councillors_page
def councillors_manage(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "elections/manage/councillors.html",
        {"councillors": selectors.all_councillors()},
    )


@councillors_page
@require_http_methods(["GET", "POST"])
def councillor_add(request: HttpRequest) -> HttpResponse:
    form = NewCouncillorForm(request.POST or None, wards=geography.wards())
    if request.method == "POST" and form.is_valid():
        try:
            member = services.councillor_add(actor=request.user, **form.cleaned_data)
        except services.ElectionsError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": member.name})
            return redirect("elections:councillor_edit", member.pk)
    return render(request, "elections/manage/councillor_new.html", {"form": form})


@councillors_page
@require_http_methods(["GET", "POST"])
def councillor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.councillor(pk)
    if member is None:
        raise Http404
    initial = {name: getattr(member, name) for name in ("party", "email", "phone", "term_end")}
    form = CouncillorForm(request.POST or None, initial=initial, prefix="councillor")
    surgery_form = SurgeryForm(prefix="surgery")
    if request.method == "POST" and form.is_valid():
        try:
            services.councillor_update(actor=request.user, councillor=member, **form.cleaned_data)
        except services.ElectionsError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("%(name)s’s details are saved.") % {"name": member.name})
            return redirect("elections:councillor_edit", member.pk)
    context = {"member": member, "form": form, "surgery_form": surgery_form}
    return render(request, "elections/manage/councillor.html", context)


@councillors_page
@require_http_methods(["POST"])
def surgery_add(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.councillor(pk)
    if member is None:
        raise Http404
    surgery_form = SurgeryForm(request.POST, prefix="surgery")
    if surgery_form.is_valid():
        try:
            services.surgery_add(actor=request.user, councillor=member, **surgery_form.surgery())
        except services.ElectionsError as error:
            surgery_form.add_error(None, error.message)
        else:
            messages.success(request, _("The surgery is added."))
            return redirect("elections:councillor_edit", member.pk)
    form = CouncillorForm(
        initial={name: getattr(member, name) for name in ("party", "email", "phone", "term_end")},
        prefix="councillor",
    )
    context = {"member": member, "form": form, "surgery_form": surgery_form}
    return render(request, "elections/manage/councillor.html", context, status=400)


@councillors_page
@require_http_methods(["POST"])
def surgery_remove(request: HttpRequest, pk: int) -> HttpResponse:
    surgery = selectors.surgery(pk)
    if surgery is None:
        raise Http404
    services.surgery_remove(actor=request.user, surgery=surgery)
    messages.success(request, _("The surgery is removed."))
    return redirect("elections:councillor_edit", surgery.councillor_id)
