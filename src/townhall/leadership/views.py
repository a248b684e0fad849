"""The digital leadership section, who leads digital, the decisions register, the board and
the scorecard, for residents; and staff pages under /leadership/manage/. Views parse and
render; the rules, permission checks included, are the services'."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from townhall.core.components.charts import bar_chart, radar_chart
from townhall.core.components.pagination import numbered_pagination, page_number
from townhall.core.permissions import can, page_for

from . import maturity, scorecards, selectors, services
from .forms import (
    ActionFilterForm,
    AgendaItemForm,
    AssessmentStartForm,
    BenefitActualForm,
    BenefitForm,
    BoardActionForm,
    BoardMeetingForm,
    CabinetMemberForm,
    ComparisonFilterForm,
    CouncillorAccountForm,
    DecisionFilterForm,
    DecisionForm,
    LeaderForm,
    MaturityAnswerForm,
    ObjectiveForm,
    PortfolioForm,
    ProgrammeForm,
    ProjectForm,
    RagForm,
    ScorecardImportForm,
    ServiceChangeForm,
)
from .manifest import COUNCILLOR_BRIEFING, SEE_PORTFOLIO

PAGE_SIZE = 10


def index(request: HttpRequest) -> HttpResponse:
    """The digital leadership section: who leads, the decisions made and coming up, the
    board's next meeting and latest minutes, the roadmap's projects by status, and the
    scorecard's headline score."""
    groups = dict(selectors.leaders_by_kind())
    context = {
        "leads": groups.get("cabinet_member", []) + groups.get("chief_digital_officer", []),
        "coming": selectors.decisions_coming_up(count=3),
        "recent": selectors.decisions_made_recently(count=3),
        "next_meeting": next(iter(selectors.board_meetings().upcoming), None),
        "latest_meeting": selectors.latest_held_meeting(),
        "project_statuses": selectors.public_project_statuses(),
        "card": selectors.public_scorecard(),
        "councillor": can(request.user, COUNCILLOR_BRIEFING),
    }
    return render(request, "leadership/index.html", context)


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


# The digital board, for residents --------------------------------------------------------


def board_meetings(request: HttpRequest) -> HttpResponse:
    return render(
        request, "leadership/board_meetings.html", {"meetings": selectors.board_meetings()}
    )


def board_meeting(request: HttpRequest, slug: str) -> HttpResponse:
    """A meeting's agenda, papers, minutes and actions; an exempt item's paper and minutes
    only to staff who keep the board."""
    meeting = selectors.board_meeting(slug)
    if meeting is None:
        raise Http404
    context = {
        "meeting": meeting,
        "show_exempt": can(request.user, services.MANAGE_BOARD),
        "today": timezone.localdate(),
    }
    return render(request, "leadership/board_meeting.html", context)


def board_paper(request: HttpRequest, slug: str, item_id: int) -> FileResponse:
    """An item's paper; 404 for an exempt one unless the reader keeps the board."""
    meeting = selectors.board_meeting(slug)
    item = selectors.agenda_item(meeting, item_id) if meeting else None
    if item is None or not item.paper_file:
        raise Http404
    if item.exempt and not can(request.user, services.MANAGE_BOARD):
        raise Http404
    try:
        handle = item.paper_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing.")) from missing
    return FileResponse(handle, filename=item.paper_file.name.rsplit("/", 1)[-1])


def board_actions(request: HttpRequest) -> HttpResponse:
    """The action tracker: open actions by owner, overdue ones flagged, done ones with the
    day; filtered by owner and status (400 for a filter that cannot be used)."""
    form = ActionFilterForm(request.GET)
    valid = form.is_valid()
    tracker = selectors.action_tracker(**form.selector_arguments()) if valid else None
    context = {"form": form, "tracker": tracker, "today": timezone.localdate()}
    return render(request, "leadership/board_actions.html", context, status=200 if valid else 400)


# Staff ------------------------------------------------------------------------------------


leaders_page = page_for(services.MANAGE_LEADERS)
decisions_page = page_for(services.MANAGE_DECISIONS)
board_page = page_for(services.MANAGE_BOARD)


maturity_page = page_for(services.ASSESS_MATURITY)


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


@board_page
def manage_board(request: HttpRequest) -> HttpResponse:
    return render(request, "leadership/manage/board.html", {"meetings": selectors.board_meetings()})


@board_page
@require_http_methods(["GET", "POST"])
def manage_meeting_create(request: HttpRequest) -> HttpResponse:
    return _meeting_form(request, None)


@board_page
@require_http_methods(["GET", "POST"])
def manage_meeting_edit(request: HttpRequest, public_id) -> HttpResponse:
    meeting = selectors.board_meeting_by_public_id(public_id)
    if meeting is None:
        raise Http404
    return _meeting_form(request, meeting)


def _meeting_form(request: HttpRequest, meeting) -> HttpResponse:
    initial = {}
    if meeting is not None:
        initial = {
            "meets_on": meeting.meets_on,
            "status": meeting.status,
            "place": meeting.place_en_gb,
            "place_cy": meeting.place_cy,
        }
    form = BoardMeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if meeting is None:
                saved = services.board_meeting_create(actor=request.user, **form.cleaned_data)
            else:
                saved = services.board_meeting_edit(
                    actor=request.user, meeting=meeting, **form.cleaned_data
                )
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("leadership:manage_meeting_edit", saved.public_id)
    context = {"form": form, "meeting": meeting}
    return render(request, "leadership/manage/meeting_form.html", context)


def _meeting_or_404(public_id):
    meeting = selectors.board_meeting_by_public_id(public_id)
    if meeting is None:
        raise Http404
    return meeting


@board_page
@require_http_methods(["GET", "POST"])
def manage_item_create(request: HttpRequest, public_id) -> HttpResponse:
    return _item_form(request, _meeting_or_404(public_id), None)


@board_page
@require_http_methods(["GET", "POST"])
def manage_item_edit(request: HttpRequest, public_id, item_id: int) -> HttpResponse:
    meeting = _meeting_or_404(public_id)
    item = selectors.agenda_item(meeting, item_id)
    if item is None:
        raise Http404
    return _item_form(request, meeting, item)


def _item_form(request: HttpRequest, meeting, item) -> HttpResponse:
    initial = {}
    if item is not None:
        initial = {
            "title": item.title_en_gb,
            "title_cy": item.title_cy,
            "position": item.position,
            "paper_url": item.paper_url,
            "exempt_paragraph": item.exempt_paragraph or "",
            "minutes": item.minutes_en_gb,
            "minutes_cy": item.minutes_cy,
            "decision": str(item.decision.public_id) if item.decision else "",
        }
    form = AgendaItemForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            if item is None:
                services.agenda_item_create(actor=request.user, meeting=meeting, **arguments)
            else:
                services.agenda_item_edit(actor=request.user, item=item, **arguments)
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The agenda item is saved."))
            return redirect("leadership:manage_meeting_edit", meeting.public_id)
    context = {"form": form, "meeting": meeting, "item": item}
    return render(request, "leadership/manage/item_form.html", context)


@board_page
@require_http_methods(["GET", "POST"])
def manage_action_create(request: HttpRequest, public_id) -> HttpResponse:
    return _action_form(request, _meeting_or_404(public_id), None)


@board_page
@require_http_methods(["GET", "POST"])
def manage_action_edit(request: HttpRequest, action_id) -> HttpResponse:
    action = selectors.board_action_by_public_id(action_id)
    if action is None:
        raise Http404
    return _action_form(request, action.meeting, action)


def _action_form(request: HttpRequest, meeting, action) -> HttpResponse:
    initial = {}
    if action is not None:
        initial = {
            "what": action.what_en_gb,
            "what_cy": action.what_cy,
            "owner": action.owner,
            "due_on": action.due_on,
        }
    form = BoardActionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if action is None:
                services.board_action_create(
                    actor=request.user, meeting=meeting, **form.cleaned_data
                )
            else:
                services.board_action_edit(actor=request.user, action=action, **form.cleaned_data)
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The action is saved."))
            return redirect("leadership:manage_meeting_edit", meeting.public_id)
    context = {"form": form, "meeting": meeting, "action": action}
    return render(request, "leadership/manage/action_form.html", context)


@board_page
@require_POST
def manage_action_done(request: HttpRequest, action_id) -> HttpResponse:
    action = selectors.board_action_by_public_id(action_id)
    if action is None:
        raise Http404
    try:
        services.board_action_done(actor=request.user, action=action)
    except services.LeadershipError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The action is marked done."))
    return redirect("leadership:manage_meeting_edit", action.meeting.public_id)


# Digital maturity -------------------------------------------------------------------------


def _section_chart(card):
    return bar_chart(
        title=_("Score by area, %(day)s")
        % {"day": formats.date_format(card.assessment.assessed_on, "j F Y")},
        points=[(maturity.text(item.section["name"]), item.percent) for item in card.sections],
        value_label=_("Score (%)"),
        category_label=_("Area"),
    )


def _radar(card, title, others=()):
    """Our areas' percents on a radar chart, with `others` ((name, percents)) beside;
    None for a framework of fewer than three areas, which a radar cannot draw."""
    if len(card.sections) < 3:
        return None
    return radar_chart(
        title=title,
        categories=[item.name for item in card.sections],
        series=[(_("This council"), [item.percent for item in card.sections]), *others],
        value_label=_("Score (%)"),
        category_label=_("Area"),
    )


def _history_chart(history):
    return bar_chart(
        title=_("Total score of each assessment"),
        points=[
            (formats.date_format(assessment.assessed_on, "j F Y"), total)
            for assessment, total in history
        ],
        value_label=_("Score (%)"),
        category_label=_("Assessed on"),
    )


def scorecard(request: HttpRequest) -> HttpResponse:
    """The latest published assessment: total, charts and table of the areas, each
    question's level and evidence, what to improve next and the history of totals."""
    card = selectors.public_scorecard()
    history = selectors.maturity_history()
    context = {
        "card": card,
        "chart": _section_chart(card) if card else None,
        "radar": _radar(card, _("The areas at a glance")) if card else None,
        "history": history,
        "history_chart": _history_chart(history),
    }
    return render(request, "leadership/scorecard.html", context)


def scorecard_compare(request: HttpRequest) -> HttpResponse:
    """Our scorecard beside other councils' imported ones, filtered by type and region."""
    form = ComparisonFilterForm(request.GET or None)
    comparison = selectors.scorecard_comparison(**form.filters())
    section_charts = [
        bar_chart(
            title=section.name,
            points=[(entry.name, percent) for entry, percent in percents],
            value_label=_("Score (%)"),
            category_label=_("Council"),
        )
        for section, percents in comparison.section_rows()
    ]
    average = comparison.average_sections()
    radar = None
    if comparison.ours is not None:
        others = [(_("Average of the other councils shown"), average)] if average else []
        radar = _radar(comparison.ours, _("Areas: this council and the others"), others)
    context = {
        "form": form,
        "comparison": comparison,
        "section_charts": section_charts,
        "radar": radar,
    }
    return render(request, "leadership/scorecard_compare.html", context)


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
    context = {"card": card, "improvements": card.improvements(count=None)}
    return render(request, "leadership/manage/assessment.html", context)


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


@maturity_page
@require_http_methods(["GET", "POST"])
def manage_scorecards(request: HttpRequest) -> HttpResponse:
    """Other councils' scorecards: the ones imported, and a form to import another."""
    form = ScorecardImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        arguments = {name: value for name, value in form.cleaned_data.items() if name != "file"}
        try:
            imported = services.scorecard_import(
                actor=request.user,
                raw=form.cleaned_data["file"].read(scorecards.MAX_BYTES + 1),
                **arguments,
            )
        except services.LeadershipError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                form.add_error("file", f"{error.field}: {error.message}")
        else:
            messages.success(
                request,
                _("The scorecard of %(council)s, assessed on %(day)s, is imported.")
                % {
                    "council": imported.council.name,
                    "day": formats.date_format(imported.assessed_on, "j F Y"),
                },
            )
            return redirect("leadership:manage_scorecards")
    context = {"form": form, "councils": selectors.compared_councils()}
    return render(request, "leadership/manage/scorecards.html", context)


@maturity_page
@require_POST
def manage_scorecard_remove(request: HttpRequest, gss_code: str) -> HttpResponse:
    council = selectors.compared_council(gss_code)
    if council is None:
        raise Http404
    services.compared_council_remove(actor=request.user, council=council)
    messages.success(request, _("%(council)s is no longer compared.") % {"council": council.name})
    return redirect("leadership:manage_scorecards")


# Strategy and roadmap ---------------------------------------------------------------------


def strategy(request: HttpRequest) -> HttpResponse:
    """The digital strategy: objectives under the guide's six areas, their programmes and
    published projects."""
    return render(request, "leadership/strategy.html", {"areas": selectors.strategy()})


def roadmap(request: HttpRequest) -> HttpResponse:
    """The roadmap timeline: published projects by quarter, as lists (no chart to read)."""
    return render(request, "leadership/roadmap.html", {"quarters": selectors.roadmap()})


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A project: stage, RAG with its reason and history, budget, benefits against their
    targets and the services it changes; a draft only to those who may see it (else 404)."""
    project = selectors.project_for(request.user, slug)
    if project is None:
        raise Http404
    return render(request, "leadership/project_detail.html", {"project": project})


def my_portfolio(request: HttpRequest) -> HttpResponse:
    """The signed-in cabinet member's portfolio dashboard; 404 for anyone without one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    portfolio = selectors.portfolio_of(request.user)
    if portfolio is None or not can(request.user, SEE_PORTFOLIO, portfolio):
        raise Http404
    dashboard = selectors.portfolio_dashboard(portfolio, viewer=request.user)
    return render(request, "leadership/my_portfolio.html", {"dashboard": dashboard})


def councillor_home(request: HttpRequest) -> HttpResponse:
    """The signed-in councillor's home: decisions coming up, their ward and the digital
    guide's checklist; 404 for anyone who is not a councillor."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(request.user, COUNCILLOR_BRIEFING):
        raise Http404
    home = selectors.councillor_home(request.user)
    return render(request, "leadership/councillor_home.html", {"home": home})


roadmap_page = page_for(services.MANAGE_ROADMAP)


@roadmap_page
def manage_roadmap(request: HttpRequest) -> HttpResponse:
    context = {"areas": selectors.strategy(drafts=True)}
    return render(request, "leadership/manage/roadmap.html", context)


def _translated_initial(obj, names) -> dict:
    return {
        name: getattr(obj, name if name.endswith("_cy") else f"{name}_en_gb")
        for base in names
        for name in (base, f"{base}_cy")
    }


def _saved(request: HttpRequest, message: str):
    messages.success(request, message)
    return redirect("leadership:manage_roadmap")


@roadmap_page
@require_http_methods(["GET", "POST"])
def manage_objective(request: HttpRequest, public_id=None) -> HttpResponse:
    objective = None
    initial = {}
    if public_id is not None:
        objective = selectors.objective_by_public_id(public_id)
        if objective is None:
            raise Http404
        initial = {
            **_translated_initial(objective, services.OBJECTIVE_TEXT),
            "area": objective.area,
            "portfolio": objective.portfolio,
            "owner": objective.owner,
            "position": objective.position,
        }
    form = ObjectiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.objective_save(
                actor=request.user, objective=objective, **form.cleaned_data
            )
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            return _saved(request, _("“%(title)s” is saved.") % {"title": saved.title})
    context = {"form": form, "item": objective, "kind": "objective"}
    return render(request, "leadership/manage/roadmap_form.html", context)


@roadmap_page
@require_http_methods(["GET", "POST"])
def manage_programme(request: HttpRequest, public_id=None) -> HttpResponse:
    programme = None
    initial = {}
    if public_id is not None:
        programme = selectors.programme_by_public_id(public_id)
        if programme is None:
            raise Http404
        initial = {
            **_translated_initial(programme, services.OBJECTIVE_TEXT),
            "objective": programme.objective,
        }
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.programme_save(
                actor=request.user, programme=programme, **form.cleaned_data
            )
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            return _saved(request, _("“%(title)s” is saved.") % {"title": saved.title})
    context = {"form": form, "item": programme, "kind": "programme"}
    return render(request, "leadership/manage/roadmap_form.html", context)


@roadmap_page
@require_http_methods(["GET", "POST"])
def manage_project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, new=True)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.project_create(actor=request.user, **form.cleaned_data)
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": saved.title})
            return redirect("leadership:manage_project", saved.public_id)
    context = {"form": form, "item": None, "kind": "project"}
    return render(request, "leadership/manage/roadmap_form.html", context)


def _staff_project(public_id):
    project = selectors.project_for_staff(public_id)
    if project is None:
        raise Http404
    return project


@roadmap_page
@require_http_methods(["GET", "POST"])
def manage_project(request: HttpRequest, public_id) -> HttpResponse:
    """A project's details form, with its status, benefits and services changed."""
    project = _staff_project(public_id)
    initial = {
        **_translated_initial(project, services.PROJECT_TEXT),
        "programme": project.programme,
        "stage": project.stage,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "budget_approved_pence": project.budget_approved_pence,
        "budget_spent_pence": project.budget_spent_pence,
        "published": project.published,
    }
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_edit(actor=request.user, project=project, **form.cleaned_data)
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("“%(title)s” is saved.") % {"title": project.title})
            return redirect("leadership:manage_project", project.public_id)
    context = {"form": form, "project": project, "service_form": ServiceChangeForm()}
    return render(request, "leadership/manage/project.html", context)


@roadmap_page
@require_http_methods(["GET", "POST"])
def manage_project_rag(request: HttpRequest, public_id) -> HttpResponse:
    project = _staff_project(public_id)
    form = RagForm(request.POST or None, initial={"rag": project.rag})
    if request.method == "POST" and form.is_valid():
        try:
            services.project_rag_update(actor=request.user, project=project, **form.cleaned_data)
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The status is updated."))
            return redirect("leadership:manage_project", project.public_id)
    context = {"form": form, "project": project, "kind": "rag"}
    return render(request, "leadership/manage/project_part_form.html", context)


@roadmap_page
@require_http_methods(["GET", "POST"])
def manage_benefit_create(request: HttpRequest, public_id) -> HttpResponse:
    project = _staff_project(public_id)
    form = BenefitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.benefit_create(actor=request.user, project=project, **form.cleaned_data)
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The benefit is added."))
            return redirect("leadership:manage_project", project.public_id)
    context = {"form": form, "project": project, "kind": "benefit"}
    return render(request, "leadership/manage/project_part_form.html", context)


@roadmap_page
@require_http_methods(["GET", "POST"])
def manage_benefit_actual(request: HttpRequest, benefit_id) -> HttpResponse:
    benefit = selectors.benefit_by_public_id(benefit_id)
    if benefit is None:
        raise Http404
    initial = {"actual_value": benefit.actual_value, "measured_on": benefit.measured_on}
    form = BenefitActualForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.benefit_actual(actor=request.user, benefit=benefit, **form.cleaned_data)
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The measurement is recorded."))
            return redirect("leadership:manage_project", benefit.project.public_id)
    context = {"form": form, "project": benefit.project, "benefit": benefit, "kind": "actual"}
    return render(request, "leadership/manage/project_part_form.html", context)


@roadmap_page
@require_POST
def manage_service_add(request: HttpRequest, public_id) -> HttpResponse:
    project = _staff_project(public_id)
    form = ServiceChangeForm(request.POST)
    if form.is_valid():
        try:
            services.service_change_add(actor=request.user, project=project, **form.cleaned_data)
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("The service is added."))
            return redirect("leadership:manage_project", project.public_id)
    context = {"form": form, "project": project, "kind": "service"}
    return render(request, "leadership/manage/project_part_form.html", context, status=400)


@roadmap_page
@require_POST
def manage_service_remove(request: HttpRequest, public_id, change_id: int) -> HttpResponse:
    project = _staff_project(public_id)
    change = project.services.filter(pk=change_id).first()
    if change is None:
        raise Http404
    services.service_change_remove(actor=request.user, change=change)
    messages.success(request, _("The service is removed."))
    return redirect("leadership:manage_project", project.public_id)


@decisions_page
@require_http_methods(["GET", "POST"])
def manage_portfolio_member(request: HttpRequest, slug: str) -> HttpResponse:
    """Link a portfolio to its cabinet member's account (or unlink it)."""
    portfolio = selectors.portfolio_by_slug(slug)
    if portfolio is None:
        raise Http404
    member = portfolio.cabinet_member
    initial = {"cabinet_member": str(member.public_id) if member else ""}
    form = CabinetMemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["cabinet_member"]
        try:
            services.portfolio_cabinet_member(
                actor=request.user,
                portfolio=portfolio,
                member=selectors.person_by_public_id(key) if key else None,
            )
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": portfolio.name})
            return redirect("leadership:manage_portfolios")
    context = {"form": form, "portfolio": portfolio}
    return render(request, "leadership/manage/portfolio_member.html", context)


@decisions_page
def manage_councillors(request: HttpRequest) -> HttpResponse:
    """The councillors serving today and the account each signs in with."""
    context = {"councillors": selectors.councillor_accounts()}
    return render(request, "leadership/manage/councillors.html", context)


@decisions_page
@require_http_methods(["GET", "POST"])
def manage_councillor_account(request: HttpRequest, councillor_id: int) -> HttpResponse:
    """Link a serving councillor to their account (or unlink it)."""
    councillor = selectors.serving_councillor(councillor_id)
    if councillor is None:
        raise Http404
    linked = dict(selectors.councillor_accounts()).get(councillor)
    initial = {"account": str(linked.public_id) if linked else ""}
    form = CouncillorAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        key = form.cleaned_data["account"]
        try:
            services.councillor_account_link(
                actor=request.user,
                councillor_id=councillor.pk,
                member=selectors.person_by_public_id(key) if key else None,
            )
        except services.LeadershipError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": councillor.name})
            return redirect("leadership:manage_councillors")
    context = {"form": form, "councillor": councillor}
    return render(request, "leadership/manage/councillor_account.html", context)
