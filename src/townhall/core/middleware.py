"""Request-wide machinery: who is acting (for the audit log), rate-limit pages, and
addresses no page can answer (a NUL character)."""

import ipaddress
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest
from django_ratelimit.exceptions import Ratelimited

from .audit import acting_as


def client_ip(request) -> str | None:
    """The visitor's address, for rate limits and the audit log.

    Behind the council's own proxies (TRUSTED_PROXY_COUNT of them) it is the address the
    outermost trusted proxy saw, read from X-Forwarded-For counting from the right; the
    left-hand entries are the visitor's to forge and are never trusted. Without proxies it
    is the connection's address.
    """
    trusted = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    candidate = forwarded[-trusted] if trusted and len(forwarded) >= trusted else None
    for address in (candidate, request.META.get("REMOTE_ADDR")):
        try:
            return str(ipaddress.ip_address(address or ""))
        except ValueError:
            continue
    return None


class AuditActorMiddleware:
    """Attributes every change made while handling a request to the signed-in person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting_as(getattr(request, "user", None), client_ip(request)):
            return self.get_response(request)


class RateLimitedMiddleware:
    """Turns django-ratelimit's refusal into a 429 page that says when to try again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Ratelimited):
            from .views.errors import rate_limited

            return rate_limited(request, exception)
        return None


def holds_nul(value: Any) -> bool:
    """Whether text, or any key or text inside lists and dicts (parsed JSON), has a NUL
    character. PostgreSQL refuses NUL in every text it is given, so input that holds one
    is refused as a bad request before it reaches a query."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


class NulCharacterMiddleware:
    """Answers 400 (Django's handler400) to an address whose path or query string holds a
    NUL character (%00): no address Townhall makes has one, and on PostgreSQL every query
    given one would fail. Checked once here rather than in each page, API and standard."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            holds_nul(key) or holds_nul(values) for key, values in request.GET.lists()
        ):
            raise BadRequest("A NUL character in the address.")
        return self.get_response(request)
