"""Every write and every rule of participation.

Views, the API, the admin, the demo and commands all come here, so a rule (who may
approve, when a consultation takes answers, that a response is stored once) is written
once. Each service checks permission with core's gate and records an audit entry for
what is not a plain save.
"""

import hashlib
import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.assisted import Channel as AssistedChannel
from townhall.core.formats import govuk_datetime
from townhall.core.languages import english_and_welsh, english_columns, welsh_required_message
from townhall.core.permissions import require
from townhall.core.services.assisted import assisted_submission_record
from townhall.core.services.search import search_index_update
from townhall.core.services.subscriptions import (
    notify_followers,
    subscription_create,
    subscription_remove,
)

from .. import integrations, selectors
from ..models import (
    Answer,
    Code,
    Consultation,
    ConsultationDocument,
    DatasetReference,
    OptionTally,
    Outcome,
    Question,
    QuestionTally,
    Response,
    ResponseDraft,
    SurveyPage,
)
from ..monitoring import EQUALITY_MONITORING, LIKERT_SCALE
from . import records

#: The resident form (participation.manifest) that a response staff record is.
SURVEY_RESPONSE_FORM = "participation.survey_response"

State = Consultation.State

#: Which state each lifecycle step moves from, and to.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": ((State.DRAFT,), State.APPROVED),
    "open": ((State.APPROVED,), State.OPEN),
    "close": ((State.OPEN,), State.CLOSED),
    "start_analysis": ((State.CLOSED,), State.ANALYSING),
    "publish_outcome": ((State.CLOSED, State.ANALYSING), State.OUTCOME_PUBLISHED),
}
EDITABLE_STATES = (State.DRAFT, State.APPROVED)
OUTCOME_TEXT = ("you_said", "we_did", "what_changed", "decision_title")
CONSULTATION_TEXT = ("title", "summary", "description", "decision_title")


class ParticipationError(Exception):
    """A rule was broken. `code` is stable (for the API); `message` is for a person."""

    code = "participation_error"

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class InvalidTransition(ParticipationError):
    code = "invalid_transition"


class SelfApproval(ParticipationError):
    code = "self_approval"


class PreElectionPeriodWarning(ParticipationError):
    code = "pre_election_period"


class SurveyLocked(ParticipationError):
    code = "survey_locked"


class NotAcceptingResponses(ParticipationError):
    code = "not_accepting_responses"


class StaleSubmission(ParticipationError):
    """The "check your answers" form sent is older than the latest one rendered."""

    code = "stale_submission"


class AlreadyResponded(ParticipationError):
    code = "already_responded"

    def __init__(self, response: Response | None = None) -> None:
        super().__init__(_("You have already responded to this consultation."))
        self.response = response


# Consultations and their lifecycle ------------------------------------------------------


def consultation_create(
    *, actor: Any, title: str, slug: str, summary: str, **fields: Any
) -> Consultation:
    """Create a draft consultation written by `actor`. `title`, `summary` and the other
    text fields are the English; `title_cy`, `summary_cy`, ... the Welsh."""
    require(actor, "participation.manage_consultation")
    values = {"title": title, "slug": slug, "summary": summary, **fields}
    with transaction.atomic():
        return Consultation.objects.create(
            author=actor, state=State.DRAFT, **english_columns(Consultation, values)
        )


def consultation_update(*, actor: Any, consultation: Consultation, **fields: Any) -> Consultation:
    """Change a consultation's details. Only drafts change; an approved one goes back to draft."""
    require(actor, "participation.manage_consultation", consultation)
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if consultation.state not in EDITABLE_STATES:
            raise SurveyLocked(_("A consultation cannot be changed once it has opened."))
        for name, value in english_columns(Consultation, fields).items():
            setattr(consultation, name, value)
        if consultation.state == State.APPROVED:
            consultation.state = State.DRAFT
            consultation.approved_by = None
            consultation.approved_at = None
        consultation.full_clean(exclude=["author"])
        consultation.save()
        search_index_update(selectors.SEARCH_CONSULTATION, consultation)
        return consultation


def consultation_translate(*, actor: Any, consultation: Consultation, **welsh: str) -> Consultation:
    """Write or correct a consultation's Welsh (`title_cy`, `summary_cy`, `description_cy`,
    `decision_title_cy`) at any stage: a translation changes nothing anyone answered, so
    unlike its other details it may change once the consultation is open."""
    require(actor, "participation.manage_consultation", consultation)
    allowed = {f"{name}_cy" for name in CONSULTATION_TEXT}
    unknown = set(welsh) - allowed
    if unknown:
        raise TypeError(f"Not Welsh fields of a consultation: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        for name, value in welsh.items():
            setattr(consultation, name, value)
        consultation.full_clean(exclude=["author"])
        consultation.save()
        search_index_update(selectors.SEARCH_CONSULTATION, consultation)
        return consultation


def _transition(actor: Any, consultation: Consultation, step: str, **changes: Any) -> Consultation:
    """Move the consultation one step along its lifecycle, under a row lock, audit it and
    tell its followers when the step is one residents care about."""
    sources, target = TRANSITIONS[step]
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.state not in sources:
        raise InvalidTransition(
            _("A consultation that is “%(state)s” cannot be moved to “%(target)s”.")
            % {"state": locked.get_state_display(), "target": State(target).label}
        )
    before = {"state": locked.state}
    locked.state = target
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    search_index_update(selectors.SEARCH_CONSULTATION, locked)
    audit.record(
        actor=actor,
        operation="action",
        action=f"participation.consultation_{step}",
        instance=locked,
        before=before,
        after={"state": target},
    )
    if step in FOLLOWER_MESSAGES:
        _tell_followers(locked, step)
    return locked


#: What followers are told at the steps of the lifecycle that concern them.
FOLLOWER_MESSAGES = {
    "open": _("The consultation “%(title)s” is open. You can respond until %(closes)s."),
    "close": _(
        "The consultation “%(title)s” has closed. The council will publish what it did "
        "because of it by %(due)s."
    ),
    "publish_outcome": _(
        "The council has published the outcome of the consultation “%(title)s”: what "
        "people said and what the council did."
    ),
}


def _tell_followers(consultation: Consultation, step: str) -> None:
    notify_followers(
        kind=selectors.FOLLOW_CONSULTATION,
        key=consultation.pk,
        body=lambda: (
            FOLLOWER_MESSAGES[step]
            % {
                "title": consultation.title,
                "closes": govuk_datetime(consultation.closes_at),
                "due": date_format(timezone.localtime(consultation.outcome_due_at), "j F Y")
                if consultation.outcome_due_at
                else "",
            }
        ),
    )


def consultation_follow(*, actor: Any, consultation: Consultation) -> None:
    """Follow a consultation, to hear when it opens, closes and publishes its outcome
    (through core's subscriptions, at the frequency the person chose)."""
    require(actor, "participation.follow_consultation", consultation)
    subscription_create(kind=selectors.FOLLOW_CONSULTATION, key=consultation.pk, person=actor)


def consultation_unfollow(*, actor: Any, consultation: Consultation) -> None:
    subscription_remove(person=actor, kind=selectors.FOLLOW_CONSULTATION, key=consultation.pk)


def consultation_approve(*, actor: Any, consultation: Consultation) -> Consultation:
    """Approve a draft. The approver must not be its author (four eyes)."""
    require(actor, "participation.approve_consultation", consultation)
    if consultation.author_id == actor.pk:
        raise SelfApproval(_("Someone other than the author must approve a consultation."))
    with transaction.atomic():
        return _transition(
            actor, consultation, "approve", approved_by=actor, approved_at=timezone.now()
        )


def consultation_open(
    *, actor: Any, consultation: Consultation, acknowledge_pre_election: bool = False
) -> Consultation:
    """Open an approved consultation for responses.

    Raises PreElectionPeriodWarning when it would run in a pre-election period, unless
    the lead has read the warning and confirmed (`acknowledge_pre_election`), and
    ParticipationError when the council requires Welsh and some of it is missing.
    """
    require(actor, "participation.manage_consultation", consultation)
    welsh = welsh_required_message(selectors.consultation_text_parts(consultation))
    if welsh:
        raise ParticipationError(welsh)
    periods = selectors.pre_election_periods_overlapping(
        opens_at=consultation.opens_at, closes_at=consultation.closes_at
    )
    if periods and not acknowledge_pre_election:
        raise PreElectionPeriodWarning(
            _("This consultation would run during a pre-election period: %(names)s.")
            % {"names": ", ".join(period.name for period in periods)}
        )
    with transaction.atomic():
        return _transition(actor, consultation, "open", opened_at=timezone.now())


def consultation_close(*, actor: Any, consultation: Consultation) -> Consultation:
    """Stop taking responses. The 12-week clock to the outcome starts now."""
    require(actor, "participation.manage_consultation", consultation)
    with transaction.atomic():
        return _transition(actor, consultation, "close", closed_at=timezone.now())


def consultation_start_analysis(*, actor: Any, consultation: Consultation) -> Consultation:
    require(actor, "participation.manage_consultation", consultation)
    with transaction.atomic():
        return _transition(actor, consultation, "start_analysis")


def outcome_publish(
    *,
    actor: Any,
    consultation: Consultation,
    you_said: str,
    we_did: str,
    what_changed: str,
    decision_title: str,
    decision_url: str = "",
    **welsh: str,
) -> Outcome:
    """Publish "We asked, you said, we did" and stop the 12-week clock. `welsh` holds
    the Welsh of the text fields, if written: `you_said_cy`, `we_did_cy`, ..."""
    require(actor, "participation.publish_outcome", consultation)
    now = timezone.now()
    with transaction.atomic():
        consultation = _transition(actor, consultation, "publish_outcome", outcome_published_at=now)
        text = {  # the keys are OUTCOME_TEXT
            "you_said": you_said,
            "we_did": we_did,
            "what_changed": what_changed,
            "decision_title": decision_title,
            **welsh,
        }
        outcome = Outcome.objects.create(
            consultation=consultation,
            decision_url=decision_url,
            published_at=now,
            **english_columns(Outcome, text),
        )
        welsh = welsh_required_message([(outcome, tuple(OUTCOME_TEXT))])
        if welsh:
            raise ParticipationError(welsh)
        search_index_update(selectors.SEARCH_CONSULTATION, consultation)
        return outcome


def document_add(
    *,
    actor: Any,
    consultation: Consultation,
    title: str,
    kind: str = ConsultationDocument.Kind.STANDARD,
    url: str = "",
    file: UploadedFile | None = None,
    title_cy: str = "",
) -> ConsultationDocument:
    require(actor, "participation.manage_consultation", consultation)
    if not url and file is None:
        raise ParticipationError(_("Give a link to the document or upload it."))
    with transaction.atomic():
        return ConsultationDocument.objects.create(
            consultation=consultation,
            title_en_gb=title,
            title_cy=title_cy,
            kind=kind,
            url=url,
            file=file or "",
        )


def dataset_reference_add(
    *, actor: Any, consultation: Consultation, dataset_slug: str, title: str = "", url: str = ""
) -> DatasetReference:
    """Cite an open dataset behind the proposal: through the installed evidence provider
    (open data) when there is one, in this transaction, so the catalogue's citation and
    the reference are kept together or not at all."""
    require(actor, "participation.manage_consultation", consultation)
    with transaction.atomic():
        cited = integrations.dataset_cite(
            actor=actor, consultation=consultation, dataset_slug=dataset_slug
        )
        if cited:
            title, url = title or cited.title, url or cited.url
        reference, _created = DatasetReference.objects.update_or_create(
            consultation=consultation,
            dataset_slug=dataset_slug,
            defaults={"title": title or dataset_slug, "url": url or f"/data/{dataset_slug}/"},
        )
        return reference


# The survey builder ---------------------------------------------------------------------


def _require_buildable(actor: Any, consultation: Consultation) -> None:
    require(actor, "participation.build_survey", consultation)
    if consultation.state not in EDITABLE_STATES:
        raise SurveyLocked(_("Questions cannot change once the consultation has opened."))


def survey_page_add(
    *, actor: Any, consultation: Consultation, title: str, title_cy: str = ""
) -> SurveyPage:
    _require_buildable(actor, consultation)
    with transaction.atomic():
        position = consultation.pages.count() + 1
        return SurveyPage.objects.create(
            consultation=consultation, title_en_gb=title, title_cy=title_cy, position=position
        )


def question_add(
    *,
    actor: Any,
    page: SurveyPage,
    kind: str,
    text: str,
    hint: str = "",
    required: bool = False,
    choices: Iterable[str] = (),
    condition_question: Question | None = None,
    condition_value: str = "",
    monitoring_topic: str = "",
    text_cy: str = "",
    hint_cy: str = "",
    choices_cy: Iterable[str] = (),
) -> Question:
    """Add a question at the end of a page.

    A condition must point to an earlier choice question and name one of its options,
    so that the page-by-page flow can always decide whether to show it. The options in
    Welsh, when given, are one for each English option, in the same order.
    """
    consultation = page.consultation
    _require_buildable(actor, consultation)
    choices = [choice.strip() for choice in choices if choice.strip()]
    choices_cy = [choice.strip() for choice in choices_cy if choice.strip()]
    if kind == Question.Kind.SCALE and not choices:
        labels = [english_and_welsh(label) for label in LIKERT_SCALE]
        choices = [english for english, _welsh in labels]
        choices_cy = [welsh for _english, welsh in labels]
    if kind in selectors.OPTION_KINDS and len(choices) < 2:
        raise ParticipationError(_("Give at least two options, one on each line."))
    if choices_cy and len(choices_cy) != len(choices):
        raise ParticipationError(
            _("Give one Welsh option for each English option, in the same order.")
        )
    if condition_question is not None:
        if condition_question.consultation_id != consultation.pk:
            raise ParticipationError(_("A question can only depend on this survey's questions."))
        if condition_question.kind not in selectors.CONDITION_KINDS:
            raise ParticipationError(_("A question can only depend on a choice question."))
        if condition_value not in condition_question.choices:
            raise ParticipationError(_("Choose one of that question's options."))
    with transaction.atomic():
        return Question.objects.create(
            consultation=consultation,
            page=page,
            position=page.questions.count() + 1,
            kind=kind,
            text_en_gb=text,
            text_cy=text_cy,
            hint_en_gb=hint,
            hint_cy=hint_cy,
            required=required,
            choices=choices,
            choices_cy=choices_cy,
            condition_question=condition_question,
            condition_value=condition_value if condition_question else "",
            monitoring_topic=monitoring_topic,
        )


def survey_add_equality_monitoring(*, actor: Any, consultation: Consultation) -> SurveyPage:
    """Add the standard, optional equality monitoring questions as the survey's last page."""
    _require_buildable(actor, consultation)
    if consultation.questions.exclude(monitoring_topic="").exists():
        raise ParticipationError(_("This survey already has the equality monitoring questions."))
    with transaction.atomic():
        title, title_cy = english_and_welsh(_("About you (optional)"))
        page = survey_page_add(
            actor=actor, consultation=consultation, title=title, title_cy=title_cy
        )
        for topic in EQUALITY_MONITORING:
            text, text_cy = english_and_welsh(topic.question)
            hint, hint_cy = english_and_welsh(topic.hint)
            options = [english_and_welsh(option) for option in topic.options]
            question_add(
                actor=actor,
                page=page,
                kind=Question.Kind.SINGLE_CHOICE,
                text=text,
                text_cy=text_cy,
                hint=hint,
                hint_cy=hint_cy,
                choices=[english for english, _welsh in options],
                choices_cy=[welsh for _english, welsh in options],
                monitoring_topic=topic.slug,
            )
        return page


# Responding -----------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class StartedDraft:
    draft: ResponseDraft
    resume_token: str


def _require_accepting(consultation: Consultation, respondent: Any) -> None:
    if not selectors.is_accepting_responses(consultation):
        raise NotAcceptingResponses(_("This consultation is closed."))
    signed_in = bool(getattr(respondent, "is_authenticated", False))
    if consultation.response_mode == Consultation.ResponseMode.SIGNED_IN and not signed_in:
        raise NotAcceptingResponses(_("Sign in to respond to this consultation."))
    if signed_in and selectors.has_responded(consultation=consultation, respondent=respondent):
        raise AlreadyResponded()


def draft_start(*, consultation: Consultation, respondent: Any = None) -> StartedDraft:
    """Start (or, for a signed-in resident, carry on) a response.

    Returns the draft and a resume token: anonymous residents keep it in their session and
    may bookmark the resume link; we keep only its hash.
    """
    require(respondent, "participation.respond", consultation)
    _require_accepting(consultation, respondent)
    token = secrets.token_urlsafe(32)
    signed_in = respondent if getattr(respondent, "is_authenticated", False) else None
    with transaction.atomic():
        if signed_in is not None:
            draft = ResponseDraft.objects.filter(
                consultation=consultation, respondent=signed_in
            ).first()
            if draft is not None:
                draft.token_hash = _hash(token)
                draft.save(update_fields=["token_hash", "updated_at"])
                return StartedDraft(draft, token)
        draft = ResponseDraft.objects.create(
            consultation=consultation, respondent=signed_in, token_hash=_hash(token)
        )
    return StartedDraft(draft, token)


def draft_by_token(*, consultation: Consultation, token: str) -> ResponseDraft | None:
    """The draft a resume link or session token points to, or None."""
    if not token:
        return None
    return ResponseDraft.objects.filter(consultation=consultation, token_hash=_hash(token)).first()


def draft_save_page(
    *, draft: ResponseDraft, page: SurveyPage, answers: Mapping[str, Any]
) -> ResponseDraft:
    """Keep the answers to one page (JSON-safe values keyed by question id)."""
    _require_accepting(draft.consultation, draft.respondent)
    page_keys = {str(question.pk) for question in page.questions.all()}
    with transaction.atomic():
        stored = {key: value for key, value in draft.answers.items() if key not in page_keys}
        stored.update({key: value for key, value in answers.items() if key in page_keys})
        draft.answers = stored
        draft.save(update_fields=["answers", "updated_at"])
    return draft


def draft_submission_key(*, draft: ResponseDraft) -> str:
    """A fresh key for one rendering of the "check your answers" form."""
    key = secrets.token_hex(16)
    ResponseDraft.objects.filter(pk=draft.pk).update(submission_key=key)
    draft.submission_key = key
    return key


def response_submit(
    *,
    consultation: Consultation,
    idempotency_key: str,
    draft: ResponseDraft | None,
    receipt_to: str = "",
    language: str = "en-gb",
) -> Response:
    """Store a response exactly once, and email its receipt in `language`: to a signed-in
    respondent's account address, or to `receipt_to` when an anonymous one asked.

    The idempotency key comes from the form that was rendered; a second POST of the same
    form (a double click, the back button, a retry after a lost connection) finds the
    stored response and raises AlreadyResponded carrying it, so nothing is stored twice.
    """
    existing = (
        Response.objects.filter(idempotency_key=idempotency_key).first()
        if idempotency_key
        else None
    )
    if existing is not None:
        raise AlreadyResponded(existing)
    if draft is None or not idempotency_key:
        raise NotAcceptingResponses(
            _("Your answers could not be found. Start again from the consultation page.")
        )
    if draft.submission_key != idempotency_key:
        raise StaleSubmission(
            _("Your answers changed in another tab or window. Check them again, then send them.")
        )
    _require_accepting(consultation, draft.respondent)
    values = selectors.answers_to_store(consultation, draft.answers)
    try:
        with transaction.atomic():
            response = _response_store(
                consultation=consultation,
                values=values,
                idempotency_key=idempotency_key,
                respondent=draft.respondent,
                channel=Response.Channel.ONLINE,
            )
            ResponseDraft.objects.filter(pk=draft.pk).delete()
            records.receipt_request(response=response, address=receipt_to, language=language)
    except IntegrityError:
        already = Response.objects.filter(idempotency_key=idempotency_key).first()
        raise AlreadyResponded(already) from None
    return response


def response_record(
    *,
    actor: Any,
    consultation: Consultation,
    channel: str,
    answers: Mapping[str, Any],
    received_at: datetime | None = None,
    idempotency_key: str = "",
) -> Response:
    """Record a response a resident gave by telephone, on paper, by email, in person or
    through a partner: assisted digital (ADR 0108). The response is the resident's, with no
    account attributed; `actor` is kept as who recorded it, and core records the channel
    and writes the audit entry as for every assisted form. `idempotency_key`, from the
    form, makes a second send of the same page raise AlreadyResponded instead of storing
    the response twice. "online" is not a channel staff record by."""
    require(actor, "participation.record_response", consultation)
    if channel == Response.Channel.ONLINE or channel not in Response.Channel.values:
        raise ValueError(f"Staff cannot record a response by channel {channel!r}")
    if consultation.state not in (State.OPEN, State.CLOSED, State.ANALYSING):
        raise NotAcceptingResponses(
            _("Responses can be recorded only once the consultation opens.")
        )
    values = selectors.answers_to_store(consultation, answers)
    key = idempotency_key or secrets.token_hex(16)
    try:
        with transaction.atomic():
            response = _response_store(
                consultation=consultation,
                values=values,
                idempotency_key=key,
                respondent=None,
                channel=channel,
                recorded_by=actor,
                submitted_at=received_at,
            )
            assisted_submission_record(
                actor=actor,
                form=SURVEY_RESPONSE_FORM,
                # Responses recorded at an event before the shared vocabulary were in person.
                channel=AssistedChannel.IN_PERSON if channel == Response.Channel.EVENT else channel,
                instance=response,
            )
    except IntegrityError:
        raise AlreadyResponded(Response.objects.filter(idempotency_key=key).first()) from None
    return response


def _response_store(
    *,
    consultation: Consultation,
    values: list[selectors.StoredValue],
    idempotency_key: str,
    respondent: Any,
    channel: str,
    recorded_by: Any = None,
    submitted_at: datetime | None = None,
) -> Response:
    submitted_at = submitted_at or timezone.now()
    postcode = next((value.choice for value in values if value.is_postcode), "")
    response = Response.objects.create(
        reference=records.reference_new(),
        consultation=consultation,
        respondent=respondent,
        recorded_by=recorded_by,
        channel=channel,
        submitted_at=submitted_at,
        submitted_on=timezone.localdate(submitted_at),
        ward_code=integrations.ward_for_postcode(postcode) if postcode else "",
        idempotency_key=idempotency_key,
    )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question_id=value.question_id,
            choice=value.choice,
            text=value.text,
            number=value.number,
            rank=value.rank,
            file=value.file,
        )
        for value in values
    )
    _count(values)
    return response


def _count(values: list[selectors.StoredValue]) -> None:
    """Add one response's answers to the tallies the results page reads.

    Runs inside the response's transaction, so a response and its counts are stored
    together or not at all. Rows are locked in one fixed order (question, then option)
    so concurrent responses queue rather than deadlock.
    """
    question_ids = sorted({value.question_id for value in values})
    options: dict[tuple[int, str], list[int]] = {}
    for value in values:
        if value.is_option:
            options[(value.question_id, value.choice)] = [
                1 if value.rank == 1 else 0,
                value.rank or 0,
            ]
    QuestionTally.objects.bulk_create(
        [QuestionTally(question_id=pk) for pk in question_ids], ignore_conflicts=True
    )
    OptionTally.objects.bulk_create(
        [OptionTally(question_id=pk, choice=choice) for pk, choice in options],
        ignore_conflicts=True,
    )
    for pk in question_ids:
        QuestionTally.objects.filter(question_id=pk).update(answered=F("answered") + 1)
    for (pk, choice), (first, rank) in sorted(options.items()):
        OptionTally.objects.filter(question_id=pk, choice=choice).update(
            count=F("count") + 1,
            ranked_first=F("ranked_first") + first,
            rank_total=F("rank_total") + rank,
        )


def tallies_rebuild(*, consultation: Consultation) -> None:
    """Recount a consultation's tallies from its stored answers.

    For loaders that write responses in bulk (the demo, benchmarks) and as a repair; it
    changes no response, so it needs no permission.
    """
    answers = Answer.objects.filter(question__consultation=consultation).order_by()
    with transaction.atomic():
        QuestionTally.objects.filter(question__consultation=consultation).delete()
        OptionTally.objects.filter(question__consultation=consultation).delete()
        QuestionTally.objects.bulk_create(
            QuestionTally(question_id=row["question_id"], answered=row["answered"])
            for row in answers.values("question_id").annotate(
                answered=Count("response_id", distinct=True)
            )
        )
        OptionTally.objects.bulk_create(
            OptionTally(
                question_id=row["question_id"],
                choice=row["choice"],
                count=row["count"],
                ranked_first=row["first"],
                rank_total=row["rank_total"] or 0,
            )
            for row in answers.filter(question__kind__in=selectors.OPTION_KINDS)
            .values("question_id", "choice")
            .annotate(
                count=Count("pk"), first=Count("pk", filter=Q(rank=1)), rank_total=Sum("rank")
            )
        )


# Analysis --------------------------------------------------------------------------------


def answer_tag(*, actor: Any, answer: Answer, labels: Iterable[str]) -> list[Code]:
    """Set the analysis codes of a free-text answer, creating new codes as needed."""
    consultation = answer.question.consultation
    require(actor, "participation.tag_answers", consultation)
    cleaned = sorted({label.strip()[:100] for label in labels if label.strip()})
    with transaction.atomic():
        before = sorted(answer.codes.values_list("label", flat=True))
        codes = [
            Code.objects.get_or_create(consultation=consultation, label=label)[0]
            for label in cleaned
        ]
        answer.codes.set(codes)
        audit.record(
            actor=actor,
            operation="action",
            action="participation.answer_tag",
            instance=answer,
            before={"codes": before},
            after={"codes": cleaned},
        )
    return codes


def answers_code(*, actor: Any, question: Question, answer_ids: Iterable[int], label: str) -> Code:
    """Add one analysis code (found by its label, or new) to several free-text answers to
    `question`, keeping the codes they have; each answer changed is audited. Refuses,
    storing nothing, an empty label or an answer that is not one of this question's."""
    consultation = question.consultation
    require(actor, "participation.tag_answers", consultation)
    cleaned = label.strip()[:100]
    if not cleaned:
        raise ParticipationError(_("Enter a code"))
    wanted = set(answer_ids)
    if not wanted:
        raise ParticipationError(_("Select at least one answer to code"))
    with transaction.atomic():
        answers = list(
            selectors.text_answers(question).filter(pk__in=wanted).select_for_update(of=("self",))
        )
        if len(answers) != len(wanted):
            raise ParticipationError(
                _("Some of the answers selected are not answers to this question")
            )
        code = Code.objects.get_or_create(consultation=consultation, label=cleaned)[0]
        for answer in answers:
            before = sorted(existing.label for existing in answer.codes.all())
            if cleaned in before:
                continue
            answer.codes.add(code)
            audit.record(
                actor=actor,
                operation="action",
                action="participation.answer_tag",
                instance=answer,
                before={"codes": before},
                after={"codes": sorted([*before, cleaned])},
            )
    return code


def answer_file_open(*, actor: Any, consultation: Consultation, answer_id: int) -> tuple[Any, str]:
    """An uploaded answer's file, open for reading, and the name to download it as, for
    those who may export the consultation's responses: it is a resident's own document.
    Audited, as an export is."""
    require(actor, "participation.export_responses", consultation)
    answer = (
        Answer.objects.filter(pk=answer_id, response__consultation=consultation)
        .exclude(file="")
        .select_related("response")
        .first()
    )
    if answer is None:
        raise Answer.DoesNotExist
    handle = answer.file.open("rb")
    audit.record(
        actor=actor,
        operation="action",
        action="participation.answer_file_read",
        instance=consultation,
        after={"answer": answer.pk, "response": str(answer.response.public_id)},
    )
    extension = answer.file.name.rsplit(".", 1)[-1]
    return (
        handle,
        f"{consultation.slug}-{answer.response.reference}-{answer.question_id}.{extension}",
    )


def responses_export(
    *, actor: Any, consultation: Consultation, file_format: str
) -> Iterator[bytes]:
    """Every response as CSV or XLSX, for the consultation's authorised staff, as chunks of
    bytes made while they are sent. Audited when asked for."""
    from .. import exports

    require(actor, "participation.export_responses", consultation)
    content = exports.render(consultation, file_format)
    audit.record(
        actor=actor,
        operation="action",
        action="participation.responses_export",
        instance=consultation,
        after={"format": file_format},
    )
    return content
