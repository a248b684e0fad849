"""Reads of the audit log: filtered, paged by keyset, one entry field by field, and as CSV.

The log grows without end (millions of rows), so nothing here counts it or pages it with
OFFSET: a page is the entries just older (or just newer) than one entry, found through the
(created_at, id) indexes of migration 0009, and "is there another page" is an EXISTS.
"""

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import batched
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import AuditEntry
from ..spreadsheets import defuse_formula

PAGE_SIZE = 50
OBJECT_TYPES_CACHE_KEY = "townhall:audit:object-types"
OBJECT_TYPES_CACHE_SECONDS = 300
CSV_ROWS_PER_CHUNK = 500
CSV_COLUMNS = (
    "id",
    "created_at",
    "actor_label",
    "operation",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "ip_address",
    "before",
    "after",
)


@dataclass(frozen=True, kw_only=True)
class AuditFilters:
    """What the log is narrowed to; empty strings and None mean "any".

    `who` is searched within the recorded actor label (an email address or "system"),
    `search` within the object's id and label; `date_from` and `date_to` are days in UK
    time, both inclusive.
    """

    who: str = ""
    object_type: str = ""
    operation: str = ""
    date_from: date | None = None
    date_to: date | None = None
    search: str = ""


@dataclass(frozen=True)
class AuditPage:
    """One page of entries, newest first, and the entries to page from (None at an end)."""

    entries: list[AuditEntry]
    newer_than: int | None
    older_than: int | None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, timezone.get_default_timezone())


def audit_entries(filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Every entry that `filters` allow, newest first (by created_at, then id)."""
    entries = AuditEntry.objects.order_by("-created_at", "-id")
    if filters.who:
        entries = entries.filter(actor_label__icontains=filters.who)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.operation:
        entries = entries.filter(operation=filters.operation)
    if filters.date_from:
        entries = entries.filter(created_at__gte=_start_of(filters.date_from))
    if filters.date_to and filters.date_to < date.max:
        entries = entries.filter(created_at__lt=_start_of(filters.date_to + timedelta(days=1)))
    if filters.search:
        entries = entries.filter(
            Q(object_id__icontains=filters.search) | Q(object_label__icontains=filters.search)
        )
    return entries


def _older(entry: AuditEntry) -> Q:
    return Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, id__lt=entry.pk)


def _newer(entry: AuditEntry) -> Q:
    return Q(created_at__gt=entry.created_at) | Q(created_at=entry.created_at, id__gt=entry.pk)


def audit_page(
    filters: AuditFilters,
    *,
    older_than: int | None = None,
    newer_than: int | None = None,
    size: int = PAGE_SIZE,
) -> AuditPage:
    """The `size` entries just older than entry `older_than` (or just newer than entry
    `newer_than`; the newest when neither is given or the entry named does not exist),
    newest first, with the ids to ask for the next page older and newer.
    """
    entries = audit_entries(filters)
    cursor_id = older_than or newer_than
    cursor = AuditEntry.objects.filter(pk=cursor_id).first() if cursor_id else None
    if cursor is not None and newer_than:
        rows = list(entries.filter(_newer(cursor)).order_by("created_at", "id")[:size])
        rows.reverse()
    elif cursor is not None:
        rows = list(entries.filter(_older(cursor))[:size])
    else:
        rows = list(entries[:size])
    if not rows:
        return AuditPage([], None, None)
    has_newer = entries.filter(_newer(rows[0])).exists()
    has_older = entries.filter(_older(rows[-1])).exists()
    return AuditPage(rows, rows[0].pk if has_newer else None, rows[-1].pk if has_older else None)


def audit_entry(entry_id: int) -> AuditEntry | None:
    return AuditEntry.objects.filter(pk=entry_id).first()


def object_types() -> list[tuple[str, str]]:
    """(value, label) for each type of thing in the log, labelled by its model's name.

    Finding them scans the object_type index, so the list is cached for five minutes.
    """
    values = cache.get(OBJECT_TYPES_CACHE_KEY)
    if values is None:
        values = list(
            AuditEntry.objects.order_by("object_type")
            .values_list("object_type", flat=True)
            .distinct()
        )
        cache.set(OBJECT_TYPES_CACHE_KEY, values, OBJECT_TYPES_CACHE_SECONDS)
    return [(value, object_type_label(value)) for value in values]


def object_type_label(object_type: str) -> str:
    """ "Page (core.page)" for a model's label, or the recorded type itself."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return f"{str(model._meta.verbose_name).capitalize()} ({object_type})"


def field_changes(before: dict | None, after: dict | None) -> list[tuple[str, Any, Any, bool]]:
    """(field, before, after, changed) for every field in either snapshot, changed first."""
    before, after = before or {}, after or {}
    names = sorted(set(before) | set(after))
    rows = [
        (name, before.get(name), after.get(name), before.get(name) != after.get(name))
        for name in names
    ]
    return sorted(rows, key=lambda row: not row[3])


def shown_value(value: Any) -> str:
    """A snapshot's value as a person reads it: "—" for nothing, JSON for lists and objects."""
    if value in (None, ""):
        return "—"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return defuse_formula(str(value))


def audit_csv(filters: AuditFilters) -> Iterator[bytes]:
    """The entries `filters` allow as CSV bytes, made as they are sent (UTF-8 with a byte
    order mark, so Excel reads ŵ and ŷ); text a spreadsheet would run as a formula is
    defused. Times are ISO 8601 in UK time."""
    zone = timezone.get_default_timezone()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield codecs.BOM_UTF8
    writer.writerow(CSV_COLUMNS)
    entries = audit_entries(filters).iterator(chunk_size=CSV_ROWS_PER_CHUNK)
    for chunk in batched(entries, CSV_ROWS_PER_CHUNK):
        writer.writerows(
            [
                entry.pk,
                entry.created_at.astimezone(zone).isoformat(),
                *(_csv_cell(getattr(entry, name)) for name in CSV_COLUMNS[2:]),
            ]
            for entry in chunk
        )
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")
