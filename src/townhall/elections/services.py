"""Every write to elections: checks permission, runs in one transaction, reaches the audit log.

Identifiers are made by `uk_election_ids.IdBuilder` and checked by its `validate`; the
voting system and the voter ID rule come from its metadata for the identifier and nation,
so no one types them and they cannot disagree with Democracy Club's (ADR 0080).
"""

import contextlib
import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import BinaryIO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from uk_election_ids.election_ids import IdBuilder, validate
from uk_election_ids.metadata_tools import IDRequirementsMatcher, VotingSystemMatcher

from townhall.core import audit
from townhall.core.permissions import require
from townhall.core.selectors import geography
from townhall.core.services.subscriptions import email_follower, subscriptions_end

from . import boundaries, importers, results_csv, selectors
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

MANAGE = "elections.manage_elections"
IMPORT_STATIONS = "elections.import_polling_stations"
ENTER_RESULTS = "elections.enter_results"
MANAGE_COUNCILLORS = "elections.manage_councillors"
#: An ordinary term of office; the officer corrects a term that ends otherwise.
TERM_YEARS = 4


class ElectionsError(Exception):
    """A change that cannot be made. `code` is stable; `message` is for the person."""

    code = "elections_error"

    def __init__(self, message, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class ElectionInvalid(ElectionsError):
    code = "election_invalid"


class ResultInvalid(ElectionsError):
    code = "result_invalid"


class CouncillorInvalid(ElectionsError):
    code = "councillor_invalid"


def _check_dates(
    *,
    poll_date: date,
    notice_of_election: date,
    registration_deadline: date,
    postal_vote_deadline: date,
    proxy_vote_deadline: date,
) -> None:
    for field, day in (
        ("notice_of_election", notice_of_election),
        ("registration_deadline", registration_deadline),
        ("postal_vote_deadline", postal_vote_deadline),
        ("proxy_vote_deadline", proxy_vote_deadline),
    ):
        if day >= poll_date:
            raise ElectionInvalid(_("This date must be before polling day"), field=field)
    if registration_deadline < notice_of_election:
        raise ElectionInvalid(
            _("The registration deadline must be on or after the notice of election"),
            field="registration_deadline",
        )


def election_create(
    *,
    actor,
    organisation: str,
    name: str,
    poll_date: date,
    notice_of_election: date,
    registration_deadline: date,
    postal_vote_deadline: date,
    proxy_vote_deadline: date,
    nation: str = Election.Nation.ENGLAND,
    name_cy: str = "",
) -> Election:
    """Create the council's election on `poll_date` with one ballot for each of core's wards.

    Raises ElectionInvalid when the identifiers cannot be made (an organisation that is not
    a slug), a key date is not before polling day, or an election has that identifier.
    """
    require(actor, MANAGE)
    _check_dates(
        poll_date=poll_date,
        notice_of_election=notice_of_election,
        registration_deadline=registration_deadline,
        postal_vote_deadline=postal_vote_deadline,
        proxy_vote_deadline=proxy_vote_deadline,
    )
    return _election_with_ballots(
        organisation=organisation,
        nation=nation,
        name=name,
        name_cy=name_cy,
        poll_date=poll_date,
        notice_of_election=notice_of_election,
        registration_deadline=registration_deadline,
        postal_vote_deadline=postal_vote_deadline,
        proxy_vote_deadline=proxy_vote_deadline,
    )


def _election_with_ballots(
    *, organisation: str, nation: str, poll_date: date, **fields
) -> Election:
    """Internal to this module (election_create and the demo): the election and a ballot
    per ward, identifiers, voting system and voter ID rule from uk-election-ids."""
    builder = IdBuilder("local", poll_date).with_organisation(organisation)
    identifier = builder.organisation_group_id
    if not validate(identifier) or organisation != builder.organisation:
        raise ElectionInvalid(
            _("Enter the organisation as Democracy Club names it, like northbridge"),
            field="organisation",
        )
    wards = list(geography.wards())
    if not wards:
        raise ElectionInvalid(_("Load the council's wards before adding an election"))
    with transaction.atomic():
        if selectors.election_by_identifier(identifier) is not None:
            raise ElectionInvalid(
                _("There is already an election %(identifier)s") % {"identifier": identifier},
                field="poll_date",
            )
        election = Election.objects.create(
            identifier=identifier,
            organisation=organisation,
            nation=nation,
            poll_date=poll_date,
            **fields,
            voting_system=VotingSystemMatcher(identifier, nation=nation).get_voting_system(),
            voter_id=IDRequirementsMatcher(identifier, nation=nation).get_id_requirements() or "",
        )
        for ward in wards:
            ballot_id = (
                IdBuilder("local", poll_date)
                .with_organisation(organisation)
                .with_division(ward.name)
                .ballot_id
            )
            if not validate(ballot_id):
                raise ElectionInvalid(
                    _("No ballot identifier can be made for the ward %(ward)s") % {"ward": ward}
                )
            Ballot.objects.create(
                election=election,
                identifier=ballot_id,
                ward_code=ward.code,
                ward_name=ward.name,
                ward_name_cy=ward.name_cy,
            )
        transaction.on_commit(selectors.lookups_changed)
    return election


def candidate_add(
    *,
    actor,
    ballot: Ballot,
    name: str,
    party: str = "",
    statement: str = "",
    statement_cy: str = "",
) -> Candidate:
    """Add a person nominated on `ballot`. Raises ElectionInvalid for a name left blank."""
    require(actor, MANAGE)
    name = " ".join((name or "").split())
    if not name:
        raise ElectionInvalid(_("Enter the candidate's name"), field="name")
    with transaction.atomic():
        transaction.on_commit(selectors.lookups_changed)
        return Candidate.objects.create(
            ballot=ballot,
            name=name,
            party=" ".join((party or "").split()),
            statement=statement.strip(),
            statement_cy=statement_cy.strip(),
        )


@dataclass
class PollingImportReport:
    """What an import did: `problems` (file, row, message) when it stored nothing (with
    `unlisted` more past the listed ones), else the numbers of stations, addresses and
    districts it stored. Either way `layout` names the system the files were read as
    (empty when it could not be told), `detected` says whether it was recognised from the
    file, `encodings` gives each file's character encoding and `skipped` the rows the
    export marks as voting nowhere, which are left out."""

    problems: list[importers.Problem]
    layout: str = ""
    detected: bool = False
    encodings: dict[str, str] = dataclasses.field(default_factory=dict)
    skipped: int = 0
    unlisted: int = 0
    stations: int = 0
    addresses: int = 0
    districts: int = 0

    @property
    def stored(self) -> bool:
        return not self.problems


def polling_data_import(
    *,
    actor,
    layout: str = "",
    addresses: bytes | BinaryIO,
    stations: bytes | BinaryIO | None = None,
) -> PollingImportReport:
    """Replace every polling station and address with those of an EMS export.

    `layout` is a slug of importers.LAYOUTS, or empty to recognise it from the addresses
    file. The files are bytes or seekable binary files, streamed. All or nothing: when
    any row has a problem (missing columns, a duplicate UPRN, a station without
    coordinates, an encoding that cannot be read, ...) nothing is stored and the report
    lists every problem. A station keeps the accessibility details written for it before,
    found by the council's station reference; a district keeps its boundary. Raises
    ElectionInvalid for an unknown layout.
    """
    require(actor, IMPORT_STATIONS)
    if layout and layout not in importers.LAYOUTS:
        raise ElectionInvalid(_("Choose the system the file comes from"), field="layout")
    found = importers.read(importers.LAYOUTS.get(layout), addresses, stations)
    described = {
        "layout": str(found.layout.label) if found.layout else "",
        "detected": found.detected,
        "encodings": found.encodings,
        "skipped": found.skipped,
    }
    if found.problems:
        return PollingImportReport(problems=found.problems, unlisted=found.unlisted, **described)
    with transaction.atomic():
        accessibility = {
            row["council_id"]: row
            for row in PollingStation.objects.values(
                "council_id", "accessibility_en_gb", "accessibility_cy"
            )
        }
        before = {
            "stations": len(accessibility),
            "addresses": PollingAddress.objects.count(),
        }
        PollingAddress.objects.all().delete()
        PollingStation.objects.all().delete()
        stations_made = PollingStation.objects.bulk_create(
            [
                PollingStation(
                    council_id=station.council_id,
                    address=station.address,
                    postcode=station.postcode,
                    longitude=station.longitude,
                    latitude=station.latitude,
                    accessibility_en_gb=accessibility.get(station.council_id, {}).get(
                        "accessibility_en_gb"
                    )
                    or "",
                    accessibility_cy=accessibility.get(station.council_id, {}).get(
                        "accessibility_cy"
                    )
                    or "",
                )
                for station in found.stations.values()
            ]
        )
        station_pks = {station.council_id: station.pk for station in stations_made}
        districts = _districts_for(sorted({address.district for address in found.addresses} - {""}))
        PollingAddress.objects.bulk_create(
            [
                PollingAddress(
                    uprn=address.uprn,
                    address=address.address,
                    postcode=address.postcode,
                    station_id=station_pks[address.station_id],
                    district_id=districts.get(address.district),
                )
                for address in found.addresses
            ],
            batch_size=2000,
        )
        _forget_empty_districts()
        report = PollingImportReport(
            problems=[],
            **described,
            stations=len(stations_made),
            addresses=len(found.addresses),
            districts=len(districts),
        )
        audit.record(
            actor=actor,
            operation="action",
            action="elections.polling_data_import",
            object_type="elections.pollingstation",
            object_label=described["layout"],
            before=before,
            after={"stations": report.stations, "addresses": report.addresses},
        )
        transaction.on_commit(selectors.lookups_changed)
    return report


def _districts_for(codes: list[str]) -> dict[str, int]:
    """The districts with these references by reference, made when missing, so that an
    address import keeps the boundaries a district import gave them."""
    PollingDistrict.objects.bulk_create(
        [PollingDistrict(code=code) for code in codes], ignore_conflicts=True
    )
    return dict(PollingDistrict.objects.filter(code__in=codes).values_list("code", "pk"))


def _forget_empty_districts() -> None:
    """Districts with neither a boundary nor an address are left over from an old import."""
    PollingDistrict.objects.filter(boundary__isnull=True, addresses__isnull=True).delete()


@dataclass
class DistrictsImportReport:
    """What a district boundary import did: `problems` (feature number and message; 0
    for the whole file) when it stored nothing, with `unlisted` more, else the number of
    districts it stored."""

    problems: list[importers.Problem]
    unlisted: int = 0
    districts: int = 0

    @property
    def stored(self) -> bool:
        return not self.problems


def polling_districts_import(
    *,
    actor,
    boundaries_file: bytes | BinaryIO,
    code_property: str = "code",
    name_property: str = "name",
    station_property: str = "station",
) -> DistrictsImportReport:
    """Replace every polling district's boundary, name and station with a GeoJSON file's.

    All or nothing: a feature with no reference, a reference given twice, or a boundary
    that is not a valid Polygon or MultiPolygon in longitude and latitude, and nothing is
    stored; the report lists every problem by feature. Districts the file leaves out lose
    their boundary (and are forgotten when no address is in them either); the addresses
    in each district are kept.
    """
    require(actor, IMPORT_STATIONS)
    found = boundaries.read(
        boundaries_file, code=code_property, name=name_property, station=station_property
    )
    if found.problems:
        return DistrictsImportReport(problems=found.problems, unlisted=found.unlisted)
    with transaction.atomic():
        before = PollingDistrict.objects.filter(boundary__isnull=False).count()
        PollingDistrict.objects.update(name="", boundary=None, station_council_id="")
        pks = _districts_for([district.code for district in found.districts])
        PollingDistrict.objects.bulk_update(
            [
                PollingDistrict(
                    pk=pks[district.code],
                    code=district.code,
                    name=district.name,
                    boundary=district.boundary,
                    station_council_id=district.station,
                )
                for district in found.districts
            ],
            ["name", "boundary", "station_council_id"],
            batch_size=500,
        )
        _forget_empty_districts()
        audit.record(
            actor=actor,
            operation="action",
            action="elections.polling_districts_import",
            object_type="elections.pollingdistrict",
            object_label="GeoJSON",
            before={"districts_with_boundaries": before},
            after={"districts_with_boundaries": len(found.districts)},
        )
    return DistrictsImportReport(problems=[], districts=len(found.districts))


def polling_station_describe(
    *, actor, station: PollingStation, accessibility: str, accessibility_cy: str = ""
) -> PollingStation:
    """Write the station's access details (step-free entry, parking, hearing loop, ...) in
    English and Welsh; they outlive later imports. Audited by the save's signal."""
    require(actor, IMPORT_STATIONS)
    with transaction.atomic():
        station.accessibility_en_gb = accessibility.strip()
        station.accessibility_cy = accessibility_cy.strip()
        station.save(update_fields=["accessibility", "accessibility_en_gb", "accessibility_cy"])
        transaction.on_commit(selectors.lookups_changed)
    return station


def _result_problems(
    *,
    ballot: Ballot,
    electorate: int,
    ballot_papers_issued: int,
    rejected_ballots: int,
    votes: dict[int, int],
) -> list[tuple[int | None, str]]:
    """Why these figures cannot be the count of `ballot`: (candidate pk or None, message)
    for each reason, none when they can be. `votes` maps every candidate's pk to votes."""
    problems: list[tuple[int | None, str]] = []
    for figure in (electorate, ballot_papers_issued, rejected_ballots, *votes.values()):
        if figure < 0:
            return [(None, str(_("Votes and figures must be 0 or more")))]
    if ballot_papers_issued > electorate:
        problems.append(
            (
                None,
                str(
                    _(
                        "More ballot papers were issued (%(issued)d) than there are electors "
                        "(%(electorate)d)"
                    )
                )
                % {"issued": ballot_papers_issued, "electorate": electorate},
            )
        )
    if rejected_ballots > ballot_papers_issued:
        problems.append((None, str(_("More ballots were rejected than ballot papers were issued"))))
    candidates = list(ballot.candidates.all())
    for candidate in candidates:
        if candidate.pk not in votes:
            problems.append(
                (None, str(_("No votes are given for %(name)s")) % {"name": candidate.name})
            )
        elif votes[candidate.pk] > electorate:
            problems.append(
                (
                    candidate.pk,
                    str(
                        _(
                            "%(name)s has more votes (%(votes)d) than the electorate (%(electorate)d)"
                        )
                    )
                    % {
                        "name": candidate.name,
                        "votes": votes[candidate.pk],
                        "electorate": electorate,
                    },
                )
            )
    valid_papers = max(ballot_papers_issued - rejected_ballots, 0)
    if not problems and sum(votes.values()) > ballot.seats_contested * valid_papers:
        problems.append(
            (
                None,
                str(
                    _(
                        "The votes add up to %(total)d, more than %(seats)d vote(s) on each of "
                        "the %(valid)d ballot papers counted"
                    )
                )
                % {
                    "total": sum(votes.values()),
                    "seats": ballot.seats_contested,
                    "valid": valid_papers,
                },
            )
        )
    if not problems and candidates:
        ranked = sorted((votes[c.pk] for c in candidates), reverse=True)
        seats = ballot.seats_contested
        if len(ranked) > seats and ranked[seats - 1] == ranked[seats]:
            problems.append(
                (
                    None,
                    str(
                        _(
                            "Two candidates tie for the last seat. Enter the result once the "
                            "returning officer has decided it by lot."
                        )
                    ),
                )
            )
    return problems


def ballot_result_record(
    *,
    actor,
    ballot: Ballot,
    electorate: int,
    ballot_papers_issued: int,
    rejected_ballots: int,
    votes: dict[int, int],
) -> BallotResult:
    """Declare the count of `ballot`: each candidate's votes (`votes` maps every
    candidate's pk to theirs), the electorate, ballot papers issued and rejected ballots.

    The `seats_contested` candidates with the most votes are elected and become the ward's
    councillors (see `_councillors_from_result`). Entering a ballot's result again corrects
    it. Raises ResultInvalid when the figures cannot be right (votes above the electorate,
    a candidate left out, a tie for the last seat, ...); nothing is stored then.
    """
    require(actor, ENTER_RESULTS)
    problems = _result_problems(
        ballot=ballot,
        electorate=electorate,
        ballot_papers_issued=ballot_papers_issued,
        rejected_ballots=rejected_ballots,
        votes=votes,
    )
    if problems:
        raise ResultInvalid(problems[0][1])
    with transaction.atomic():
        result = _declare(
            ballot=ballot,
            electorate=electorate,
            ballot_papers_issued=ballot_papers_issued,
            rejected_ballots=rejected_ballots,
            votes=votes,
        )
        _audit_declared(actor, [result])
    return result


def _declare(
    *,
    ballot: Ballot,
    electorate: int,
    ballot_papers_issued: int,
    rejected_ballots: int,
    votes: dict[int, int],
) -> BallotResult:
    """Internal to this module (the services and the demo): store checked figures."""
    candidates = list(ballot.candidates.all())
    ranked = sorted(candidates, key=lambda c: votes[c.pk], reverse=True)
    elected = {c.pk for c in ranked[: ballot.seats_contested]}
    for candidate in candidates:
        candidate.votes = votes[candidate.pk]
        candidate.elected = candidate.pk in elected
    Candidate.objects.bulk_update(candidates, ["votes", "elected"])
    result, _created = BallotResult.objects.update_or_create(
        ballot=ballot,
        defaults={
            "electorate": electorate,
            "ballot_papers_issued": ballot_papers_issued,
            "rejected_ballots": rejected_ballots,
            "declared_at": timezone.now(),
        },
    )
    _councillors_from_result(ballot, [c for c in candidates if c.pk in elected])
    return result


def _term_end(poll_date: date) -> date:
    try:
        return poll_date.replace(year=poll_date.year + TERM_YEARS)
    except ValueError:  # 29 February
        return poll_date.replace(year=poll_date.year + TERM_YEARS, day=28)


def _councillors_from_result(ballot: Ballot, elected: list[Candidate]) -> None:
    """The elected candidates become the ward's councillors from polling day, for a term;
    members whose term was still running end it on polling day (an all-out election);
    councillors made from an earlier entry of this result who are no longer elected go."""
    poll_date = ballot.election.poll_date
    Councillor.objects.filter(candidate__ballot=ballot).exclude(candidate__in=elected).delete()
    Councillor.objects.filter(ward_code=ballot.ward_code, term_start__lt=poll_date).filter(
        Q(term_end__isnull=True) | Q(term_end__gt=poll_date)
    ).update(term_end=poll_date)
    for candidate in elected:
        Councillor.objects.get_or_create(
            candidate=candidate,
            defaults={
                "ward_code": ballot.ward_code,
                "ward_name": ballot.ward_name,
                "ward_name_cy": ballot.ward_name_cy,
                "name": candidate.name,
                "party": candidate.party,
                "term_start": poll_date,
                "term_end": _term_end(poll_date),
                "route": Councillor.Route.ELECTION,
            },
        )


def _audit_declared(actor, results: list[BallotResult]) -> None:
    """Votes are written in bulk, which sends no signals: one entry for the declaration."""
    audit.record(
        actor=actor,
        operation="action",
        action="elections.results_declare",
        object_type="elections.ballotresult",
        object_label=", ".join(result.ballot.identifier for result in results)[:200],
        before={},
        after={
            result.ballot.identifier: {
                "electorate": result.electorate,
                "ballot_papers_issued": result.ballot_papers_issued,
                "rejected_ballots": result.rejected_ballots,
                "votes": {c.name: c.votes for c in result.ballot.candidates.all()},
            }
            for result in results
        },
    )


@dataclass
class ResultsImportReport:
    """What a results import did: `problems` (file, row, message) when it stored nothing,
    else the number of ballots whose results it declared."""

    problems: list[importers.Problem]
    ballots: int = 0

    @property
    def stored(self) -> bool:
        return not self.problems


def results_import(*, actor, data: bytes) -> ResultsImportReport:
    """Declare the results in a candidates-and-results CSV (layout in `results_csv`).

    All or nothing: an unknown ballot or candidate, a GSS code that is not the ballot's
    ward, a number that is negative or not a number, missing columns, a file that is not
    UTF-8, or figures that cannot be right each become a problem with its row, and
    nothing is stored while there is any.
    """
    require(actor, ENTER_RESULTS)
    found = results_csv.read(data)
    problems = list(found.problems)
    checked = []
    for figures in found.ballots.values():
        ballot_problems, votes, ballot = _ballot_problems(figures)
        problems.extend(ballot_problems)
        if not ballot_problems:
            checked.append((ballot, figures, votes))
    if problems:
        return ResultsImportReport(problems=sorted(problems, key=lambda p: p.row))
    with transaction.atomic():
        results = [
            _declare(ballot=ballot, votes=votes, **figures.figures)
            for ballot, figures, votes in checked
        ]
        _audit_declared(actor, results)
    return ResultsImportReport(problems=[], ballots=len(results))


def _ballot_problems(figures: results_csv.BallotFigures):
    """The problems of one ballot's rows, its votes by candidate pk, and the ballot."""
    problem = importers.Problem
    ballot = selectors.ballot_by_identifier(figures.identifier)
    if ballot is None:
        message = _("There is no ballot %(ballot)s") % {"ballot": figures.identifier}
        return [problem(results_csv.FILE, figures.row, str(message))], {}, None
    if figures.gss != ballot.ward_code:
        message = _("%(gss)s is not the GSS code of %(ward)s (%(code)s)") % {
            "gss": figures.gss,
            "ward": ballot.ward_name,
            "code": ballot.ward_code,
        }
        return [problem(results_csv.FILE, figures.row, str(message))], {}, ballot
    by_name = {results_csv.name_key(c.name): c.pk for c in ballot.candidates.all()}
    problems, votes, rows = [], {}, {}
    for key, (count, row, name) in figures.votes.items():
        if key not in by_name:
            message = _("%(name)s is not a candidate on %(ballot)s") % {
                "name": name,
                "ballot": ballot.identifier,
            }
            problems.append(problem(results_csv.FILE, row, str(message)))
        else:
            votes[by_name[key]] = count
            rows[by_name[key]] = row
    if problems:
        return problems, votes, ballot
    for candidate_pk, message in _result_problems(ballot=ballot, votes=votes, **figures.figures):
        problems.append(problem(results_csv.FILE, rows.get(candidate_pk, figures.row), message))
    return problems, votes, ballot


def _audited_as(actor):
    """Councillors' changes reach the audit log by the save signals, whoever calls the
    service: a page's request already names the actor, a command or test does not."""
    return contextlib.nullcontext() if audit.current_actor() else audit.acting_as(actor)


def _ward(ward_code: str):
    ward = next((w for w in geography.wards() if w.code == ward_code), None)
    if ward is None:
        raise CouncillorInvalid(_("Choose one of the council's wards"), field="ward_code")
    return ward


def _check_term(term_start: date, term_end: date | None) -> None:
    if term_end is not None and term_end <= term_start:
        raise CouncillorInvalid(_("The term must end after it starts"), field="term_end")


def councillor_add(
    *,
    actor,
    ward_code: str,
    name: str,
    term_start: date,
    party: str = "",
    term_end: date | None = None,
    route: str = Councillor.Route.BY_ELECTION,
    email: str = "",
    phone: str = "",
) -> Councillor:
    """Add a member for a ward whom no declared result here made one: the winner of a
    by-election, or a member elected before results were kept here. Raises
    CouncillorInvalid for an unknown ward, a blank name or a term that ends before it starts."""
    require(actor, MANAGE_COUNCILLORS)
    ward = _ward(ward_code)
    name = " ".join((name or "").split())
    if not name:
        raise CouncillorInvalid(_("Enter the councillor's name"), field="name")
    _check_term(term_start, term_end)
    with transaction.atomic(), _audited_as(actor):
        return Councillor.objects.create(
            ward_code=ward.code,
            ward_name=ward.name,
            ward_name_cy=ward.name_cy,
            name=name,
            party=" ".join((party or "").split()),
            term_start=term_start,
            term_end=term_end,
            route=route,
            email=email.strip(),
            phone=phone.strip(),
        )


def councillor_update(
    *,
    actor,
    councillor: Councillor,
    party: str,
    email: str,
    phone: str,
    term_end: date | None,
) -> Councillor:
    """Change a councillor's party (a defection shows in the audit log's before and
    after), contact details or the end of their term (a resignation, a death, a
    disqualification: a by-election then follows). Raises CouncillorInvalid for a term
    that ends before it starts."""
    require(actor, MANAGE_COUNCILLORS)
    _check_term(councillor.term_start, term_end)
    with transaction.atomic(), _audited_as(actor):
        councillor.party = " ".join((party or "").split())
        councillor.email = email.strip()
        councillor.phone = phone.strip()
        councillor.term_end = term_end
        councillor.save(update_fields=["party", "email", "phone", "term_end"])
    return councillor


def surgery_add(
    *,
    actor,
    councillor: Councillor,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    place_cy: str = "",
) -> Surgery:
    """Publish a surgery of `councillor`. Raises CouncillorInvalid for a blank place or one
    that ends before it starts."""
    require(actor, MANAGE_COUNCILLORS)
    place = " ".join((place or "").split())
    if not place:
        raise CouncillorInvalid(_("Enter where the surgery is"), field="place")
    if ends_at <= starts_at:
        raise CouncillorInvalid(_("The surgery must end after it starts"), field="ends_at")
    with transaction.atomic(), _audited_as(actor):
        return Surgery.objects.create(
            councillor=councillor,
            starts_at=starts_at,
            ends_at=ends_at,
            place_en_gb=place,
            place_cy=" ".join((place_cy or "").split()),
        )


def surgery_remove(*, actor, surgery: Surgery) -> None:
    """Take a surgery off the councillor's page (cancelled, or entered by mistake)."""
    require(actor, MANAGE_COUNCILLORS)
    with transaction.atomic(), _audited_as(actor):
        surgery.delete()


# Reminders ------------------------------------------------------------------------------


def reminders_send_due(*, now: datetime | None = None) -> int:
    """Email every reminder due `now` (by default, now) that has not gone yet; returns how
    many went. The worker runs it every few minutes (the manifest's housekeeping).

    Each reminder is recorded in the transaction that sends it: a second run, or a second
    worker at the same moment, finds the record (or waits for it, then finds it) and sends
    nothing; a run killed midway leaves the rest unsent and unrecorded, for the next run.
    """
    sent = 0
    for subscription, place, reminder in selectors.reminders_due(now or timezone.now()):
        try:
            with transaction.atomic():
                ReminderSent.objects.create(subscription=subscription, reminder=reminder)
                email_follower(
                    subscription,
                    subject=partial(_reminder_subject, place, reminder),
                    body=partial(_reminder_text, place, reminder),
                )
        except IntegrityError:
            continue  # Sent by another run meanwhile, or unsubscribed meanwhile.
        sent += 1
    return sent


def reminders_purge() -> int:
    """Forget the reminders of polling days that have passed, with the addresses given for
    them and what was sent (the worker runs it with `reminders_send_due`); returns how many
    subscriptions went."""
    today = timezone.localdate()

    def over(key: str) -> bool:
        poll_date = selectors.reminder_poll_date(key)
        return poll_date is None or poll_date < today

    return subscriptions_end(kind=selectors.REMINDERS, ended=over)


def _reminder_subject(place: selectors.ReminderPlace, reminder: str) -> str:
    if reminder == ReminderSent.Reminder.POLLING_DAY:
        return _("Today is polling day: where you vote")
    return _("Register to vote by %(day)s") % {
        "day": date_format(place.registration_deadline, "j F")
    }


def _reminder_text(place: selectors.ReminderPlace, reminder: str) -> str:
    """A reminder's email, in the current language, with the station as it is now."""
    url = settings.TOWNHALL_SITE_URL.rstrip("/") + place.url
    if reminder != ReminderSent.Reminder.POLLING_DAY:
        return _(
            "You asked us to remind you about the elections on %(poll_day)s at %(place)s.\n\n"
            "The deadline to register to vote is 11:59pm on %(deadline)s. If you have not "
            "registered at this address, register at https://www.gov.uk/register-to-vote "
            "(it takes about 5 minutes). If you have, you do not need to do anything.\n\n"
            "Where you vote: %(url)s"
        ) % {
            "poll_day": date_format(place.poll_date, "l j F Y"),
            "place": place.address or place.postcode,
            "deadline": date_format(place.registration_deadline, "l j F Y"),
            "url": url,
        }
    parts = [
        _("Today is polling day for %(elections)s. Polling stations are open from 7am to 10pm.")
        % {"elections": ", ".join(election.name for election in place.elections)}
    ]
    if place.station is not None:
        station = place.station.address.strip()
        if place.station.postcode:
            station += "\n" + place.station.postcode
        parts.append(_("You vote at:") + "\n" + station)
    if place.voter_id:
        parts.append(
            _(
                "You need to show photo ID to vote at a polling station, such as a passport, "
                "a driving licence or a Voter Authority Certificate."
            )
        )
    parts.append(_("Where you vote, with a map: %(url)s") % {"url": url})
    return "\n\n".join(str(part) for part in parts)
