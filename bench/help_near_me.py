# ruff: noqa: S603, S311 - runs our own townhall command; samples postcodes, not secrets
"""'Help near me' over the large demo's directory (issue #11): p99 target under 50 ms.

Builds the Northbridge demo's geography and directory at `--size large` (at least 10,000
published services; on SQLite once, in var/bench/help-near-me/, reused until --rebuild;
with --postgres, in DATABASE_URL), then, in one process, for 500 of the demo's postcodes:

- `selectors.help_near`: the 25 nearest services within 8 km, what "Find digital help"
  lists (SQL inside a box, ordered by distance, then each row's hours and terms);
- the same with "open now" at a fixed weekday morning;
- the Open Referral UK API, GET /openreferral/service_at_locations?postcode=...&proximity=
  8000&per_page=25 (and proximity=1600, a mile), through the whole Django stack
  (middleware included) in-process;
- the reference: shapely's STRtree over the raw points of every published service at its
  place, held in memory (no database at all), asked for the same 25 nearest within 8 km.

Prints each one's median and p99 in milliseconds, and the ratio to the reference; writes
them to var/bench/help-near-me.json.

    .venv/bin/python bench/help_near_me.py [--rebuild] [--lookups 500]
    scripts/throwaway-postgres .venv/bin/python bench/help_near_me.py --postgres
"""

import argparse
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
WITHIN_M = 8_000
WALK_M = 1_600  # a mile: the API asked for what is within walking distance
LIMIT = 25
MIN_SERVICES = 10_000


def _environment(postgres: bool) -> dict[str, str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "townhall.settings.demo",
        "PYTHONPATH": str(ROOT / "src"),
    }
    if not postgres:
        environment["TOWNHALL_VAR_DIR"] = str(WORK / "help-near-me")
        environment.pop("DATABASE_URL", None)
    return environment


def prepare(postgres: bool, rebuild: bool) -> None:
    environment = _environment(postgres)
    os.environ.update(environment)
    marker = WORK / "help-near-me" / "demo-large.built"
    marker.parent.mkdir(parents=True, exist_ok=True)
    townhall = str(ROOT / ".venv" / "bin" / "townhall")
    subprocess.run([townhall, "migrate", "--no-input", "-v0"], env=environment, check=True)
    if postgres or rebuild or not marker.exists():
        marker.unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run(
            [townhall, "demo", "--size", "large", "--module", "core", "--module", "inclusion"],
            env=environment,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"Built the large directory in {time.perf_counter() - started:.0f} s", flush=True)
        if not postgres:
            marker.touch()


def _timed(function, arguments) -> list[float]:
    times = []
    for argument in arguments:
        started = time.perf_counter()
        function(argument)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[max(0, math.ceil(len(ordered) * 0.99) - 1)], 2),
    }


def run(lookups: int) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from shapely import STRtree, points

    from townhall.core.models import Postcode
    from townhall.inclusion import selectors
    from townhall.inclusion.models import ServiceAtLocation

    settings.ALLOWED_HOSTS = ["*"]
    settings.TOWNHALL_API_RATE = "1000000/s"
    services = selectors.published_services().count()
    if services < MIN_SERVICES:
        sys.exit(f"the directory has {services} published services, fewer than {MIN_SERVICES}")
    sample = random.Random(11).sample(
        list(
            Postcode.objects.filter(postcode__startswith="NB", latitude__isnull=False)
            .order_by("postcode")
            .values_list("postcode", "latitude", "longitude")
        ),
        lookups,
    )
    points_of = {code: selectors.Point(latitude, longitude) for code, latitude, longitude in sample}
    postcodes = list(points_of)
    morning = datetime(2026, 12, 9, 10, 30)  # a Wednesday

    raw = list(
        ServiceAtLocation.objects.filter(service__state="published").values_list(
            "pk", "location__latitude", "location__longitude"
        )
    )
    squeeze = math.cos(math.radians(sample[0][1]))
    tree = STRtree(points([(longitude * squeeze, latitude) for _pk, latitude, longitude in raw]))
    within_degrees = WITHIN_M / selectors.METRES_PER_DEGREE

    def reference(code):
        point = points_of[code]
        found = tree.query(
            points(point.longitude * squeeze, point.latitude),
            predicate="dwithin",
            distance=within_degrees,
        )
        nearest = sorted(
            found,
            key=lambda index: selectors.distance_m(point, raw[index][1], raw[index][2]),
        )[:LIMIT]
        return [raw[index][0] for index in nearest]

    def help_near(code):
        return selectors.help_near(point=points_of[code], within_m=WITHIN_M, limit=LIMIT)

    def open_now(code):
        return selectors.help_near(
            point=points_of[code], within_m=WITHIN_M, limit=LIMIT, open_now=True, at=morning
        )

    client = Client()

    def api_within(metres):
        def api(code):
            response = client.get(
                "/openreferral/service_at_locations",
                {"postcode": code, "proximity": metres, "per_page": LIMIT},
            )
            assert response.status_code == 200, response.content[:200]

        return api

    api, api_walk = api_within(WITHIN_M), api_within(WALK_M)

    for warm in (reference, help_near, open_now, api, api_walk):
        _timed(warm, postcodes[:20])
    results = {
        "services": services,
        "services_at_places": len(raw),
        "lookups": lookups,
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "reference_strtree": _summary(_timed(reference, postcodes)),
        "help_near": _summary(_timed(help_near, postcodes)),
        "help_near_open_now": _summary(_timed(open_now, postcodes)),
        "openreferral_api": _summary(_timed(api, postcodes)),
        "openreferral_api_1600m": _summary(_timed(api_walk, postcodes)),
    }
    base = results["reference_strtree"]["p99_ms"]
    print(
        f"{services:,} published services at {len(raw):,} places; {lookups} postcodes; "
        f"{results['database']}"
    )
    names = ("help_near", "help_near_open_now", "openreferral_api", "openreferral_api_1600m")
    for name in ("reference_strtree", *names):
        figures = results[name]
        ratio = figures["p99_ms"] / base if base else float("inf")
        middle = figures["median_ms"] / results["reference_strtree"]["median_ms"]
        print(
            f"{name:22} median {figures['median_ms']:7.2f} ms  p99 {figures['p99_ms']:7.2f} ms"
            f"  ratio to STRtree: median {middle:4.1f}x, p99 {ratio:4.1f}x"
        )
    met = results["help_near"]["p99_ms"] < 50 and results["openreferral_api"]["p99_ms"] < 50
    print("target p99 < 50 ms:", "met" if met else "NOT met")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    options = parser.parse_args()
    prepare(options.postgres, options.rebuild)
    sys.path.insert(0, str(ROOT / "src"))
    results = run(options.lookups)
    out = WORK / f"help-near-me{'-postgres' if options.postgres else ''}.json"
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
