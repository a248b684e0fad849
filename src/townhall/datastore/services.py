"""The DataStore's writes: load a file into a table and drop a table.

A table's id is chosen by the caller (open data passes its resource's UUID). Loads are
atomic: the new rows are served only once the whole file has loaded and been indexed; a
failed load leaves the table that was served before untouched and readable. A load asked
to `hold` what it found problems in keeps its table unserved until `held_release`.
"""

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from townhall.core.permissions import require
from townhall.core.services.tasks import Progress
from townhall.core.tasks import retrying_task

from . import _grants, _ingest, _paired, _recovery
from ._backends import backend
from ._ids import as_table_uuid
from .errors import TableNotFound
from .models import Ingest, Table
from .results import IngestReport


def ingest_file(
    *,
    table_id: uuid.UUID,
    owner: str,
    path: str,
    filename: str,
    format: str | None = None,
    type_overrides: dict[str, str] | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    on_served: Callable[[int], None] | None = None,
    hold: bool = False,
    actor: Any = None,
) -> IngestReport:
    """Load a CSV, TSV or XLSX file into the table `table_id`, creating or replacing it.

    `owner` is the app label of the module loading it, whose manifest's `datastore_readers`
    then says who may read the table; reloading a table another module owns is refused
    (report code `table_owned`).

    Runs in the calling thread and returns the IngestReport, which is also kept (see
    selectors.last_report). A file that cannot be loaded gives a report with status
    "failed", a `message` for a person and a `code`; the previously served table stays.
    `format` is "csv", "tsv" or "xlsx", or None to tell from the name and the bytes.
    `type_overrides` maps column names to types (integer, decimal, date, datetime,
    boolean, text; CKAN's names are accepted). `on_progress(rows_done, rows_expected)` is
    called after each batch; rows_expected is an estimate, or None when unknown.
    `on_served(rows)` is called once the new rows are served, before the column and full-text
    indexes are built (ADR 0038; searches work meanwhile, slower) and the report returned.
    With `hold`, a load that found problems (any cell or row in the report's problems) is
    not served: its table is kept complete and indexed, the report's status is "held",
    `on_served` is not called, and the table serves what it served before until
    `held_release` (or `held_discard` drops it; ADR 0037). A load without problems is
    served as usual. One load is held per table at most: a newer load that is served or
    held replaces it.
    When `actor` is given they must hold `datastore.load_table`.
    Errors other than bad input (the database going away) are raised after being reported.
    """
    if actor is not None:
        require(actor, "datastore.load_table")
    return _ingest.run(
        table_id=as_table_uuid(table_id),
        owner=owner,
        path=path,
        filename=filename,
        format=format,
        type_overrides=type_overrides,
        on_progress=on_progress,
        on_served=on_served,
        hold=hold,
    )


def held_release(*, table_id: uuid.UUID, actor: Any = None) -> IngestReport:
    """Serve the table's held load in place of what it served, dropping the old rows, and
    return its report (status now "ok"). The table and the held load are locked while it
    happens; NothingHeld (code `nothing_held`) when the table has no held load because it
    was released, discarded or replaced by a newer load meanwhile."""
    if actor is not None:
        require(actor, "datastore.load_table")
    return _ingest.release_held(as_table_uuid(table_id))


def held_discard(*, table_id: uuid.UUID, actor: Any = None) -> IngestReport:
    """Drop the table's held load without ever serving it and return its report (status
    "discarded"); the table keeps serving what it served. NothingHeld as held_release."""
    if actor is not None:
        require(actor, "datastore.load_table")
    return _ingest.discard_held(as_table_uuid(table_id))


def progress_key(table_id: uuid.UUID) -> str:
    return f"datastore-ingest:{as_table_uuid(table_id)}"


def ingest_enqueue(
    *,
    table_id: uuid.UUID,
    owner: str,
    path: str,
    filename: str,
    format: str | None = None,
    type_overrides: dict[str, str] | None = None,
) -> str:
    """Load the file in the background worker; return the key of its core Progress record.

    The file at `path` must stay there until the task has run.
    """
    key = progress_key(table_id)
    Progress.start(key, label=_("Waiting to load %(file)s") % {"file": filename})
    arguments = {
        "table_id": str(table_id),
        "owner": owner,
        "path": path,
        "filename": filename,
        "format": format,
        "type_overrides": type_overrides,
    }
    transaction.on_commit(lambda: ingest_task.enqueue(**arguments))
    return key


@retrying_task(max_attempts=2)
def ingest_task(
    *,
    table_id: str,
    owner: str,
    path: str,
    filename: str,
    format: str | None,
    type_overrides: dict[str, str] | None,
) -> dict:
    """Background task: ingest_file with its progress recorded under progress_key()."""
    progress = Progress.start(
        progress_key(uuid.UUID(table_id)), label=_("Loading %(file)s") % {"file": filename}
    )

    def advance(done: int, expected: int | None) -> None:
        progress.advance(done - progress.row.done, total=expected)

    try:
        report = ingest_file(
            table_id=uuid.UUID(table_id),
            owner=owner,
            path=path,
            filename=filename,
            format=format,
            type_overrides=type_overrides,
            on_progress=advance,
        )
    except Exception as error:
        progress.fail(str(error))
        raise
    if report.ok:
        progress.finish(report.message)
    else:
        progress.fail(report.message)
    return {"status": report.status, "rows": report.rows, "message": report.message}


def table_drop(*, table_id: uuid.UUID, actor: Any = None) -> None:
    """Drop the table, its staging leftovers and its load history. TableNotFound if none."""
    if actor is not None:
        require(actor, "datastore.load_table")
    table_id = as_table_uuid(table_id)
    engine = backend()
    with transaction.atomic():
        deleted, _counts = Table.objects.filter(pk=table_id).delete()
        leftovers = engine.tables_like(_ingest.physical_prefix(table_id))
        for name in leftovers:
            engine.drop(name)
        Ingest.objects.filter(table_id=table_id).delete()
    if not deleted and not leftovers:
        raise TableNotFound(_("There is no DataStore table with this id."), {"id": str(table_id)})


def ingests_recover() -> int:
    """Fail the loads whose process was killed midway (a deploy, the out-of-memory killer),
    with a message saying nothing was published, tell each table's owner module
    (`datastore_load_stopped` in its manifest), and drop the staging tables that no table
    serves, no live load is filling and no held load keeps (a held load that a newer one
    replaced is discarded). Returns how many loads and tables it dealt with.
    The worker runs it when it starts and every few minutes; a load still running
    anywhere is left alone (ADR 0038)."""
    return _recovery.recover()


def sql_access_refresh(*, table_ids: Iterable[uuid.UUID]) -> None:
    """Call when who may read these tables may have changed (a dataset published, withdrawn
    or archived), inside the same transaction: on PostgreSQL, read-only SQL's role is
    granted or refused each table to match its owner's `datastore_readers`."""
    _grants.refresh([as_table_uuid(table_id) for table_id in table_ids])


@retrying_task(max_attempts=1)
def paired_index_task(*, table_id: str, first: str, second: str) -> bool:
    """Background task: index a table's `first` (filtered) and `second` (sorted) columns
    together, which its pages ask for often (ADR 0025). False when nothing was built."""
    return _paired.build(uuid.UUID(table_id), first, second)
