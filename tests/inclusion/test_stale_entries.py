"""Entries not confirmed for INCLUSION_STALE_AFTER_MONTHS are stale: flagged on the
officer's and the partner's pages, and the worker reminds each organisation's partners by
email, once for each date an entry was last confirmed, however often it runs."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from townhall.core.registry import registry
from townhall.inclusion.models import Service, StaleReminder
from townhall.inclusion.services import partners

from .factories import DirectoryOfficerFactory, OrganizationFactory, PartnerFactory, ServiceFactory

pytestmark = pytest.mark.django_db

LONG_AGO = date(2020, 1, 1)


@pytest.fixture
def library():
    return OrganizationFactory(name_en_gb="Northbridge Libraries")


@pytest.fixture
def partner(library):
    return PartnerFactory(library, email="library@example.org")


def test_the_officer_filters_the_directory_to_stale_entries(client, library):
    ServiceFactory(organization=library, name_en_gb="Old Wi-Fi", last_confirmed=LONG_AGO)
    ServiceFactory(organization=library, name_en_gb="Never checked", last_confirmed=None)
    ServiceFactory(name_en_gb="Fresh help", last_confirmed=timezone.localdate())
    client.force_login(DirectoryOfficerFactory())

    everything = client.get("/digital-help/manage/").content.decode()
    stale = client.get("/digital-help/manage/?stale=on").content.decode()

    assert "Fresh help" in everything and "Stale" in everything
    assert "Old Wi-Fi" in stale and "Never checked" in stale
    assert "Fresh help" not in stale


def test_the_partner_sees_which_of_its_entries_need_confirming(client, partner, library):
    old = ServiceFactory(organization=library, last_confirmed=LONG_AGO)
    client.force_login(partner)

    page = client.get(f"/digital-help/your-entries/{old.pk}/").content.decode()

    assert "This entry was last confirmed on 1 January 2020" in page


def test_the_stale_after_months_setting_decides_what_is_stale(client, settings, library):
    settings.INCLUSION_STALE_AFTER_MONTHS = 1
    ServiceFactory(
        name_en_gb="Checked last week", last_confirmed=timezone.localdate() - timedelta(days=40)
    )
    client.force_login(DirectoryOfficerFactory())

    assert "Checked last week" in client.get("/digital-help/manage/?stale=on").content.decode()


def test_partners_are_reminded_once_of_their_stale_entries(partner, library, mailoutbox):
    ServiceFactory(organization=library, name_en_gb="Old Wi-Fi", last_confirmed=LONG_AGO)
    ServiceFactory(organization=library, name_en_gb="Never checked", last_confirmed=None)
    ServiceFactory(organization=library, name_en_gb="Fresh", last_confirmed=timezone.localdate())
    ServiceFactory(
        organization=library, last_confirmed=LONG_AGO, state=Service.State.DRAFT
    )  # not published: nobody reads it

    assert partners.stale_reminders_send() == 1
    assert partners.stale_reminders_send() == 0

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["library@example.org"]
    assert "Old Wi-Fi" in message.body and "Never checked" in message.body
    assert "Fresh" not in message.body
    assert "/digital-help/your-entries/" in message.body
    assert StaleReminder.objects.count() == 2


def test_an_entry_confirmed_and_stale_again_is_reminded_again(partner, library, mailoutbox):
    service = ServiceFactory(organization=library, last_confirmed=LONG_AGO)
    partners.stale_reminders_send()
    Service.objects.filter(pk=service.pk).update(last_confirmed=date(2021, 1, 1))

    partners.stale_reminders_send()

    assert len(mailoutbox) == 2


def test_a_reminder_already_recorded_by_another_run_is_not_sent_again(
    partner, library, mailoutbox, monkeypatch
):
    """Two workers at once: both read the entry as due; the second cannot record it."""
    service = ServiceFactory(organization=library, last_confirmed=LONG_AGO)
    due = partners.selectors.stale_reminders_due(timezone.localdate())
    StaleReminder.objects.create(service=service, period=LONG_AGO.isoformat())
    monkeypatch.setattr(partners.selectors, "stale_reminders_due", lambda day: due)

    assert partners.stale_reminders_send() == 0
    assert mailoutbox == []


def test_organisations_without_partners_are_not_reminded(library, mailoutbox):
    ServiceFactory(organization=library, last_confirmed=LONG_AGO)

    assert partners.stale_reminders_send() == 0
    assert not StaleReminder.objects.exists()


def test_the_worker_sends_reminders_as_housekeeping(partner, library, mailoutbox):
    ServiceFactory(organization=library, last_confirmed=LONG_AGO)

    for job in registry.get("inclusion").housekeeping:
        job()

    assert len(mailoutbox) == 1
