"""What every leadership service shares: permissions, errors and field helpers."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import slugify

MANAGE_LEADERS = "leadership.manage_leaders"
MANAGE_DECISIONS = "leadership.manage_decisions"
MANAGE_BOARD = "leadership.manage_board"
#: The largest board paper accepted, in bytes.
PAPER_MAX_BYTES = 20 * 1024 * 1024


ASSESS_MATURITY = "leadership.assess_maturity"
#: How open data names this module's citations.
CITED_BY_APP = "leadership"
CHART_FIELDS = ("chart", "x", "period", "top", "agg", "y")


class LeadershipError(Exception):
    """A change leadership refuses; nothing was stored. `code` is stable, `message` for
    people, `field` names the form field to blame, if any."""

    code = "leadership_error"

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class LeaderInvalid(LeadershipError):
    code = "leader_invalid"


class DecisionInvalid(LeadershipError):
    code = "decision_invalid"


class PortfolioInvalid(LeadershipError):
    code = "portfolio_invalid"


class BoardInvalid(LeadershipError):
    code = "board_invalid"


class AssessmentInvalid(LeadershipError):
    code = "assessment_invalid"


def _validated(obj: Any, error: type[LeadershipError], exclude: Iterable[str] = ()) -> None:
    """full_clean() with its first message as `error`, naming the form's field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as problem:
        name, messages = next(iter(problem.message_dict.items()))
        raise error(messages[0], field=name.removesuffix("_en_gb")) from None


def _unique_slug(model: Any, text: str, *, fallback: str) -> str:
    base = (slugify(text) or fallback)[:100]
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _set_translated(obj: Any, values: dict[str, str]) -> None:
    """Store `{"title": ..., "title_cy": ...}` in the model's language columns."""
    for name, value in values.items():
        column = name if name.endswith("_cy") else f"{name}_en_gb"
        setattr(obj, column, (value or "").strip())


MANAGE_ROADMAP = "leadership.manage_roadmap"


class RoadmapInvalid(LeadershipError):
    code = "roadmap_invalid"
