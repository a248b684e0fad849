"""`townhall data load DATASET FILE`: load a file into a dataset from the shell.

The file becomes a new version of one of the dataset's resources (chosen with
--resource, or the resource named like the file) or a new resource, and is loaded into
the DataStore at once, with a progress bar on stderr and the ingest report on stdout. The
command exits non-zero with a message when the file is refused or fails to load; the
version served before stays served.

`townhall data sync-platform` lists every module's open-data exports in the catalogue.
"""

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from townhall.core.audit import acting_as

from ... import selectors, services
from ...models import Dataset, Resource

#: Whoever runs a shell command on the server can already do anything; the audit log
#: names them as this actor.
SHELL_ACTOR = SimpleNamespace(
    pk=None,
    is_authenticated=True,
    is_active=True,
    is_staff=True,
    is_superuser=True,
    email="townhall data (command line)",
)
BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Load files into the open data catalogue's DataStore, and sync platform datasets."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        load = commands.add_parser("load", help="Load FILE into dataset DATASET (slug or id).")
        load.add_argument("dataset", metavar="DATASET")
        load.add_argument("file", metavar="FILE")
        load.add_argument("--resource", help="The resource (id or name) to add a version to.")
        load.add_argument("--name", help="The name of the resource (default: the file's name).")
        load.add_argument(
            "--type",
            action="append",
            default=[],
            metavar="COLUMN=TYPE",
            help="Override a column's type (integer, decimal, date, datetime, boolean, text).",
        )
        commands.add_parser("sync-platform", help="Catalogue every module's open-data exports.")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        with acting_as(SHELL_ACTOR):
            if subcommand == "sync-platform":
                datasets = services.platform_datasets_sync()
                self.stdout.write(f"{len(datasets)} platform datasets are in the catalogue.")
                return
            self._load(**options)

    def _load(
        self,
        *,
        dataset: str,
        file: str,
        resource: str | None,
        name: str | None,
        type: list[str],
        **options,
    ) -> None:
        target = selectors.dataset_by_id_or_name(dataset, user=SHELL_ACTOR)
        if target is None:
            raise CommandError(f"There is no dataset called “{dataset}”.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        existing = self._resource(target, resource, name or path.stem)
        column_types = self._column_types(type)
        try:
            with path.open("rb") as handle:
                version = services.resource_upload(
                    actor=SHELL_ACTOR,
                    dataset=target,
                    resource=existing,
                    content=handle,
                    filename=path.name,
                    name=name or path.stem,
                    ingest="never",
                )
            if column_types:
                services.resource_set_column_types(
                    actor=SHELL_ACTOR,
                    resource=version.resource,
                    column_types=column_types,
                    ingest="never",
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if version.ingest_status == version.Ingest.NOT_TABULAR:
            self.stdout.write(
                f"Stored {path.name} ({version.size:,} bytes); it is not a table, so it is not loaded."
            )
            return
        outcome = services.ingest_version(version_id=str(version.pk), on_progress=self._progress)
        sys.stderr.write("\n")
        self._print_report(outcome.report)
        if not outcome.succeeded:
            raise CommandError(
                f"{path.name} did not load: {outcome.error} The previous version is still served."
            )
        self.stdout.write(self.style.SUCCESS(f"Loaded {path.name} into “{target.title}”."))

    def _resource(self, dataset: Dataset, wanted: str | None, default_name: str) -> Resource | None:
        resources = dataset.resources.all()
        if wanted:
            found = next((r for r in resources if str(r.pk) == wanted or r.name == wanted), None)
            if found is None:
                raise CommandError(f"“{dataset.title}” has no resource called “{wanted}”.")
            return found
        return next((r for r in resources if r.name == default_name and not r.url), None)

    def _column_types(self, pairs: list[str]) -> dict[str, str]:
        types = {}
        for pair in pairs:
            column, separator, kind = pair.rpartition("=")
            if not separator or not column:
                raise CommandError(f"Give a type as COLUMN=TYPE, not “{pair}”.")
            if kind not in services.COLUMN_TYPES:
                raise CommandError(
                    f"“{kind}” is not a type; use one of {', '.join(services.COLUMN_TYPES)}."
                )
            types[column] = kind
        return types

    def _progress(self, done: int, total: int | None) -> None:
        if total:
            filled = min(BAR_WIDTH, BAR_WIDTH * done // max(total, 1))
            percent = min(100, 100 * done // max(total, 1))
            bar = f"[{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {percent:3d}% {done:,} of about {total:,} rows"
        else:
            bar = f"{done:,} rows"
        sys.stderr.write(f"\r{bar}")
        sys.stderr.flush()

    def _print_report(self, report) -> None:
        if report is None:
            return
        self.stdout.write(f"Status: {report.status}. {report.message}")
        self.stdout.write(f"Rows: {report.rows:,}   Columns: {len(report.columns)}")
        for column in report.columns:
            self.stdout.write(f"  {column.get('id')}: {column.get('type')}")
        for problem in report.problems[:20]:
            self.stdout.write(
                f"  row {problem.get('row')}, {problem.get('column') or '-'}: "
                f"{problem.get('code')}: {problem.get('message')}"
            )
        if len(report.problems) > 20 or report.problems_truncated:
            self.stdout.write(f"  … and more problems: {report.problem_counts}")
