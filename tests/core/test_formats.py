"""Dates and times read as GOV.UK writes them, in English and Welsh."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from townhall.core.formats import govuk_datetime, govuk_time

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("hour", "minute", "text"),
    [(9, 30, "9:30am"), (17, 0, "5pm"), (12, 0, "midday"), (0, 0, "midnight"), (12, 5, "12:05pm")],
)
def test_times_read_as_govuk_writes_them(hour, minute, text):
    assert govuk_time(datetime(2026, 12, 14, hour, minute, tzinfo=LONDON)) == text


def test_datetimes_are_shown_in_london_time_whatever_they_are_stored_in():
    stored_in_utc = datetime(2026, 7, 1, 8, 30, tzinfo=ZoneInfo("UTC"))
    assert govuk_datetime(stored_in_utc) == "1 July 2026, 9:30am"


def test_welsh_dates_use_welsh_month_names():
    with translation.override("cy"):
        assert govuk_datetime(datetime(2026, 12, 14, 9, 30, tzinfo=LONDON)).startswith(
            "14 Rhagfyr 2026"
        )


def test_welsh_times_use_welsh_words():
    with translation.override("cy"):
        assert govuk_time(datetime(2026, 12, 14, 9, 30, tzinfo=LONDON)) == "9:30yb"
        assert govuk_time(datetime(2026, 12, 14, 12, 0, tzinfo=LONDON)) == "canol dydd"
