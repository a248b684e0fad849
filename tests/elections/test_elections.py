"""Elections and ballots: Democracy Club identifiers, key dates, candidates, staff pages."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from tests.elections.factories import BallotFactory, ElectionFactory, wards
from tests.participation.factories import ConsultationFactory
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.elections import services
from townhall.elections.models import Ballot, Election
from townhall.participation import selectors as participation

DATES = {
    "poll_date": date(2027, 5, 6),
    "notice_of_election": date(2027, 3, 26),
    "registration_deadline": date(2027, 4, 19),
    "postal_vote_deadline": date(2027, 4, 20),
    "proxy_vote_deadline": date(2027, 4, 27),
}


def _create(actor, **changes):
    fields = {"organisation": "northbridge", "name": "Northbridge 2027", **DATES, **changes}
    return services.election_create(actor=actor, **fields)


def _form(**changes) -> dict:
    data = {"organisation": "northbridge", "name": "Northbridge 2027", "nation": "ENG"}
    for field, day in DATES.items():
        data.update(
            {f"{field}_day": day.day, f"{field}_month": day.month, f"{field}_year": day.year}
        )
    return {**data, **changes}


def test_election_create_names_the_election_and_each_wards_ballot_by_democracy_club_ids(
    elections_officer,
):
    wards("Riverside", "St Mary's")
    election = _create(elections_officer)
    assert election.identifier == "local.northbridge.2027-05-06"
    assert sorted(election.ballots.values_list("identifier", flat=True)) == [
        "local.northbridge.riverside.2027-05-06",
        "local.northbridge.st-marys.2027-05-06",
    ]


def test_election_create_takes_voting_system_and_voter_id_rule_from_uk_election_ids(
    elections_officer,
):
    wards()
    english = _create(elections_officer)
    welsh = _create(elections_officer, organisation="caerdydd", nation="WLS")
    assert (english.voting_system, english.voter_id) == ("FPTP", "EA-2022")
    assert welsh.voter_id == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"organisation": "North Bridge!"}, "organisation"),
        ({"registration_deadline": date(2027, 5, 6)}, "registration_deadline"),
        ({"notice_of_election": date(2027, 5, 7)}, "notice_of_election"),
        ({"registration_deadline": date(2027, 3, 1)}, "registration_deadline"),
    ],
)
def test_election_create_refuses_bad_fields_and_stores_nothing(elections_officer, changes, field):
    wards()
    with pytest.raises(services.ElectionInvalid) as refused:
        _create(elections_officer, **changes)
    assert refused.value.field == field
    assert not Election.objects.exists() and not Ballot.objects.exists()


def test_election_create_refuses_a_second_election_with_the_same_identifier(elections_officer):
    wards()
    _create(elections_officer)
    with pytest.raises(services.ElectionInvalid, match="already"):
        _create(elections_officer, name="Again")
    assert Election.objects.count() == 1


def test_election_create_refuses_when_no_wards_are_loaded(elections_officer):
    with pytest.raises(services.ElectionInvalid, match="wards"):
        _create(elections_officer)


@pytest.mark.parametrize("role", ["resident", "consultation_lead", "officer"])
def test_election_create_is_refused_to_people_without_the_elections_role(person, role):
    wards()
    with pytest.raises(PermissionDenied):
        _create(person(role, is_staff=role != "resident"))


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("resident", 403), ("consultation_lead", 403), ("elections_officer", 200)],
)
def test_the_staff_pages_admit_only_elections_officers(client, person, role, status):
    if role:
        client.force_login(person(role, is_staff=role != "resident"))
    assert client.get(reverse("elections:manage_create")).status_code == status


def test_an_officer_adds_an_election_by_the_form_and_the_change_is_audited(
    client, elections_officer
):
    wards("Riverside")
    client.force_login(elections_officer)
    response = client.post(reverse("elections:manage_create"), _form())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "local.northbridge.riverside.2027-05-06" in page
    assert AuditEntry.objects.filter(
        object_type="elections.ballot", actor=elections_officer
    ).exists()


def test_the_form_shows_the_services_reason_next_to_the_field(client, elections_officer):
    wards()
    client.force_login(elections_officer)
    response = client.post(
        reverse("elections:manage_create"),
        _form(registration_deadline_day=7, registration_deadline_month=5),
    )
    assert "This date must be before polling day" in response.content.decode()
    assert not Election.objects.exists()


def test_an_officer_adds_a_candidate_with_party_and_welsh_statement(client, elections_officer):
    ballot = BallotFactory(ward_name="Riverside")
    client.force_login(elections_officer)
    response = client.post(
        reverse("elections:candidate_add", args=[ballot.identifier]),
        {
            "name": "  Ada   Lovelace ",
            "party": "Green Party",
            "statement": "Hi",
            "statement_cy": "Helo",
        },
    )
    assert response.status_code == 302
    candidate = ballot.candidates.get()
    assert (candidate.name, candidate.party, candidate.statement_cy) == (
        "Ada Lovelace",
        "Green Party",
        "Helo",
    )


def test_the_election_page_lists_key_dates_and_the_voter_id_rule(client, elections_officer):
    election = ElectionFactory()
    client.force_login(elections_officer)
    page = client.get(reverse("elections:manage_detail", args=[election.identifier]))
    text = page.content.decode()
    assert "19 April 2027" in text and "Photo ID needed to vote in person" in text


def test_the_election_page_is_in_welsh_under_cy(client, elections_officer):
    election = ElectionFactory()
    client.force_login(elections_officer)
    page = client.get("/cy" + reverse("elections:manage_detail", args=[election.identifier]))
    assert "Dyddiad pleidleisio" in page.content.decode()


def test_an_elections_notice_to_polling_day_is_a_pre_election_period_for_consultations(db):
    ElectionFactory(
        identifier="local.northbridge.2099-05-06",
        name="Northbridge local elections 2099",
        notice_of_election=date(2099, 3, 26),
        poll_date=date(2099, 5, 6),
    )
    consultation = ConsultationFactory(
        approved=True,
        opens_at=datetime(2099, 5, 1, 9, tzinfo=UTC),
        closes_at=datetime(2099, 6, 1, 9, tzinfo=UTC),
    )
    [period] = participation.pre_election_periods_overlapping(
        opens_at=consultation.opens_at, closes_at=consultation.closes_at
    )
    assert (period.name, period.starts_on, period.ends_on) == (
        "Northbridge local elections 2099",
        date(2099, 3, 26),
        date(2099, 5, 6),
    )
    later = ConsultationFactory(
        approved=True,
        opens_at=datetime(2099, 5, 7, 9, tzinfo=UTC),
        closes_at=datetime(2099, 6, 1, 9, tzinfo=UTC),
    )
    assert (
        participation.pre_election_periods_overlapping(
            opens_at=later.opens_at, closes_at=later.closes_at
        )
        == []
    )
