"""Reads for partners and for the officer who reviews their changes: which entries an
account keeps, an entry's details in the shape a change proposes them, the differences
a change makes, and which entries are stale (not confirmed for too long)."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from ..models import (
    ChangeRequest,
    Organization,
    Partnership,
    Schedule,
    Service,
    ServiceAtLocation,
    StaleReminder,
)

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


# Stale entries --------------------------------------------------------------------------


def stale_before(day: date) -> date:
    """The day before which a confirmation is too old, INCLUSION_STALE_AFTER_MONTHS
    before `day` (months of average length, as the measure directory_freshness counts)."""
    months = settings.INCLUSION_STALE_AFTER_MONTHS
    return day - timedelta(days=round(months * 365.25 / 12))


def stale_condition(day: date) -> Q:
    """Services never confirmed, or last confirmed before `stale_before(day)`."""
    return Q(last_confirmed__isnull=True) | Q(last_confirmed__lt=stale_before(day))


def is_stale(service: Service, day: date) -> bool:
    return service.last_confirmed is None or service.last_confirmed < stale_before(day)


def reminder_period(service: Service) -> str:
    """What a reminder is for: the date the service was last confirmed, or "never"."""
    return service.last_confirmed.isoformat() if service.last_confirmed else "never"


@dataclass(frozen=True)
class ReminderDue:
    organization: Organization
    services: list[Service]
    emails: list[tuple[str, str]]
    """(address, preferred language) of each active partner account of the organisation."""


def stale_reminders_due(day: date) -> list[ReminderDue]:
    """Each organisation with partner accounts and published stale services whose
    partners were not yet reminded of them for the date each was last confirmed."""
    services = (
        Service.objects.filter(stale_condition(day), state=Service.State.PUBLISHED)
        .filter(organization__partnerships__user__is_active=True)
        .select_related("organization")
        .prefetch_related("reminders")
        .distinct()
        .order_by("organization__name", "organization_id", "name", "pk")
    )
    by_organization: dict[Any, ReminderDue] = {}
    for service in services:
        period = reminder_period(service)
        if any(reminder.period == period for reminder in service.reminders.all()):
            continue
        due = by_organization.get(service.organization_id)
        if due is None:
            due = by_organization[service.organization_id] = ReminderDue(
                organization=service.organization,
                services=[],
                emails=_partner_addresses(service.organization),
            )
        due.services.append(service)
    return list(by_organization.values())


def _partner_addresses(organization: Organization) -> list[tuple[str, str]]:
    return list(
        get_user_model()
        .objects.filter(directory_partnerships__organization=organization, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", "preferred_language")
    )


def partner_addresses(organization_id: Any) -> list[tuple[str, str]]:
    """(address, preferred language) of the organisation's active partner accounts."""
    return _partner_addresses(Organization(pk=organization_id))


def reminded(service: Service) -> bool:
    return StaleReminder.objects.filter(service=service, period=reminder_period(service)).exists()


# Partners -------------------------------------------------------------------------------


def is_partner_of(user: Any, obj: Service | Organization) -> bool:
    """Whether the account is linked to the organisation (or the service's organisation)."""
    if not getattr(user, "is_authenticated", False):
        return False
    organization_id = obj.pk if isinstance(obj, Organization) else obj.organization_id
    return Partnership.objects.filter(user=user, organization_id=organization_id).exists()


def partner_organizations(user: Any) -> QuerySet[Organization]:
    return Organization.objects.filter(partnerships__user=user).order_by("name", "pk")


def partner_services(user: Any) -> QuerySet[Service]:
    """The services of the organisations the account keeps, each with `has_pending`."""
    if not getattr(user, "is_authenticated", False):
        return Service.objects.none()
    pending = ChangeRequest.objects.filter(
        service=OuterRef("pk"), state=ChangeRequest.State.PENDING
    )
    return (
        Service.objects.filter(organization__partnerships__user=user)
        .select_related("organization")
        .annotate(has_pending=Exists(pending))
        .order_by("organization__name", "name", "pk")
    )


def partner_service(user: Any, pk: UUID) -> Service | None:
    """The service, with what its details need, if the account keeps it; None otherwise
    (a partner cannot tell another organisation's entry from one that does not exist)."""
    return with_details(partner_services(user).filter(pk=pk)).first()


def partnerships_of(organization: Organization) -> QuerySet[Partnership]:
    return organization.partnerships.select_related("user").order_by("user__email", "pk")


# Details --------------------------------------------------------------------------------


def with_details(services: QuerySet[Service]) -> QuerySet[Service]:
    """Services with what `entry_details` reads, in a fixed number of queries."""
    return services.select_related("organization").prefetch_related(
        Prefetch(
            "at_locations",
            queryset=ServiceAtLocation.objects.select_related("location")
            .order_by("location__name", "pk")
            .prefetch_related(
                Prefetch("schedules", queryset=Schedule.objects.order_by("opens_at", "pk"))
            ),
        ),
        "phones",
        "cost_options",
    )


def hours_text(sessions: list[tuple[Any, Any]]) -> str:
    """Sessions of one day as a partner types and reads them: "09:00-12:00, 13:00-17:00"."""
    return ", ".join(
        f"{opens.strftime('%H:%M')}-{closes.strftime('%H:%M')}"
        for opens, closes in sorted(sessions)
    )


def entry_details(service: Service) -> dict[str, Any]:
    """What a partner may change about a service, as plain JSON-safe values: its text,
    contact and cost, and for each place its weekly hours (text for each day) and its
    holiday closures. A change stores its proposal and its starting point in this shape."""
    phone = next((phone for phone in service.phones.all() if not phone.contact_id), None)
    cost = next(iter(service.cost_options.all()), None)
    places = []
    for place in service.at_locations.all():
        days: dict[str, list] = {day: [] for day in DAYS}
        closures = []
        for schedule in place.schedules.all():
            if schedule.kind == Schedule.Kind.CLOSED:
                closures.append(
                    {
                        "from": schedule.valid_from.isoformat() if schedule.valid_from else "",
                        "to": schedule.valid_to.isoformat() if schedule.valid_to else "",
                        "reason": schedule.description_en_gb or "",
                    }
                )
            elif schedule.opens_at and schedule.closes_at:
                for day in filter(None, schedule.byday.split(",")):
                    days.setdefault(day, []).append((schedule.opens_at, schedule.closes_at))
        places.append(
            {
                "id": str(place.pk),
                "name": place.location.name,
                "hours": {day: hours_text(sessions) for day, sessions in days.items()},
                "closures": sorted(closures, key=lambda closure: closure["from"]),
            }
        )
    return {
        "description": service.description_en_gb or "",
        "description_cy": service.description_cy or "",
        "eligibility": service.eligibility_en_gb or "",
        "cost": cost.option_en_gb if cost else "",
        "amount": "" if cost is None or cost.amount is None else f"{cost.amount:.2f}",
        "phone": phone.number if phone else "",
        "email": service.email,
        "url": service.url,
        "places": places,
    }


@dataclass(frozen=True)
class Difference:
    label: str
    before: str
    after: str


def _field_labels() -> dict[str, str]:
    return {
        "description": _("What help it gives"),
        "description_cy": _("What help it gives, in Welsh"),
        "eligibility": _("Who can use it"),
        "cost": _("What it costs"),
        "amount": _("Amount in pounds"),
        "phone": _("Telephone"),
        "email": _("Email"),
        "url": _("Website"),
    }


def _day_names() -> dict[str, str]:
    return {
        "MO": _("Monday"),
        "TU": _("Tuesday"),
        "WE": _("Wednesday"),
        "TH": _("Thursday"),
        "FR": _("Friday"),
        "SA": _("Saturday"),
        "SU": _("Sunday"),
    }


def closures_text(closures: list[dict]) -> str:
    return "\n".join(
        f"{closure['from']} – {closure['to']}"
        + (f" ({closure['reason']})" if closure.get("reason") else "")
        for closure in closures
    )


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[Difference]:
    """What changes from `before` to `after` (two `entry_details`), field by field, then
    each place's hours day by day and its closures; unchanged fields are left out."""
    found = []
    for name, label in _field_labels().items():
        if before.get(name, "") != after.get(name, ""):
            found.append(Difference(label, before.get(name, ""), after.get(name, "")))
    places_before = {place["id"]: place for place in before.get("places", [])}
    for place in after.get("places", []):
        was = places_before.get(place["id"], {"hours": {}, "closures": []})
        for day, name in _day_names().items():
            old, new = was["hours"].get(day, ""), place["hours"].get(day, "")
            if old != new:
                label = _("%(place)s: %(day)s") % {"place": place["name"], "day": name}
                found.append(Difference(label, old or _("Closed"), new or _("Closed")))
        if was["closures"] != place["closures"]:
            label = _("%(place)s: holiday closures") % {"place": place["name"]}
            found.append(
                Difference(label, closures_text(was["closures"]), closures_text(place["closures"]))
            )
    return found


# Changes --------------------------------------------------------------------------------


def pending_change(service: Service) -> ChangeRequest | None:
    return service.changes.filter(state=ChangeRequest.State.PENDING).first()


def latest_decision(service: Service) -> ChangeRequest | None:
    """The change to the service decided last (to show a partner why it was rejected)."""
    return (
        service.changes.exclude(state=ChangeRequest.State.PENDING)
        .order_by("-decided_at", "-pk")
        .first()
    )


def pending_change_count() -> int:
    return ChangeRequest.objects.filter(state=ChangeRequest.State.PENDING).count()


def changes_for_review(*, decided: bool = False) -> QuerySet[ChangeRequest]:
    """Changes waiting for review, oldest first; or, with `decided`, the latest decided."""
    changes = ChangeRequest.objects.select_related(
        "service__organization", "proposed_by", "decided_by"
    )
    if decided:
        return changes.exclude(state=ChangeRequest.State.PENDING).order_by("-decided_at", "-pk")
    return changes.filter(state=ChangeRequest.State.PENDING).order_by("proposed_at", "pk")


def change_for_staff(pk: int) -> ChangeRequest | None:
    return (
        ChangeRequest.objects.select_related("service__organization", "proposed_by", "decided_by")
        .filter(pk=pk)
        .first()
    )


def readable_places(details: dict[str, Any]) -> list[dict[str, Any]]:
    """Each place of `entry_details` with its week as (day's name, hours) from Monday, for
    a page (stored details may come back from the database with their days in any order)."""
    names = _day_names()
    return [
        {
            "name": place["name"],
            "week": [(names[day], place["hours"].get(day, "")) for day in DAYS],
            "closures": place["closures"],
        }
        for place in details["places"]
    ]
