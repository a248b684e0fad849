"""`townhall worker`: run background tasks, apply the retention periods once a day, and
run the modules' housekeeping every few minutes.

A thin layer over django-tasks-db's worker (the `db_worker` command) with Townhall's
defaults: every queue, no auto-reload, the retention job and the modules' housekeeping
(putting right what a killed load left, ADR 0038), each run at start and then by a thread
beside the worker. SIGTERM or Ctrl-C lets the task in hand finish, then stops; a
second one stops at once.
"""

import logging
import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker

from ...registry import registry
from ...services.accounts import accounts_purge_unverified
from ...services.subscriptions import subscriptions_purge_unconfirmed
from ...services.tasks import task_results_prune

logger = logging.getLogger("townhall.tasks")

SECONDS_PER_HOUR = 3600
SECONDS_PER_MINUTE = 60
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)
)


class Command(BaseCommand):
    help = "Run background tasks from the database queue (and prune old finished ones)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queues",
            default="*",
            help="Queues to work on, separated by commas; '*' for every queue (default).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when no task is ready (default 1).",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the tasks that are ready, then stop (for tests and cron).",
        )
        parser.add_argument(
            "--prune-every-hours",
            type=float,
            default=24,
            help=(
                "Delete finished task records older than RETENTION_TASK_RESULTS_DAYS this "
                "often; 0 never (default 24)."
            ),
        )
        parser.add_argument(
            "--housekeeping-every-minutes",
            type=float,
            default=5,
            help=(
                "Run the modules' housekeeping (failing loads whose process died, sending "
                "election reminders that are due) this often, and at start; 0 never "
                "(default 5)."
            ),
        )
        parser.add_argument(
            "--backend", default=DEFAULT_TASK_BACKEND_ALIAS, help="The TASKS backend alias."
        )

    def handle(self, *args, **options) -> None:
        backend = task_backends[options["backend"]]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                f"The task backend {options['backend']!r} is {type(backend).__name__}, which "
                "runs tasks without a worker; set TASKS_BACKEND=django_tasks_db.DatabaseBackend."
            )
        every = (
            options["interval"],
            options["prune_every_hours"],
            options["housekeeping_every_minutes"],
        )
        if min(every) < 0:
            raise CommandError(
                "--interval, --prune-every-hours and --housekeeping-every-minutes must not "
                "be negative."
            )
        once, prune_every = options["once"], options["prune_every_hours"]
        housekeeping_every = options["housekeeping_every_minutes"]
        worker = Worker(
            queue_names=options["queues"].split(","),
            interval=options["interval"],
            batch=once,
            backend_name=backend.alias,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if prune_every:
            self._prune()
            if not once:
                self._repeat(self._prune, prune_every * SECONDS_PER_HOUR, "townhall-prune")
        if housekeeping_every:
            self._housekeeping()
            if not once:
                self._repeat(
                    self._housekeeping,
                    housekeeping_every * SECONDS_PER_MINUTE,
                    "townhall-housekeeping",
                )
        self.stdout.write(f"Worker {worker.worker_id} on queues {','.join(worker.queue_names)}")
        previous_handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
        worker.configure_signals()
        try:
            worker.run()
        finally:
            for number, handler in previous_handlers.items():
                signal.signal(number, handler)
            self.stdout.write("Worker stopped")

    def _repeat(self, job, seconds: float, name: str) -> None:
        threading.Thread(
            target=self._periodically, args=(job, seconds), name=name, daemon=True
        ).start()

    def _periodically(self, job, seconds: float) -> None:
        """Run `job` every `seconds`, beside the worker, on this thread's own connection."""
        while True:
            time.sleep(seconds)
            try:
                job()
            except Exception:
                logger.exception("Periodic job %s failed", job.__name__)
            finally:
                connection.close()

    def _housekeeping(self) -> None:
        put_right = sum(job() for job in registry.housekeeping())
        if put_right:
            self.stdout.write(f"Housekeeping put right {put_right} things")

    def _prune(self) -> None:
        erased = accounts_purge_unverified(
            older_than_days=settings.RETENTION_UNVERIFIED_ACCOUNT_DAYS
        )
        if erased:
            self.stdout.write(f"Erased {erased} sign-ups that were never verified")
        purged = subscriptions_purge_unconfirmed(
            older_than_days=settings.RETENTION_UNCONFIRMED_SUBSCRIPTION_DAYS
        )
        if purged:
            self.stdout.write(f"Deleted {purged} subscriptions that were never confirmed")
        deleted = task_results_prune(older_than_days=settings.RETENTION_TASK_RESULTS_DAYS)
        if any(deleted.values()):
            self.stdout.write(
                f"Pruned {deleted['task_results']} task results and "
                f"{deleted['task_progress']} progress records"
            )
