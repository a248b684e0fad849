"""Elections on a ward's page: the ward's next election, its candidates, and where to vote."""

from datetime import date

from tests.elections.factories import BallotFactory, CandidateFactory, ElectionFactory


def test_a_wards_page_shows_its_next_election_and_candidates(client, riverside):
    past = ElectionFactory(identifier="local.northbridge.2023-05-04", poll_date=date(2023, 5, 4))
    BallotFactory(
        election=past,
        ward_code=riverside.code,
        ward_name="Riverside",
        identifier="local.northbridge.riverside.2023-05-04",
    )
    ballot = BallotFactory(
        election=ElectionFactory(), ward_code=riverside.code, ward_name="Riverside"
    )
    CandidateFactory(ballot=ballot, name="Ann Jones", party="Green Party")

    page = client.get(f"/wards/{riverside.slug}/").text

    panel = page.split("The next election here")[1]
    assert "Northbridge local elections 2027" in panel
    assert "Thursday 6 May 2027" in panel
    assert "Ann Jones, Green Party" in panel
    assert 'href="/elections/where-to-vote/"' in panel


def test_a_ward_with_no_election_coming_has_no_elections_panel(client, riverside):
    past = ElectionFactory(identifier="local.northbridge.2023-05-04", poll_date=date(2023, 5, 4))
    BallotFactory(election=past, ward_code=riverside.code, ward_name="Riverside")

    assert "The next election here" not in client.get(f"/wards/{riverside.slug}/").text
