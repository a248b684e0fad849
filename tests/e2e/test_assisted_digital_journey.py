"""Browser journey: an assisted digital helper on the phone to a resident goes from Manage
to "Help a resident", signs the resident up for the council's news with the channel, and
a resident without JavaScript opens "Need help filling this in?" and finds help nearby."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from townhall.core.models import AssistedSubmission, Subscription
from townhall.core.roles import ASSISTED_DIGITAL_HELPER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def test_a_helper_signs_a_resident_up_for_the_news_by_telephone(browser, live_server, person):
    helper = person(ASSISTED_DIGITAL_HELPER, email="helper@example.org")
    context = _signed_in(browser, live_server, helper)
    page = context.new_page()
    page.goto("/manage/")
    page.get_by_role("link", name="Help a resident").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help a resident")
    assert_accessible(page)
    page.get_by_role("link", name="All news from the council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get emails for a resident")
    page.get_by_role("button", name="Send the resident the link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select how the resident contacted the council"
    )
    assert_accessible(page)
    page.get_by_label("Telephone").check()
    page.get_by_label("The resident's email address").fill("ann@example.org")
    page.get_by_role("button", name="Send the resident the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    subscription = Subscription.objects.get(kind="news")
    assert (subscription.email, subscription.person) == ("ann@example.org", None)
    assert AssistedSubmission.objects.get().channel == "phone"
    context.close()


def test_get_help_opens_without_javascript_and_finds_help_nearby(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/follow/news/all/")
    page.get_by_text("Need help filling this in?").click()
    help_link = page.get_by_role("link", name="Find help near you")
    expect(help_link).to_be_visible()
    assert help_link.get_attribute("href") == "/digital-help/"
    context.close()
