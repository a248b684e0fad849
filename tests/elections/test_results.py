"""Declaring results by hand, and the public results and turnout pages."""

import re

import pytest
from django.urls import reverse

from tests.elections.factories import contested_ballot, votes_for
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.elections import selectors, services
from townhall.elections.models import BallotResult, Councillor
from townhall.opendata.services import platform_datasets_sync

GOOD = {"electorate": 5000, "ballot_papers_issued": 1500, "rejected_ballots": 12}


def _declare(actor, ballot, ann=900, bob=400, cy=100, **figures):
    return services.ballot_result_record(
        actor=actor,
        ballot=ballot,
        votes=votes_for(ballot, ann=ann, bob=bob, cy=cy),
        **(GOOD | figures),
    )


def test_a_declared_result_elects_the_most_voted_and_works_out_turnout(elections_officer):
    ballot = contested_ballot()

    result = _declare(elections_officer, ballot)

    assert result.turnout == 30.0
    assert [
        (c.name, c.votes, c.elected)
        for c in selectors.ballot_with_result(ballot.identifier).candidates.all()
    ] == [
        ("Ann Jones", 900, True),
        ("Bob Smith", 400, False),
        ("Cy Evans", 100, False),
    ]
    entry = AuditEntry.objects.get(action="elections.results_declare")
    assert entry.after[ballot.identifier]["votes"]["Ann Jones"] == 900


def test_a_two_seat_ballot_elects_the_two_most_voted(elections_officer):
    ballot = contested_ballot(seats=2)

    _declare(elections_officer, ballot)

    assert sorted(c.name for c in ballot.candidates.filter(elected=True)) == [
        "Ann Jones",
        "Bob Smith",
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ann": 5001}, "more votes (5001) than the electorate (5000)"),
        (
            {"ballot_papers_issued": 6000},
            "More ballot papers were issued (6000) than there are electors",
        ),
        ({"rejected_ballots": 1501}, "More ballots were rejected"),
        ({"ann": 1200}, "The votes add up to 1700"),
        ({"bob": -1}, "0 or more"),
        ({"ann": 600, "bob": 600}, "tie for the last seat"),
    ],
)
def test_a_result_that_cannot_be_right_is_refused_and_stores_nothing(
    elections_officer, changes, message
):
    ballot = contested_ballot()

    with pytest.raises(services.ResultInvalid, match=re.escape(message)):
        _declare(elections_officer, ballot, **changes)

    assert not BallotResult.objects.exists()
    assert not ballot.candidates.filter(votes__isnull=False).exists()
    assert not Councillor.objects.exists()


def test_a_result_must_give_every_candidate_votes(elections_officer):
    ballot = contested_ballot()
    votes = votes_for(ballot, ann=900, bob=400, cy=100)
    votes.pop(ballot.candidates.get(name="Cy Evans").pk)

    with pytest.raises(services.ResultInvalid, match="No votes are given for Cy Evans"):
        services.ballot_result_record(actor=elections_officer, ballot=ballot, votes=votes, **GOOD)


@pytest.mark.parametrize("role", ["resident", "consultation_lead", "officer"])
def test_declaring_a_result_is_refused_to_people_without_the_elections_role(person, role):
    ballot = contested_ballot()
    with pytest.raises(PermissionDenied):
        _declare(person(role, is_staff=role != "resident"), ballot)


def test_an_officer_declares_a_result_by_the_form(client, elections_officer):
    ballot = contested_ballot()
    client.force_login(elections_officer)
    fields = {
        f"votes_{pk}": votes for pk, votes in votes_for(ballot, ann=900, bob=400, cy=100).items()
    }

    response = client.post(
        reverse("elections:result_enter", args=[ballot.identifier]), GOOD | fields
    )

    assert response.status_code == 302
    assert ballot.candidates.get(elected=True).name == "Ann Jones"


def test_the_form_shows_why_a_result_is_refused(client, elections_officer):
    ballot = contested_ballot()
    client.force_login(elections_officer)
    fields = {
        f"votes_{pk}": votes for pk, votes in votes_for(ballot, ann=5001, bob=400, cy=100).items()
    }

    response = client.post(
        reverse("elections:result_enter", args=[ballot.identifier]), GOOD | fields
    )

    assert response.status_code == 200
    assert "Ann Jones has more votes (5001) than the electorate (5000)" in response.text
    assert not BallotResult.objects.exists()


def test_the_ballots_public_page_shows_votes_shares_the_winner_and_turnout(
    client, elections_officer
):
    ballot = contested_ballot()
    _declare(elections_officer, ballot)

    page = client.get(reverse("elections:ballot_results", args=[ballot.identifier])).text

    assert "Ann Jones" in page and "Elected" in page
    assert "64.3%" in page  # 900 of the 1,400 votes
    assert "30.0%" in page
    assert "<svg" in page


def test_the_ballots_public_page_writes_large_numbers_with_separators(client, elections_officer):
    ballot = contested_ballot()
    _declare(elections_officer, ballot, ann=1000, bob=300)

    page = client.get(reverse("elections:ballot_results", args=[ballot.identifier])).text

    assert ">1,000</td>" in page
    assert ">5,000</dd>" in page  # the electorate


def test_the_results_pages_are_in_welsh(client, elections_officer):
    ballot = contested_ballot()
    _declare(elections_officer, ballot)

    page = client.get("/cy" + reverse("elections:ballot_results", args=[ballot.identifier])).text

    assert "Glan yr Afon" in page
    assert "Etholiadau lleol Northbridge 2023" in page
    assert "Etholwyr" in page


def test_the_election_page_lists_each_ballot_and_charts_turnout_by_ward(client, elections_officer):
    ballot = contested_ballot()
    _declare(elections_officer, ballot)

    page = client.get(reverse("elections:election_results", args=[ballot.election.identifier])).text

    assert "Turnout 30.0%." in page
    assert "Turnout by ward" in page and "<svg" in page
    assert reverse("elections:results_download", args=[ballot.election.identifier, "csv"]) in page


def test_the_results_index_charts_turnout_by_ward_across_elections(client, elections_officer):
    ballot = contested_ballot()
    _declare(elections_officer, ballot)

    page = client.get(reverse("elections:results")).text

    assert "Turnout by ward, Northbridge local elections 2023" in page
    assert "30.0%" in page


def test_the_results_are_open_data_in_csv_and_json(client, elections_officer):
    ballot = contested_ballot()
    _declare(elections_officer, ballot)
    url = reverse("elections:results_download", args=[ballot.election.identifier, "json"])

    rows = client.get(url).json()["results"]

    assert (rows[0]["person_name"], rows[0]["votes_cast"], rows[0]["elected"]) == (
        "Ann Jones",
        900,
        True,
    )
    assert rows[0]["gss"] == ballot.ward_code and rows[0]["turnout_percentage"] == 30.0
    csv_text = client.get(url.replace(".json", ".csv")).content.decode()
    assert csv_text.splitlines()[0].startswith("election_id,ballot_paper_id,gss,")


def test_the_results_are_listed_in_the_data_catalogue_and_download_from_it(
    client, elections_officer
):
    _declare(elections_officer, contested_ballot())

    slugs = {dataset.platform_export for dataset in platform_datasets_sync()}
    rows = client.get(reverse("opendata:platform_download", args=["election-results", "csv"]))

    assert "election-results" in slugs
    assert "Ann Jones" in b"".join(rows.streaming_content).decode()
