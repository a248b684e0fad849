"""Writes to resources: links, uploads kept as versions, and loading tables into the DataStore.

An upload is streamed in chunks to a temporary file (its size limited and its SHA-256
taken on the way), its real type checked against its name, and only then stored, in a
folder of its own, so no upload overwrites another. A tabular version is then loaded into
the DataStore; the resource keeps serving its previous version until the load succeeds,
and, in a public dataset, until a publisher confirms the problems the load found
(held.py, ADR 0037).
"""

import contextlib
import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, BinaryIO, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from townhall.core import audit
from townhall.core.models import TaskProgress
from townhall.core.services.search import search_index_remove
from townhall.core.services.tasks import Progress
from townhall.core.tasks import retrying_task
from townhall.core.text import clean_file_name, multi_line_text, single_line_text

from .. import sniff
from ..harvest.guard import require_editable
from ..models import Dataset, Resource, ResourceVersion
from .catalogue import dataset_touch

DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024
COLUMN_TYPES = ("text", "integer", "decimal", "date", "datetime", "boolean")

IngestMode = Literal["background", "now", "never"]


@dataclass(frozen=True)
class IngestOutcome:
    """What loading a version gave: the DataStore's report, or the reason it failed."""

    version_id: str
    report: Any = None
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return not self.error


class UploadRefused(ValidationError):
    """An upload that was not stored: too large, empty, or not what its name says."""


def max_upload_bytes() -> int:
    """The largest upload accepted, from the TOWNHALL_DATA_MAX_UPLOAD_BYTES setting."""
    return int(getattr(settings, "TOWNHALL_DATA_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def too_large_message() -> str:
    return _("The file must be smaller than %(size)s.") % {
        "size": filesizeformat(max_upload_bytes())
    }


@transaction.atomic
def resource_create_link(
    *,
    actor: Any,
    dataset: Dataset,
    name: str,
    url: str,
    format: str,
    description: str = "",
    name_cy: str = "",
    description_cy: str = "",
) -> Resource:
    """Add a resource that points at a file published elsewhere."""
    require_editable(actor, "opendata.edit_dataset", dataset)
    resource = Resource(
        dataset=dataset,
        name_en_gb=name.strip(),
        name_cy=name_cy.strip(),
        url=url,
        format=format,
        description_en_gb=description,
        description_cy=description_cy,
        position=dataset.resources.count(),
    )
    resource.full_clean()
    resource.save()
    return resource


@transaction.atomic
def resource_update(
    *,
    actor: Any,
    resource: Resource,
    name: str,
    description: str = "",
    url: str | None = None,
    name_cy: str = "",
    description_cy: str = "",
) -> Resource:
    """Rename or redescribe a resource, in English and Welsh (and change a link resource's
    address)."""
    require_editable(actor, "opendata.edit_dataset", resource.dataset)
    resource.name_en_gb, resource.description_en_gb = name.strip(), description
    resource.name_cy, resource.description_cy = name_cy.strip(), description_cy
    if url is not None and not resource.versions.exists():
        resource.url = url
    resource.full_clean()
    resource.save()
    return resource


def resource_upload(
    *,
    actor: Any,
    dataset: Dataset,
    content: BinaryIO,
    filename: str,
    name: str = "",
    description: str = "",
    name_cy: str = "",
    description_cy: str = "",
    resource: Resource | None = None,
    ingest: IngestMode = "background",
) -> ResourceVersion:
    """Store an uploaded file as a new version of `resource` (or of a new resource).

    Raises UploadRefused (a ValidationError on the field "file") when the file is empty,
    larger than the limit, or its content is not what its extension says, and (on "name"
    or "description") when those hold control characters; nothing is stored then.
    Control characters in the file's name are dropped. A new version of an existing
    resource must keep its format. Tabular versions are loaded into the DataStore: in a
    background task, at once, or never.
    """
    require_editable(actor, "opendata.edit_dataset", dataset)
    _check_resource_text(name, description, name_cy, description_cy)
    filename = PurePath(clean_file_name(filename) or "upload").name[:200]
    with _spooled_copy(content) as (spooled, size, sha256):
        try:
            detected = sniff.verify(spooled, filename)
        except sniff.FileTypeMismatch as mismatch:
            raise UploadRefused({"file": str(mismatch)}) from mismatch
        if resource is not None and resource.format != detected:
            raise UploadRefused(
                {
                    "file": _(
                        "This resource is a %(format)s file. Upload a new %(format)s file, "
                        "or add a new resource for a %(other)s file."
                    )
                    % {"format": resource.format, "other": detected}
                }
            )
        with transaction.atomic():
            if resource is None:
                resource = Resource.objects.create(
                    dataset=dataset,
                    name_en_gb=(name or PurePath(filename).stem).strip()[:200],
                    name_cy=name_cy.strip()[:200],
                    description_en_gb=description,
                    description_cy=description_cy,
                    format=detected,
                    position=dataset.resources.count(),
                )
            tabular = detected in sniff.TABULAR
            version = ResourceVersion(
                resource=resource,
                filename=filename,
                size=size,
                sha256=sha256,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
                ingest_status=(
                    ResourceVersion.Ingest.WAITING
                    if tabular
                    else ResourceVersion.Ingest.NOT_TABULAR
                ),
            )
            version.ingest_key = f"opendata:ingest:{version.id}" if tabular else ""
            version.file.save(filename, File(spooled, name=filename), save=False)
            version.save()
            if not tabular:
                _make_current(version)
    if tabular:
        _schedule_ingest(version, ingest)
    return version


def _check_resource_text(name: str, description: str, name_cy: str, description_cy: str) -> None:
    """Refuse, before the file is read, a name or description no output could carry (the
    new resource is created without full_clean, so its fields' validators do not run)."""
    problems = {}
    checks = (
        ("name", name, single_line_text),
        ("description", description, multi_line_text),
        ("name_cy", name_cy, single_line_text),
        ("description_cy", description_cy, multi_line_text),
    )
    for field, text, validator in checks:
        try:
            validator(text)
        except ValidationError as error:
            problems[field] = error.messages
    if problems:
        raise UploadRefused(problems)


@transaction.atomic
def resource_set_column_types(
    *,
    actor: Any,
    resource: Resource,
    column_types: dict[str, str],
    ingest: IngestMode = "background",
) -> Resource:
    """Choose types for some columns and load the resource's newest upload again with them."""
    require_editable(actor, "opendata.edit_dataset", resource.dataset)
    wrong = {column: kind for column, kind in column_types.items() if kind not in COLUMN_TYPES}
    if wrong:
        raise ValidationError(
            {"column_types": _("Choose one of: %(types)s.") % {"types": ", ".join(COLUMN_TYPES)}}
        )
    resource.column_types = {column: kind for column, kind in column_types.items() if kind}
    resource.save(update_fields=["column_types", "updated_at"])
    latest = resource.versions.order_by("-created_at").first()
    if latest is not None and latest.resource.format in sniff.TABULAR:
        ResourceVersion.objects.filter(pk=latest.pk).update(
            ingest_status=ResourceVersion.Ingest.WAITING,
            ingest_key=f"opendata:ingest:{latest.id}",
            ingest_message="",
        )
        latest.refresh_from_db()
        transaction.on_commit(lambda: _schedule_ingest(latest, ingest))
    return resource


def resource_delete(*, actor: Any, resource: Resource) -> None:
    """Remove a resource, its versions' files and its DataStore table."""
    require_editable(actor, "opendata.edit_dataset", resource.dataset)
    files = [version.file for version in resource.versions.all()]
    resource_id = resource.pk
    with transaction.atomic():
        Resource.objects.filter(pk=resource.pk).update(current_version=None)
        resource.delete()
    for stored in files:
        stored.delete(save=False)
    from townhall.datastore import errors as datastore_errors
    from townhall.datastore import services as datastore

    with contextlib.suppress(datastore_errors.TableNotFound):
        datastore.table_drop(table_id=resource_id)


def dataset_delete(*, actor: Any, dataset: Dataset) -> None:
    """Delete a dataset for good: its resources, their files and DataStore tables."""
    require_editable(actor, "opendata.publish_dataset", dataset)
    for resource in list(dataset.resources.all()):
        resource_delete(actor=actor, resource=resource)
    with transaction.atomic():
        search_index_remove("dataset", dataset.pk)
        dataset.delete()


@contextlib.contextmanager
def _spooled_copy(content: BinaryIO) -> Iterator[tuple[BinaryIO, int, str]]:
    """Copy the upload to a temporary file in chunks, measuring and hashing as it goes."""
    limit = max_upload_bytes()
    digest = hashlib.sha256()
    size = 0
    with tempfile.TemporaryFile() as spooled:
        if hasattr(content, "seek"):
            with contextlib.suppress(OSError, ValueError):
                content.seek(0)
        chunks = content.chunks(CHUNK_BYTES) if hasattr(content, "chunks") else _chunks(content)
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise UploadRefused({"file": too_large_message()})
            digest.update(chunk)
            spooled.write(chunk)
        if size == 0:
            raise UploadRefused({"file": _("The selected file is empty.")})
        spooled.seek(0)
        yield spooled, size, digest.hexdigest()


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_BYTES):
        yield chunk


def _make_current(version: ResourceVersion) -> None:
    Resource.objects.filter(pk=version.resource_id).update(current_version=version)
    dataset_touch(dataset=version.resource.dataset)


def _schedule_ingest(version: ResourceVersion, mode: IngestMode) -> None:
    if mode == "now":
        ingest_version(version_id=str(version.pk))
    elif mode == "background":
        transaction.on_commit(lambda: ingest_version_task.enqueue(str(version.pk)))


@retrying_task(max_attempts=2)
def ingest_version_task(version_id: str) -> None:
    """Background task: load one uploaded version into the DataStore."""
    ingest_version(version_id=version_id)


def ingest_version(*, version_id: str, on_progress=None) -> IngestOutcome:
    """Load a tabular version into the resource's DataStore table and return the report.

    The DataStore swaps the new table in only when the whole file has loaded, so when the
    load fails the resource keeps its previous version and table; the failure is kept on
    this version for the publisher to read. When the dataset is public (published or
    archived) and the load found problems, the version is "held": loaded, but the public keep seeing the previous
    version until a publisher confirms the problems (version_publish) or discards it. A
    version that is served or held replaces one held before. `on_progress(done, total)` is
    called as rows load (the `townhall data load` command draws its progress bar from it).
    """
    from townhall.datastore import errors as datastore_errors
    from townhall.datastore import services as datastore

    version = ResourceVersion.objects.select_related("resource__dataset").get(pk=version_id)
    resource = version.resource
    progress = Progress.start(
        version.ingest_key or f"opendata:ingest:{version.id}",
        label=_("Loading %(file)s") % {"file": version.filename},
    )
    ResourceVersion.objects.filter(pk=version.pk).update(
        ingest_status=ResourceVersion.Ingest.RUNNING
    )

    def report_progress(done: int, total: int | None) -> None:
        progress.advance(done - progress.row.done, total=total)
        if on_progress is not None:
            on_progress(done, total)

    def served(rows: int) -> None:
        """The new rows are served: so is this version, while the indexes are built."""
        ResourceVersion.objects.filter(pk=version.pk).update(
            ingest_status=ResourceVersion.Ingest.DONE, row_count=rows, ingest_message=""
        )
        Resource.objects.filter(pk=resource.pk).update(
            current_version=version, datastore_active=True
        )
        dataset_touch(dataset=resource.dataset)
        _replace_held(version)

    try:
        with _local_path(version) as path:
            report = datastore.ingest_file(
                table_id=resource.pk,
                owner="opendata",
                path=path,
                filename=version.filename,
                format=resource.format.lower(),
                type_overrides=resource.column_types or None,
                on_progress=report_progress,
                on_served=served,
                hold=resource.dataset.status != Dataset.Status.DRAFT,  # Its data is public.
            )
    except datastore_errors.DataStoreError as error:
        return _ingest_failed(version, progress, str(error.message))
    if report.status == "held":
        return _ingest_held(version, progress, report)
    if not report.ok:
        return _ingest_failed(version, progress, report.message, report)
    rows = report.rows
    progress.finish(_("Loaded %(rows)s rows") % {"rows": rows})
    return IngestOutcome(version_id=str(version.pk), report=report)


def ingest_stopped(*, resource_id: Any, message: str) -> int:
    """The DataStore found this resource's load killed midway (manifest
    `datastore_load_stopped`): fail the version that was loading, with `message`, so its
    page stops waiting and offers to load it again. Returns how many versions it failed."""
    loading = ResourceVersion.objects.filter(
        resource_id=resource_id, ingest_status=ResourceVersion.Ingest.RUNNING
    )
    TaskProgress.objects.filter(
        key__in=loading.values_list("ingest_key", flat=True),
        state=TaskProgress.State.RUNNING,
    ).update(state=TaskProgress.State.FAILED, message=message)
    return loading.update(ingest_status=ResourceVersion.Ingest.FAILED, ingest_message=message)


def version_ingest_retry(
    *, actor: Any, version: ResourceVersion, ingest: IngestMode = "background"
) -> ResourceVersion:
    """Load a version whose load failed again, in the background; only the resource's
    newest upload, and only once it has failed (ValidationError otherwise)."""
    resource = version.resource
    require_editable(actor, "opendata.edit_dataset", resource.dataset)
    with transaction.atomic():
        version = ResourceVersion.objects.select_for_update().get(pk=version.pk)
        latest = resource.versions.order_by("-created_at").values_list("pk", flat=True).first()
        if version.ingest_status != ResourceVersion.Ingest.FAILED or version.pk != latest:
            raise ValidationError(
                _("Only the newest upload can be loaded again, once its load has failed.")
            )
        before = {"ingest_status": version.ingest_status, "ingest_message": version.ingest_message}
        version.ingest_status = ResourceVersion.Ingest.WAITING
        version.ingest_message = ""
        version.ingest_key = version.ingest_key or f"opendata:ingest:{version.id}"
        ResourceVersion.objects.filter(pk=version.pk).update(
            ingest_status=version.ingest_status, ingest_message="", ingest_key=version.ingest_key
        )
        audit.record(
            actor=actor,
            operation="action",
            action="opendata.version_ingest_retry",
            instance=version,
            before=before,
            after={"ingest_status": version.ingest_status, "ingest_message": ""},
        )
    _schedule_ingest(version, ingest)
    return version


def _ingest_held(version: ResourceVersion, progress: Progress, report: Any) -> IngestOutcome:
    ResourceVersion.objects.filter(pk=version.pk).update(
        ingest_status=ResourceVersion.Ingest.HELD, row_count=report.rows, ingest_message=""
    )
    _replace_held(version)
    progress.finish(held_message(report.problem_total))
    return IngestOutcome(version_id=str(version.pk), report=report)


def held_message(problems: int) -> str:
    """What a publisher reads of a version held because of its problems."""
    return ngettext(
        "Loaded with %(count)s problem — waiting for you to confirm",
        "Loaded with %(count)s problems — waiting for you to confirm",
        problems,
    ) % {"count": f"{problems:,}"}


def _replace_held(version: ResourceVersion) -> None:
    """The DataStore dropped the load held before this version's: its version is not to be
    published any more."""
    ResourceVersion.objects.filter(
        resource_id=version.resource_id, ingest_status=ResourceVersion.Ingest.HELD
    ).exclude(pk=version.pk).update(
        ingest_status=ResourceVersion.Ingest.DISCARDED,
        ingest_message=_("A newer upload replaced this one before it was published."),
    )


def _ingest_failed(
    version: ResourceVersion, progress: Progress, message: str, report: Any = None
) -> IngestOutcome:
    ResourceVersion.objects.filter(pk=version.pk).update(
        ingest_status=ResourceVersion.Ingest.FAILED, ingest_message=message
    )
    progress.fail(message)
    return IngestOutcome(version_id=str(version.pk), report=report, error=message or "failed")


@contextlib.contextmanager
def _local_path(version: ResourceVersion) -> Iterator[str]:
    """A path on this machine to the version's file (a temporary copy for remote storage)."""
    try:
        path = version.file.path
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / version.filename
        with version.file.open("rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK_BYTES)
        yield str(target)
