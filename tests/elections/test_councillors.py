"""Councillors: made from declared results, kept by officers, shown by ward."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.elections.factories import contested_ballot, votes_for
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.elections import selectors, services
from townhall.elections.models import Councillor

FIGURES = {"electorate": 5000, "ballot_papers_issued": 1500, "rejected_ballots": 12}


def _declare(actor, ballot, ann=900, bob=400):
    services.ballot_result_record(
        actor=actor, ballot=ballot, votes=votes_for(ballot, ann=ann, bob=bob, cy=100), **FIGURES
    )


@pytest.fixture
def ballot(riverside):
    return contested_ballot(ward_code=riverside.code)


@pytest.fixture
def ann(elections_officer, ballot):
    _declare(elections_officer, ballot)
    return Councillor.objects.get()


def test_the_winner_becomes_the_wards_councillor_for_a_four_year_term(ann, ballot):
    assert (ann.name, ann.party, ann.ward_code) == ("Ann Jones", "Green Party", ballot.ward_code)
    assert (ann.term_start, ann.term_end) == (date(2023, 5, 4), date(2027, 5, 4))
    assert ann.route == Councillor.Route.ELECTION


def test_a_corrected_result_replaces_the_councillor_it_made(elections_officer, ballot, ann):
    _declare(elections_officer, ballot, ann=300, bob=400)

    assert list(Councillor.objects.values_list("name", flat=True)) == ["Bob Smith"]


def test_an_election_ends_the_term_of_the_ward_sitting_members(
    elections_officer, riverside, ballot
):
    sitting = services.councillor_add(
        actor=elections_officer,
        ward_code=riverside.code,
        name="Old Member",
        term_start=date(2019, 5, 2),
        route=Councillor.Route.ELECTION,
    )

    _declare(elections_officer, ballot)

    sitting.refresh_from_db()
    assert sitting.term_end == date(2023, 5, 4)


def test_an_officer_records_a_change_of_party_and_it_is_audited_without_contacts(
    elections_officer, ann
):
    services.councillor_update(
        actor=elections_officer,
        councillor=ann,
        party="Independent Group",
        email="cllr.jones@northbridge.example",
        phone="01632 960 123",
        term_end=ann.term_end,
    )

    entry = AuditEntry.objects.filter(object_type="elections.councillor").latest("pk")
    assert entry.before["party"] == "Green Party"
    assert entry.after["party"] == "Independent Group"
    assert entry.after["email"] == "[redacted: changed]"
    assert "Ann Jones" not in entry.object_label


def test_a_by_election_winner_is_added_for_a_ward(elections_officer, riverside, ann):
    services.councillor_update(
        actor=elections_officer, councillor=ann, party=ann.party, email="", phone="",
        term_end=date(2024, 1, 31),
    )  # fmt: skip
    services.councillor_add(
        actor=elections_officer,
        ward_code=riverside.code,
        name="Dai Price",
        party="Plaid Cymru",
        term_start=date(2024, 3, 7),
        term_end=date(2027, 5, 4),
    )

    assert [c.name for c in selectors.councillors(riverside.code)] == ["Dai Price"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ward_code": "E05999999"}, "ward_code"),
        ({"name": "  "}, "name"),
        ({"term_end": date(2020, 1, 1)}, "term_end"),
    ],
)
def test_a_councillor_that_cannot_be_right_is_refused(elections_officer, riverside, changes, field):
    fields = {"ward_code": riverside.code, "name": "Dai Price", "term_start": date(2024, 3, 7)}

    with pytest.raises(services.CouncillorInvalid) as error:
        services.councillor_add(actor=elections_officer, **(fields | changes))

    assert error.value.field == field
    assert not Councillor.objects.exists()


def test_a_surgery_must_end_after_it_starts(elections_officer, ann):
    starts = timezone.now() + timedelta(days=3)
    with pytest.raises(services.CouncillorInvalid, match="end after it starts"):
        services.surgery_add(
            actor=elections_officer, councillor=ann, starts_at=starts, ends_at=starts, place="Hall"
        )


@pytest.mark.parametrize("role", ["resident", "consultation_lead"])
def test_keeping_councillors_is_refused_to_people_without_the_elections_role(person, role, ann):
    with pytest.raises(PermissionDenied):
        services.councillor_update(
            actor=person(role), councillor=ann, party="", email="", phone="", term_end=None
        )


def test_the_councillors_page_shows_contacts_term_and_surgeries_in_welsh(
    client, elections_officer, ann
):
    services.councillor_update(
        actor=elections_officer, councillor=ann, party=ann.party,
        email="cllr.jones@northbridge.example", phone="01632 960 123", term_end=ann.term_end,
    )  # fmt: skip
    starts = timezone.make_aware(datetime(2026, 12, 14, 18, 30))
    services.surgery_add(
        actor=elections_officer, councillor=ann, starts_at=starts,
        ends_at=starts + timedelta(hours=1), place="Riverside Library", place_cy="Llyfrgell Glan yr Afon",
    )  # fmt: skip

    english = client.get(reverse("elections:councillors")).text
    welsh = client.get("/cy" + reverse("elections:councillors")).text

    assert "mailto:cllr.jones@northbridge.example" in english
    assert "01632 960 123" in english
    assert "4 May 2023 to 4 May 2027" in english
    assert "Riverside Library" in english
    assert "Llyfrgell Glan yr Afon" in welsh
    assert "Glan yr Afon" in welsh


def test_the_wards_page_shows_its_councillors_and_last_result(client, riverside, ann):
    page = client.get(f"/wards/{riverside.slug}/").text

    panel = page.split("Your councillors")[1]
    assert "Ann Jones" in panel and "Green Party" in panel
    assert (
        reverse("elections:ballot_results", args=["local.northbridge.riverside.2023-05-04"])
        in panel
    )


def test_an_officer_adds_a_surgery_and_removes_it_by_the_pages(client, elections_officer, ann):
    client.force_login(elections_officer)
    add = reverse("elections:surgery_add", args=[ann.pk])

    response = client.post(
        add,
        {
            "surgery-day_day": "14", "surgery-day_month": "12", "surgery-day_year": "2026",
            "surgery-starts": "18:30", "surgery-ends": "20:00", "surgery-place": "Riverside Library",
        },
    )  # fmt: skip

    assert response.status_code == 302
    surgery = ann.surgeries.get()
    client.post(reverse("elections:surgery_remove", args=[surgery.pk]))
    assert not ann.surgeries.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [(None, 302), ("resident", 403), ("consultation_lead", 403), ("elections_officer", 200)],
)
def test_the_councillor_and_results_staff_pages_admit_only_elections_officers(
    client, person, role, status
):
    if role:
        client.force_login(person(role, is_staff=role != "resident"))
    for name in (
        "elections:councillors_manage",
        "elections:councillor_add",
        "elections:results_import",
    ):
        assert client.get(reverse(name)).status_code == status
