"""`make demo` serves as production does, and every public page is light on a phone.

A resident on a slow connection pays for every byte, so the demo council is served under
its own settings (townhall.settings.demo, what `make demo` uses) by `townhall serve`, as a
real process, and Chromium crawls its public pages with the browser cache off, counting
the bytes each page load transfers: the HTML, the stylesheet, the scripts and images,
and checking that no page is wider than a 390 px phone (WCAG 1.4.10, reflow).

The server runs in the SQLite pass only (ADR 0005): it is a process of its own with its
own SQLite database, so the PostgreSQL pass would repeat the same run.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from tests.core.processes import free_port, http_get
from tests.e2e.crawler import crawl

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the demo server runs once, in the SQLite pass"
)

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "townhall"
STYLESHEET = ROOT / "assets" / "scss" / "townhall.scss"
GOVUK_COMPONENTS = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "components"
TOWNHALL = [sys.executable, "-m", "townhall"]
PAGE_BUDGET_BYTES = 100 * 1024
COMMAND_TIMEOUT_SECONDS = 300


def test_every_govuk_component_a_template_uses_is_built_into_the_stylesheet():
    built = set(
        re.findall(r'@use "govuk-frontend/dist/govuk/components/([a-z-]+)"', STYLESHEET.read_text())
    )
    markup = "\n".join(
        path.read_text(encoding="utf-8")
        for path in [*TEMPLATES.rglob("*.html"), *TEMPLATES.rglob("*.py")]
    )
    used = {
        component.name
        for component in GOVUK_COMPONENTS.iterdir()
        if component.is_dir() and re.search(rf"govuk-{component.name}(?:__|--|[\s\"'])", markup)
    }

    assert used - built == set(), "add these to assets/scss/townhall.scss"
    assert built - used == set(), "no template uses these: take them out of the stylesheet"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """The small demo council, migrated, loaded and served as `make demo` serves it."""
    root = tmp_path_factory.mktemp("demo")
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(root),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "townhall.settings.demo",
        "DATABASE_URL": f"sqlite:///{root}/townhall.sqlite3",
        "TOWNHALL_VAR_DIR": str(root / "var"),
    }
    for command in (["migrate", "--no-input", "-v0"], ["demo", "--size", "small"]):
        subprocess.run(
            [*TOWNHALL, *command],
            env=environment,
            cwd=root,
            check=True,
            capture_output=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
        )
    port = free_port()
    log = (root / "serve.log").open("w")
    serve = subprocess.Popen(
        [*TOWNHALL, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=environment,
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_serving(f"http://127.0.0.1:{port}/healthz", serve, root / "serve.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=60)
        log.close()


def _wait_until_serving(url: str, serve: subprocess.Popen, log: Path) -> None:
    """The server's log goes to a file: a pipe nobody reads would stall its access log."""
    deadline = time.monotonic() + COMMAND_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if serve.poll() is not None:
            pytest.fail(f"townhall serve stopped:\n{log.read_text()}")
        try:
            _get(url)
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"townhall serve did not answer:\n{log.read_text()}")


def _get(url: str, **headers: str) -> http.client.HTTPResponse:
    return http_get(urlsplit(url).port, urlsplit(url).path, **headers)


def test_the_demo_shows_townhalls_own_page_for_an_unknown_address(demo_server):
    answer = _get(f"{demo_server}/no-such-page/")
    body = answer.body

    assert answer.status == 404
    assert "Page not found" in body
    assert "URLconf" not in body and "DEBUG = True" not in body


def test_the_demo_serves_static_files_hashed_compressed_and_cached_for_a_year(demo_server):
    home = _get(f"{demo_server}/").body
    [stylesheet] = re.findall(r'href="(/static/townhall/build/townhall\.[0-9a-f]{12}\.css)"', home)

    answer = _get(f"{demo_server}{stylesheet}", **{"Accept-Encoding": "gzip"})

    assert answer.headers["Content-Encoding"] == "gzip"
    assert "immutable" in answer.headers["Cache-Control"]
    assert "max-age=315360000" in answer.headers["Cache-Control"]


def test_the_demo_fetches_gov_uk_frontend_once_by_its_hashed_name(demo_server):
    home = _get(f"{demo_server}/").body
    [library] = re.findall(
        r'src="(/static/townhall/build/govuk-frontend\.min\.[0-9a-f]{12}\.js)"', home
    )
    [script] = re.findall(r'src="(/static/townhall/build/townhall\.[0-9a-f]{12}\.js)"', home)

    imported = re.findall(r'from\s*"\./([^"]+)"', _get(f"{demo_server}{script}").body)

    assert imported == [library.rsplit("/", 1)[1]]


def test_the_demo_compresses_its_pages(demo_server):
    answer = _get(f"{demo_server}/data/", **{"Accept-Encoding": "gzip"})

    assert answer.headers["Content-Encoding"] == "gzip"


@pytest.mark.browser
@pytest.mark.parametrize("start", ["/", "/cy/"])
def test_every_public_page_of_the_demo_fits_a_phone_and_transfers_at_most_100_kb_cold(
    browser, demo_server, start
):
    context = browser.new_context(base_url=demo_server, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    devtools = context.new_cdp_session(tab)
    devtools.send("Network.enable")
    devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
    transferred = {"bytes": 0}
    devtools.on(
        "Network.loadingFinished",
        lambda event: transferred.update(bytes=transferred["bytes"] + event["encodedDataLength"]),
    )
    weights, errors, wide = {}, [], {}
    try:
        for visit in crawl(tab, start, per_shape=1, limit=60):
            if visit.status != 200:
                errors.append(f"{visit.url} answered {visit.status}")
            weights[visit.url] = transferred["bytes"]
            width = tab.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                wide[visit.url] = width
            transferred["bytes"] = 0
    finally:
        context.close()

    heavy = {url: size for url, size in weights.items() if size > PAGE_BUDGET_BYTES}
    assert len(weights) >= 20, weights
    assert errors == []
    assert heavy == {}, f"pages over {PAGE_BUDGET_BYTES} bytes: {heavy}"
    assert wide == {}, f"pages wider than a 390 px phone: {wide}"
