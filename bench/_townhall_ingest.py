"""Run by datastore_ingest.py in a fresh process: migrate, then load the CSV with Townhall.

Prints one JSON line: {"seconds", "served_seconds", "rows", "passes"}: until the load
returned (every index built) and until the new rows were served (ADR 0038).
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
    served = []
    started = time.perf_counter()
    report = services.ingest_file(
        table_id=table_id,
        owner=BENCH_OWNER,
        path=sys.argv[1],
        filename="spend.csv",
        on_served=lambda rows: served.append(time.perf_counter() - started),
    )
    seconds = time.perf_counter() - started
    if not report.ok:
        sys.exit(f"Townhall's load failed: {report.message}")
    figures = {"seconds": seconds, "served_seconds": served[0], "rows": report.rows}
    print(json.dumps(figures | {"passes": report.passes}))


if __name__ == "__main__":
    main()
