"""/api/v1/consultations: open consultations, their details and published outcomes."""

from datetime import datetime
from uuid import UUID

from django.urls import reverse
from ninja import Router, Schema

from townhall.core.api_errors import ApiError, responses
from townhall.core.languages import api_fields

from . import selectors
from .models import Consultation

router = Router(tags=["consultations"])
PAGE_SIZE = 50


class OutcomeOut(Schema):
    you_said: str
    you_said_cy: str
    we_did: str
    we_did_cy: str
    what_changed: str
    what_changed_cy: str
    decision_title: str
    decision_title_cy: str
    decision_url: str
    published_at: datetime


class ConsultationOut(Schema):
    id: UUID
    slug: str
    title: str
    title_cy: str
    summary: str
    summary_cy: str
    state: str
    service_area: str
    ward_codes: list[str]
    opens_at: datetime
    closes_at: datetime
    outcome_due_at: datetime
    decision_title: str
    decision_title_cy: str
    decision_url: str
    url: str


class ConsultationDetailOut(ConsultationOut):
    description: str
    description_cy: str
    documents: list[dict]
    datasets: list[dict]
    outcome: OutcomeOut | None


class ConsultationPage(Schema):
    items: list[ConsultationOut]
    next: str | None


class OutcomeItemOut(OutcomeOut):
    consultation_id: UUID
    consultation_title: str
    consultation_title_cy: str
    url: str


class OutcomePage(Schema):
    items: list[OutcomeItemOut]
    next: str | None


def _summary(request, consultation: Consultation) -> dict:
    return {
        "id": consultation.public_id,
        "slug": consultation.slug,
        **api_fields(consultation, ["title", "summary", "decision_title"]),
        "state": consultation.state,
        "service_area": consultation.service_area,
        "ward_codes": consultation.ward_codes,
        "opens_at": consultation.opens_at,
        "closes_at": consultation.closes_at,
        "outcome_due_at": consultation.outcome_due_at,
        "decision_url": consultation.decision_url,
        "url": request.build_absolute_uri(
            reverse("participation:consultation_detail", args=[consultation.slug])
        ),
    }


def _after(value: str | None) -> int:
    """The keyset cursor: the last id of the previous page."""
    if value in (None, ""):
        return 0
    if not value.isdigit():
        raise ApiError(400, "invalid_cursor", "The 'after' cursor is not one this API gave.")
    return int(value)


def _next_link(request, rows: list, last_pk: int) -> str | None:
    if len(rows) <= PAGE_SIZE:
        return None
    query = request.GET.copy()
    query["after"] = str(last_pk)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get("", response=responses(ConsultationPage), summary="List consultations")
def consultation_list(request, state: str | None = None, after: str | None = None):
    """Every public consultation (never drafts), oldest first, 50 a page; follow `next`.

    `state` filters by open, closed, analysing or outcome_published.
    """
    if state and state not in selectors.PUBLIC_STATES:
        raise ApiError(
            400,
            "invalid_state",
            "Filter by one of the public states.",
            {"allowed": list(selectors.PUBLIC_STATES)},
        )
    rows = list(
        selectors.public_consultations(state=state)
        .filter(pk__gt=_after(after))
        .order_by("pk")[: PAGE_SIZE + 1]
    )
    page = rows[:PAGE_SIZE]
    return {
        "items": [_summary(request, row) for row in page],
        "next": _next_link(request, rows, page[-1].pk if page else 0),
    }


@router.get("/outcomes", response=responses(OutcomePage), summary="List published outcomes")
def outcome_list(request, after: str | None = None):
    """ "We asked, you said, we did" of every consultation whose outcome is published."""
    rows = list(
        selectors.published_outcomes().filter(pk__gt=_after(after)).order_by("pk")[: PAGE_SIZE + 1]
    )
    page = rows[:PAGE_SIZE]
    return {
        "items": [
            {
                **_outcome(outcome),
                "consultation_id": outcome.consultation.public_id,
                "consultation_title": api_fields(outcome.consultation, ["title"])["title"],
                "consultation_title_cy": api_fields(outcome.consultation, ["title"])["title_cy"],
                "url": _summary(request, outcome.consultation)["url"],
            }
            for outcome in page
        ],
        "next": _next_link(request, rows, page[-1].pk if page else 0),
    }


def _outcome(outcome) -> dict:
    return {
        **api_fields(outcome, ["you_said", "we_did", "what_changed", "decision_title"]),
        "decision_url": outcome.decision_url,
        "published_at": outcome.published_at,
    }


class ProposalOut(Schema):
    id: UUID
    process: str
    title: str
    title_cy: str
    body: str
    body_cy: str
    status: str
    council_response: str
    council_response_cy: str
    supporters: int
    created_at: datetime
    url: str


class ProposalPage(Schema):
    items: list[ProposalOut]
    next: str | None


@router.get("/proposals", response=responses(ProposalPage), summary="List residents' proposals")
def proposal_list(request, process: str | None = None, after: str | None = None):
    """Residents' proposals with their status and the council's response; `process`
    filters by the process's slug."""
    found = selectors.public_proposals()
    if process:
        found = found.filter(process__slug=process)
    rows = list(found.filter(pk__gt=_after(after)).order_by("pk")[: PAGE_SIZE + 1])
    page = rows[:PAGE_SIZE]
    return {
        "items": [
            {
                "id": proposal.public_id,
                "process": proposal.process.slug,
                **api_fields(proposal, ["title", "body", "council_response"]),
                "status": proposal.status,
                "supporters": proposal.support_count,
                "created_at": proposal.created_at,
                "url": request.build_absolute_uri(
                    reverse(
                        "participation:proposal_detail", args=[proposal.process.slug, proposal.pk]
                    )
                ),
            }
            for proposal in page
        ],
        "next": _next_link(request, rows, page[-1].pk if page else 0),
    }


class BudgetProjectOut(Schema):
    title: str
    title_cy: str
    cost_pence: int
    assessment: str
    votes: int
    selected: bool
    delivery: str
    progress_percent: int


class BudgetOut(Schema):
    slug: str
    title: str
    title_cy: str
    ward_code: str
    total_pence: int
    ballot_kind: str
    phase: str
    results_published_at: datetime | None
    projects: list[BudgetProjectOut]


@router.get("/budgets", response=responses(list[BudgetOut]), summary="List participatory budgets")
def budget_list(request):
    """Every participatory budget with its projects; votes and funding once results are out."""
    return [
        {
            "slug": budget.slug,
            **api_fields(budget, ["title"]),
            "ward_code": budget.ward_code,
            "total_pence": budget.total_pence,
            "ballot_kind": budget.ballot_kind,
            "phase": budget.phase,
            "results_published_at": budget.results_published_at,
            "projects": [
                {
                    **api_fields(project, ["title"]),
                    "cost_pence": project.cost_pence,
                    "assessment": project.assessment,
                    "votes": project.votes if budget.results_published_at else 0,
                    "selected": project.selected,
                    "delivery": project.delivery,
                    "progress_percent": project.progress_percent,
                }
                for project in budget.projects.all()
            ],
        }
        for budget in selectors.budgets().prefetch_related("projects")
    ]


@router.get(
    "/{consultation_id}",
    response=responses(ConsultationDetailOut, 404, 422),
    summary="One consultation",
)
def consultation_detail(request, consultation_id: UUID):
    consultation = selectors.consultation_by_public_id(consultation_id)
    if consultation is None:
        raise ApiError(
            404, "consultation_not_found", "There is no public consultation with this id."
        )
    outcome = getattr(consultation, "outcome", None)
    return {
        **_summary(request, consultation),
        **api_fields(consultation, ["description"]),
        "documents": [
            {
                **api_fields(document, ["title"]),
                "kind": document.kind,
                "url": document.url or (document.file.url if document.file else ""),
            }
            for document in consultation.documents.all()
        ],
        "datasets": [
            {"slug": dataset.dataset_slug, "title": dataset.title, "url": dataset.url}
            for dataset in consultation.datasets.all()
        ],
        "outcome": _outcome(outcome) if outcome else None,
    }
