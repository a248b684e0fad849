"""Which mandated datasets are published, due soon or overdue, on a given day.

Quarterly data is due by the last day of the month after the quarter ends; annual data by
the last day of the month after the financial year (to 31 March) ends.
"""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from townhall.opendata import transparency
from townhall.opendata.transparency.compliance import (
    DUE_SOON,
    NOT_PUBLISHED,
    OVERDUE,
    PUBLISHED,
    Period,
    compliance,
    period_containing,
    standing,
)


def published(code, *, updated=None, covers_to=None):
    """A published catalogue dataset as the compliance check reads it."""
    return SimpleNamespace(
        transparency_code=code,
        last_updated=updated,
        published_at=updated,
        temporal_end=covers_to,
    )


def status_on(today, code, **dataset):
    return standing(transparency.kind(code), [published(code, **dataset)], today=today)


@pytest.mark.parametrize(
    ("day", "frequency", "period"),
    [
        (date(2025, 5, 14), "quarterly", Period(date(2025, 4, 1), date(2025, 6, 30))),
        (date(2025, 12, 31), "quarterly", Period(date(2025, 10, 1), date(2025, 12, 31))),
        (date(2025, 3, 31), "annual", Period(date(2024, 4, 1), date(2025, 3, 31))),
        (date(2025, 4, 1), "annual", Period(date(2025, 4, 1), date(2026, 3, 31))),
    ],
)
def test_period_containing_a_day(day, frequency, period):
    assert period_containing(day, frequency) == period


@pytest.mark.parametrize(
    ("period_end", "due"),
    [
        (date(2025, 6, 30), date(2025, 7, 31)),
        (date(2025, 9, 30), date(2025, 10, 31)),
        (date(2025, 12, 31), date(2026, 1, 31)),
        (date(2026, 3, 31), date(2026, 4, 30)),
    ],
)
def test_quarterly_data_is_due_by_the_end_of_the_month_after_the_quarter(period_end, due):
    assert period_containing(period_end, "quarterly").due == due


@pytest.mark.parametrize(
    ("today", "status", "next_due"),
    [
        (date(2025, 9, 1), PUBLISHED, date(2025, 10, 31)),
        (date(2025, 10, 1), DUE_SOON, date(2025, 10, 31)),
        (date(2025, 10, 31), DUE_SOON, date(2025, 10, 31)),
        (date(2025, 11, 1), OVERDUE, date(2025, 10, 31)),
    ],
)
def test_quarterly_dataset_covering_to_june_is_due_for_the_september_quarter(
    today, status, next_due
):
    row = status_on(today, "spend-over-500", updated=_at(2025, 7, 20), covers_to=date(2025, 6, 30))
    assert (row.status, row.next_due, row.covered_until) == (status, next_due, date(2025, 6, 30))


def test_without_coverage_dates_data_updated_in_a_quarter_covers_the_quarter_before():
    row = status_on(date(2025, 11, 15), "spend-over-500", updated=_at(2025, 7, 20))
    assert row.covered_until == date(2025, 6, 30)
    assert row.status == OVERDUE


def test_annual_dataset_for_last_financial_year_is_up_to_date_until_next_april():
    row = status_on(date(2026, 2, 1), "senior-salaries", updated=_at(2025, 4, 20))
    assert (row.status, row.next_due) == (PUBLISHED, date(2026, 4, 30))


def test_annual_dataset_is_overdue_a_month_after_the_next_year_end():
    row = status_on(date(2026, 5, 1), "fraud", updated=_at(2025, 4, 20))
    assert row.status == OVERDUE


def test_one_off_dataset_once_published_is_never_due_again():
    row = status_on(date(2030, 1, 1), "waste-contracts", updated=_at(2015, 6, 1))
    assert (row.status, row.next_due) == (PUBLISHED, None)


def test_the_most_recent_of_several_datasets_of_a_kind_counts():
    datasets = [
        published("spend-over-500", updated=_at(2024, 7, 1), covers_to=date(2024, 6, 30)),
        published("spend-over-500", updated=_at(2025, 10, 5), covers_to=date(2025, 9, 30)),
    ]
    row = standing(transparency.kind("spend-over-500"), datasets, today=date(2025, 11, 20))
    assert row.status == PUBLISHED
    assert row.last_updated == _at(2025, 10, 5)


def test_every_mandated_dataset_is_listed_and_unpublished_ones_say_so():
    rows = compliance(
        [published("fraud", updated=_at(2025, 4, 2)), published("not-a-code")],
        today=date(2025, 6, 1),
    )
    assert [row.kind.slug for row in rows] == [kind.slug for kind in transparency.kinds()]
    statuses = {row.kind.slug: row.status for row in rows}
    assert statuses["fraud"] == PUBLISHED
    assert statuses["spend-over-500"] == NOT_PUBLISHED


def _at(year, month, day):
    return datetime(year, month, day, 12, tzinfo=UTC)
