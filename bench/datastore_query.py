# ruff: noqa: S603, S310 - starts our own servers and requests loopback URLs only
"""Query benchmark: filtered, sorted 100-row pages over HTTP under concurrent load.

    .venv/bin/python bench/datastore_query.py [--requests 1000] [--concurrency 8] [--datasette first]
    scripts/throwaway-postgres sh -c '... datastore_ingest.py --postgres &&
                                      ... datastore_query.py --postgres'
    ... datastore_query.py --postgres --baseline /tmp/base/src --rounds 6   # A/B

With `--baseline`, a second Townhall serves the same database from another source tree
(e.g. `git archive main src | tar -x -C /tmp/base`, with its built assets), both on free
loopback ports (other benchmarks may be using 8001 at the time), and the two are
timed in alternating rounds (A B B A A B ...) in one session, so that a busy machine's
changing load falls on both alike; it prints every round and each side's median.

Needs the table datastore_ingest.py loaded. Starts `townhall serve` (gunicorn, 5 workers) on
127.0.0.1:8001 and, on SQLite, Datasette on 127.0.0.1:8002 serving the same database file
(immutable, so it may cache counts; facet suggestions off; `_nocount=1`), then sends the
same queries to both from a pool of threads: a filtered, sorted first page, and a page
50,000 rows deep reached by each tool's own keyset cursor. Reports median and p99 latency
and requests per second. Loopback only; the request counts are bounded.
"""

import argparse
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
WORK = ROOT / "var" / "bench"
TABLE_ID = "6d0a6b5e-1c1e-4b51-9a55-000000000001"
TOWNHALL = "http://127.0.0.1:8001"
DATASETTE = "http://127.0.0.1:8002"
DEPTH = 50_000


def _get(url: str) -> tuple[float, dict]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
        status = response.status
    elapsed = time.perf_counter() - started
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")
    return elapsed, json.loads(body)


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} stopped")
        try:
            _get(url)
            return
        except Exception:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


def start_townhall(
    postgres: bool, *, source: Path = ROOT / "src", address: str = "127.0.0.1:8001"
) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "datastore_bench_settings",
        "PYTHONPATH": f"{BENCH}{os.pathsep}{source}",
    }
    if not postgres:
        environment["TOWNHALL_VAR_DIR"] = str(WORK / "townhall")
        environment.pop("DATABASE_URL", None)
    # A task worker beside the web processes, as production runs one: it builds the
    # two-column indexes a table's pages ask for (ADR 0025).
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "townhall"),
            *("serve", "--demo", "--workers", "5", "--bind", address),
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def start_datasette(database: Path) -> subprocess.Popen:
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return subprocess.Popen(
        [
            str(ROOT / ".venv-bench" / "bin" / "datasette"),
            "serve",
            "-i",
            str(database),
            "-h",
            "127.0.0.1",
            "-p",
            "8002",
            "--setting",
            "suggest_facets",
            "off",
            "--setting",
            "max_returned_rows",
            "1000",
            # Datasette's default 1 s limit would fail slow answers instead of timing them.
            "--setting",
            "sql_time_limit_ms",
            "60000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    """Stop the server this script started (its own process group), if still running."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def load(urls: list[str], *, requests: int, concurrency: int) -> dict[str, float]:
    """Send `requests` GETs cycling through `urls` from `concurrency` threads."""
    for url in urls[:20]:
        _get(url)  # warm up
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def one(number: int) -> None:
        try:
            elapsed, body = _get(urls[number % len(urls)])
            rows = body.get("records", body.get("rows"))
            if len(rows) != 100:
                raise RuntimeError(f"expected 100 rows, got {len(rows)}")
        except Exception as error:
            with lock:
                failures.append(f"{type(error).__name__}: {error}")
            return
        with lock:
            latencies.append(elapsed)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "median_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99_ms": latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000
        if latencies
        else float("nan"),
        "requests_per_second": len(latencies) / wall,
        "failed": len(failures),
        "first_failure": failures[0] if failures else "",
    }


def townhall_urls(server: str = TOWNHALL) -> dict[str, list[str]]:
    rows = f"{server}/api/v1/datastore/{TABLE_ID}/rows"
    first = [
        f"{rows}?"
        + urllib.parse.urlencode(
            {"filter.Department": f"Department {n:02d}", "sort": "-Net amount", "limit": 100}
        )
        for n in range(1, 21)
    ]
    _, page = _get(
        f"{rows}?"
        + urllib.parse.urlencode(
            {"sort": "-Net amount", "limit": 100, "offset": DEPTH - 100, "include_total": "false"}
        )
    )
    return {"first": first, "deep": [page["next"]]}


def datasette_urls(table: str) -> dict[str, list[str]]:
    base = f"{DATASETTE}/datastore/{table}.json"
    first = [
        f"{base}?"
        + urllib.parse.urlencode(
            {
                "Department": f"Department {n:02d}",
                "_sort_desc": "Net amount",
                "_size": 100,
                "_nocount": 1,
                "_shape": "objects",
            }
        )
        for n in range(1, 21)
    ]
    url = f"{base}?" + urllib.parse.urlencode(
        {"_sort_desc": "Net amount", "_size": 1000, "_nocount": 1, "_shape": "objects"}
    )
    for _ in range(DEPTH // 1000):
        _, page = _get(url)
        url = page["next_url"]
    deep = url.replace("_size=1000", "_size=100")
    return {"first": first, "deep": [deep]}


def _show(label: str, figures: dict[str, float]) -> dict[str, float]:
    print(
        f"{label:<40} {figures['median_ms']:>10.1f} {figures['p99_ms']:>10.1f}"
        f" {figures['requests_per_second']:>11.1f}"
        + (f" {figures['server_cpu_ms']:>14.2f}" if "server_cpu_ms" in figures else "")
        + (
            f"  ({figures['failed']} failed: {figures['first_failure']})"
            if figures["failed"]
            else ""
        ),
        flush=True,
    )
    return figures


def datastore_file(database: Path) -> Path:
    """The DataStore's own file beside the site's (ADR 0023), where the table's rows are,
    under a plain name so Datasette serves it as /datastore/."""
    link = WORK / "datastore.sqlite3"
    link.unlink(missing_ok=True)
    link.symlink_to(database.with_name("townhall.datastore.sqlite3"))
    return link


def physical_table(database: Path) -> str:
    with sqlite3.connect(database) as connection:
        (name,) = connection.execute(
            "SELECT physical_name FROM datastore_table WHERE id = ?",
            [TABLE_ID.replace("-", "")],
        ).fetchone()
    return name


def _group_cpu_seconds(group: int) -> float:
    """CPU time used so far by the processes of a server's group (gunicorn and its workers):
    what each request costs the machine, which a busy machine's queueing does not inflate
    as it does latency."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # the process group; utime and stime follow
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def learn_paired_index(postgres: bool, database: Path, seconds: float = 120) -> None:
    """Ask for the first page's (filter, sort) pair until the worker has indexed it, as a
    day of visitors would (ADR 0025); unmeasured. Prints how long that took."""
    started = time.monotonic()
    urls = townhall_urls()["first"]
    while time.monotonic() - started < seconds:
        load(urls, requests=100, concurrency=4)
        if postgres:
            import psycopg

            with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
                learned = connection.execute(
                    "SELECT paired_indexes FROM datastore_table WHERE id = %s", [TABLE_ID]
                ).fetchone()[0]
        else:
            with sqlite3.connect(database) as connection:
                found = connection.execute(
                    "SELECT paired_indexes FROM datastore_table WHERE id = ?",
                    [TABLE_ID.replace("-", "")],
                ).fetchone()[0]
            learned = json.loads(found)
        if learned:
            print(f"(learned the index {learned} in {time.monotonic() - started:.1f} s)")
            return
    raise RuntimeError("the first page's two-column index was not learned")


def _free_address() -> str:
    """A loopback port free now (the operating system's choice), for one server."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{probe.getsockname()[1]}"


def alternate(arguments: argparse.Namespace, baseline: Path) -> dict[str, dict]:
    """This tree (B) and the baseline tree (A) in alternating rounds against one database."""
    sources = {"A (baseline)": baseline, "B (this tree)": ROOT / "src"}
    servers = {}
    for side, source in sources.items():
        address = _free_address()
        servers[side] = (
            f"http://{address}",
            start_townhall(arguments.postgres, source=source, address=address),
        )
    results: dict[str, dict] = {}
    print("(the last column: the server's CPU ms a request)")
    try:
        for address, process in servers.values():
            _wait_for(f"{address}/api/v1/datastore/{TABLE_ID}", process)
        urls = {side: townhall_urls(address) for side, (address, _process) in servers.items()}
        order = list(servers)
        for side in order:  # unmeasured: every worker counts each filter once, caches warm
            for scenario_urls in urls[side].values():
                load(scenario_urls, requests=200, concurrency=arguments.concurrency)
        for number in range(arguments.rounds):
            for side in order if number % 2 == 0 else order[::-1]:
                for scenario, scenario_urls in urls[side].items():
                    label = f"round {number + 1} {side}: {scenario}"
                    cpu = _group_cpu_seconds(servers[side][1].pid)
                    figures = load(
                        scenario_urls,
                        requests=arguments.requests,
                        concurrency=arguments.concurrency,
                    )
                    figures["server_cpu_ms"] = (
                        (_group_cpu_seconds(servers[side][1].pid) - cpu) * 1000 / arguments.requests
                    )
                    results[label] = _show(label, figures)
    finally:
        for _address, process in servers.values():
            stop(process)
    for scenario in ("first", "deep"):
        for figure in ("median_ms", "p99_ms", "requests_per_second", "server_cpu_ms"):
            sides = {
                side: statistics.median(
                    value[figure]
                    for label, value in results.items()
                    if f" {side}: {scenario}" in label
                )
                for side in servers
            }
            a, b = sides.values()
            print(f"{scenario} page {figure}: A {a:.2f}, B {b:.2f}, B / A {b / a:.2f}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--postgres", action="store_true", help="Townhall on DATABASE_URL only")
    parser.add_argument(
        "--datasette",
        choices=("all", "first", "none"),
        default="all",
        help="Datasette's pages to time ('first' skips its deep page, which times out)",
    )
    parser.add_argument("--baseline", type=Path, help="a source tree to time against this one")
    parser.add_argument("--rounds", type=int, default=6, help="alternating rounds (--baseline)")
    arguments = parser.parse_args()
    print(f"{arguments.requests} requests per row, {arguments.concurrency} at a time")
    print(f"{'server and page':<40} {'median ms':>10} {'p99 ms':>10} {'requests/s':>11}")
    if arguments.baseline:
        results = alternate(arguments, arguments.baseline.resolve())
        output = WORK / f"query-ab-{'postgres' if arguments.postgres else 'sqlite'}.json"
        output.write_text(json.dumps(results, indent=2))
        return
    database = WORK / "townhall" / "townhall.sqlite3"
    results: dict[str, dict] = {}
    servers = [start_townhall(arguments.postgres)]
    try:
        _wait_for(f"{TOWNHALL}/api/v1/datastore/{TABLE_ID}", servers[0])
        learn_paired_index(arguments.postgres, database)
        name = "Townhall on PostgreSQL" if arguments.postgres else "Townhall on SQLite"
        for scenario, urls in townhall_urls().items():
            results[f"{name}: {scenario} page"] = _show(
                f"{name}: {scenario} page",
                load(urls, requests=arguments.requests, concurrency=arguments.concurrency),
            )
        if not arguments.postgres and arguments.datasette != "none":
            table = physical_table(database)
            servers.append(start_datasette(datastore_file(database)))
            _wait_for(f"{DATASETTE}/datastore.json", servers[1])
            for scenario, urls in datasette_urls(table).items():
                if arguments.datasette == "first" and scenario != "first":
                    continue
                results[f"Datasette: {scenario} page"] = _show(
                    f"Datasette: {scenario} page",
                    load(urls, requests=arguments.requests, concurrency=arguments.concurrency),
                )
    finally:
        for server in servers:
            stop(server)
    output = WORK / f"query-{'postgres' if arguments.postgres else 'sqlite'}.json"
    output.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    sys.exit(main())
