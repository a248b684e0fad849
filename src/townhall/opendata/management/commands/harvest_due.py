"""`townhall harvest_due`: ask for a harvest of every source whose schedule says it is due.

Run it from cron or a systemd timer (every hour is plenty; docs/operations.md): it only
queues runs, which `townhall worker` carries out. A source already waiting or running is
not queued twice. With --now the runs are carried out in this process instead.
"""

from typing import Any

from django.core.management.base import BaseCommand

from ...harvest import services


class Command(BaseCommand):
    help = "Queue a harvest of every harvest source that is due (daily or weekly)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Carry the runs out here rather than queue them."
        )

    def handle(self, *args: Any, now: bool = False, **options: Any) -> None:
        runs = services.harvest_due()
        for run in runs:
            run.refresh_from_db()
            if now and run.status == run.Status.WAITING:
                run = services.harvest_run_execute(run_id=str(run.pk))
            self.stdout.write(f"{run.source.title}: {run.get_status_display()}")
        self.stdout.write(f"{len(runs)} harvest(s) due.")
