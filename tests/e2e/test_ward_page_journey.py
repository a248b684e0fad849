"""In a real browser on a phone: a resident types a postcode on the home page and reaches
their ward's page, which fits the screen and passes axe."""

import pytest
from playwright.sync_api import expect

from tests.core.factories import AreaFactory, PostcodeFactory, square
from tests.e2e.axe import assert_accessible
from tests.participation.factories import ConsultationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_goes_from_a_postcode_to_their_ward_page_on_a_phone(page):
    AreaFactory(code="E05000001", name="Riverside", geometry=square(-1.6, 53.0, 0.1))
    AreaFactory(code="E05000002", name="Castle", geometry=square(-1.5, 53.0, 0.1))
    PostcodeFactory(postcode="NB1 1AA", ward_code="E05000001")
    ConsultationFactory(title="Riverside bus lanes", ward_codes=["E05000001"])
    page.goto("/")
    page.get_by_label("Find your ward from your postcode").fill("nb1 1aa")
    page.get_by_role("button", name="Find ward").click()
    page.wait_for_url("**/wards/riverside/")
    assert page.get_by_role("heading", level=1).inner_text() == "Riverside"
    expect(page.get_by_role("link", name="Riverside bus lanes")).to_be_visible()
    assert page.locator(".th-map svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
