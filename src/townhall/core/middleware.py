"""Request-wide machinery: who is acting (for the audit log) and rate-limit pages."""

import ipaddress

from django.conf import settings
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
