"""OCDS release and record packages as JSON, queried as Find a Tender's OCDS API is:
updatedFrom, updatedTo, stages, limit and cursor, the next page in `links.next`. A
parameter that cannot be used is a 400 in the API's error shape, naming it."""

from datetime import datetime, time
from urllib.parse import urlencode

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from townhall.core.api_errors import error_body

from . import ocds

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100


class BadParameter(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name, self.message = name, message


def _moment(name: str, value: str, *, end_of_day: bool = False) -> datetime:
    """A date (the whole day, in UK time) or an ISO 8601 date and time."""
    try:
        moment = parse_datetime(value) if "T" in value else None
        day = parse_date(value) if moment is None and len(value) == 10 else None
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise BadParameter(
            name,
            _("%(name)s must be a date or date and time, like 2026-04-01 or "
              "2026-04-01T09:00:00Z") % {"name": name},
        )  # fmt: skip
    if moment is None:
        moment = datetime.combine(day, time.max if end_of_day else time.min)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def _query(request: HttpRequest) -> ocds.Query:
    params = request.GET
    known = {"updatedFrom", "updatedTo", "stages", "limit", "cursor"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise BadParameter(
            unknown[0],
            _("%(name)s is not a parameter here; use updatedFrom, updatedTo, stages, limit "
              "or cursor") % {"name": unknown[0]},
        )  # fmt: skip
    updated_from = (
        _moment("updatedFrom", params["updatedFrom"]) if "updatedFrom" in params else None
    )
    updated_to = (
        _moment("updatedTo", params["updatedTo"], end_of_day=True)
        if "updatedTo" in params
        else None
    )
    if updated_from and updated_to and updated_from > updated_to:
        raise BadParameter("updatedTo", _("updatedTo must not be before updatedFrom"))
    stages = tuple(stage for stage in params.get("stages", "").split(",") if stage)
    wrong = [stage for stage in stages if stage not in ocds.STAGES]
    if wrong:
        raise BadParameter(
            "stages",
            _("%(stage)s is not a stage; use %(stages)s")
            % {"stage": wrong[0], "stages": ", ".join(ocds.STAGES)},
        )
    limit_text = params.get("limit", str(DEFAULT_LIMIT))
    if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_LIMIT:
        raise BadParameter(
            "limit", _("limit must be a whole number from 1 to %(max)d") % {"max": MAX_LIMIT}
        )
    after = None
    if params.get("cursor"):
        try:
            after = ocds.position_of(params["cursor"])
        except ValueError:
            raise BadParameter(
                "cursor", _("cursor is not one this service gave; start again without it")
            ) from None
    return ocds.Query(
        updated_from=updated_from,
        updated_to=updated_to,
        stages=stages,
        limit=int(limit_text),
        after=after,
    )


def _bad(problem: BadParameter) -> JsonResponse:
    return JsonResponse(
        error_body("invalid_parameter", problem.message, {"parameter": problem.name}), status=400
    )


def _next_url(request: HttpRequest, last: ocds.Release | None, more: bool) -> str:
    if not more or last is None:
        return ""
    params = {name: value for name, value in request.GET.items() if name != "cursor"}
    params["cursor"] = ocds.cursor_for(last)
    return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")


def _not_found(ocid: str) -> JsonResponse:
    return JsonResponse(
        error_body("not_found", _("There is no contracting process %(ocid)s") % {"ocid": ocid}),
        status=404,
    )


@require_GET
def releases(request: HttpRequest) -> JsonResponse:
    try:
        query = _query(request)
    except BadParameter as problem:
        return _bad(problem)
    page, more = ocds.releases_page(query)
    next_url = _next_url(request, page[-1] if page else None, more)
    uri = request.build_absolute_uri()
    return JsonResponse(ocds.release_package(page, uri=uri, next_url=next_url))


@require_GET
def release(request: HttpRequest, ocid: str) -> JsonResponse:
    found = ocds.releases(ocid=ocid)
    if not found:
        return _not_found(ocid)
    return JsonResponse(ocds.release_package(found, uri=request.build_absolute_uri()))


@require_GET
def records(request: HttpRequest) -> JsonResponse:
    try:
        query = _query(request)
    except BadParameter as problem:
        return _bad(problem)
    by_ocid, last, more = ocds.records_page(query)
    next_url = _next_url(request, last, more)
    uri = request.build_absolute_uri()
    return JsonResponse(ocds.record_package(by_ocid, uri=uri, next_url=next_url))


@require_GET
def record(request: HttpRequest, ocid: str) -> JsonResponse:
    found = ocds.releases(ocid=ocid)
    if not found:
        return _not_found(ocid)
    return JsonResponse(ocds.record_package({ocid: found}, uri=request.build_absolute_uri()))
