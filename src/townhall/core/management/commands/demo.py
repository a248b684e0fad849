"""`townhall demo`: build (or rebuild) the Northbridge demo council."""

from django.core.management.base import BaseCommand, CommandError

from ...demo import DEFAULT_SEED, SIZES, build_demo
from ...demo.accounts import sign_in_details


class Command(BaseCommand):
    help = (
        "Build the fictional Northbridge Borough Council's demo data, replacing any earlier copy."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--size",
            choices=SIZES,
            default="small",
            help="small (quick, for trying it out) or large (for benchmarks). Default: small.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="The same seed always builds the same data (default %(default)s).",
        )

        parser.add_argument(
            "--module",
            action="append",
            dest="modules",
            metavar="APP_LABEL",
            help="Build only this module's part (repeatable; core's part is needed by all).",
        )

    def handle(self, *args, size: str, seed: int, modules: list[str] | None, **options) -> None:
        try:
            build_demo(size, seed, report=self.stdout.write, modules=modules)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if modules is None or "core" in modules:
            for line in sign_in_details():
                self.stdout.write(line)
