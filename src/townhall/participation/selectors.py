"""Reads of participation: what is open, the survey flow, results and outcomes.

Results are SQL aggregates (GROUP BY over indexed columns), never Python loops over
responses, so the results page of a consultation with 100,000 responses stays fast.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.core import signing
from django.db.models import Avg, Count, Max, Min, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language, gettext

from townhall.core.disclosure import Figure, suppress_table
from townhall.core.languages import CONTENT_DEFAULT, in_each_language, in_language, translated
from townhall.core.permissions import can
from townhall.core.registry import FollowedItem, SearchDocument
from townhall.core.selectors.subscriptions import is_following

from . import integrations
from .models import (
    OUTCOME_DUE_WEEKS,
    Answer,
    Appeal,
    Budget,
    BudgetProject,
    Comment,
    Consultation,
    Moderated,
    OptionTally,
    Outcome,
    Proposal,
    ProposalProcess,
    Question,
    QuestionTally,
    Response,
    SurveyPage,
)

State = Consultation.State
Kind = Question.Kind

#: Questions whose answers are one of the question's options.
CONDITION_KINDS = (Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.SCALE)
#: Questions that need a list of options.
OPTION_KINDS = (*CONDITION_KINDS, Kind.RANKING)
TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)
PUBLIC_STATES = (State.OPEN, State.CLOSED, State.ANALYSING, State.OUTCOME_PUBLISHED)
AWAITING_OUTCOME_STATES = (State.CLOSED, State.ANALYSING)
#: Open-data counts under this are suppressed, so no small group can be singled out.
SMALL_COUNT = 5


# Consultations -------------------------------------------------------------------------


def is_accepting_responses(consultation: Consultation, *, now: datetime | None = None) -> bool:
    """Open, and between its opening and closing times."""
    now = now or timezone.now()
    return (
        consultation.state == State.OPEN and consultation.opens_at <= now < consultation.closes_at
    )


def has_responded(*, consultation: Consultation, respondent: Any) -> bool:
    if not getattr(respondent, "is_authenticated", False):
        return False
    return Response.objects.filter(consultation=consultation, respondent=respondent).exists()


def open_consultations(*, now: datetime | None = None) -> QuerySet[Consultation]:
    """Consultations taking responses now, closing soonest first."""
    now = now or timezone.now()
    return Consultation.objects.filter(
        state=State.OPEN, opens_at__lte=now, closes_at__gt=now
    ).order_by("closes_at", "pk")


def public_consultations(*, state: str | None = None) -> QuerySet[Consultation]:
    """Every consultation the public may see (never drafts), optionally of one state."""
    found = Consultation.objects.filter(state__in=PUBLIC_STATES)
    return found.filter(state=state) if state else found


def consultations_with_outcome(day: date) -> tuple[int, int]:
    """The measure "consultations_with_outcome": of the public consultations closed by
    `day`, how many have their outcome published."""
    closed = public_consultations().exclude(state=Consultation.State.OPEN)
    closed = closed.filter(closes_at__date__lte=day)
    return closed.filter(state=Consultation.State.OUTCOME_PUBLISHED).count(), closed.count()


def consultation_text_parts(consultation: Consultation) -> list[tuple[Any, tuple[str, ...]]]:
    """A consultation and each part of it a person reads (documents, survey pages and
    questions), with the fields stored in both languages, for checking its Welsh."""
    return [
        (consultation, ("title", "summary", "description", "decision_title")),
        *((document, ("title",)) for document in consultation.documents.all()),
        *((page, ("title",)) for page in consultation.pages.all()),
        *((question, ("text", "hint", "choices")) for question in consultation.questions.all()),
    ]


def public_questions() -> QuerySet[Question]:
    """The survey questions of every consultation the public may see."""
    return Question.objects.filter(consultation__state__in=PUBLIC_STATES).select_related(
        "consultation"
    )


def staff_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.select_related("author").annotate(response_total=Count("responses"))


def consultation_for_public(slug: str) -> Consultation | None:
    return (
        public_consultations()
        .prefetch_related("documents", "datasets")
        .select_related("outcome")
        .filter(slug=slug)
        .first()
    )


def consultation_for_staff(slug: str) -> Consultation | None:
    return (
        Consultation.objects.select_related("author", "approved_by")
        .prefetch_related("documents", "datasets")
        .filter(slug=slug)
        .first()
    )


#: What core's subscriptions call the things participation lets people follow.
FOLLOW_CONSULTATION = "consultation"
FOLLOW_PROPOSAL = "proposal"
#: Moderators follow new reports (one followable, key FOLLOW_MODERATION_KEY), never by email alone.
FOLLOW_MODERATION = "moderation"
FOLLOW_MODERATION_KEY = "reports"


def is_following_consultation(consultation: Consultation, person: Any) -> bool:
    return is_following(person, kind=FOLLOW_CONSULTATION, key=consultation.pk)


def consultation_followed(key: str) -> FollowedItem | None:
    """A consultation as core's subscriptions see it (by its pk); public once it opens."""
    consultation = Consultation.objects.filter(pk=int(key)).first() if key.isdigit() else None
    if consultation is None:
        return None
    return FollowedItem(
        title=consultation.title,
        url=reverse("participation:consultation_detail", args=[consultation.slug]),
        public=consultation.state in PUBLIC_STATES,
    )


def proposal_followed(key: str) -> FollowedItem | None:
    """A proposal as core's subscriptions see it (by its pk); public while published."""
    proposal = (
        Proposal.objects.select_related("process").filter(pk=int(key)).first()
        if key.isdigit()
        else None
    )
    if proposal is None:
        return None
    return FollowedItem(
        title=proposal.title,
        url=reverse("participation:proposal_detail", args=[proposal.process.slug, proposal.pk]),
        public=proposal.visibility == VISIBLE,
    )


def moderation_followed(key: str) -> FollowedItem | None:
    """New reports as core's subscriptions see them: never public, so only a moderator,
    through `services.moderation_follow`, follows them."""
    if key != FOLLOW_MODERATION_KEY:
        return None
    return FollowedItem(
        title=gettext("New reports for moderators"),
        url=reverse("participation:moderation_queue"),
        public=False,
    )


def is_following_moderation(person: Any) -> bool:
    return is_following(person, kind=FOLLOW_MODERATION, key=FOLLOW_MODERATION_KEY)


def consultation_by_public_id(public_id: Any) -> Consultation | None:
    return public_consultations().select_related("outcome").filter(public_id=public_id).first()


def pre_election_periods_overlapping(*, opens_at: datetime, closes_at: datetime) -> list:
    """The pre-election periods any day of which falls between opening and closing: each
    election's, from its notice of election to polling day, as the elections module
    gives them (none when it is not installed). Each has `name`, `starts_on` and
    `ends_on`; earliest first."""
    if not apps.is_installed("townhall.elections"):
        return []
    # Imported here: the elections module may not be installed, and then its models
    # cannot be imported at all.
    from townhall.elections import selectors as elections

    return elections.pre_election_periods(
        starts_on=timezone.localdate(opens_at), ends_on=timezone.localdate(closes_at)
    )


@dataclass(frozen=True)
class OutcomeClock:
    """The 12 weeks from closing to the published outcome, as officers and the public see it."""

    due_at: datetime
    days_left: int
    overdue: bool
    published_at: datetime | None

    @property
    def running(self) -> bool:
        return self.published_at is None


def outcome_clock(
    consultation: Consultation, *, now: datetime | None = None
) -> OutcomeClock | None:
    """The clock, or None when the consultation has not closed yet."""
    now = now or timezone.now()
    closed = consultation.state in (*AWAITING_OUTCOME_STATES, State.OUTCOME_PUBLISHED) or (
        consultation.state == State.OPEN and consultation.closes_at <= now
    )
    if not closed:
        return None
    due_at = consultation.outcome_due_at
    published_at = consultation.outcome_published_at
    reference = published_at or now
    return OutcomeClock(
        due_at=due_at,
        days_left=(timezone.localdate(due_at) - timezone.localdate(reference)).days,
        overdue=reference > due_at,
        published_at=published_at,
    )


def published_outcomes() -> QuerySet[Outcome]:
    return Outcome.objects.select_related("consultation").order_by("-published_at", "-pk")


#: The open data export of consultation results (see manifest.py).
RESULTS_EXPORT = "consultation-results"


@dataclass
class OutcomeSummary:
    """What a published outcome shows of the results: how many responded, and the counts
    of each closed question's options, as the open data has them (no free text, no
    equality monitoring, counts under SMALL_COUNT suppressed as None)."""

    responded: int
    questions: list["QuestionResult"]
    dataset_url: str | None


def published_counts(counts: list[int], responded: int) -> list[Figure]:
    """A question's option counts as the public may see them beside the number who
    responded: counts under SMALL_COUNT hidden, and as many more withheld as it takes for
    none of them to be worked out by subtracting the others from that number."""
    return suppress_table([counts], [responded], counts, responded, threshold=SMALL_COUNT).cells[0]


def outcome_summary(consultation: Consultation) -> OutcomeSummary:
    everything = results(consultation)
    shown = [
        result
        for result in everything.questions
        if result.question.kind in CONDITION_KINDS and not result.question.monitoring_topic
    ]
    for result in shown:
        counts = [option["count"] for option in result.options]
        figures = published_counts(counts, everything.total)
        for option, figure in zip(result.options, figures, strict=True):
            if figure.count is None:
                option["count"] = option["percent"] = None
                option["withheld"] = figure.withheld
    return OutcomeSummary(
        responded=everything.total,
        questions=shown,
        dataset_url=integrations.open_data_url(RESULTS_EXPORT) if shown else None,
    )


def overdue_outcomes(*, now: datetime | None = None) -> QuerySet[Consultation]:
    """Closed consultations whose outcome is more than 12 weeks late, longest overdue first."""
    cutoff = (now or timezone.now()) - timedelta(weeks=OUTCOME_DUE_WEEKS)
    return Consultation.objects.filter(
        Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, closes_at__lt=cutoff),
        state__in=AWAITING_OUTCOME_STATES,
    ).order_by("closed_at", "closes_at")


def consultations_awaiting_approval(person: Any) -> QuerySet[Consultation]:
    """Drafts that someone other than `person` wrote: they may approve these (four eyes)."""
    return Consultation.objects.filter(state=State.DRAFT).exclude(author_id=person.pk)


def documents_by_kind(consultation: Consultation) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for document in consultation.documents.all():
        grouped[document.kind].append(document)
    return dict(grouped)


SEARCH_CONSULTATION = "consultation"
SEARCH_PROPOSAL = "proposal"
SEARCH_PROPOSAL_PROCESS = "proposal_process"
SEARCH_BUDGET = "budget"
SEARCH_BUDGET_PROJECT = "budget_project"


def consultation_search_documents(consultation: Consultation) -> list[SearchDocument]:
    """A consultation as site search sees it, once the public may see it (open, closed,
    being analysed or with its outcome published; never a draft or an approved one waiting
    to open). Its published outcome is searchable with it."""
    if consultation.state not in PUBLIC_STATES:
        return []
    outcome = getattr(consultation, "outcome", None)

    def document(language: str) -> SearchDocument:
        outcome_text = (
            f"\n\n{outcome.you_said}\n\n{outcome.we_did}\n\n{outcome.what_changed}"
            if outcome is not None
            else ""
        )
        return SearchDocument(
            kind=SEARCH_CONSULTATION,
            key=str(consultation.public_id),
            url=reverse("participation:consultation_detail", args=[consultation.slug]),
            title=consultation.title,
            body=f"{consultation.summary}\n\n{consultation.description}{outcome_text}",
            summary=consultation.summary,
            language=language,
        )

    return in_each_language(consultation, ("title", "summary", "description"), document)


def searchable_consultations() -> QuerySet[Consultation]:
    return public_consultations().select_related("outcome").order_by("pk")


def proposal_search_documents(proposal: Proposal) -> list[SearchDocument]:
    """A proposal as site search sees it while it is published: not while it waits for a
    moderator, nor once hidden. The council's response is searchable with it."""
    if proposal.visibility != VISIBLE:
        return []
    return in_each_language(
        proposal,
        ("title", "body", "council_response"),
        lambda language: SearchDocument(
            kind=SEARCH_PROPOSAL,
            key=str(proposal.pk),
            url=reverse("participation:proposal_detail", args=[proposal.process.slug, proposal.pk]),
            title=proposal.title,
            body=f"{proposal.body}\n\n{proposal.council_response}",
            summary=proposal.body[:300],
            language=language,
        ),
    )


def proposal_process_search_documents(process: ProposalProcess) -> list[SearchDocument]:
    """A call for proposals as site search sees it: every process is public from creation."""
    return in_each_language(
        process,
        ("title", "description"),
        lambda language: SearchDocument(
            kind=SEARCH_PROPOSAL_PROCESS,
            key=str(process.pk),
            url=reverse("participation:process_detail", args=[process.slug]),
            title=process.title,
            body=process.description,
            summary=process.description[:300],
            language=language,
        ),
    )


def budget_search_documents(budget: Budget) -> list[SearchDocument]:
    """A participatory budget as site search sees it: every budget is public from creation."""
    return in_each_language(
        budget,
        ("title", "description"),
        lambda language: SearchDocument(
            kind=SEARCH_BUDGET,
            key=str(budget.pk),
            url=reverse("participation:budget_detail", args=[budget.slug]),
            title=budget.title,
            body=budget.description,
            summary=budget.description[:300],
            language=language,
        ),
    )


def budget_project_search_documents(project: BudgetProject) -> list[SearchDocument]:
    """A budget's project, found on its budget's page, which lists every project with its
    feasibility review (so the review's note is searchable too)."""
    return in_each_language(
        project,
        ("title", "description", "assessment_note"),
        lambda language: SearchDocument(
            kind=SEARCH_BUDGET_PROJECT,
            key=str(project.pk),
            url=reverse("participation:budget_detail", args=[project.budget.slug])
            + f"#project-{project.pk}",
            title=project.title,
            body=f"{project.description}\n\n{project.assessment_note}",
            summary=project.description[:300],
            language=language,
        ),
    )


def searchable_budget_projects() -> QuerySet[BudgetProject]:
    return BudgetProject.objects.select_related("budget").order_by("pk")


# The survey and its flow -----------------------------------------------------------------


def survey_pages(consultation: Consultation) -> list[SurveyPage]:
    """The survey's pages in order, each with its questions prefetched."""
    return list(
        consultation.pages.prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("position", "pk"))
        ).order_by("position", "pk")
    )


def question_is_shown(question: Question, answers: Mapping[str, Any]) -> bool:
    """Whether the question applies, given the answers so far (its condition is met)."""
    if question.condition_question_id is None:
        return True
    given = answers.get(str(question.condition_question_id))
    if isinstance(given, list):
        return question.condition_value in given
    return given == question.condition_value


def shown_questions(page: SurveyPage, answers: Mapping[str, Any]) -> list[Question]:
    return [question for question in page.questions.all() if question_is_shown(question, answers)]


def flow(pages: list[SurveyPage], answers: Mapping[str, Any]) -> list[SurveyPage]:
    """The pages a resident sees, given their answers: pages with a question to show."""
    return [page for page in pages if shown_questions(page, answers)]


def next_page(
    pages: list[SurveyPage], answers: Mapping[str, Any], after: SurveyPage | None
) -> SurveyPage | None:
    """The page after `after` (or the first) in the resident's flow; None at the end."""
    shown = flow(pages, answers)
    if after is None:
        return shown[0] if shown else None
    later = [page for page in shown if (page.position, page.pk) > (after.position, after.pk)]
    return later[0] if later else None


def previous_page(
    pages: list[SurveyPage], answers: Mapping[str, Any], before: SurveyPage | None
) -> SurveyPage | None:
    shown = flow(pages, answers)
    if before is None:
        return shown[-1] if shown else None
    earlier = [page for page in shown if (page.position, page.pk) < (before.position, before.pk)]
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class StoredValue:
    """One row of an answer as it will be stored."""

    question_id: int
    choice: str = ""
    text: str = ""
    number: float | None = None
    rank: int | None = None
    file: str = ""
    is_postcode: bool = False
    is_option: bool = False


def answers_to_store(consultation: Consultation, answers: Mapping[str, Any]) -> list[StoredValue]:
    """Turn saved answers into rows, keeping only questions the resident was shown."""
    values: list[StoredValue] = []
    for page in survey_pages(consultation):
        for question in shown_questions(page, answers):
            given = answers.get(str(question.pk))
            if given in (None, "", []):
                continue
            values.extend(_stored_values(question, given))
    return values


def _stored_values(question: Question, given: Any) -> Iterator[StoredValue]:
    kind, pk = question.kind, question.pk
    if kind in TEXT_KINDS:
        yield StoredValue(pk, text=str(given))
    elif kind == Kind.MULTIPLE_CHOICE:
        for choice in given:
            yield StoredValue(pk, choice=str(choice), is_option=True)
    elif kind == Kind.RANKING:
        for rank, choice in enumerate(given, start=1):
            yield StoredValue(pk, choice=str(choice), rank=rank, is_option=True)
    elif kind == Kind.NUMBER:
        yield StoredValue(pk, text=str(given), number=float(given))
    elif kind == Kind.FILE:
        yield StoredValue(pk, file=str(given))
    else:
        yield StoredValue(
            pk, choice=str(given), is_postcode=kind == Kind.POSTCODE, is_option=kind in OPTION_KINDS
        )


def answers_for_display(
    consultation: Consultation, answers: Mapping[str, Any]
) -> list[tuple[SurveyPage, Question, Any]]:
    """(page, question, answer) for "check your answers", in survey order."""
    rows = []
    for page in flow(survey_pages(consultation), answers):
        for question in shown_questions(page, answers):
            rows.append((page, question, answers.get(str(question.pk))))
    return rows


# Results -------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    options: list[dict[str, Any]] = field(default_factory=list)
    number: dict[str, Any] | None = None
    codes: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Results:
    total: int
    by_day: list[dict[str, Any]]
    by_ward: list[dict[str, Any]]
    by_channel: list[dict[str, Any]]
    questions: list[QuestionResult]


def results(consultation: Consultation) -> Results:
    """Everything the analysis page shows, in a fixed, small number of aggregate queries."""
    responses = Response.objects.filter(consultation=consultation).order_by()
    total = responses.count()
    by_day = list(
        responses.values("submitted_on").annotate(count=Count("pk")).order_by("submitted_on")
    )
    names = integrations.ward_names()
    by_ward = sorted(
        (
            {
                "code": row["ward_code"],
                "name": names.get(row["ward_code"], ""),
                "count": row["count"],
            }
            for row in responses.values("ward_code").annotate(count=Count("pk"))
        ),
        key=lambda row: (-row["count"], row["name"]),
    )
    channel_labels = dict(Response.Channel.choices)
    by_channel = [
        {
            "channel": row["channel"],
            "label": channel_labels.get(row["channel"], row["channel"]),
            "count": row["count"],
        }
        for row in responses.values("channel").annotate(count=Count("pk")).order_by("-count")
    ]
    questions = list(consultation.questions.select_related("page"))
    return Results(
        total=total,
        by_day=by_day,
        by_ward=by_ward,
        by_channel=by_channel,
        questions=_question_results(questions),
    )


def _question_results(questions: list[Question]) -> list[QuestionResult]:
    """Per-question results: counts from the tallies kept as responses arrive, numbers and
    codes from indexed aggregates."""
    found = {question.pk: QuestionResult(question) for question in questions}
    for tally in QuestionTally.objects.filter(question_id__in=list(found)):
        found[tally.question_id].answered = tally.answered
    counts: dict[int, dict[str, OptionTally]] = defaultdict(dict)
    for tally in OptionTally.objects.filter(question_id__in=list(found)):
        counts[tally.question_id][tally.choice] = tally
    for result in found.values():
        if result.question.kind not in OPTION_KINDS:
            continue
        for option in result.question.choices:
            tally = counts[result.question.pk].get(option)
            count = tally.count if tally else 0
            result.options.append(
                {
                    "label": option,
                    "count": count,
                    "percent": round(100 * count / result.answered) if result.answered else 0,
                    "ranked_first": tally.ranked_first if tally else 0,
                    "mean_rank": tally.rank_total / count if count else None,
                }
            )
        if result.question.kind == Kind.RANKING:
            result.options.sort(key=lambda option: option["mean_rank"] or float("inf"))
    answers = Answer.objects.filter(question_id__in=list(found)).order_by()
    number_ids = [q.pk for q in questions if q.kind == Kind.NUMBER]
    for row in (
        answers.filter(question_id__in=number_ids)
        .values("question_id")
        .annotate(mean=Avg("number"), low=Min("number"), high=Max("number"))
    ):
        found[row["question_id"]].number = row
    text_ids = [q.pk for q in questions if q.kind in TEXT_KINDS]
    for row in (
        Answer.codes.through.objects.filter(answer__question_id__in=text_ids)
        .values("answer__question_id", "code__label")
        .annotate(count=Count("pk"))
        .order_by("-count", "code__label")
    ):
        found[row["answer__question_id"]].codes.append(
            {"label": row["code__label"], "count": row["count"]}
        )
    return list(found.values())


#: The `code` of text_answers() asking for answers without any code.
UNCODED = "uncoded"


def file_answers(question: Question) -> QuerySet[Answer]:
    """Files uploaded in answer to a question, newest first, with their responses."""
    return (
        Answer.objects.filter(question=question)
        .exclude(file="")
        .select_related("response")
        .order_by("-response__submitted_at", "-pk")
    )


def text_answers(question: Question, *, code: str = "") -> QuerySet[Answer]:
    """Free-text answers to a question, newest first, with their codes: all of them, only
    those with the code whose id is `code`, or those with no code when it is UNCODED."""
    answers = Answer.objects.filter(question=question)
    if code == UNCODED:
        answers = answers.filter(codes__isnull=True)
    elif code:
        answers = answers.filter(codes__pk=code)
    return (
        answers.exclude(text="")
        .select_related("response")
        .prefetch_related("codes")
        .order_by("-response__submitted_at", "-pk")
    )


def response_rows(consultation: Consultation) -> Iterator[tuple[Response, dict[int, list[Answer]]]]:
    """Every response with its answers grouped by question, in submission order, in chunks."""
    responses = Response.objects.filter(consultation=consultation).order_by("submitted_at", "pk")
    chunk_size = 2000
    last_pk = 0
    while True:
        chunk = list(responses.filter(pk__gt=last_pk).order_by("pk")[:chunk_size])
        if not chunk:
            return
        grouped: dict[int, dict[int, list[Answer]]] = defaultdict(lambda: defaultdict(list))
        for answer in Answer.objects.filter(response__in=[r.pk for r in chunk]).order_by(
            "response_id", "rank", "pk"
        ):
            grouped[answer.response_id][answer.question_id].append(answer)
        for response in chunk:
            yield response, grouped[response.pk]
        last_pk = chunk[-1].pk


def open_results_rows() -> Iterator[dict[str, Any]]:
    """Anonymised open data: option counts of published consultations (no free text,
    no equality monitoring, small counts suppressed, and more withheld where the others
    and the published number of responses would give a small one away)."""
    rows = (
        Answer.objects.filter(
            question__consultation__state=State.OUTCOME_PUBLISHED,
            question__kind__in=CONDITION_KINDS,
            question__monitoring_topic="",
        )
        .values(
            "question__consultation_id",
            "question__consultation__public_id",
            "question__consultation__title_en_gb",
            "question__consultation__title_cy",
            "question__text_en_gb",
            "question__text_cy",
            "question__choices",
            "question__choices_cy",
            "question_id",
            "choice",
        )
        .annotate(count=Count("pk"))
        .order_by("question__consultation__title_en_gb", "question_id", "choice")
    )
    responded = dict(
        Consultation.objects.filter(state=State.OUTCOME_PUBLISHED)
        .annotate(total=Count("responses"))
        .values_list("pk", "total")
    )
    by_question: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_question[row["question_id"]].append(row)
    for answers in by_question.values():
        total = responded.get(answers[0]["question__consultation_id"], 0)
        figures = published_counts([row["count"] for row in answers], total)
        for row, figure in zip(answers, figures, strict=True):
            yield _open_results_row(row, figure)


def _open_results_row(row: dict[str, Any], figure: Figure) -> dict[str, Any]:
    choices, welsh = row["question__choices"], row["question__choices_cy"] or []
    labels = dict(zip(choices, welsh, strict=True)) if len(welsh) == len(choices) else {}
    return {
        "consultation_id": str(row["question__consultation__public_id"]),
        "consultation": row["question__consultation__title_en_gb"],
        "consultation_cy": row["question__consultation__title_cy"] or "",
        "question": row["question__text_en_gb"],
        "question_cy": row["question__text_cy"] or "",
        "answer": row["choice"],
        "answer_cy": labels.get(row["choice"], ""),
        "responses": figure.count,
    }


# Proposals -------------------------------------------------------------------------------


VISIBLE = Moderated.Visibility.VISIBLE


def proposal_processes() -> QuerySet[ProposalProcess]:
    return ProposalProcess.objects.annotate(
        proposal_total=Count("proposals", filter=Q(proposals__visibility=VISIBLE))
    )


def process_taking_proposals(process: ProposalProcess, now: datetime | None = None) -> bool:
    """Whether residents may submit now: the process is taking proposals and, if it has
    dates, today falls between them."""
    now = now or timezone.now()
    return (
        process.accepting_proposals
        and (process.opens_at is None or process.opens_at <= now)
        and (process.closes_at is None or now < process.closes_at)
    )


def proposal_process(slug: str) -> ProposalProcess | None:
    return ProposalProcess.objects.filter(slug=slug).first()


def proposals_in(process: ProposalProcess) -> QuerySet[Proposal]:
    """A process's proposals, most supported first."""
    return (
        process.proposals.filter(visibility=VISIBLE)
        .select_related("author")
        .annotate(comment_total=Count("comments", filter=Q(comments__visibility=VISIBLE)))
    )


def proposal_in(process: ProposalProcess, pk: int, viewer: Any = None) -> Proposal | None:
    """A proposal as the viewer may see it: published, or their own, or any to moderators."""
    proposal = process.proposals.select_related("author").filter(pk=pk).first()
    if proposal is None or proposal.visibility == VISIBLE:
        return proposal
    if is_author(viewer, proposal) or can(viewer, "participation.moderate", proposal):
        return proposal
    return None


def is_author(person: Any, item: Proposal | Comment) -> bool:
    """Whether the person wrote the proposal or comment. Nobody did once its author erased
    their account: an anonymous visitor (no pk) must not pass for its missing author."""
    return item.author_id is not None and getattr(person, "pk", None) == item.author_id


def public_proposals() -> QuerySet[Proposal]:
    return Proposal.objects.filter(visibility=VISIBLE).select_related("process")


def comment_thread(proposal: Proposal, viewer: Any = None) -> list[tuple[Comment, int]]:
    """Published comments (and the viewer's own held or hidden ones) with their depth, each
    reply after the comment it answers, in one query. Replies under a comment the viewer
    cannot see are left out with it."""
    mine = Q(author=viewer) if getattr(viewer, "is_authenticated", False) else Q(pk__in=[])
    comments = list(
        proposal.comments.filter(Q(visibility=VISIBLE) | mine).select_related(
            "author", "parent__author"
        )
    )
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        children[comment.parent_id].append(comment)
    thread: list[tuple[Comment, int]] = []
    stack = [(comment, 0) for comment in reversed(children[None])]
    while stack:
        comment, depth = stack.pop()
        thread.append((comment, depth))
        stack.extend((reply, depth + 1) for reply in reversed(children[comment.pk]))
    return thread


def person_and_proposal(proposal: Proposal, person: Any) -> dict[str, bool]:
    """Whether the person supports and follows the proposal (False when signed out)."""
    if not getattr(person, "is_authenticated", False):
        return {"supported": False, "following": False}
    return {
        "supported": proposal.supports.filter(person=person).exists(),
        "following": is_following(person, kind=FOLLOW_PROPOSAL, key=proposal.pk),
    }


@dataclass(frozen=True)
class ModerationQueue:
    proposals: list
    comments: list
    appeals: list


def _waiting_for_a_moderator() -> Q:
    """Held for review (pre-moderated, flagged, or hidden by enough reports), or still
    public with a report no moderator has yet looked at."""
    return Q(visibility=Moderated.Visibility.PENDING) | Q(visibility=VISIBLE, report_count__gt=0)


def _with_open_reports(items: list) -> list:
    """Each item with `open_reports`: the reports made since a moderator last published it,
    oldest first. Publishing sets `report_count` back to 0 and each report adds one, so they
    are the item's newest `report_count` reports."""
    for item in items:
        newest = sorted(item.reports.all(), key=lambda r: (r.created_at, r.pk), reverse=True)
        item.open_reports = list(reversed(newest[: item.report_count]))
    return items


def moderation_queue() -> ModerationQueue:
    """What waits for a moderator: held or reported proposals and comments, each with its
    open reports and context, and open appeals."""
    waiting = _waiting_for_a_moderator()
    return ModerationQueue(
        proposals=_with_open_reports(
            list(
                Proposal.objects.filter(waiting)
                .select_related("process", "author")
                .prefetch_related("reports")
                .order_by("created_at", "id")
            )
        ),
        comments=_with_open_reports(
            list(
                Comment.objects.filter(waiting)
                .select_related("proposal__process", "author", "parent__author")
                .prefetch_related("reports")
                .order_by("created_at", "id")
            )
        ),
        appeals=list(
            Appeal.objects.filter(state=Appeal.State.OPEN).select_related(
                "proposal__process", "comment__proposal__process", "author"
            )
        ),
    )


def moderation_counts() -> dict[str, int]:
    """How many proposals and comments wait for a moderator (held, or reported and not yet
    looked at), and how many appeals are open."""
    waiting = _waiting_for_a_moderator()
    return {
        "proposals": Proposal.objects.filter(waiting).count(),
        "comments": Comment.objects.filter(waiting).count(),
        "appeals": Appeal.objects.filter(state=Appeal.State.OPEN).count(),
    }


# Participatory budgets --------------------------------------------------------------------


def budget_by_slug(slug: str) -> Budget | None:
    return Budget.objects.filter(slug=slug).first()


def budgets() -> QuerySet[Budget]:
    return Budget.objects.all()


def ward_participation(ward_code: str, *, now: datetime | None = None) -> dict[str, Any] | None:
    """What residents of a ward can have their say on now, for the ward's page: open
    consultations and budgets not yet decided, split into those for this ward (`here`)
    and those for the whole council (`across`: no wards named, or a borough-wide budget).
    None when there is nothing open. Consultations that name only other wards are left out.
    """
    consultations = list(open_consultations(now=now))
    open_budgets = list(budgets().exclude(phase=Budget.Phase.RESULTS).order_by("title"))
    found = {
        "here": {
            "consultations": [item for item in consultations if ward_code in item.ward_codes],
            "budgets": [budget for budget in open_budgets if budget.ward_code == ward_code],
        },
        "across": {
            "consultations": [item for item in consultations if not item.ward_codes],
            "budgets": [budget for budget in open_budgets if not budget.ward_code],
        },
    }
    if not any(items for part in found.values() for items in part.values()):
        return None
    return found


def budget_projects(budget: Budget) -> QuerySet[BudgetProject]:
    return budget.projects.all()


def budget_taking_ideas(budget: Budget, *, council: bool = False) -> bool:
    """Whether projects may be proposed now: by residents in the proposals phase, or by the
    council itself during the feasibility review when the proposals phase was skipped."""
    if budget.phase == Budget.Phase.PROPOSALS:
        return True
    return (
        council
        and budget.phase == Budget.Phase.FEASIBILITY
        and Budget.Phase.PROPOSALS in budget.skipped_phases
    )


def ballot_tally(
    budget: Budget, projects: Iterable[BudgetProject], chosen: Iterable[int]
) -> dict[str, int]:
    """The running total of a ballot being filled in: what the chosen projects cost, what is
    left of the budget (negative when over) and how many are chosen, for the voter to check
    before casting it."""
    picked = set(chosen)
    spent = sum(project.cost_pence for project in projects if project.pk in picked)
    count = sum(1 for project in projects if project.pk in picked)
    return {
        "spent_pence": spent,
        "left_pence": budget.total_pence - spent,
        "over_pence": max(0, spent - budget.total_pence),
        "count": count,
    }


def eligible_voter_count(budget: Budget) -> int:
    """How many people may vote: register rows and postal codes together."""
    return budget.voters.count()


def later_phases(budget: Budget) -> list[tuple[str, str]]:
    """The phases a budget may move on to: any later one (a phase may be skipped), except
    those the lead chose to skip when creating it."""
    order = list(Budget.Phase)
    return [
        (phase.value, phase.label)
        for phase in order[order.index(Budget.Phase(budget.phase)) + 1 :]
        if phase.value not in budget.skipped_phases
    ]


def budget_results_rows() -> Iterator[dict[str, Any]]:
    """Open data: the projects of budgets whose results are published (no voter data)."""
    projects = BudgetProject.objects.filter(
        budget__results_published_at__isnull=False
    ).select_related("budget")
    for project in projects.order_by("budget__slug", "-votes", "pk"):
        yield {
            "budget": in_language(project.budget, "title", CONTENT_DEFAULT),
            "budget_cy": in_language(project.budget, "title", "cy"),
            "project": in_language(project, "title", CONTENT_DEFAULT),
            "project_cy": in_language(project, "title", "cy"),
            "cost_pence": project.cost_pence,
            "votes": project.votes,
            "funded": project.selected,
            "delivery": project.delivery,
            "progress_percent": project.progress_percent,
        }


def responses_personal_data(responses: QuerySet[Response]) -> list[dict[str, Any]]:
    """A person's responses as their download shows them: each with its answers."""
    return [
        {
            "public_id": str(response.public_id),
            "reference": response.reference,
            "consultation": response.consultation.title,
            "submitted_at": response.submitted_at.isoformat(),
            "channel": response.channel,
            "answers": [
                {
                    "question": answer.question.text,
                    "choice": answer.choice,
                    "text": answer.text,
                    "number": answer.number,
                    "rank": answer.rank,
                    "file": answer.file.name,
                }
                for answer in response.answers.all()
            ],
        }
        for response in responses.select_related("consultation").prefetch_related(
            "answers__question"
        )
    ]


# A resident's record ---------------------------------------------------------------------

RESPONSE_COPY_SALT = "participation.response_copy"


@dataclass(frozen=True)
class AnswerShown:
    """One answered question of a stored response, as its copy and receipt show it."""

    question: str
    text: str
    lines: tuple[str, ...] = ()


def response_by_reference(reference: str) -> Response | None:
    return (
        Response.objects.select_related("consultation", "respondent")
        .filter(reference=reference.strip().upper())
        .first()
    )


def response_copy_key(reference: str) -> str:
    """The secret that, with the reference, opens the printable copy without signing in.

    An HMAC of the reference under the site's secret key, so nothing more is stored; a
    new reference (as erasure gives) makes the old link useless."""
    return signing.Signer(salt=RESPONSE_COPY_SALT).signature(reference)


def response_copy_url(response: Response, *, secret: bool) -> str:
    """The printable copy's address: with the secret key, for whoever holds the link;
    without it, for the respondent signed in."""
    slug, reference = response.consultation.slug, response.reference
    if secret:
        key = response_copy_key(reference)
        return reverse("participation:response_copy_secret", args=[slug, reference, key])
    return reverse("participation:response_copy", args=[slug, reference])


def response_for_copy(
    *, consultation: Consultation, reference: str, viewer: Any, key: str = ""
) -> Response | None:
    """The response whose copy the viewer may see: theirs when signed in, or any one whose
    secret key they hold; otherwise None (and the same None whether it exists or not)."""
    response = response_by_reference(reference)
    if response is None or response.consultation_id != consultation.pk:
        return None
    if key and constant_time_compare(key, response_copy_key(response.reference)):
        return response
    if response.respondent_id is not None and getattr(viewer, "pk", None) == response.respondent_id:
        return response
    return None


def response_answers(response: Response) -> list[AnswerShown]:
    """Each answered question of a response, in survey order, in the current language
    (options in Welsh where the officer wrote them)."""
    by_question: dict[int, list[Answer]] = defaultdict(list)
    answers = response.answers.select_related("question__page").order_by(
        "question__page__position",
        "question__page_id",
        "question__position",
        "question_id",
        "rank",
        "pk",
    )
    for answer in answers:
        by_question[answer.question_id].append(answer)
    shown = []
    for values in by_question.values():
        question = values[0].question
        lines = tuple(_answer_text(question, value) for value in values)
        if question.kind == Kind.RANKING:
            lines = tuple(f"{position}. {line}" for position, line in enumerate(lines, start=1))
        text = "\n".join(lines) if question.kind == Kind.RANKING else ", ".join(lines)
        shown.append(AnswerShown(translated(question, "text").text, text, lines))
    return shown


def _answer_text(question: Question, answer: Answer) -> str:
    if question.kind == Kind.FILE:
        return gettext("File uploaded")
    if question.kind in OPTION_KINDS and get_language() == "cy":
        welsh = dict(zip(question.choices, question.choices_cy, strict=False))
        return welsh.get(answer.choice) or answer.choice
    return answer.choice or answer.text


def responses_of(person: Any) -> QuerySet[Response]:
    """The person's own responses, newest first, for "Your account"."""
    return Response.objects.filter(respondent=person.pk).select_related("consultation")


def proposals_of(person: Any) -> QuerySet[Proposal]:
    """The proposals the person wrote, newest first, whatever their visibility (they see
    their own hidden or held proposals, as on the proposal's page)."""
    return (
        Proposal.objects.filter(author=person.pk)
        .select_related("process")
        .order_by("-created_at", "-pk")
    )


def account_panel(person: Any) -> dict[str, Any] | None:
    """Core's "Your account" panel: the person's responses and proposals, or None."""
    responses, proposals = list(responses_of(person)[:50]), list(proposals_of(person)[:50])
    if not responses and not proposals:
        return None
    return {
        "responses": [
            (response, response_copy_url(response, secret=False)) for response in responses
        ],
        "proposals": proposals,
    }
