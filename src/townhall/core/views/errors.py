"""Error pages that tell a person what happened and what to do next."""

import math
from datetime import timedelta

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone


def rate_limited(request, exception=None):
    """429: too many attempts. Says when the person can try again, and sends Retry-After.

    The wait comes from the exception (core.ratelimit.FormRateLimited carries it) or, for
    allauth's account forms, which call this as the project's handler429 with no
    exception, from allauth's own counters. When neither knows, the page asks the
    person to wait a few minutes. An exception's `reason` replaces the page's usual
    explanation (a shared limit was reached, not the person's own).
    """
    from ..ratelimit import allauth_retry_after

    retry_after = getattr(exception, "retry_after", None)
    if retry_after is None:
        retry_after = allauth_retry_after(request)
    context = {"reason": getattr(exception, "reason", None)}
    if retry_after is not None:
        retry_after = max(1, math.ceil(retry_after))
        context |= {
            "retry_after_minutes": math.ceil(retry_after / 60),
            "retry_at": timezone.localtime(timezone.now() + timedelta(seconds=retry_after)),
        }
    response = render(request, "429.html", context, status=429)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def bad_request(request, exception=None):
    """400: something unreadable or too large was sent (a body over the upload limit, say).

    Rendered without the page layout: it can happen before a session or language is set.
    """
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """500: rendered without the database, which may be what failed."""
    return HttpResponseServerError(loader.get_template("500.html").render())
