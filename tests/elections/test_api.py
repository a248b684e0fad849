"""/api/v1/elections answers in the shape of Democracy Club's developer API."""

from datetime import date

from tests.elections.factories import BallotFactory, CandidateFactory, ElectionFactory

API = "/api/v1/elections"


def test_a_postcode_with_one_station_answers_dates_with_station_ballots_and_contacts(
    client, stations, riverside
):
    election = ElectionFactory(
        poll_date=date(2099, 5, 7), identifier="local.northbridge.2099-05-07"
    )
    ballot = BallotFactory(
        election=election,
        ward_code=riverside.code,
        ward_name="Riverside",
        identifier="local.northbridge.riverside.2099-05-07",
    )
    CandidateFactory(ballot=ballot, name="Ada Lovelace", party="")
    body = client.get(f"{API}/postcode/nb11aa/").json()
    assert (body["address_picker"], body["addresses"]) == (False, [])
    [day] = body["dates"]
    assert day["date"] == "2099-05-07"
    station = day["polling_station"]
    assert station["polling_station_known"] is True
    assert station["station"]["type"] == "Feature"
    assert station["station"]["geometry"] == {"type": "Point", "coordinates": [-1.55, 53.05]}
    assert station["station"]["properties"]["address"] == "St Peter's Hall\nChurch Lane"
    [paper] = day["ballots"]
    assert paper["ballot_paper_id"] == "local.northbridge.riverside.2099-05-07"
    assert paper["voting_system"] == {
        "slug": "FPTP",
        "name": "First-past-the-post",
        "uses_party_lists": False,
    }
    assert paper["requires_voter_id"] == "EA-2022"
    assert paper["candidates"][0]["person"] == {"name": "Ada Lovelace"}
    assert paper["candidates"][0]["party"]["party_name"] == "Independent"
    assert body["electoral_services"]["phone"] == "01632 960 000"
    assert body["postcode_location"]["geometry"]["type"] == "Point"


def test_a_split_postcode_answers_an_address_picker_whose_urls_answer_the_station(client, stations):
    body = client.get(f"{API}/postcode/NB1 2AB/").json()
    assert body["address_picker"] is True and body["dates"] == []
    picked = next(a for a in body["addresses"] if a["address"] == "2 Mill Road")
    assert picked["slug"] == "77"
    assert picked["url"] == "http://testserver/api/v1/elections/address/77/"
    chosen = client.get(picked["url"]).json()
    assert chosen["address_picker"] is False


def test_an_address_lookup_gives_its_station_in_each_date(client, stations, riverside):
    BallotFactory(
        election=ElectionFactory(poll_date=date(2099, 5, 7), identifier="local.x.2099-05-07"),
        ward_code=riverside.code,
    )
    body = client.get(f"{API}/address/77/").json()
    station = body["dates"][0]["polling_station"]["station"]
    assert station["properties"]["address"] == "Riverside School\nMill Road"


def test_a_postcode_with_no_election_due_answers_no_dates(client, stations):
    body = client.get(f"{API}/postcode/NB1 1AA/").json()
    assert body["dates"] == [] and body["address_picker"] is False


def test_errors_carry_stable_codes(client, riverside):
    assert client.get(f"{API}/postcode/nonsense/").json()["error"]["code"] == "malformed_postcode"
    outside = client.get(f"{API}/postcode/SW1A1AA/")
    assert (outside.status_code, outside.json()["error"]["code"]) == (
        404,
        "postcode_outside_council",
    )
    unknown = client.get(f"{API}/address/123/")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "unknown_address")
