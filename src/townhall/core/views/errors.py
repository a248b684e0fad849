"""Error pages that tell a person what happened and what to do next."""

import math
import time

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone


def rate_limited(request, exception=None, retry_after: int | None = None):
    """429: too many attempts; says when the person can try again."""
    if retry_after is None:
        retry_after = getattr(exception, "retry_after", None) or 60
    retry_after = max(1, math.ceil(retry_after))
    retry_at = timezone.localtime(timezone.now() + timezone.timedelta(seconds=retry_after))
    response = render(
        request,
        "429.html",
        {"retry_after_minutes": math.ceil(retry_after / 60), "retry_at": retry_at},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def seconds_until_window_ends(period_seconds: int) -> int:
    """django-ratelimit counts in fixed windows aligned to the clock; this is what's left."""
    return period_seconds - int(time.time()) % period_seconds


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """500: rendered without the database, which may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())
