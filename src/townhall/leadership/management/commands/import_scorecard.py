"""`townhall import_scorecard FILE --by EMAIL [--name --code --type --region]`: import
another council's published digital maturity scorecard to compare with ours.

The file is the JSON a council publishes at /api/v1/scorecard (ADR 0098). The options
give what the file leaves out about the council, or correct it. `--by` names the person
importing, who must be allowed leadership.assess_maturity (the audit log says who). A
file with a problem is refused with the field to fix, and nothing is stored.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from townhall.core import audit

from ... import scorecards, selectors, services


class Command(BaseCommand):
    help = "Import another council's published digital maturity scorecard (JSON) to compare."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The scorecard's JSON file.")
        parser.add_argument("--by", required=True, help="Email of the person importing it.")
        parser.add_argument("--name", default="", help="The council's name, if not the file's.")
        parser.add_argument("--code", default="", help="The council's ONS code (E07000123).")
        parser.add_argument("--type", default="", choices=["", *selectors.COUNCIL_TYPES.values])
        parser.add_argument("--region", default="", choices=["", *selectors.REGIONS.values])

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        actor = get_user_model().objects.filter(email__iexact=options["by"]).first()
        if actor is None:
            raise CommandError(f"No one signs in as {options['by']}.")
        try:
            with path.open("rb") as file:
                raw = file.read(scorecards.MAX_BYTES + 1)
        except OSError:
            raise CommandError(f"There is no file at {path}.") from None
        try:
            with audit.acting_as(actor):
                imported = services.scorecard_import(
                    actor=actor,
                    raw=raw,
                    council_name=options["name"],
                    gss_code=options["code"],
                    council_type=options["type"],
                    region=options["region"],
                )
        except services.LeadershipError as problem:
            raise CommandError(f"{path}: {problem.field}: {problem.message}") from None
        except PermissionDenied:
            raise CommandError(f"{options['by']} may not import scorecards.") from None
        self.stdout.write(
            f"Imported the scorecard of {imported.council} assessed on {imported.assessed_on}."
        )
