"""Supplier days and webinars for suppliers and everyone; and the procurement team's pages
for events and for evaluation under /market/manage/. Views parse and render; the rules,
permission checks included, are the services'."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from townhall.core.permissions import page_for

from . import manifest, selectors
from .forms_events import (
    AttendanceForm,
    CriteriaForm,
    DeclarationForm,
    EventForm,
    MaterialsForm,
    ModerationForm,
    RegistrationForm,
    ScoreForm,
)
from .services import MarketError
from .services import evaluation as evaluation_services
from .services import events as event_services
from .views import _service_error, _supplier_or_register, signed_in

events_page = page_for(manifest.MANAGE_EVENTS)
evaluation_page = page_for(manifest.EVALUATE)


def _public_event_or_404(public_id):
    event = selectors.public_event(public_id)
    if event is None:
        raise Http404
    return event


# For suppliers and everyone -------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    events = list(selectors.public_events())
    now = timezone.now()
    context = {
        "upcoming": [event for event in events if event.ends_at > now],
        "past": [event for event in reversed(events) if event.ends_at <= now],
    }
    return render(request, "market/event_list.html", context)


def event_detail(request: HttpRequest, public_id) -> HttpResponse:
    event = _public_event_or_404(public_id)
    context = {
        "event": event,
        "places": selectors.event_places(event),
        "registration_open": selectors.registration_is_open(event),
        "has_started": timezone.now() >= event.starts_at,
        "materials": selectors.materials_are_published(event),
        "supplier": selectors.supplier_of(request.user),
        "registration": selectors.own_registration(request.user, event),
    }
    return render(request, "market/event_detail.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def event_register(request: HttpRequest, public_id) -> HttpResponse:
    event = _public_event_or_404(public_id)
    if (early := _supplier_or_register(request)) is not None:
        return early
    if selectors.own_registration(request.user, event) is not None:
        return redirect("market:event_detail", event.public_id)
    form = RegistrationForm(request.POST or None, most=event.attendees_per_supplier)
    if request.method == "POST" and form.is_valid():
        try:
            registration = event_services.event_register(
                actor=request.user, event=event, attendee_names=form.attendee_names()
            )
        except MarketError as error:
            _service_error(form, error)
        else:
            messages.success(
                request,
                _("Your places are confirmed.")
                if registration.status == registration.Status.CONFIRMED
                else _(
                    "The event is full, so your organisation is on the waiting list. We "
                    "will confirm your places if others cancel."
                ),
            )
            return redirect("market:event_detail", event.public_id)
    context = {"event": event, "form": form, "places": selectors.event_places(event)}
    return render(request, "market/event_register.html", context)


@signed_in
@require_POST
def event_cancel(request: HttpRequest, public_id) -> HttpResponse:
    event = _public_event_or_404(public_id)
    registration = selectors.own_registration(request.user, event)
    if registration is None:
        raise Http404
    try:
        event_services.event_registration_cancel(actor=request.user, registration=registration)
    except MarketError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect("market:event_detail", event.public_id)


def event_slides(request: HttpRequest, public_id) -> HttpResponse:
    """The slides, once published: served here so that no one reads them early."""
    event = _public_event_or_404(public_id)
    if not (selectors.materials_are_published(event) and event.slides):
        raise Http404
    try:
        handle = event.slides.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing.")) from missing
    return FileResponse(handle, filename="slides.pdf", content_type="application/pdf")


# Staff: events --------------------------------------------------------------------------------


def _staff_event_or_404(public_id):
    event = selectors.event_for_staff(public_id)
    if event is None:
        raise Http404
    return event


@events_page
def manage_events(request: HttpRequest) -> HttpResponse:
    return render(request, "market/manage/events.html", {"events": selectors.events_for_staff()})


@events_page
@require_http_methods(["GET", "POST"])
def manage_event_create(request: HttpRequest) -> HttpResponse:
    return _event_form(request, None)


@events_page
@require_http_methods(["GET", "POST"])
def manage_event_edit(request: HttpRequest, public_id) -> HttpResponse:
    return _event_form(request, _staff_event_or_404(public_id))


def _event_initial(event) -> dict:
    local = timezone.localtime
    initial = {
        "kind": event.kind,
        "challenge": event.challenge,
        "online_url": event.online_url,
        "day": local(event.starts_at).date(),
        "start_time": local(event.starts_at).time(),
        "end_time": local(event.ends_at).time(),
        "deadline_day": local(event.registration_deadline).date(),
        "deadline_time": local(event.registration_deadline).time(),
        "capacity": event.capacity,
        "attendees_per_supplier": event.attendees_per_supplier,
    }
    for name in event_services.EVENT_TEXT:
        initial[name] = getattr(event, f"{name}_en_gb")
        initial[f"{name}_cy"] = getattr(event, f"{name}_cy")
    return initial


def _event_form(request: HttpRequest, event) -> HttpResponse:
    form = EventForm(request.POST or None, initial=_event_initial(event) if event else {})
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                saved = event_services.event_create(actor=request.user, **form.service_arguments())
            else:
                saved = event_services.event_edit(
                    actor=request.user, event=event, **form.service_arguments()
                )
        except MarketError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            return redirect("market:manage_event_edit", saved.public_id)
    context = {"form": form, "event": event}
    if event is not None:
        registrations = selectors.registrations_for_staff(event)
        confirmed = [r for r in registrations if r.status == r.Status.CONFIRMED]
        context |= {
            "registrations": registrations,
            "places": selectors.event_places(event),
            "attendance_form": AttendanceForm(
                initial={"attended": [str(r.pk) for r in confirmed if r.attended]},
                registrations=confirmed,
            ),
            "has_started": timezone.now() >= event.starts_at,
            "has_ended": timezone.now() >= event.ends_at,
        }
    return render(request, "market/manage/event_form.html", context)


@events_page
@require_POST
def manage_event_publish(request: HttpRequest, public_id) -> HttpResponse:
    event = _staff_event_or_404(public_id)
    try:
        event_services.event_publish(actor=request.user, event=event)
    except MarketError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The event is published and open for registration."))
    return redirect("market:manage_event_edit", event.public_id)


@events_page
@require_POST
def manage_event_attendance(request: HttpRequest, public_id) -> HttpResponse:
    event = _staff_event_or_404(public_id)
    confirmed = event.registrations.filter(status="confirmed").select_related("supplier")
    form = AttendanceForm(request.POST, registrations=confirmed)
    if form.is_valid():
        try:
            event_services.event_attendance_record(
                actor=request.user,
                event=event,
                attended={int(pk) for pk in form.cleaned_data["attended"]},
            )
        except MarketError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Attendance is recorded."))
    return redirect("market:manage_event_edit", event.public_id)


@events_page
@require_http_methods(["GET", "POST"])
def manage_event_materials(request: HttpRequest, public_id) -> HttpResponse:
    event = _staff_event_or_404(public_id)
    initial = {"notes": event.notes_en_gb, "notes_cy": event.notes_cy}
    form = MaterialsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.event_materials_publish(
                actor=request.user, event=event, **form.cleaned_data
            )
        except MarketError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The slides and notes are published."))
            return redirect("market:manage_event_edit", event.public_id)
    return render(request, "market/manage/event_materials.html", {"form": form, "event": event})


# Staff: evaluation ----------------------------------------------------------------------------


def _staff_challenge_or_404(public_id):
    challenge = selectors.challenge_for_staff(public_id)
    if challenge is None:
        raise Http404
    return challenge


@evaluation_page
def manage_evaluations(request: HttpRequest) -> HttpResponse:
    context = {"challenges": selectors.challenges_to_evaluate()}
    return render(request, "market/manage/evaluations.html", context)


@evaluation_page
def manage_evaluation(request: HttpRequest, public_id) -> HttpResponse:
    """One challenge's evaluation: criteria, your declaration, and the results table."""
    challenge = _staff_challenge_or_404(public_id)
    declaration = selectors.declaration_of(request.user, challenge)
    context = {
        "challenge": challenge,
        "criteria": selectors.published_criteria(challenge),
        "declaration": declaration,
        "declaration_form": DeclarationForm() if declaration is None else None,
        "declarations": selectors.declarations(challenge),
        "results": selectors.evaluation_results(challenge),
    }
    return render(request, "market/manage/evaluation.html", context)


@evaluation_page
@require_http_methods(["GET", "POST"])
def manage_criteria(request: HttpRequest, public_id) -> HttpResponse:
    challenge = _staff_challenge_or_404(public_id)
    initial = {}
    for row, criterion in enumerate(selectors.published_criteria(challenge)):
        initial |= {
            f"title_{row}": criterion.title_en_gb,
            f"title_cy_{row}": criterion.title_cy,
            f"weight_{row}": criterion.weight,
        }
    form = CriteriaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_services.criteria_set(
                actor=request.user, challenge=challenge, criteria=form.criteria()
            )
        except MarketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The criteria are published."))
            return redirect("market:manage_evaluation", challenge.public_id)
    context = {"challenge": challenge, "form": form}
    return render(request, "market/manage/criteria_form.html", context)


@evaluation_page
@require_POST
def manage_declare(request: HttpRequest, public_id) -> HttpResponse:
    challenge = _staff_challenge_or_404(public_id)
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            evaluation_services.interest_declare(
                actor=request.user, challenge=challenge, **form.cleaned_data
            )
        except MarketError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Your declaration of interest is recorded."))
            return redirect("market:manage_evaluation", challenge.public_id)
    context = {
        "challenge": challenge,
        "criteria": selectors.published_criteria(challenge),
        "declaration": None,
        "declaration_form": form,
        "declarations": selectors.declarations(challenge),
        "results": selectors.evaluation_results(challenge),
    }
    return render(request, "market/manage/evaluation.html", context, status=400)


def _staff_response_or_404(public_id):
    response = selectors.response_for_staff(public_id)
    if response is None:
        raise Http404
    return response


@evaluation_page
@require_http_methods(["GET", "POST"])
def manage_score(request: HttpRequest, public_id) -> HttpResponse:
    """Score one response, blind: the other scorer's scores show once both have scored."""
    response = _staff_response_or_404(public_id)
    challenge = response.challenge
    criteria = selectors.published_criteria(challenge)
    visible = selectors.scores_visible_to(request.user, response)
    own = [score for score in visible if score.scorer_id == request.user.pk]
    form = None if own else ScoreForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            evaluation_services.response_score(
                actor=request.user, response=response, scores=form.scores()
            )
        except MarketError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Your scores are recorded."))
            return redirect("market:manage_score", response.public_id)
    [row] = [r for r in selectors.evaluation_results(challenge) if r["response"] == response]
    context = {
        "response": response,
        "challenge": challenge,
        "form": form,
        "scores": visible,
        "row": row,
        "moderation_forms": [
            (cell, ModerationForm(initial={"criterion": cell["criterion"].pk}, prefix=str(i)))
            for i, cell in enumerate(row["cells"])
            if cell["to_moderate"] or cell["moderation"]
        ],
    }
    return render(request, "market/manage/score_form.html", context)


@evaluation_page
@require_POST
def manage_moderate(request: HttpRequest, public_id) -> HttpResponse:
    response = _staff_response_or_404(public_id)
    prefix = request.POST.get("prefix", "")
    form = ModerationForm(request.POST, prefix=prefix)
    criterion = None
    if form.is_valid():
        criterion = (
            selectors.published_criteria(response.challenge)
            .filter(pk=form.cleaned_data["criterion"])
            .first()
        )
    if criterion is None:
        messages.error(request, _("Give an agreed score and the reason for it."))
    else:
        try:
            evaluation_services.score_moderate(
                actor=request.user,
                response=response,
                criterion=criterion,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
            )
        except MarketError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The agreed score is recorded."))
    return redirect("market:manage_score", response.public_id)
