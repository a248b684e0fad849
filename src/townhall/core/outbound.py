"""Requests to other servers whose address someone else chose (ADR 0015).

An officer types a catalogue's address to harvest; another fediverse server names the key
and the inbox Townhall fetches and posts to. Neither may make the server reach what only
it can reach. Every connection, including each redirect, resolves the host name once,
refuses a private, loopback, link-local, multicast or reserved address (unless the caller
allows them, as tests against a local server do), and connects to the address it
checked, so a name that resolves differently the second time (DNS rebinding) cannot slip
through. Only the schemes the caller names are spoken; each read waits at most `timeout`
seconds and the whole answer at most four times that; an answer larger than `max_bytes`
is refused.

Built on the standard library's urllib and http.client, which let the check sit inside
`connect()`.
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

from django.utils.translation import gettext as _

MAX_REDIRECTS = 5
CHUNK = 64 * 1024


class FetchError(Exception):
    """The request failed; the message says why, for a person to read."""


@dataclass(frozen=True)
class Answer:
    url: str
    status: int
    content_type: str
    body: bytes


@dataclass(frozen=True)
class Guard:
    """What a request may do: the schemes it speaks, whether it may reach addresses that
    are not on the public internet, whether it follows redirects, and its limits."""

    schemes: tuple[str, ...] = ("http", "https")
    allow_private: bool = False
    follow_redirects: bool = True
    timeout: float = 20
    max_bytes: int = 50 * 1024 * 1024


def address_refused(address: str) -> bool:
    """True for an address not on the public internet (or a multicast one)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_url(url: str, guard: Guard) -> str:
    """The URL if it has a host and one of the guard's schemes; FetchError otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in guard.schemes or not parts.hostname:
        raise FetchError(
            _("Only %(schemes)s addresses can be reached.")
            % {"schemes": " and ".join(guard.schemes)}
        )
    return url


def request(
    url: str,
    *,
    guard: Guard,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    error_statuses: tuple[int, ...] = (),
) -> Answer:
    """Send the request and read the answer; FetchError (with a readable reason) when it
    fails. A status in `error_statuses` (whose bodies explain a refusal) is returned as an
    answer rather than raised."""
    check_url(url, guard)
    # The scheme was checked just above, and the opener speaks only the guard's schemes.
    outgoing = urllib.request.Request(  # noqa: S310
        url, data=body, headers=headers or {}, method=method
    )
    try:
        response = _opener(guard).open(outgoing, timeout=guard.timeout)
    except urllib.error.HTTPError as error:
        if error.code in error_statuses:
            return _read(error, url=url, status=error.code, guard=guard)
        if 300 <= error.code < 400:
            raise FetchError(
                _("The server redirected somewhere that may not be followed.")
            ) from error
        raise FetchError(
            _("The server answered with HTTP status %(status)s.") % {"status": error.code}
        ) from error
    except FetchError:
        raise
    except TimeoutError as error:
        raise FetchError(_timeout_message(guard.timeout)) from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, FetchError):
            raise error.reason from error
        if isinstance(error.reason, TimeoutError | socket.timeout):
            raise FetchError(_timeout_message(guard.timeout)) from error
        raise FetchError(
            _("The server could not be reached: %(reason)s") % {"reason": error.reason}
        ) from error
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(
            _("The server could not be reached: %(reason)s") % {"reason": error}
        ) from error
    with response:
        return _read(response, url=response.geturl(), status=response.status, guard=guard)


def _checked_addresses(host: str, port: int, guard: Guard) -> list[tuple]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(_("The address %(host)s could not be found.") % {"host": host}) from error
    if not guard.allow_private:
        for *_ignored, sockaddr in found:
            if address_refused(sockaddr[0]):
                raise FetchError(
                    _("%(host)s is a private or local address, which may not be reached.")
                    % {"host": host}
                )
    return found


def _connect(host: str, port: int, timeout: float, guard: Guard) -> socket.socket:
    last_error: OSError | None = None
    for family, kind, proto, _name, sockaddr in _checked_addresses(host, port, guard):
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


def _opener(guard: Guard) -> urllib.request.OpenerDirector:
    """An opener that speaks only the guard's schemes, connects only to checked addresses
    and uses no proxy. Built by hand, not with build_opener: no file:, ftp: or data:."""

    class GuardedHTTPConnection(http.client.HTTPConnection):
        def connect(self) -> None:
            self.sock = _connect(self.host, self.port, self.timeout, guard)

    class GuardedHTTPSConnection(http.client.HTTPSConnection):
        def connect(self) -> None:
            sock = _connect(self.host, self.port, self.timeout, guard)
            self.sock = self._context.wrap_socket(sock, server_hostname=self.host)

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(GuardedHTTPConnection, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(GuardedHTTPSConnection, req, context=self._context)

    class RedirectHandler(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS

        def redirect_request(self, req, fp, code, msg, headers, newurl):
            if not guard.follow_redirects:
                return None
            if urllib.parse.urlsplit(newurl).scheme not in guard.schemes:
                raise FetchError(_("The server redirected somewhere that may not be followed."))
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    handlers = [
        RedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.HTTPDefaultErrorHandler(),
    ]
    if "http" in guard.schemes:
        handlers.append(HTTPHandler())
    if "https" in guard.schemes:
        handlers.append(HTTPSHandler(context=ssl.create_default_context()))
    opener = urllib.request.OpenerDirector()
    for handler in handlers:
        opener.add_handler(handler)
    return opener


def _read(response, *, url: str, status: int, guard: Guard) -> Answer:
    deadline = time.monotonic() + guard.timeout * 4
    chunks, size = [], 0
    try:
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > guard.max_bytes:
                raise FetchError(
                    _("The answer was larger than %(limit)s bytes, so it was not read.")
                    % {"limit": guard.max_bytes}
                )
            if time.monotonic() > deadline:
                raise FetchError(_timeout_message(guard.timeout))
            chunks.append(chunk)
    except TimeoutError as error:
        raise FetchError(_timeout_message(guard.timeout)) from error
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(_("The answer was cut off: %(reason)s") % {"reason": error}) from error
    content_type = response.headers.get("Content-Type", "") if response.headers else ""
    return Answer(url=url, status=status, content_type=content_type, body=b"".join(chunks))


def _timeout_message(timeout: float) -> str:
    return _("The server did not answer within %(seconds)s seconds.") % {"seconds": f"{timeout:g}"}
