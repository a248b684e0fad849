"""Challenges: written by the procurement team with the open data behind them, published
and closed; bilingual; deadlines in UK time; budgets in pence."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.opendata.factories import DatasetFactory
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.market import selectors, services
from townhall.market.models import Challenge
from townhall.opendata import selectors as opendata_selectors

pytestmark = pytest.mark.django_db


def _values(**changes):
    now = timezone.now()
    return {
        "title": "Reducing missed bin collections",
        "title_cy": "Lleihau casgliadau biniau a gollwyd",
        "service_area": "Environment and Waste",
        "problem": "Bins are missed.",
        "affected": "Households.",
        "outcomes": "Fewer misses.",
        "capabilities": ["waste"],
        "budget_min_pence": 5_000_000,
        "budget_max_pence": 15_000_000,
        "questions_deadline": now + timedelta(days=7),
        "response_deadline": now + timedelta(days=14),
        "dataset_ids": [],
        **changes,
    }


def test_a_draft_offers_open_data_that_is_cited_only_once_published(officer):
    dataset = DatasetFactory(slug="household-recycling-rates", published=True)

    challenge = services.challenge_create(actor=officer, **_values(dataset_ids=[str(dataset.pk)]))
    cited_while_draft = opendata_selectors.evidence_for(dataset).exists()
    services.challenge_publish(actor=officer, challenge=challenge)

    assert challenge.title_cy == "Lleihau casgliadau biniau a gollwyd"
    assert not cited_while_draft
    assert [cited["dataset_id"] for cited in selectors.challenge_datasets(challenge)] == [
        str(dataset.pk)
    ]
    assert opendata_selectors.evidence_for(dataset).get().cited_by_app == "market"


def test_a_dataset_that_is_not_published_is_refused(officer):
    with pytest.raises(services.ChallengeInvalid, match="no published dataset"):
        services.challenge_create(actor=officer, **_values(dataset_ids=["no-such-data"]))


def test_a_supplier_may_not_write_challenges(supplier):
    with pytest.raises(PermissionDenied):
        services.challenge_create(actor=supplier.account, **_values())


def test_a_budget_range_is_refused_when_upside_down(officer):
    with pytest.raises(services.ChallengeInvalid, match="lowest budget") as raised:
        services.challenge_create(
            actor=officer, **_values(budget_min_pence=200, budget_max_pence=100)
        )

    assert raised.value.field == "budget_min_pence"
    assert not Challenge.objects.exists()


def test_questions_must_close_before_responses(officer):
    now = timezone.now()
    with pytest.raises(services.ChallengeInvalid, match="deadline for questions"):
        services.challenge_create(
            actor=officer,
            **_values(
                questions_deadline=now + timedelta(days=9),
                response_deadline=now + timedelta(days=8),
            ),
        )


def test_publishing_opens_the_challenge_and_is_audited(officer):
    challenge = services.challenge_create(actor=officer, **_values())

    services.challenge_publish(actor=officer, challenge=challenge)

    assert challenge.status == Challenge.Status.PUBLISHED
    assert selectors.public_challenge(challenge.slug) == challenge
    assert AuditEntry.objects.filter(action="market.challenge_publish").exists()


def test_publishing_is_refused_when_the_deadline_has_passed(officer):
    past = timezone.now() - timedelta(days=1)
    challenge = services.challenge_create(
        actor=officer,
        **_values(questions_deadline=past - timedelta(days=1), response_deadline=past),
    )

    with pytest.raises(services.ChallengeInvalid, match="into the future"):
        services.challenge_publish(actor=officer, challenge=challenge)


def test_a_published_deadline_cannot_be_brought_forward(officer):
    challenge = services.challenge_create(actor=officer, **_values())
    services.challenge_publish(actor=officer, challenge=challenge)

    with pytest.raises(services.ChallengeInvalid, match="extended but not brought forward"):
        services.challenge_edit(
            actor=officer,
            challenge=challenge,
            **_values(response_deadline=challenge.response_deadline - timedelta(days=1)),
        )


def test_closing_keeps_the_challenge_public_but_shut(officer, challenge):
    closed = services.challenge_close(actor=officer, challenge=challenge)

    assert closed == challenge
    assert selectors.public_challenge(challenge.slug) == challenge
    assert not selectors.challenge_is_open(challenge)
    assert list(selectors.public_challenges(state="closed")) == [challenge]
    assert not selectors.public_challenges(state="open").exists()


def test_drafts_are_not_public(officer):
    challenge = services.challenge_create(actor=officer, **_values())

    assert selectors.public_challenge(challenge.slug) is None
    assert not selectors.public_challenges().exists()


def test_the_list_filters_by_capability(challenge):
    from tests.market.factories import ChallengeFactory

    digital = ChallengeFactory(capabilities=["digital"])

    assert list(selectors.public_challenges(capability="digital")) == [digital]
    assert list(selectors.public_challenges(capability="waste")) == [challenge]


def test_a_deadline_typed_in_summer_is_uk_time(officer):
    from townhall.market.forms import ChallengeForm

    form = ChallengeForm(
        {
            **{k: v for k, v in _values().items() if isinstance(v, str)},
            "budget_min_pence": "£50,000",
            "budget_max_pence": "£150,000",
            "questions_deadline_day_day": "1",
            "questions_deadline_day_month": "7",
            "questions_deadline_day_year": "2030",
            "questions_deadline_time": "12:00",
            "response_deadline_day_day": "8",
            "response_deadline_day_month": "7",
            "response_deadline_day_year": "2030",
            "response_deadline_time": "17:00",
        }
    )

    assert form.is_valid(), form.errors
    arguments = form.service_arguments()
    assert arguments["response_deadline"] == datetime(2030, 7, 8, 16, 0, tzinfo=timezone.UTC)
    assert arguments["budget_min_pence"] == 5_000_000


def test_a_budget_in_shorthand_is_refused_by_the_form():
    from townhall.market.forms import ChallengeForm

    form = ChallengeForm({"budget_max_pence": "£1.2m"})

    assert not form.is_valid()
    assert "figures only" in form.errors["budget_max_pence"][0]


def test_site_search_finds_a_challenge_once_published(officer):
    from townhall.core.selectors.search import search

    challenge = services.challenge_create(actor=officer, **_values(problem="Wheelie bins missed."))
    before = search("wheelie", language="en-gb").total
    services.challenge_publish(actor=officer, challenge=challenge)

    found = search("wheelie", language="en-gb")
    assert before == 0
    assert [hit.title for hit in found.hits] == ["Reducing missed bin collections"]
