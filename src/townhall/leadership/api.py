"""/api/v1/decisions: the decisions register and the evidence each decision cites."""

from datetime import date
from uuid import UUID

from django.urls import reverse
from ninja import Router, Schema

from townhall.core.api_errors import ApiError, responses
from townhall.core.languages import api_fields
from townhall.core.selectors.site import council_name

from . import selectors
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
    council: str
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
        "council": council_name(),
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


#: What the manifest mounts at /api/v1/: the decisions register and the scorecard.
routes = Router()
routes.add_router("decisions", router)
routes.add_router("scorecard", scorecard_router)
