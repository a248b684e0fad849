"""Reads of elections, ballots and candidates; other modules call these, never the models."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from townhall.core.selectors.site import council_name, site_settings
from townhall.core.services.geography import (
    PostcodeError,
    find_by_postcode,
    normalise_postcode,
)

from .models import (
    Ballot,
    Candidate,
    Election,
    PollingAddress,
    PollingDistrict,
    PollingStation,
)


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


def polling_districts() -> QuerySet[PollingDistrict]:
    """Every polling district by reference, with the number of addresses in it."""
    return PollingDistrict.objects.annotate(address_count=Count("addresses")).order_by("code")


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


def where_to_vote(postcode: str) -> WhereToVote:
    """Where the postcode's voters vote.

    Raises core's PostcodeError subclasses (MalformedPostcode, UnknownPostcode,
    TerminatedPostcode, PostcodeOutsideCouncil) for a postcode that cannot be used.
    """
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
