"""In a real browser on a 390px phone: a resident goes from their ward's page to their
councillor and the ward's last result, then to the turnout charts; each page fits the
screen and passes axe."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.elections.factories import OfficerFactory, contested_ballot, riverside_ward, votes_for
from townhall.elections import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_resident_reads_their_councillor_result_and_turnout_on_a_phone(page):
    ward = riverside_ward()
    ballot = contested_ballot(ward_code=ward.code)
    services.ballot_result_record(
        actor=OfficerFactory(),
        ballot=ballot,
        electorate=5000,
        ballot_papers_issued=1500,
        rejected_ballots=12,
        votes=votes_for(ballot, ann=900, bob=400, cy=100),
    )

    page.goto(f"/wards/{ward.slug}/")
    page.get_by_role("heading", name="Your councillors").wait_for()
    expect(page.get_by_role("heading", name="Ann Jones")).to_be_visible()
    _fits_the_screen(page)
    assert_accessible(page)

    page.get_by_role("link", name="Results of Northbridge local elections 2023").click()
    page.get_by_role("heading", name="Riverside", exact=True).wait_for()
    expect(page.get_by_text("Elected", exact=True).first).to_be_visible()
    _fits_the_screen(page)
    assert_accessible(page)

    page.goto("/elections/results/")
    page.get_by_role("heading", name="Turnout by ward", exact=True).wait_for()
    expect(page.locator("figure svg").first).to_be_visible()
    _fits_the_screen(page)
    assert_accessible(page)
