"""/api/v1/decisions: the decisions register and the evidence each decision cites."""

from datetime import date
from uuid import UUID

from django.urls import reverse
from ninja import Router, Schema

from townhall.core.api_errors import ApiError, responses
from townhall.core.languages import api_fields

from . import scorecards, selectors
from .models import Decision

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


def _choice(value: str | None, choices, name: str) -> str:
    if value and value not in choices.values:
        raise _bad(
            f"invalid_{name}",
            f"{name} must be one of: {', '.join(choices.values)}.",
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
        council_type=_choice(council_type, selectors.COUNCIL_TYPES, "council_type"),
        region=_choice(region, selectors.REGIONS, "region"),
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
routes = Router()
routes.add_router("decisions", router)
routes.add_router("scorecard", scorecard_router)
