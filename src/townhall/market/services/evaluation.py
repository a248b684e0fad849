"""Evaluation of expressions of interest (#12 item 7), for those allowed `market.evaluate`.

The rules: a challenge's criteria are published with weights adding up to 100 and are
fixed once anyone has scored against them. Before scoring a challenge a scorer declares
their interests; a scorer who declares a conflict may not score or moderate it, and a
declaration, once made, stands. Each response is scored by two scorers independently, on
every criterion at once, from 0 to 5 with a reason; neither may read the other's scores
until both have scored (the selectors enforce it), and a score once given is final.
Where the two differ, an agreed score is recorded with the reason (moderation); where
they agree, that score is the agreed one. Every declaration, score and agreed score is an
action in the audit log.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require

from ..manifest import EVALUATE
from ..models import (
    SCORE_SCALE,
    SCORERS_PER_RESPONSE,
    Challenge,
    EvaluationCriterion,
    ExpressionOfInterest,
    InterestDeclaration,
    ModeratedScore,
    Score,
)
from ._common import MarketError, _set_translated, _validated


class EvaluationInvalid(MarketError):
    code = "evaluation_invalid"


class ConflictOfInterest(MarketError):
    code = "conflict_of_interest"


def _audit(actor: Any, action: str, instance: Any, after: dict | None = None) -> None:
    audit.record(
        actor=actor,
        operation="action",
        action=action,
        instance=instance,
        after=after if after is not None else audit.snapshot(instance),
    )


@transaction.atomic
def criteria_set(
    *, actor: Any, challenge: Challenge, criteria: list[dict[str, Any]]
) -> list[EvaluationCriterion]:
    """Replace a challenge's criteria: each a dict of title (and title_cy, description,
    description_cy) and weight, in order; the weights add up to 100. Refused once any
    response has been scored."""
    require(actor, EVALUATE)
    Challenge.objects.select_for_update().get(pk=challenge.pk)
    if Score.objects.filter(criterion__challenge=challenge).exists():
        raise EvaluationInvalid(
            _("Scoring has begun: the criteria can no longer change"), field="criteria"
        )
    if not criteria:
        raise EvaluationInvalid(_("Give at least 1 criterion"), field="criteria")
    total = sum(int(item.get("weight") or 0) for item in criteria)
    if total != 100:
        raise EvaluationInvalid(
            _("The weights must add up to 100; they add up to %(total)d") % {"total": total},
            field="criteria",
        )
    challenge.criteria.all().delete()
    made = []
    for position, item in enumerate(criteria):
        criterion = EvaluationCriterion(
            challenge=challenge, weight=int(item["weight"]), position=position
        )
        _set_translated(criterion, ("title", "description"), item)
        _validated(criterion, EvaluationInvalid)
        criterion.save()
        made.append(criterion)
    _audit(
        actor,
        "market.criteria_set",
        challenge,
        {"criteria": [(c.title_en_gb, c.weight) for c in made]},
    )
    return made


@transaction.atomic
def interest_declare(
    *, actor: Any, challenge: Challenge, conflict: bool, details: str = ""
) -> InterestDeclaration:
    """The actor's declaration of interest in a challenge's suppliers, made once."""
    require(actor, EVALUATE)
    details = (details or "").strip()
    if conflict and not details:
        raise EvaluationInvalid(_("Say what the conflict of interest is"), field="details")
    already = _("You have already declared your interests for this challenge")
    if InterestDeclaration.objects.filter(challenge=challenge, scorer=actor).exists():
        raise EvaluationInvalid(already)
    declaration = InterestDeclaration(
        challenge=challenge, scorer=actor, conflict=conflict, details=details
    )
    _validated(declaration, EvaluationInvalid)
    try:
        with transaction.atomic():
            declaration.save()
    except IntegrityError:
        raise EvaluationInvalid(already) from None
    _audit(actor, "market.interest_declare", declaration)
    return declaration


def _check_may_evaluate(actor: Any, challenge: Challenge) -> None:
    require(actor, EVALUATE)
    declaration = InterestDeclaration.objects.filter(challenge=challenge, scorer=actor).first()
    if declaration is None:
        raise ConflictOfInterest(_("Declare your interests for this challenge before you score it"))
    if declaration.conflict:
        raise ConflictOfInterest(
            _("You declared a conflict of interest in this challenge, so you cannot score it")
        )


@transaction.atomic
def response_score(
    *, actor: Any, response: ExpressionOfInterest, scores: dict[int, tuple[int, str]]
) -> list[Score]:
    """The actor's independent scores of one response: `scores` maps every criterion's id
    to (score, reason). A response takes two scorers; each scores it once."""
    challenge = response.challenge
    _check_may_evaluate(actor, challenge)
    ExpressionOfInterest.objects.select_for_update().get(pk=response.pk)
    criteria = list(challenge.criteria.all())
    if not criteria:
        raise EvaluationInvalid(_("This challenge has no criteria to score against yet"))
    # Each scorer scores every criterion at once, so the first criterion's scores count
    # the scorers (even those whose accounts were since erased).
    if response.scores.filter(scorer=actor).exists():
        raise EvaluationInvalid(_("You have already scored this response"))
    if response.scores.filter(criterion=criteria[0]).count() >= SCORERS_PER_RESPONSE:
        raise EvaluationInvalid(
            _("This response already has its %(count)d scorers") % {"count": SCORERS_PER_RESPONSE}
        )
    made = []
    for criterion in criteria:
        score, comment = scores.get(criterion.pk, (None, ""))
        field = f"score_{criterion.pk}"
        if score not in SCORE_SCALE:
            raise EvaluationInvalid(
                _("Give “%(criterion)s” a score from 0 to 5") % {"criterion": criterion.title},
                field=field,
            )
        if not (comment or "").strip():
            raise EvaluationInvalid(
                _("Give the reason for the score for “%(criterion)s”")
                % {"criterion": criterion.title},
                field=f"comment_{criterion.pk}",
            )
        made.append(
            Score(
                response=response,
                criterion=criterion,
                scorer=actor,
                score=score,
                comment=comment.strip(),
            )
        )
    for score in made:
        _validated(score, EvaluationInvalid)
        score.save()
    _audit(
        actor,
        "market.response_score",
        response,
        {"scores": {str(s.criterion_id): s.score for s in made}},
    )
    return made


@transaction.atomic
def score_moderate(
    *,
    actor: Any,
    response: ExpressionOfInterest,
    criterion: EvaluationCriterion,
    score: int,
    reason: str,
) -> ModeratedScore:
    """Record the agreed score, with its reason, on a criterion where both scorers have
    scored the response and differ; it may be revised, each time audited."""
    _check_may_evaluate(actor, response.challenge)
    if criterion.challenge_id != response.challenge_id:
        raise EvaluationInvalid(_("That criterion is not this challenge's"))
    given = list(
        Score.objects.filter(response=response, criterion=criterion).values_list("score", flat=True)
    )
    if len(given) < SCORERS_PER_RESPONSE:
        raise EvaluationInvalid(_("Both scorers must score the response before moderation"))
    if len(set(given)) == 1:
        raise EvaluationInvalid(
            _("The scorers agree on this criterion: there is nothing to moderate")
        )
    if score not in SCORE_SCALE:
        raise EvaluationInvalid(_("Give an agreed score from 0 to 5"), field="score")
    if not (reason or "").strip():
        raise EvaluationInvalid(_("Give the reason for the agreed score"), field="reason")
    moderated = ModeratedScore.objects.filter(response=response, criterion=criterion).first()
    moderated = moderated or ModeratedScore(response=response, criterion=criterion)
    moderated.score, moderated.reason, moderated.moderator = score, reason.strip(), actor
    _validated(moderated, EvaluationInvalid)
    moderated.save()
    _audit(actor, "market.score_moderate", moderated)
    return moderated
