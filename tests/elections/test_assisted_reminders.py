"""Assisted digital for election reminders (ADR 0107): a helper signs a resident up for
reminders at the resident's address, by the resident's email, with the channel recorded;
the resident confirms from their own inbox, and the helper's account follows nothing."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.elections.factories import BallotFactory, ElectionFactory
from townhall.core.models import AssistedSubmission, AuditEntry, Subscription
from townhall.core.roles import ASSISTED_DIGITAL_HELPER

pytestmark = pytest.mark.django_db

FOLLOW = reverse("core:follow", args=["election_reminders", "2027-05-06:NB11AA"])


@pytest.fixture
def election(riverside):
    election = ElectionFactory(name="Northbridge local elections 2027")
    BallotFactory(election=election, ward_code=riverside.code, ward_name="Riverside")
    return election


def test_a_helper_signs_a_resident_up_for_reminders_with_the_channel_recorded(
    client, person, stations, election, django_capture_on_commit_callbacks
):
    helper = person(ASSISTED_DIGITAL_HELPER)
    client.force_login(helper)
    assert f'href="{FOLLOW}?assisted=1"' in client.get(FOLLOW).text

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"{FOLLOW}?assisted=1", {"channel": "phone", "email": "bob@example.org"}
        )

    assert "Check your email" in answer.text
    subscription = Subscription.objects.get(kind="election_reminders")
    assert (subscription.email, subscription.person) == ("bob@example.org", None)
    [confirmation] = mail.outbox
    assert confirmation.to == ["bob@example.org"]
    record = AssistedSubmission.objects.get()
    assert (record.form, record.channel) == ("elections.reminders", "phone")
    assert AuditEntry.objects.get(action="core.assisted_submission").actor == helper
    assert not Subscription.objects.filter(person=helper).exists()


def test_an_elections_officer_without_the_helper_role_cannot_use_assisted_mode(
    client, elections_officer, stations, election
):
    client.force_login(elections_officer)

    refused = client.post(f"{FOLLOW}?assisted=1", {"channel": "phone", "email": "bob@example.org"})

    assert refused.status_code == 403
    assert not Subscription.objects.exists()
