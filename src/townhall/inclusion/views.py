"""Pages of the directory of digital help: "Find digital help" near a postcode, each
service's page, and the directory officer's pages under Manage."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from townhall.core.components.maps import map_of
from townhall.core.permissions import page_for
from townhall.core.services.geography import PostcodeError, find_by_postcode

from . import selectors, services
from .forms import (
    ClosureForm,
    EntryChangeForm,
    FeedImportForm,
    FindHelpForm,
    LocationForm,
    OrganizationForm,
    PartnerAddForm,
    PlaceForm,
    RejectForm,
    ScheduleForm,
    ServiceForm,
)
from .manifest import MANAGE_DIRECTORY, UPDATE_OWN_ENTRIES
from .selectors import partners as partner_selectors
from .services import feeds
from .services import partners as partner_services

#: How far "near" reaches, and how many places a search lists.
NEAR_M = 8_000
NEAR_LIMIT = 25


def find_help(request: HttpRequest) -> HttpResponse:
    form = FindHelpForm(request.GET or None)
    found, where = None, None
    if form.is_valid():
        try:
            where = find_by_postcode(form.cleaned_data["postcode"])
        except PostcodeError as error:
            form.add_error("postcode", error.message)
        else:
            if where.latitude is None or where.longitude is None:
                form.add_error("postcode", _("We do not know where that postcode is"))
        if not form.errors:
            found = selectors.help_near(
                point=selectors.Point(where.latitude, where.longitude),
                term=selectors.term_by_code(form.cleaned_data["kind"]),
                open_now=form.cleaned_data["open_now"],
                within_m=NEAR_M,
                limit=NEAR_LIMIT,
            )
    context = {"form": form, "found": found, "where": where, "map": _map(found)}
    return render(request, "inclusion/find_help.html", context, status=400 if form.errors else 200)


def _map(found):
    if not found:
        return None
    return map_of(
        title=_("Where the help is"),
        features=[
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [item.place.location.longitude, item.place.location.latitude],
                },
                "properties": {"name": item.place.location.name, "description": item.service.name},
            }
            for item in found
        ],
    )


def service_page(request: HttpRequest, slug: str) -> HttpResponse:
    service = selectors.published_service(slug)
    if service is None:
        raise Http404
    now = selectors.local_now()
    places = [
        {
            "place": place,
            "week": selectors.opening_week(place.schedules.all(), now.date()),
            "closures": selectors.closures_ahead(place.schedules.all(), now.date()),
            "open_now": selectors.is_open(place.schedules.all(), now),
        }
        for place in service.at_locations.all()
    ]
    return render(request, "inclusion/service.html", {"service": service, "places": places})


# Manage ---------------------------------------------------------------------------------


directory_page = page_for(MANAGE_DIRECTORY)


def _found(value):
    if value is None:
        raise Http404
    return value


def _refused(form, error: services.DirectoryInvalid) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@directory_page
def manage(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    stale = request.GET.get("stale") == "on"
    today = timezone.localdate()
    found = selectors.services_for_staff(query)
    if stale:
        found = found.filter(partner_selectors.stale_condition(today))
    context = {
        "services": found,
        "stale": stale,
        "stale_before": partner_selectors.stale_before(today),
        "pending": partner_selectors.pending_change_count(),
        "organizations": selectors.organizations_for_staff(),
        "locations": selectors.locations_for_staff(),
        "query": query,
    }
    return render(request, "inclusion/manage/index.html", context)


def _edit(request, *, form, save, done, template: str, context: dict) -> HttpResponse:
    """The pattern of every directory form: on a valid POST, save and go to `done(obj)`."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except services.DirectoryInvalid as error:
            _refused(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(done(saved))
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


@directory_page
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk=None) -> HttpResponse:
    organization = _found(selectors.organization_for_staff(pk)) if pk else None
    initial = {}
    if organization:
        initial = {
            "name": organization.name_en_gb,
            "name_cy": organization.name_cy,
            "description": organization.description_en_gb,
            "description_cy": organization.description_cy,
            "email": organization.email,
            "website": organization.website,
        }
    return _edit(
        request,
        form=OrganizationForm(request.POST or None, initial=initial),
        save=lambda data: services.organization_save(
            actor=request.user, organization=organization, **data
        ),
        done=lambda saved: "inclusion:manage",
        template="inclusion/manage/form.html",
        context={"title": organization.name if organization else _("Add an organisation")},
    )


def _service_initial(service) -> dict:
    if service is None:
        return {}
    cost = next(iter(service.cost_options.all()), None)
    phone = next((phone for phone in service.phones.all() if not phone.contact_id), None)
    return {
        "organization": service.organization_id,
        "name": service.name_en_gb,
        "name_cy": service.name_cy,
        "description": service.description_en_gb,
        "description_cy": service.description_cy,
        "terms": list(service.terms.all()),
        "status": service.status,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "eligibility": service.eligibility_en_gb,
        "eligibility_cy": service.eligibility_cy,
        "cost": cost.option_en_gb if cost else "",
        "cost_cy": cost.option_cy if cost else "",
        "amount": cost.amount if cost else None,
        "languages": [language.code for language in service.languages.all()],
        "phone": phone.number if phone else "",
        "email": service.email,
        "url": service.url,
        "published": service.state == service.State.PUBLISHED,
    }


@directory_page
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk=None) -> HttpResponse:
    service = _found(selectors.service_for_staff(pk)) if pk else None
    return _edit(
        request,
        form=ServiceForm(request.POST or None, initial=_service_initial(service)),
        save=lambda data: services.service_save(actor=request.user, service=service, **data),
        done=lambda saved: reverse("inclusion:service_edit", args=[saved.pk]),
        template="inclusion/manage/service.html",
        context={
            "service": service,
            "title": service.name if service else _("Add a service"),
            "place_form": PlaceForm(),
            "pending": partner_selectors.pending_change(service) if service else None,
        },
    )


@directory_page
@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, pk=None) -> HttpResponse:
    location = _found(selectors.location_for_staff(pk)) if pk else None
    initial = {}
    if location:
        initial = {
            "organization": location.organization_id,
            "name": location.name_en_gb,
            "name_cy": location.name_cy,
            "address_1": location.address_1,
            "city": location.city,
            "postcode": location.postal_code,
            "transportation": location.transportation_en_gb,
            "transportation_cy": location.transportation_cy,
        }
    return _edit(
        request,
        form=LocationForm(request.POST or None, initial=initial),
        save=lambda data: services.location_save(actor=request.user, location=location, **data),
        done=lambda saved: "inclusion:manage",
        template="inclusion/manage/form.html",
        context={"title": location.name if location else _("Add a place")},
    )


@directory_page
@require_http_methods(["POST"])
def place_add(request: HttpRequest, pk) -> HttpResponse:
    service = _found(selectors.service_for_staff(pk))
    form = PlaceForm(request.POST)
    if form.is_valid():
        place = services.service_place_add(
            actor=request.user, service=service, location=form.cleaned_data["location"]
        )
        return redirect("inclusion:place", place.pk)
    messages.error(request, _("Choose a place"))
    return redirect("inclusion:service_edit", service.pk)


@directory_page
@require_http_methods(["GET", "POST"])
def place(request: HttpRequest, pk) -> HttpResponse:
    """A service at one place: its opening hours and holiday closures."""
    found = _found(selectors.place_for_staff(pk))
    schedule_form = ScheduleForm(prefix="hours")
    closure_form = ClosureForm(prefix="closure")
    if request.method == "POST":
        if "hours-days" in request.POST or "hours-opens_at" in request.POST:
            form = schedule_form = ScheduleForm(request.POST, prefix="hours")
            add = services.schedule_add
        else:
            form = closure_form = ClosureForm(request.POST, prefix="closure")
            add = services.closure_add
        if form.is_valid():
            try:
                add(actor=request.user, place=found, **form.cleaned_data)
            except services.DirectoryInvalid as error:
                _refused(form, error)
            else:
                messages.success(request, _("The opening times are saved."))
                return redirect("inclusion:place", found.pk)
    context = {"place": found, "schedule_form": schedule_form, "closure_form": closure_form}
    status = 400 if schedule_form.errors or closure_form.errors else 200
    return render(request, "inclusion/manage/place.html", context, status=status)


@directory_page
@require_http_methods(["POST"])
def schedule_remove(request: HttpRequest, pk, schedule_pk) -> HttpResponse:
    found = _found(selectors.place_for_staff(pk))
    schedule = _found(next((s for s in found.schedules.all() if s.pk == schedule_pk), None))
    services.schedule_remove(actor=request.user, schedule=schedule)
    messages.success(request, _("The opening times are saved."))
    return redirect("inclusion:place", found.pk)


@directory_page
@require_http_methods(["GET", "POST"])
def organization_partners(request: HttpRequest, pk) -> HttpResponse:
    """The accounts that keep an organisation's entries: add one by email, or remove one."""
    organization = _found(selectors.organization_for_staff(pk))
    form = PartnerAddForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        partnership = _found(
            partner_selectors.partnerships_of(organization)
            .filter(pk=request.POST["remove"])
            .first()
            if request.POST["remove"].isdigit()
            else None
        )
        partner_services.partner_remove(actor=request.user, partnership=partnership)
        messages.success(request, _("The account no longer keeps these entries."))
        return redirect("inclusion:organization_partners", organization.pk)
    if request.method == "POST" and form.is_valid():
        try:
            partner_services.partner_add(
                actor=request.user, organization=organization, email=form.cleaned_data["email"]
            )
        except services.DirectoryInvalid as error:
            _refused(form, error)
        else:
            messages.success(request, _("The account can now keep these entries."))
            return redirect("inclusion:organization_partners", organization.pk)
    context = {
        "organization": organization,
        "partnerships": partner_selectors.partnerships_of(organization),
        "form": form,
    }
    return render(
        request, "inclusion/manage/partners.html", context, status=400 if form.errors else 200
    )


@directory_page
def changes(request: HttpRequest) -> HttpResponse:
    """The queue of partners' changes waiting for review, and the latest decided."""
    context = {
        "pending": partner_selectors.changes_for_review(),
        "decided": partner_selectors.changes_for_review(decided=True)[:20],
    }
    return render(request, "inclusion/manage/changes.html", context)


@directory_page
@require_http_methods(["GET", "POST"])
def change_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One change: what it changes, before and after; approve it, or reject it with a reason."""
    change = _found(partner_selectors.change_for_staff(pk))
    reject_form = RejectForm(request.POST if "reject" in request.POST else None)
    problem = None
    if request.method == "POST":
        try:
            if "approve" in request.POST:
                partner_services.change_approve(actor=request.user, change=change)
                messages.success(request, _("The change is approved and live."))
                return redirect("inclusion:changes")
            if reject_form.is_valid():
                partner_services.change_reject(
                    actor=request.user, change=change, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("The change is rejected; the partner is told why."))
                return redirect("inclusion:changes")
        except services.DirectoryInvalid as error:
            if error.field == "reason":
                _refused(reject_form, error)
            else:
                problem = error.message
    context = {
        "change": change,
        "differences": partner_selectors.differences(change.based_on, change.proposed),
        "reject_form": reject_form,
        "problem": problem,
    }
    status = 409 if problem else 400 if reject_form.errors else 200
    return render(request, "inclusion/manage/change.html", context, status=status)


# Partners -------------------------------------------------------------------------------


partner_page = page_for(UPDATE_OWN_ENTRIES)


@partner_page
def partner_entries(request: HttpRequest) -> HttpResponse:
    """ "Your directory entries": the services of the organisations the account keeps."""
    today = timezone.localdate()
    entries = [
        {"service": service, "stale": partner_selectors.is_stale(service, today)}
        for service in partner_selectors.partner_services(request.user)
    ]
    context = {
        "entries": entries,
        "organizations": partner_selectors.partner_organizations(request.user),
    }
    return render(request, "inclusion/partner/entries.html", context)


@partner_page
def partner_service(request: HttpRequest, pk) -> HttpResponse:
    service = _found(partner_selectors.partner_service(request.user, pk))
    pending = partner_selectors.pending_change(service)
    details = partner_selectors.entry_details(service)
    context = {
        "service": service,
        "details": details,
        "places": partner_selectors.readable_places(details),
        "stale": partner_selectors.is_stale(service, timezone.localdate()),
        "pending": pending,
        "pending_differences": (
            partner_selectors.differences(pending.based_on, pending.proposed) if pending else []
        ),
        "decision": partner_selectors.latest_decision(service),
    }
    return render(request, "inclusion/partner/service.html", context)


@partner_page
@require_http_methods(["GET", "POST"])
def partner_change(request: HttpRequest, pk) -> HttpResponse:
    service = _found(partner_selectors.partner_service(request.user, pk))
    pending = partner_selectors.pending_change(service)
    details = pending.proposed if pending else partner_selectors.entry_details(service)
    form = EntryChangeForm(request.POST or None, details=details)
    if request.method == "POST" and form.is_valid():
        try:
            partner_services.change_propose(actor=request.user, service=service, **form.proposal())
        except services.DirectoryInvalid as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("Your changes are sent for review. Residents will see them once approved."),
            )
            return redirect("inclusion:partner_service", service.pk)
    context = {"service": service, "form": form}
    return render(
        request, "inclusion/partner/change.html", context, status=400 if form.errors else 200
    )


@partner_page
@require_http_methods(["POST"])
def partner_confirm(request: HttpRequest, pk) -> HttpResponse:
    service = _found(partner_selectors.partner_service(request.user, pk))
    partner_services.service_confirm(actor=request.user, service=service)
    messages.success(request, _("Thank you. The entry is confirmed as correct today."))
    return redirect("inclusion:partner_service", service.pk)


@directory_page
@require_http_methods(["GET", "POST"])
def feed_import(request: HttpRequest) -> HttpResponse:
    """Import another Open Referral UK feed, from its address or an uploaded file of its
    services: every problem is listed with its record and field, and nothing is written."""
    form = FeedImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = (
                feeds.feed_read_upload(data["file"])
                if data["file"]
                else feeds.feed_fetch(data["address"])
            )
            result = feeds.feed_import(
                actor=request.user, source=data["address"], services=found, publish=data["publish"]
            )
        except feeds.FeedInvalid as error:
            problems = error.problems
            form.add_error(
                None,
                _("The feed was not imported: %(count)s problems were found. Nothing was changed.")
                % {"count": len(problems)},
            )
        else:
            messages.success(
                request,
                _(
                    "The feed is imported: %(created)s services added, %(updated)s updated, "
                    "%(withdrawn)s withdrawn."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "withdrawn": result.withdrawn,
                },
            )
            return redirect("inclusion:manage")
    context = {"form": form, "problems": problems[:500], "more": max(0, len(problems) - 500)}
    return render(
        request, "inclusion/manage/import.html", context, status=400 if form.errors else 200
    )
