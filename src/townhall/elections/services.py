"""Every write to elections: checks permission, runs in one transaction, reaches the audit log.

Identifiers are made by `uk_election_ids.IdBuilder` and checked by its `validate`; the
voting system and the voter ID rule come from its metadata for the identifier and nation,
so no one types them and they cannot disagree with Democracy Club's (ADR 0080).
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from uk_election_ids.election_ids import IdBuilder, validate
from uk_election_ids.metadata_tools import IDRequirementsMatcher, VotingSystemMatcher

from townhall.core import audit
from townhall.core.permissions import require
from townhall.core.selectors import geography

from . import importers, selectors
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
    """What an import did: `problems` (file, row, message) when it stored nothing, else
    the numbers of stations, addresses and districts it stored."""

    problems: list[importers.Problem]
    stations: int = 0
    addresses: int = 0
    districts: int = 0

    @property
    def stored(self) -> bool:
        return not self.problems


def polling_data_import(
    *, actor, layout: str, addresses: bytes, stations: bytes | None = None
) -> PollingImportReport:
    """Replace every polling station, district and address with those of an EMS export.

    All or nothing: when any row has a problem (missing columns, a duplicate UPRN, a
    station without coordinates, ...) nothing is stored and the report lists every
    problem. A station keeps the accessibility details written for it before, found by
    the council's station reference. Raises ElectionInvalid for an unknown layout.
    """
    require(actor, IMPORT_STATIONS)
    if layout not in importers.LAYOUTS:
        raise ElectionInvalid(_("Choose the system the file comes from"), field="layout")
    found = importers.read(importers.LAYOUTS[layout], addresses, stations)
    if found.problems:
        return PollingImportReport(problems=found.problems)
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
        PollingDistrict.objects.all().delete()
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
        district_codes = sorted({address.district for address in found.addresses} - {""})
        districts = {
            district.code: district.pk
            for district in PollingDistrict.objects.bulk_create(
                [PollingDistrict(code=code) for code in district_codes]
            )
        }
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
        report = PollingImportReport(
            problems=[],
            stations=len(stations_made),
            addresses=len(found.addresses),
            districts=len(districts),
        )
        audit.record(
            actor=actor,
            operation="action",
            action="elections.polling_data_import",
            object_type="elections.pollingstation",
            object_label=str(importers.LAYOUTS[layout].label),
            before=before,
            after={"stations": report.stations, "addresses": report.addresses},
        )
        transaction.on_commit(selectors.lookups_changed)
    return report


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
