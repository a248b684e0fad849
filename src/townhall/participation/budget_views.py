"""Participatory budget pages: the budget and its projects, checking a voter is eligible,
the ballot (checkboxes; the total is checked on the server, so no JavaScript is needed),
results and progress, and the lead's page to move phases and review projects."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from townhall.core.permissions import can

from . import selectors, services
from .forms import VerifyVoterForm
from .models import Budget, BudgetProject

SESSION_VOTER = "participation:voter:{pk}"


def _budget(slug: str) -> Budget:
    budget = selectors.budget_by_slug(slug)
    if budget is None:
        raise Http404
    return budget


def budget_detail(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget(slug)
    return render(
        request,
        "participation/budgets/detail.html",
        {
            "budget": budget,
            "projects": selectors.budget_projects(budget),
            "can_manage": can(request.user, "participation.manage_budgets", budget),
        },
    )


def budget_verify(request: HttpRequest, slug: str) -> HttpResponse:
    """Check the person may vote: register details, or the code posted to them."""
    budget = _budget(slug)
    form = VerifyVoterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            voter = services.voter_verify(budget=budget, **form.verification())
        except services.ParticipationError as error:
            form.add_error(None, error.message)
        else:
            request.session[SESSION_VOTER.format(pk=budget.pk)] = voter.pk
            return redirect("participation:budget_ballot", slug=slug)
    return render(request, "participation/budgets/verify.html", {"budget": budget, "form": form})


def budget_ballot(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget(slug)
    voter_id = request.session.get(SESSION_VOTER.format(pk=budget.pk))
    if voter_id is None:
        return redirect("participation:budget_verify", slug=slug)
    voter = get_object_or_404(budget.voters, pk=voter_id)
    chosen = [int(pk) for pk in request.POST.getlist("projects") if pk.isdigit()]
    error = None
    if request.method == "POST":
        try:
            services.ballot_cast(budget=budget, voter=voter, project_ids=chosen)
        except services.ParticipationError as refusal:
            error = refusal.message
        else:
            request.session.pop(SESSION_VOTER.format(pk=budget.pk), None)
            messages.success(request, _("Your vote is counted. Thank you."))
            return redirect("participation:budget_detail", slug=slug)
    return render(
        request,
        "participation/budgets/ballot.html",
        {
            "budget": budget,
            "projects": selectors.budget_projects(budget).filter(
                assessment=BudgetProject.Assessment.FEASIBLE
            ),
            "chosen": chosen,
            "error": error,
        },
    )


def budget_manage(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "participation.manage_budgets", budget):
        raise PermissionDenied
    return render(
        request,
        "participation/budgets/manage.html",
        {
            "budget": budget,
            "projects": selectors.budget_projects(budget),
            "later_phases": selectors.later_phases(budget),
            "deliveries": BudgetProject.Delivery.choices,
        },
    )


@require_POST
def budget_manage_act(request: HttpRequest, slug: str, act: str) -> HttpResponse:
    """Advance the phase, review a project, or record a funded project's progress."""
    budget = _budget(slug)
    project = (
        get_object_or_404(budget.projects, pk=request.POST["project"])
        if request.POST.get("project", "").isdigit()
        else None
    )
    try:
        if act == "advance":
            services.budget_advance(
                actor=request.user, budget=budget, phase=request.POST.get("phase", "")
            )
        elif act == "assess" and project:
            services.project_assess(
                actor=request.user,
                project=project,
                feasible=request.POST.get("feasible") == "yes",
                note=request.POST.get("note", ""),
            )
        elif act == "progress" and project:
            services.project_progress(
                actor=request.user,
                project=project,
                delivery=request.POST.get("delivery", ""),
                percent=int(request.POST.get("percent") or 0),
            )
        else:
            raise Http404
    except (services.ParticipationError, ValueError) as error:
        messages.error(request, getattr(error, "message", str(error)))
    return redirect("participation:budget_manage", slug=slug)
