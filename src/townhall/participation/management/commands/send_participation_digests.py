"""`townhall send_participation_digests daily|weekly`: the name this had before digests
moved to core (`townhall send_digests`), kept so that existing cron entries still work."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Email followers their waiting daily or weekly updates (same as send_digests)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("frequency", choices=["daily", "weekly"])

    def handle(self, *args, frequency: str, **options) -> None:
        call_command("send_digests", frequency, stdout=self.stdout)
