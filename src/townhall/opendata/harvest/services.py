"""Every write harvesting makes: sources, runs, and the datasets a run gathers.

A run never loses what earlier runs harvested: each dataset is written in its own
transaction as it is read, and datasets are withdrawn (taken back to draft) only when a
run has read the whole of a full catalogue without stopping.
"""

import logging
import re
import unicodedata
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from townhall.core.audit import acting_as
from townhall.core.languages import english_columns
from townhall.core.permissions import can, require
from townhall.core.services.search import search_index_update
from townhall.core.tasks import enqueue_on_commit, retrying_task

from ..models import Dataset, HarvestRun, HarvestSource, Keyword, Organisation, Resource
from ..services.catalogue import unique_slug
from .fetch import FetchError, check_url
from .readers import HarvestStopped, reader_for
from .records import HarvestedDataset

logger = logging.getLogger("townhall.harvest")

ACTION = "opendata.manage_harvest_sources"
#: A run still "running" after this long was lost with its worker and blocks no other.
STALE_AFTER = timedelta(hours=6)
#: A scheduled harvest runs when its last run is at least this old.
INTERVALS = {
    HarvestSource.Schedule.DAILY: timedelta(days=1),
    HarvestSource.Schedule.WEEKLY: timedelta(days=7),
}
#: Scheduled runs are incremental; one is full when the last full run is this old.
FULL_EVERY = timedelta(days=7)
#: Who the audit log names for scheduled runs.
HARVESTER = SimpleNamespace(
    pk=None,
    is_authenticated=True,
    is_active=True,
    is_staff=True,
    is_superuser=True,
    email="townhall harvester (scheduled)",
)
MAX_KEYWORDS = 50
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# --- sources --------------------------------------------------------------------------


@transaction.atomic
def harvest_source_create(
    *,
    actor: Any,
    title: str,
    kind: str,
    url: str,
    publisher: Organisation,
    schedule: str = HarvestSource.Schedule.DAILY,
    organisation_filter: str = "",
) -> HarvestSource:
    """Add a catalogue to harvest from. Nothing is fetched until a run is asked for."""
    require(actor, ACTION)
    source = HarvestSource(
        title=title.strip(),
        kind=kind,
        url=url.strip(),
        publisher=publisher,
        schedule=schedule,
        organisation_filter=organisation_filter.strip() if kind == HarvestSource.Kind.CKAN else "",
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _check_source(source)
    source.save()
    return source


@transaction.atomic
def harvest_source_update(*, actor: Any, source: HarvestSource, **fields: Any) -> HarvestSource:
    """Change a source's name, address, filter, publisher or schedule."""
    require(actor, ACTION)
    editable = {"title", "url", "publisher", "schedule", "organisation_filter"}
    unknown = set(fields) - editable
    if unknown:
        raise TypeError(f"Not editable source fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(source, name, value.strip() if isinstance(value, str) else value)
    if source.kind != HarvestSource.Kind.CKAN:
        source.organisation_filter = ""
    _check_source(source)
    source.save()
    return source


def _check_source(source: HarvestSource) -> None:
    # Field checks come first: PostgreSQL refuses a query holding NUL, so the duplicate
    # address is looked up only once the address is known to be clean.
    source.full_clean(validate_unique=False)
    try:
        check_url(source.url)
    except FetchError as error:
        raise ValidationError({"url": str(error)}) from error
    if HarvestSource.objects.filter(url=source.url).exclude(pk=source.pk).exists():
        raise ValidationError({"url": _("Another harvest source already has this address.")})


# --- runs -----------------------------------------------------------------------------


def _busy(source: HarvestSource) -> HarvestRun | None:
    return (
        source.runs.filter(
            status__in=[HarvestRun.Status.WAITING, HarvestRun.Status.RUNNING],
            created_at__gte=timezone.now() - STALE_AFTER,
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def harvest_run_request(*, actor: Any, source: HarvestSource, full: bool = False) -> HarvestRun:
    """Ask for a run in the background; returns it. A run already waiting or running for
    this source is returned instead of starting a second."""
    require(actor, ACTION)
    source = HarvestSource.objects.select_for_update().get(pk=source.pk)
    waiting = _busy(source)
    if waiting is not None:
        return waiting
    run = HarvestRun.objects.create(
        source=source,
        full=full or source.last_success_at is None,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    enqueue_on_commit(harvest_run_task, str(run.pk))
    return run


def harvest_due(*, now=None) -> list[HarvestRun]:
    """Ask for a run of every scheduled source whose last run is old enough; returns the
    runs asked for. `townhall harvest_due` calls this from cron or a systemd timer."""
    now = now or timezone.now()
    runs = []
    sources = HarvestSource.objects.exclude(schedule=HarvestSource.Schedule.MANUAL).annotate(
        last_run=Max("runs__created_at")
    )
    for source in sources:
        interval = INTERVALS[source.schedule]
        # A few minutes' grace, so a daily cron job that starts a little early still runs.
        if source.last_run is not None and source.last_run > now - interval + timedelta(minutes=10):
            continue
        full = source.last_full_at is None or source.last_full_at < now - FULL_EVERY
        with acting_as(HARVESTER):
            runs.append(harvest_run_request(actor=HARVESTER, source=source, full=full))
    return runs


@retrying_task(max_attempts=1)
def harvest_run_task(run_id: str) -> None:
    """Background task: carry out one harvest run."""
    harvest_run_execute(run_id=run_id)


def harvest_run_execute(*, run_id: str) -> HarvestRun:
    """Carry out a run: read the source page by page, add, change and withdraw datasets,
    and record the report on the run. A source that fails stops the run with a reason;
    it raises only for Townhall's own failures (which the task log records).

    The report is written in the site's language, whoever asked and in whichever language
    (a scheduled run has no language of its own).
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _execute(run_id)


def _execute(run_id: str) -> HarvestRun:
    run = HarvestRun.objects.select_related("source__publisher", "requested_by").get(pk=run_id)
    actor = run.requested_by or HARVESTER
    source = run.source
    if not can(actor, ACTION):
        # The person who asked lost the role before the worker reached the run.
        run.status = HarvestRun.Status.STOPPED
        run.finished_at = timezone.now()
        run.errors = [_("The person who asked for this harvest may no longer run harvests.")]
        run.save()
        return run
    run.status = HarvestRun.Status.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at"])
    since = None if run.full or source.last_success_at is None else source.last_success_at
    reader = reader_for(source, since=since)
    seen: set[str] = set()
    echoes = {
        str(pk)
        for pk in Dataset.objects.filter(harvest_source__isnull=False)
        .exclude(harvest_source=source)
        .values_list("pk", flat=True)
    }
    try:
        with acting_as(actor):
            for record in reader.datasets():
                _gather(run, record, seen=seen, echoes=echoes)
            run.full = reader.complete
            if reader.complete:
                _withdraw_missing(run, seen)
    except HarvestStopped as stop:
        run.status = HarvestRun.Status.STOPPED
        run.errors = [*run.errors, str(stop)]
    except Exception as error:
        run.status = HarvestRun.Status.STOPPED
        run.errors = [
            *run.errors,
            _("Townhall failed while harvesting: %(error)s") % {"error": type(error).__name__},
        ]
        _finish(run, reader)
        raise
    else:
        run.status = HarvestRun.Status.DONE
    _finish(run, reader)
    return run


def _finish(run: HarvestRun, reader) -> None:
    run.finished_at = timezone.now()
    run.pages = reader.pages
    run.notes = [*run.notes, *reader.notes]
    run.save()
    if run.status == HarvestRun.Status.DONE:
        source = run.source
        source.last_success_at = run.started_at
        if run.full:
            source.last_full_at = run.started_at
        HarvestSource.objects.filter(pk=source.pk).update(
            last_success_at=source.last_success_at, last_full_at=source.last_full_at
        )


def _entry(identifier: str, title: str = "", **more: str) -> dict:
    return {"identifier": identifier[:300], "title": title[:200], **more}


def _gather(run: HarvestRun, record, *, seen: set[str], echoes: set[str]) -> None:
    if isinstance(record, tuple):
        identifier, reason = record
        run.refused.append(_entry(identifier, reason=reason))
        return
    if record.identifier in echoes:
        return  # a dataset this Townhall harvested from elsewhere, echoed back: not new
    seen.add(record.identifier)
    existing = Dataset.objects.filter(
        harvest_source=run.source, harvest_identifier=record.identifier[:300]
    ).first()
    licence = record.licence
    if licence is None:
        reason = (
            _("It gives no licence.")
            if not record.licence_given
            else _("Its licence “%(licence)s” is not one Townhall knows.")
            % {"licence": record.licence_given[:200]}
        )
        if existing is not None and existing.status == Dataset.Status.PUBLISHED:
            _withdraw(existing)
            reason = f"{reason} {_('The copy harvested before was withdrawn.')}"
        run.refused.append(_entry(record.identifier, record.title, reason=reason))
        return
    digest = record.digest()
    if (
        existing is not None
        and existing.harvest_digest == digest
        and existing.status == Dataset.Status.PUBLISHED
    ):
        run.unchanged += 1
        return
    try:
        with transaction.atomic():
            dataset, problems = _write(run.source, existing, record, licence, digest)
    except ValidationError as error:
        messages = "; ".join(_flatten(error))
        run.refused.append(_entry(record.identifier, record.title, reason=messages[:500]))
        return
    except IntegrityError:
        run.errors.append(
            _("%(title)s could not be saved; it will be tried again next run.")
            % {"title": record.title[:200]}
        )
        return
    run.errors.extend(problems)
    (run.changed if existing is not None else run.added).append(
        _entry(record.identifier, dataset.title_en_gb, slug=dataset.slug)
    )


def _flatten(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{field}: {message}"
            for field, items in error.message_dict.items()
            for message in items
        ]
    return list(error.messages)


def _single_line(text: str, limit: int) -> str:
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    return " ".join(text.split())[:limit]


def _multi_line(text: str) -> str:
    return unicodedata.normalize("NFC", _CONTROL.sub("", text)).strip()[:100_000]


FORMATS = {value.lower(): value for value in Resource.Format.values}
FORMATS.update(
    {
        "text/csv": "CSV",
        "text/tab-separated-values": "TSV",
        "application/json": "JSON",
        "application/geo+json": "GeoJSON",
        "application/pdf": "PDF",
        "text/html": "HTML",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    }
)


def _format(given: str) -> str:
    return FORMATS.get(given.strip().lower(), Resource.Format.OTHER)


def _write(
    source: HarvestSource,
    existing: Dataset | None,
    record: HarvestedDataset,
    licence: str,
    digest: str,
) -> tuple[Dataset, list[str]]:
    title = _single_line(record.title, 200)
    values = english_columns(
        Dataset,
        {
            "title": title,
            "title_cy": _single_line(record.title_cy, 200),
            "description": _multi_line(record.description),
            "description_cy": _multi_line(record.description_cy),
        },
    )
    dataset = existing or Dataset(
        slug=unique_slug(Dataset, title, fallback="dataset"),
        harvest_source=source,
        harvest_identifier=record.identifier[:300],
    )
    for name, value in values.items():
        setattr(dataset, name, value)
    dataset.publisher = source.publisher
    dataset.licence = licence
    dataset.harvest_url = record.source_url if _is_web_address(record.source_url) else ""
    dataset.harvest_digest = digest
    dataset.status = Dataset.Status.PUBLISHED
    dataset.published_at = dataset.published_at or timezone.now()
    dataset.full_clean(validate_constraints=False)
    dataset.save()
    keywords = []
    for word in record.keywords[:MAX_KEYWORDS]:
        name = _single_line(word, 100)
        if name:
            keywords.append(Keyword.objects.get_or_create(name=name)[0])
    dataset.keywords.set(keywords)
    problems = _write_resources(dataset, record)
    search_index_update("dataset", dataset)
    return dataset, problems


def _is_web_address(url: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return len(url) <= 1000


def _write_resources(dataset: Dataset, record: HarvestedDataset) -> list[str]:
    """Links to the source's files, matched to the links already kept by address."""
    problems = []
    kept = {resource.url: resource for resource in dataset.resources.all()}
    wanted = []
    for position, given in enumerate(record.resources):
        if not _is_web_address(given.url):
            problems.append(
                _("%(title)s: the link “%(url)s” is not a web address, so it was left out.")
                % {"title": dataset.title_en_gb, "url": given.url[:200]}
            )
            continue
        resource = kept.pop(given.url, None) or Resource(dataset=dataset, url=given.url)
        resource.name = _single_line(given.name, 200) or given.url[:200]
        resource.description = _multi_line(given.description)
        resource.format = _format(given.format)
        resource.position = position
        resource.full_clean()
        wanted.append(resource)
    for resource in kept.values():
        resource.delete()
    for resource in wanted:
        resource.save()
    return problems


def _withdraw(dataset: Dataset) -> None:
    dataset.status = Dataset.Status.DRAFT
    dataset.save(update_fields=["status", "updated_at"])
    search_index_update("dataset", dataset)


def _withdraw_missing(run: HarvestRun, seen: set[str]) -> None:
    published = Dataset.objects.filter(harvest_source=run.source, status=Dataset.Status.PUBLISHED)
    # Compared here, not in SQL: a large catalogue would pass the database's parameter limit.
    for dataset in published.order_by("title"):
        if dataset.harvest_identifier in seen:
            continue
        with transaction.atomic():
            _withdraw(dataset)
        run.removed.append(
            _entry(dataset.harvest_identifier, dataset.title_en_gb, slug=dataset.slug)
        )
