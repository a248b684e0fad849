"""Reads of task progress and failures."""

from ..models import TaskFailure, TaskProgress


def progress_for(key: str) -> TaskProgress | None:
    return TaskProgress.objects.filter(key=key).first()


def recent_failures(limit: int = 50) -> list[TaskFailure]:
    return list(TaskFailure.objects.all()[:limit])
