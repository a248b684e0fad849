from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskProgress(models.Model):
    """How far a long-running task (an import, an ingest) has got, for the progress display."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=100, unique=True)
    label = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State, default=State.WAITING)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")

    def __str__(self) -> str:
        return self.label


class TaskFailure(models.Model):
    """A background task attempt that raised. Kept so no failure is silently lost."""

    task_path = models.CharField(max_length=255, db_index=True)
    arguments = models.JSONField(default=dict)
    attempt = models.PositiveSmallIntegerField()
    will_retry = models.BooleanField()
    error = models.TextField()
    traceback = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed task")
        verbose_name_plural = _("failed tasks")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.task_path} (attempt {self.attempt})"
