"""The Elections section page: where to vote, the coming elections' key dates and voter ID
rule, reminders, councillors and results, each a click away, in English and Welsh; and the
one navigation entry that marks every residents' elections page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from tests.core.test_navigation import current_sections
from tests.elections.factories import ElectionFactory, contested_ballot, votes_for
from townhall.elections import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def coming_election(db):
    """A local election in England (voter ID needed) polling in eight weeks."""
    today = timezone.localdate()
    return ElectionFactory(
        identifier="local.northbridge.next",
        name="Northbridge local elections",
        name_cy="Etholiadau lleol Northbridge",
        notice_of_election=today + timedelta(days=14),
        registration_deadline=today + timedelta(days=35),
        postal_vote_deadline=today + timedelta(days=36),
        proxy_vote_deadline=today + timedelta(days=42),
        poll_date=today + timedelta(days=56),
    )


def _day(value) -> str:
    return date_format(value, "l j F Y")


def test_the_page_lists_a_coming_election_with_its_key_dates_and_voter_id_rule(
    client, coming_election
):
    page = client.get("/elections/").text

    assert "Northbridge local elections" in page
    for label, day in [
        ("Notice of election", coming_election.notice_of_election),
        ("Deadline to register to vote", coming_election.registration_deadline),
        ("Deadline to apply for a postal vote", coming_election.postal_vote_deadline),
        ("Deadline to apply for a proxy vote", coming_election.proxy_vote_deadline),
        ("Polling day", coming_election.poll_date),
    ]:
        assert re.search(
            rf">{label}</dt>\s*<dd[^>]*><time datetime=\"{day:%Y-%m-%d}\">{_day(day)}</time>",
            page,
        ), label
    assert "You need to show photo ID to vote at a polling station." in page


def test_an_election_without_voter_id_says_no_photo_id_is_needed(client):
    poll_date = timezone.localdate() + timedelta(days=30)
    ElectionFactory(identifier="local.cardiff.next", voter_id="", poll_date=poll_date)

    page = client.get("/elections/").text

    assert "You do not need photo ID to vote in this election." in page


def test_a_past_election_is_not_listed_as_coming(client):
    ElectionFactory(
        identifier="local.northbridge.past",
        name="Last year's election",
        poll_date=timezone.localdate() - timedelta(days=1),
    )

    page = client.get("/elections/").text

    assert "Last year&#x27;s election" not in page
    assert "No election is planned at the moment." in page


def test_the_page_asks_for_a_postcode_to_find_where_to_vote(client, riverside, stations):
    page = client.get("/elections/").text
    found = client.get("/elections/where-to-vote/", {"postcode": "NB1 1AA"}).text

    assert '<form action="/elections/where-to-vote/" method="get" novalidate>' in page
    assert 'name="postcode"' in page
    assert "Find my polling station" in page
    assert "St Peter&#x27;s Hall" in found


def test_the_page_links_to_councillors_results_reminders_and_the_latest_results(
    client, elections_officer
):
    ballot = contested_ballot()
    services.ballot_result_record(
        actor=elections_officer,
        ballot=ballot,
        votes=votes_for(ballot, ann=900, bob=400, cy=100),
        electorate=5000,
        ballot_papers_issued=1500,
        rejected_ballots=12,
    )

    page = client.get("/elections/").text

    assert 'href="/elections/councillors/"' in page
    assert 'href="/elections/results/"' in page
    assert 'href="/elections/where-to-vote/">Find your polling station to get reminders' in page
    assert (
        f'href="/elections/results/{ballot.election.identifier}/">'
        "Northbridge local elections 2023</a>" in page
    )


def test_the_page_is_in_welsh_with_english_links_marked(client, coming_election):
    page = client.get("/cy/elections/").text

    assert '<h1 class="govuk-heading-xl">Etholiadau</h1>' in page
    assert "Etholiadau lleol Northbridge" in page
    assert "Y dyddiad cau i gofrestru i bleidleisio" in page
    assert 'href="https://www.gov.uk/register-to-vote" lang="en"' in page
    assert 'action="/cy/elections/where-to-vote/"' in page


def test_one_elections_entry_replaces_where_to_vote_councillors_and_results(client):
    navigation = client.get("/").text.split('id="navigation"')[1].split("</nav>")[0]

    assert 'href="/elections/">' in navigation
    for old in ("/elections/where-to-vote/", "/elections/councillors/", "/elections/results/"):
        assert f'href="{old}"' not in navigation


@pytest.mark.parametrize(
    "path",
    [
        "/elections/",
        "/elections/where-to-vote/",
        "/elections/councillors/",
        "/elections/results/",
        "/cy/elections/councillors/",
    ],
)
def test_residents_elections_pages_mark_elections_as_the_current_section(client, path):
    prefix = "/cy" if path.startswith("/cy/") else ""
    label = "Etholiadau" if prefix else "Elections"

    assert current_sections(client.get(path).text) == [(f"{prefix}/elections/", label)]


def test_a_ballots_results_page_marks_elections_as_the_current_section(client):
    ballot = contested_ballot()

    page = client.get(f"/elections/results/ballots/{ballot.identifier}/").text

    assert current_sections(page) == [("/elections/", "Elections")]


def test_an_officers_page_is_not_in_the_residents_elections_section(client, elections_officer):
    client.force_login(elections_officer)

    assert current_sections(client.get("/elections/manage/").text) == []
