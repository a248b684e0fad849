"""Concurrent survey responses over real HTTP, a SIGKILL mid-run, and a 100,000-response results page.

    .venv/bin/python bench/participation_responses.py                 # SQLite
    scripts/throwaway-postgres .venv/bin/python bench/participation_responses.py   # PostgreSQL

Starts `townhall serve` on 127.0.0.1 against a fresh database in a temporary folder, and
runs simulated residents (threads, each with its own cookies) through the whole flow:
start, answer the page, check the answers, send. It prints responses per second and the
p99 latency of sending, then checks by count that every acknowledged response (HTTP 2xx
or 3xx received) is stored exactly once.

The second run kills the server (and its workers) with SIGKILL halfway and restarts it;
residents whose request was cut off retry the same form (the same idempotency key), as a
person pressing the button again would. Finally it builds a consultation with 100,000
responses and times its results page and three of its cross-tabs (two questions, a
question by ward, ward by channel).
"""

import argparse
import atexit
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
TOWNHALL = [sys.executable, "-m", "townhall"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="idempotency_key" value="([0-9a-f]+)"')
REQUEST_TIMEOUT = 20
RUN_DEADLINE_SECONDS = 300


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="townhall.settings.dev",
        TOWNHALL_VAR_DIR=var_dir,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        LOG_LEVEL="WARNING",
        TOWNHALL_FORM_RATE="100000/m",
    )
    return env


class Server:
    """`townhall serve` in its own process group, so SIGKILL reaches every worker."""

    def __init__(self, env: dict[str, str], port: int, workers: int) -> None:
        self.env, self.port, self.workers = env, port, workers
        self.process: subprocess.Popen | None = None
        self.log = open(Path(env["TOWNHALL_VAR_DIR"]) / "serve.log", "ab")  # noqa: SIM115 - open for the server's life

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            [
                *TOWNHALL,
                "serve",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
            ],
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=2).status_code < 500:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise RuntimeError(f"townhall serve did not start within 120 s; see {self.log.name}")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Tally:
    acknowledged: set[str] = field(default_factory=set)
    attempted: set[str] = field(default_factory=set)
    send_latencies: list[float] = field(default_factory=list)
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _token(text: str) -> str:
    found = CSRF.search(text)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def _retrying(call, tally: Tally, deadline: float):
    """Repeat a request cut off by a dead server until it answers (or the run's deadline)."""
    while True:
        try:
            return call()
        except requests.RequestException:
            if time.monotonic() > deadline:
                raise
            with tally.lock:
                tally.retries += 1
            time.sleep(0.25)


def respond_once(base: str, slug: str, number: int, tally: Tally, deadline: float) -> None:
    """One resident's whole response, as a browser would send it."""
    http = requests.Session()
    start_url = f"{base}/consultations/{slug}/respond/"
    page = _retrying(lambda: http.get(start_url, timeout=REQUEST_TIMEOUT), tally, deadline)
    page = _retrying(
        lambda: http.post(
            start_url, {"csrfmiddlewaretoken": _token(page.text)}, timeout=REQUEST_TIMEOUT
        ),
        tally,
        deadline,
    )
    form = page.text
    fields = dict(re.findall(r'name="(q\d+)" type="radio" value="([^"]+)"', form)[:1])
    text_field = re.search(r'name="(q\d+)"[^>]*type="text"|type="text"[^>]*name="(q\d+)"', form)
    data = {"csrfmiddlewaretoken": _token(form), **fields}
    if text_field:
        data[text_field.group(1) or text_field.group(2)] = f"Resident {number} says <b>hello</b>"
    page_url = page.url
    check = _retrying(lambda: http.post(page_url, data, timeout=REQUEST_TIMEOUT), tally, deadline)
    key = KEY.search(check.text)
    if key is None:
        raise RuntimeError(f"no check-answers page (HTTP {check.status_code} at {check.url})")
    key = key.group(1)
    with tally.lock:
        tally.attempted.add(key)
    payload = {"csrfmiddlewaretoken": _token(check.text), "idempotency_key": key}
    began = time.perf_counter()
    sent = _retrying(
        lambda: http.post(check.url, payload, timeout=REQUEST_TIMEOUT, allow_redirects=False),
        tally,
        deadline,
    )
    elapsed = time.perf_counter() - began
    if sent.status_code < 400 or sent.status_code == 409:
        # 3xx: stored now; 409 "already responded": stored by a try the server cut off.
        with tally.lock:
            tally.acknowledged.add(key)
            tally.send_latencies.append(elapsed)


def _prepare_database(env: dict[str, str]) -> None:
    subprocess.run([*TOWNHALL, "migrate", "--no-input", "-v", "0"], env=env, check=True)  # noqa: S603


def _django(env: dict[str, str]):
    os.environ.update(env)
    import django

    django.setup()


def _consultation(slug: str):
    """An open consultation with one page: a choice, a comment and a postcode."""
    from datetime import timedelta

    from django.utils import timezone
    from tests.participation.factories import (
        ConsultationFactory,
        QuestionFactory,
        SurveyPageFactory,
    )

    from townhall.participation.models import Question

    consultation = ConsultationFactory(
        slug=slug,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=30),
    )
    page = SurveyPageFactory(consultation=consultation, title="Your views")
    QuestionFactory(
        page=page,
        kind=Question.Kind.SINGLE_CHOICE,
        text="Sunday opening?",
        choices=["Yes", "No"],
        required=True,
    )
    QuestionFactory(page=page, kind=Question.Kind.SHORT_TEXT, text="Why?")
    return consultation


def _stored(consultation, tally: Tally) -> dict[str, int]:
    from django.db.models import Count

    from townhall.participation.models import Response

    rows = Response.objects.filter(consultation=consultation)
    keys = set(rows.values_list("idempotency_key", flat=True))
    duplicated = rows.values("idempotency_key").annotate(n=Count("pk")).filter(n__gt=1).count()
    return {
        "rows": rows.count(),
        "acknowledged": len(tally.acknowledged),
        "acknowledged_missing": len(tally.acknowledged - keys),
        "stored_twice": duplicated,
        "stored_unknown_key": len(keys - tally.attempted),
    }


def run(
    server: Server, slug: str, residents: int, per_resident: int, *, kill_midway: bool
) -> tuple[Tally, float]:
    tally = Tally()
    total = residents * per_resident
    deadline = time.monotonic() + RUN_DEADLINE_SECONDS
    killer = None
    if kill_midway:

        def kill_at_half() -> None:
            while len(tally.acknowledged) < total // 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            server.kill()
            time.sleep(0.5)
            server.start()

        killer = threading.Thread(target=kill_at_half)
        killer.start()
    began = time.perf_counter()
    errors: list[str] = []

    def resident(index: int) -> None:
        for attempt in range(per_resident):
            try:
                respond_once(server.url, slug, index * per_resident + attempt, tally, deadline)
            except Exception as error:
                errors.append(repr(error))

    with ThreadPoolExecutor(max_workers=residents) as pool:
        list(pool.map(resident, range(residents)))
    wall = time.perf_counter() - began
    if killer:
        killer.join()
    if errors:
        print(f"  {len(errors)} residents gave up, first: {errors[0]}")
    return tally, wall


def report(label: str, tally: Tally, wall: float, counts: dict[str, int]) -> bool:
    latencies = sorted(tally.send_latencies)
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else float("nan")
    median = statistics.median(latencies) * 1000 if latencies else float("nan")
    ok = (
        counts["acknowledged_missing"] == 0
        and counts["stored_twice"] == 0
        and counts["stored_unknown_key"] == 0
    )
    print(
        f"{label}: {len(tally.acknowledged)} responses acknowledged in {wall:.1f} s = "
        f"{len(tally.acknowledged) / wall:.1f} responses/s; send p50 {median:.0f} ms, p99 {p99:.0f} ms; "
        f"{tally.retries} retried requests"
    )
    print(
        f"  count check: {counts['rows']} stored, {counts['acknowledged_missing']} acknowledged but missing, "
        f"{counts['stored_twice']} stored twice, {counts['stored_unknown_key']} unknown -> {'OK' if ok else 'FAILED'}"
    )
    return ok


def results_page(responses: int) -> float:
    """Median time, in ms, of the results page of a consultation with `responses` responses."""
    import random
    import uuid
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone
    from tests.participation.factories import (
        ConsultationFactory,
        QuestionFactory,
        SurveyPageFactory,
    )

    from townhall.participation.models import Answer, Question, Response

    rng = random.Random(1)  # noqa: S311 - sample data, not secrets
    consultation = ConsultationFactory(slug="bench-results")
    page = SurveyPageFactory(consultation=consultation)
    kinds = [
        (Question.Kind.SINGLE_CHOICE, ["Weekly", "Monthly", "Rarely", "Never"]),
        (Question.Kind.MULTIPLE_CHOICE, ["Books", "Computers", "Events", "Study space"]),
        (
            Question.Kind.SCALE,
            ["Strongly agree", "Agree", "Neither", "Disagree", "Strongly disagree"],
        ),
        (Question.Kind.RANKING, ["Hours", "Computers", "Children", "Quiet"]),
        (Question.Kind.NUMBER, []),
        (Question.Kind.LONG_TEXT, []),
    ]
    questions = [QuestionFactory(page=page, kind=kind, choices=choices) for kind, choices in kinds]
    started = time.perf_counter()
    now = timezone.now()
    wards = [f"NB{n:06d}" for n in range(12)]
    batch = 5000
    for offset in range(0, responses, batch):
        made = Response.objects.bulk_create(
            Response(
                public_id=uuid.UUID(int=rng.getrandbits(128)),
                reference=f"BENCH-{offset + n}",
                consultation=consultation,
                channel=rng.choice(["online", "online", "online", "paper", "phone"]),
                submitted_at=(moment := now - timedelta(minutes=rng.randint(0, 60 * 24 * 80))),
                submitted_on=moment.date(),
                ward_code=rng.choice(wards),
                idempotency_key=f"bench-{offset + n}",
            )
            for n in range(min(batch, responses - offset))
        )
        answers = []
        for response in made:
            single, multiple, scale, ranking, number, text = questions
            answers.append(
                Answer(response=response, question=single, choice=rng.choice(single.choices))
            )
            answers.extend(
                Answer(response=response, question=multiple, choice=c)
                for c in rng.sample(multiple.choices, 2)
            )
            answers.append(
                Answer(response=response, question=scale, choice=rng.choice(scale.choices))
            )
            answers.extend(
                Answer(response=response, question=ranking, choice=c, rank=r)
                for r, c in enumerate(rng.sample(ranking.choices, 4), 1)
            )
            answers.append(
                Answer(response=response, question=number, number=rng.randint(0, 9), text="1")
            )
            if rng.random() < 0.3:
                answers.append(
                    Answer(response=response, question=text, text="More opening hours please")
                )
        Answer.objects.bulk_create(answers, batch_size=5000)
    print(
        f"  built {responses} responses ({Answer.objects.filter(question__consultation=consultation).count()} answer rows) in {time.perf_counter() - started:.0f} s"
    )
    client = Client()
    client.force_login(consultation.author)
    single, multiple, scale = questions[:3]
    crosstab = f"/consultations/manage/{consultation.slug}/results/crosstab/"
    for rows, columns in [
        (f"question-{single.pk}", f"question-{multiple.pk}"),
        (f"question-{scale.pk}", "ward"),
        ("ward", "channel"),
    ]:
        median = _median_ms(client, f"{crosstab}?rows={rows}&columns={columns}")
        print(f"  cross-tab {rows} by {columns}: median {median:.0f} ms")
    return _median_ms(client, f"/consultations/manage/{consultation.slug}/results/")


def _median_ms(client, url: str) -> float:
    """Median time, in ms, of seven requests for the page after a first one to warm up."""
    assert client.get(url).status_code == 200
    timings = []
    for _attempt in range(7):
        began = time.perf_counter()
        answer = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert answer.status_code == 200
    return statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=50)
    parser.add_argument("--per-resident", type=int, default=4, help="responses each resident sends")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--results-responses", type=int, default=100_000, help="0 skips the results page"
    )
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    var_dir = tempfile.mkdtemp(prefix="townhall-bench-")
    atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
    env = _environment(var_dir)
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(
        f"participation responses on {database}: {options.residents} residents x {options.per_resident}, {options.workers} gunicorn workers"
    )
    _prepare_database(env)
    _django(env)
    server = Server(env, _free_port(), options.workers)
    all_ok = True
    try:
        server.start()
        steady = _consultation("bench-steady")
        tally, wall = run(
            server, steady.slug, options.residents, options.per_resident, kill_midway=False
        )
        all_ok &= report("steady run", tally, wall, _stored(steady, tally))
        killed = _consultation("bench-sigkill")
        tally, wall = run(
            server, killed.slug, options.residents, options.per_resident, kill_midway=True
        )
        all_ok &= report("SIGKILL run", tally, wall, _stored(killed, tally))
    finally:
        server.stop()
    if not options.results_responses:
        return 0 if all_ok else 1
    median = results_page(options.results_responses)
    verdict = "OK" if median < 300 else "TOO SLOW"
    print(
        f"results page with {options.results_responses} responses: median {median:.0f} ms (target < 300 ms) -> {verdict}"
    )
    return 0 if all_ok and median < 300 else 1


if __name__ == "__main__":
    sys.exit(main())
