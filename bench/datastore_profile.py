"""Where a rows request's time goes: the real WSGI application, in one process, profiled.

    scripts/throwaway-postgres sh -c '.venv/bin/python bench/datastore_ingest.py --postgres &&
        DJANGO_SETTINGS_MODULE=datastore_bench_settings PYTHONPATH=bench:src \
        .venv/bin/python bench/datastore_profile.py [--requests 2000]'

Needs the table datastore_ingest.py loaded. Calls `townhall.wsgi.application` directly
(every middleware, the ninja router, the query and the JSON encoding; not gunicorn's HTTP
parsing) with the benchmark's first-page URLs, single-threaded: first unprofiled, for the
milliseconds a request costs and the SQL statements it sends, then under cProfile counting
this process's CPU time (not waits for the database), printing the functions with the most
cumulative time.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
import urllib.parse

import django

TABLE_ID = "6d0a6b5e-1c1e-4b51-9a55-000000000001"


def environ(path: str, query: str) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8001",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8001",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def requests() -> list[tuple[str, str]]:
    """The benchmark's twenty first pages: one department each, sorted by amount."""
    return [
        (
            f"/api/v1/datastore/{TABLE_ID}/rows",
            urllib.parse.urlencode(
                {"filter.Department": f"Department {n:02d}", "sort": "-Net amount", "limit": 100}
            ),
        )
        for n in range(1, 21)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=40)
    arguments = parser.parse_args()
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from townhall.wsgi import application

    urls = requests()

    def one(number: int) -> None:
        statuses = []
        body = application(environ(*urls[number % len(urls)]), lambda s, h: statuses.append(s))
        b"".join(body)
        body.close()
        if not statuses[0].startswith("200"):
            raise RuntimeError(f"{urls[number % len(urls)]} answered {statuses[0]}")

    for number in range(100):
        one(number)  # warm up: each filter's total counted and cached
    with CaptureQueriesContext(connection) as queries:
        one(0)
    print(f"SQL statements in one request: {len(queries.captured_queries)}")
    for query in queries.captured_queries:
        print(f"  {query['time']:>6}s  {query['sql'][:110]}")
    timings = []
    cpu_started = time.process_time()
    for number in range(arguments.requests):
        started = time.perf_counter()
        one(number)
        timings.append(time.perf_counter() - started)
    cpu = (time.process_time() - cpu_started) / arguments.requests
    timings.sort()
    print(
        f"{arguments.requests} requests: median {statistics.median(timings) * 1000:.2f} ms, "
        f"p99 {timings[int(len(timings) * 0.99) - 1] * 1000:.2f} ms, "
        f"this process's CPU {cpu * 1000:.2f} ms a request"
    )
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for number in range(arguments.requests):
        one(number)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(arguments.top)


if __name__ == "__main__":
    sys.exit(main())
