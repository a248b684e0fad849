"""Tasks the tests enqueue, and a switch to the real database task backend.

The tasks live at module level, as Django requires, so the worker can import them by
their dotted path.
"""

import contextlib
from collections.abc import Iterator

import pytest
from asgiref.local import Local
from django.tasks import task_backends
from django.test import override_settings

from townhall.core.tasks import retrying_task

CALLS: list[str] = []

# The worker closes connections that are inside a transaction, as the test's own
# transaction is; a test that runs it commits for real and has the tables emptied after.
# The flush re-runs post_migrate, which puts the roles back. Not serialized_rollback: after
# another transactional test's flush had re-made the roles, reloading the serialized ones
# on top of them failed on their unique names, so these tests broke when run after those.
runs_the_worker = pytest.mark.django_db(transaction=True)


@retrying_task(backoff_seconds=0)
def add(first: int, second: int) -> int:
    CALLS.append("add")
    return first + second


@retrying_task(max_attempts=3, backoff_seconds=0)
def always_fails(reason: str) -> None:
    CALLS.append(reason)
    raise RuntimeError(reason)


@retrying_task(max_attempts=3, backoff_seconds=0)
def fails_once(reason: str) -> str:
    CALLS.append(reason)
    if CALLS.count(reason) == 1:
        raise RuntimeError(reason)
    return "recovered"


@retrying_task(max_attempts=2, backoff_seconds=60)
def fails_slowly(reason: str) -> None:
    CALLS.append(reason)
    raise RuntimeError(reason)


def _forget_backends() -> None:
    """Django caches task backends and does not listen for TASKS changing; start afresh."""
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)


@contextlib.contextmanager
def database_task_backend(queues: list[str] | None = None) -> Iterator[None]:
    """Run the block with django-tasks-db's backend, as production does."""
    backend = {"BACKEND": "django_tasks_db.DatabaseBackend"}
    if queues is not None:
        backend["QUEUES"] = queues
    CALLS.clear()
    with override_settings(TASKS={"default": backend}):
        _forget_backends()
        try:
            yield
        finally:
            _forget_backends()
