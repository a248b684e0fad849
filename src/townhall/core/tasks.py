"""Background tasks that are retried when they fail and never silently lost.

Django's tasks API records one attempt per enqueued task and does not retry. Townhall's
`retrying_task` keeps the same API (`my_task.enqueue(...)`) and adds:

- every failed attempt is written to TaskFailure (shown to administrators in the admin)
  with its arguments and traceback;
- the task is enqueued again, on the same backend, queue and priority, with exponential
  back-off (30 s, 60 s, 120 s, ...) until `max_attempts` is reached;
- the last failure is also logged at ERROR level, so it reaches the operators' logs;
- when the failure cannot be written to the database (the database may be what failed),
  it is logged instead, and the original error is never masked.

Work started by a request that also writes to the database should use
`enqueue_on_commit(task, ...)`: the worker then never sees a task whose data was rolled
back, nor starts before the data it needs is committed.

Arguments must be JSON-safe (str, int, float, bool, None, lists and dicts of them).
"""

import functools
import json
import logging
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.tasks import Task, TaskContext, task
from django.utils import timezone

logger = logging.getLogger("townhall.tasks")

ATTEMPT_KWARG = "_townhall_attempt"


def retrying_task(
    function: Callable[..., Any] | None = None,
    *,
    max_attempts: int = 3,
    backoff_seconds: int = 30,
    **task_options: Any,
):
    """Decorate a module-level function as a background task that retries on failure.

    Usable bare (`@retrying_task`) or with options (`@retrying_task(max_attempts=5,
    queue_name="imports")`); other options are Django's `@task` options. With
    `takes_context=True` the function receives Django's TaskContext first, as with `@task`.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    if backoff_seconds < 0:
        raise ValueError("backoff_seconds must not be negative")
    wants_context = task_options.pop("takes_context", False)

    def decorate(func: Callable[..., Any]) -> Task:
        path = f"{func.__module__}.{func.__qualname__}"

        def run(context: TaskContext, *args: Any, **kwargs: Any) -> Any:
            attempt = kwargs.pop(ATTEMPT_KWARG, 1)
            try:
                if wants_context:
                    return func(context, *args, **kwargs)
                return func(*args, **kwargs)
            except Exception as error:
                _after_failure(
                    context.task_result.task,
                    path=path,
                    args=args,
                    kwargs=kwargs,
                    attempt=attempt,
                    max_attempts=max_attempts,
                    backoff_seconds=backoff_seconds,
                    error=error,
                )
                raise

        # The task is found again by the worker from its module path, so `run` takes the
        # decorated function's name; without __wrapped__ Django sees run's own signature,
        # whose first argument is the context it always asks for.
        functools.update_wrapper(run, func)
        del run.__wrapped__
        return task(run, takes_context=True, **task_options)

    return decorate(function) if function is not None else decorate


def enqueue_on_commit(scheduled: Task, *args: Any, **kwargs: Any) -> None:
    """Enqueue `scheduled` once the current transaction commits; at once outside one.

    If the transaction rolls back, the task is never enqueued. Arguments are checked for
    JSON-safety now, where the mistake is, rather than after the commit. If enqueueing
    fails after the commit (the data is saved by then), the failure is recorded as a
    TaskFailure with its arguments, so an administrator can see and repeat it.
    """
    try:
        json.dumps([args, kwargs])
    except (TypeError, ValueError) as error:
        raise TypeError(f"Task arguments must be JSON-safe: {error}") from error
    transaction.on_commit(functools.partial(_enqueue_or_record, scheduled, args, kwargs))


def _enqueue_or_record(scheduled: Task, args: tuple, kwargs: dict) -> None:
    try:
        scheduled.enqueue(*args, **kwargs)
    except Exception as error:
        path = scheduled.module_path
        logger.exception("Could not enqueue %s with %r %r", path, args, kwargs)
        _record_failure(path, args, kwargs, attempt=0, will_retry=False, error=error)


def _after_failure(
    current: Task,
    *,
    path: str,
    args: tuple,
    kwargs: dict,
    attempt: int,
    max_attempts: int,
    backoff_seconds: int,
    error: Exception,
) -> None:
    """Record a failed attempt and schedule the next one. Never raises."""
    will_retry = attempt < max_attempts
    failure = _record_failure(
        path, args, kwargs, attempt=attempt, will_retry=will_retry, error=error
    )
    if will_retry:
        delay = timedelta(seconds=backoff_seconds * 2 ** (attempt - 1))
        try:
            _enqueue_again(current, args, {**kwargs, ATTEMPT_KWARG: attempt + 1}, delay)
        except Exception:
            logger.exception("Could not enqueue attempt %d of %s", attempt + 1, path)
            will_retry = False
            _mark_final(failure)
    if not will_retry:
        logger.error(
            "Task %s failed for the last time (attempt %d of %d): %s",
            path,
            attempt,
            max_attempts,
            _describe(error),
        )


def _record_failure(path, args, kwargs, *, attempt: int, will_retry: bool, error: Exception):
    """Write a TaskFailure and return it, or log and return None when the write fails.

    The write has its own savepoint, so a failed write leaves the caller's transaction
    usable on PostgreSQL.
    """
    from .models import TaskFailure

    try:
        with transaction.atomic():
            return TaskFailure.objects.create(
                task_path=path[:255],
                arguments={"args": list(args), "kwargs": kwargs},
                attempt=attempt,
                will_retry=will_retry,
                error=_describe(error)[:4000],
                traceback="".join(traceback.format_exception(error))[-20000:],
            )
    except Exception:
        logger.exception(
            "Could not record the failure of %s (attempt %d) with %r %r: %s",
            path,
            attempt,
            args,
            kwargs,
            _describe(error),
        )
        return None


def _mark_final(failure) -> None:
    if failure is None:
        return
    try:
        failure.will_retry = False
        failure.save(update_fields=["will_retry"])
    except Exception:
        logger.exception("Could not mark the failure of %s as final", failure.task_path)


def _enqueue_again(current: Task, args: tuple, kwargs: dict, delay: timedelta) -> None:
    """Enqueue the next attempt on the backend, queue and priority this attempt ran with."""
    if current.get_backend().supports_defer:
        current = current.using(run_after=timezone.now() + delay)
    current.enqueue(*args, **kwargs)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"
