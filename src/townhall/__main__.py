"""The `townhall` command: Django's management commands plus Townhall's own.

townhall demo [--size small|large]   load the Northbridge demo council
townhall serve [--demo]              serve with gunicorn (and, with --demo, a worker)
townhall worker                      run background tasks
townhall migrate, createsuperuser, ...  every usual management command
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "townhall.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["townhall", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
