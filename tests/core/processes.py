"""Helpers for tests that run Townhall's commands as real processes and talk to them."""

import http.client
import socket
import subprocess


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_until(process: subprocess.Popen, *expected: str) -> str:
    """Read the process's output until every expected text has appeared in it."""
    seen = ""
    while not all(text in seen for text in expected):
        line = process.stdout.readline()
        if not line:
            raise AssertionError(f"The process ended before printing {expected}:\n{seen}")
        seen += line
    return seen


def http_get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    """GET a path from a server on 127.0.0.1; the answer's body is read (as text, into
    `.body`) before it is returned."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        answer.body = answer.read().decode(errors="replace")
        return answer
    finally:
        connection.close()
