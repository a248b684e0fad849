"""The audit log records what staff changed without keeping personal data it need not."""

import pytest
from django.contrib.auth.models import Group

from townhall.core.audit import REDACTED, REDACTED_CHANGED, acting_as
from townhall.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_audit_notes_that_a_persons_email_changed_without_recording_it(administrator, resident):
    old_email = resident.email
    with acting_as(administrator):
        resident.email = "new.address@example.org"
        resident.save()
    entry = AuditEntry.objects.get(object_type="core.user", operation="update")
    assert entry.before["email"] == REDACTED
    assert entry.after["email"] == REDACTED_CHANGED
    assert old_email not in str(entry.before) + str(entry.after) + entry.object_label
    assert "new.address" not in str(entry.after)


def test_audit_labels_a_person_by_id_not_by_name(administrator, person):
    resident = person("resident", display_name="Megan Jones")
    with acting_as(administrator):
        resident.is_active = False
        resident.save()
    entry = AuditEntry.objects.get(object_type="core.user")
    assert "Megan" not in entry.object_label
    assert entry.object_label == f"person {resident.pk}"
    assert entry.after["is_active"] is False


def test_audit_records_staff_giving_and_taking_away_a_role(administrator, resident):
    moderator = Group.objects.get(name="moderator")
    with acting_as(administrator):
        resident.groups.add(moderator)
        resident.groups.remove(moderator)
    given, taken = AuditEntry.objects.filter(object_type="core.user").order_by("id")
    assert (given.action, given.after) == ("groups.add", {"groups": ["moderator"]})
    assert (taken.action, taken.before) == ("groups.remove", {"groups": ["moderator"]})


def test_audit_records_clearing_every_role(administrator, person):
    officer = person("officer", "moderator")
    with acting_as(administrator):
        officer.groups.clear()
    entry = AuditEntry.objects.get(object_type="core.user")
    assert entry.before == {"groups": ["moderator", "officer"]}


def test_a_residents_own_role_changes_are_not_staff_changes(resident):
    with acting_as(resident):
        resident.groups.add(Group.objects.get(name="councillor"))
    assert not AuditEntry.objects.exists()
