"""Fetching another catalogue's documents (ADR 0033), through core's guarded requests
(ADR 0015): an officer types the address, so the server must not become a way to reach
what only it can reach. HARVEST_ALLOW_PRIVATE_ADDRESSES lets local addresses by (a
catalogue on the council's own network); HARVEST_TIMEOUT_SECONDS and
HARVEST_MAX_RESPONSE_BYTES bound each answer."""

from django.conf import settings

from townhall import __version__
from townhall.core import outbound
from townhall.core.outbound import Answer, FetchError

__all__ = ["Answer", "FetchError", "check_url", "fetch"]

#: Says what is asking, so a source's operators can tell a harvest from other traffic.
USER_AGENT = f"Townhall-harvester/{__version__}"


def _guard() -> outbound.Guard:
    return outbound.Guard(
        allow_private=bool(getattr(settings, "HARVEST_ALLOW_PRIVATE_ADDRESSES", False)),
        timeout=float(getattr(settings, "HARVEST_TIMEOUT_SECONDS", 20)),
        max_bytes=int(getattr(settings, "HARVEST_MAX_RESPONSE_BYTES", 50 * 1024 * 1024)),
    )


def check_url(url: str) -> str:
    """The URL if it is an http or https address with a host; FetchError otherwise."""
    return outbound.check_url(url, _guard())


def fetch(url: str, *, accept: str, error_statuses: tuple[int, ...] = ()) -> Answer:
    """GET `url` and return the answer; FetchError (with a readable reason) when it fails.

    A status in `error_statuses` (CKAN's 400 and 409, whose bodies explain the refusal) is
    returned as an answer rather than raised.
    """
    return outbound.request(
        url,
        guard=_guard(),
        headers={"Accept": accept, "User-Agent": USER_AGENT},
        error_statuses=error_statuses,
    )
