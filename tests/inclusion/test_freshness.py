"""How fresh the directory is, as the measure leadership's scorecard and councillor's guide
read: published services confirmed within INCLUSION_STALE_AFTER_MONTHS, of all published."""

from datetime import date

import pytest

from tests.inclusion.factories import ServiceFactory
from townhall.core.registry import registry
from townhall.inclusion.models import Service

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


def test_directory_freshness_counts_services_confirmed_within_the_stale_after_months(settings):
    settings.INCLUSION_STALE_AFTER_MONTHS = 6
    ServiceFactory(last_confirmed=date(2026, 11, 1))
    ServiceFactory(last_confirmed=date(2026, 6, 8))
    ServiceFactory(last_confirmed=date(2026, 5, 1))
    ServiceFactory(last_confirmed=None)
    ServiceFactory(last_confirmed=date(2026, 12, 1), state=Service.State.DRAFT)

    assert registry.measure("directory_freshness").compute(TODAY) == (2, 4)


def test_an_empty_directory_has_nothing_to_measure():
    assert registry.measure("directory_freshness").compute(TODAY) == (0, 0)
