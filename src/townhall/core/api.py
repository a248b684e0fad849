"""The JSON API under /api/v1/: one NinjaAPI that every module adds a router to.

Errors have one shape everywhere (core.api_errors):
    {"error": {"code": "stable_snake_case", "message": "for a person", "details": {...}}}
"""

import math
from importlib import import_module

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.parser import Parser
from ninja.throttling import AnonRateThrottle

from .api_errors import ApiError, error_body
from .middleware import client_ip, holds_nul
from .permissions import PermissionDenied
from .registry import registry


class VisitorRateThrottle(AnonRateThrottle):
    """Limits each visitor's API calls to settings.TOWNHALL_API_RATE.

    Visitors are told apart by the same address rate limits and the audit log use
    (core.middleware.client_ip, aware of the council's own proxies). The rate is read
    from settings on every call, so a deployment, a test or a benchmark can change it.

    Callers with a valid API token are not limited, on public reads as on writes
    (docs/api.md): a token belongs to a named officer with a publishing role, is revoked
    in one click and is recorded in the audit log, and the council's own harvesters and
    publishing scripts need to read whole catalogues. A public route has no auth of its
    own, so the token is checked here (registry.api_token_user); a wrong or revoked one
    counts as a visitor.
    """

    def get_cache_key(self, request) -> str | None:
        key = super().get_cache_key(request)  # None when a route's own auth let it in
        if key is not None and registry.api_token_user(request) is not None:
            return None
        return key

    def __init__(self) -> None:
        super().__init__(settings.TOWNHALL_API_RATE)

    def allow_request(self, request) -> bool:
        self.num_requests, self.duration = self.parse_rate(settings.TOWNHALL_API_RATE)
        return super().allow_request(request)

    def get_ident(self, request) -> str | None:
        return client_ip(request)


class ObjectParser(Parser):
    """Reads a JSON request body that must be an object, as every body the API takes is.

    Ninja would otherwise read a list, a string or a number as an object through its
    attributes ("x".title() became a dataset's title). Text holding a NUL character is
    refused too, as PostgreSQL would refuse it. Ninja turns these errors into a 400
    HttpError, whose handler below answers with the ApiError it was caused by.
    """

    def parse_body(self, request) -> dict:
        try:
            data = orjson.loads(request.body)
        except orjson.JSONDecodeError:
            raise ApiError(400, "invalid_body", "The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise ApiError(400, "invalid_body", "The request body must be a JSON object.")
        if holds_nul(data):
            raise ApiError(
                400, "invalid_characters", "Text in the request cannot hold a NUL character."
            )
        return data


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Townhall API",
        version="1",
        description=(
            "Open data and services of the council, as JSON. Published content is under the "
            "Open Government Licence v3.0."
        ),
        urls_namespace="api-v1",
        docs_url="/docs",
        throttle=[VisitorRateThrottle()],
        parser=ObjectParser(),
    )

    @api.exception_handler(Throttled)
    def _throttled(request, exc: Throttled):
        wait = max(1, math.ceil(exc.wait or 1))
        response = api.create_response(
            request,
            error_body(
                "rate_limited",
                "Too many requests. Wait and try again.",
                {"retry_after_seconds": wait},
            ),
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return api.create_response(
            request, error_body(exc.code, exc.message, exc.details), status=exc.status
        )

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        return api.create_response(
            request,
            error_body(
                "invalid_request", "The request has invalid values.", {"errors": exc.errors}
            ),
            status=422,
        )

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return api.create_response(
            request, error_body("not_found", "Nothing was found at this address."), status=404
        )

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc: PermissionDenied):
        return api.create_response(
            request,
            error_body("forbidden", "You are not allowed to do this.", {"action": exc.action}),
            status=403,
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return api.create_response(
            request, error_body("unauthenticated", "Sign in or send a valid API token."), status=401
        )

    @api.exception_handler(RequestDataTooBig)
    def _too_large(request, exc):
        return api.create_response(
            request,
            error_body(
                "request_too_large",
                "The request body is larger than the limit.",
                {"limit_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
            ),
            status=413,
        )

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, ApiError):
            return _api_error(request, exc.__cause__)
        return api.create_response(
            request, error_body("http_error", str(exc)), status=exc.status_code
        )

    for manifest in registry:
        if manifest.api_router:
            module_path, _, attribute = manifest.api_router.rpartition(".")
            router = getattr(import_module(module_path), attribute)
            api.add_router(manifest.api_prefix, router)
    return api


api = build_api()
