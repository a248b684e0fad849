"""Measures modules declare in their manifests, read by key through the registry."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.elections.factories import PollingAddressFactory
from tests.market.factories import ChallengeFactory, ContractFactory, ProcurementFactory
from tests.news.factories import UpdateFactory
from townhall.core.registry import registry
from townhall.elections.models import PollingDistrict
from townhall.market.models import Procurement
from townhall.news.models import CrossPost, SocialAccount

pytestmark = pytest.mark.django_db
DECLARED = {
    "transparency_datasets_on_time",
    "consultations_with_outcome",
    "key_decisions_citing_data",
    "polling_districts_with_station",
    "news_posted_to_social",
    "contracts_after_challenge",
}


def test_measures_are_declared_by_the_installed_modules_with_a_live_page():
    measures = registry.measures()

    assert set(measures) >= DECLARED
    for measure in measures.values():
        assert reverse(measure.url_name).startswith("/")


def test_every_measure_counts_none_in_place_when_the_site_is_empty():
    today = timezone.localdate()

    found = {key: registry.measure(key).compute(today) for key in DECLARED}

    assert {key: count for key, (count, _total) in found.items()} == dict.fromkeys(DECLARED, 0)
    assert found["transparency_datasets_on_time"][1] > 0  # the Code's datasets are all due


def test_a_measure_no_installed_module_declares_is_none():
    assert registry.measure("directory_freshness_of_a_module_not_installed") is None


def test_contracts_after_challenge_counts_the_year_s_contracts_that_followed_a_challenge():
    challenged = ProcurementFactory(status=Procurement.Status.AWARDED, challenge=ChallengeFactory())
    ContractFactory(procurement=challenged, awarded_on=date(2026, 11, 2))
    ContractFactory(awarded_on=date(2026, 10, 1))
    ContractFactory(awarded_on=date(2025, 10, 1))  # more than a year before: not counted

    assert registry.measure("contracts_after_challenge").compute(date(2026, 12, 1)) == (1, 2)


def test_news_posted_to_social_counts_recent_updates_posted_to_an_account():
    account = SocialAccount.objects.create(kind=SocialAccount.Kind.LOG, name="Log")
    posted, queued = UpdateFactory(), UpdateFactory()
    CrossPost.objects.create(update=posted, account=account, status=CrossPost.Status.POSTED)
    CrossPost.objects.create(update=queued, account=account, status=CrossPost.Status.QUEUED)
    UpdateFactory(published_at=timezone.now() - timedelta(days=120))  # too old: not counted
    UpdateFactory(draft=True)

    assert registry.measure("news_posted_to_social").compute(timezone.localdate()) == (1, 2)


def test_polling_districts_with_station_counts_districts_the_finder_answers_for():
    PollingDistrict.objects.create(code="AA", station_council_id="S1")
    loaded = PollingDistrict.objects.create(code="AB")
    for uprn in ("1", "2"):
        PollingAddressFactory(uprn=uprn, district=loaded)
    PollingDistrict.objects.create(code="AC")

    assert registry.measure("polling_districts_with_station").compute(date(2026, 12, 1)) == (2, 3)
