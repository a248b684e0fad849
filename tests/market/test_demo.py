"""The demo: six challenges (one on missed bins citing the waste data), 40 suppliers, 15
pipeline procurements, contracts, and the demo supplier's organisation."""

import pytest

from tests.opendata.factories import DatasetFactory
from townhall.core.demo import DemoContext
from townhall.core.demo.accounts import build_demo_accounts
from townhall.core.manifest import _load_northbridge
from townhall.market import selectors
from townhall.market.demo import build_market, link_demo_supplier
from townhall.market.models import Contract, Procurement, Supplier

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.TOWNHALL_DEMO_ACCOUNTS = True
    context = DemoContext(size="small")
    context.begin_step("Wards, postcodes and addresses")
    _load_northbridge(context)
    DatasetFactory(slug="household-recycling-rates", published=True)
    context.begin_step("Market engagement")
    build_market(context)
    build_demo_accounts(context)
    link_demo_supplier(context)
    return context


def test_demo_has_six_challenges_and_the_bins_one_cites_the_waste_data(demo):
    challenges = list(selectors.public_challenges())
    bins = selectors.public_challenge("reducing-missed-bin-collections")

    assert len(challenges) == 6
    assert [cited["dataset_title"] for cited in selectors.challenge_datasets(bins)]
    assert selectors.published_questions(bins).count() == 2


def test_demo_has_forty_suppliers_fifteen_procurements_and_contracts(demo):
    assert Supplier.objects.exclude(account__email="demo.supplier@example.org").count() == 40
    assert Procurement.objects.count() == 15
    assert Contract.objects.count() >= 3


def test_the_demo_supplier_signs_in_to_an_organisation(demo):
    supplier = Supplier.objects.get(account__email="demo.supplier@example.org")

    assert supplier.name == "Reed Route Analytics Ltd"
    assert supplier.account.groups.filter(name="supplier").exists()


def test_the_demo_is_the_same_each_time(demo):
    def built():
        return sorted(Supplier.objects.filter(account=None).values_list("public_id", "name"))

    first = built()
    again = DemoContext(size="small")
    again.begin_step("Market engagement")
    build_market(again)

    assert built() == first


def test_the_demo_publishes_each_early_engagement_notice_and_flags_one_engagement(demo):
    from townhall.market.models import Notice

    kinds = sorted(Notice.objects.values_list("kind", flat=True).distinct())
    assert kinds == ["UK1", "UK2", "UK3"]
    assert Notice.objects.get(kind="UK2").challenge.slug == "reducing-missed-bin-collections"
    assert [procurement.challenge.title for procurement in selectors.procurements_flagged()] == [
        "Finding empty homes sooner"
    ]


def test_demo_has_a_supplier_day_with_registrations_and_published_slides(demo):
    bins = selectors.public_challenge("reducing-missed-bin-collections")
    day, webinar = selectors.public_events(bins)

    assert selectors.materials_are_published(day) and day.slides.read().startswith(b"%PDF-")
    assert selectors.event_places(day)["taken"] == 12
    assert selectors.event_places(webinar) == {"taken": 4, "left": 0, "waiting": 1}


def test_demo_has_a_scored_and_moderated_evaluation(demo):
    [challenge] = [c for c in selectors.challenges_to_evaluate() if c.criteria.exists()]
    results = selectors.evaluation_results(challenge)

    assert results and all(row["total"] is not None for row in results)
    assert any(cell["moderation"] for row in results for cell in row["cells"])
    assert selectors.declarations(challenge).filter(conflict=True).count() == 1
