"""Every write to elections: checks permission, runs in one transaction, reaches the audit log.

Identifiers are made by `uk_election_ids.IdBuilder` and checked by its `validate`; the
voting system and the voter ID rule come from its metadata for the identifier and nation,
so no one types them and they cannot disagree with Democracy Club's (ADR 0080).
"""

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from uk_election_ids.election_ids import IdBuilder, validate
from uk_election_ids.metadata_tools import IDRequirementsMatcher, VotingSystemMatcher

from townhall.core import audit
from townhall.core.permissions import require
from townhall.core.selectors import geography

from . import boundaries, importers, selectors
from .models import (
    Ballot,
    Candidate,
    Election,
    PollingAddress,
    PollingDistrict,
    PollingStation,
)

MANAGE = "elections.manage_elections"
IMPORT_STATIONS = "elections.import_polling_stations"


class ElectionsError(Exception):
    """A change that cannot be made. `code` is stable; `message` is for the person."""

    code = "elections_error"

    def __init__(self, message, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class ElectionInvalid(ElectionsError):
    code = "election_invalid"


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
    return station
