"""Progress of long-running work, the retention job for finished task records, and clearing
failures an administrator has dealt with."""

import time
from datetime import timedelta
from types import TracebackType

from django.db import transaction
from django.utils import timezone

from ..audit import REDACTED, record
from ..models import TaskFailure, TaskProgress
from ..permissions import require

WRITE_INTERVAL_SECONDS = 0.5
KEY_MAX_LENGTH = TaskProgress._meta.get_field("key").max_length
LABEL_MAX_LENGTH = TaskProgress._meta.get_field("label").max_length


class Progress:
    """Reports how far a task has got. Writes are throttled so a tight loop stays fast.

        with Progress.start("ingest:<uuid>", label="Loading spend.csv", total=rows) as progress:
            for batch in batches:
                progress.advance(len(batch))
            progress.finish("Loaded 1,000,000 rows")

    Used as a context manager, an exception marks the progress failed and a block that
    ends without `finish()` finishes it, so no display is left saying "Running" forever.

    The display reads the progress from another connection: write it outside any long
    transaction of the task (commit each batch on its own), or readers see nothing
    until the end.
    """

    def __init__(self, row: TaskProgress) -> None:
        self.row = row
        self._last_write = 0.0

    @classmethod
    def start(cls, key: str, *, label: str, total: int | None = None) -> "Progress":
        """Begin (or begin again) the work named `key`, showing it as running."""
        return cls._reset(key, label=label, total=total, state=TaskProgress.State.RUNNING)

    @classmethod
    def waiting(cls, key: str, *, label: str, total: int | None = None) -> "Progress":
        """Show the work named `key` as waiting to start: call it when enqueueing the task."""
        return cls._reset(key, label=label, total=total, state=TaskProgress.State.WAITING)

    @classmethod
    def _reset(cls, key: str, *, label: str, total: int | None, state: str) -> "Progress":
        if not key or len(key) > KEY_MAX_LENGTH or "/" in key:
            raise ValueError(f"A progress key is 1 to {KEY_MAX_LENGTH} characters, without '/'")
        row, _ = TaskProgress.objects.update_or_create(
            key=key,
            defaults={
                "label": label[:LABEL_MAX_LENGTH],
                "total": total,
                "done": 0,
                "message": "",
                "state": state,
                "started_at": timezone.now() if state == TaskProgress.State.RUNNING else None,
            },
        )
        return cls(row)

    def __enter__(self) -> "Progress":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc is not None:
            self.fail(f"{type(exc).__name__}: {exc}")
        elif self.row.state == TaskProgress.State.RUNNING:
            self.finish()

    def advance(
        self, amount: int = 1, *, message: str | None = None, total: int | None = None
    ) -> None:
        """Count `amount` more items done; written at most every WRITE_INTERVAL_SECONDS."""
        if self.row.state == TaskProgress.State.WAITING:
            self.row.state = TaskProgress.State.RUNNING
            self.row.started_at = timezone.now()
        self.row.done += amount
        if total is not None:
            self.row.total = total
        if message is not None:
            self.row.message = message
        now = time.monotonic()
        if now - self._last_write >= WRITE_INTERVAL_SECONDS:
            self._save()
            self._last_write = now

    def finish(self, message: str = "") -> None:
        self.row.state = TaskProgress.State.DONE
        if self.row.total is not None:
            self.row.done = self.row.total
        self.row.message = message
        self._save()

    def fail(self, message: str) -> None:
        self.row.state = TaskProgress.State.FAILED
        self.row.message = message
        self._save()

    def _save(self) -> None:
        self.row.save(
            update_fields=["done", "total", "message", "state", "started_at", "updated_at"]
        )


_NO_ARGUMENTS = {"args": [], "kwargs": {}}


def task_results_prune(*, older_than_days: int) -> dict[str, int]:
    """Delete successful task results and finished progress older than `older_than_days`,
    and clear the arguments of failures that old.

    Failed tasks are kept (TaskFailure and the failed results) until an administrator
    deletes them: a failure must never disappear unseen. Their arguments may hold personal
    data, so past the same period they are emptied; the task, error and traceback stay.
    Returns the number of rows of each kind. The worker runs this every day
    (RETENTION_TASK_RESULTS_DAYS).
    """
    from django_tasks_db.models import DBTaskResult

    if older_than_days < 0:
        raise ValueError("older_than_days must not be negative")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    with transaction.atomic():
        results, _ = DBTaskResult.objects.successful().filter(finished_at__lte=cutoff).delete()
        progress, _ = TaskProgress.objects.filter(
            state=TaskProgress.State.DONE, updated_at__lte=cutoff
        ).delete()
        attempts = (
            TaskFailure.objects.filter(created_at__lte=cutoff)
            .exclude(arguments={})
            .update(arguments={})
        )
        failed_results = (
            DBTaskResult.objects.failed()
            .filter(finished_at__lte=cutoff)
            .exclude(args_kwargs=_NO_ARGUMENTS)
            .update(args_kwargs=_NO_ARGUMENTS)
        )
    return {
        "task_results": results,
        "task_progress": progress,
        "failed_attempt_arguments": attempts,
        "failed_result_arguments": failed_results,
    }


class TaskFailureGone(LookupError):
    """The failure was cleared already (by someone else, a moment ago)."""


def task_failure_clear(*, actor, failure_id: int) -> None:
    """Delete one recorded failure once an administrator has dealt with it (core.edit_site).

    The audit entry keeps what failed, when and why; the task's arguments may hold personal
    data and the log is kept forever, so they are recorded only as "[redacted]".
    Raises TaskFailureGone when there is no such failure.
    """
    require(actor, "core.edit_site")
    with transaction.atomic():
        failure = TaskFailure.objects.select_for_update().filter(pk=failure_id).first()
        if failure is None:
            raise TaskFailureGone(failure_id)
        before = {
            "task_path": failure.task_path,
            "arguments": REDACTED if failure.arguments else failure.arguments,
            "attempt": failure.attempt,
            "will_retry": failure.will_retry,
            "error": failure.error,
            "created_at": failure.created_at.isoformat(),
        }
        failure.delete()
        record(
            actor=actor,
            operation="delete",
            action="core.clear_task_failure",
            object_type="core.taskfailure",
            object_id=str(failure_id),
            object_label=str(failure)[:255],
            before=before,
        )
