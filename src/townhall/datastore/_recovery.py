"""Putting right what a load killed midway leaves behind (ADR 0038).

A load killed by SIGKILL (a deploy, the out-of-memory killer) runs no `finally`: its
ingest stays "running" and its staging table, up to the full size of the file, stays in
the database. Each load records the host and process running it and renews a heartbeat
as it goes; `recover()` (which the worker runs when it starts and every few minutes)
fails the loads whose process is gone, drops their staging tables and any `ds_` table
that neither a table serves, nor a live load is filling, nor a held load keeps until its
owner releases it (ADR 0037), tells each table's owner, and builds the indexes a load
served its table without and stopped before building. A held load that a newer served or
held load of its table replaced is discarded and its table dropped.

A load is gone when it ran on this host and its process no longer exists (or is this
process, which is not running it: a restarted container often gets the same pid), or,
from another host, when its heartbeat is older than DATASTORE_INGEST_STALE_MINUTES.
"""

import logging
import os
import re
import socket
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.core.models import TaskProgress
from townhall.core.registry import registry

from . import _types as types
from ._backends import backend
from .models import Ingest, Table

logger = logging.getLogger("townhall.datastore")

HEARTBEAT_SECONDS = 5.0
STALE_MINUTES = 10
_PHYSICAL = re.compile(r"ds_[0-9a-f]{32}_[0-9a-f]{8}")
# The ingests this process is running: a record naming this pid but not in here was left by
# an earlier process that had the same pid.
_RUNNING_HERE: set[int] = set()


def stopped_message() -> str:
    return _(
        "The load stopped before it finished (the server restarted). Nothing was published. "
        "Try again."
    )


class Heartbeat:
    """Says, while one load runs, that its process is alive and which table it fills."""

    def __init__(self, record: Ingest):
        self.pk = record.pk
        self._last = time.monotonic()
        _RUNNING_HERE.add(self.pk)

    @staticmethod
    def fields() -> dict:
        """The fields of a new ingest record that name the process running it."""
        return {"host": socket.gethostname(), "pid": os.getpid(), "heartbeat_at": timezone.now()}

    def staging(self, name: str) -> None:
        """Record the staging table before it is created, so it is never an orphan unseen."""
        Ingest.objects.filter(pk=self.pk).update(staging=name, heartbeat_at=timezone.now())
        self._last = time.monotonic()

    def beat(self) -> None:
        """Renew the heartbeat, at most every HEARTBEAT_SECONDS."""
        if time.monotonic() - self._last >= HEARTBEAT_SECONDS:
            Ingest.objects.filter(pk=self.pk).update(heartbeat_at=timezone.now())
            self._last = time.monotonic()

    def stop(self) -> None:
        _RUNNING_HERE.discard(self.pk)


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # Another user's process: it exists.
        return True
    return True


def _gone(ingest: Ingest, host: str, stale_before) -> bool:
    if ingest.host == host and ingest.pid:
        if ingest.pid == os.getpid():
            return ingest.pk not in _RUNNING_HERE
        return not _process_exists(ingest.pid)
    return ingest.heartbeat_at is None or ingest.heartbeat_at < stale_before


def recover() -> int:
    """Fail the loads whose process is gone and drop every staging table nobody is filling
    or serving. Returns how many loads were failed and tables dropped, together."""
    minutes = getattr(settings, "DATASTORE_INGEST_STALE_MINUTES", STALE_MINUTES)
    stale_before = timezone.now() - timedelta(minutes=minutes)
    host = socket.gethostname()
    engine = backend()
    existing = [name for name in engine.table_names() if _PHYSICAL.fullmatch(name)]
    failed = [
        ingest
        for ingest in Ingest.objects.filter(status=Ingest.Status.RUNNING)
        if _gone(ingest, host, stale_before)
    ]
    for ingest in failed:
        _fail(ingest)
    superseded = _discard_superseded()
    kept = set(
        Ingest.objects.filter(status__in=[Ingest.Status.RUNNING, Ingest.Status.HELD]).values_list(
            "staging", flat=True
        )
    )
    served = set(Table.objects.values_list("physical_name", flat=True))
    orphans = [name for name in existing if name not in kept and name not in served]
    for name in orphans:
        engine.drop(name)
    indexed = _finish_indexes(host, stale_before)
    if failed or orphans or indexed or superseded:
        logger.warning(
            "Recovered %s stopped DataStore loads, discarded %s superseded held loads, "
            "dropped %s staging tables and finished the indexes of %s tables",
            len(failed),
            superseded,
            len(orphans),
            indexed,
        )
    return len(failed) + superseded + len(orphans) + indexed


def _discard_superseded() -> int:
    """Discard each held load that a load of its table started later and served or held
    replaces (left so by a process stopped between the two); it could never be released."""
    from ._ingest import mark_discarded

    newer = Ingest.objects.filter(
        table_id=OuterRef("table_id"),
        started_at__gt=OuterRef("started_at"),
        status__in=[Ingest.Status.OK, Ingest.Status.HELD],
    )
    discarded = 0
    for ingest in Ingest.objects.filter(status=Ingest.Status.HELD).filter(Exists(newer)):
        with transaction.atomic():
            held = Ingest.objects.filter(pk=ingest.pk, status=Ingest.Status.HELD)
            if held.update(status=Ingest.Status.DISCARDED):
                mark_discarded(ingest)
                backend().drop(ingest.staging)
                discarded += 1
    return discarded


def _finish_indexes(host: str, stale_before) -> int:
    """Build the indexes of served tables whose load stopped before it had built them."""
    from ._ingest import build_indexes

    engine = backend()
    finished = 0
    for table in Table.objects.filter(indexes_ready=False):
        builder = Ingest.objects.filter(table_id=table.pk, staging=table.physical_name).first()
        if builder and builder.finished_at is None and not _gone(builder, host, stale_before):
            continue
        columns = [dict(column) for column in table.columns]
        text = [c["id"] for c in columns if c["type"] == types.TEXT] if table.full_text else []
        build_indexes(engine, table.physical_name, columns, text, lambda: None, table.pk)
        finished += Table.objects.filter(pk=table.pk, physical_name=table.physical_name).update(
            indexes_ready=True
        )
    return finished


def _fail(ingest: Ingest) -> None:
    from .services import progress_key

    message = stopped_message()
    report = dict(ingest.report) | {
        "table_id": str(ingest.table_id),
        "filename": ingest.filename,
        "status": "failed",
        "code": "load_stopped",
        "message": message,
        "started_at": ingest.started_at.isoformat(),
        "finished_at": timezone.now().isoformat(),
    }
    with transaction.atomic():
        updated = Ingest.objects.filter(pk=ingest.pk, status=Ingest.Status.RUNNING).update(
            status=Ingest.Status.FAILED, report=report, finished_at=timezone.now()
        )
        if not updated:  # It finished meanwhile.
            return
        TaskProgress.objects.filter(
            key=progress_key(ingest.table_id), state=TaskProgress.State.RUNNING
        ).update(state=TaskProgress.State.FAILED, message=message)
    _tell_owner(ingest.owner, ingest.table_id, message)


def _tell_owner(owner: str, table_id: uuid.UUID, message: str) -> None:
    try:
        stopped = registry.get(owner).datastore_load_stopped
    except KeyError:
        return
    if stopped is not None:
        stopped(table_id, message)
