"""Whole public answers kept in each web process's memory, in front of Django's page
machinery (ADR 0045).

A view declares that its answer to an anonymous visitor is the same for everyone until
something it names changes: `@public_answer(generation=selectors.lookup_generation)`.
`PublicAnswerCacheMiddleware`, placed right after WhiteNoise, then keeps the final
response (body and headers, after gzip, CSP and the rest) per method, host, path, query,
language and encoding, and answers the next anonymous request for it without running
any other middleware or the view: about what a static file costs.

A kept answer is served while the view's generation, and core's site generation (site
settings and footer pages), are the ones it was made under (read at most once every
RESPONSE_CACHE_CHECK_SECONDS per process),
on the day it was made, and for at most RESPONSE_CACHE_SECONDS. The answer tells
browsers, nginx and a CDN they may keep it for RESPONSE_CACHE_MAX_AGE seconds.

Only GET and HEAD from a visitor sending no cookie and no Authorization header take part,
and only a 200 answer that sets no cookie, used no CSRF token, carries no CSP nonce and
was not marked private or no-store is kept: a page with a form token, messages or
anything else for one visitor never is.
"""

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language_from_path

from .selectors.site import site_generation

# Whether Django's GZipMiddleware will compress the answer, from the request's Accept-Encoding.
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Headers not kept: a cookie is one visitor's, and Age is set each time the answer is sent.
# (The security headers are added by middleware outside this one, to every answer.)
NOT_KEPT = frozenset({"set-cookie", "age"})
REFUSED_CACHE_CONTROL = ("private", "no-store", "no-cache")
# An answer larger than this is made afresh each time rather than crowding out others.
LARGEST_ANSWER = 512 * 1024

Generation = Callable[[], Hashable]


def shareable_request(request: HttpRequest) -> bool:
    """Whether the request is one every anonymous visitor could have sent: GET or HEAD,
    no cookie at all (no session, CSRF token, messages or sticky-primary cookie) and no
    credentials."""
    return (
        request.method in ("GET", "HEAD")
        and not request.COOKIES
        and "authorization" not in request.headers
    )


def public_answer(*, generation: Generation):
    """Declare a view's 200 answers to anonymous visitors the same for everyone until
    `generation()` returns something else (a value in the shared cache that the module's
    services replace on every change) or the site's settings or footer pages change.
    Works on a Django view and, through django-ninja's `decorate_view`, on an API
    operation."""

    def generation_and_site() -> Hashable:
        return (generation(), site_generation())

    return _public_answer(generation_and_site)


def _public_answer(generation: Generation):
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not shareable_request(request):
                return view(request, *args, **kwargs)
            # Read before the answer is made: a change made meanwhile then leaves the
            # kept answer under the old generation, never a stale one under the new.
            seen = generation()
            store.saw(generation, seen, time.monotonic())
            response = view(request, *args, **kwargs)
            response.public_answer = (generation, seen)
            return response

        return wrapper

    return decorate


@dataclass(frozen=True)
class _Entry:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    generation: Generation
    seen: Hashable
    day: date
    stored: float

    def response(self, now: float) -> HttpResponse:
        response = HttpResponse(self.content)
        for name, value in self.headers:
            response.headers[name] = value
        response.headers["Age"] = str(int(now - self.stored))
        return response


class _Store:
    """A bounded least-recently-used map of answers, by count and by bytes."""

    def __init__(self):
        self._entries: OrderedDict[tuple, _Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._checked: dict[Generation, tuple[float, Hashable]] = {}

    def get(self, key: tuple) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: _Entry) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)
            self._entries[key] = entry
            self._bytes += len(entry.content)
            while self._entries and (
                len(self._entries) > settings.RESPONSE_CACHE_MAX_ENTRIES
                or self._bytes > settings.RESPONSE_CACHE_MAX_BYTES
            ):
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.content)

    def discard(self, key: tuple) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)

    def current(self, generation: Generation, now: float) -> Hashable:
        """The generation, read again only once RESPONSE_CACHE_CHECK_SECONDS have passed."""
        checked = self._checked.get(generation)
        if checked is None or now - checked[0] >= settings.RESPONSE_CACHE_CHECK_SECONDS:
            checked = (now, generation())
            self._checked[generation] = checked
        return checked[1]

    def saw(self, generation: Generation, value: Hashable, now: float) -> None:
        """Note a generation just read afresh (a view read it to make an answer)."""
        self._checked[generation] = (now, value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._checked.clear()

    def __len__(self) -> int:
        return len(self._entries)


store = _Store()


def _key(request: HttpRequest) -> tuple:
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    encoding = "gzip" if ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")) else ""
    return (
        request.method,
        request.scheme,
        # Answers may hold absolute links (the API's): each host is kept apart.
        request.META.get("HTTP_HOST", ""),
        request.META.get("HTTP_X_FORWARDED_HOST", ""),
        request.path,
        request.META.get("QUERY_STRING", ""),
        language,
        encoding,
    )


def _keepable(request: HttpRequest, response: HttpResponse, language: str) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "nonce-" not in response.get("Content-Security-Policy", "")
        and response.get("Content-Language", language) == language
        and not any(word in cache_control for word in REFUSED_CACHE_CONTROL)
        and len(response.content) <= LARGEST_ANSWER
    )


class PublicAnswerCacheMiddleware:
    """Serves kept public answers, and keeps the ones views declare (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not shareable_request(request):
            return self.get_response(request)
        key = _key(request)
        entry = store.get(key)
        now = time.monotonic()
        if entry is not None:
            if (
                now - entry.stored < settings.RESPONSE_CACHE_SECONDS
                and entry.day == timezone.localdate()
                and store.current(entry.generation, now) == entry.seen
            ):
                return entry.response(now)
            store.discard(key)
        response = self.get_response(request)
        declared = getattr(response, "public_answer", None)
        if declared is not None and _keepable(request, response, key[-2]):
            patch_cache_control(response, public=True, max_age=settings.RESPONSE_CACHE_MAX_AGE)
            patch_vary_headers(response, ("Accept-Encoding",))
            generation, seen = declared
            headers = tuple(
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in NOT_KEPT
            )
            store.put(
                key,
                _Entry(response.content, headers, generation, seen, timezone.localdate(), now),
            )
        return response
