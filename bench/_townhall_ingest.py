"""Run by datastore_ingest.py in a fresh process: migrate, then load the CSV with Townhall.

Prints one JSON line: {"seconds", "rows", "report_seconds", "phases"}.
"""

import json
import sys
import time
import uuid

import django

# The benchmark's table belongs to no dataset: the bench app (datastore_bench_visibility)
# owns it and lets everyone read it.
BENCH_OWNER = "datastore_bench_visibility"


def main() -> None:
    django.setup()
    from django.core.management import call_command

    from townhall.datastore import services

    call_command("migrate", verbosity=0)
    table_id = uuid.UUID(sys.argv[2])
    started = time.perf_counter()
    report = services.ingest_file(
        table_id=table_id, owner=BENCH_OWNER, path=sys.argv[1], filename="spend.csv"
    )
    seconds = time.perf_counter() - started
    if not report.ok:
        sys.exit(f"Townhall's load failed: {report.message}")
    print(json.dumps({"seconds": seconds, "rows": report.rows, "passes": report.passes}))


if __name__ == "__main__":
    main()
