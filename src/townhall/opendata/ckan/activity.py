"""CKAN's activity streams (ckanext-activity), built from what Townhall already keeps.

CKAN writes an activity row for each change; Townhall has the audit log (every staff
change, core.audit) and each resource's versions (every upload). An activity here is read
from those, as CKAN 2.10 shapes it: {id, timestamp, user_id, object_id, activity_type,
data: {package: {...}}}, newest first, `limit` (default 31, at most 100) and `offset`.

What public readers see, and only that:
- only datasets published now; a draft's or an archived dataset's stream is not found, and
  the streams of organisations and the site leave them out;
- "new package" when a dataset was first published (from the publish entry in the audit
  log, or, for a dataset published without one such as the demo's, at its `published_at`);
- "changed package" for each later change of its description, keywords or themes, its
  resources, and each upload of a new version of its data, after it was first published;
- "deleted package" when a published dataset was deleted (its earlier activities go with
  it, as the dataset they describe is no longer there to check against).
The package in `data` is the dataset as it is published now (a deleted one's as it was),
with no contact details. `user_id` is an opaque, stable identifier of the member of staff
(a keyed hash), never their name or email address.
"""

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.db.models import F, Q
from django.utils.crypto import salted_hmac

from townhall.core.selectors.audit import AuditFilters, audit_entries

from .. import selectors
from ..ids import as_uuid
from ..models import Dataset, ResourceVersion
from . import params, shapes
from .errors import NotFound, ValidationError

LIMIT_DEFAULT, LIMIT_MAX = 31, 100
NEW, CHANGED, DELETED = "new package", "changed package", "deleted package"
ACTIVITY_TYPES = (NEW, CHANGED, DELETED)
#: The publish entry written within this time of `published_at` is the first publication.
FIRST_PUBLICATION_WINDOW = timedelta(minutes=1)
_IDS = uuid.UUID("5a2d0f3e-6c1b-4d8e-9f4a-7b3c2e1d0a95")  # namespace of activity ids
_DATASET, _RESOURCE = "opendata.dataset", "opendata.resource"


@dataclass(frozen=True)
class Activity:
    key: str
    timestamp: datetime
    actor_id: Any
    dataset_id: str
    activity_type: str
    package: dict


def opaque_user_id(actor_id: Any) -> str:
    """A member of staff as an opaque, stable UUID (a keyed hash of their id), so a reader
    can tell one person's changes from another's without learning who they are."""
    digest = salted_hmac(
        "townhall.opendata.ckan.activity", f"user:{actor_id}", algorithm="sha256"
    ).digest()
    return str(uuid.UUID(bytes=digest[:16]))


def _package(dataset: Dataset) -> dict:
    return {
        "id": str(dataset.pk),
        "name": dataset.slug,
        "title": shapes.english(dataset, "title"),
        "type": "dataset",
        "state": "active",
        "private": False,
        "owner_org": str(dataset.publisher_id),
    }


def _deleted_package(before: dict, object_id: str) -> dict:
    return {
        "id": object_id,
        "name": before.get("slug", ""),
        "title": before.get("title_en_gb") or before.get("title", ""),
        "type": "dataset",
        "state": "deleted",
        "private": False,
        "owner_org": str(before.get("publisher_id", "")),
    }


def as_dict(activity: Activity) -> dict:
    return {
        "id": str(uuid.uuid5(_IDS, activity.key)),
        "timestamp": shapes.ckan_time(activity.timestamp),
        "user_id": opaque_user_id(activity.actor_id),
        "object_id": activity.dataset_id,
        "activity_type": activity.activity_type,
        "data": {"package": activity.package},
    }


def _each(rows, batch: int = 200) -> Iterator[Any]:
    """An ordered queryset's rows, read a batch at a time as they are wanted (plain
    queries, so a stream left unfinished holds no server-side cursor open)."""
    start = 0
    while chunk := list(rows[start : start + batch]):
        yield from chunk
        start += batch


def _dataset_entries(public: dict[str, Dataset], deleted: Q | None) -> Iterator[Activity]:
    """Activities from the audit log's entries on the datasets themselves."""
    wanted = Q(object_id__in=list(public))
    if deleted is not None:
        wanted |= Q(operation="delete") & deleted
    entries = audit_entries(AuditFilters()).filter(object_type=_DATASET).filter(wanted)
    for entry in _each(entries):
        before = entry.before or {}
        dataset = public.get(entry.object_id)
        key = f"audit:{entry.pk}"
        if entry.operation == "delete":
            if before.get("status") == Dataset.Status.PUBLISHED:
                package = _deleted_package(before, entry.object_id)
                yield Activity(
                    key, entry.created_at, entry.actor_id, entry.object_id, DELETED, package
                )
            continue
        if dataset is None or dataset.published_at is None:
            continue
        if entry.action == "opendata.publish":
            first = entry.created_at - dataset.published_at < FIRST_PUBLICATION_WINDOW
            kind = NEW if first else CHANGED
            yield Activity(
                key, entry.created_at, entry.actor_id, entry.object_id, kind, _package(dataset)
            )
        elif (
            entry.operation == "update"
            and entry.created_at > dataset.published_at
            and before.get("status", Dataset.Status.PUBLISHED) == Dataset.Status.PUBLISHED
        ):
            yield Activity(
                key, entry.created_at, entry.actor_id, entry.object_id, CHANGED, _package(dataset)
            )


def _resource_entries(public: dict[str, Dataset]) -> Iterator[Activity]:
    """Activities from the audit log's entries on the datasets' resources."""
    ids = list(public)
    entries = (
        audit_entries(AuditFilters())
        .filter(object_type=_RESOURCE)
        .filter(Q(after__dataset_id__in=ids) | Q(before__dataset_id__in=ids))
    )
    for entry in _each(entries):
        snapshot = entry.after or entry.before or {}
        dataset = public.get(str(snapshot.get("dataset_id")))
        if dataset is None or dataset.published_at is None:
            continue
        if entry.created_at > dataset.published_at:
            yield Activity(
                f"audit:{entry.pk}",
                entry.created_at,
                entry.actor_id,
                str(dataset.pk),
                CHANGED,
                _package(dataset),
            )


def _uploads(public: dict[str, Dataset]) -> Iterator[Activity]:
    """Activities from each version of a resource's data uploaded after publication."""
    versions = (
        ResourceVersion.objects.filter(
            resource__dataset__in=[dataset.pk for dataset in public.values()],
            created_at__gt=F("resource__dataset__published_at"),
        )
        .select_related("resource")
        .order_by("-created_at", "-pk")
    )
    for version in _each(versions):
        dataset = public[str(version.resource.dataset_id)]
        yield Activity(
            f"version:{version.pk}",
            version.created_at,
            version.uploaded_by_id,
            str(dataset.pk),
            CHANGED,
            _package(dataset),
        )


def _publications_without_entry(public: dict[str, Dataset]) -> Iterator[Activity]:
    """ "new package" at `published_at` for datasets whose publication the log does not hold
    (published by the demo loader or before the audit log was kept)."""
    recorded = set(
        audit_entries(AuditFilters())
        .filter(object_type=_DATASET, action="opendata.publish", object_id__in=list(public))
        .values_list("object_id", flat=True)
    )
    unrecorded = [
        dataset
        for key, dataset in public.items()
        if key not in recorded and dataset.published_at is not None
    ]
    for dataset in sorted(unrecorded, key=lambda d: d.published_at, reverse=True):
        yield Activity(
            f"published:{dataset.pk}",
            dataset.published_at,
            dataset.created_by_id,
            str(dataset.pk),
            NEW,
            _package(dataset),
        )


def activity_list(
    public: Iterable[Dataset],
    *,
    limit: int,
    offset: int,
    deleted: Q | None = None,
    keep: Callable[[str], bool] = lambda kind: True,
) -> list[dict]:
    """One page of the datasets' activities, newest first. `deleted` selects the delete
    entries of datasets no longer there to include too (Q() for all, None for none).

    Each source is read newest first and lazily, so a page costs offset + limit of each."""
    datasets = {str(dataset.pk): dataset for dataset in public}
    wanted = offset + limit
    found: list[Activity] = []
    for source in (
        _dataset_entries(datasets, deleted),
        _resource_entries(datasets),
        _uploads(datasets),
        _publications_without_entry(datasets),
    ):
        found.extend(islice((a for a in source if keep(a.activity_type)), wanted))
    found.sort(key=lambda activity: (activity.timestamp, activity.key), reverse=True)
    return [as_dict(activity) for activity in found[offset:wanted]]


def _paging(data: dict) -> tuple[int, int]:
    limit = params.integer(data, "limit", LIMIT_DEFAULT, maximum=LIMIT_MAX)
    offset = params.integer(data, "offset", 0)
    return limit, offset


def _types_filter(data: dict) -> Callable[[str], bool]:
    included = params.text_list(data, "activity_types")
    excluded = params.text_list(data, "exclude_activity_types")
    if included and excluded:
        raise ValidationError(
            {"activity_types": ["Cannot be used together with `exclude_activity_types"]}
        )
    if included:
        return lambda kind: kind in included
    return lambda kind: kind not in excluded


def _public_datasets():
    return Dataset.objects.filter(status=Dataset.Status.PUBLISHED)


def package_activity_list(request, data: dict) -> list[dict]:
    """A published dataset's activity stream, newest first: `id` (UUID or name), `limit`
    (default 31, at most 100), `offset`, `activity_types` or `exclude_activity_types`."""
    identifier = data.get("id")
    if not identifier:
        raise ValidationError({"id": ["Missing value"]})
    uuid_value = as_uuid(identifier)
    lookup = Q(pk=uuid_value) if uuid_value else Q(slug=str(identifier))
    dataset = _public_datasets().filter(lookup).first()
    if dataset is None:
        raise NotFound()
    limit, offset = _paging(data)
    return activity_list([dataset], limit=limit, offset=offset, keep=_types_filter(data))


def organization_activity_list(request, data: dict) -> list[dict]:
    """The activity of a publisher's published datasets (and of those it deleted), newest
    first: `id` (UUID or name), `limit` (default 31, at most 100), `offset`."""
    identifier = data.get("id")
    if not identifier:
        raise ValidationError({"id": ["Missing value"]})
    organisation = selectors.organisation(str(identifier))
    if organisation is None:
        raise NotFound()
    limit, offset = _paging(data)
    datasets = _public_datasets().filter(publisher=organisation)
    deleted = Q(before__publisher_id=str(organisation.pk))
    return activity_list(datasets, limit=limit, offset=offset, deleted=deleted)


def recently_changed_packages_activity_list(request, data: dict) -> list[dict]:
    """The activity of every published dataset (and of deleted ones), newest first:
    `limit` (default 31, at most 100), `offset`."""
    limit, offset = _paging(data)
    return activity_list(_public_datasets(), limit=limit, offset=offset, deleted=Q())
