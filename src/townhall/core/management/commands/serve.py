"""`townhall serve`: serve Townhall with gunicorn, and with `--demo` a task worker beside it.

Without `--demo` the command becomes gunicorn (exec), so a process manager's signals
reach gunicorn directly. With `--demo` it starts gunicorn and `townhall worker` as child
processes, passes SIGINT/SIGTERM on to both, and stops the worker when gunicorn stops.
"""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

WORKER_STOP_TIMEOUT_SECONDS = 30
REQUEST_TIMEOUT_SECONDS = 60


def default_workers() -> int:
    """Gunicorn's rule of thumb, (2 x CPUs) + 1, unless WEB_CONCURRENCY says otherwise."""
    configured = os.environ.get("WEB_CONCURRENCY")
    if configured:
        return int(configured)
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_command(*, bind: str, workers: int, timeout: int) -> list[str]:
    """The command line that serves townhall.wsgi with gunicorn."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "townhall.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        str(WORKER_STOP_TIMEOUT_SECONDS),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]


def worker_command() -> list[str]:
    return [sys.executable, "-m", "townhall", "worker"]


def needs_collectstatic() -> bool:
    """Whether static files must be collected first: a manifest storage serves only those."""
    finders_serve = getattr(settings, "WHITENOISE_USE_FINDERS", False)
    return isinstance(storages["staticfiles"], ManifestFilesMixin) and not finders_serve


class Command(BaseCommand):
    help = "Serve Townhall with gunicorn; with --demo, also run a background task worker."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="Address to listen on (default %(default)s)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Web processes (default: WEB_CONCURRENCY, or 2 x CPUs + 1; 2 with --demo).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=REQUEST_TIMEOUT_SECONDS,
            help="Seconds before a stuck request's process is restarted (default %(default)s).",
        )
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also run a task worker, stopped with the server (one command for a demo).",
        )

    def handle(self, *args, **options) -> None:
        workers = options["workers"] or (2 if options["demo"] else default_workers())
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        # The database's own checks too (no demo accounts in production, townhall.core.E003).
        self.check(databases=[DEFAULT_DB_ALIAS])
        self.check_migrations()
        if needs_collectstatic():
            call_command("collectstatic", interactive=False, verbosity=0)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        server = gunicorn_command(bind=options["bind"], workers=workers, timeout=options["timeout"])
        self.stdout.write(f"Serving Townhall on http://{options['bind']}/ with {workers} workers")
        self.stdout.flush()
        if not options["demo"]:
            os.execv(server[0], server)  # noqa: S606 (the arguments are ours, not a shell's)
        sys.exit(self._serve_with_worker(server))

    def _serve_with_worker(self, server: list[str]) -> int:
        """Run gunicorn and a worker until gunicorn stops; return gunicorn's exit status.

        The children have their own process group, so a Ctrl-C reaches each of them once,
        through this process: gunicorn gets the signal received, the worker SIGTERM
        (finish the task in hand, then stop).
        """
        worker = subprocess.Popen(worker_command(), process_group=0)  # noqa: S603
        web = subprocess.Popen(server, process_group=0)  # noqa: S603

        def pass_on(number, frame) -> None:
            if web.poll() is None:
                web.send_signal(number)
            if worker.poll() is None:
                worker.terminate()

        signal.signal(signal.SIGTERM, pass_on)
        signal.signal(signal.SIGINT, pass_on)
        try:
            status = web.wait()
        finally:
            if worker.poll() is None:
                worker.terminate()
            try:
                worker.wait(timeout=WORKER_STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        return status
