"""Participatory budget pages: the budget and its projects, proposing a project, checking a
voter is eligible, the ballot (checkboxes; the total is checked on the server, so no
JavaScript is needed), results and progress, and the lead's pages to create a budget, move
phases, review projects, load the voter register and issue postal codes."""

import csv

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from townhall.core.permissions import can
from townhall.core.ratelimit import form_rate_limit

from . import selectors, services
from .budget_forms import AssessForm, BudgetForm, PostalCodesForm, ProjectForm, RegisterUploadForm
from .forms import VerifyVoterForm
from .models import Budget, BudgetProject

SESSION_VOTER = "participation:voter:{pk}"


def _budget(slug: str) -> Budget:
    budget = selectors.budget_by_slug(slug)
    if budget is None:
        raise Http404
    return budget


def _lead_or_refuse(request: HttpRequest, budget: Budget | None = None) -> HttpResponse | None:
    """The login page for a visitor; PermissionDenied for anyone who may not run budgets."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, "participation.manage_budgets", budget):
        raise PermissionDenied
    return None


def budget_create(request: HttpRequest) -> HttpResponse:
    if (refusal := _lead_or_refuse(request)) is not None:
        return refusal
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            if "ward_amounts" in arguments:
                budgets = services.budgets_create_per_ward(actor=request.user, **arguments)
            else:
                budgets = [services.budget_create(actor=request.user, **arguments)]
        except services.ParticipationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Budget created: %(titles)s") % {"titles": ", ".join(b.title for b in budgets)},
            )
            return redirect("participation:budget_manage", slug=budgets[0].slug)
    return render(request, "participation/budgets/create.html", {"form": form})


@form_rate_limit(key="user_or_ip", group="participation.residents_writing")
def project_new(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_propose(
                actor=request.user, budget=budget, **form.service_arguments()
            )
        except services.ParticipationError as error:
            form.add_error(None, error.message)
        else:
            if can(request.user, "participation.manage_budgets", budget):
                # The council adding a project itself: no thanks meant for residents.
                messages.success(request, _("Project added: %(title)s") % {"title": project.title})
                return redirect("participation:budget_manage", slug=slug)
            messages.success(
                request, _("Thank you. Your project will be reviewed before the vote.")
            )
            return redirect("participation:budget_detail", slug=slug)
    return render(
        request, "participation/budgets/project_form.html", {"budget": budget, "form": form}
    )


def budget_detail(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget(slug)
    can_manage = can(request.user, "participation.manage_budgets", budget)
    return render(
        request,
        "participation/budgets/detail.html",
        {
            "budget": budget,
            "projects": selectors.budget_projects(budget),
            "can_manage": can_manage,
            "taking_ideas": selectors.budget_taking_ideas(budget, council=can_manage),
        },
    )


@form_rate_limit(key="ip", group="participation.voter_verify")
def budget_verify(request: HttpRequest, slug: str) -> HttpResponse:
    """Check the person may vote: register details, or the code posted to them. Limited
    per address here, and in the service per budget for everyone together, so postal codes
    and register details cannot be guessed at speed."""
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


@form_rate_limit(key="ip", group="participation.voter_verify")
def budget_ballot(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget(slug)
    voter_id = request.session.get(SESSION_VOTER.format(pk=budget.pk))
    if voter_id is None:
        return redirect("participation:budget_verify", slug=slug)
    voter = get_object_or_404(budget.voters, pk=voter_id)
    chosen = [int(pk) for pk in request.POST.getlist("projects") if pk.isdigit()]
    projects = selectors.budget_projects(budget).filter(
        assessment=BudgetProject.Assessment.FEASIBLE
    )
    error = None
    if request.method == "POST" and "check" not in request.POST:
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
            "projects": projects,
            "chosen": chosen,
            "tally": selectors.ballot_tally(budget, projects, chosen),
            "error": error,
        },
    )


def budget_manage(request: HttpRequest, slug: str) -> HttpResponse:
    budget = _budget(slug)
    if (refusal := _lead_or_refuse(request, budget)) is not None:
        return refusal
    return render(
        request,
        "participation/budgets/manage.html",
        {
            "budget": budget,
            "projects": selectors.budget_projects(budget),
            "later_phases": selectors.later_phases(budget),
            "deliveries": BudgetProject.Delivery.choices,
            "voter_count": selectors.eligible_voter_count(budget),
        },
    )


@require_POST
def budget_manage_act(request: HttpRequest, slug: str, act: str) -> HttpResponse:
    """Advance the phase, review or remove a project, or record a funded project's progress."""
    budget = _budget(slug)
    project = (
        get_object_or_404(budget.projects, pk=request.POST["project"])
        if request.POST.get("project", "").isdigit()
        else None
    )
    try:
        if act == "advance":
            phase = request.POST.get("phase", "")
            try:
                services.budget_advance(
                    actor=request.user,
                    budget=budget,
                    phase=phase,
                    unreviewed_confirmed=request.POST.get("confirm") == "yes",
                )
            except services.UnreviewedProjects as unreviewed:
                return render(
                    request,
                    "participation/budgets/advance_confirm.html",
                    {
                        "budget": budget,
                        "phase": phase,
                        "phase_label": Budget.Phase(phase).label,
                        "unreviewed": unreviewed.projects,
                    },
                )
        elif act == "assess" and project:
            form = AssessForm(request.POST)
            if not form.is_valid():
                raise services.ParticipationError(
                    _("%(project)s: enter the cost in pounds, like 2500")
                    % {"project": project.title}
                )
            services.project_assess(actor=request.user, project=project, **form.service_arguments())
        elif act == "remove" and project:
            services.project_remove(actor=request.user, project=project)
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


def budget_voters(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload the electoral register or census extract; every bad row is listed."""
    budget = _budget(slug)
    if (refusal := _lead_or_refuse(request, budget)) is not None:
        return refusal
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            text = services.register_file_text(form.cleaned_data["register"].read())
            added = services.voters_import(actor=request.user, budget=budget, csv_text=text)
        except services.VoterFileInvalid as error:
            form.add_error("register", error.message)
            row_errors = error.errors
        except services.ParticipationError as error:
            form.add_error("register", error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d voter added from the register.",
                    "%(count)d voters added from the register.",
                    added,
                )
                % {"count": added},
            )
            return redirect("participation:budget_manage", slug=slug)
    return render(
        request,
        "participation/budgets/voters.html",
        {"budget": budget, "form": form, "row_errors": row_errors},
    )


def budget_codes(request: HttpRequest, slug: str) -> HttpResponse:
    """Issue codes to post to households: a CSV to print from, made once (only hashes are
    kept, so the file cannot be downloaded again; issuing more adds new codes)."""
    budget = _budget(slug)
    if (refusal := _lead_or_refuse(request, budget)) is not None:
        return refusal
    form = PostalCodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.voter_codes_issue(
            actor=request.user, budget=budget, count=form.cleaned_data["count"]
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            True, f"{budget.slug}-postal-codes.csv"
        )
        response["Cache-Control"] = "no-store"
        writer = csv.writer(response)
        writer.writerow(["code"])
        writer.writerows([code] for code in codes)
        return response
    return render(request, "participation/budgets/codes.html", {"budget": budget, "form": form})
