"""The `townhall` command: Django's management commands plus Townhall's own.

townhall demo [--size small|large] [--seed N]   build the Northbridge demo council
townhall serve [--bind ADDRESS] [--demo]       serve with gunicorn (with --demo, a worker too)
townhall worker [--once]                       run background tasks
townhall prune_tasks                           delete finished task records past retention
townhall migrate, createsuperuser, ...         every usual management command

Development settings are the default; set DJANGO_SETTINGS_MODULE (for example
townhall.settings.prod) to choose others.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["townhall", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
