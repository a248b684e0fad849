# ruff: noqa: S603 - starts our own servers and requests loopback URLs only
"""Polling day benchmark: postcode look-ups under concurrent load, beside a static file.

    .venv/bin/python bench/polling_day.py [--requests 3000] [--concurrency 8] [--redis]
    scripts/throwaway-postgres .venv/bin/python bench/polling_day.py --postgres [--redis]
    scripts/throwaway-postgres --standby .venv/bin/python bench/polling_day.py --postgres --redis

Builds the Northbridge demo at `--size large` (60,000 polling addresses; on SQLite once,
in var/bench/polling-day/, reused until --rebuild), starts `townhall serve` (gunicorn, 5
workers, the demo's settings with per-visitor limits lifted: bench/polling_day_settings.py)
on a free loopback port and sends, from one asyncio client of its own (no library: a client
on the same two cores must cost as little as it can), the same number of requests at
the same concurrency to: a static file served by the same server (the machine's ceiling),
the where-to-vote page and the JSON API, cycling over 500 of the demo's postcodes that
have polling addresses, then both again for 50 of them once every process keeps their
answers whole (core.response_cache), as it does the busiest postcodes all day. Prints the
load average before and after, median, p99 and requests per second, and each look-up's
throughput as a share of the static file's; writes them to var/bench/polling-day-*.json.

--redis starts Debian's redis-server on a free loopback port (no persistence) and sets
CACHE_URL for the server, so caches and rate limits are shared as on several machines.
With a DATABASE_REPLICA_URL (scripts/throwaway-postgres --standby), public reads go to
the standby. Loopback only; the request counts are bounded.
"""

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
WORK = ROOT / "var" / "bench"
HOST = "127.0.0.1"
STATIC_FILE = "/static/townhall/build/townhall.js"
PORT = 0  # chosen when the server starts
POSTCODES = 500
KEPT_POSTCODES = 50
KEPT_WARMING = 40  # asks of each before measuring: a process misses one with p = 0.8**40
MIN_ADDRESSES = 50_000


def _environment(*, postgres: bool, cache_url: str | None) -> dict[str, str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "polling_day_settings",
        "PYTHONPATH": f"{BENCH}{os.pathsep}{ROOT / 'src'}",
        "WEB_CONCURRENCY": "5",
    }
    if not postgres:
        environment["TOWNHALL_VAR_DIR"] = str(WORK / "polling-day")
        environment.pop("DATABASE_URL", None)
        environment.pop("DATABASE_REPLICA_URL", None)
    if cache_url:
        environment["CACHE_URL"] = cache_url
    return environment


def _townhall(environment: dict[str, str], *arguments: str) -> str:
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "townhall"), *arguments],
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


COUNT_AND_SAMPLE = f"""
import json, random
from townhall.elections.models import PollingAddress
postcodes = sorted(set(PollingAddress.objects.values_list("postcode", flat=True)))
print(json.dumps({{
    "addresses": PollingAddress.objects.count(),
    "postcodes": random.Random(15).sample(postcodes, min({POSTCODES}, len(postcodes))),
}}))
"""


def prepare_demo(environment: dict[str, str], *, postgres: bool, rebuild: bool) -> list[str]:
    """Build the large demo unless it is there; return the postcodes to look up."""
    marker = WORK / "polling-day" / "demo-large.built"
    marker.parent.mkdir(parents=True, exist_ok=True)
    _townhall(environment, "migrate", "--no-input", "-v0")  # a kept database, after an upgrade
    if postgres or rebuild or not marker.exists():
        marker.unlink(missing_ok=True)
        started = time.perf_counter()
        _townhall(environment, "demo", "--size", "large")
        print(f"Built the large demo in {time.perf_counter() - started:.0f} s", flush=True)
        if not postgres:
            marker.touch()
    found = json.loads(_townhall(environment, "shell", "-c", COUNT_AND_SAMPLE).splitlines()[-1])
    if found["addresses"] < MIN_ADDRESSES:
        sys.exit(f"the demo has {found['addresses']} polling addresses, fewer than {MIN_ADDRESSES}")
    print(f"{found['addresses']:,} polling addresses; {len(found['postcodes'])} postcodes asked")
    return found["postcodes"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_redis() -> tuple[subprocess.Popen, str, str]:
    """Debian's redis-server on a free loopback port, in memory only."""
    server = shutil.which("redis-server")
    if server is None:
        sys.exit("redis-server is not installed: run scripts/setup-system")
    folder = tempfile.mkdtemp(prefix="townhall-redis-")
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", HOST, "--save", "", "--dir", folder],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    return process, f"redis://{HOST}:{port}/0", folder


def start_townhall(environment: dict[str, str]) -> subprocess.Popen:
    global PORT  # one server per run, which every request goes to
    PORT = _free_port()
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "townhall"), "serve", "--bind", f"{HOST}:{PORT}"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(process: subprocess.Popen) -> None:
    """Stop a server this script started (its own process group), if still running."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


async def _get(path: str) -> tuple[float, int, bytes]:
    """One GET as a browser sends it (gzip accepted), on a connection of its own:
    gunicorn's sync workers close each connection after answering."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, PORT)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Encoding: gzip\r\n"
        "Connection: close\r\n\r\n".encode()
    )
    await writer.drain()
    answer = await reader.read()
    writer.close()
    elapsed = time.perf_counter() - started
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return elapsed, status, answer


async def _wait_for(process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("townhall serve stopped")
        try:
            if (await _get("/healthz"))[1] == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.5)
    raise RuntimeError("townhall serve did not answer")


async def load(paths: list[str], *, requests: int, concurrency: int) -> dict[str, float]:
    """Send `requests` GETs cycling through `paths`, `concurrency` at a time."""
    latencies: list[float] = []
    failures: list[str] = []
    numbers = iter(range(requests))

    async def client() -> None:
        for number in numbers:
            path = paths[number % len(paths)]
            try:
                elapsed, status, _ = await _get(path)
            except OSError as error:
                failures.append(f"{path}: {error}")
                continue
            if status == 200:
                latencies.append(elapsed)
            else:
                failures.append(f"{path}: HTTP {status}")

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
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


def _show(label: str, figures: dict[str, float], ceiling: float) -> dict[str, float]:
    figures["share_of_static"] = figures["requests_per_second"] / ceiling if ceiling else 0.0
    print(
        f"{label:<34} {figures['median_ms']:>9.1f} {figures['p99_ms']:>8.1f}"
        f" {figures['requests_per_second']:>11.1f} {figures['share_of_static']:>9.2f}"
        + (
            f"  ({figures['failed']} failed: {figures['first_failure']})"
            if figures["failed"]
            else ""
        ),
        flush=True,
    )
    return figures


def _paths(postcodes: list[str]) -> tuple[list[str], list[str]]:
    pages = [f"/elections/where-to-vote/?postcode={p.replace(' ', '+')}" for p in postcodes]
    api = [f"/api/v1/elections/postcode/{p.replace(' ', '')}/" for p in postcodes]
    return pages, api


async def measure(postcodes: list[str], *, requests: int, concurrency: int) -> dict[str, dict]:
    pages, api = _paths(postcodes)
    # Polling day's morning: each postcode has been asked once already (in one of the
    # five processes, so most requests below are still a process's first for its path).
    await load([*pages, *api], requests=2 * len(postcodes), concurrency=concurrency)
    # The busiest postcodes, asked often enough that every process keeps their answers
    # whole (core.response_cache): what most of polling day's requests are.
    kept_pages, kept_api = _paths(postcodes[:KEPT_POSTCODES])
    rows = {
        "static file (the ceiling)": [STATIC_FILE],
        "where-to-vote page": pages,
        "API": api,
        "where-to-vote page, kept answer": kept_pages,
        "API, kept answer": kept_api,
    }
    print(f"{'served':<34} {'median ms':>9} {'p99 ms':>8} {'requests/s':>11} {'x static':>9}")
    results: dict[str, dict] = {}
    ceiling = 0.0
    for label, paths in rows.items():
        if paths in (kept_pages, kept_api):
            await load(paths, requests=KEPT_WARMING * len(paths), concurrency=concurrency)
        figures = await load(paths, requests=requests, concurrency=concurrency)
        ceiling = ceiling or figures["requests_per_second"]
        results[label] = _show(label, figures, ceiling)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--postgres", action="store_true", help="Townhall on DATABASE_URL")
    parser.add_argument("--redis", action="store_true", help="cache in a Redis of its own")
    parser.add_argument("--rebuild", action="store_true", help="build the SQLite demo again")
    arguments = parser.parse_args()
    replica = arguments.postgres and bool(os.environ.get("DATABASE_REPLICA_URL"))
    setup = (
        "PostgreSQL" + (" with a read replica" if replica else "")
        if arguments.postgres
        else "SQLite"
    ) + (", Redis cache" if arguments.redis else ", file cache")
    redis = None
    if arguments.redis:
        redis = start_redis()
    try:
        environment = _environment(postgres=arguments.postgres, cache_url=redis and redis[1])
        postcodes = prepare_demo(
            environment, postgres=arguments.postgres, rebuild=arguments.rebuild
        )
        print(f"{setup}: {arguments.requests} requests a row, {arguments.concurrency} at a time")
        load_before = os.getloadavg()
        print("load average before: {:.2f} {:.2f} {:.2f}".format(*load_before), flush=True)
        server = start_townhall(environment)
        try:
            asyncio.run(_wait_for(server))
            results = asyncio.run(
                measure(postcodes, requests=arguments.requests, concurrency=arguments.concurrency)
            )
        finally:
            stop(server)
        load_after = os.getloadavg()
        print("load average after: {:.2f} {:.2f} {:.2f}".format(*load_after), flush=True)
    finally:
        if redis is not None:
            stop(redis[0])
            shutil.rmtree(redis[2], ignore_errors=True)
    name = "-".join(
        ["polling-day", "postgres" if arguments.postgres else "sqlite"]
        + (["replica"] if replica else [])
        + (["redis"] if arguments.redis else [])
    )
    (WORK / f"{name}.json").write_text(
        json.dumps({"setup": setup, "load_average": [load_before, load_after], **results}, indent=2)
    )


if __name__ == "__main__":
    sys.exit(main())
