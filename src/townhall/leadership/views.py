"""Who leads digital and the decisions register, for residents; and staff pages under
/leadership/manage/. Views parse and render; the rules, permission checks included, are the
services'."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from townhall.core.components.charts import bar_chart
from townhall.core.components.pagination import numbered_pagination, page_number
from townhall.core.permissions import can

from . import maturity, selectors, services
from .forms import (
    AssessmentStartForm,
    DecisionFilterForm,
    DecisionForm,
    LeaderForm,
    MaturityAnswerForm,
    PortfolioForm,
)

PAGE_SIZE = 10


def leaders(request: HttpRequest) -> HttpResponse:
    return render(request, "leadership/leaders.html", {"groups": selectors.leaders_by_kind()})


def decision_list(request: HttpRequest) -> HttpResponse:
    """Published decisions, latest first, ten a page, filtered by portfolio, decision
    maker, ward and dates; a filter that cannot be used is shown as an error (400)."""
    form = DecisionFilterForm(request.GET)
    valid = form.is_valid()
    decisions = selectors.public_decisions(**form.selector_arguments()) if valid else []
    paginator = Paginator(decisions, PAGE_SIZE)
    page = paginator.get_page(page_number(request.GET.get("page")))
    context = {
        "form": form,
        "page": page,
        "pagination": numbered_pagination(request.GET, page.number, paginator.num_pages),
        "share": selectors.key_decisions_citing_data(),
        "filtered": valid and any(form.cleaned_data.values()),
    }
    return render(request, "leadership/decision_list.html", context, status=200 if valid else 400)


def decision_detail(request: HttpRequest, slug: str) -> HttpResponse:
    decision = selectors.public_decision(slug)
    if decision is None:
        raise Http404
    context = {
        "decision": decision,
        "evidence": selectors.decision_evidence(decision),
        "wards": selectors.ward_names([ward.ward_code for ward in decision.wards.all()]),
        "history": selectors.decision_history(decision),
    }
    return render(request, "leadership/decision_detail.html", context)


# Staff ------------------------------------------------------------------------------------


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


leaders_page = staff_page(services.MANAGE_LEADERS)
decisions_page = staff_page(services.MANAGE_DECISIONS)
maturity_page = staff_page(services.ASSESS_MATURITY)


def _service_error(form, error: services.LeadershipError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@leaders_page
def manage_leaders(request: HttpRequest) -> HttpResponse:
    return render(request, "leadership/manage/leaders.html", {"leaders": selectors.leaders()})


@leaders_page
@require_http_methods(["GET", "POST"])
def manage_leader_create(request: HttpRequest) -> HttpResponse:
    return _leader_form(request, None)


@leaders_page
@require_http_methods(["GET", "POST"])
def manage_leader_edit(request: HttpRequest, public_id) -> HttpResponse:
    leader = selectors.leader_by_public_id(public_id)
    if leader is None:
        raise Http404
    return _leader_form(request, leader)


def _leader_form(request: HttpRequest, leader) -> HttpResponse:
    initial = {}
    if leader is not None:
        initial = {
            "kind": leader.kind,
            "name": leader.name,
            "email": leader.email,
            "position": leader.position,
            **{
                name: getattr(leader, f"{name}_en_gb" if not name.endswith("_cy") else name)
                for base in services.LEADER_TEXT
                for name in (base, f"{base}_cy")
            },
        }
    form = LeaderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if leader is None:
                saved = services.leader_create(actor=request.user, **form.cleaned_data)
            else:
                saved = services.leader_edit(actor=request.user, leader=leader, **form.cleaned_data)
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
            return redirect("leadership:manage_leaders")
    return render(request, "leadership/manage/leader_form.html", {"form": form, "leader": leader})


@leaders_page
@require_POST
def manage_leader_remove(request: HttpRequest, public_id) -> HttpResponse:
    leader = selectors.leader_by_public_id(public_id)
    if leader is None:
        raise Http404
    services.leader_remove(actor=request.user, leader=leader)
    messages.success(request, _("%(name)s is removed.") % {"name": leader.name})
    return redirect("leadership:manage_leaders")


@decisions_page
def manage_decisions(request: HttpRequest) -> HttpResponse:
    return render(
        request, "leadership/manage/decisions.html", {"decisions": selectors.staff_decisions()}
    )


@decisions_page
@require_http_methods(["GET", "POST"])
def manage_decision_create(request: HttpRequest) -> HttpResponse:
    return _decision_form(request, None)


@decisions_page
@require_http_methods(["GET", "POST"])
def manage_decision_edit(request: HttpRequest, public_id) -> HttpResponse:
    decision = selectors.decision_for_staff(public_id)
    if decision is None:
        raise Http404
    return _decision_form(request, decision)


def _decision_initial(decision) -> dict:
    text = {
        name: getattr(decision, name if name.endswith("_cy") else f"{name}_en_gb")
        for base in services.DECISION_TEXT
        for name in (base, f"{base}_cy")
    }
    return {
        **text,
        "maker": decision.maker,
        "portfolio": decision.portfolio,
        "decided_on": decision.decided_on,
        "key_decision": decision.key_decision,
        "status": decision.status,
        "call_in_ends_on": decision.call_in_ends_on,
        "wards": [ward.ward_code for ward in decision.wards.all()],
        "data": "\n".join(selectors.data_links(decision)),
        "consultations": selectors.consultation_keys(decision),
    }


def _decision_form(request: HttpRequest, decision) -> HttpResponse:
    initial = _decision_initial(decision) if decision is not None else {}
    form = DecisionForm(request.POST or None, initial=initial, actor=request.user)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            if decision is None:
                saved = services.decision_create(actor=request.user, **arguments)
            else:
                saved = services.decision_edit(actor=request.user, decision=decision, **arguments)
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            return redirect("leadership:manage_decision_edit", saved.public_id)
    context = {"form": form, "decision": decision}
    return render(request, "leadership/manage/decision_form.html", context)


@decisions_page
@require_POST
def manage_decision_publish(request: HttpRequest, public_id) -> HttpResponse:
    decision = selectors.decision_for_staff(public_id)
    if decision is None:
        raise Http404
    try:
        services.decision_publish(actor=request.user, decision=decision)
    except services.LeadershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” is published.") % {"title": decision.title})
    return redirect("leadership:manage_decision_edit", decision.public_id)


@decisions_page
@require_http_methods(["GET", "POST"])
def manage_portfolios(request: HttpRequest) -> HttpResponse:
    form = PortfolioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portfolio = services.portfolio_create(actor=request.user, **form.cleaned_data)
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("%(name)s is added.") % {"name": portfolio.name})
            return redirect("leadership:manage_portfolios")
    context = {"form": form, "portfolios": selectors.portfolios()}
    return render(request, "leadership/manage/portfolios.html", context)


# Digital maturity -------------------------------------------------------------------------


def _section_chart(card):
    return bar_chart(
        title=_("Score by area, %(day)s")
        % {"day": formats.date_format(card.assessment.assessed_on, "j F Y")},
        points=[(maturity.text(item.section["name"]), item.percent) for item in card.sections],
        value_label=_("Score (%)"),
        category_label=_("Area"),
    )


def scorecard(request: HttpRequest) -> HttpResponse:
    """The latest published assessment: total, chart and table of the areas, each
    question's level and evidence, what to improve next and the history of totals."""
    card = selectors.public_scorecard()
    context = {
        "card": card,
        "chart": _section_chart(card) if card else None,
        "history": selectors.maturity_history(),
    }
    return render(request, "leadership/scorecard.html", context)


@maturity_page
@require_http_methods(["GET", "POST"])
def manage_maturity(request: HttpRequest) -> HttpResponse:
    form = AssessmentStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.maturity_assessment_start(
                actor=request.user, **form.service_arguments()
            )
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            return redirect("leadership:manage_assessment", assessment.public_id)
    context = {"form": form, "assessments": selectors.maturity_assessments()}
    return render(request, "leadership/manage/maturity.html", context)


def _staff_assessment(public_id):
    assessment = selectors.maturity_assessment_for_staff(public_id)
    if assessment is None:
        raise Http404
    return assessment


@maturity_page
def manage_assessment(request: HttpRequest, public_id) -> HttpResponse:
    card = selectors.scorecard(_staff_assessment(public_id))
    return render(request, "leadership/manage/assessment.html", {"card": card})


@maturity_page
@require_http_methods(["GET", "POST"])
def manage_assessment_answer(request: HttpRequest, public_id, question: str) -> HttpResponse:
    card = selectors.scorecard(_staff_assessment(public_id))
    found = next((item for item in card.questions() if item.key == question), None)
    if found is None or "measure" in found.question:
        raise Http404
    initial = {"level": found.level, "evidence": found.evidence} if found.level else {}
    form = MaturityAnswerForm(
        request.POST or None, initial=initial, card=card, question=found.question
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.maturity_answer(
                actor=request.user,
                assessment=card.assessment,
                question=question,
                **form.cleaned_data,
            )
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Your answer is saved."))
            return redirect("leadership:manage_assessment", card.assessment.public_id)
    context = {"card": card, "form": form, "question": found}
    return render(request, "leadership/manage/assessment_answer.html", context)


@maturity_page
@require_POST
def manage_assessment_publish(request: HttpRequest, public_id) -> HttpResponse:
    assessment = _staff_assessment(public_id)
    try:
        services.maturity_assessment_publish(actor=request.user, assessment=assessment)
    except services.LeadershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The assessment is published on the scorecard."))
    return redirect("leadership:manage_assessment", assessment.public_id)
