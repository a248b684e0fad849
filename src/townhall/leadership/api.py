"""/api/v1/decisions: the decisions register and the evidence each decision cites."""

from datetime import date
from uuid import UUID

from django.urls import reverse
from ninja import Router, Schema

from townhall.core.api_errors import ApiError, responses
from townhall.core.languages import api_fields
from townhall.core.selectors.site import council_name

from . import scorecards, selectors
from .models import Decision, Project, Rag

router = Router(tags=["decisions"])
PAGE_SIZE = 50


class DecisionOut(Schema):
    id: UUID
    slug: str
    title: str
    title_cy: str
    decided_on: date
    decision_maker: str
    decision_maker_name: str
    decision_maker_name_cy: str
    portfolio: str
    portfolio_name: str
    portfolio_name_cy: str
    key_decision: bool
    status: str
    call_in_ends_on: date | None
    ward_codes: list[str]
    cites_data: bool
    url: str


class DataCitedOut(Schema):
    dataset_id: str
    dataset_title: str
    resource_id: str | None
    resource_name: str | None
    filters: dict
    chart: dict
    url: str


class ConsultationCitedOut(Schema):
    id: UUID
    title: str
    title_cy: str
    outcome_published: bool
    url: str


class EvidenceOut(Schema):
    data: list[DataCitedOut]
    consultations: list[ConsultationCitedOut]


class DecisionDetailOut(DecisionOut):
    summary: str
    summary_cy: str
    options: str
    options_cy: str
    reasons: str
    reasons_cy: str
    call_in: str
    call_in_cy: str
    evidence: EvidenceOut


class DecisionPage(Schema):
    items: list[DecisionOut]
    next: str | None


def _summary(request, decision: Decision) -> dict:
    name = api_fields(decision, ["maker_name"])
    portfolio = api_fields(decision.portfolio, ["name"])
    return {
        "id": decision.public_id,
        "slug": decision.slug,
        **api_fields(decision, ["title"]),
        "decided_on": decision.decided_on,
        "decision_maker": decision.maker,
        "decision_maker_name": name["maker_name"],
        "decision_maker_name_cy": name["maker_name_cy"],
        "portfolio": decision.portfolio.slug,
        "portfolio_name": portfolio["name"],
        "portfolio_name_cy": portfolio["name_cy"],
        "key_decision": decision.key_decision,
        "status": decision.status,
        "call_in_ends_on": decision.call_in_ends_on,
        "ward_codes": [ward.ward_code for ward in decision.wards.all()],
        "cites_data": decision.cites_data,
        "url": request.build_absolute_uri(
            reverse("leadership:decision_detail", args=[decision.slug])
        ),
    }


def _bad(code: str, message: str, **details) -> ApiError:
    return ApiError(400, code, message, details)


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad(
            "invalid_date", f"'{name}' is a date written YYYY-MM-DD.", parameter=name
        ) from None


def _offset(value: str | None) -> int:
    if value in (None, ""):
        return 0
    if not value.isdigit():
        raise _bad("invalid_offset", "The 'offset' is not one this API gave.")
    return int(value)


@router.get("", response=responses(DecisionPage), summary="List decisions")
def decision_list(
    request,
    portfolio: str | None = None,
    decision_maker: str | None = None,
    ward: str | None = None,
    decided_from: str | None = None,
    decided_to: str | None = None,
    offset: str | None = None,
):
    """Published decisions, latest first, 50 a page; follow `next`.

    Filters: `portfolio` (a portfolio's slug), `decision_maker` (cabinet, cabinet_member,
    committee or officer), `ward` (a ward's code), `decided_from` and `decided_to` (days,
    inclusive). Errors: 400 unknown_portfolio, invalid_decision_maker, unknown_ward,
    invalid_date, invalid_date_range, invalid_offset.
    """
    found_portfolio = None
    if portfolio:
        found_portfolio = selectors.portfolio_by_slug(portfolio)
        if found_portfolio is None:
            raise _bad(
                "unknown_portfolio", "There is no portfolio with this slug.", portfolio=portfolio
            )
    if decision_maker and decision_maker not in Decision.Maker.values:
        raise _bad(
            "invalid_decision_maker",
            "Filter by one of the kinds of decision maker.",
            allowed=list(Decision.Maker.values),
        )
    if ward and ward not in dict(selectors.ward_choices()):
        raise _bad("unknown_ward", "There is no ward with this code.", ward=ward)
    start, end = _day(decided_from, "decided_from"), _day(decided_to, "decided_to")
    if start and end and start > end:
        raise _bad("invalid_date_range", "'decided_from' is after 'decided_to'.")
    skip = _offset(offset)
    rows = list(
        selectors.public_decisions(
            portfolio=found_portfolio,
            maker=decision_maker or "",
            ward_code=ward or "",
            decided_from=start,
            decided_to=end,
        )[skip : skip + PAGE_SIZE + 1]
    )
    next_link = None
    if len(rows) > PAGE_SIZE:
        query = request.GET.copy()
        query["offset"] = str(skip + PAGE_SIZE)
        next_link = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": [_summary(request, row) for row in rows[:PAGE_SIZE]], "next": next_link}


@router.get(
    "/{decision_id}",
    response=responses(DecisionDetailOut, 404, 422),
    summary="One decision and its evidence",
)
def decision_detail(request, decision_id: UUID):
    """Errors: 404 decision_not_found."""
    decision = selectors.public_decision_by_id(decision_id)
    if decision is None:
        raise ApiError(404, "decision_not_found", "There is no published decision with this id.")
    evidence = selectors.decision_evidence(decision)
    return {
        **_summary(request, decision),
        **api_fields(decision, ["summary", "options", "reasons", "call_in"]),
        "evidence": {
            "data": [
                {
                    "dataset_id": cited["dataset_id"],
                    "dataset_title": cited["dataset_title"],
                    "resource_id": cited["resource_id"],
                    "resource_name": cited["resource_name"],
                    "filters": cited["filters"],
                    "chart": cited["chart"],
                    "url": request.build_absolute_uri(cited["view_url"]),
                }
                for cited in evidence.data
            ],
            "consultations": [
                {
                    "id": consultation.public_id,
                    **api_fields(consultation, ["title"]),
                    "outcome_published": outcome is not None,
                    "url": request.build_absolute_uri(
                        reverse("participation:consultation_detail", args=[consultation.slug])
                    ),
                }
                for consultation, outcome in evidence.consultations
            ],
        },
    }


# /api/v1/scorecard ------------------------------------------------------------------------

scorecard_router = Router(tags=["scorecard"])


class LevelOut(Schema):
    level: int
    name: str
    name_cy: str


class ScoredQuestionOut(Schema):
    key: str
    text: str
    text_cy: str
    weight: int
    principles: list[str]
    assessment: str
    level: int
    percent: float
    evidence: str
    measure: str | None
    measured_count: int | None
    measured_total: int | None


class ScoredSectionOut(Schema):
    key: str
    name: str
    name_cy: str
    weight: int
    percent: float
    questions: list[ScoredQuestionOut]


class FrameworkOut(Schema):
    slug: str
    version: str
    name: str
    name_cy: str
    levels: list[LevelOut]


class ScorecardOut(Schema):
    format: str
    council: str
    council_code: str | None
    council_type: str | None
    region: str | None
    framework: FrameworkOut
    assessed_on: date
    total: float
    sections: list[ScoredSectionOut]
    history: list[dict]
    url: str


def _both(value: dict) -> tuple[str, str]:
    return value["en"], value.get("cy", "")


@scorecard_router.get(
    "", response=responses(ScorecardOut, 404), summary="The digital maturity scorecard"
)
def scorecard(request):
    """The latest published digital maturity assessment, scored: the total and each
    section's percent (weighted), each question's level, percent and evidence (or, for a
    measured question, the count and total measured), and the history of published
    totals. The shape is stable so that councils' scorecards can be compared.

    Errors: 404 scorecard_not_published.
    """
    card = selectors.public_scorecard()
    if card is None:
        raise ApiError(404, "scorecard_not_published", "No assessment is published yet.")
    framework = card.framework
    name, name_cy = _both(framework["name"])
    return {
        "format": scorecards.FORMAT,
        **selectors.our_council_profile(),
        "framework": {
            "slug": framework["slug"],
            "version": framework["version"],
            "name": name,
            "name_cy": name_cy,
            "levels": [
                dict(
                    zip(("name", "name_cy"), _both(item["name"]), strict=True), level=item["level"]
                )
                for item in framework["levels"]
            ],
        },
        "assessed_on": card.assessment.assessed_on,
        "total": round(card.total, 1),
        "sections": [
            {
                "key": section.section["key"],
                **dict(zip(("name", "name_cy"), _both(section.section["name"]), strict=True)),
                "weight": section.section["weight"],
                "percent": round(section.percent, 1),
                "questions": [
                    {
                        "key": question.key,
                        **dict(
                            zip(("text", "text_cy"), _both(question.question["text"]), strict=True)
                        ),
                        "weight": question.question["weight"],
                        "principles": question.question["principles"],
                        "assessment": "measured" if question.measured else "self",
                        "level": question.level,
                        "percent": round(question.percent, 1),
                        "evidence": question.evidence,
                        "measure": question.question.get("measure"),
                        "measured_count": question.measured.get("count"),
                        "measured_total": question.measured.get("total"),
                    }
                    for question in section.questions
                ],
            }
            for section in card.sections
        ],
        "history": [
            {"assessed_on": assessment.assessed_on.isoformat(), "total": round(total, 1)}
            for assessment, total in selectors.maturity_history()
        ],
        "url": request.build_absolute_uri(reverse("leadership:scorecard")),
    }


class ComparedFrameworkOut(Schema):
    slug: str
    version: str
    name: str
    name_cy: str


class ComparedSectionOut(Schema):
    key: str
    percent: float


class ComparedQuestionOut(Schema):
    key: str
    level: int | None


class ComparedCouncilOut(Schema):
    council: str
    council_code: str | None
    council_type: str | None
    region: str | None
    this_council: bool
    assessed_on: date
    total: float
    framework: ComparedFrameworkOut
    comparable: bool
    sections: list[ComparedSectionOut]
    questions: list[ComparedQuestionOut]
    history: list[dict]


class ComparisonOut(Schema):
    council_type: str | None
    region: str | None
    sort: str
    framework: ComparedFrameworkOut | None
    councils: list[ComparedCouncilOut]
    url: str


roadmap_router = Router(tags=["roadmap"])


class BenefitOut(Schema):
    description: str
    description_cy: str
    unit: str
    unit_cy: str
    higher_is_better: bool
    target_value: float
    target_on: date
    actual_value: float | None
    measured_on: date | None
    behind_target: bool


class ServiceChangedOut(Schema):
    service: str
    service_cy: str
    change: str
    change_cy: str


class RagStatusOut(Schema):
    rag: str
    reason: str
    reason_cy: str
    recorded_on: date


class ProjectOut(Schema):
    id: UUID
    slug: str
    title: str
    title_cy: str
    programme: str
    programme_cy: str
    objective: str
    objective_cy: str
    area: str
    portfolio: str
    stage: str
    rag: str
    rag_reason: str
    rag_reason_cy: str
    starts_on: date
    ends_on: date
    budget_approved_pence: int
    budget_spent_pence: int
    benefits: list[BenefitOut]
    services_changed: list[ServiceChangedOut]
    rag_history: list[RagStatusOut]
    last_updated: date
    url: str


class RoadmapOut(Schema):
    council: str
    items: list[ProjectOut]


def _choice(value: str | None, name: str, choices: list[str], code: str = "invalid_choice") -> str:
    """`value` if it is one of `choices` or empty (as ""); otherwise a 400 with `code`."""
    if value and value not in choices:
        raise _bad(
            code,
            f"'{name}' is one of {', '.join(choices)}.",
            parameter=name,
            allowed=choices,
            **{name: value},
        )
    return value or ""


@scorecard_router.get(
    "/compare",
    response=responses(ComparisonOut),
    summary="The scorecard compared with other councils'",
)
def scorecard_compare(
    request, council_type: str | None = None, region: str | None = None, sort: str = "total"
):
    """This council's latest published scorecard beside the latest one imported of each
    other council, of a type (`council_type`) and in a region (`region`) when given,
    sorted by `sort`: `total` (highest first) or `name`. Each council's areas and
    questions are given by key; `comparable` is false for a council assessed against
    another framework or another version of ours, whose total alone compares.

    Errors: 400 invalid_council_type, invalid_region, invalid_sort.
    """
    if sort not in selectors.COMPARISON_SORTS:
        raise _bad(
            "invalid_sort",
            f"sort must be one of: {', '.join(selectors.COMPARISON_SORTS)}.",
            sort=sort,
        )
    comparison = selectors.scorecard_comparison(
        council_type=_choice(
            council_type, "council_type", selectors.COUNCIL_TYPES.values, "invalid_council_type"
        ),
        region=_choice(region, "region", selectors.REGIONS.values, "invalid_region"),
        sort=sort,
    )
    framework = None
    if comparison.ours is not None:
        framework = next(entry.framework for entry in comparison.entries if entry.ours)
    return {
        "council_type": council_type or None,
        "region": region or None,
        "sort": sort,
        "framework": framework,
        "councils": [
            {
                "council": entry.name,
                "council_code": entry.gss_code or None,
                "council_type": entry.council_type or None,
                "region": entry.region or None,
                "this_council": entry.ours,
                "assessed_on": entry.assessed_on,
                "total": round(entry.total, 1),
                "framework": entry.framework,
                "comparable": entry.comparable,
                "sections": [
                    {"key": key, "percent": round(percent, 1)}
                    for key, percent in entry.sections.items()
                ],
                "questions": [{"key": key, "level": level} for key, level in entry.levels.items()],
                "history": [
                    {"assessed_on": day.isoformat(), "total": round(total, 1)}
                    for day, total in entry.history
                ],
            }
            for entry in comparison.entries
        ],
        "url": request.build_absolute_uri(reverse("leadership:scorecard_compare")),
    }


#: What the manifest mounts at /api/v1/: the decisions register and the scorecard.


def _project(request, project: Project) -> dict:
    programme = api_fields(project.programme, ["title"])
    objective = api_fields(project.programme.objective, ["title"])
    return {
        "id": project.public_id,
        "slug": project.slug,
        **api_fields(project, ["title", "rag_reason"]),
        "programme": programme["title"],
        "programme_cy": programme["title_cy"],
        "objective": objective["title"],
        "objective_cy": objective["title_cy"],
        "area": project.programme.objective.area,
        "portfolio": project.programme.objective.portfolio.slug,
        "stage": project.stage,
        "rag": project.rag,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "budget_approved_pence": project.budget_approved_pence,
        "budget_spent_pence": project.budget_spent_pence,
        "benefits": [
            {
                **api_fields(benefit, ["description", "unit"]),
                "higher_is_better": benefit.higher_is_better,
                "target_value": float(benefit.target_value),
                "target_on": benefit.target_on,
                "actual_value": None
                if benefit.actual_value is None
                else float(benefit.actual_value),
                "measured_on": benefit.measured_on,
                "behind_target": benefit.behind,
            }
            for benefit in project.benefits.all()
        ],
        "services_changed": [
            api_fields(change, ["service", "change"]) for change in project.services.all()
        ],
        "rag_history": [
            {"rag": status.rag, **api_fields(status, ["reason"]), "recorded_on": status.recorded_on}
            for status in project.statuses.all()
        ],
        "last_updated": project.updated_at.date(),
        "url": request.build_absolute_uri(
            reverse("leadership:project_detail", args=[project.slug])
        ),
    }


@roadmap_router.get("", response=responses(RoadmapOut, 400), summary="The digital roadmap")
def roadmap(request, stage: str | None = None, rag: str | None = None):
    """Every published project of the digital strategy, soonest start first: stage, RAG
    status with its reason and history (latest first), dates, budget approved and spent
    in pence, benefits (target and actual) and the services it changes; optionally only
    one `stage` (discovery, alpha, beta, live, retired) or `rag` (red, amber, green).

    Errors: 400 invalid_choice.
    """
    projects = selectors.public_projects()
    if stage := _choice(stage, "stage", Project.Stage.values):
        projects = projects.filter(stage=stage)
    if rag := _choice(rag, "rag", Rag.values):
        projects = projects.filter(rag=rag)
    return {"council": council_name(), "items": [_project(request, p) for p in projects]}


#: What the manifest mounts at /api/v1/: the decisions register, the scorecard and the
#: roadmap.
routes = Router()
routes.add_router("decisions", router)
routes.add_router("scorecard", scorecard_router)
routes.add_router("roadmap", roadmap_router)
