"""Consultation leads' pages for pre-election periods: list, add, change, delete.

The pages collect the form and show what a period holds back; the rules (no overlaps,
a started period's hold on today kept, consultations released only on confirmation) are
the services' in services/pre_election.py, which check permission again.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from townhall.core.permissions import can

from . import selectors, services
from .forms import PreElectionPeriodForm
from .models import PreElectionPeriod

ACTION = "participation.manage_consultation"


def leads_page(view):
    """Sign-in for anonymous visitors, 403 for anyone who may not manage consultations."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can(request.user, ACTION):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _period(pk: int) -> PreElectionPeriod:
    period = selectors.pre_election_period(pk)
    if period is None:
        raise Http404
    return period


def _effect(starts_on, ends_on) -> selectors.PreElectionEffect:
    return selectors.pre_election_period_effect(starts_on=starts_on, ends_on=ends_on)


def _asked_again(request: HttpRequest, error: services.PreElectionPeriodRelease):
    """The form again, with the consultations the change would release and the box to
    confirm them (unticked: what is confirmed is exactly what the page shows)."""
    data = request.POST.copy()
    data["released"] = ",".join(str(c.pk) for c in error.consultations)
    data.pop("acknowledge_release", None)
    form = PreElectionPeriodForm(data, released=error.consultations)
    form.is_valid()
    if request.POST.get("released"):
        form.add_error(
            "acknowledge_release",
            _("Confirm that these consultations may open, or change the dates"),
        )
    return form


def _add_service_error(form: PreElectionPeriodForm, error: services.ParticipationError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error.message)


@leads_page
def period_list(request: HttpRequest) -> HttpResponse:
    periods = selectors.pre_election_periods()
    return render(
        request,
        "participation/pre_election/list.html",
        {
            "current": [(p, _effect(p.starts_on, p.ends_on)) for p in periods["current"]],
            "upcoming": [(p, _effect(p.starts_on, p.ends_on)) for p in periods["upcoming"]],
            "past": periods["past"],
        },
    )


@leads_page
@require_http_methods(["GET", "POST"])
def period_add(request: HttpRequest) -> HttpResponse:
    form = PreElectionPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.pre_election_period_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except services.ParticipationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is added.") % {"name": period.name})
            return redirect("participation:pre_election_list")
    return render(
        request,
        "participation/pre_election/form.html",
        {"form": form, "title": _("Add a pre-election period"), "submit": _("Add period")},
    )


@leads_page
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(pk)
    initial = {"name": period.name, "starts_on": period.starts_on, "ends_on": period.ends_on}
    form = PreElectionPeriodForm(request.POST or None, initial=initial)
    released = []
    if request.method == "POST" and form.is_valid():
        try:
            services.pre_election_period_update(
                actor=request.user,
                period=period,
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                released_confirmed=form.released_confirmed(),
            )
        except services.PreElectionPeriodGone as error:
            messages.error(request, error.message)
            return redirect("participation:pre_election_list")
        except services.PreElectionPeriodRelease as error:
            form, released = _asked_again(request, error), error.consultations
        except services.ParticipationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, _("Changes to “%(name)s” are saved.") % {"name": period})
            return redirect("participation:pre_election_list")
    return render(
        request,
        "participation/pre_election/form.html",
        {
            "form": form,
            "period": period,
            "effect": _effect(period.starts_on, period.ends_on),
            "released": released,
            "title": _("Change a pre-election period"),
            "submit": _("Save changes"),
        },
    )


@leads_page
@require_http_methods(["GET", "POST"])
def period_delete(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(pk)
    released = selectors.consultations_released(period=period)
    if request.method == "POST":
        shown = [int(pk) for pk in request.POST.getlist("released") if pk.isdigit()]
        try:
            services.pre_election_period_delete(
                actor=request.user, period=period, released_confirmed=shown
            )
        except services.PreElectionPeriodRelease as error:
            released = error.consultations
            messages.error(request, _("More consultations are affected now: read the list again."))
        except services.ParticipationError as error:
            messages.error(request, error.message)
            return redirect("participation:pre_election_list")
        else:
            messages.success(request, _("“%(name)s” is deleted.") % {"name": period.name})
            return redirect("participation:pre_election_list")
    return render(
        request,
        "participation/pre_election/delete.html",
        {
            "period": period,
            "effect": _effect(period.starts_on, period.ends_on),
            "released": released,
            "running": period.starts_on <= timezone.localdate() <= period.ends_on,
        },
    )
