"""Reads of market engagement: what the public, a supplier and the procurement team each
see. A supplier reads only its own responses and questions; published answers are
everyone's at the same moment."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.core.languages import in_each_language
from townhall.core.registry import SearchDocument
from townhall.opendata import selectors as opendata_selectors

from .models import (
    CAPABILITIES,
    SCORERS_PER_RESPONSE,
    Challenge,
    Contract,
    EngagementEvent,
    EvaluationCriterion,
    EventRegistration,
    ExpressionOfInterest,
    InterestDeclaration,
    ModeratedScore,
    Procurement,
    Question,
    Score,
    Supplier,
)

#: The Transparency Code's threshold for publishing a contract, in pence.
TRANSPARENCY_THRESHOLD_PENCE = 5_000 * 100
CITED_BY_APP = "market"
SEARCH_KIND = "challenge"


def capability_labels(codes: list[str]) -> list[str]:
    labels = dict(CAPABILITIES)
    return [str(labels[code]) for code in codes if code in labels]


def public_challenges(*, state: str = "", capability: str = "") -> QuerySet[Challenge]:
    """Published and closed challenges, those still open first, then newest first; `state`
    "open" or "closed" narrows
    them (a published challenge past its deadline counts as closed), `capability` to those
    that need it."""
    now = timezone.now()
    challenges = Challenge.objects.exclude(status=Challenge.Status.DRAFT)
    if state == "open":
        challenges = challenges.filter(status=Challenge.Status.PUBLISHED, response_deadline__gt=now)
    elif state == "closed":
        challenges = challenges.filter(
            Q(status=Challenge.Status.CLOSED) | Q(response_deadline__lte=now)
        )
    if capability:
        # JSON text holds each code in quotes: a match on the quoted code is exact on
        # SQLite and PostgreSQL alike (SQLite has no JSON containment).
        challenges = challenges.filter(capabilities__icontains=f'"{capability}"')
    still_open = Case(
        When(status=Challenge.Status.PUBLISHED, response_deadline__gt=now, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return challenges.annotate(
        answered=Count("questions", filter=Q(questions__published_at__isnull=False))
    ).order_by(still_open, "-published_at", "-id")


def accepts_responses(challenge: Challenge) -> bool:
    """Whether a supplier may still send or change a response: the challenge is published
    and its response deadline has not passed."""
    return (
        challenge.status == Challenge.Status.PUBLISHED
        and timezone.now() <= challenge.response_deadline
    )


def open_challenges() -> QuerySet[Challenge]:
    return public_challenges(state="open")


def public_challenge(slug: str) -> Challenge | None:
    return Challenge.objects.exclude(status=Challenge.Status.DRAFT).filter(slug=slug).first()


def challenge_is_open(challenge: Challenge) -> bool:
    return (
        challenge.status == Challenge.Status.PUBLISHED
        and timezone.now() <= challenge.response_deadline
    )


def questions_are_open(challenge: Challenge) -> bool:
    return (
        challenge.status == Challenge.Status.PUBLISHED
        and timezone.now() <= challenge.questions_deadline
    )


def challenge_datasets(challenge: Challenge) -> list[dict[str, Any]]:
    """The open datasets a challenge offers as evidence that are still published."""
    return [
        cited
        for cited in opendata_selectors.citations_of(
            cited_by_app=CITED_BY_APP, cited_by_key=str(challenge.public_id)
        )
        if cited["published"]
    ]


def dataset_choices() -> list[tuple[str, str]]:
    """The published datasets an officer may offer as evidence, by id."""
    return [
        (str(dataset.pk), dataset.title)
        for dataset in opendata_selectors.published_datasets().order_by("title")
    ]


def published_questions(challenge: Challenge) -> QuerySet[Question]:
    """The anonymised questions and answers every reader sees, in the order published."""
    return challenge.questions.filter(published_at__isnull=False).order_by("published_at", "id")


def staff_challenges() -> QuerySet[Challenge]:
    return Challenge.objects.annotate(
        response_count=Count("responses", distinct=True),
        waiting=Count("questions", filter=Q(questions__published_at__isnull=True), distinct=True),
    ).order_by("-created_at", "-id")


def challenge_for_staff(public_id: Any) -> Challenge | None:
    return Challenge.objects.filter(public_id=public_id).first()


def challenge_choices() -> QuerySet[Challenge]:
    return Challenge.objects.exclude(status=Challenge.Status.DRAFT).order_by("title_en_gb")


def questions_for_staff(challenge: Challenge) -> QuerySet[Question]:
    """Every question on a challenge, unanswered first, with who asked (staff only)."""
    return challenge.questions.select_related("supplier").order_by(
        "-published_at", "asked_at", "id"
    )


def question_for_staff(public_id: Any) -> Question | None:
    return (
        Question.objects.select_related("challenge", "supplier").filter(public_id=public_id).first()
    )


def responses_for_staff(challenge: Challenge) -> QuerySet[ExpressionOfInterest]:
    return challenge.responses.select_related("supplier").order_by("submitted_at", "id")


def response_for_staff(public_id: Any) -> ExpressionOfInterest | None:
    return (
        ExpressionOfInterest.objects.select_related("challenge", "supplier")
        .filter(public_id=public_id)
        .first()
    )


# A supplier's own ----------------------------------------------------------------------------


def supplier_of(person: Any) -> Supplier | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return Supplier.objects.filter(account=person).first()


def own_response(person: Any, challenge: Challenge) -> ExpressionOfInterest | None:
    """The person's organisation's response to the challenge; never another's."""
    supplier = supplier_of(person)
    if supplier is None:
        return None
    return ExpressionOfInterest.objects.filter(supplier=supplier, challenge=challenge).first()


def own_response_by_public_id(person: Any, public_id: Any) -> ExpressionOfInterest | None:
    supplier = supplier_of(person)
    if supplier is None:
        return None
    return (
        ExpressionOfInterest.objects.filter(supplier=supplier, public_id=public_id)
        .select_related("challenge")
        .first()
    )


def own_questions(person: Any, challenge: Challenge | None = None) -> QuerySet[Question]:
    """The questions the person's organisation asked; never another's."""
    supplier = supplier_of(person)
    if supplier is None:
        return Question.objects.none()
    questions = Question.objects.filter(supplier=supplier).select_related("challenge")
    return questions.filter(challenge=challenge) if challenge is not None else questions


def own_responses(person: Any) -> QuerySet[ExpressionOfInterest]:
    supplier = supplier_of(person)
    if supplier is None:
        return ExpressionOfInterest.objects.none()
    return supplier.responses.select_related("challenge").order_by("-updated_at")


def suppliers() -> QuerySet[Supplier]:
    return Supplier.objects.order_by("name", "id")


# Pipeline and contracts ----------------------------------------------------------------------


def pipeline() -> QuerySet[Procurement]:
    """Forthcoming procurements (planned or tendering), soonest tender first."""
    return (
        Procurement.objects.filter(
            status__in=[Procurement.Status.PLANNED, Procurement.Status.TENDERING]
        )
        .select_related("challenge")
        .order_by("tender_publication_on", "id")
    )


def procurements_for_staff() -> QuerySet[Procurement]:
    return Procurement.objects.select_related("challenge").order_by("-updated_at", "-id")


def procurement_for_staff(public_id: Any) -> Procurement | None:
    return Procurement.objects.filter(public_id=public_id).first()


def awarded_contracts() -> QuerySet[Contract]:
    return Contract.objects.select_related("supplier", "procurement").order_by("-awarded_on", "-id")


def contracts_after_challenge(day: date) -> tuple[int, int]:
    """The measure "contracts_after_challenge": of the contracts awarded in the year to
    `day` (all published as open contracting data), how many followed a challenge put to
    the market before the procurement."""
    awarded = Contract.objects.filter(awarded_on__gt=day - timedelta(days=365), awarded_on__lte=day)
    followed = awarded.filter(procurement__challenge__isnull=False)
    return followed.count(), awarded.count()


def contracts_over_5000_rows():
    """Awarded contracts over £5,000 in the Transparency Code's columns (the schema
    `contracts-over-5000` of open data), values in pounds."""
    contracts = awarded_contracts().filter(value_pence__gt=TRANSPARENCY_THRESHOLD_PENCE)
    for contract in contracts.iterator(chunk_size=500):
        supplier = contract.supplier
        yield {
            "Reference number": str(contract.public_id),
            "Title of agreement": contract.title_en_gb,
            "Department responsible": contract.procurement.service_area_en_gb,
            "Description of goods and/or services": contract.procurement.description_en_gb,
            "Supplier name": supplier.name,
            "Supplier details": "",
            "Contract value": f"{contract.value_pence / 100:.2f}",
            "Irrecoverable VAT": "",
            "Start date": contract.start_on.isoformat(),
            "End date": contract.end_on.isoformat(),
            "Review date": "",
            "Result of invitation to quote or tender": _yes_no(contract.competed),
            "SME supplier": _yes_no(supplier.sme),
            "VCSE supplier": _yes_no(supplier.voluntary_sector),
            "Supplier registration number": supplier.company_number,
        }


def _yes_no(value: bool) -> str:
    """The Code's schema reads booleans as Yes and No."""
    return "Yes" if value else "No"


def challenges_rows():
    for challenge in public_challenges():
        yield {
            "id": str(challenge.public_id),
            "title": challenge.title_en_gb,
            "title_cy": challenge.title_cy,
            "service_area": challenge.service_area_en_gb,
            "status": challenge.status,
            "budget_min_pence": challenge.budget_min_pence,
            "budget_max_pence": challenge.budget_max_pence,
            "response_deadline": challenge.response_deadline.isoformat(),
            "published_at": challenge.published_at.isoformat() if challenge.published_at else "",
        }


def unanswered_question_count() -> int:
    return Question.objects.filter(published_at__isnull=True).count()


def searchable_challenges() -> QuerySet[Challenge]:
    return Challenge.objects.exclude(status=Challenge.Status.DRAFT).order_by("pk")


def challenge_search_documents(challenge: Challenge) -> list[SearchDocument]:
    """A challenge as site search sees it once public (a draft is not found)."""
    if challenge.status == Challenge.Status.DRAFT:
        return []

    def document(language: str) -> SearchDocument:
        return SearchDocument(
            kind=SEARCH_KIND,
            key=str(challenge.public_id),
            url=reverse("market:challenge_detail", args=[challenge.slug]),
            title=challenge.title,
            body=f"{challenge.problem}\n\n{challenge.outcomes}",
            summary=challenge.problem,
            language=language,
        )

    return in_each_language(challenge, ("title", "problem", "outcomes"), document)


# Market engagement events -------------------------------------------------------------------


def public_events(challenge: Challenge | None = None) -> QuerySet[EngagementEvent]:
    """Published events, soonest first; for one challenge when given."""
    events = EngagementEvent.objects.filter(published_at__isnull=False).select_related("challenge")
    if challenge is not None:
        events = events.filter(challenge=challenge)
    return events.order_by("starts_at", "id")


def public_event(public_id: Any) -> EngagementEvent | None:
    return public_events().filter(public_id=public_id).first()


def event_places(event: EngagementEvent) -> dict[str, int]:
    """How many places the confirmed registrations take, how many are left, and how many
    organisations wait."""
    registrations = event.registrations.exclude(status=EventRegistration.Status.CANCELLED)
    taken = sum(
        len(r.attendee_names)
        for r in registrations
        if r.status == EventRegistration.Status.CONFIRMED
    )
    waiting = sum(1 for r in registrations if r.status == EventRegistration.Status.WAITING)
    return {"taken": taken, "left": max(event.capacity - taken, 0), "waiting": waiting}


def registration_is_open(event: EngagementEvent) -> bool:
    return event.published_at is not None and timezone.now() <= event.registration_deadline


def materials_are_published(event: EngagementEvent) -> bool:
    return event.materials_published_at is not None


def own_registration(person: Any, event: EngagementEvent) -> EventRegistration | None:
    """The person's organisation's registration for the event, unless cancelled."""
    supplier = supplier_of(person)
    if supplier is None:
        return None
    return (
        event.registrations.filter(supplier=supplier)
        .exclude(status=EventRegistration.Status.CANCELLED)
        .first()
    )


def events_for_staff() -> QuerySet[EngagementEvent]:
    return EngagementEvent.objects.select_related("challenge").order_by("-starts_at", "-id")


def event_for_staff(public_id: Any) -> EngagementEvent | None:
    return events_for_staff().filter(public_id=public_id).first()


def registrations_for_staff(event: EngagementEvent) -> QuerySet[EventRegistration]:
    return event.registrations.select_related("supplier").order_by("status", "registered_at")


# Evaluation ----------------------------------------------------------------------------------


def published_criteria(challenge: Challenge) -> QuerySet[EvaluationCriterion]:
    """A challenge's criteria and weights, which suppliers read before responding."""
    return challenge.criteria.order_by("position", "id")


def declaration_of(person: Any, challenge: Challenge) -> InterestDeclaration | None:
    return InterestDeclaration.objects.filter(challenge=challenge, scorer=person).first()


def declarations(challenge: Challenge) -> QuerySet[InterestDeclaration]:
    return challenge.interest_declarations.select_related("scorer")


def scores_visible_to(person: Any, response: ExpressionOfInterest) -> list[Score]:
    """Blind scoring: a scorer reads their own scores, and everyone's only once the
    response has both its scorers; someone who has not scored it reads them then too."""
    scores = list(response.scores.select_related("criterion", "scorer"))
    if _scorer_count(scores) >= SCORERS_PER_RESPONSE:
        return scores
    return [score for score in scores if score.scorer_id == getattr(person, "pk", None)]


def _scorer_count(scores: list[Score]) -> int:
    """How many scorers scored: each scores every criterion at once, so the most scores
    on one criterion (an erased scorer's scores stay, without them)."""
    per_criterion: dict[int, int] = {}
    for score in scores:
        per_criterion[score.criterion_id] = per_criterion.get(score.criterion_id, 0) + 1
    return max(per_criterion.values(), default=0)


def _agreed(scores: list[int], moderated: ModeratedScore | None) -> int | None:
    if moderated is not None:
        return moderated.score
    if len(scores) == SCORERS_PER_RESPONSE and len(set(scores)) == 1:
        return scores[0]
    return None


def evaluation_results(challenge: Challenge) -> list[dict[str, Any]]:
    """For officers: each response's state (waiting for scorers, needs moderation, agreed),
    the two scores and the agreed score per criterion, and the weighted total out of 100
    once every criterion is agreed; highest total first."""
    criteria = list(published_criteria(challenge))
    responses = challenge.responses.select_related("supplier").order_by("submitted_at", "id")
    scores: dict[tuple[int, int], list[int]] = {}
    for score in Score.objects.filter(criterion__challenge=challenge).order_by("scored_at", "id"):
        scores.setdefault((score.response_id, score.criterion_id), []).append(score.score)
    moderated = {
        (m.response_id, m.criterion_id): m
        for m in ModeratedScore.objects.filter(criterion__challenge=challenge)
    }
    rows = []
    for response in responses:
        cells = []
        for criterion in criteria:
            given = scores.get((response.pk, criterion.pk), [])
            agreed_score = _agreed(given, moderated.get((response.pk, criterion.pk)))
            blind = len(given) < SCORERS_PER_RESPONSE
            cells.append(
                {
                    "criterion": criterion,
                    "scores": [] if blind else given,
                    "agreed": agreed_score,
                    "moderation": moderated.get((response.pk, criterion.pk)),
                    "to_moderate": not blind and agreed_score is None,
                }
            )
        scored_by = max((len(scores.get((response.pk, c.pk), [])) for c in criteria), default=0)
        complete = bool(cells) and all(cell["agreed"] is not None for cell in cells)
        total = (
            round(sum(cell["agreed"] * cell["criterion"].weight for cell in cells) / 5, 1)
            if complete
            else None
        )
        rows.append(
            {
                "response": response,
                "cells": cells,
                "scored_by": scored_by,
                "to_moderate": any(cell["to_moderate"] for cell in cells),
                "total": total,
            }
        )
    return sorted(rows, key=lambda row: (row["total"] is None, -(row["total"] or 0)))


def challenges_to_evaluate() -> QuerySet[Challenge]:
    """Challenges that have had responses, for the evaluation workspace."""
    return (
        Challenge.objects.exclude(status=Challenge.Status.DRAFT)
        .annotate(response_count=Count("responses"))
        .filter(response_count__gt=0)
        .order_by("-published_at", "-id")
    )


def responses_to_score(person: Any) -> int:
    """How many responses still need the person's score: on challenges with criteria on
    which they have not declared a conflict, not yet scored by them nor by two others."""
    waiting = 0
    for challenge in challenges_to_evaluate().filter(criteria__isnull=False).distinct():
        declaration = declaration_of(person, challenge)
        if declaration is not None and declaration.conflict:
            continue
        for row in evaluation_results(challenge):
            if (
                row["scored_by"] < SCORERS_PER_RESPONSE
                and not row["response"].scores.filter(scorer=person).exists()
            ):
                waiting += 1
    return waiting


# Procurement Act 2023 notices ------------------------------------------------------------------

#: A UK1 pipeline notice lists the contracts over £2 million (in pence) whose tender or
#: transparency notice is due in the coming 18 months.
PIPELINE_NOTICE_THRESHOLD_PENCE = 2_000_000 * 100
PIPELINE_NOTICE_MONTHS = 18


def _months_after(day, months: int):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31,
            30, 31, 31, 30, 31, 30, 31][month - 1]  # fmt: skip
    return day.replace(year=year, month=month, day=min(day.day, last))


def pipeline_notice_procurements(*, today: Any = None) -> QuerySet[Procurement]:
    """What a UK1 pipeline notice published `today` (by default, today) lists: planned
    procurements over £2 million whose tender is due from then to 18 months ahead."""
    today = today or timezone.localdate()
    return Procurement.objects.filter(
        status=Procurement.Status.PLANNED,
        estimated_value_pence__gt=PIPELINE_NOTICE_THRESHOLD_PENCE,
        tender_publication_on__gte=today,
        tender_publication_on__lte=_months_after(today, PIPELINE_NOTICE_MONTHS),
    ).order_by("tender_publication_on", "id")


def notices_of_procurement(procurement: Procurement) -> QuerySet:
    return procurement.notices.order_by("-published_at", "-id")


def notices_of_challenge(challenge: Challenge) -> QuerySet:
    return challenge.notices.order_by("-published_at", "-id")


def latest_notices(limit: int = 10) -> QuerySet:
    from .models import Notice

    return Notice.objects.select_related("procurement", "challenge").order_by(
        "-published_at", "-id"
    )[:limit]


def engagement_without_uk2(procurement: Procurement) -> bool:
    """Whether the challenge the procurement follows ran as preliminary market engagement
    (it was published to suppliers) with no UK2 notice: flagged before a tender."""
    challenge = procurement.challenge
    if challenge is None or challenge.status == Challenge.Status.DRAFT:
        return False
    return not challenge.notices.filter(kind="UK2").exists()


def procurements_flagged() -> QuerySet[Procurement]:
    """Planned procurements that follow a published challenge with no UK2 notice."""
    return (
        Procurement.objects.filter(status=Procurement.Status.PLANNED, challenge__isnull=False)
        .exclude(challenge__status=Challenge.Status.DRAFT)
        .exclude(challenge__notices__kind="UK2")
        .select_related("challenge")
        .order_by("tender_publication_on", "id")
    )


# Supplier emails ---------------------------------------------------------------------------

#: The kind of core subscription a supplier follows new challenges by, keyed by capability.
CHALLENGE_ALERTS = "market_challenges"


def challenge_alerts_followed(key: str):
    """New challenges needing one capability, as core's subscriptions see them."""
    from townhall.core.registry import FollowedItem

    label = dict(CAPABILITIES).get(key)
    if label is None:
        return None
    return FollowedItem(
        title=str(_("New challenges for suppliers: %(capability)s") % {"capability": label}),
        url=reverse("market:challenge_list") + f"?capability={key}",
    )


def followed_capabilities(person: Any) -> list[str]:
    """The capabilities whose new challenges the signed-in person is emailed about."""
    from townhall.core.selectors.subscriptions import is_following

    return [
        code
        for code, _label in CAPABILITIES
        if is_following(person, kind=CHALLENGE_ALERTS, key=code)
    ]
