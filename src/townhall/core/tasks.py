"""Background tasks that are retried when they fail and never silently lost.

Django's tasks API records one attempt per enqueued task and does not retry. Townhall's
`retrying_task` keeps the same API (`my_task.enqueue(...)`) and adds: every failed
attempt is written to TaskFailure with its traceback, and the task is enqueued again
with exponential back-off until `max_attempts` is reached. Arguments must be JSON-safe.
"""

import functools
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.tasks import task
from django.utils import timezone

ATTEMPT_KWARG = "_townhall_attempt"


def retrying_task(
    function: Callable[..., Any] | None = None,
    *,
    max_attempts: int = 3,
    backoff_seconds: int = 30,
    **task_options: Any,
):
    """Decorate a module-level function as a background task that retries on failure."""

    def decorate(func: Callable[..., Any]):
        path = f"{func.__module__}.{func.__qualname__}"

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            attempt = kwargs.pop(ATTEMPT_KWARG, 1)
            try:
                return func(*args, **kwargs)
            except Exception as error:
                will_retry = attempt < max_attempts
                _record_failure(path, args, kwargs, attempt, will_retry, error)
                if will_retry:
                    delay = timedelta(seconds=backoff_seconds * 2 ** (attempt - 1))
                    _enqueue_again(scheduled, args, {**kwargs, ATTEMPT_KWARG: attempt + 1}, delay)
                raise

        scheduled = task(run, **task_options)
        return scheduled

    return decorate(function) if function is not None else decorate


def _record_failure(path, args, kwargs, attempt, will_retry, error) -> None:
    from .models import TaskFailure

    TaskFailure.objects.create(
        task_path=path,
        arguments={"args": list(args), "kwargs": kwargs},
        attempt=attempt,
        will_retry=will_retry,
        error=f"{type(error).__name__}: {error}"[:4000],
        traceback="".join(traceback.format_exception(error))[-20000:],
    )


def _enqueue_again(scheduled, args, kwargs, delay: timedelta) -> None:
    backend = scheduled.get_backend()
    if backend.supports_defer:
        scheduled.using(run_after=timezone.now() + delay).enqueue(*args, **kwargs)
    else:
        scheduled.enqueue(*args, **kwargs)
