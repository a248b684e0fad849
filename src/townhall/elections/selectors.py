"""Reads of elections, ballots and candidates; other modules call these, never the models."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from townhall.core.selectors.site import council_name, site_settings
from townhall.core.services.geography import (
    PostcodeError,
    find_by_postcode,
    normalise_postcode,
)

from .models import (
    Ballot,
    BallotResult,
    Candidate,
    Councillor,
    Election,
    PollingAddress,
    PollingDistrict,
    PollingStation,
    Surgery,
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


def _by_votes() -> Prefetch:
    return Prefetch("candidates", queryset=Candidate.objects.order_by("-votes", "name"))


def elections_with_results() -> QuerySet[Election]:
    """Elections with at least one declared ballot, latest first."""
    return Election.objects.filter(ballots__result__isnull=False).distinct()


def election_results(identifier: str) -> Election | None:
    """The election with each ballot's result and candidates (most votes first), or None."""
    ballots = Ballot.objects.select_related("result").prefetch_related(_by_votes())
    return (
        Election.objects.prefetch_related(Prefetch("ballots", queryset=ballots))
        .filter(identifier=identifier)
        .first()
    )


def ballot_with_result(identifier: str) -> Ballot | None:
    """The ballot with its election, result (None until declared) and candidates (most
    votes first), or None for an unknown identifier."""
    return (
        Ballot.objects.select_related("election", "result")
        .prefetch_related(_by_votes())
        .filter(identifier=identifier)
        .first()
    )


def share(votes: int | None, ballot: Ballot) -> float | None:
    """A candidate's votes as a percentage of all the votes cast on the ballot (one place)."""
    total = sum(c.votes or 0 for c in ballot.candidates.all())
    return round(100 * votes / total, 1) if total and votes is not None else None


@dataclass(frozen=True)
class WardTurnout:
    """One ward's turnout (per cent, or None when undeclared) in each election, in order."""

    ward_code: str
    ward_name: str
    ward_name_cy: str
    turnouts: list[float | None]


def turnout_by_ward() -> tuple[list[Election], list[WardTurnout]]:
    """The elections with results, oldest first, and each ward's turnout in each."""
    found = list(elections_with_results().order_by("poll_date"))
    results = BallotResult.objects.select_related("ballot").filter(ballot__election__in=found)
    by_ward: dict[str, dict] = {}
    for result in results.order_by("ballot__ward_name"):
        ward = by_ward.setdefault(
            result.ballot.ward_code,
            {"ballot": result.ballot, "turnouts": {}},
        )
        ward["turnouts"][result.ballot.election_id] = result.turnout
    return found, [
        WardTurnout(
            ward_code=code,
            ward_name=ward["ballot"].ward_name,
            ward_name_cy=ward["ballot"].ward_name_cy,
            turnouts=[ward["turnouts"].get(election.pk) for election in found],
        )
        for code, ward in by_ward.items()
    ]


def results_rows(election: Election | None = None) -> list[dict]:
    """Every declared candidate's row in the candidates-and-results layout
    (`results_csv.COLUMNS`), of one election or all, by election, ward and votes."""
    results = BallotResult.objects.select_related("ballot__election").prefetch_related(
        Prefetch("ballot__candidates", queryset=Candidate.objects.order_by("-votes", "name"))
    )
    if election is not None:
        results = results.filter(ballot__election=election)
    rows = []
    for result in results.order_by("-ballot__election__poll_date", "ballot__ward_name"):
        ballot = result.ballot
        for candidate in ballot.candidates.all():
            rows.append(
                {
                    "election_id": ballot.election.identifier,
                    "ballot_paper_id": ballot.identifier,
                    "gss": ballot.ward_code,
                    "post_label": ballot.ward_name,
                    "seats_contested": ballot.seats_contested,
                    "person_name": candidate.name,
                    "party_name": candidate.party,
                    "votes_cast": candidate.votes,
                    "elected": candidate.elected,
                    "total_electorate": result.electorate,
                    "num_turnout_reported": result.ballot_papers_issued,
                    "num_spoilt_ballots": result.rejected_ballots,
                    "turnout_percentage": result.turnout,
                }
            )
    return rows


def _serving(today: date) -> Q:
    return Q(term_start__lte=today) & (Q(term_end__isnull=True) | Q(term_end__gt=today))


def councillors(ward_code: str | None = None) -> QuerySet[Councillor]:
    """The members serving today, by ward, with their surgeries from today on; of one
    ward when `ward_code` is given."""
    today = timezone.localdate()
    surgeries = Surgery.objects.filter(ends_at__gte=timezone.now()).order_by("starts_at")
    found = Councillor.objects.filter(_serving(today)).prefetch_related(
        Prefetch("surgeries", queryset=surgeries)
    )
    return found.filter(ward_code=ward_code) if ward_code else found


def all_councillors() -> QuerySet[Councillor]:
    """Every councillor, past and present, latest term first, for officers."""
    return Councillor.objects.order_by("ward_name", "-term_start", "name")


def councillor(pk: int) -> Councillor | None:
    """The councillor with this id, with all their surgeries, or None."""
    return Councillor.objects.prefetch_related("surgeries").filter(pk=pk).first()


def surgery(pk: int) -> Surgery | None:
    """The surgery with this id, its councillor fetched, or None."""
    return Surgery.objects.select_related("councillor").filter(pk=pk).first()


def latest_ward_result(ward_code: str) -> Ballot | None:
    """The ward's most recently declared ballot, for its ward page, or None."""
    return (
        Ballot.objects.select_related("election", "result")
        .filter(ward_code=ward_code, result__isnull=False)
        .order_by("-election__poll_date")
        .first()
    )
