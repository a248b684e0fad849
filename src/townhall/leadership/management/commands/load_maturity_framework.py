"""`townhall load_maturity_framework FILE --by EMAIL`: load a digital maturity framework.

The file is JSON in the format ADR 0095 and leadership's maturity.py describe; the
default framework ships as frameworks/townhall-digital-maturity.json. `--by` names the
person loading it, who must be allowed leadership.assess_maturity (the audit log says
who). A file with a problem is refused with the field to fix, and nothing is stored.
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from ... import maturity, services


class Command(BaseCommand):
    help = "Load a digital maturity framework from a JSON file (the default one when none)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file", type=Path, nargs="?", default=maturity.DEFAULT_FRAMEWORK, help="The file."
        )
        parser.add_argument("--by", required=True, help="Email of the person loading it.")

    def handle(self, *args, **options) -> None:
        path: Path = options["file"]
        actor = get_user_model().objects.filter(email__iexact=options["by"]).first()
        if actor is None:
            raise CommandError(f"No one signs in as {options['by']}.")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError:
            raise CommandError(f"There is no file at {path}.") from None
        except ValueError as problem:
            raise CommandError(f"{path} is not JSON: {problem}") from None
        try:
            framework = services.maturity_framework_load(actor=actor, data=data)
        except services.LeadershipError as problem:
            raise CommandError(f"{path}: {problem.field}: {problem.message}") from None
        except PermissionDenied:
            raise CommandError(f"{options['by']} may not load maturity frameworks.") from None
        self.stdout.write(f"Loaded {framework} (version {framework.version}).")
