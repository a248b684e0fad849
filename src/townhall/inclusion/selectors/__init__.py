"""Reads of the directory of digital help: what is published, near a point, open now.

Only published services (and what hangs off them) are ever given to residents or to the
API; officers' pages use the `*_for_staff` selectors.

Distances: the nearest places are found in SQL, inside a box around the point, ordered
by an equirectangular distance (the cosine of the point's latitude is computed here, so
both SQLite and PostgreSQL order by plain arithmetic on indexed columns); the distance a
person reads is then the haversine distance of those few rows.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from townhall.core.languages import in_any_language, in_each_language
from townhall.core.registry import SearchDocument

from ..models import (
    Accessibility,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .partners import DAYS, stale_before

EARTH_RADIUS_M = 6_371_000
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180
#: "Nearest" searches a circle this wide first, doubling it until it holds enough places;
#: past the last radius it reads every place (a postcode far from any help).
FIRST_RADIUS_M = 500
LAST_RADIUS_M = 64_000


# Taxonomy -------------------------------------------------------------------------------


def taxonomies() -> QuerySet[Taxonomy]:
    return Taxonomy.objects.order_by("name", "id")


def taxonomy_terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by("order", "code")


def kinds_of_help() -> list[TaxonomyTerm]:
    """The terms a resident chooses from, broader terms first, each followed by its own."""
    return list(taxonomy_terms())


def term_by_code(code: str) -> TaxonomyTerm | None:
    return TaxonomyTerm.objects.filter(code=code).first()


# Services -------------------------------------------------------------------------------


def published_services() -> QuerySet[Service]:
    return Service.objects.filter(state=Service.State.PUBLISHED)


def directory_freshness(day: date) -> tuple[int, int]:
    """The measure "directory_freshness": of the published services, how many had their
    details confirmed within INCLUSION_STALE_AFTER_MONTHS before `day` (a service never
    confirmed is stale)."""
    since = stale_before(day)
    published = published_services()
    return published.filter(last_confirmed__gte=since).count(), published.count()


def _locations_prefetch() -> Prefetch:
    return Prefetch(
        "at_locations",
        queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
            Prefetch("location__accessibility", queryset=Accessibility.objects.order_by("pk")),
            Prefetch("schedules", queryset=Schedule.objects.order_by("kind", "opens_at", "pk")),
        ),
    )


def with_everything(services: QuerySet[Service]) -> QuerySet[Service]:
    """The services with every related record fetched in a fixed number of queries."""
    return services.select_related("organization").prefetch_related(
        _locations_prefetch(),
        "terms__taxonomy",
        "contacts__phones",
        "phones",
        "cost_options",
        "languages",
    )


def published_service(key: UUID | str) -> Service | None:
    """The published service with this id (a UUID) or slug, everything fetched; None if
    there is none or it is not published."""
    lookup = {"pk": key} if isinstance(key, UUID) else {"slug": key}
    return with_everything(published_services()).filter(**lookup).first()


def published_service_at_location(pk: UUID) -> ServiceAtLocation | None:
    return (
        ServiceAtLocation.objects.filter(pk=pk, service__state=Service.State.PUBLISHED)
        .select_related("service")
        .first()
    )


@dataclass(frozen=True)
class TimeFilter:
    """Open on `day` (MO..SU), from `start` or earlier and until `end` or later."""

    day: str = ""
    start: time | None = None
    end: time | None = None

    def __bool__(self) -> bool:
        return bool(self.day or self.start or self.end)

    def schedules(self) -> Q:
        """The regular schedules that match, as a filter on Schedule."""
        matching = Q(kind=Schedule.Kind.OPEN)
        if self.day:
            matching &= Q(byday__contains=self.day)
        if self.start:
            matching &= Q(opens_at__gte=self.start)
        if self.end:
            matching &= Q(closes_at__lte=self.end)
        return matching


@dataclass(frozen=True)
class ServiceFilter:
    """The Open Referral UK filters of a list of services (every one optional)."""

    search: str = ""
    taxonomy_term_id: UUID | None = None
    taxonomy_id: UUID | None = None
    organization_id: UUID | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    modified_after: datetime | None = None
    times: TimeFilter = TimeFilter()

    def services(self, services: QuerySet[Service]) -> QuerySet[Service]:
        if self.search:
            services = services.filter(
                in_any_language("name__icontains", self.search)
                | in_any_language("description__icontains", self.search)
            )
        if self.taxonomy_term_id:
            services = services.filter(
                Exists(
                    Service.terms.through.objects.filter(
                        service_id=OuterRef("pk"),
                        taxonomyterm_id=self.taxonomy_term_id,
                    )
                )
            )
        if self.taxonomy_id:
            services = services.filter(
                Exists(
                    Service.terms.through.objects.filter(
                        service_id=OuterRef("pk"),
                        taxonomyterm__taxonomy_id=self.taxonomy_id,
                    )
                )
            )
        if self.organization_id:
            services = services.filter(organization_id=self.organization_id)
        if self.minimum_age is not None:
            services = services.filter(minimum_age__gte=self.minimum_age)
        if self.maximum_age is not None:
            services = services.filter(maximum_age__lte=self.maximum_age)
        if self.modified_after:
            services = services.filter(last_modified__gte=self.modified_after)
        if self.times:
            services = services.filter(
                Exists(
                    Schedule.objects.filter(
                        self.times.schedules(), service_at_location__service_id=OuterRef("pk")
                    )
                )
            )
        return services


def services_listed(filters: ServiceFilter) -> QuerySet[Service]:
    """Published services matching the filters, by name, with their organisation."""
    return (
        filters.services(published_services()).select_related("organization").order_by("name", "id")
    )


def organizations() -> QuerySet[Organization]:
    """Organisations running at least one published service."""
    return Organization.objects.filter(
        Exists(published_services().filter(organization_id=OuterRef("pk")))
    ).order_by("name", "id")


# Places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def distance_m(a: Point, latitude: float, longitude: float) -> float:
    """The great-circle (haversine) distance from a to the position, in metres."""
    phi1, phi2 = math.radians(a.latitude), math.radians(latitude)
    dphi, dlambda = phi2 - phi1, math.radians(longitude - a.longitude)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def _planar_m(a: Point, latitude: float, longitude: float) -> float:
    """The equirectangular distance in metres: what "within" means here, in SQL and in
    Python alike (within a tenth of a percent of the great circle at a council's scale)."""
    across = (longitude - a.longitude) * math.cos(math.radians(a.latitude))
    return math.hypot(latitude - a.latitude, across) * METRES_PER_DEGREE


def _inside(rows: QuerySet, point: Point, radius_m: float) -> QuerySet:
    """The rows (services at locations) within `radius_m` of the point: a box on the
    indexed latitude and longitude, then the circle, in plain arithmetic both databases
    run (the cosine of the point's latitude is computed here)."""
    degrees = radius_m / METRES_PER_DEGREE
    squeeze = math.cos(math.radians(point.latitude))
    across = degrees / max(squeeze, 0.01)
    latitude, longitude = F("latitude"), F("longitude")
    # The places come first, from the index on their position; their services follow.
    places = (
        Location.objects.alias(
            nearness=(latitude - point.latitude) * (latitude - point.latitude)
            + (longitude - point.longitude) * (longitude - point.longitude) * (squeeze * squeeze)
        )
        .filter(
            latitude__range=(point.latitude - degrees, point.latitude + degrees),
            longitude__range=(point.longitude - across, point.longitude + across),
            nearness__lte=degrees * degrees,
        )
        .values("pk")
    )
    return rows.filter(location__in=places)


def _published_places(filters: ServiceFilter) -> QuerySet[ServiceAtLocation]:
    rows = ServiceAtLocation.objects.filter(service__state=Service.State.PUBLISHED)
    if filters != ServiceFilter():
        rows = rows.filter(service__in=filters.services(published_services()).values("pk"))
    if filters.times:
        rows = rows.filter(
            Exists(
                Schedule.objects.filter(
                    filters.times.schedules(), service_at_location_id=OuterRef("pk")
                )
            )
        )
    return rows


def _nearest(
    rows: QuerySet,
    point: Point,
    *,
    within_m: float | None,
    offset: int,
    limit: int,
    total: int | None = None,
) -> list:
    """The ids of rows `offset` to `offset + limit` by distance from the point (within
    `within_m` when given), nearest first.

    Searches a small circle first and doubles it until it holds enough rows: every row
    outside a circle is farther than every row inside, so the answer is exact, and a
    search in a busy town reads a few hundred positions rather than every one. `total`,
    when known, is how many rows there are in all: a circle holding them all is the last."""
    wanted = min(offset + limit, total) if total is not None else offset + limit
    radius = FIRST_RADIUS_M
    while True:
        last = within_m is not None and radius >= within_m
        everywhere = within_m is None and radius > LAST_RADIUS_M
        reach = min(radius, within_m) if within_m is not None else radius
        candidates = rows if everywhere else _inside(rows, point, reach)
        found = sorted(
            (_planar_m(point, latitude, longitude), pk)
            for pk, latitude, longitude in candidates.order_by().values_list(
                "pk", "location__latitude", "location__longitude"
            )
        )
        if everywhere or last or len(found) >= wanted:
            return [pk for _distance, pk in found[offset:wanted]]
        radius *= 2


def _in_order(rows: QuerySet, ids: list) -> list:
    by_id = {row.pk: row for row in rows.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass(frozen=True)
class PlacesPage:
    """One page of services at their places: how many there are, and this page's rows."""

    total: int
    rows: list


def service_at_locations_page(
    filters: ServiceFilter,
    *,
    offset: int,
    limit: int,
    near: Point | None = None,
    within_m: float | None = None,
) -> PlacesPage:
    """Published services at their places matching the filters, `limit` of them from
    `offset`: nearest first when near a point (within `within_m` metres when given), else by
    service and place name. Rows come with their service, organisation and location."""
    rows = _published_places(filters)
    shown = ServiceAtLocation.objects.select_related("service__organization", "location")
    if near is None:
        ordered = rows.select_related("service__organization", "location").order_by(
            "service__name", "location__name", "pk"
        )
        return PlacesPage(rows.count(), list(ordered[offset : offset + limit]))
    total = (_inside(rows, near, within_m) if within_m is not None else rows).count()
    if offset >= total:
        return PlacesPage(total, [])
    ids = _nearest(rows, near, within_m=within_m, offset=offset, limit=limit, total=total)
    return PlacesPage(total, _in_order(shown, ids))


# Opening times --------------------------------------------------------------------------


def local_now() -> datetime:
    return timezone.localtime()


def closed_on(schedules: Iterable[Schedule], day: date) -> Schedule | None:
    """The holiday closure covering `day`, if any."""
    for schedule in schedules:
        if (
            schedule.kind == Schedule.Kind.CLOSED
            and schedule.valid_from
            and schedule.valid_from <= day <= (schedule.valid_to or schedule.valid_from)
        ):
            return schedule
    return None


def opening_on(schedules: Iterable[Schedule], day: date) -> list[Schedule]:
    """The regular sessions open on `day` (none on a holiday closure), earliest first."""
    schedules = list(schedules)
    if closed_on(schedules, day):
        return []
    code = DAYS[day.weekday()]
    return sorted(
        (
            schedule
            for schedule in schedules
            if schedule.kind == Schedule.Kind.OPEN
            and code in schedule.byday.split(",")
            and (schedule.valid_from is None or schedule.valid_from <= day)
            and (schedule.valid_to is None or day <= schedule.valid_to)
        ),
        key=lambda schedule: schedule.opens_at or time.min,
    )


def is_open(schedules: Iterable[Schedule], at: datetime) -> bool:
    """Whether one of the schedules is open at the local time `at`."""
    now = at.time()
    return any(
        schedule.opens_at <= now < schedule.closes_at
        for schedule in opening_on(schedules, at.date())
        if schedule.opens_at and schedule.closes_at
    )


@dataclass(frozen=True)
class OpeningDay:
    day: date
    sessions: list[Schedule]
    closure: Schedule | None


def opening_week(schedules: Iterable[Schedule], start: date) -> list[OpeningDay]:
    """The seven days from `start`: each day's sessions, or the closure that shuts it."""
    schedules = list(schedules)
    days = (start + timedelta(days=offset) for offset in range(7))
    return [OpeningDay(day, opening_on(schedules, day), closed_on(schedules, day)) for day in days]


def closures_ahead(schedules: Iterable[Schedule], today: date) -> list[Schedule]:
    """Holiday closures that have not yet ended, soonest first."""
    return sorted(
        (
            schedule
            for schedule in schedules
            if schedule.kind == Schedule.Kind.CLOSED
            and schedule.valid_from
            and (schedule.valid_to or schedule.valid_from) >= today
        ),
        key=lambda schedule: schedule.valid_from,
    )


# Pages ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HelpNearby:
    """One service at one place, with how far it is and whether it is open now."""

    service: Service
    place: ServiceAtLocation
    distance_m: float
    open_now: bool

    @property
    def distance_label(self) -> str:
        """How far, as a person reads it: metres to the nearest ten under a kilometre."""
        if self.distance_m < 1000:
            return _("%(metres)s metres") % {"metres": int(round(self.distance_m, -1))}
        return _("%(km)s km") % {"km": number_format(self.distance_m / 1000, 1)}


def help_near(
    *,
    point: Point,
    term: TaxonomyTerm | None = None,
    open_now: bool = False,
    within_m: float,
    limit: int,
    at: datetime | None = None,
) -> list[HelpNearby]:
    """The nearest `limit` published services at their places within `within_m` metres,
    of the kind `term` (or a narrower one) when given, and open at `at` (by default now)
    when `open_now`. A fixed number of queries, whatever the number found."""
    at = at or local_now()
    rows = _published_places(ServiceFilter())
    if term is not None:
        rows = rows.filter(
            Exists(
                Service.terms.through.objects.filter(
                    Q(taxonomyterm_id=term.pk) | Q(taxonomyterm__parent_id=term.pk),
                    service_id=OuterRef("service_id"),
                )
            )
        )
    if open_now:
        rows = rows.filter(
            Exists(
                Schedule.objects.filter(
                    kind=Schedule.Kind.OPEN,
                    byday__contains=DAYS[at.weekday()],
                    opens_at__lte=at.time(),
                    closes_at__gt=at.time(),
                    service_at_location_id=OuterRef("pk"),
                )
            )
        )
    # Open now asks for more, as a holiday closure can still shut a place with a session.
    ids = _nearest(rows, point, within_m=within_m, offset=0, limit=limit * 2 if open_now else limit)
    shown = ServiceAtLocation.objects.select_related("service", "location").prefetch_related(
        Prefetch("schedules", queryset=Schedule.objects.order_by("opens_at", "pk")),
        "service__terms",
    )
    found = []
    for place in _in_order(shown, ids):
        open_here = is_open(place.schedules.all(), at)
        if open_now and not open_here:
            continue
        distance = distance_m(point, place.location.latitude, place.location.longitude)
        found.append(HelpNearby(place.service, place, distance, open_here))
    return found[:limit]


def help_in_ward(ward_code: str) -> list[ServiceAtLocation]:
    """The published services given at places in the ward, by place then service."""
    return list(
        ServiceAtLocation.objects.filter(
            location__ward_code=ward_code, service__state=Service.State.PUBLISHED
        )
        .select_related("service", "location")
        .prefetch_related("service__terms")
        .order_by("location__name", "service__name", "pk")
    )


# Staff ----------------------------------------------------------------------------------


def organizations_for_staff() -> QuerySet[Organization]:
    return Organization.objects.prefetch_related("services").order_by("name", "id")


def services_for_staff(query: str = "") -> QuerySet[Service]:
    services = Service.objects.select_related("organization").order_by("name", "id")
    if query:
        services = services.filter(
            in_any_language("name__icontains", query)
            | in_any_language("organization__name__icontains", query)
        )
    return services


def service_for_staff(pk: UUID) -> Service | None:
    return with_everything(Service.objects.filter(pk=pk)).first()


def locations_for_staff() -> QuerySet[Location]:
    return Location.objects.select_related("organization").order_by("name", "id")


def location_for_staff(pk: UUID) -> Location | None:
    return Location.objects.filter(pk=pk).prefetch_related("accessibility").first()


def organization_for_staff(pk: UUID) -> Organization | None:
    return Organization.objects.filter(pk=pk).first()


def place_for_staff(pk: UUID) -> ServiceAtLocation | None:
    return (
        ServiceAtLocation.objects.filter(pk=pk)
        .select_related("service", "location")
        .prefetch_related("schedules")
        .first()
    )


# Site search ----------------------------------------------------------------------------

SEARCH_KIND = "digital_help"


def service_search_documents(service: Service) -> list[SearchDocument]:
    """A service as site search sees it once published (a draft is not found)."""
    if service.state != Service.State.PUBLISHED:
        return []

    def document(language: str) -> SearchDocument:
        return SearchDocument(
            kind=SEARCH_KIND,
            key=str(service.pk),
            url=reverse("inclusion:service", args=[service.slug]),
            title=service.name,
            body=f"{service.description}\n\n{service.organization.name}",
            summary=service.description[:300],
            language=language,
        )

    return in_each_language(service, ("name", "description"), document)


def searchable_services() -> QuerySet[Service]:
    return published_services().select_related("organization").order_by("pk")
