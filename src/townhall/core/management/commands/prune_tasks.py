"""`townhall prune_tasks`: delete finished task records past their retention period, and
clear the arguments (which may hold personal data) of failed tasks as old.

The worker does this every day by itself; the command is for installations that run
tasks without it, or to prune at once.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ...services.tasks import task_results_prune


class Command(BaseCommand):
    help = (
        "Delete successful task results and finished progress older than the retention "
        "period, and clear the arguments of failed tasks as old."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=None,
            help="Default: the RETENTION_TASK_RESULTS_DAYS setting.",
        )

    def handle(self, *args, **options) -> None:
        days = options["older_than_days"]
        if days is None:
            days = settings.RETENTION_TASK_RESULTS_DAYS
        if days < 0:
            raise CommandError("--older-than-days must not be negative.")
        deleted = task_results_prune(older_than_days=days)
        self.stdout.write(
            f"Deleted {deleted['task_results']} task results and "
            f"{deleted['task_progress']} progress records older than {days} days, and cleared "
            f"the arguments of {deleted['failed_attempt_arguments']} failed attempts and "
            f"{deleted['failed_result_arguments']} failed task results."
        )
