"""In a real browser at phone width: the decisions officer links a councillor to their
account from Manage; the councillor goes from their account page to their councillor's
home and finds their ward's consultation and the digital guide, in English and Welsh."""

import re

import pytest
from playwright.sync_api import expect

from tests.core.factories import AreaFactory
from tests.e2e.axe import assert_accessible
from tests.e2e.test_roadmap_journey import _fits_the_screen, _signed_in_page
from tests.leadership.factories import LeaderFactory, OfficerFactory, serving_councillor
from tests.participation.factories import ConsultationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_linked_councillor_finds_their_ward_and_digital_guide_on_their_home(
    browser, live_server, person
):
    member = person("councillor", display_name="Cllr Rhian Evans", email="rhian@example.org")
    ward = AreaFactory(name="Riverside", name_cy="Glan yr Afon")
    serving_councillor(ward, name="Rhian Evans")
    ConsultationFactory(title="Riverside play areas", ward_codes=[ward.code])
    LeaderFactory(kind="chief_digital_officer")

    officer = _signed_in_page(browser, live_server, OfficerFactory())
    officer.goto("/manage/")
    officer.get_by_role("link", name="Councillors' accounts").click()
    _fits_the_screen(officer)
    assert_accessible(officer)
    officer.get_by_role("link", name="Change the account of Rhian Evans").click()
    officer.get_by_label("Councillor's account").select_option(
        label="Cllr Rhian Evans (rhian@example.org)"
    )
    officer.get_by_role("button", name="Save").click()
    expect(officer.locator("main")).to_contain_text("Rhian Evans (Riverside): Cllr Rhian Evans")

    page = _signed_in_page(browser, live_server, member)
    page.goto("/account/")
    page.get_by_role("link", name="Go to your councillor's home").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your councillor's home")
    expect(page.get_by_role("link", name="Riverside", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Riverside play areas")
    guide = page.locator(".govuk-summary-list").last
    expect(guide).to_contain_text("Digital leadership with authority")
    expect(guide).to_contain_text("Partly")
    expect(guide).to_contain_text("Digital inclusion: a directory of help")
    expect(guide).to_contain_text("Not yet")
    _fits_the_screen(page)
    assert_accessible(page)

    live = re.compile(r"See it on the site\s*: Digital leadership with authority")
    page.get_by_role("link", name=live).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who leads digital here")

    page.goto("/cy/leadership/councillor/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Eich hafan fel cynghorydd")
    expect(page.get_by_role("link", name="Glan yr Afon")).to_be_visible()
    _fits_the_screen(page)
    assert_accessible(page)
