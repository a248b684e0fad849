"""Checking another directory's Open Referral UK 3.0 services before any is written
(ADR 0103): every record is read into the rows `feeds` writes, and every problem is
collected with the record's id (or position) and the field, so an officer sees them all."""

import re
import uuid
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ..models import (
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ..selectors import DAYS

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


# Checking --------------------------------------------------------------------------------


class Checker:
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


def read_service(checker: Checker, record: dict, position: int) -> dict | None:
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


def _read_place(checker: Checker, record: dict) -> dict:
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


def _read_schedule(checker: Checker, record: dict) -> dict:
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


def _read_phone(checker: Checker, record: dict) -> dict:
    key = checker.identifier(record, "phone", "phone")
    return {
        "id": key,
        "number": checker.text(record, "number", key, required=True, limit=30),
        "description": checker.text(record, "description", key, limit=200),
    }


def _read_cost(checker: Checker, record: dict) -> dict:
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
