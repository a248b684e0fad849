"""Browser journey: a consultation lead on a phone adds a pre-election period from the consultations list, is told about an overlap, and sees on
the list what the period holds back; every page passes axe and fits 390 px."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.test_participation_journey import _signed_in_context
from tests.participation.factories import ConsultationFactory, LeadFactory
from townhall.participation.models import PreElectionPeriod

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _fill_date(page, legend: str, day) -> None:
    group = page.locator("fieldset", has_text=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_lead_adds_a_pre_election_period_on_a_phone(browser, live_server):
    today = timezone.localdate()
    PreElectionPeriod.objects.create(
        name="Parish elections",
        starts_on=today + timedelta(days=100),
        ends_on=today + timedelta(days=110),
    )
    opens = timezone.make_aware(datetime.combine(today + timedelta(days=35), time(9)))
    ConsultationFactory(
        approved=True, title="Library hours", opens_at=opens, closes_at=opens + timedelta(days=7)
    )
    context = _signed_in_context(
        browser,
        live_server,
        LeadFactory(),
        viewport={"width": 390, "height": 844},
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/consultations/manage/")
    page.get_by_role("link", name="Pre-election periods").click()
    page.get_by_role("link", name="Add a pre-election period").click()
    page.get_by_label("Name").fill("Borough elections")
    _fill_date(page, "Start date", today + timedelta(days=30))
    _fill_date(page, "End date", today + timedelta(days=105))
    page.get_by_role("button", name="Add period").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("overlap “Parish elections”")
    assert_accessible(page)
    _fits_the_phone(page)

    _fill_date(page, "End date", today + timedelta(days=70))
    page.get_by_role("button", name="Add period").click()
    expect(page.locator("main")).to_contain_text("“Borough elections” is added.")
    expect(page.locator("main")).to_contain_text("1 approved consultation would run")
    expect(page.locator("main")).to_contain_text("Library hours")
    assert_accessible(page)
    _fits_the_phone(page)

    page.get_by_role("link", name="Delete Borough elections").click()
    expect(page.locator("main")).to_contain_text("Once it is deleted, 1 approved consultation")
    assert_accessible(page)
    _fits_the_phone(page)
    context.close()
