# ruff: noqa: S603 - runs our own tools with fixed arguments
"""Ingest benchmark: a 1,000,000-row, 10-column CSV into a typed table, against reference tools.

    make bench                                  (installs .venv-bench, runs both benchmarks)
    .venv/bin/python bench/datastore_ingest.py [--rows N] [--skip-sqlite-utils]
    scripts/throwaway-postgres .venv/bin/python bench/datastore_ingest.py --postgres

On SQLite: Townhall (typed; then typed + indexed on every column + full text, timed until
the new rows are served and until every index is built, ADR 0038), sqlite-utils
`insert --csv` (Datasette's path; it detects types), and DuckDB's `read_csv` into a table.
With --postgres (DATABASE_URL set): Townhall, and a raw `COPY` into a typed table.
Prints seconds, rows per second and the ratio of each time to DuckDB's.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
WORK = ROOT / "var" / "bench"
BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"
TOWNHALL_PYTHON = ROOT / ".venv" / "bin" / "python"
TABLE_ID = "6d0a6b5e-1c1e-4b51-9a55-000000000001"
PG_TYPES = [
    "bigint",
    "date",
    "timestamp",
    "text",
    "text",
    "text",
    "numeric",
    "numeric",
    "boolean",
    "text",
]


def ensure_csv(rows: int) -> Path:
    path = WORK / f"spend-{rows}.csv"
    if not path.exists():
        subprocess.run(
            [str(TOWNHALL_PYTHON), str(BENCH / "make_csv.py"), str(path), "--rows", str(rows)],
            check=True,
        )
    return path


def townhall(csv: Path, *, var_dir: Path | None, indexed: bool) -> tuple[float, float]:
    """Load with Townhall in a fresh process and database; return the seconds until the
    new rows were served and until the load returned with every index built."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "datastore_bench_settings",
        "PYTHONPATH": f"{BENCH}{os.pathsep}{ROOT / 'src'}",
        "BENCH_INDEXED_COLUMNS": "32" if indexed else "0",
        "BENCH_FULL_TEXT": "1" if indexed else "0",
    }
    if var_dir is not None:
        shutil.rmtree(var_dir, ignore_errors=True)
        var_dir.mkdir(parents=True)
        environment["TOWNHALL_VAR_DIR"] = str(var_dir)
        environment.pop("DATABASE_URL", None)
    table_id = TABLE_ID if indexed else str(uuid.uuid4())
    result = subprocess.run(
        [str(TOWNHALL_PYTHON), str(BENCH / "_townhall_ingest.py"), str(csv), table_id],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return figures["served_seconds"], figures["seconds"]


def sqlite_utils(csv: Path) -> float:
    database = WORK / "sqlite-utils.db"
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [
            str(ROOT / ".venv-bench" / "bin" / "sqlite-utils"),
            "insert",
            str(database),
            "spend",
            str(csv),
            "--csv",
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def duckdb(csv: Path) -> float:
    database = WORK / "duckdb.db"
    database.unlink(missing_ok=True)
    script = (
        # DuckDB 2 draws a progress bar on a terminal's output; it would be timed too.
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
        'c.execute("SET enable_progress_bar = false"); s = time.perf_counter(); '
        'c.execute("CREATE TABLE spend AS SELECT * FROM read_csv(?)", [sys.argv[2]]); '
        "print(time.perf_counter() - s)"
    )
    result = subprocess.run(
        [str(BENCH_PYTHON), "-c", script, str(database), str(csv)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(result.stdout.strip())


def raw_copy(csv: Path) -> float:
    """COPY the file into a typed table with psycopg, no checks and no indexes."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_copy")
        columns = ", ".join(f"c{n} {kind}" for n, kind in enumerate(PG_TYPES))
        connection.execute(f"CREATE TABLE bench_copy ({columns})")
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            csv.open("rb") as source,
        ):
            while chunk := source.read(1024 * 1024):
                copy.write(chunk)
        return time.perf_counter() - started


def report(rows: int, results: dict[str, float], baseline: str) -> None:
    print(f"\n{rows:,} rows x 10 columns")
    print(f"{'tool':<58} {'seconds':>8} {'rows/s':>10} {'x ' + baseline:>10}")
    for name, seconds in results.items():
        ratio = seconds / results[baseline] if baseline in results else float("nan")
        print(f"{name:<58} {seconds:>8.1f} {rows / seconds:>10,.0f} {ratio:>10.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--postgres", action="store_true", help="benchmark DATABASE_URL")
    parser.add_argument("--skip-sqlite-utils", action="store_true")
    arguments = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    csv = ensure_csv(arguments.rows)
    results: dict[str, float] = {"DuckDB read_csv (no indexes)": duckdb(csv)}
    if arguments.postgres:
        results["PostgreSQL raw COPY (typed, no checks, no indexes)"] = raw_copy(csv)
        results["Townhall on PostgreSQL: typed, checked (no indexes)"] = townhall(
            csv, var_dir=None, indexed=False
        )[1]
        served, indexed = townhall(csv, var_dir=None, indexed=True)
        results["Townhall on PostgreSQL: indexed load, until served"] = served
        results["Townhall on PostgreSQL: indexed load, every index built"] = indexed
    else:
        results["Townhall on SQLite: typed, checked (no indexes)"] = townhall(
            csv, var_dir=WORK / "townhall-plain", indexed=False
        )[1]
        served, indexed = townhall(csv, var_dir=WORK / "townhall", indexed=True)
        results["Townhall on SQLite: indexed load, until served"] = served
        results["Townhall on SQLite: indexed load, every index built"] = indexed
        if not arguments.skip_sqlite_utils:
            results["sqlite-utils insert --csv (detects types, no indexes)"] = sqlite_utils(csv)
    report(arguments.rows, results, "DuckDB read_csv (no indexes)")
    output = WORK / f"ingest-{'postgres' if arguments.postgres else 'sqlite'}.json"
    output.write_text(json.dumps({"rows": arguments.rows, "seconds": results}, indent=2))


if __name__ == "__main__":
    sys.exit(main())
