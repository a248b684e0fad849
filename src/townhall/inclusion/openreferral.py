"""The Open Referral UK 3.0 API at /openreferral/: the standard's paths, filters,
pagination and record shapes, so any Open Referral UK client (a neighbouring council's
directory, a social prescribing tool) reads our directory as it reads theirs.

Records are written in the language of the request (Accept-Language: cy gives Welsh
where it is written, English otherwise) and say so in Content-Language. Optional fields
with no value are left out, as the schemas allow no nulls. Bad parameters answer with
Townhall's error shape, `{"error": {"code", "message", "details"}}`, and a stable code.
"""

import math
from collections.abc import Callable
from datetime import datetime, time
from decimal import Decimal
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime, parse_time
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from townhall.core.api_errors import error_body
from townhall.core.services.geography import PostcodeError, find_by_postcode

from . import selectors
from .models import Organization, Schedule, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

VERSION = "3.0"
PROFILE = "https://openreferraluk.org/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PROXIMITY_M = 100_000
DAY_NAMES = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}


class BadParameter(Exception):
    def __init__(self, code: str, message: str, parameter: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.parameter, self.status = code, message, parameter, status


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        return super().default(o)


def _respond(body, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, encoder=_Encoder)
    response["Content-Language"] = translation.get_language() or "en-gb"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _endpoint(view: Callable) -> Callable:
    """A GET view answering bad parameters with the error shape."""

    @require_GET
    def wrapped(request, *args, **kwargs):
        # The path is the same in every language, so the request's Accept-Language (or
        # language cookie) chooses.
        with translation.override(translation.get_language_from_request(request)):
            try:
                return _respond(view(request, *args, **kwargs))
            except BadParameter as bad:
                return _respond(
                    error_body(bad.code, bad.message, {"parameter": bad.parameter}), bad.status
                )

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _clean(record: dict) -> dict:
    """The record without empty optional values (the schemas allow no nulls)."""
    return {key: value for key, value in record.items() if value not in (None, "", [])}


# Parameters -----------------------------------------------------------------------------


def _integer(request, name: str, *, minimum: int = 0) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise BadParameter(
            f"invalid_{name}",
            _("%(name)s must be a whole number of at least %(minimum)s")
            % {"name": name, "minimum": minimum},
            name,
        )
    return value


def _uuid(request, name: str) -> UUID | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise BadParameter(
            f"invalid_{name}", _("%(name)s must be a UUID") % {"name": name}, name
        ) from None


def _time(request, name: str) -> time | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_time(raw)
    except ValueError:
        value = None
    if value is None:
        raise BadParameter(
            "invalid_time",
            _("%(name)s must be a time of day such as 09:30") % {"name": name},
            name,
        )
    return value


def _day(request) -> str:
    raw = request.GET.get("day", "").strip()
    if not raw:
        return ""
    day = DAY_NAMES.get(raw.lower(), raw.upper())
    if day not in selectors.DAYS:
        raise BadParameter(
            "invalid_day", _("day must be a day of the week, such as Monday or MO"), "day"
        )
    return day


def _modified_after(request) -> datetime | None:
    raw = request.GET.get("modified_after", "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise BadParameter(
            "invalid_modified_after",
            _("modified_after must be a date and time such as 2026-01-31T09:00:00Z"),
            "modified_after",
        )
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _filters(request) -> selectors.ServiceFilter:
    return selectors.ServiceFilter(
        search=request.GET.get("search", "").strip()[:200],
        taxonomy_term_id=_uuid(request, "taxonomy_term_id"),
        taxonomy_id=_uuid(request, "taxonomy_id"),
        organization_id=_uuid(request, "organization_id"),
        minimum_age=_integer(request, "minimum_age"),
        maximum_age=_integer(request, "maximum_age"),
        modified_after=_modified_after(request),
        times=selectors.TimeFilter(
            day=_day(request), start=_time(request, "start_time"), end=_time(request, "end_time")
        ),
    )


def _page_asked(request) -> tuple[int, int]:
    """The page (from 1) and the page size (1 to MAX_PER_PAGE) the request asks for."""
    page = _integer(request, "page", minimum=1) or 1
    size = DEFAULT_PER_PAGE
    if request.GET.get("per_page", "").strip():
        size = _integer(request, "per_page", minimum=1)
        if size > MAX_PER_PAGE:
            raise BadParameter(
                "invalid_per_page",
                _("per_page must be between 1 and %(maximum)s") % {"maximum": MAX_PER_PAGE},
                "per_page",
            )
    return page, size


def _paged(page: int, size: int, total: int, contents: list) -> dict:
    """The standard's page shape."""
    pages = max(1, math.ceil(total / size))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": contents,
    }


def _page(request, rows, serialise: Callable[[object], dict]) -> dict:
    """A page of the queryset `rows`, each row serialised."""
    page, size = _page_asked(request)
    total = rows.count()
    contents = [serialise(row) for row in rows[(page - 1) * size : page * size]] if total else []
    return _paged(page, size, total, contents)


# Records --------------------------------------------------------------------------------


def organization_record(organization: Organization) -> dict:
    return _clean(
        {
            "id": str(organization.id),
            "name": organization.name,
            "description": organization.description,
            "email": organization.email,
            "website": organization.website,
        }
    )


def service_record(service: Service) -> dict:
    """The service's one-to-one fields and its organisation (the list shape)."""
    return _clean(
        {
            "id": str(service.id),
            "organization_id": str(service.organization_id),
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "eligibility_description": service.eligibility,
            "alert": service.alert,
            "assured_date": service.last_confirmed.isoformat() if service.last_confirmed else "",
            "last_modified": service.last_modified.isoformat(),
            "organization": organization_record(service.organization),
        }
    )


def taxonomy_record(taxonomy: Taxonomy) -> dict:
    return _clean(
        {
            "id": str(taxonomy.id),
            "name": taxonomy.name,
            "description": taxonomy.description,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
        }
    )


def taxonomy_term_record(term: TaxonomyTerm) -> dict:
    return _clean(
        {
            "id": str(term.id),
            "code": term.code,
            "name": term.name,
            "description": term.description,
            "parent_id": str(term.parent_id) if term.parent_id else "",
            "taxonomy": term.taxonomy.name,
            "taxonomy_id": str(term.taxonomy_id),
        }
    )


def schedule_record(schedule: Schedule, service_id: UUID) -> dict:
    closed = schedule.kind == Schedule.Kind.CLOSED
    return _clean(
        {
            "id": str(schedule.id),
            "service_id": str(service_id),
            "service_at_location_id": str(schedule.service_at_location_id),
            "valid_from": schedule.valid_from.isoformat() if schedule.valid_from else "",
            "valid_to": schedule.valid_to.isoformat() if schedule.valid_to else "",
            "freq": "" if closed else "WEEKLY",
            "byday": schedule.byday,
            "opens_at": schedule.opens_at.strftime("%H:%M") if schedule.opens_at else "",
            "closes_at": schedule.closes_at.strftime("%H:%M") if schedule.closes_at else "",
            "description": schedule.description or (_("Closed") if closed else ""),
            "attending_type": "in_person",
        }
    )


def location_record(place: ServiceAtLocation) -> dict:
    location = place.location
    address = {
        "id": str(location.id),
        "location_id": str(location.id),
        "address_1": location.address_1,
        "city": location.city,
        "state_province": "",  # required by the schema; England has none
        "postal_code": location.postal_code,
        "country": "GB",
        "address_type": "physical",
    }
    return _clean(
        {
            "id": str(location.id),
            "location_type": "physical",
            "name": location.name,
            "description": location.description,
            "transportation": location.transportation,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "external_identifier": location.uprn,
            "external_identifier_type": "UPRN" if location.uprn else "",
            "addresses": [address],
            "accessibility": [
                _clean(
                    {
                        "id": str(item.id),
                        "location_id": str(location.id),
                        "description": item.description,
                        "details": item.details,
                    }
                )
                for item in location.accessibility.all()
            ],
        }
    )


def service_full_record(service: Service) -> dict:
    """The fully nested service (fetch it with selectors.with_everything)."""
    places = list(service.at_locations.all())
    return _clean(
        {
            **service_record(service),
            "schedules": [
                schedule_record(schedule, service.id)
                for place in places
                for schedule in place.schedules.all()
            ],
            "service_at_locations": [
                _clean(
                    {
                        "id": str(place.id),
                        "service_id": str(service.id),
                        "location_id": str(place.location_id),
                        "description": place.description,
                        "location": location_record(place),
                    }
                )
                for place in places
            ],
            "languages": [
                _clean(
                    {
                        "id": str(language.id),
                        "service_id": str(service.id),
                        "name": language.name,
                        "code": language.code,
                        "note": language.note,
                    }
                )
                for language in service.languages.all()
            ],
            "cost_options": [
                _clean(
                    {
                        "id": str(cost.id),
                        "service_id": str(service.id),
                        "option": cost.option,
                        "amount": cost.amount,
                        "amount_description": cost.amount_description,
                        "currency": "GBP" if cost.amount is not None else "",
                    }
                )
                for cost in service.cost_options.all()
            ],
            "contacts": [
                _clean(
                    {
                        "id": str(contact.id),
                        "service_id": str(service.id),
                        "name": contact.name,
                        "title": contact.title,
                        "email": contact.email,
                        "phones": [_phone(phone) for phone in contact.phones.all()],
                    }
                )
                for contact in service.contacts.all()
            ],
            "phones": [_phone(phone) for phone in service.phones.all() if not phone.contact_id],
            "attributes": [
                {
                    "id": str(term.id),
                    "link_id": str(service.id),
                    "link_type": "service",
                    "link_entity": "service",
                    "taxonomy_term_id": str(term.id),
                    "taxonomy_term": taxonomy_term_record(term),
                }
                for term in service.terms.all()
            ],
        }
    )


def _phone(phone) -> dict:
    return _clean({"id": str(phone.id), "number": phone.number, "description": phone.description})


def service_at_location_record(place: ServiceAtLocation, distance: float | None = None) -> dict:
    record = {
        "id": str(place.id),
        "service_id": str(place.service_id),
        "location_id": str(place.location_id),
        "description": place.description,
        "service": service_record(place.service),
        "location": _clean(
            {
                "id": str(place.location.id),
                "location_type": "physical",
                "name": place.location.name,
                "latitude": place.location.latitude,
                "longitude": place.location.longitude,
                "postcode": place.location.postal_code,
            }
        ),
        "distance": round(distance) if distance is not None else None,
    }
    return _clean(record)


# Views ----------------------------------------------------------------------------------


def _not_found(kind: str, key) -> BadParameter:
    return BadParameter(
        f"{kind}_not_found",
        _("There is no published %(kind)s with id %(id)s") % {"kind": kind, "id": key},
        "id",
        status=404,
    )


@_endpoint
def api_root(request) -> dict:
    """The API's version, profile and OpenAPI document."""
    return {
        "version": VERSION,
        "profile": PROFILE,
        "openapi_url": OPENAPI_URL,
        "services_url": request.build_absolute_uri(reverse("inclusion-or-services")),
    }


@_endpoint
def services(request) -> dict:
    return _page(request, selectors.services_listed(_filters(request)), service_record)


@_endpoint
def service(request, pk: UUID) -> dict:
    found = selectors.published_service(pk)
    if found is None:
        raise _not_found("service", pk)
    return service_full_record(found)


def _near(request) -> tuple[selectors.Point | None, float | None]:
    postcode = request.GET.get("postcode", "").strip()
    proximity = _integer(request, "proximity", minimum=1)
    if proximity is not None and proximity > MAX_PROXIMITY_M:
        raise BadParameter(
            "invalid_proximity",
            _("proximity must be at most %(maximum)s metres") % {"maximum": MAX_PROXIMITY_M},
            "proximity",
        )
    if not postcode:
        if proximity is not None:
            raise BadParameter(
                "postcode_required", _("Give a postcode to search by proximity"), "postcode"
            )
        return None, None
    try:
        location = find_by_postcode(postcode)
    except PostcodeError as error:
        raise BadParameter(error.code, str(error), "postcode", status=error.status) from None
    if location.latitude is None or location.longitude is None:
        raise BadParameter(
            "postcode_without_position",
            _("We do not know where %(postcode)s is") % {"postcode": location.postcode},
            "postcode",
        )
    return selectors.Point(location.latitude, location.longitude), proximity


@_endpoint
def service_at_locations(request) -> dict:
    point, within = _near(request)
    filters = _filters(request)
    page, size = _page_asked(request)
    found = selectors.service_at_locations_page(
        filters, offset=(page - 1) * size, limit=size, near=point, within_m=within
    )
    contents = [
        service_at_location_record(
            place,
            selectors.distance_m(point, place.location.latitude, place.location.longitude)
            if point
            else None,
        )
        for place in found.rows
    ]
    return _paged(page, size, found.total, contents)


@_endpoint
def service_at_location(request, pk: UUID) -> dict:
    """The standard answers with the fully nested service given at that place."""
    place = selectors.published_service_at_location(pk)
    if place is None:
        raise _not_found("service_at_location", pk)
    return service_full_record(selectors.published_service(place.service_id))


@_endpoint
def taxonomies(request) -> dict:
    return _page(request, selectors.taxonomies(), taxonomy_record)


@_endpoint
def taxonomy(request, pk: UUID) -> dict:
    found = selectors.taxonomies().filter(pk=pk).first()
    if found is None:
        raise _not_found("taxonomy", pk)
    return taxonomy_record(found)


@_endpoint
def taxonomy_terms(request) -> dict:
    terms = selectors.taxonomy_terms()
    taxonomy_id = _uuid(request, "taxonomy_id")
    if taxonomy_id:
        terms = terms.filter(taxonomy_id=taxonomy_id)
    return _page(request, terms, taxonomy_term_record)


@_endpoint
def taxonomy_term(request, pk: UUID) -> dict:
    found = selectors.taxonomy_terms().filter(pk=pk).first()
    if found is None:
        raise _not_found("taxonomy_term", pk)
    return taxonomy_term_record(found)


@_endpoint
def organizations(request) -> dict:
    return _page(request, selectors.organizations(), organization_record)


@_endpoint
def organization(request, pk: UUID) -> dict:
    found = selectors.organizations().filter(pk=pk).first()
    if found is None:
        raise _not_found("organization", pk)
    return organization_record(found)
