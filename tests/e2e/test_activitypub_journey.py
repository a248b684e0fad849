"""In a real browser at phone width: an administrator names the council's fediverse
account and publishes an update, which appears in the ActivityPub outbox and on the log
channel; the fediverse account's page passes axe-core and fits the screen."""

import logging

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from townhall.news.models import SocialAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_a_new_update_appears_in_the_activitypub_outbox_and_on_the_log_channel(
    browser, live_server, caplog, person
):
    SocialAccount.objects.create(kind="log", name="Demo log")
    client = Client()
    client.force_login(person("administrator", is_staff=True))
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto("/news/manage/fediverse/")
    page.get_by_label("Handle").fill("northbridge")
    page.get_by_role("button", name="Save handle").click()
    expect(page.locator("main")).to_contain_text("@northbridge@localhost:8000")
    assert_accessible(page)
    _fits_the_screen(page)

    page.goto("/news/manage/new/")
    page.locator("#id_title").fill("Library opens late on Thursdays")
    page.locator("#id_summary").fill("Open until 8pm from next week.")
    page.locator("#id_body").fill("All branches.")
    with caplog.at_level(logging.INFO, logger="townhall.news.channels"):
        page.get_by_role("button", name="Save draft").click()
        page.get_by_role("button", name="Publish").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("published")
    assert "Library opens late on Thursdays" in caplog.text

    outbox = page.request.get(
        "/news/activitypub/outbox?page=1", headers={"Accept": "application/activity+json"}
    ).json()
    [create] = outbox["orderedItems"]
    assert create["type"] == "Create"
    assert "Library opens late on Thursdays" in create["object"]["content"]
    note = page.request.get(
        create["object"]["id"].replace("http://localhost:8000", live_server.url),
        headers={"Accept": "application/activity+json"},
    ).json()
    assert note["id"] == create["object"]["id"]
    context.close()
