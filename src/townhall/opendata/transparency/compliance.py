"""Which mandated datasets are published, and which are due or overdue.

The Code asks for quarterly data within one month of the end of the quarter, and annual
data within one month of the end of the year it covers (the financial year, April to
March). Waste contracts are published once. "One month after" is read as the last day of
the following month, so a quarter ending 30 June is due by 31 July.

The period a dataset covers is taken from its `temporal_end` when the publisher set one;
otherwise from when its data was last updated, assuming (as the Code's timing implies)
that data published in a period covers the period before it.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import ONE_OFF, QUARTERLY, TransparencyKind, kinds

PUBLISHED = "published"
DUE_SOON = "due-soon"
OVERDUE = "overdue"
NOT_PUBLISHED = "not-published"

STATUS_LABELS = {
    PUBLISHED: _("Published"),
    DUE_SOON: _("Due soon"),
    OVERDUE: _("Overdue"),
    NOT_PUBLISHED: _("Not published"),
}
STATUS_TAG_CLASSES = {
    PUBLISHED: "govuk-tag--green",
    DUE_SOON: "govuk-tag--yellow",
    OVERDUE: "govuk-tag--red",
    NOT_PUBLISHED: "govuk-tag--grey",
}


@dataclass(frozen=True)
class Period:
    """A stretch of time data covers: a quarter or a financial year."""

    start: date
    end: date

    @property
    def due(self) -> date:
        """The Code's deadline: the last day of the month after the period ends."""
        return _end_of_month(_add_months(self.end.replace(day=1), 1))


@dataclass(frozen=True)
class ComplianceRow:
    """One mandated dataset's standing on the compliance page."""

    kind: TransparencyKind
    status: str
    datasets: tuple[Any, ...]
    last_updated: datetime | None
    covered_until: date | None
    next_due: date | None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def tag_class(self) -> str:
        return STATUS_TAG_CLASSES[self.status]


def period_containing(day: date, frequency: str) -> Period:
    """The quarter (calendar quarters) or financial year (1 April to 31 March) of `day`."""
    if frequency == QUARTERLY:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = date(day.year, first_month, 1)
        return Period(start, _end_of_month(_add_months(start, 2)))
    year = day.year if day.month >= 4 else day.year - 1
    return Period(date(year, 4, 1), date(year + 1, 3, 31))


def next_period(period: Period, frequency: str) -> Period:
    return period_containing(
        _add_months(period.start, 3 if frequency == QUARTERLY else 12), frequency
    )


def previous_period(period: Period, frequency: str) -> Period:
    return period_containing(
        _add_months(period.start, -3 if frequency == QUARTERLY else -12), frequency
    )


def covered_period(
    frequency: str, *, temporal_end: date | None, last_updated: datetime | None
) -> Period | None:
    """The latest period a dataset's data covers, or None when it cannot be told."""
    if temporal_end is not None:
        return period_containing(temporal_end, frequency)
    if last_updated is None:
        return None
    updated_on = (
        timezone.localdate(last_updated) if timezone.is_aware(last_updated) else last_updated.date()
    )
    return previous_period(period_containing(updated_on, frequency), frequency)


def standing(kind: TransparencyKind, datasets: Iterable[Any], *, today: date) -> ComplianceRow:
    """How one mandated dataset stands on `today`, given the published datasets of its kind.

    Each dataset needs `last_updated` (or `published_at`) and `temporal_end` attributes.
    Several datasets may share a kind (one per year, say); the most recent coverage counts.
    """
    datasets = tuple(datasets)
    if not datasets:
        return ComplianceRow(kind, NOT_PUBLISHED, (), None, None, None)
    last_updated = max(
        (moment for moment in (_updated(dataset) for dataset in datasets) if moment), default=None
    )
    if kind.frequency == ONE_OFF:
        return ComplianceRow(kind, PUBLISHED, datasets, last_updated, None, None)
    covered = _latest_coverage(kind.frequency, datasets)
    if covered is None:
        return ComplianceRow(kind, NOT_PUBLISHED, datasets, last_updated, None, None)
    awaited = next_period(covered, kind.frequency)
    if today > awaited.due:
        status = OVERDUE
    elif today > awaited.end:
        status = DUE_SOON
    else:
        status = PUBLISHED
    return ComplianceRow(kind, status, datasets, last_updated, covered.end, awaited.due)


def compliance(datasets: Iterable[Any], *, today: date | None = None) -> list[ComplianceRow]:
    """Every mandated dataset's standing, in the Code's order.

    `datasets` are the published catalogue datasets that have a `transparency_code`;
    a dataset whose code names no mandated dataset is ignored.
    """
    today = today or timezone.localdate()
    by_kind: dict[str, list[Any]] = {}
    for dataset in datasets:
        by_kind.setdefault(dataset.transparency_code, []).append(dataset)
    return [standing(kind, by_kind.get(kind.slug, ()), today=today) for kind in kinds()]


def _updated(dataset: Any) -> datetime | None:
    return getattr(dataset, "last_updated", None) or getattr(dataset, "published_at", None)


def _latest_coverage(frequency: str, datasets: tuple[Any, ...]) -> Period | None:
    periods = [
        covered_period(
            frequency,
            temporal_end=getattr(dataset, "temporal_end", None),
            last_updated=_updated(dataset),
        )
        for dataset in datasets
    ]
    known = [period for period in periods if period is not None]
    return max(known, key=lambda period: period.end, default=None)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
