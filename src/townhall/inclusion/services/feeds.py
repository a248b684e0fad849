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
import uuid
from dataclasses import dataclass
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
)
from ..selectors import SEARCH_KIND
from .feed_checks import Checker, FeedInvalid, FeedProblem, read_service

#: Limits of one import, which runs while the officer waits (ADR 0103).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SERVICES = 2_000
MAX_PAGES = 40
PER_PAGE = 100
#: Services a list page gives without their places are fetched one by one, up to this.
MAX_SERVICE_FETCHES = 200
USER_AGENT = f"Townhall-directory-import/{__version__}"


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
    checker = Checker(source)
    rows = [read_service(checker, record, position) for position, record in enumerate(services)]
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
