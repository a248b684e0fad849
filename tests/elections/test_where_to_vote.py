"""Where to vote: one station, a split postcode, none, and postcodes that cannot be used."""

from datetime import date

import pytest
from django.urls import reverse

from tests.elections.factories import BallotFactory, CandidateFactory, ElectionFactory

URL = reverse("elections:where_to_vote")


def test_a_postcode_with_one_station_shows_its_address_access_and_map(client, stations):
    page = client.get(URL, {"postcode": "nb11aa"}).content.decode()
    assert "Your polling station" in page
    assert "St Peter&#x27;s Hall<br>Church Lane" in page and "Step-free" in page
    assert "<svg" in page


def test_a_split_postcode_asks_for_the_address_and_the_address_gives_the_station(client, stations):
    page = client.get(URL, {"postcode": "NB1 2AB"}).content.decode()
    assert "Choose your address" in page and "Your polling station" not in page
    link = reverse("elections:where_to_vote_at", args=["77"])
    assert f'href="{link}"' in page
    chosen = client.get(link).content.decode()
    assert "Riverside School" in chosen and "For 2 Mill Road" in chosen


def test_a_postcode_with_no_station_says_why_and_whom_to_contact(client, stations):
    page = client.get(URL, {"postcode": "NB1 3AD"}).content.decode()
    assert "We cannot find a polling station for NB1 3AD" in page
    assert "not on our list" in page and "01632 960 000" in page


def test_before_any_import_the_page_says_stations_are_not_published_yet(client, riverside):
    page = client.get(URL, {"postcode": "NB1 1AA"}).content.decode()
    assert "have not been published yet" in page


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("NOT A POSTCODE", "Enter a real postcode"),
        ("NB9 9ZZ", "NB9 9ZZ is not in"),
        ("SW1A 1AA", "SW1A 1AA is not in"),
    ],
)
def test_postcodes_that_cannot_be_used_get_a_specific_message(client, riverside, postcode, message):
    response = client.get(URL, {"postcode": postcode})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_out_of_area_postcode_is_pointed_to_where_do_i_vote(client, riverside):
    page = client.get(URL, {"postcode": "sw1a 1aa"}).content.decode()
    assert "https://wheredoivote.co.uk/postcode/SW1A1AA/" in page


def test_the_next_election_candidates_and_voter_id_are_shown_for_the_ward(
    client, stations, riverside
):
    election = ElectionFactory(poll_date=date(2099, 5, 7), identifier="local.x.2099-05-07")
    ballot = BallotFactory(election=election, ward_code=riverside.code, ward_name="Riverside")
    CandidateFactory(ballot=ballot, name="Ada Lovelace")
    page = client.get(URL, {"postcode": "NB1 1AA"}).content.decode()
    assert "Ada Lovelace" in page and "You need to show photo ID" in page


def test_an_unknown_address_is_not_found(client, riverside):
    assert client.get(reverse("elections:where_to_vote_at", args=["1"])).status_code == 404


def test_the_lookup_is_in_welsh_under_cy(client, stations):
    page = client.get("/cy" + URL, {"postcode": "NB1 1AA"}).content.decode()
    assert "Eich gorsaf bleidleisio" in page
