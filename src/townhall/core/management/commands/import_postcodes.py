"""`townhall import_postcodes FILE`: load postcodes from the ONS Postcode Directory (CSV).

Download the ONSPD from the ONS Open Geography Portal and give the main CSV file (or a
cut of it with the same header). Run it again with a newer release to update; rows are
matched on the postcode.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...services.geography import GeographyImportError, postcodes_import

SKIPPED_ROWS_SHOWN = 20


class Command(BaseCommand):
    help = "Import postcodes from a CSV in the ONS Postcode Directory layout."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path, help="The ONSPD CSV file.")
        parser.add_argument(
            "--local-authority",
            default="",
            metavar="CODE",
            help="Keep only postcodes of this local authority (its ONS code, like E07000123).",
        )

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            report = postcodes_import(path=path, local_authority=options["local_authority"])
        except GeographyImportError as error:
            raise CommandError(str(error)) from None
        for line, reason in report.skipped[:SKIPPED_ROWS_SHOWN]:
            self.stderr.write(f"Line {line} skipped: {reason}")
        if len(report.skipped) > SKIPPED_ROWS_SHOWN:
            self.stderr.write(
                f"... and {len(report.skipped) - SKIPPED_ROWS_SHOWN} more rows skipped"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Read {report.read} rows: stored {report.stored} postcodes "
                f"({report.created} new), skipped {len(report.skipped)}."
            )
        )
