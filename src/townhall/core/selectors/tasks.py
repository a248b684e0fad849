"""Reads of task progress and failures."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..models import TaskFailure, TaskProgress

FINISHED_STATES = frozenset({TaskProgress.State.DONE, TaskProgress.State.FAILED})


@dataclass(frozen=True)
class ProgressReport:
    """What the progress display and its JSON show about one piece of work."""

    key: str
    label: str
    state: str
    state_label: str
    done: int
    total: int | None
    percent: int | None
    summary: str
    message: str
    finished: bool
    updated_at: datetime


def progress_for(key: str) -> TaskProgress | None:
    return TaskProgress.objects.filter(key=key).first()


def progress_report(key: str) -> ProgressReport | None:
    """The progress of the work named `key`, worded in the active language; None if unknown.

    `percent` is None when the total is unknown (the display then counts items done).
    """
    row = progress_for(key)
    if row is None:
        return None
    percent = _percent(row)
    return ProgressReport(
        key=row.key,
        label=row.label,
        state=row.state,
        state_label=str(row.get_state_display()),
        done=row.done,
        total=row.total,
        percent=percent,
        summary=_summary(row, percent),
        message=row.message,
        finished=row.state in FINISHED_STATES,
        updated_at=row.updated_at,
    )


def _percent(row: TaskProgress) -> int | None:
    if row.state == TaskProgress.State.DONE:
        return 100
    if row.total:
        return min(100, row.done * 100 // row.total)
    return None if row.total is None else 0


def _summary(row: TaskProgress, percent: int | None) -> str:
    done = number_format(row.done, force_grouping=True)
    if row.total is None:
        return _("%(done)s done") % {"done": done}
    total = number_format(row.total, force_grouping=True)
    return _("%(percent)s%% complete (%(done)s of %(total)s)") % {
        "percent": percent,
        "done": done,
        "total": total,
    }


def recent_failures(limit: int = 50) -> list[TaskFailure]:
    return list(TaskFailure.objects.all()[:limit])


def exhausted_failures(limit: int = 50) -> list[TaskFailure]:
    """Failures that will not be retried: the work was given up and needs a person."""
    return list(TaskFailure.objects.filter(will_retry=False)[:limit])


def task_failures() -> QuerySet[TaskFailure]:
    """Every recorded failure, newest first, for the staff page (arguments not loaded)."""
    return TaskFailure.objects.defer("arguments", "traceback").order_by("-created_at", "-id")


def task_failure(failure_id: int) -> TaskFailure | None:
    return TaskFailure.objects.filter(pk=failure_id).first()


def given_up_count() -> int:
    """How many failures will not be retried: work that was given up and needs a person."""
    return TaskFailure.objects.filter(will_retry=False).count()
