"""Progress of long-running work, for the progress display and `townhall` commands."""

import time

from django.utils import timezone

from ..models import TaskProgress

WRITE_INTERVAL_SECONDS = 0.5


class Progress:
    """Reports how far a task has got. Writes are throttled so a tight loop stays fast.

    progress = Progress.start("ingest:<uuid>", label="Loading spend.csv", total=rows)
    for batch in batches:
        progress.advance(len(batch))
    progress.finish("Loaded 1,000,000 rows")
    """

    def __init__(self, row: TaskProgress) -> None:
        self.row = row
        self._last_write = 0.0

    @classmethod
    def start(cls, key: str, *, label: str, total: int | None = None) -> "Progress":
        row, _ = TaskProgress.objects.update_or_create(
            key=key,
            defaults={
                "label": label[:200],
                "total": total,
                "done": 0,
                "message": "",
                "state": TaskProgress.State.RUNNING,
                "started_at": timezone.now(),
            },
        )
        return cls(row)

    def advance(
        self, amount: int = 1, *, message: str | None = None, total: int | None = None
    ) -> None:
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
        self.row.save(update_fields=["done", "total", "message", "state", "updated_at"])
