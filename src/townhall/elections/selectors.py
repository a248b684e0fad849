"""Reads of elections, ballots and candidates; other modules call these, never the models."""

from dataclasses import dataclass
from datetime import date
from uuid import uuid4

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from townhall.core.selectors.site import council_name, site_settings
from townhall.core.services.geography import (
    PostcodeError,
    find_by_postcode,
    normalise_postcode,
)

from .models import Ballot, Candidate, Election, PollingAddress, PollingStation


def elections() -> QuerySet[Election]:
    """Every election, the latest polling day first, with its number of ballots."""
    return Election.objects.annotate(ballot_count=Count("ballots"))


def election_by_identifier(identifier: str) -> Election | None:
    """The election with this Democracy Club identifier, or None."""
    return Election.objects.filter(identifier=identifier).first()


def election_with_ballots(identifier: str) -> Election | None:
    """The election with its ballots and their candidates fetched, or None."""
    ballots = Ballot.objects.prefetch_related(
        Prefetch("candidates", queryset=Candidate.objects.order_by("name"))
    )
    return (
        Election.objects.prefetch_related(Prefetch("ballots", queryset=ballots))
        .filter(identifier=identifier)
        .first()
    )


@dataclass(frozen=True)
class ElectionPeriod:
    """The pre-election period of an election: from its notice of election to polling day."""

    name: str
    starts_on: date
    ends_on: date


def pre_election_periods(*, starts_on: date, ends_on: date) -> list[ElectionPeriod]:
    """The pre-election periods of elections any day of which falls between the two days
    (inclusive), earliest first; for participation's pre-election warning."""
    found = Election.objects.filter(
        notice_of_election__lte=ends_on, poll_date__gte=starts_on
    ).order_by("notice_of_election", "identifier")
    return [
        ElectionPeriod(name=e.name, starts_on=e.notice_of_election, ends_on=e.poll_date)
        for e in found
    ]


def polling_stations() -> QuerySet[PollingStation]:
    """Every polling station with the number of addresses voting there."""
    return PollingStation.objects.annotate(address_count=Count("addresses")).order_by("council_id")


def polling_station(council_id: str) -> PollingStation | None:
    """The station with this EMS reference, or None."""
    return PollingStation.objects.filter(council_id=council_id).first()


def ballot_by_identifier(identifier: str) -> Ballot | None:
    """The ballot with this identifier, its election fetched, or None."""
    return Ballot.objects.select_related("election").filter(identifier=identifier).first()


@dataclass(frozen=True)
class WhereToVote:
    """Where the voters at a postcode (or one address) vote, and what they vote in
    (`ballots`: every ballot in the ward from today on, soonest first).

    `stations` holds one station, several (the postcode is split between them: the
    resident picks their address from `addresses`) or none (`reason` says why).
    """

    postcode: str
    ward_code: str
    stations: list[PollingStation]
    addresses: list[PollingAddress]
    ballots: list[Ballot]
    reason: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @property
    def station(self) -> PollingStation | None:
        return self.stations[0] if len(self.stations) == 1 else None

    @property
    def split(self) -> bool:
        return len(self.stations) > 1

    @property
    def next_ballots(self) -> list[Ballot]:
        return on_next_polling_day(self.ballots)


def on_next_polling_day(ballots: list[Ballot]) -> list[Ballot]:
    """The ballots, soonest first, that poll on the first one's day."""
    return [b for b in ballots if b.election.poll_date == ballots[0].election.poll_date]


NO_STATIONS_YET = "no_stations_yet"
POSTCODE_NOT_LISTED = "postcode_not_listed"


def future_ballots(ward_code: str) -> list[Ballot]:
    """The ward's ballots polling today or later, soonest first, candidates fetched."""
    return list(
        Ballot.objects.select_related("election")
        .prefetch_related(Prefetch("candidates", queryset=Candidate.objects.order_by("name")))
        .filter(ward_code=ward_code, election__poll_date__gte=timezone.localdate())
        .order_by("election__poll_date", "identifier")
    )


def _ward_code(postcode: str) -> str:
    try:
        return find_by_postcode(postcode).ward_code
    except PostcodeError:
        return ""


#: How long one postcode's answer is kept. Every elections write forgets them all at once
#: (lookups_changed); this bounds only how long a change to core's postcodes and wards
#: (a new ONS postcode file) takes to reach the answers.
LOOKUP_CACHE_SECONDS = 15 * 60
LOOKUP_GENERATION_KEY = "elections:lookup:generation"

# Answers are kept in each web process's own memory, which costs nothing to read (a
# council has a few thousand postcodes); only the generation, which every elections
# change replaces, is read from the shared cache, so a change reaches every process
# and machine at once.
_answers = LocMemCache(
    "townhall-elections-lookups",
    {"TIMEOUT": LOOKUP_CACHE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 20_000}},
)


def _lookup_generation() -> str:
    generation = cache.get(LOOKUP_GENERATION_KEY)
    if generation is None:
        # add, not set: of two processes starting together, one generation wins for both.
        cache.add(LOOKUP_GENERATION_KEY, uuid4().hex, timeout=None)
        generation = cache.get(LOOKUP_GENERATION_KEY, "")
    return generation


def lookups_changed() -> None:
    """Forget every cached where-to-vote answer, in every web process sharing the cache.

    Services call it (on commit) after any write a look-up reads: an import of polling
    data, an election, a candidate, a station's details. Answers are keyed by a
    generation, so this replaces the generation rather than finding the answers.
    """
    cache.set(LOOKUP_GENERATION_KEY, uuid4().hex, timeout=None)


def where_to_vote(postcode: str) -> WhereToVote:
    """Where the postcode's voters vote.

    Raises core's PostcodeError subclasses (MalformedPostcode, UnknownPostcode,
    TerminatedPostcode, PostcodeOutsideCouncil) for a postcode that cannot be used.
    An answer is cached per postcode and day (polling day's look-ups are the same few
    thousand postcodes asked again and again) until lookups_changed or
    LOOKUP_CACHE_SECONDS; a postcode that cannot be used is looked up every time.
    """
    key = (
        f"{_lookup_generation()}:{timezone.localdate().isoformat()}:"
        f"{normalise_postcode(postcode).replace(' ', '')}"
    )
    found = _answers.get(key)
    if found is None:
        found = _where_to_vote(postcode)
        _answers.set(key, found)
    return found


def _where_to_vote(postcode: str) -> WhereToVote:
    location = find_by_postcode(postcode)
    addresses = list(
        PollingAddress.objects.select_related("station")
        .filter(postcode=location.postcode)
        .order_by("address", "uprn")
    )
    stations = list({address.station_id: address.station for address in addresses}.values())
    reason = ""
    if not stations:
        reason = POSTCODE_NOT_LISTED if PollingStation.objects.exists() else NO_STATIONS_YET
    return WhereToVote(
        postcode=location.postcode,
        ward_code=location.ward_code,
        stations=stations,
        addresses=addresses if len(stations) > 1 else [],
        ballots=future_ballots(location.ward_code),
        reason=reason,
        latitude=location.latitude,
        longitude=location.longitude,
    )


def where_to_vote_at(uprn: str) -> WhereToVote | None:
    """Where the voters at the address with this UPRN vote, or None for an unknown UPRN."""
    address = PollingAddress.objects.select_related("station").filter(uprn=uprn).first()
    if address is None:
        return None
    ward_code = _ward_code(address.postcode)
    return WhereToVote(
        postcode=address.postcode,
        ward_code=ward_code,
        stations=[address.station],
        addresses=[address],
        ballots=future_ballots(ward_code) if ward_code else [],
    )


def electoral_services() -> dict[str, str]:
    """Whom residents contact about voting: the council's contact details (site settings),
    the postal address's last line given apart as `postcode` when it is one."""
    row = site_settings()
    lines = [line.strip() for line in row.contact_address.splitlines() if line.strip()]
    postcode = ""
    if lines:
        try:
            postcode = normalise_postcode(lines[-1])
        except PostcodeError:
            postcode = ""
        else:
            lines.pop()
    return {
        "council_id": row.local_authority_code,
        "name": council_name(row),
        "email": row.contact_email,
        "phone": row.contact_phone,
        "address": "\n".join(lines),
        "postcode": postcode,
    }
