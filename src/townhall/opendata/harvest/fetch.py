"""Fetching another catalogue's documents safely (ADR 0033).

An officer types the address, so the server must not become a way to reach what only it
can reach. Every connection, including each redirect, resolves the host name once, refuses
a private, loopback, link-local, multicast or reserved address (unless
HARVEST_ALLOW_PRIVATE_ADDRESSES is set), and connects to the address it checked, so a
name that resolves differently the second time cannot slip through. Only http and https
are spoken; each read waits at most HARVEST_TIMEOUT_SECONDS and the whole answer at most
four times that; an answer larger than HARVEST_MAX_RESPONSE_BYTES is refused.

Built on the standard library's urllib and http.client: the project has no HTTP client
among its dependencies, and these let the check sit inside `connect()`.
"""

import http.client
import ipaddress
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from townhall import __version__

#: Says what is asking, so a source's operators can tell a harvest from other traffic.
USER_AGENT = f"Townhall-harvester/{__version__}"
MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class FetchError(Exception):
    """A document could not be fetched; the message is for the officer reading the report."""


@dataclass(frozen=True)
class Answer:
    url: str
    status: int
    content_type: str
    body: bytes


def _allow_private() -> bool:
    return bool(getattr(settings, "HARVEST_ALLOW_PRIVATE_ADDRESSES", False))


def timeout_seconds() -> float:
    return float(getattr(settings, "HARVEST_TIMEOUT_SECONDS", 20))


def max_bytes() -> int:
    return int(getattr(settings, "HARVEST_MAX_RESPONSE_BYTES", 50 * 1024 * 1024))


def address_refused(address: str) -> bool:
    """True for an address a harvest may not reach: anything not on the public internet."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def _checked_addresses(host: str, port: int) -> list[tuple]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(_("The address %(host)s could not be found.") % {"host": host}) from error
    if not _allow_private():
        for *_ignored, sockaddr in found:
            if address_refused(sockaddr[0]):
                raise FetchError(
                    _("%(host)s is a private or local address, which harvests may not reach.")
                    % {"host": host}
                )
    return found


def _connect(host: str, port: int, timeout: float) -> socket.socket:
    last_error: OSError | None = None
    for family, kind, proto, _name, sockaddr in _checked_addresses(host, port):
        sock = socket.socket(family, kind, proto)
        sock.settimeout(timeout)
        try:
            sock.connect(sockaddr)
        except OSError as error:
            sock.close()
            last_error = error
            continue
        return sock
    raise last_error or OSError("no address")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = _connect(self.host, self.port, self.timeout)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        sock = _connect(self.host, self.port, self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self) -> None:
        super().__init__(context=ssl.create_default_context())

    def https_open(self, req):
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context)


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError(_("The source redirected somewhere harvests may not follow."))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    # Built by hand, not with build_opener: no file:, ftp: or data: handler, no proxy.
    opener = urllib.request.OpenerDirector()
    for handler in (
        _HTTPHandler(),
        _HTTPSHandler(),
        _RedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.HTTPDefaultErrorHandler(),
    ):
        opener.add_handler(handler)
    return opener


def check_url(url: str) -> str:
    """The URL if it is an http or https address with a host; FetchError otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(_("Only http and https addresses can be harvested."))
    return url


def fetch(url: str, *, accept: str, error_statuses: tuple[int, ...] = ()) -> Answer:
    """GET `url` and return the answer; FetchError (with a readable reason) when it fails.

    A status in `error_statuses` (CKAN's 400 and 409, whose bodies explain the refusal) is
    returned as an answer rather than raised.
    """
    check_url(url)
    timeout = timeout_seconds()
    # The scheme was checked just above, and the opener speaks only http and https.
    request = urllib.request.Request(  # noqa: S310
        url, headers={"Accept": accept, "User-Agent": USER_AGENT}
    )
    try:
        response = _opener().open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code in error_statuses:
            return _read(error, url=url, status=error.code, timeout=timeout)
        if 300 <= error.code < 400:
            # urllib refuses to follow a redirect to a scheme it does not speak, or a loop.
            raise FetchError(
                _("The source redirected somewhere harvests may not follow.")
            ) from error
        raise FetchError(
            _("The source answered with HTTP status %(status)s.") % {"status": error.code}
        ) from error
    except FetchError:
        raise
    except TimeoutError as error:
        raise FetchError(_timeout_message(timeout)) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, FetchError):
            raise error.reason from error
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise FetchError(_timeout_message(timeout)) from error
        raise FetchError(
            _("The source could not be reached: %(reason)s") % {"reason": error.reason}
        ) from error
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(
            _("The source could not be reached: %(reason)s") % {"reason": error}
        ) from error
    with response:
        return _read(response, url=response.geturl(), status=response.status, timeout=timeout)


def _read(response, *, url: str, status: int, timeout: float) -> Answer:
    limit = max_bytes()
    deadline = time.monotonic() + timeout * 4
    chunks, size = [], 0
    try:
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise FetchError(
                    _("The answer was larger than %(limit)s bytes, so it was not read.")
                    % {"limit": limit}
                )
            if time.monotonic() > deadline:
                raise FetchError(_timeout_message(timeout))
            chunks.append(chunk)
    except TimeoutError as error:
        raise FetchError(_timeout_message(timeout)) from error
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(_("The answer was cut off: %(reason)s") % {"reason": error}) from error
    content_type = response.headers.get("Content-Type", "") if response.headers else ""
    return Answer(url=url, status=status, content_type=content_type, body=b"".join(chunks))


def _timeout_message(timeout: float) -> str:
    return _("The source did not answer within %(seconds)s seconds.") % {"seconds": f"{timeout:g}"}
