"""Changing, removing and reordering a survey's pages, questions and options.

Until the consultation opens anything may change. Once it has opened, responses exist
that must stay readable, so only changes that keep them valid are allowed: rewording
(English or Welsh, options included), adding options, making a required question
optional, and reordering, which is harmless because answers are stored against the
question's id and the option's English text (ADR 0051). An option reworded after
opening takes its stored answers, tallies, drafts and conditions with it.

Two leads may edit at once: a form carries the fingerprint of the question or page as
its author saw it, and a save over a version changed since is refused (`EditConflict`)
rather than silently undoing the other lead's work. Every change is recorded in the
audit log with what it was before and after, under the service's own action name.
"""

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require

from .. import selectors
from ..models import Answer, Consultation, OptionTally, Question, ResponseDraft, SurveyPage
from .consultations import EDITABLE_STATES, ParticipationError

#: The fields of a question that its edit form shows, and so its fingerprint covers.
QUESTION_FIELDS = (
    "text_en_gb",
    "text_cy",
    "hint_en_gb",
    "hint_cy",
    "kind",
    "required",
    "choices",
    "choices_cy",
)
PAGE_FIELDS = ("title_en_gb", "title_cy")
UP, DOWN = "up", "down"


class EditConflict(ParticipationError):
    """Someone else changed the question or page after this form was rendered."""

    code = "edit_conflict"


class ChangeRefused(ParticipationError):
    """The change would invalidate responses already given."""

    code = "change_refused"


def fingerprint(instance: Question | SurveyPage) -> str:
    """A short digest of what the edit form shows, to notice a change made meanwhile."""
    fields = QUESTION_FIELDS if isinstance(instance, Question) else PAGE_FIELDS
    values = [getattr(instance, name) for name in fields]
    return hashlib.sha256(json.dumps(values, default=str).encode()).hexdigest()[:16]


def has_opened(consultation: Consultation) -> bool:
    """Whether residents may have responded, so that edits must keep responses valid."""
    return consultation.state not in EDITABLE_STATES


CONFLICT_MESSAGES = {
    Question: _(
        "Someone else changed this question while you were editing it. Check what it says "
        "now and make your change again."
    ),
    SurveyPage: _(
        "Someone else changed this page while you were editing it. Check what it says now "
        "and make your change again."
    ),
}


def _check_seen(instance: Question | SurveyPage, seen: str) -> None:
    if seen != fingerprint(instance):
        raise EditConflict(CONFLICT_MESSAGES[type(instance)])


def _values(instance: Question | SurveyPage, fields: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def _save(
    actor: Any, instance: Question | SurveyPage, action: str, before: dict, **changes: Any
) -> None:
    """Write `changes` and log them, before and after, under `action`.

    The write is a queryset update so that the log holds this one entry, named for the
    service, rather than a second, anonymous one from the save signal.
    """
    type(instance).objects.filter(pk=instance.pk).update(**changes)
    for name, value in changes.items():
        setattr(instance, name, value)
    after = {name: changes.get(name, value) for name, value in before.items()}
    audit.record(
        actor=actor,
        operation="update",
        action=f"participation.{action}",
        instance=instance,
        before=before,
        after=after,
    )


def _locked_question(question: Question) -> Question:
    return Question.objects.select_for_update().select_related("consultation").get(pk=question.pk)


def _dependants_message(question: Question, choice: str | None = None) -> str | None:
    dependants = question.dependants.all()
    if choice is not None:
        dependants = dependants.filter(condition_value=choice)
    first = dependants.first()
    if first is None:
        return None
    return _("“%(other)s” depends on this. Change or remove that question first.") % {
        "other": first.text
    }


# Questions ------------------------------------------------------------------------------


def _clean_options(
    question: Question, kind: str, choices: Sequence[str], choices_cy: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The new option lists: the first ones reword the existing options in order, the
    rest are added. Raises ParticipationError for a blank, repeated or missing option."""
    choices = [choice.strip() for choice in choices]
    choices_cy = [choice.strip() for choice in choices_cy]
    if kind not in selectors.OPTION_KINDS:
        return [], []
    if len(choices) < len(question.choices) or not all(choices):
        raise ParticipationError(
            _("Give each option some text. To take an option away, use its Remove button.")
        )
    if len(choices) < 2:
        raise ParticipationError(_("Give at least two options, one on each line."))
    if len(set(choices)) != len(choices):
        raise ParticipationError(_("Each option must be different from the others."))
    if any(choices_cy) and len(choices_cy) != len(choices):
        raise ParticipationError(
            _("Give one Welsh option for each English option, in the same order.")
        )
    return choices, choices_cy if any(choices_cy) else []


def _refuse_after_opening(question: Question, kind: str, required: bool) -> None:
    if kind != question.kind:
        raise ChangeRefused(
            _(
                "The type of answer cannot change once the consultation has opened: the "
                "answers already given would no longer fit it."
            )
        )
    if required and not question.required:
        raise ChangeRefused(
            _(
                "A question cannot become required once the consultation has opened: people "
                "who have already responded may have left it out."
            )
        )


def _carry_answers(question: Question, renames: dict[str, str]) -> None:
    """Move the answers, tallies, drafts and conditions naming a reworded option to its
    new wording, so that no response loses its answer."""
    for old, new in renames.items():
        Answer.objects.filter(question=question, choice=old).update(choice=new)
        OptionTally.objects.filter(question=question, choice=old).update(choice=new)
        question.dependants.filter(condition_value=old).update(condition_value=new)
    _rewrite_drafts(question, renames)


def _rewrite_drafts(question: Question, renames: dict[str, str | None]) -> None:
    """Rename options in residents' unsent drafts; an option renamed to None is dropped,
    as if the resident had not chosen it (it would otherwise be stored on sending)."""
    key = str(question.pk)
    drafts = ResponseDraft.objects.filter(consultation_id=question.consultation_id)
    for draft in drafts.filter(answers__has_key=key):
        value = draft.answers[key]
        if isinstance(value, list):
            value = [renames.get(item, item) for item in value]
            draft.answers[key] = [item for item in value if item is not None]
        elif renames.get(value, value) is None:
            del draft.answers[key]
        else:
            draft.answers[key] = renames.get(value, value)
        draft.save(update_fields=["answers"])


def question_update(
    *,
    actor: Any,
    question: Question,
    seen: str,
    kind: str,
    text: str,
    hint: str = "",
    text_cy: str = "",
    hint_cy: str = "",
    required: bool = False,
    choices: Sequence[str] = (),
    choices_cy: Sequence[str] = (),
) -> Question:
    """Change a question. `choices` rewords the existing options in order and may add
    more at the end; options are removed and reordered with `option_delete` and
    `option_move`. `seen` is the `fingerprint` of the question the form showed.

    Raises EditConflict when the question changed meanwhile, ChangeRefused for a change
    that the responses since opening forbid, ParticipationError for bad options.
    """
    require(actor, "participation.build_survey", question.consultation)
    with transaction.atomic():
        question = _locked_question(question)
        _check_seen(question, seen)
        opened = has_opened(question.consultation)
        if opened:
            _refuse_after_opening(question, kind, required)
        choices, choices_cy = _clean_options(question, kind, choices, choices_cy)
        if kind not in selectors.CONDITION_KINDS and (message := _dependants_message(question)):
            raise ParticipationError(message)
        renames = {
            old: new for old, new in zip(question.choices, choices, strict=False) if old != new
        }
        _carry_answers(question, renames)
        _save(
            actor,
            question,
            "question_update",
            _values(question, QUESTION_FIELDS),
            kind=kind,
            text_en_gb=text,
            text_cy=text_cy,
            hint_en_gb=hint,
            hint_cy=hint_cy,
            required=required,
            choices=choices,
            choices_cy=choices_cy,
        )
        return question


def question_delete(*, actor: Any, question: Question) -> None:
    """Remove a question that nobody has answered and no other question depends on."""
    require(actor, "participation.build_survey", question.consultation)
    with transaction.atomic():
        question = _locked_question(question)
        if question.answers.exists():
            raise ChangeRefused(_("People have answered this question, so it cannot be removed."))
        if message := _dependants_message(question):
            raise ParticipationError(message)
        before = audit.snapshot(question)
        with audit.acting_as(None):
            question.delete()
        _renumber(Question.objects.filter(page_id=question.page_id))
    audit.record(
        actor=actor,
        operation="delete",
        action="participation.question_delete",
        instance=question,
        object_id=str(before["id"]),
        before=before,
    )


def _renumber(siblings: QuerySet) -> list:
    """The siblings in order, numbered 1, 2, 3... (positions may have had gaps or ties)."""
    ordered = list(siblings.order_by("position", "pk"))
    for number, sibling in enumerate(ordered, start=1):
        if sibling.position != number:
            type(sibling).objects.filter(pk=sibling.pk).update(position=number)
            sibling.position = number
    return ordered


def _move(
    actor: Any, instance: Question | SurveyPage, siblings: QuerySet, direction: str, action: str
) -> None:
    """Swap `instance` with its neighbour above or below; at either end nothing moves."""
    if direction not in (UP, DOWN):
        raise ParticipationError(_("Choose whether to move it up or down."))
    ordered = _renumber(siblings.select_for_update())
    index = next(i for i, item in enumerate(ordered) if item.pk == instance.pk)
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(ordered):
        return
    mine, theirs = ordered[index], ordered[other]
    _save(actor, mine, action, {"position": mine.position}, position=theirs.position)
    type(theirs).objects.filter(pk=theirs.pk).update(position=index + 1)


def question_move(*, actor: Any, question: Question, direction: str) -> None:
    """Move a question one place up or down its page. Allowed after opening: answers
    are stored against the question, not its place."""
    require(actor, "participation.build_survey", question.consultation)
    with transaction.atomic():
        siblings = Question.objects.filter(page_id=question.page_id)
        _move(actor, question, siblings, direction, "question_move")


# Options --------------------------------------------------------------------------------


def _option_index(question: Question, index: int) -> int:
    if not 0 <= index < len(question.choices):
        raise ParticipationError(_("That option is not in this question."))
    return index


def option_move(
    *, actor: Any, question: Question, index: int, direction: str, seen: str
) -> Question:
    """Move option `index` (from 0) one place up or down, its Welsh label with it."""
    require(actor, "participation.build_survey", question.consultation)
    with transaction.atomic():
        question = _locked_question(question)
        _check_seen(question, seen)
        index = _option_index(question, index)
        if direction not in (UP, DOWN):
            raise ParticipationError(_("Choose whether to move it up or down."))
        other = index - 1 if direction == UP else index + 1
        if not 0 <= other < len(question.choices):
            return question
        changes = {}
        for name in ("choices", "choices_cy"):
            options = list(getattr(question, name))
            if len(options) == len(question.choices):
                options[index], options[other] = options[other], options[index]
            changes[name] = options
        before = _values(question, ("choices", "choices_cy"))
        _save(actor, question, "option_move", before, **changes)
        return question


def option_delete(*, actor: Any, question: Question, index: int, seen: str) -> Question:
    """Remove option `index` (from 0) when nobody chose it, no question depends on it and
    at least two options are left."""
    require(actor, "participation.build_survey", question.consultation)
    with transaction.atomic():
        question = _locked_question(question)
        _check_seen(question, seen)
        choice = question.choices[_option_index(question, index)]
        if question.answers.filter(choice=choice).exists():
            raise ChangeRefused(_("People have chosen this option, so it cannot be removed."))
        if message := _dependants_message(question, choice):
            raise ParticipationError(message)
        if len(question.choices) <= 2:
            raise ParticipationError(_("A choice question needs at least two options."))
        changes = {}
        for name in ("choices", "choices_cy"):
            options = list(getattr(question, name))
            if len(options) == len(question.choices):
                del options[index]
            changes[name] = options
        OptionTally.objects.filter(question=question, choice=choice).delete()
        _rewrite_drafts(question, {choice: None})
        before = _values(question, ("choices", "choices_cy"))
        _save(actor, question, "option_delete", before, **changes)
        return question


# Pages ----------------------------------------------------------------------------------


def page_update(
    *, actor: Any, page: SurveyPage, seen: str, title: str, title_cy: str = ""
) -> SurveyPage:
    """Retitle a page (allowed at any stage: a title holds no answers)."""
    require(actor, "participation.build_survey", page.consultation)
    with transaction.atomic():
        page = SurveyPage.objects.select_for_update().get(pk=page.pk)
        _check_seen(page, seen)
        before = _values(page, PAGE_FIELDS)
        _save(actor, page, "page_update", before, title_en_gb=title, title_cy=title_cy)
        return page


def page_delete(*, actor: Any, page: SurveyPage) -> None:
    """Remove a page and its questions, when none of them has answers and no question
    on another page depends on them."""
    require(actor, "participation.build_survey", page.consultation)
    with transaction.atomic():
        page = SurveyPage.objects.select_for_update().get(pk=page.pk)
        questions = page.questions.all()
        if Answer.objects.filter(question__page=page).exists():
            raise ChangeRefused(
                _("People have answered questions on this page, so it cannot be removed.")
            )
        outside = Question.objects.filter(condition_question__in=questions).exclude(page=page)
        if first := outside.first():
            raise ParticipationError(
                _("“%(other)s” depends on a question on this page. Change or remove it first.")
                % {"other": first.text}
            )
        before = {**audit.snapshot(page), "questions": [q.text for q in questions]}
        with audit.acting_as(None):
            page.delete()
        _renumber(SurveyPage.objects.filter(consultation_id=page.consultation_id))
    audit.record(
        actor=actor,
        operation="delete",
        action="participation.page_delete",
        instance=page,
        object_id=str(before["id"]),
        before=before,
    )


def page_move(*, actor: Any, page: SurveyPage, direction: str) -> None:
    """Move a page one place earlier or later in the survey."""
    require(actor, "participation.build_survey", page.consultation)
    with transaction.atomic():
        siblings = SurveyPage.objects.filter(consultation_id=page.consultation_id)
        _move(actor, page, siblings, direction, "page_move")
