"""In a real browser on a 390px phone: a resident with no account asks, under their polling
station, for reminders by email, on the page its button leads to (the answer itself has
no form, so it can be kept for everyone; confirming them is core's, tested there)."""

import pytest
from django.core import mail

from tests.e2e.axe import assert_accessible
from tests.elections.factories import (
    BallotFactory,
    ElectionFactory,
    riverside_stations,
    riverside_ward,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_asks_for_reminders_under_their_station(page):
    ward = riverside_ward()
    riverside_stations()
    BallotFactory(election=ElectionFactory(), ward_code=ward.code, ward_name="Riverside")
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    page.goto("/elections/where-to-vote/?postcode=NB1+1AA")
    page.get_by_role("heading", name="Get reminders by email").wait_for()
    # The scripts and the brand's stylesheet are files the policy allows, with no nonce.
    assert "js-enabled" in page.evaluate("document.body.className")
    brand = "getComputedStyle(document.documentElement).getPropertyValue('--th-brand')"
    assert page.evaluate(brand).strip().startswith("#")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    page.get_by_role("button", name="Get reminders by email").click()
    page.get_by_text("Reminders to vote on").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.get_by_text("on the morning of polling day (6 May)").wait_for()
    page.get_by_label("Email address").fill("ann@example.org")
    page.get_by_role("button", name="Get reminders by email").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    assert [message.to for message in mail.outbox] == [["ann@example.org"]]
    assert refused == []
