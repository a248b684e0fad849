"""In a real browser at phone width: an editor publishes an update, and it appears in the
council's ActivityPub outbox and on the log channel."""

import logging

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.news.factories import EditorFactory
from townhall.news.models import SocialAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_new_update_appears_in_the_activitypub_outbox_and_on_the_log_channel(
    browser, live_server, caplog
):
    SocialAccount.objects.create(kind="log", name="Demo log")
    client = Client()
    client.force_login(EditorFactory())
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)

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
