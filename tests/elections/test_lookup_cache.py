"""Polling day's look-ups come from the cache, and every elections change reaches them."""

from django.urls import reverse

from tests.elections.factories import ElectionFactory
from townhall.elections import selectors, services

XPRESS = (
    b"AuthorityCode,PropertyNumber,StreetName,PostCode,PollingDistrictReference,PollingPlaceId,"
    b"PollingPlaceAddress1,PollingPlaceAddress2,PollingPlaceAddress3,PollingPlaceAddress4,"
    b"PollingPlaceAddress5,PollingPlaceAddress6,PollingPlaceAddress7,UPRN,"
    b"PollingPlaceEasting,PollingPlaceNorthing\n"
    b"NB,1,Abbey Street,NB1 1AA,AA,10,Moorend Library,Church Lane,,,Northbridge,,NB1 1AB,"
    b"990000000001,470000,320000\n"
)


def test_a_postcode_asked_again_is_answered_without_reading_the_database(
    stations, django_assert_num_queries
):
    first = selectors.where_to_vote("nb1 1aa")

    with django_assert_num_queries(0):
        again = selectors.where_to_vote("NB11AA")

    assert again.station.address == first.station.address == "St Peter's Hall\nChurch Lane"


def test_a_postcode_that_cannot_be_used_is_not_cached_as_an_answer(client, riverside):
    url = reverse("api-v1:elections_postcode", args=["SW1A1AA"])

    assert client.get(url).json()["error"]["code"] == "postcode_outside_council"
    assert client.get(url).json()["error"]["code"] == "postcode_outside_council"


def test_an_import_of_polling_data_replaces_cached_answers(
    stations, elections_officer, django_capture_on_commit_callbacks
):
    assert str(selectors.where_to_vote("NB1 1AA").station) == "St Peter's Hall"

    with django_capture_on_commit_callbacks(execute=True):
        services.polling_data_import(
            actor=elections_officer, layout="xpress-weblookup", addresses=XPRESS
        )

    assert str(selectors.where_to_vote("NB1 1AA").station) == "Moorend Library"


def test_access_details_written_for_a_station_reach_the_finder_at_once(
    client, stations, elections_officer, django_capture_on_commit_callbacks
):
    hall, _ = stations
    url = reverse("elections:where_to_vote")
    assert "Step-free" in client.get(url, {"postcode": "NB1 1AA"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.polling_station_describe(
            actor=elections_officer, station=hall, accessibility="Ramp at the side door"
        )

    page = client.get(url, {"postcode": "NB1 1AA"}).content.decode()
    assert "Ramp at the side door" in page and "Step-free" not in page


def test_a_new_election_and_candidate_reach_cached_answers(
    stations, riverside, elections_officer, django_capture_on_commit_callbacks
):
    ballot = ElectionFactory().ballots.create(
        identifier="local.northbridge.riverside.2027-05-06",
        ward_code=riverside.code,
        ward_name="Riverside",
    )
    assert selectors.where_to_vote("NB1 1AA").ballots[0].candidates.all().count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        services.candidate_add(actor=elections_officer, ballot=ballot, name="Nia Gethin")

    (cached,) = selectors.where_to_vote("NB1 1AA").ballots
    assert [c.name for c in cached.candidates.all()] == ["Nia Gethin"]
