"""What suppliers send about an open challenge before its deadlines: an expression of
interest (one per supplier, with a PDF at most) and private clarification questions,
which the council answers and publishes with nothing in them that points to the asker."""

from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require

from ..manifest import ANSWER_QUESTIONS
from ..models import Challenge, ExpressionOfInterest, Question
from ._common import (
    DeadlinePassed,
    QuestionInvalid,
    ResponseInvalid,
    _deadline_message,
    _refuse_unless_pdf,
    _set_translated,
    _supplier_of,
    _validated,
)

# Expressions of interest ---------------------------------------------------------------------


def _check_open(challenge: Challenge, *, deadline: datetime, kind: Any, error: type) -> None:
    if challenge.status != Challenge.Status.PUBLISHED:
        raise error(_("This challenge is not open"))
    if timezone.now() > deadline:
        raise DeadlinePassed(_deadline_message(kind, deadline))


def _check_attachment(upload: UploadedFile | None) -> None:
    if upload is not None:
        _refuse_unless_pdf(
            upload,
            error=ResponseInvalid,
            field="attachment",
            too_large=_("The document must be smaller than %(size)s MB"),
            not_pdf=_("The document must be a PDF"),
        )


@transaction.atomic
def response_submit(
    *,
    actor: Any,
    challenge: Challenge,
    summary: str,
    attachment: UploadedFile | None = None,
) -> ExpressionOfInterest:
    """The actor's organisation's expression of interest in an open challenge, made or
    changed before its response deadline (one per supplier: a second submission edits)."""
    supplier = _supplier_of(actor)
    _check_open(
        challenge,
        deadline=challenge.response_deadline,
        kind=_("responses"),
        error=ResponseInvalid,
    )
    _check_attachment(attachment)
    response = (
        ExpressionOfInterest.objects.select_for_update()
        .filter(challenge=challenge, supplier=supplier)
        .first()
    ) or ExpressionOfInterest(challenge=challenge, supplier=supplier)
    response.summary = (summary or "").strip()
    _validated(response, ResponseInvalid, exclude=("attachment",))
    if attachment is not None:
        response.attachment.save(attachment.name, attachment, save=False)
    response.save()
    return response


# Clarification questions ---------------------------------------------------------------------


@transaction.atomic
def question_ask(*, actor: Any, challenge: Challenge, text: str) -> Question:
    """A supplier's private question on an open challenge, before the questions deadline."""
    supplier = _supplier_of(actor)
    _check_open(
        challenge,
        deadline=challenge.questions_deadline,
        kind=_("questions"),
        error=QuestionInvalid,
    )
    question = Question(challenge=challenge, supplier=supplier, text=(text or "").strip())
    _validated(question, QuestionInvalid)
    question.save()
    return question


@transaction.atomic
def question_answer(
    *,
    actor: Any,
    question: Question,
    published_question: str,
    answer: str,
    published_question_cy: str = "",
    answer_cy: str = "",
    publish: bool = False,
) -> Question:
    """The council's answer, with the question reworded so that nothing in it names or
    points to the asker; published to everyone at once when `publish`. A published answer
    may be corrected; it is never unpublished."""
    require(actor, ANSWER_QUESTIONS)
    _set_translated(
        question,
        ("published_question", "answer"),
        {
            "published_question": published_question,
            "published_question_cy": published_question_cy,
            "answer": answer,
            "answer_cy": answer_cy,
        },
    )
    if publish or question.published_at:
        for name, message in (
            ("published_question", _("Write the question as it will be published")),
            ("answer", _("Write the answer")),
        ):
            if not getattr(question, f"{name}_en_gb"):
                raise QuestionInvalid(message, field=name)
    _validated(question, QuestionInvalid)
    before = audit.snapshot(question)
    if publish and question.published_at is None:
        question.published_at = timezone.now()
    question.save()
    audit.record(
        actor=actor,
        operation="action",
        action="market.question_answer",
        instance=question,
        before=before,
        after=audit.snapshot(question),
    )
    return question
