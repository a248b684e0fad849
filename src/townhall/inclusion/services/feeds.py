"""Importing another Open Referral UK 3.0 feed (a neighbouring council's directory, a
voluntary-sector one) into the directory, keeping each record's `source` (ADR 0103).

An officer gives the feed's address; its `/services` pages are fetched through core's
guarded client, or read from a JSON file of those pages the officer uploads. Every record
is checked first and every problem reported with its record's id and field; then the
whole feed is written in one transaction, or nothing is. Re-importing the same feed
updates its records by their ids and withdraws (makes draft) its services no longer in
it; records written here, or imported from another feed, are never touched.
"""

import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from townhall import __version__
from townhall.core import audit, outbound
from townhall.core.permissions import require
from townhall.core.services.search import search_index_update

from ..manifest import MANAGE_DIRECTORY
from ..models import (
    LOCAL_SOURCE,
    Accessibility,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ..selectors import DAYS, SEARCH_KIND

#: Limits of one import, which runs while the officer waits (ADR 0103).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SERVICES = 2_000
MAX_PAGES = 40
PER_PAGE = 100
#: Services a list page gives without their places are fetched one by one, up to this.
MAX_SERVICE_FETCHES = 200
USER_AGENT = f"Townhall-directory-import/{__version__}"

_DAY_NAMES = {
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
    "sunday": "SU",
}
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2}))?(?:Z|[+-]\d{2}:?\d{2})?$")


@dataclass(frozen=True)
class FeedProblem:
    """One thing wrong with one record: its id (or its position), the field, why."""

    record: str
    field: str
    message: str


class FeedInvalid(Exception):
    """The feed cannot be imported; `problems` lists every problem found (nothing was
    written)."""

    def __init__(self, problems: list[FeedProblem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    withdrawn: int = 0


# Reading ---------------------------------------------------------------------------------


def _guard() -> outbound.Guard:
    return outbound.Guard(timeout=20, max_bytes=MAX_UPLOAD_BYTES)


def _services_url(address: str) -> str:
    base = address.rstrip("/")
    return base if base.endswith("/services") else base + "/services"


def _get_json(url: str) -> Any:
    try:
        answer = outbound.request(
            url, guard=_guard(), headers={"Accept": "application/json", "User-Agent": USER_AGENT}
        )
        return json.loads(answer.body)
    except outbound.FetchError as error:
        raise FeedInvalid([FeedProblem(url, "", str(error))]) from None
    except ValueError:
        raise FeedInvalid([FeedProblem(url, "", _("The answer is not JSON"))]) from None


def feed_fetch(address: str) -> list[dict]:
    """The services of the feed at `address` (its root, or its /services), page by page,
    with each service's places fetched when its list page leaves them out. Raises
    FeedInvalid when the feed cannot be read or holds too much for one import."""
    services_url = _services_url(address)
    found: list[dict] = []
    for page in range(1, MAX_PAGES + 1):
        body = _get_json(f"{services_url}?{urlencode({'page': page, 'per_page': PER_PAGE})}")
        contents = body.get("contents") if isinstance(body, dict) else None
        if not isinstance(contents, list):
            raise FeedInvalid(
                [FeedProblem(services_url, "contents", _("This is not a page of services"))]
            )
        found.extend(contents)
        if body.get("last_page") or not contents or page >= int(body.get("total_pages") or 1):
            break
    else:
        raise FeedInvalid([FeedProblem(services_url, "", _too_many())])
    partial = [item for item in found if "service_at_locations" not in item]
    if len(partial) > MAX_SERVICE_FETCHES:
        raise FeedInvalid([FeedProblem(services_url, "", _too_many())])
    for position, item in enumerate(found):
        if "service_at_locations" not in item and isinstance(item.get("id"), str):
            found[position] = _get_json(f"{services_url}/{item['id']}")
    return found


def _too_many() -> str:
    return _(
        "The feed holds more than one import can take. Download its services and upload "
        "them in parts."
    )


def feed_read_upload(upload) -> list[dict]:
    """The services in an uploaded JSON file of a feed's `/services` pages: one page, a
    list of pages, or a list of services. Raises FeedInvalid for a file too large or not
    in that shape."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise FeedInvalid(
            [
                FeedProblem(
                    upload.name,
                    "",
                    _("The file must be smaller than %(size)s MB")
                    % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
                )
            ]
        )
    try:
        body = json.loads(upload.read())
    except (ValueError, UnicodeDecodeError):
        raise FeedInvalid([FeedProblem(upload.name, "", _("The file is not JSON"))]) from None
    return services_in(body, upload.name)


def services_in(body: Any, name: str) -> list[dict]:
    pages = body if isinstance(body, list) else [body]
    found = []
    for page in pages:
        if isinstance(page, dict) and isinstance(page.get("contents"), list):
            found.extend(page["contents"])
        elif isinstance(page, dict) and "id" in page:
            found.append(page)
        else:
            raise FeedInvalid([FeedProblem(name, "contents", _("This is not a page of services"))])
    return found


# Checking --------------------------------------------------------------------------------


class _Checker:
    """Reads a feed's services into the rows to write, collecting every problem."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[FeedProblem] = []
        self.seen: dict[str, set[str]] = {}
        self.terms = {str(term.pk): term for term in TaxonomyTerm.objects.all()}
        self.terms_by_code = {term.code: term for term in self.terms.values()}

    def problem(self, record: str, field_name: str, message: str) -> None:
        self.problems.append(FeedProblem(record, field_name, message))

    def identifier(self, record: dict, kind: str, where: str, *, once: bool = True) -> str:
        value = record.get("id") if isinstance(record, dict) else None
        try:
            key = str(uuid.UUID(str(value)))
        except ValueError:
            self.problem(where, "id", _("The id must be a UUID"))
            return ""
        if once and key in self.seen.setdefault(kind, set()):
            self.problem(key, "id", _("The id is used by more than one record"))
        self.seen.setdefault(kind, set()).add(key)
        return key

    def text(self, record: dict, name: str, key: str, *, required=False, limit=0) -> str:
        value = record.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problem(key, name, _("This must be text"))
            return ""
        value = value.strip()
        if required and not value:
            self.problem(key, name, _("This is required"))
        if limit and len(value) > limit:
            self.problem(
                key, name, _("This is longer than %(limit)s characters") % {"limit": limit}
            )
        return value

    def number(self, record: dict, name: str, key: str, low: float, high: float) -> float | None:
        value = record.get(name)
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(key, name, _("This must be a number"))
            return None
        if not low <= value <= high:
            self.problem(
                key,
                name,
                _("This must be between %(low)s and %(high)s") % {"low": low, "high": high},
            )
            return None
        return float(value)

    def age(self, record: dict, name: str, key: str) -> int | None:
        value = record.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150:
            self.problem(key, name, _("This must be an age in whole years"))
            return None
        return value

    def day(self, record: dict, name: str, key: str) -> date | None:
        value = record.get(name)
        if not value:
            return None
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            self.problem(key, name, _("This must be a date like 2026-12-24"))
            return None

    def clock(self, record: dict, name: str, key: str) -> time | None:
        value = record.get(name)
        if not value:
            return None
        match = _TIME.match(str(value))
        if not match:
            self.problem(key, name, _("This must be a time like 09:30"))
            return None
        try:
            return time(int(match[1]), int(match[2]), int(match[3] or 0))
        except ValueError:
            self.problem(key, name, _("This must be a time like 09:30"))
            return None

    def days(self, record: dict, key: str) -> str:
        value = record.get("byday") or ""
        codes = []
        for part in str(value).replace(" ", "").split(","):
            if not part:
                continue
            code = _DAY_NAMES.get(part.lower(), part.upper())
            if code not in DAYS:
                self.problem(key, "byday", _("The days must be MO, TU, WE, TH, FR, SA or SU"))
                return ""
            codes.append(code)
        return ",".join(day for day in DAYS if day in codes)

    def others_own(self, model, key: str, kind: str) -> None:
        """A record of this id already written here, or imported from another feed."""
        owner = model.objects.filter(pk=key).values_list("source", flat=True).first()
        if owner is not None and owner != self.source:
            self.problem(
                key,
                "id",
                _("The id is already used by a %(kind)s from %(source)s")
                % {"kind": kind, "source": owner},
            )


def _list(record: dict, name: str) -> list:
    value = record.get(name) or []
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _read_service(checker: _Checker, record: dict, position: int) -> dict | None:
    where = _("service %(number)s") % {"number": position + 1}
    if not isinstance(record, dict):
        checker.problem(where, "", _("This is not a service"))
        return None
    key = checker.identifier(record, "service", where)
    if key:
        checker.others_own(Service, key, _("service"))
    row: dict[str, Any] = {"id": key}
    row["name"] = checker.text(record, "name", key or where, required=True, limit=200)
    row["description"] = checker.text(record, "description", key or where) or row["name"]
    row["url"] = checker.text(record, "url", key or where, limit=200)
    row["email"] = checker.text(record, "email", key or where, limit=254)
    row["eligibility"] = checker.text(record, "eligibility_description", key or where)
    row["alert"] = checker.text(record, "alert", key or where)
    status = record.get("status") or Service.Status.ACTIVE
    if status not in Service.Status.values:
        checker.problem(key or where, "status", _("The status is not one the standard allows"))
    row["status"] = status
    row["minimum_age"] = checker.age(record, "minimum_age", key or where)
    row["maximum_age"] = checker.age(record, "maximum_age", key or where)
    row["last_confirmed"] = checker.day(record, "assured_date", key or where)
    organization = record.get("organization")
    if not isinstance(organization, dict):
        checker.problem(key or where, "organization", _("This is required"))
        return None
    org_key = checker.identifier(organization, "organization", key or where, once=False)
    if org_key:
        checker.others_own(Organization, org_key, _("organisation"))
    row["organization"] = {
        "id": org_key,
        "name": checker.text(organization, "name", org_key, required=True, limit=200),
        "description": checker.text(organization, "description", org_key),
        "email": checker.text(organization, "email", org_key, limit=254),
        "website": checker.text(organization, "website", org_key, limit=200),
    }
    row["places"] = [_read_place(checker, place) for place in _list(record, "service_at_locations")]
    row["schedules"] = [_read_schedule(checker, item) for item in _list(record, "schedules")]
    row["contacts"] = []
    for contact in _list(record, "contacts"):
        contact_key = checker.identifier(contact, "contact", key)
        row["contacts"].append(
            {
                "id": contact_key,
                "name": checker.text(contact, "name", contact_key, limit=200),
                "title": checker.text(contact, "title", contact_key, limit=200),
                "email": checker.text(contact, "email", contact_key, limit=254),
                "phones": [_read_phone(checker, phone) for phone in _list(contact, "phones")],
            }
        )
    row["phones"] = [_read_phone(checker, phone) for phone in _list(record, "phones")]
    row["costs"] = [_read_cost(checker, cost) for cost in _list(record, "cost_options")]
    row["languages"] = []
    codes = set()
    for language in _list(record, "languages"):
        language_key = checker.identifier(language, "language", key)
        code = checker.text(language, "code", language_key, limit=10) or "und"
        if code in codes:
            checker.problem(language_key, "code", _("The language is given twice"))
        codes.add(code)
        row["languages"].append(
            {
                "id": language_key,
                "code": code,
                "name": checker.text(language, "name", language_key, limit=100) or code,
                "note": checker.text(language, "note", language_key, limit=200),
            }
        )
    row["terms"] = []
    for attribute in _list(record, "attributes"):
        term = attribute.get("taxonomy_term") or {}
        found = checker.terms.get(str(attribute.get("taxonomy_term_id") or term.get("id")))
        found = found or checker.terms_by_code.get(str(term.get("code")))
        if found:  # Terms of other taxonomies have no place in ours; they are left out.
            row["terms"].append(found)
    return row


def _read_place(checker: _Checker, record: dict) -> dict:
    key = checker.identifier(record, "service_at_location", "service_at_location")
    if key:
        checker.others_own(ServiceAtLocation, key, _("service at a place"))
    location = record.get("location") if isinstance(record.get("location"), dict) else {}
    location_key = checker.identifier(location, "location", key, once=False)
    if location_key:
        checker.others_own(Location, location_key, _("place"))
    address = next(iter(_list(location, "addresses")), {})
    return {
        "id": key,
        "description": checker.text(record, "description", key),
        "schedules": [_read_schedule(checker, item) for item in _list(record, "schedules")],
        "location": {
            "id": location_key,
            "name": checker.text(location, "name", location_key, required=True, limit=200),
            "description": checker.text(location, "description", location_key),
            "transportation": checker.text(location, "transportation", location_key),
            "latitude": checker.number(location, "latitude", location_key, -90, 90),
            "longitude": checker.number(location, "longitude", location_key, -180, 180),
            "address_1": checker.text(address, "address_1", location_key, limit=200),
            "city": checker.text(address, "city", location_key, limit=100),
            "postal_code": checker.text(address, "postal_code", location_key, limit=10),
            "uprn": checker.text(location, "external_identifier", location_key, limit=12)
            if location.get("external_identifier_type") == "UPRN"
            else "",
            "accessibility": [
                {
                    "id": checker.identifier(item, "accessibility", location_key, once=False),
                    "description": checker.text(item, "description", location_key, limit=300),
                    "details": checker.text(item, "details", location_key),
                }
                for item in _list(location, "accessibility")
            ],
        },
    }


def _read_schedule(checker: _Checker, record: dict) -> dict:
    key = checker.identifier(record, "schedule", "schedule")
    row = {
        "id": key,
        "service_at_location_id": str(record.get("service_at_location_id") or ""),
        "byday": checker.days(record, key),
        "opens_at": checker.clock(record, "opens_at", key),
        "closes_at": checker.clock(record, "closes_at", key),
        "valid_from": checker.day(record, "valid_from", key),
        "valid_to": checker.day(record, "valid_to", key),
        "description": checker.text(record, "description", key, limit=300),
    }
    opens, closes = row["opens_at"], row["closes_at"]
    if opens or closes or row["byday"]:
        row["kind"] = Schedule.Kind.OPEN
        if not all(record.get(name) for name in ("opens_at", "closes_at", "byday")):
            checker.problem(key, "opens_at", _("Regular opening needs days, opening and closing"))
        elif opens and closes and closes <= opens:
            checker.problem(key, "closes_at", _("The closing time must be after the opening time"))
    elif row["valid_from"] and row["valid_to"]:
        row["kind"] = Schedule.Kind.CLOSED  # A closure: dates and no times (ADR 0100).
    else:
        row["kind"] = None  # Says nothing we can show (a free-text schedule); left out.
    if row["valid_from"] and row["valid_to"] and row["valid_to"] < row["valid_from"]:
        checker.problem(key, "valid_to", _("The last day must be the same as or after the first"))
    return row


def _read_phone(checker: _Checker, record: dict) -> dict:
    key = checker.identifier(record, "phone", "phone")
    return {
        "id": key,
        "number": checker.text(record, "number", key, required=True, limit=30),
        "description": checker.text(record, "description", key, limit=200),
    }


def _read_cost(checker: _Checker, record: dict) -> dict:
    key = checker.identifier(record, "cost_option", "cost_option")
    amount = record.get("amount")
    if amount is not None and amount != "":
        try:
            amount = Decimal(str(amount)).quantize(Decimal("0.01"))
            if amount < 0 or amount >= Decimal("1000000"):
                raise InvalidOperation
        except InvalidOperation:
            checker.problem(key, "amount", _("The amount must be a number of pounds"))
            amount = None
    else:
        amount = None
    return {
        "id": key,
        "option": checker.text(record, "option", key, limit=200) or _("Cost"),
        "amount": amount,
        "amount_description": checker.text(record, "amount_description", key, limit=300),
    }


# Writing ---------------------------------------------------------------------------------


def feed_import(*, actor, source: str, services: list[dict], publish: bool = False) -> ImportResult:
    """Write the feed's services (as read by `feed_fetch` or `feed_read_upload`) with
    `source` on every record, published or as drafts. Raises FeedInvalid with every
    problem, writing nothing, when any record is wrong; the import is one audit entry."""
    require(actor, MANAGE_DIRECTORY)
    source = (source or "").strip()
    if not source or source == LOCAL_SOURCE or len(source) > 300:
        raise FeedInvalid([FeedProblem("", "source", _("Give the feed's address"))])
    if len(services) > MAX_SERVICES:
        raise FeedInvalid([FeedProblem(source, "", _too_many())])
    checker = _Checker(source)
    rows = [_read_service(checker, record, position) for position, record in enumerate(services)]
    if checker.problems:
        raise FeedInvalid(checker.problems)
    result = ImportResult()
    with transaction.atomic(), audit.acting_as(None):
        for row in rows:
            created = _write_service(row, source=source, publish=publish)
            result.created += created
            result.updated += not created
        imported = [row["id"] for row in rows]
        gone = Service.objects.filter(source=source, state=Service.State.PUBLISHED).exclude(
            pk__in=imported
        )
        for service in gone:
            service.state = Service.State.DRAFT
            service.save(update_fields=["state", "last_modified"])
            search_index_update(SEARCH_KIND, service)
            result.withdrawn += 1
        _audit_import(actor, source, result, publish)
    return result


def _audit_import(actor, source: str, result: ImportResult, publish: bool) -> None:
    audit.record(
        actor=actor,
        operation="import",
        action="inclusion.feed_import",
        object_type="inclusion.feed",
        object_id=source[:100],
        object_label=urlsplit(source).netloc or source[:100],
        after={
            "created": result.created,
            "updated": result.updated,
            "withdrawn": result.withdrawn,
            "published": publish,
        },
    )


def _slug(name: str, key: str) -> str:
    base = slugify(name)[:100] or "service"
    slug, number = base, 1
    while Service.objects.filter(slug=slug).exclude(pk=key).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _write_service(row: dict, *, source: str, publish: bool) -> bool:
    org = row["organization"]
    organization, _created = Organization.objects.update_or_create(
        pk=org["id"],
        defaults={
            "source": source,
            "name_en_gb": org["name"],
            "description_en_gb": org["description"] or org["name"],
            "email": org["email"],
            "website": org["website"],
        },
    )
    existing = Service.objects.filter(pk=row["id"]).first()
    service = existing or Service(pk=row["id"], slug=_slug(row["name"], row["id"]))
    service.source, service.organization = source, organization
    service.name_en_gb, service.description_en_gb = row["name"], row["description"]
    service.url, service.email, service.status = row["url"], row["email"], row["status"]
    service.eligibility_en_gb, service.alert_en_gb = row["eligibility"], row["alert"]
    service.minimum_age, service.maximum_age = row["minimum_age"], row["maximum_age"]
    service.last_confirmed = row["last_confirmed"]
    service.state = Service.State.PUBLISHED if publish else Service.State.DRAFT
    service.save()
    service.terms.set(row["terms"])
    # Its records are the feed's: written again as the feed has them now.
    service.at_locations.all().delete()
    service.contacts.all().delete()
    service.phones.all().delete()
    service.cost_options.all().delete()
    service.languages.all().delete()
    for place in row["places"]:
        _write_place(service, place, row["schedules"], source, shared=len(row["places"]) > 1)
    for contact in row["contacts"]:
        made = Contact.objects.create(
            pk=contact["id"],
            source=source,
            service=service,
            name=contact["name"],
            title=contact["title"],
            email=contact["email"],
        )
        for phone in contact["phones"]:
            Phone.objects.create(
                pk=phone["id"],
                source=source,
                service=service,
                contact=made,
                number=phone["number"],
                description=phone["description"],
            )
    for phone in row["phones"]:
        Phone.objects.create(
            pk=phone["id"],
            source=source,
            service=service,
            number=phone["number"],
            description=phone["description"],
        )
    for cost in row["costs"]:
        CostOption.objects.create(
            pk=cost["id"],
            source=source,
            service=service,
            option_en_gb=cost["option"],
            amount=cost["amount"],
            amount_description_en_gb=cost["amount_description"],
        )
    for language in row["languages"]:
        Language.objects.create(
            pk=language["id"],
            source=source,
            service=service,
            code=language["code"],
            name_en_gb=language["name"],
            note_en_gb=language["note"],
        )
    search_index_update(SEARCH_KIND, service)
    return existing is None


def _write_place(
    service: Service, place: dict, service_schedules: list, source: str, *, shared: bool
) -> None:
    found = place["location"]
    location, _created = Location.objects.update_or_create(
        pk=found["id"],
        defaults={
            "source": source,
            "organization": service.organization,
            "name_en_gb": found["name"],
            "description_en_gb": found["description"],
            "transportation_en_gb": found["transportation"],
            "latitude": found["latitude"],
            "longitude": found["longitude"],
            "address_1": found["address_1"],
            "city": found["city"],
            "postal_code": found["postal_code"],
            "uprn": found["uprn"],
        },
    )
    location.accessibility.all().delete()
    for item in found["accessibility"]:
        Accessibility.objects.create(
            pk=item["id"],
            source=source,
            location=location,
            description_en_gb=item["description"],
            details_en_gb=item["details"],
        )
    made = ServiceAtLocation.objects.create(
        pk=place["id"],
        source=source,
        service=service,
        location=location,
        description_en_gb=place["description"],
    )
    # A schedule of the service names its place, or (naming none) holds at every place:
    # then each place's copy has an id derived from the schedule's and the place's.
    schedules = {schedule["id"]: schedule["id"] for schedule in place["schedules"]}
    for schedule in service_schedules:
        if schedule["service_at_location_id"] == place["id"]:
            schedules[schedule["id"]] = schedule["id"]
        elif not schedule["service_at_location_id"]:
            schedules[schedule["id"]] = (
                str(uuid.uuid5(uuid.UUID(schedule["id"]), place["id"]))
                if shared
                else schedule["id"]
            )
    every = {schedule["id"]: schedule for schedule in service_schedules + place["schedules"]}
    for key, pk in schedules.items():
        schedule = every[key]
        if schedule["kind"] is None:
            continue
        Schedule.objects.create(
            pk=pk,
            source=source,
            service_at_location=made,
            kind=schedule["kind"],
            byday=schedule["byday"],
            opens_at=schedule["opens_at"],
            closes_at=schedule["closes_at"],
            valid_from=schedule["valid_from"],
            valid_to=schedule["valid_to"],
            description_en_gb=schedule["description"],
        )
