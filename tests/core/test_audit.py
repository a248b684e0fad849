"""The audit log: what is recorded, that it cannot be rewritten, and who may read it."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from townhall.core.audit import REDACTED, REDACTED_CHANGED, acting_as, record
from townhall.core.models import AuditEntry, Page, User
from townhall.core.permissions import can

pytestmark = pytest.mark.django_db


def _page_form(page: Page, **changes) -> dict:
    fields = ("slug", "title_en_gb", "title_cy", "body_en_gb", "body_cy", "footer_order")
    form = {name: getattr(page, name) for name in fields}
    form["show_in_footer"] = "on" if page.show_in_footer else ""
    return {**form, **changes}


def test_audit_records_a_staff_change_through_a_staff_page_with_who_when_before_and_after(
    client, administrator
):
    page = Page.objects.get(slug="cookies")
    client.force_login(administrator)
    started = timezone.now()
    response = client.post(
        f"/manage/pages/{page.pk}/", _page_form(page, title_en_gb="Cookies on this site")
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="core.page", operation="update")
    assert entry.actor_id == administrator.pk
    assert entry.actor_label == administrator.email
    assert entry.created_at >= started
    assert entry.object_id == str(page.pk)
    assert entry.before["title_en_gb"] == "Cookies"
    assert entry.after["title_en_gb"] == "Cookies on this site"


def test_audit_does_not_record_a_residents_own_change(resident):
    with acting_as(resident):
        resident.display_name = "A new name"
        resident.save()
    assert not AuditEntry.objects.exists()


def test_audit_records_a_delete_by_staff_with_what_was_deleted(administrator):
    page = Page.objects.get(slug="contact")
    with acting_as(administrator):
        page.delete()
    entry = AuditEntry.objects.get(operation="delete")
    assert entry.before["slug"] == "contact"
    assert entry.after is None


def test_audit_redacts_secrets_in_before_and_after(administrator, resident):
    with acting_as(administrator):
        resident.display_name = "Renamed by staff"
        resident.set_password("a brand new secret phrase")
        resident.save()
    entry = AuditEntry.objects.get(object_type="core.user")
    assert entry.before["password"] == REDACTED
    assert entry.after["password"] == REDACTED_CHANGED
    assert "brand new" not in str(entry.after)
    assert resident.password not in str(entry.after)


def test_audit_records_a_password_change_by_staff_even_when_nothing_else_changed(
    administrator, resident
):
    with acting_as(administrator):
        resident.set_password("another brand new secret phrase")
        resident.save()
    entry = AuditEntry.objects.get(object_type="core.user")
    assert entry.after["password"] == REDACTED_CHANGED


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditentry SET actor_label = 'someone else'",
        "DELETE FROM core_auditentry",
    ],
)
def test_audit_entries_cannot_be_rewritten_even_by_raw_sql(administrator, statement):
    record(actor=administrator, operation="action", object_type="test", object_id="1")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEntry.objects.get().actor_label == administrator.email


def test_audit_entries_cannot_be_changed_or_deleted_through_the_orm(administrator):
    record(actor=administrator, operation="action", object_type="test", object_id="1")
    entry = AuditEntry.objects.get()
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


@pytest.mark.parametrize(
    ("roles", "fields", "may_read"),
    [
        (("administrator",), {"is_staff": True}, True),
        (("chief_digital_officer",), {"is_staff": True}, True),
        ((), {"is_staff": True, "is_superuser": True}, True),
        (("officer",), {"is_staff": True}, False),
        (("data_publisher",), {"is_staff": True}, False),
        (("councillor",), {}, False),
        (("resident",), {}, False),
        (("administrator",), {"is_staff": True, "is_active": False}, False),
    ],
)
def test_audit_log_may_be_read_only_by_administrators_and_the_chief_digital_officer(
    client, person, roles, fields, may_read
):
    reader = person(*roles, **fields)
    client.force_login(reader)
    assert can(reader, "core.view_audit_log") is may_read
    assert (client.get(reverse("core:audit_log")).status_code == 200) is may_read


def test_audit_log_offers_no_add_change_or_delete_in_the_admin_even_to_a_superuser(
    client, person, administrator
):
    record(actor=administrator, operation="action", object_type="test", object_id="1")
    entry = AuditEntry.objects.get(object_type="test")
    client.force_login(person(is_staff=True, is_superuser=True))
    assert client.get("/admin/core/auditentry/add/").status_code == 403
    assert client.get(f"/admin/core/auditentry/{entry.pk}/delete/").status_code == 403
    response = client.post(f"/admin/core/auditentry/{entry.pk}/change/", {"actor_label": "x"})
    assert response.status_code == 403
    assert AuditEntry.objects.get(object_type="test").actor_label == administrator.email


def test_audit_entry_in_the_admin_shows_before_and_after_field_by_field(
    client, person, administrator
):
    record(
        actor=administrator,
        operation="update",
        object_type="core.page",
        object_id="7",
        object_label="Cookies",
        before={"title": "Cookies", "slug": "cookies"},
        after={"title": "Our cookies", "slug": "cookies"},
    )
    client.force_login(person(is_staff=True, is_superuser=True))
    entry = AuditEntry.objects.get(object_type="core.page")
    response = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert "<del>Cookies</del>" in response.text
    assert "<ins>Our cookies</ins>" in response.text
    assert "<strong>slug</strong>" not in response.text


def test_audit_ignores_changes_with_no_staff_actor(db):
    User.objects.create_user("loader@example.org")
    assert not AuditEntry.objects.exists()
