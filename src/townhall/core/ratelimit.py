"""Rate limits on public forms, and how long a refused person must wait.

Sign-in, sign-up and the other account forms use django-allauth's own limits
(settings.ACCOUNT_RATE_LIMITS); every other public form puts `form_rate_limit` on its
view. Either way the refusal is our 429 page, which says when to try again and sends a
Retry-After header (core.views.errors.rate_limited). A ceiling on failed attempts that
everyone shares (all guesses at one thing, from wherever they come) uses failures_check
and failure_record.
"""

import functools
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

ALLAUTH_APP = "allauth.account"

#: allauth's rate-limited views, by URL name, and the action each one consumes.
ALLAUTH_ACTIONS = {
    "account_login": "login",
    "account_signup": "signup",
    "account_email": "manage_email",
    "account_change_password": "change_password",
    "account_set_password": "change_password",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_reset_password_from_key_done": "reset_password_from_key",
    "account_reauthenticate": "reauthenticate",
}


class FormRateLimited(Ratelimited):
    """A public form was sent too often; `retry_after` is the wait in seconds.

    `reason`, when given, replaces the 429 page's usual "You have tried this too many
    times": a limit shared by everyone (failures_check) must not blame the person refused.
    """

    def __init__(self, retry_after: int, reason: str | None = None) -> None:
        super().__init__("Too many attempts")
        self.retry_after = retry_after
        self.reason = reason


def form_rate_limit(
    view: Callable | None = None,
    *,
    rate: str | None = None,
    key: str = "ip",
    group: str = "",
    methods: tuple[str, ...] = ("POST",),
):
    """Limit how often one client may send a public form.

    Use it bare (`@form_rate_limit`) for the site-wide rate, settings.TOWNHALL_FORM_RATE,
    or with a rate of its own (`@form_rate_limit(rate="5/h")`). `key` is any
    django-ratelimit key ("ip", "user_or_ip", ...); `group` shares one count between
    views (by default each view counts alone). Only POSTs count unless `methods` says
    otherwise: a look-up form sent by GET (a postcode finder) passes `methods=("GET",)`.
    Over the limit, FormRateLimited is raised and RateLimitedMiddleware answers with the
    429 page.
    """

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def wrapper(request: HttpRequest, *args, **kwargs):
            usage = get_usage(
                request,
                group=group or None,
                fn=function,
                key=key,
                rate=rate or settings.TOWNHALL_FORM_RATE,
                method=list(methods),
                increment=True,
            )
            if usage is not None and usage["should_limit"]:
                raise FormRateLimited(retry_after=max(1, usage["time_left"]))
            return function(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def _failure_usage(*, group: str, key: str, rate: str, count: bool) -> dict | None:
    """django-ratelimit's counter for `key` in `group`, counted up by one when `count`.
    No request is involved: the key is given, and every method counts."""
    return get_usage(
        None, group=group, key=lambda _group, _request: key, rate=rate, increment=count
    )


def failures_check(*, group: str, key: str, rate: str, reason: str | None = None) -> None:
    """Refuse another attempt at something once `rate` failures have been recorded for it.

    For a ceiling shared by every client, such as all guesses at one ballot's voter codes
    (a per-client limit alone lets many clients guess together). Only failures count
    (failure_record), so people who get it right never use the ceiling up. Raises
    FormRateLimited, with `reason` for the 429 page, until the window ends. Checking and
    recording are two steps: clients racing each other may pass the ceiling by a few.
    """
    usage = _failure_usage(group=group, key=key, rate=rate, count=False)
    if usage is not None and usage["count"] >= usage["limit"]:
        raise FormRateLimited(retry_after=max(1, usage["time_left"]), reason=reason)


def failure_record(*, group: str, key: str, rate: str) -> None:
    """Count one failed attempt towards failures_check's ceiling for `key` in `group`."""
    _failure_usage(group=group, key=key, rate=rate, count=True)


def allauth_retry_after(request: HttpRequest) -> int | None:
    """Seconds until allauth lets this request's view through again, or None if unknown.

    allauth answers its rate limits by calling the project's handler429 with nothing
    but the request, so the action is found from the view's URL name.
    """
    match = getattr(request, "resolver_match", None)
    action = ALLAUTH_ACTIONS.get(getattr(match, "url_name", None))
    if action is None:
        return None
    email = (request.POST.get("email") or "").strip().lower()
    return allauth_action_retry_after(request, action=action, key=email or None)


def allauth_action_retry_after(
    request: HttpRequest, *, action: str, key: str | None = None
) -> int | None:
    """Seconds until allauth's limits on `action` let this client through, or None if open.

    allauth keeps, per rate, the times of recent attempts; a full history frees its
    oldest slot `duration` seconds after that attempt, and the longest such wait over
    the action's rates is the answer. Rates counted per key are skipped without a key,
    per user without a signed-in person. This reads allauth's internal ratelimit
    module; tests/core/test_ratelimit.py fails if that changes.
    """
    from allauth.core.internal import ratelimit as allauth_ratelimit

    user = request.user if request.user.is_authenticated else None
    now = time.time()
    waits = []
    for rate in allauth_ratelimit.get_rates(app=ALLAUTH_APP, action=action):
        if (rate.per == "key" and not key) or (rate.per == "user" and user is None):
            continue
        cache_key = allauth_ratelimit.get_cache_key(
            request, app=ALLAUTH_APP, action=action, rate=rate, key=key, user=user
        )
        attempts = [moment for moment in cache.get(cache_key, []) if moment > now - rate.duration]
        if len(attempts) >= rate.amount:
            waits.append(attempts[rate.amount - 1] + rate.duration - now)
    return math.ceil(max(waits)) if waits else None
