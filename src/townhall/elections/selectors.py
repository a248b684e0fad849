"""Reads of elections, ballots and candidates; other modules call these, never the models."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from townhall.core.models import Frequency
from townhall.core.registry import FollowedItem
from townhall.core.selectors.site import council_name, site_settings
from townhall.core.selectors.subscriptions import followers_of_kind
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
    ReminderSent,
    Surgery,
)


def elections() -> QuerySet[Election]:
    """Every election, the latest polling day first, with its number of ballots."""
    return Election.objects.annotate(ballot_count=Count("ballots"))


def upcoming_elections() -> QuerySet[Election]:
    """The elections polling today or later, soonest first, with their key dates."""
    return Election.objects.filter(poll_date__gte=timezone.localdate()).order_by(
        "poll_date", "identifier"
    )


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

    @property
    def reminder_key(self) -> str:
        """What to follow for reminders of the next polling day here: the address's UPRN
        once picked, or the postcode when all of it votes at one station; "" when there is
        no one station or no election to remind of."""
        if self.station is None or not self.ballots:
            return ""
        place = self.addresses[0].uprn if self.addresses else self.postcode
        return reminder_key(self.ballots[0].election.poll_date, place)

    @property
    def registration_open(self) -> bool:
        """Whether people can still register to vote on the next polling day here."""
        return bool(self.ballots) and (
            self.ballots[0].election.registration_deadline >= timezone.localdate()
        )


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


def lookup_generation() -> str:
    """What every where-to-vote answer was made under: replaced by lookups_changed."""
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
        f"{lookup_generation()}:{timezone.localdate().isoformat()}:"
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


def polling_districts_with_station(day: date) -> tuple[int, int]:
    """The measure "polling_districts_with_station": of the polling districts on the
    register, how many the polling station finder answers for: their addresses are loaded
    with their station, or the district names its station (`day` is not used: the register
    is as it stands)."""
    districts = PollingDistrict.objects.all()
    answered = districts.filter(~Q(station_council_id="") | Q(addresses__isnull=False))
    return answered.distinct().count(), districts.count()


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


# Reminders ------------------------------------------------------------------------------

REMINDERS = "election_reminders"
"""The kind of core subscription that asks for an address's reminders of one polling day."""

Reminder = ReminderSent.Reminder
# When each reminder goes, in the council's time (Europe/London): from its start until
# the next one's, so a subscriber who joins late gets the one still useful, never a stale
# one. Registration closes at midnight at the end of the deadline day; polls open at 7am.
REGISTER_WEEK_FROM = (-7, time(9))  # days from the registration deadline, time of day
REGISTER_DAY_FROM = (-1, time(9))
POLLING_DAY_FROM, POLLING_DAY_UNTIL = time(6), time(22)


def reminder_key(poll_date: date, place: str) -> str:
    """The subscription key for reminders of `poll_date` at `place` (a UPRN or a postcode):
    "2027-05-06:990000000001" or "2027-05-06:NB11AA". Keys sort by polling day."""
    return f"{poll_date.isoformat()}:{place.replace(' ', '').upper()}"


def reminder_poll_date(key: str) -> date | None:
    """The polling day a reminders key is for, or None for a key that is not one."""
    try:
        return date.fromisoformat(key.split(":", 1)[0])
    except ValueError:
        return None


@dataclass(frozen=True)
class ReminderPlace:
    """What reminders for one address (or one-station postcode) and polling day say, read
    afresh each time: `stations` holds the station its voters go to now (several, or none,
    when an import changed that), `elections` those polling that day in its ward."""

    key: str
    poll_date: date
    postcode: str
    address: str
    uprn: str
    stations: list[PollingStation]
    elections: list[Election]

    @property
    def station(self) -> PollingStation | None:
        return self.stations[0] if len(self.stations) == 1 else None

    @property
    def registration_deadline(self) -> date:
        return min(election.registration_deadline for election in self.elections)

    @property
    def voter_id(self) -> bool:
        return any(election.voter_id for election in self.elections)

    @property
    def url(self) -> str:
        """The where-to-vote answer for the place, in the current language."""
        if self.uprn:
            return reverse("elections:where_to_vote_at", args=[self.uprn])
        return reverse("elections:where_to_vote") + "?" + urlencode({"postcode": self.postcode})

    def due(self, now: datetime) -> str | None:
        """The reminder whose time it is at `now`, or None."""
        return reminder_due(now, deadline=self.registration_deadline, poll_date=self.poll_date)


def reminder_due(now: datetime, *, deadline: date, poll_date: date) -> str | None:
    """Which reminder goes at `now` for an election with this registration deadline and
    polling day (see REGISTER_WEEK_FROM and the times beside it), or None."""

    def at(day: date, moment: time) -> datetime:
        return timezone.make_aware(datetime.combine(day, moment))

    week = at(deadline + timedelta(days=REGISTER_WEEK_FROM[0]), REGISTER_WEEK_FROM[1])
    day_before = at(deadline + timedelta(days=REGISTER_DAY_FROM[0]), REGISTER_DAY_FROM[1])
    if week <= now < day_before:
        return Reminder.REGISTER_WEEK
    if day_before <= now < at(deadline + timedelta(days=1), time(0)):
        return Reminder.REGISTER_DAY
    if at(poll_date, POLLING_DAY_FROM) <= now < at(poll_date, POLLING_DAY_UNTIL):
        return Reminder.POLLING_DAY
    return None


def reminder_place(key: str) -> ReminderPlace | None:
    """The place and polling day a reminders key names, or None when it names no address or
    postcode on the register, or no election polls there that day."""
    poll_date = reminder_poll_date(key)
    place = key.split(":", 1)[-1]
    if poll_date is None or not place:
        return None
    if place.isdigit():
        address = PollingAddress.objects.select_related("station").filter(uprn=place).first()
        if address is None:
            return None
        postcode, stations = address.postcode, [address.station]
    else:
        try:
            postcode = normalise_postcode(place)
        except PostcodeError:
            return None
        address = None
        at_postcode = PollingStation.objects.filter(addresses__postcode=postcode).distinct()
        stations = list(at_postcode.order_by("council_id"))
    ward_code = _ward_code(postcode)
    elections = list(
        Election.objects.filter(poll_date=poll_date, ballots__ward_code=ward_code)
        .distinct()
        .order_by("identifier")
    )
    if not ward_code or not elections:
        return None
    return ReminderPlace(
        key=key,
        poll_date=poll_date,
        postcode=postcode,
        address=address.address if address else "",
        uprn=address.uprn if address else "",
        stations=stations,
        elections=elections,
    )


def reminders_followed(key: str) -> FollowedItem | None:
    """Reminders for a place as core's subscriptions see them; None once polling day has
    passed, so no one can ask for reminders of a past election."""
    place = reminder_place(key)
    if place is None or place.poll_date < timezone.localdate():
        return None
    return FollowedItem(
        title=_("Reminders to vote on %(day)s at %(place)s")
        % {"day": date_format(place.poll_date, "j F Y"), "place": place.address or place.postcode},
        url=place.url,
        heading=_("Get reminders by email"),
        promise=_reminders_promise(place),
    )


def _reminders_promise(place: ReminderPlace) -> str:
    """The emails to expect, in the words of the where-to-vote page's reminders panel."""
    day = date_format(place.poll_date, "j F")
    deadlines = [election.registration_deadline for election in place.elections]
    if deadlines and min(deadlines) >= timezone.localdate():
        return _(
            "We will email you a week before the deadline to register to vote (%(deadline)s), "
            "again the day before it, and on the morning of polling day (%(day)s) with where "
            "you vote."
        ) % {"deadline": date_format(min(deadlines), "j F"), "day": day}
    return _("We will email you on the morning of polling day (%(day)s) with where you vote.") % {
        "day": day
    }


def reminders_due(now: datetime) -> Iterator[tuple[Any, ReminderPlace, str]]:
    """(subscription, place, reminder) for each reminder due at `now` and not yet sent.

    Cheap when nothing is due: keys name their polling day, and a place is only read
    for a day with one of its elections in a reminder's time.
    """
    today = timezone.localtime(now).date()
    subscriptions = (
        followers_of_kind(kind=REMINDERS)
        .filter(key__gte=reminder_key(today, ""))
        .exclude(frequency=Frequency.NEVER)
        .order_by("key", "pk")
    )
    days = {reminder_poll_date(key) for key in subscriptions.values_list("key", flat=True)}
    due_days = {
        election.poll_date
        for election in Election.objects.filter(poll_date__in=days - {None})
        if reminder_due(now, deadline=election.registration_deadline, poll_date=election.poll_date)
    }
    if not due_days:
        return
    sent = set(
        ReminderSent.objects.filter(subscription__in=subscriptions).values_list(
            "subscription_id", "reminder"
        )
    )
    places: dict[str, ReminderPlace | None] = {}
    for subscription in subscriptions:
        if reminder_poll_date(subscription.key) not in due_days:
            continue
        if subscription.key not in places:
            places[subscription.key] = reminder_place(subscription.key)
        place = places[subscription.key]
        reminder = place.due(now) if place else None
        if reminder and (subscription.pk, reminder) not in sent:
            yield subscription, place, reminder


def reminders_sent_to(person: Any) -> list[dict[str, str]]:
    """The reminders emailed to a signed-in person, for their download of their data."""
    sent = ReminderSent.objects.filter(
        subscription__person=person, subscription__kind=REMINDERS
    ).select_related("subscription")
    return [
        {
            "for": record.subscription.key,
            "reminder": record.reminder,
            "sent_at": record.sent_at.isoformat(),
        }
        for record in sent
    ]
