"""Background tasks: retried when they fail, recorded, never silently lost."""

import io
import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from tests.core import background
from tests.core.background import database_task_backend, runs_the_worker
from tests.core.factories import TaskProgressFactory
from townhall.core.models import TaskFailure, TaskProgress
from townhall.core.selectors.tasks import exhausted_failures
from townhall.core.services.tasks import task_results_prune
from townhall.core.tasks import enqueue_on_commit, retrying_task

pytestmark = pytest.mark.django_db


def run_worker(*options: str) -> None:
    call_command("worker", "--once", "--prune-every-hours=0", *options, stdout=io.StringIO())


@runs_the_worker
def test_task_on_the_database_backend_waits_for_the_worker_and_stores_its_result():
    with database_task_backend():
        result = background.add.enqueue(2, 3)
        assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.READY

        run_worker()

        stored = background.add.get_result(result.id)
        assert stored.status == TaskResultStatus.SUCCESSFUL
        assert stored.return_value == 5


@runs_the_worker
def test_failing_task_is_recorded_retried_and_given_up_after_max_attempts(caplog):
    with database_task_backend():
        background.always_fails.enqueue("disk full")

        with caplog.at_level(logging.ERROR, logger="townhall.tasks"):
            run_worker()

        assert background.CALLS == ["disk full"] * 3
        assert DBTaskResult.objects.failed().count() == 3
        failures = TaskFailure.objects.order_by("attempt")
        assert [(f.attempt, f.will_retry) for f in failures] == [(1, True), (2, True), (3, False)]
        assert failures[0].task_path == "tests.core.background.always_fails"
        assert failures[0].arguments == {"args": ["disk full"], "kwargs": {}}
        assert "RuntimeError: disk full" in failures[0].traceback
        assert exhausted_failures() == [failures[2]]
        assert "failed for the last time (attempt 3 of 3)" in caplog.text


@runs_the_worker
def test_retry_waits_for_the_back_off_on_the_same_queue_and_priority():
    with database_task_backend(queues=["default", "imports"]):
        background.fails_slowly.using(queue_name="imports", priority=7).enqueue("timeout")
        before = timezone.now()

        run_worker("--queues=imports")

        retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert (retry.queue_name, retry.priority) == ("imports", 7)
        assert retry.run_after >= before + timedelta(seconds=60)
        assert retry.args_kwargs["kwargs"] == {"_townhall_attempt": 2}
        assert background.CALLS == ["timeout"]


def test_task_that_fails_once_succeeds_on_its_retry():
    background.CALLS.clear()

    result = background.fails_once.enqueue("flaky network")

    assert background.CALLS == ["flaky network", "flaky network"]
    assert result.status == TaskResultStatus.FAILED
    assert TaskFailure.objects.get().will_retry is True


def test_failure_that_cannot_be_recorded_is_logged_and_still_retried(monkeypatch, caplog):
    background.CALLS.clear()

    def database_down(**fields):
        raise DatabaseError("database is down")

    monkeypatch.setattr(TaskFailure.objects, "create", database_down)
    with caplog.at_level(logging.ERROR, logger="townhall.tasks"):
        result = background.always_fails.enqueue("disk full")

    assert background.CALLS == ["disk full"] * 3
    assert result.errors[0].exception_class_path == "builtins.RuntimeError"
    assert "Could not record the failure of tests.core.background.always_fails" in caplog.text
    assert "RuntimeError: disk full" in caplog.text


def test_enqueue_on_commit_waits_for_the_transaction_to_commit(django_capture_on_commit_callbacks):
    with database_task_backend():
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_on_commit(background.add, 1, 2)
            assert not DBTaskResult.objects.exists()

        assert DBTaskResult.objects.get().args_kwargs == {"args": [1, 2], "kwargs": {}}


def test_enqueue_on_commit_never_enqueues_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    with database_task_backend():
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(ValueError),
            transaction.atomic(),
        ):
            enqueue_on_commit(background.add, 1, 2)
            raise ValueError("form invalid")

        assert callbacks == []
        assert not DBTaskResult.objects.exists()


def test_enqueue_on_commit_refuses_arguments_that_are_not_json_at_once():
    with pytest.raises(TypeError, match="JSON-safe"):
        enqueue_on_commit(background.add, object(), 2)


def test_enqueue_that_fails_after_commit_is_recorded_as_a_failure(
    django_capture_on_commit_callbacks, monkeypatch
):
    def queue_unavailable(self, task, args, kwargs):
        raise DatabaseError("database is locked")

    with database_task_backend():
        monkeypatch.setattr(DatabaseBackend, "enqueue", queue_unavailable)
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_on_commit(background.add, 1, 2)

        failure = TaskFailure.objects.get()
        assert (failure.attempt, failure.will_retry) == (0, False)
        assert failure.task_path == "tests.core.background.add"
        assert failure.arguments == {"args": [1, 2], "kwargs": {}}
        assert failure.error == "DatabaseError: database is locked"


def test_retrying_task_refuses_fewer_than_one_attempt():
    with pytest.raises(ValueError, match="max_attempts"):
        retrying_task(max_attempts=0)


@runs_the_worker
def test_prune_deletes_old_successful_results_and_finished_progress_but_keeps_failures():
    with database_task_backend():
        old_success = background.add.enqueue(1, 1)
        recent_success = background.add.enqueue(2, 2)
        background.always_fails.enqueue("old failure")
        run_worker()
        long_ago = timezone.now() - timedelta(days=91)
        DBTaskResult.objects.exclude(id=recent_success.id).update(finished_at=long_ago)
        finished = TaskProgressFactory(state=TaskProgress.State.DONE)
        running = TaskProgressFactory(state=TaskProgress.State.RUNNING)
        TaskProgress.objects.filter(pk__in=[finished.pk, running.pk]).update(updated_at=long_ago)

        TaskFailure.objects.update(created_at=long_ago)
        background.always_fails.enqueue("recent failure")
        run_worker()

        deleted = task_results_prune(older_than_days=90)

        assert deleted == {
            "task_results": 1,
            "task_progress": 1,
            "failed_attempt_arguments": 3,  # the old task failed three times
            "failed_result_arguments": 3,
        }
        assert not DBTaskResult.objects.filter(id=old_success.id).exists()
        assert DBTaskResult.objects.filter(id=recent_success.id).exists()
        assert DBTaskResult.objects.failed().count() == 6
        assert TaskFailure.objects.count() == 6
        assert list(TaskProgress.objects.all()) == [running]
        kept = {str(failure.arguments) for failure in TaskFailure.objects.exclude(arguments={})}
        assert kept == {str({"args": ["recent failure"], "kwargs": {}})}
