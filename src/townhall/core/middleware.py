"""Request-wide machinery: who is acting (for the audit log) and rate-limit pages."""

from django_ratelimit.exceptions import Ratelimited

from .audit import acting_as


def client_ip(request) -> str | None:
    """The client's address. Behind a proxy, set TRUSTED_PROXY_COUNT (see operations docs)."""
    return request.META.get("REMOTE_ADDR")


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
