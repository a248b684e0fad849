"""The audit log and background task failures under Manage: readers filter and page the log
without the admin site, open an entry field by field and download it as CSV; staff read
task failures and an administrator clears one, which the log records."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from townhall.core.audit import record
from townhall.core.models import AuditEntry, TaskFailure
from townhall.core.selectors.audit import AuditFilters, audit_page, field_changes
from townhall.core.selectors.workspace import staff_tools_for, work_waiting_for

pytestmark = pytest.mark.django_db

AUDIT_LOG = reverse("core:audit_log")
DOWNLOAD = reverse("core:audit_log_download")
FAILURES = reverse("core:task_failures")


def _entry(actor, **fields) -> AuditEntry:
    defaults = {"operation": "update", "object_type": "core.page", "object_id": "1"}
    record(actor=actor, **{**defaults, **fields})
    return AuditEntry.objects.latest("id")


def _listed(page, labels) -> set[str]:
    return {label for label in labels if f">{label}<" in page.text}


@pytest.fixture
def reader(person):
    return person("chief_digital_officer", is_staff=True, email="cdo@northbridge.example")


@pytest.fixture
def three_entries(person, reader):
    ada = person("administrator", is_staff=True, email="ada@northbridge.example")
    bob = person("administrator", is_staff=True, email="bob@northbridge.example")
    _entry(ada, operation="create", object_id="11", object_label="Bins")
    _entry(bob, operation="delete", object_type="core.area", object_id="12", object_label="Ward")
    _entry(bob, operation="update", object_id="13", object_label="Parks")
    return reader


# Who may read -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "fields", "status"),
    [
        (("administrator",), {"is_staff": True}, 200),
        (("chief_digital_officer",), {"is_staff": True}, 200),
        ((), {"is_staff": True, "is_superuser": True}, 200),
        (("data_publisher",), {"is_staff": True}, 403),
        (("officer",), {"is_staff": True}, 403),
        (("consultation_lead",), {}, 403),
        (("resident",), {}, 403),
    ],
)
def test_audit_log_pages_are_only_for_administrators_and_the_chief_digital_officer(
    client, person, roles, fields, status
):
    entry = _entry(person("administrator", is_staff=True), object_label="Bins")
    client.force_login(person(*roles, **fields))

    assert client.get(AUDIT_LOG).status_code == status
    assert client.get(reverse("core:audit_log_entry", args=[entry.pk])).status_code == status
    assert client.get(DOWNLOAD).status_code == status


def test_audit_log_pages_ask_anonymous_visitors_to_sign_in(client):
    for url in (AUDIT_LOG, DOWNLOAD, reverse("core:audit_log_entry", args=[1]), FAILURES):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_audit_log_is_reached_from_the_workspace_and_not_the_admin(client, reader):
    client.force_login(reader)

    workspace = client.get(reverse("core:workspace")).text

    assert f'href="{AUDIT_LOG}"' in workspace
    assert "/admin/core/auditentry/" not in workspace


# Filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({}, {"Bins", "Ward", "Parks"}),
        ({"who": "bob@northbridge"}, {"Ward", "Parks"}),
        ({"who": "ADA"}, {"Bins"}),
        ({"type": "core.page"}, {"Bins", "Parks"}),
        ({"operation": "delete"}, {"Ward"}),
        ({"q": "13"}, {"Parks"}),
        ({"q": "bins"}, {"Bins"}),
        ({"who": "bob", "type": "core.page"}, {"Parks"}),
    ],
)
def test_audit_log_filters_by_who_type_operation_and_search(client, three_entries, query, shown):
    client.force_login(three_entries)

    page = client.get(AUDIT_LOG, query)

    assert page.status_code == 200
    assert _listed(page, {"Bins", "Ward", "Parks"}) == shown


def test_audit_log_offers_no_list_of_everyones_email_address(client, three_entries):
    client.force_login(three_entries)

    page = client.get(AUDIT_LOG).text

    assert 'name="who"' in page
    assert '<option value="ada@northbridge.example"' not in page
    assert '<option value="core.page"' in page


def test_audit_log_filters_by_days_in_uk_time_inclusive(client, three_entries):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    client.force_login(three_entries)

    def day(name, value):
        return {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}

    within = client.get(AUDIT_LOG, {**day("date_from", today), **day("date_to", today)})
    before = client.get(AUDIT_LOG, day("date_to", yesterday))
    after = client.get(AUDIT_LOG, day("date_from", today + datetime.timedelta(days=1)))

    assert _listed(within, {"Bins"}) == {"Bins"}
    assert _listed(before, {"Bins"}) == set()
    assert _listed(after, {"Bins"}) == set()


def test_audit_log_date_filter_counts_days_in_uk_summer_time(monkeypatch, person):
    """An entry made at 23:30 UTC on 1 July was made at 00:30 on 2 July in London."""
    monkeypatch.setattr(
        timezone, "now", lambda: datetime.datetime(2025, 7, 1, 23, 30, tzinfo=datetime.UTC)
    )
    _entry(person("administrator", is_staff=True), object_label="Late")
    monkeypatch.undo()

    second = audit_page(AuditFilters(date_from=datetime.date(2025, 7, 2)))
    first = audit_page(AuditFilters(date_to=datetime.date(2025, 7, 1)))

    assert _labels(second) == ["Late"]
    assert _labels(first) == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from_day": "31", "date_from_month": "2", "date_from_year": "2024"}, "real date"),
        ({"date_from_day": "1", "date_from_month": "1", "date_from_year": "0"}, "real date"),
        ({"date_to_day": "x", "date_to_month": "y", "date_to_year": "z"}, "real date"),
        ({"date_to_day": "1", "date_to_month": "13", "date_to_year": "2024"}, "real date"),
        (
            {
                "date_from_day": "2",
                "date_from_month": "3",
                "date_from_year": "2024",
                "date_to_day": "1",
                "date_to_month": "3",
                "date_to_year": "2024",
            },
            "must be the same as or after",
        ),
    ],
)
def test_audit_log_says_clearly_when_a_date_is_wrong_and_still_lists_entries(
    client, three_entries, query, message
):
    client.force_login(three_entries)

    page = client.get(AUDIT_LOG, query)

    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert message in page.text
    assert "<title>Error:" in page.text
    assert _listed(page, {"Parks"}) == {"Parks"}


def test_audit_log_to_date_at_the_end_of_time_is_no_upper_bound(client, three_entries):
    client.force_login(three_entries)

    page = client.get(
        AUDIT_LOG, {"date_to_day": "31", "date_to_month": "12", "date_to_year": "9999"}
    )

    assert page.status_code == 200
    assert _listed(page, {"Parks"}) == {"Parks"}


def test_audit_log_refuses_control_characters_and_overlong_searches(client, three_entries):
    client.force_login(three_entries)

    control = client.get(AUDIT_LOG, {"q": "Bins\x07"})
    long = client.get(AUDIT_LOG, {"who": "a" * 300})

    assert control.status_code == 200 and "control characters" in control.text
    assert long.status_code == 200 and "There is a problem" in long.text


# Keyset paging ------------------------------------------------------------------------------


@pytest.fixture
def many_entries(person, monkeypatch):
    """Seven entries; 2, 3 and 4 were made in the same moment, so a page that ends among
    them has to be continued by id."""
    actor = person("administrator", is_staff=True)
    shared = None
    for number in range(7):
        if number in (2, 3, 4):
            shared = shared or timezone.now()
            monkeypatch.setattr(timezone, "now", lambda moment=shared: moment)
        _entry(actor, object_id=str(number), object_label=f"Thing {number}")
        monkeypatch.undo()
    return actor


def _labels(page) -> list[str]:
    return [entry.object_label for entry in page.entries]


def test_audit_log_pages_by_keyset_newest_first_without_losing_or_repeating_entries(
    many_entries,
):
    first = audit_page(AuditFilters(), size=3)
    second = audit_page(AuditFilters(), older_than=first.older_than, size=3)
    third = audit_page(AuditFilters(), older_than=second.older_than, size=3)
    back = audit_page(AuditFilters(), newer_than=second.newer_than, size=3)

    assert _labels(first) == ["Thing 6", "Thing 5", "Thing 4"]
    assert first.newer_than is None
    assert _labels(second) == ["Thing 3", "Thing 2", "Thing 1"]
    assert _labels(third) == ["Thing 0"]
    assert third.older_than is None and third.newer_than is not None
    assert _labels(back) == _labels(first)
    assert back.newer_than is None


def test_audit_log_keyset_continues_within_entries_made_in_the_same_moment(many_entries):
    moments = {AuditEntry.objects.get(object_id=str(n)).created_at for n in (2, 3, 4)}
    first = audit_page(AuditFilters(), size=4)
    second = audit_page(AuditFilters(), older_than=first.older_than, size=4)

    assert len(moments) == 1
    assert _labels(first) == ["Thing 6", "Thing 5", "Thing 4", "Thing 3"]
    assert _labels(second) == ["Thing 2", "Thing 1", "Thing 0"]


def test_audit_log_page_links_keep_the_filters(client, many_entries, person):
    client.force_login(many_entries)
    other = person("administrator", is_staff=True, email="other@northbridge.example")
    for number in range(55):
        _entry(other, object_id=f"o{number}", object_label=f"Other {number}")

    first = client.get(AUDIT_LOG, {"who": "other@"})
    older = AuditEntry.objects.get(object_label="Other 5").pk

    assert f"who=other%40&amp;older={older}" in first.text
    assert "newer=" not in first.text
    second = client.get(AUDIT_LOG, {"who": "other@", "older": older})
    assert _listed(second, {f"Other {n}" for n in range(55)}) == {f"Other {n}" for n in range(5)}
    assert "newer=" in second.text and "older=" not in second.text.split("</table>")[1]


def test_audit_log_ignores_a_cursor_that_is_not_an_entry(client, three_entries):
    client.force_login(three_entries)

    for cursor in ("999999", "abc", "-1", "9" * 40):
        page = client.get(AUDIT_LOG, {"older": cursor})
        assert page.status_code == 200
        assert _listed(page, {"Bins", "Ward", "Parks"}) == {"Bins", "Ward", "Parks"}


# One entry --------------------------------------------------------------------------------


def test_audit_entry_page_shows_every_field_with_changed_fields_first_and_marked(
    client, reader, person
):
    entry = _entry(
        person("administrator", is_staff=True, email="ada@northbridge.example"),
        object_id="7",
        object_label="Cookies",
        before={"slug": "cookies", "title": "Cookies", "tags": ["a"]},
        after={"slug": "cookies", "title": "Our cookies", "tags": ["a", "b"]},
    )
    client.force_login(reader)

    page = client.get(reverse("core:audit_log_entry", args=[entry.pk])).text

    assert "ada@northbridge.example" in page
    assert "<del>Cookies</del>" in page and "<ins>Our cookies</ins>" in page
    assert "<ins>[&quot;a&quot;, &quot;b&quot;]</ins>" in page
    changed_first = page.index("<strong>tags</strong>") < page.index("<strong>title</strong>")
    assert changed_first and page.index("<strong>title</strong>") < page.index(">slug<")
    assert "2 fields changed" in page
    assert "<del>cookies</del>" not in page


def test_audit_entry_page_is_not_found_for_an_unknown_entry(client, reader):
    client.force_login(reader)

    assert client.get(reverse("core:audit_log_entry", args=[999999])).status_code == 404


def test_field_changes_lists_changed_fields_first_for_the_admin_and_the_pages():
    rows = field_changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4})

    assert rows == [("b", 2, 3, True), ("c", None, 4, True), ("a", 1, 1, False)]


# CSV ----------------------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_audit_log_downloads_the_filtered_entries_as_csv_in_welsh_friendly_utf8(
    client, three_entries, person
):
    _entry(three_entries, object_id="14", object_label="Ŵyl Ŷd")
    client.force_login(three_entries)

    response = client.get(DOWNLOAD, {"type": "core.page"})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:4] == ["id", "created_at", "actor_label", "operation"]
    assert [row[7] for row in rows[1:]] == ["Ŵyl Ŷd", "Parks", "Bins"]


def test_audit_log_download_defuses_what_a_spreadsheet_would_run(client, reader, person):
    evil = person("administrator", is_staff=True)
    _entry(evil, object_id="=1+1", object_label='=HYPERLINK("http://evil.example")')
    client.force_login(reader)

    rows = _csv_rows(client.get(DOWNLOAD))

    row = next(row for row in rows if "HYPERLINK" in row[7])
    assert row[7] == '\'=HYPERLINK("http://evil.example")'
    assert row[6] == "'=1+1"


def test_audit_log_download_is_itself_recorded(client, reader):
    client.force_login(reader)

    b"".join(client.get(DOWNLOAD, {"who": "bob"}).streaming_content)

    entry = AuditEntry.objects.get(action="core.export_audit_log")
    assert entry.actor == reader
    assert entry.after == {"filters": {"who": "bob"}}


def test_audit_log_download_with_a_wrong_date_goes_back_to_the_page_that_says_why(client, reader):
    client.force_login(reader)

    response = client.get(DOWNLOAD, {"date_from_day": "31", "date_from_month": "2"})

    assert response.status_code == 302
    assert response["Location"].startswith(AUDIT_LOG + "?")
    assert not AuditEntry.objects.filter(action="core.export_audit_log").exists()


# Welsh --------------------------------------------------------------------------------------


def test_audit_log_pages_are_served_in_welsh(client, three_entries):
    client.force_login(three_entries)
    entry_url = reverse(
        "core:audit_log_entry", args=[AuditEntry.objects.get(object_label="Parks").pk]
    )

    listing = client.get("/cy" + AUDIT_LOG)
    one = client.get("/cy" + entry_url)
    failures = client.get("/cy" + FAILURES)

    assert listing.status_code == one.status_code == failures.status_code == 200
    assert 'lang="cy"' in listing.text
    assert "Log archwilio" in listing.text
    assert "Hidlo" in listing.text
    assert "Methiannau tasgau cefndir" in failures.text


# Background task failures ---------------------------------------------------------------------


@pytest.fixture
def failure(db):
    return TaskFailure.objects.create(
        task_path="townhall.example.tasks.send_receipt",
        arguments={"args": ["resident@example.org"], "kwargs": {}},
        attempt=3,
        will_retry=False,
        error="SMTP refused",
        traceback="Traceback (most recent call last): ...",
    )


@pytest.mark.parametrize(
    ("role", "may_read", "may_clear"),
    [
        ("administrator", True, True),
        ("chief_digital_officer", True, False),
        ("data_publisher", True, False),
        ("moderator", True, False),
        ("resident", False, False),
    ],
)
def test_task_failures_are_read_by_staff_and_cleared_only_by_administrators(
    client, person, failure, role, may_read, may_clear
):
    client.force_login(person(role))
    listing = client.get(FAILURES)
    page = client.get(reverse("core:task_failure", args=[failure.pk]))
    confirm = client.get(reverse("core:task_failure_clear", args=[failure.pk]))
    clearing = client.post(reverse("core:task_failure_clear", args=[failure.pk]))

    assert listing.status_code == page.status_code == (200 if may_read else 403)
    assert confirm.status_code == (200 if may_clear else 403)
    assert clearing.status_code == (302 if may_clear else 403)
    assert TaskFailure.objects.filter(pk=failure.pk).exists() is not may_clear


def test_task_failure_arguments_are_shown_only_to_administrators(client, person, failure):
    client.force_login(person("chief_digital_officer", is_staff=True))
    officer_page = client.get(reverse("core:task_failure", args=[failure.pk])).text
    client.force_login(person("administrator", is_staff=True))
    admin_page = client.get(reverse("core:task_failure", args=[failure.pk])).text

    assert "SMTP refused" in officer_page and "resident@example.org" not in officer_page
    assert "resident@example.org" in admin_page
    assert "resident@example.org" not in client.get(FAILURES).text


def test_clearing_a_task_failure_is_audited_without_its_arguments(client, administrator, failure):
    client.force_login(administrator)

    response = client.post(reverse("core:task_failure_clear", args=[failure.pk]), follow=True)

    assert "The failure has been cleared" in response.text
    entry = AuditEntry.objects.get(object_type="core.taskfailure")
    assert entry.operation == "delete" and entry.actor == administrator
    assert entry.before["arguments"] == "[redacted]"
    assert entry.before["error"] == "SMTP refused"
    assert "resident@example.org" not in str(entry.before)


def test_clearing_a_failure_someone_else_cleared_says_so(client, administrator, failure):
    client.force_login(administrator)
    url = reverse("core:task_failure_clear", args=[failure.pk])
    client.post(url)

    again = client.post(url, follow=True)

    assert again.status_code == 200
    assert "already been cleared" in again.text
    assert AuditEntry.objects.filter(object_type="core.taskfailure").count() == 1


def test_clearing_a_failure_asks_to_confirm_before_deleting(client, administrator, failure):
    client.force_login(administrator)

    confirm = client.get(reverse("core:task_failure_clear", args=[failure.pk]))

    assert "Clear this failure?" in confirm.text and 'method="post"' in confirm.text
    assert TaskFailure.objects.filter(pk=failure.pk).exists()


def test_failed_tasks_given_up_wait_for_administrators_on_the_workspace(
    client, administrator, person, failure
):
    TaskFailure.objects.create(
        task_path="x.y", arguments={}, attempt=1, will_retry=True, error="Retrying"
    )
    items = work_waiting_for(administrator)
    labels = [item.label for item in items]

    assert "1 background task failed and was given up" in labels
    assert not [
        item for item in work_waiting_for(person("moderator")) if "background" in item.label
    ]
    administrator_tools = {
        tool.label for group in staff_tools_for(administrator) for tool in group.tools
    }
    moderator_tools = {
        tool.label for group in staff_tools_for(person("moderator")) for tool in group.tools
    }
    assert "Background task failures" in administrator_tools
    assert "Background task failures" not in moderator_tools
