"""Importing and exporting results in the candidates-and-results CSV layout: all or nothing,
each bad row reported."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.elections.factories import contested_ballot
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.elections import services
from townhall.elections.models import BallotResult, Councillor

HEADER = "ballot_paper_id,gss,person_name,party_name,votes_cast,total_electorate,num_turnout_reported,num_spoilt_ballots"
BALLOT = "local.northbridge.riverside.2023-05-04"


def results(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def rows(ann="900", bob="400", cy="100", gss="E05000001", electorate="5000") -> list[str]:
    return [
        f"{BALLOT},{gss},Ann Jones,Green Party,{ann},{electorate},1500,12",
        f"{BALLOT},{gss},Bob Smith,Labour Party,{bob},{electorate},1500,12",
        f"{BALLOT},{gss},Cy Evans,,{cy},{electorate},1500,12",
    ]


@pytest.fixture
def ballot(db):
    return contested_ballot()


def test_a_results_file_declares_each_ballot_and_its_winners_become_councillors(
    elections_officer, ballot
):
    report = services.results_import(actor=elections_officer, data=results(*rows()))

    assert (report.stored, report.ballots) == (True, 1)
    assert ballot.result.turnout == 30.0
    assert Councillor.objects.get().name == "Ann Jones"
    assert AuditEntry.objects.filter(action="elections.results_declare").count() == 1


def test_names_and_headers_are_compared_loosely_and_a_bom_is_ignored(elections_officer, ballot):
    data = "\ufeff" + HEADER.upper() + "\n" + "\n".join(rows()).replace("Ann Jones", " ann  JONES ")

    assert services.results_import(actor=elections_officer, data=data.encode()).stored


@pytest.mark.parametrize(
    ("data", "row", "message"),
    [
        (
            results(*rows()[:2], rows()[2].replace(BALLOT, "local.northbridge.nowhere.2023-05-04")),
            4,
            "There is no ballot local.northbridge.nowhere",
        ),
        (
            results(*rows()[:2], rows()[2].replace("Cy Evans", "Di Hughes")),
            4,
            "Di Hughes is not a candidate",
        ),
        (results(*rows(ann="5001")), 2, "more votes (5001) than the electorate (5000)"),
        (results(*rows(bob="-4")), 3, "votes_cast must be a whole number, 0 or more, not “-4”"),
        (results(*rows(cy="many")), 4, "not “many”"),
        (results(*rows(gss="E05999999")), 2, "E05999999 is not the GSS code of Riverside"),
        (
            results(*rows(), rows()[0]),
            5,
            "Ann Jones is on local.northbridge.riverside.2023-05-04 twice",
        ),
        (results(*rows()[:2], rows(electorate="6000")[2]), 4, "must be the same on every row"),
        (results(*rows()[:2]), 2, "No votes are given for Cy Evans"),
        (
            results(*rows(), header=HEADER.replace(",num_spoilt_ballots", "")),
            1,
            "Missing columns: num_spoilt_ballots",
        ),
        (
            "\n".join([HEADER, *rows()]).replace("Cy Evans", "Cy Évans").encode("latin-1"),
            1,
            "not UTF-8",
        ),
        (results(), 1, "no results in it"),
    ],
)
def test_a_bad_results_file_stores_nothing_and_reports_the_row(
    elections_officer, ballot, data, row, message
):
    report = services.results_import(actor=elections_officer, data=data)

    assert not report.stored
    assert any(p.row == row and message in p.message for p in report.problems), report.problems
    assert not BallotResult.objects.exists()
    assert not Councillor.objects.exists()


def test_every_bad_row_is_reported_not_only_the_first(elections_officer, ballot):
    data = results(
        *rows()[:1], rows()[1].replace("Bob Smith", "Nobody"), rows()[2].replace("100", "x")
    )

    report = services.results_import(actor=elections_officer, data=data)

    assert [p.row for p in report.problems] == [3, 4]


def test_importing_results_is_refused_to_a_resident(resident, ballot):
    with pytest.raises(PermissionDenied):
        services.results_import(actor=resident, data=results(*rows()))


def test_an_export_reads_back_in_as_the_same_results(client, elections_officer, ballot):
    services.results_import(actor=elections_officer, data=results(*rows()))
    exported = client.get(
        reverse("elections:results_download", args=[ballot.election.identifier, "csv"])
    ).content
    BallotResult.objects.all().delete()

    report = services.results_import(actor=elections_officer, data=exported)

    assert report.stored
    assert ballot.candidates.get(elected=True).votes == 900


def test_the_import_page_lists_the_problems_by_row(client, elections_officer, ballot):
    client.force_login(elections_officer)
    upload = SimpleUploadedFile("results.csv", results(*rows(ann="5001")), "text/csv")

    page = client.post(reverse("elections:results_import"), {"results": upload}).text

    assert "No results were imported" in page
    assert "Ann Jones has more votes (5001) than the electorate (5000)" in page


def test_the_import_page_declares_a_good_file(client, elections_officer, ballot):
    client.force_login(elections_officer)
    upload = SimpleUploadedFile("results.csv", results(*rows()), "text/csv")

    response = client.post(reverse("elections:results_import"), {"results": upload})

    assert response.status_code == 302
    assert BallotResult.objects.count() == 1
