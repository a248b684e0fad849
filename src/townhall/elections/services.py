"""Every write to elections: checks permission, runs in one transaction, reaches the audit log.

Identifiers are made by `uk_election_ids.IdBuilder` and checked by its `validate`; the
voting system and the voter ID rule come from its metadata for the identifier and nation,
so no one types them and they cannot disagree with Democracy Club's (ADR 0080).
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from uk_election_ids.election_ids import IdBuilder, validate
from uk_election_ids.metadata_tools import IDRequirementsMatcher, VotingSystemMatcher

from townhall.core import audit
from townhall.core.permissions import require
from townhall.core.selectors import geography
from townhall.core.services.subscriptions import email_follower, subscriptions_end

from . import importers, selectors
from .models import (
    Ballot,
    Candidate,
    Election,
    PollingAddress,
    PollingDistrict,
    PollingStation,
    ReminderSent,
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
    return station


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
