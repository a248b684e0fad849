"""In a real browser, on a phone-sized screen: an administrator filters
the audit log from Manage, opens an entry, then clears a failed background task; each page
passes axe-core and none is wider than the screen."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from townhall.core.audit import record
from townhall.core.models import AuditEntry, TaskFailure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def test_administrator_reads_the_audit_log_and_clears_a_failure_on_a_phone(
    browser, live_server, person
):
    administrator = person("administrator", is_staff=True, email="ada@northbridge.example")
    record(
        actor=administrator,
        operation="update",
        object_type="core.page",
        object_id="7",
        object_label="Cookies",
        before={"title": "Cookies"},
        after={"title": "Our cookies"},
    )
    record(actor=administrator, operation="create", object_type="core.area", object_label="Ward")
    TaskFailure.objects.create(
        task_path="townhall.core.tasks.send_digest",
        arguments={"args": [1], "kwargs": {}},
        attempt=3,
        will_retry=False,
        error="SMTP refused",
    )
    client = Client()
    client.force_login(administrator)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto("/manage/")
    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("Type of thing").select_option("core.page")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("tbody")).to_contain_text("Cookies")
    expect(page.locator("tbody")).not_to_contain_text("Ward")
    assert_accessible(page)
    _fits_the_screen(page)

    page.locator("tbody a").first.click()
    expect(page.locator("ins")).to_have_text("Our cookies")
    assert_accessible(page)
    _fits_the_screen(page)

    page.goto("/manage/")
    page.get_by_role("link", name="1 background task failed and was given up").click()
    expect(page.locator("tbody")).to_contain_text("SMTP refused")
    assert_accessible(page)
    _fits_the_screen(page)
    page.locator("tbody a").first.click()
    page.get_by_role("button", name="Clear this failure").click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, clear it").click()
    expect(page.locator("main")).to_contain_text("The failure has been cleared.")
    context.close()

    assert not TaskFailure.objects.exists()
    assert AuditEntry.objects.filter(action="core.clear_task_failure").exists()
