"""The demo: Northbridge's 2023 and 2027 local elections, candidates and polling stations."""

import pytest
from django.urls import reverse

from townhall.core.demo import DemoContext
from townhall.core.manifest import _load_northbridge
from townhall.elections import selectors
from townhall.elections.demo import build_elections
from townhall.elections.models import Ballot, Election, PollingAddress

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    context = DemoContext(size="small")
    context.begin_step("Wards, postcodes and addresses")
    _load_northbridge(context)
    context.forget()
    context.begin_step("Elections and polling stations")
    build_elections(context)
    return context


def test_demo_has_both_elections_with_a_ballot_and_candidates_per_ward(demo):
    assert sorted(Election.objects.values_list("identifier", flat=True)) == [
        "local.northbridge.2023-05-04",
        "local.northbridge.2027-05-06",
    ]
    assert Ballot.objects.filter(election__poll_date__year=2027).count() == 12
    assert Ballot.objects.get(identifier="local.northbridge.st-marys.2027-05-06")
    assert not Ballot.objects.filter(candidates__isnull=True).exists()
    assert PollingAddress.objects.count() == len(demo.addresses())


def test_demo_postcodes_give_one_station_and_a_split(client, demo):
    url = reverse("elections:where_to_vote")
    assert "Your polling station" in client.get(url, {"postcode": "NB1 1AA"}).content.decode()
    assert "Choose your address" in client.get(url, {"postcode": "NB1 2AB"}).content.decode()


def test_running_the_demo_again_replaces_its_data(demo):
    build_elections(demo)
    assert Election.objects.count() == 2


def test_demo_declares_2023_in_every_ward_and_each_ward_has_a_councillor(client, demo):
    wards = {ward.code for ward in demo.wards()}
    declared = Ballot.objects.filter(election__poll_date__year=2023, result__isnull=False)

    assert set(declared.values_list("ward_code", flat=True)) == wards
    assert {c.ward_code for c in selectors.councillors()} == wards
    assert all(c.email and c.surgeries.all() for c in selectors.councillors())
    page = client.get(reverse("elections:results")).content.decode()
    assert "Turnout by ward, Northbridge local elections 2023" in page
