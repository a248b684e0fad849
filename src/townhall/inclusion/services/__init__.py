"""Writes to the directory of digital help. Every one checks the directory officer's
permission, runs in a transaction and reaches the audit log (the save signals record the
before and after); a service's entry in site search follows it.

Text is written in both languages by column (`name` is the English, `name_cy` the Welsh).
HTML typed into any field is kept as text and escaped wherever it is shown.
"""

import contextlib
from datetime import date, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require
from townhall.core.services.geography import PostcodeError, find_by_postcode
from townhall.core.services.search import search_index_update

from ..manifest import MANAGE_DIRECTORY
from ..models import (
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

#: Languages an officer ticks for a service: ISO 639-1 code and English name.
LANGUAGES = {
    "en": "English",
    "cy": "Welsh",
    "pl": "Polish",
    "ur": "Urdu",
    "pa": "Punjabi",
    "bn": "Bengali",
    "ar": "Arabic",
    "ro": "Romanian",
    "uk": "Ukrainian",
    "sgn-gb": "British Sign Language",
}


class DirectoryInvalid(ValueError):
    """A write the directory refuses; `field` names the form field to blame."""

    def __init__(self, message, field: str = "") -> None:
        super().__init__(str(message))
        self.message, self.field = message, field


def _audited_as(actor):
    """A page's request already names the actor; a command or a test does not."""
    return contextlib.nullcontext() if audit.current_actor() else audit.acting_as(actor)


def _tidy(text: str) -> str:
    return " ".join((text or "").split())


def _required(value: str, message, field: str) -> str:
    value = _tidy(value)
    if not value:
        raise DirectoryInvalid(message, field)
    return value


def organization_save(
    *,
    actor,
    organization: Organization | None = None,
    name: str,
    description: str,
    name_cy: str = "",
    description_cy: str = "",
    email: str = "",
    website: str = "",
) -> Organization:
    """Create an organisation (when `organization` is None) or change it."""
    require(actor, MANAGE_DIRECTORY)
    organization = organization or Organization()
    organization.name_en_gb = _required(name, _("Enter the organisation's name"), "name")
    organization.description_en_gb = _required(
        description, _("Say what the organisation does"), "description"
    )
    organization.name_cy = _tidy(name_cy)
    organization.description_cy = (description_cy or "").strip()
    organization.email = email.strip()
    organization.website = website.strip()
    with transaction.atomic(), _audited_as(actor):
        organization.save()
        for service in organization.services.all():
            search_index_update(SEARCH_KIND, service)
    return organization


def _unique_slug(name: str, service: Service) -> str:
    base = slugify(name)[:100] or "service"
    slug, number = base, 1
    while Service.objects.filter(slug=slug).exclude(pk=service.pk).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def service_save(
    *,
    actor,
    service: Service | None = None,
    organization: Organization,
    name: str,
    description: str,
    name_cy: str = "",
    description_cy: str = "",
    url: str = "",
    email: str = "",
    status: str = Service.Status.ACTIVE,
    minimum_age: int | None = None,
    maximum_age: int | None = None,
    eligibility: str = "",
    eligibility_cy: str = "",
    terms: list[TaxonomyTerm] = (),
    languages: list[str] = (),
    phone: str = "",
    cost: str = "",
    cost_cy: str = "",
    amount: Decimal | None = None,
    published: bool = False,
) -> Service:
    """Create or change a service; saving confirms it is up to date today. Raises
    DirectoryInvalid for a missing name or description, or ages the wrong way round."""
    require(actor, MANAGE_DIRECTORY)
    if minimum_age is not None and maximum_age is not None and minimum_age > maximum_age:
        raise DirectoryInvalid(
            _("The maximum age must be the same as or more than the minimum age"),
            "maximum_age",
        )
    service = service or Service()
    service.organization = organization
    service.name_en_gb = _required(name, _("Enter the service's name"), "name")
    service.description_en_gb = _required(
        description, _("Say what help the service gives"), "description"
    )
    service.name_cy = _tidy(name_cy)
    service.description_cy = (description_cy or "").strip()
    service.url, service.email, service.status = url.strip(), email.strip(), status
    service.minimum_age, service.maximum_age = minimum_age, maximum_age
    service.eligibility_en_gb = (eligibility or "").strip()
    service.eligibility_cy = (eligibility_cy or "").strip()
    service.state = Service.State.PUBLISHED if published else Service.State.DRAFT
    service.last_confirmed = timezone.localdate()
    if not service.slug:
        service.slug = _unique_slug(service.name_en_gb, service)
    with transaction.atomic(), _audited_as(actor):
        service.save()
        service.terms.set(terms)
        _replace_details(service, languages, _tidy(phone), _tidy(cost), _tidy(cost_cy), amount)
        search_index_update(SEARCH_KIND, service)
    return service


def _replace_details(service, languages, phone, cost, cost_cy, amount) -> None:
    service.languages.exclude(code__in=languages).delete()
    for code in languages:
        if code not in LANGUAGES:
            raise DirectoryInvalid(_("Choose languages from the list"), "languages")
        Language.objects.get_or_create(
            service=service, code=code, defaults={"name_en_gb": LANGUAGES[code]}
        )
    service.phones.filter(contact=None).exclude(number=phone).delete()
    if phone:
        Phone.objects.get_or_create(service=service, contact=None, number=phone)
    service.cost_options.all().delete()
    if cost or amount is not None:
        CostOption.objects.create(
            service=service,
            option_en_gb=cost or (_("Free") if amount == 0 else _("Cost")),
            option_cy=cost_cy,
            amount=amount,
        )


def location_save(
    *,
    actor,
    location: Location | None = None,
    organization: Organization | None,
    name: str,
    address_1: str,
    city: str,
    postcode: str,
    name_cy: str = "",
    description: str = "",
    description_cy: str = "",
    transportation: str = "",
    transportation_cy: str = "",
    uprn: str = "",
) -> Location:
    """Create or change a place, placed at its postcode's position and in its ward.
    Raises DirectoryInvalid for a postcode core's geography cannot place (with its
    message: malformed, unknown, no longer in use or outside the council)."""
    require(actor, MANAGE_DIRECTORY)
    try:
        found = find_by_postcode(postcode)
    except PostcodeError as error:
        raise DirectoryInvalid(error.message, "postcode") from None
    if found.latitude is None or found.longitude is None:
        raise DirectoryInvalid(_("We do not know where that postcode is"), "postcode")
    location = location or Location()
    location.organization = organization
    location.name_en_gb = _required(name, _("Enter the place's name"), "name")
    location.name_cy = _tidy(name_cy)
    location.address_1 = _required(address_1, _("Enter the first line of the address"), "address_1")
    location.city = _required(city, _("Enter the town or city"), "city")
    location.postal_code = found.postcode
    location.latitude, location.longitude = found.latitude, found.longitude
    location.ward_code = found.ward_code
    location.description_en_gb = (description or "").strip()
    location.description_cy = (description_cy or "").strip()
    location.transportation_en_gb = (transportation or "").strip()
    location.transportation_cy = (transportation_cy or "").strip()
    location.uprn = uprn.strip()
    with transaction.atomic(), _audited_as(actor):
        location.save()
    return location


def service_place_add(*, actor, service: Service, location: Location) -> ServiceAtLocation:
    """Offer the service at the place (again: the same place is not added twice)."""
    require(actor, MANAGE_DIRECTORY)
    with transaction.atomic(), _audited_as(actor):
        place, _created = ServiceAtLocation.objects.get_or_create(
            service=service, location=location
        )
        search_index_update(SEARCH_KIND, service)
    return place


def service_place_remove(*, actor, place: ServiceAtLocation) -> None:
    require(actor, MANAGE_DIRECTORY)
    with transaction.atomic(), _audited_as(actor):
        place.delete()


def schedule_add(
    *,
    actor,
    place: ServiceAtLocation,
    days: list[str],
    opens_at: time | None,
    closes_at: time | None,
    description: str = "",
    description_cy: str = "",
) -> Schedule:
    """Add regular weekly opening hours. Raises DirectoryInvalid for no day, an unknown
    day, a missing time or a closing time not after the opening time."""
    require(actor, MANAGE_DIRECTORY)
    if not days:
        raise DirectoryInvalid(_("Choose at least one day"), "days")
    if any(day not in DAYS for day in days):
        raise DirectoryInvalid(_("Choose days of the week from the list"), "days")
    if opens_at is None:
        raise DirectoryInvalid(_("Enter the time it opens, like 09:30"), "opens_at")
    if closes_at is None:
        raise DirectoryInvalid(_("Enter the time it closes, like 17:00"), "closes_at")
    if closes_at <= opens_at:
        raise DirectoryInvalid(_("The closing time must be after the opening time"), "closes_at")
    with transaction.atomic(), _audited_as(actor):
        return Schedule.objects.create(
            service_at_location=place,
            kind=Schedule.Kind.OPEN,
            byday=",".join(day for day in DAYS if day in days),
            opens_at=opens_at,
            closes_at=closes_at,
            description_en_gb=_tidy(description),
            description_cy=_tidy(description_cy),
        )


def closure_add(
    *,
    actor,
    place: ServiceAtLocation,
    valid_from: date,
    valid_to: date,
    description: str = "",
    description_cy: str = "",
) -> Schedule:
    """Close the service at the place from one day to another, inclusive (a bank holiday,
    a refurbishment). Raises DirectoryInvalid when the last day is before the first."""
    require(actor, MANAGE_DIRECTORY)
    if valid_to < valid_from:
        raise DirectoryInvalid(_("The last day must be the same as or after the first"), "valid_to")
    with transaction.atomic(), _audited_as(actor):
        return Schedule.objects.create(
            service_at_location=place,
            kind=Schedule.Kind.CLOSED,
            valid_from=valid_from,
            valid_to=valid_to,
            description_en_gb=_tidy(description),
            description_cy=_tidy(description_cy),
        )


def schedule_remove(*, actor, schedule: Schedule) -> None:
    require(actor, MANAGE_DIRECTORY)
    with transaction.atomic(), _audited_as(actor):
        schedule.delete()
