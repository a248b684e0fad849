"""`townhall send_digests daily|weekly`: run from cron once a day and once a week."""

from django.core.management.base import BaseCommand

from ...models import Frequency
from ...services.subscriptions import send_digests


class Command(BaseCommand):
    help = "Email followers their waiting daily or weekly updates."

    def add_arguments(self, parser) -> None:
        parser.add_argument("frequency", choices=[Frequency.DAILY, Frequency.WEEKLY])

    def handle(self, *args, frequency: str, **options) -> None:
        send_digests.enqueue(frequency)
        self.stdout.write(f"{frequency} digests queued")
