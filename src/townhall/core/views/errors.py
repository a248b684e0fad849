"""Error pages that tell a person what happened and what to do next."""

import math
from datetime import timedelta

from django.http import HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _

from ..api_errors import error_body

API_PREFIX = "/api/"


def _for_a_program(request) -> bool:
    """Whether the request went to an API (ours or a standard's), which answers JSON even
    when it fails in a way no API handler caught."""
    return request.path_info.startswith(API_PREFIX)


def _api_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)


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
    Under /api/ it is the API's JSON error, `bad_request`.
    """
    if _for_a_program(request):
        return _api_error("bad_request", _("The request could not be read."), 400)
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    if _for_a_program(request):
        return _api_error("not_found", _("Nothing was found at this address."), 404)
    return render(request, "404.html", status=404)


def server_error(request):
    """500: rendered without the database, which may be what failed. Under /api/ it is
    the API's JSON error, `server_error`, so a program is never handed an HTML page."""
    if _for_a_program(request):
        return _api_error(
            "server_error", _("Something went wrong on our side. Try again later."), 500
        )
    return HttpResponseServerError(loader.get_template("500.html").render())
