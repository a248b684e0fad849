"""The `townhall` command's own subcommands: serve, worker, demo and prune_tasks."""

import io
import os
import signal
import subprocess
import sys
import urllib.request
from datetime import timedelta

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.core import background
from tests.core.background import database_task_backend, runs_the_worker
from tests.core.processes import free_port, read_until
from townhall.core.management.commands.serve import (
    default_workers,
    gunicorn_command,
    needs_collectstatic,
)
from townhall.core.models import Postcode
from townhall.core.registry import Manifest, registry


def run(*arguments: str) -> str:
    out = io.StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


# serve -------------------------------------------------------------------------------


def test_serve_help_lists_its_options():
    parser = load_command_class("townhall.core", "serve").create_parser("townhall", "serve")

    help_text = parser.format_help()

    for option in ("--bind", "--workers", "--timeout", "--demo"):
        assert option in help_text


def test_serve_runs_gunicorn_on_the_wsgi_application_with_an_access_log():
    command = gunicorn_command(bind="0.0.0.0:9000", workers=3, timeout=45)

    assert command[:4] == [sys.executable, "-m", "gunicorn", "townhall.wsgi:application"]
    assert command[command.index("--bind") + 1] == "0.0.0.0:9000"
    assert command[command.index("--workers") + 1] == "3"
    assert command[command.index("--timeout") + 1] == "45"
    assert command[command.index("--access-logfile") + 1] == "-"


def test_serve_workers_follow_web_concurrency_or_the_cpu_count(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert default_workers() == 2 * (os.cpu_count() or 1) + 1

    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    assert default_workers() == 4


def test_serve_collects_static_files_only_for_a_manifest_storage(settings):
    assert not needs_collectstatic()

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False

    assert needs_collectstatic()


def test_serve_demo_serves_the_site_with_a_worker_and_stops_both_on_sigterm(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "townhall.settings.dev",
        "TOWNHALL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/townhall.sqlite3",
        "PYTHONUNBUFFERED": "1",
    }
    townhall = [sys.executable, "-m", "townhall"]
    subprocess.run([*townhall, "migrate", "-v0"], env=environment, check=True, timeout=120)
    port = free_port()
    serve = subprocess.Popen(
        [*townhall, "serve", "--demo", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        started = read_until(serve, "Listening at", "on queues *")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as health:
            assert health.status == 200
        serve.send_signal(signal.SIGTERM)
        stopped, _ = serve.communicate(timeout=60)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()

    assert serve.returncode == 0, started + stopped
    assert f"Serving Townhall on http://127.0.0.1:{port}/ with 1 workers" in started
    assert "Worker stopped" in stopped
    assert "Shutting down: Master" in stopped


# worker --------------------------------------------------------------------------------


@runs_the_worker
def test_worker_once_runs_the_ready_tasks_then_stops():
    with database_task_backend():
        first, second = background.add.enqueue(1, 2), background.add.enqueue(3, 4)

        output = run("worker", "--once")

        assert "Worker stopped" in output
        results = DBTaskResult.objects.filter(id__in=[first.id, second.id])
        assert sorted(result.return_value for result in results) == [3, 7]


@runs_the_worker
def test_worker_prunes_successful_results_past_their_retention(settings):
    settings.RETENTION_TASK_RESULTS_DAYS = 30
    with database_task_backend():
        old = background.add.enqueue(1, 2)
        run("worker", "--once", "--prune-every-hours=0")
        DBTaskResult.objects.filter(id=old.id).update(
            finished_at=timezone.now() - timedelta(days=31)
        )

        output = run("worker", "--once")

        assert "Pruned 1 task results" in output
        assert not DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).exists()


@runs_the_worker
def test_worker_runs_every_modules_housekeeping_when_it_starts(monkeypatch):
    calls = []

    def put_two_things_right() -> int:
        calls.append("ran")
        return 2

    monkeypatch.setitem(
        registry._manifests,
        "housekeeping_tests",
        Manifest(app_label="housekeeping_tests", name="x", housekeeping=(put_two_things_right,)),
    )
    with database_task_backend():
        output = run("worker", "--once")

    assert calls == ["ran"]
    assert "Housekeeping put right 2 things" in output


@pytest.mark.django_db
def test_worker_refuses_a_backend_that_needs_no_worker():
    with pytest.raises(CommandError, match="runs tasks without a worker"):
        run("worker", "--once")


@pytest.mark.django_db
def test_prune_tasks_reports_what_it_deleted():
    assert run("prune_tasks", "--older-than-days=7") == (
        "Deleted 0 task results and 0 progress records older than 7 days, and cleared the "
        "arguments of 0 failed attempts and 0 failed task results.\n"
    )


# demo ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_command_builds_the_council_and_reports_each_step():
    output = run("demo", "--size", "small", "--seed", "3", "--module", "core")

    assert "Wards, postcodes and addresses: " in output
    assert "Northbridge (small, seed 3) built in " in output
    assert Postcode.objects.count() == 600


@pytest.mark.django_db
def test_demo_command_refuses_an_unknown_module():
    with pytest.raises(CommandError, match="No module is called nonesuch"):
        run("demo", "--module", "nonesuch")
