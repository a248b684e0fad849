"""Digital maturity: frameworks, self-assessments and their publication."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require

from .. import maturity
from ..models import (
    MaturityAnswer,
    MaturityAssessment,
    MaturityFramework,
)
from ._common import (
    ASSESS_MATURITY,
    AssessmentInvalid,
    _validated,
)


def maturity_framework_load(*, actor: Any, data: Any) -> MaturityFramework:
    """Load a framework from its file's parsed JSON (maturity.py describes the format),
    replacing the one with its slug unless an assessment uses that one and this differs.

    Raises AssessmentInvalid naming the field of the first problem; nothing is stored.
    """
    require(actor, ASSESS_MATURITY)
    try:
        definition = maturity.parse_framework(data)
    except maturity.FrameworkInvalid as problem:
        raise AssessmentInvalid(problem.message, field=problem.field) from None
    with transaction.atomic():
        framework = MaturityFramework.objects.select_for_update().filter(
            slug=definition["slug"]
        ).first() or MaturityFramework(slug=definition["slug"])
        if framework.pk and framework.definition == definition:
            return framework
        if framework.pk and framework.assessments.exists():
            raise AssessmentInvalid(
                _(
                    "Assessments use the framework %(slug)s already: give the changed "
                    "framework a new slug"
                )
                % {"slug": definition["slug"]},
                field="slug",
            )
        framework.version = definition["version"]
        framework.definition = definition
        framework.save()
        return framework


def maturity_assessment_start(
    *, actor: Any, framework: MaturityFramework, assessed_on: date
) -> MaturityAssessment:
    """Start a draft assessment of the council on a day, its measured questions scored
    from the platform's data as of that day."""
    require(actor, ASSESS_MATURITY)
    with transaction.atomic():
        assessment = MaturityAssessment.objects.create(framework=framework, assessed_on=assessed_on)
        _measure(assessment)
        return assessment


def maturity_answer(
    *, actor: Any, assessment: MaturityAssessment, question: str, level: int, evidence: str
) -> MaturityAnswer:
    """Give a self-assessed question of a draft assessment its level, with the evidence
    for it. Raises AssessmentInvalid for a published assessment, a question the framework
    does not have or measures itself, a level outside 1 to 5, or no evidence."""
    require(actor, ASSESS_MATURITY)
    with transaction.atomic():
        assessment = MaturityAssessment.objects.select_for_update().get(pk=assessment.pk)
        _draft(assessment)
        found = maturity.questions(assessment.framework.definition).get(question)
        if found is None or "measure" in found:
            raise AssessmentInvalid(
                _("This framework has no self-assessed question %(key)s") % {"key": question},
                field="question",
            )
        if level not in maturity.LEVELS:
            raise AssessmentInvalid(_("Choose a level from 1 to 5"), field="level")
        evidence = (evidence or "").strip()
        if not evidence:
            raise AssessmentInvalid(
                _("Give the evidence for this level: what is in place, and where it is shown"),
                field="evidence",
            )
        answer = MaturityAnswer.objects.filter(assessment=assessment, question=question).first()
        answer = answer or MaturityAnswer(assessment=assessment, question=question)
        answer.level, answer.evidence = level, evidence
        _validated(answer, AssessmentInvalid)
        answer.save()
        return answer


def maturity_assessment_publish(
    *, actor: Any, assessment: MaturityAssessment
) -> MaturityAssessment:
    """Publish a draft once every self-assessed question has an answer, measuring the
    measured ones again as of its day; from then on it is public and never changes.
    Raises AssessmentInvalid naming the first question left unanswered."""
    require(actor, ASSESS_MATURITY)
    with transaction.atomic():
        assessment = MaturityAssessment.objects.select_for_update().get(pk=assessment.pk)
        _draft(assessment)
        answered = set(assessment.answers.values_list("question", flat=True))
        for key, question in maturity.questions(assessment.framework.definition).items():
            if "measure" not in question and key not in answered:
                raise AssessmentInvalid(
                    _("Answer “%(question)s” before publishing")
                    % {"question": maturity.text(question["text"])},
                    field="question",
                )
        _measure(assessment)
        assessment.published = True
        assessment.save(update_fields=["published"])
        audit.record(
            actor=actor,
            operation="action",
            action="leadership.maturity_assessment_publish",
            instance=assessment,
            before={"published": False},
            after={"published": True},
        )
        return assessment


def _draft(assessment: MaturityAssessment) -> None:
    if assessment.published:
        raise AssessmentInvalid(_("This assessment is published and can no longer change"))


def _measure(assessment: MaturityAssessment) -> None:
    """Score the measured questions from the platform's data as of the assessment's day."""
    for key, question in maturity.questions(assessment.framework.definition).items():
        if "measure" not in question:
            continue
        found = maturity.measure(question["measure"], assessment.assessed_on)
        MaturityAnswer.objects.update_or_create(
            assessment=assessment,
            question=key,
            defaults={
                "level": maturity.level_for(found.percent, question["thresholds"]),
                "measured": (
                    {"count": None, "total": None, "unmeasured": True}
                    if found.unmeasured
                    else {"count": found.count, "total": found.total}
                ),
                "evidence": "",
            },
        )
