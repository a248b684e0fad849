"""In a real browser at phone width: a supplier finds the supplier day from a challenge and
registers two people; an officer declares no conflict and scores a response blind."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.test_market_journey import _fits_the_screen
from tests.e2e.test_participation_journey import _signed_in_context
from tests.market.factories import (
    ChallengeFactory,
    CriterionFactory,
    EventFactory,
    OfficerFactory,
    ResponseFactory,
    SupplierFactory,
)
from townhall.market.models import EventRegistration, Score

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_supplier_registers_for_the_supplier_day_on_a_phone(browser, live_server):
    challenge = ChallengeFactory(title="Reducing missed bin collections")
    EventFactory(challenge=challenge, title="Missed bins supplier day", capacity=3)
    supplier = SupplierFactory(name="Meadow Routes Ltd")
    context = _signed_in_context(browser, live_server, supplier.account, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto("/market/")
    page.get_by_role("link", name="Reducing missed bin collections").click()
    page.get_by_role("link", name="Missed bins supplier day").click()
    page.get_by_role("heading", level=1, name="Missed bins supplier day").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="Register for this event").click()
    page.get_by_role("heading", level=1, name="Register for the event").wait_for()
    assert_accessible(page)
    page.get_by_label("Who will attend?").fill("Ana Lopes\nBen Carter\nCerys Morgan")
    page.get_by_role("button", name="Register").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at most 2")
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("Who will attend?").fill("Ana Lopes\nBen Carter")
    page.get_by_role("button", name="Register").click()

    expect(page.locator("main")).to_contain_text("Your places are confirmed")
    expect(page.locator("main")).to_contain_text("Ana Lopes, Ben Carter")
    expect(page.locator("main")).to_contain_text("1 of 3")
    _fits_the_screen(page)
    assert_accessible(page)
    assert EventRegistration.objects.get().status == EventRegistration.Status.CONFIRMED
    context.close()


def test_officer_declares_and_scores_a_response_on_a_phone(browser, live_server):
    challenge = ChallengeFactory(title="Reducing missed bin collections")
    CriterionFactory(challenge=challenge, title="Understanding of the problem", weight=60)
    CriterionFactory(challenge=challenge, title="Use of the data", weight=40)
    response = ResponseFactory(
        challenge=challenge, supplier=SupplierFactory(name="Harbour Digital Ltd")
    )
    officer = OfficerFactory()
    context = _signed_in_context(browser, live_server, officer, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto("/manage/")
    page.get_by_role("link", name="Evaluation of expressions of interest").click()
    page.get_by_role("link", name="Reducing missed bin collections").click()
    page.get_by_role("heading", level=1, name="Reducing missed bin collections").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Record your declaration").click()
    expect(page.locator("main")).to_contain_text("You declared no conflict of interest")
    page.get_by_role("link", name="Harbour Digital Ltd").click()
    page.get_by_role("heading", level=1, name="Harbour Digital Ltd").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("button", name="Send your scores").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    assert_accessible(page)
    for criterion, score in (("Understanding of the problem", "4"), ("Use of the data", "3")):
        page.get_by_role("group", name=f"Score for “{criterion}”").get_by_label(
            score, exact=True
        ).check()
        page.get_by_label(f"Reason for the score for “{criterion}”").fill("Clear evidence")
    page.get_by_role("button", name="Send your scores").click()

    expect(page.locator("main")).to_contain_text("Your scores are recorded")
    expect(page.locator("main")).to_contain_text("their scores stay hidden")
    _fits_the_screen(page)
    assert_accessible(page)
    assert sorted(Score.objects.filter(response=response).values_list("score", flat=True)) == [
        3,
        4,
    ]
    context.close()
