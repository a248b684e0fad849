"""Several web processes share rate limits through Redis (CACHE_URL=redis://...).

Starts Debian's redis-server (scripts/setup-system installs it) on a free loopback port
and two gunicorn servers, as `townhall serve` starts them, each with one process and
CACHE_URL pointing at it. A limit of three API calls a minute must hold across both.
"""

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from townhall.core.management.commands.serve import gunicorn_command

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the process on port {port} stopped"
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered on port {port}")


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    assert server, "redis-server is not installed: run scripts/setup-system"
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", HOST, "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, process)
        yield f"redis://{HOST}:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def web_processes(redis_url, tmp_path):
    """Two servers sharing the Redis cache; their base URLs."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "townhall.settings.demo",
        "TOWNHALL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/townhall.sqlite3",
        "CACHE_URL": redis_url,
        "TOWNHALL_API_RATE": "3/m",
    }
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            gunicorn_command(bind=f"{HOST}:{port}", workers=1, timeout=30),
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_for_port(port, process)
        yield [f"http://{HOST}:{port}" for port in ports]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_web_processes_share_one_rate_limit_through_redis(web_processes):
    # A malformed postcode is answered (400) without the database, so the servers need none.
    path = "/api/v1/elections/postcode/NOT-A-POSTCODE/"

    statuses = [_status(web_processes[number % 2] + path) for number in range(6)]

    assert statuses == [400, 400, 400, 429, 429, 429]
