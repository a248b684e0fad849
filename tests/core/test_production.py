"""Production starts from a fresh build: the deployment steps of docs/operations.md, for real.

The assets are built from clean by scripts/build-assets (what `make assets` runs) into a
copy of the source tree in a temporary folder, and that copy is what every command here
imports. So the developer's own build is never touched, and a file that the build forgets
cannot be hidden by one left over in it. Then, under townhall.settings.prod: collectstatic
with the manifest storage (which refuses a stylesheet or script naming a missing file),
migrate, and `townhall serve` on a free loopback port.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.core.processes import free_port, http_get, read_until

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path("src/townhall/core/static/townhall/build")
TOWNHALL = [sys.executable, "-m", "townhall"]
COMMAND_TIMEOUT_SECONDS = 180
STYLESHEET = re.compile(r'href="(/static/townhall/build/townhall\.[0-9a-f]{12}\.css)"')
STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')
STYLESHEET_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)[\"']?\s*\)")
SOURCE_MAP = re.compile(r"sourceMappingURL=(\S+?)(?:\s|\*/|$)")


def _source_without_build(directory: str, names: list[str]) -> set[str]:
    skipped = {"__pycache__"} & set(names)
    if Path(directory) == ROOT / BUILD.parent:
        skipped.add(BUILD.name)
    return skipped


def townhall(environment: dict, *arguments: str) -> str:
    """Run a `townhall` command to completion; fail with its output if it fails."""
    finished = subprocess.run(
        [*TOWNHALL, *arguments],
        env=environment,
        cwd=environment["HOME"],
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
    )
    assert finished.returncode == 0, (
        f"townhall {' '.join(arguments)} failed:\n{finished.stdout}{finished.stderr}"
    )
    return finished.stdout


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    """The environment of a fresh production install, built, collected and migrated.

    Only what settings/prod.py requires is set, so nothing from the developer's own
    environment leaks in; HOME is the temporary folder too, where gunicorn puts its
    control socket.
    """
    root = tmp_path_factory.mktemp("production")
    shutil.copytree(ROOT / "src", root / "src", ignore=_source_without_build)
    subprocess.run(
        [ROOT / "scripts" / "build-assets", root / BUILD],
        check=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
    )
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(root),
        "PYTHONPATH": str(root / "src"),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "townhall.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{root}/var/townhall.sqlite3",
        "EMAIL_URL": "consolemail://",
        "TOWNHALL_VAR_DIR": str(root / "var"),
    }
    townhall(environment, "collectstatic", "--no-input", "-v0")
    townhall(environment, "migrate", "--no-input", "-v0")
    return environment


def fetch(port: int, path: str, host: str = "127.0.0.1") -> tuple[int, str]:
    """GET a path as the TLS proxy in front would pass it on: (status, body)."""
    answer = http_get(port, path, Host=host, **{"X-Forwarded-Proto": "https"})
    return answer.status, answer.body


def unserved_static_files(port: int, page: str) -> list[str]:
    """Static files the page links to, or that those files refer to, that are not served."""
    missing, seen = [], set()
    waiting = STATIC_LINK.findall(page)
    while waiting:
        path = waiting.pop()
        if path in seen:
            continue
        seen.add(path)
        status, body = fetch(port, path)
        if status != 200:
            missing.append(f"{path} ({status})")
            continue
        references = STYLESHEET_URL.findall(body) if path.endswith(".css") else []
        references += SOURCE_MAP.findall(body) if path.endswith((".css", ".js")) else []
        waiting += [
            urljoin(path, reference)
            for reference in references
            if not reference.startswith(("data:", "#"))
        ]
    return missing


def test_collectstatic_gives_every_built_file_a_hashed_name_under_production_settings(production):
    build = Path(production["PYTHONPATH"]).parent / BUILD
    collected = Path(production["TOWNHALL_VAR_DIR"]) / "static" / "staticfiles.json"
    manifest = json.loads(collected.read_text(encoding="utf-8"))["paths"]
    built = [
        f"townhall/build/{path.relative_to(build)}" for path in build.rglob("*") if path.is_file()
    ]

    assert "townhall/build/images/govuk-crest.svg" in built
    assert [name for name in built if manifest.get(name, name) == name] == []


def test_serve_answers_pages_and_their_static_files_under_production_settings(production):
    port = free_port()
    serve = subprocess.Popen(
        [*TOWNHALL, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=production,
        cwd=production["HOME"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        started = read_until(serve, "Listening at")
        home = fetch(port, "/")
        welsh_home = fetch(port, "/cy/")
        not_found = fetch(port, "/no-such-page/")
        bad_host = fetch(port, "/", host="elsewhere.example")
        unserved = unserved_static_files(port, home[1] + not_found[1] + bad_host[1])
        serve.send_signal(signal.SIGTERM)
        stopped, _ = serve.communicate(timeout=60)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()

    output = started + stopped
    assert serve.returncode == 0, output
    assert home[0] == 200, output
    assert welsh_home[0] == 200, output
    assert STYLESHEET.search(home[1]), home[1]
    assert not_found[0] == 404, output
    assert "Page not found" in not_found[1]
    assert STYLESHEET.search(not_found[1])
    assert bad_host[0] == 400, output
    assert STYLESHEET.search(bad_host[1])
    assert not unserved, output


def test_server_error_page_renders_with_its_stylesheet_under_production_settings(production):
    rendered = townhall(
        production,
        "shell",
        "--no-imports",
        "-c",
        "from django.test import RequestFactory\n"
        "from townhall.core.views.errors import server_error\n"
        "response = server_error(RequestFactory().get('/'))\n"
        "print(response.status_code, response.content.decode())",
    )

    assert rendered.startswith("500 ")
    assert "Sorry, there is a problem with the service" in rendered
    assert STYLESHEET.search(rendered)
