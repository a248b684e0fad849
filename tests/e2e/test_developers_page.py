"""A developer follows the footer's "API" link on a phone and finds the APIs, in the site's
design and language, with the explorer one link away (issue #14, item 5)."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("home", "heading", "lang"),
    [("/", "API for developers", "en-gb"), ("/cy/", "API i ddatblygwyr", "cy")],
    ids=["english", "welsh"],
)
def test_footer_api_link_leads_a_phone_to_an_accessible_developers_page(
    browser, live_server, home, heading, lang
):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(home)
    page.locator("footer").get_by_role("link", name="API", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert page.locator("html").get_attribute("lang").lower() == lang
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    explorer = page.locator('a[href="/api/v1/docs"]')
    expect(explorer).to_have_count(1)
    context.close()
