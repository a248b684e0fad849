"""Every write to elections: checks permission, runs in one transaction, reaches the audit log.

Identifiers are made by `uk_election_ids.IdBuilder` and checked by its `validate`; the
voting system and the voter ID rule come from its metadata for the identifier and nation,
so no one types them and they cannot disagree with Democracy Club's (ADR 0080).
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from uk_election_ids.election_ids import IdBuilder, validate
from uk_election_ids.metadata_tools import IDRequirementsMatcher, VotingSystemMatcher

from townhall.core.permissions import require
from townhall.core.selectors import geography

from . import selectors
from .models import Ballot, Candidate, Election

MANAGE = "elections.manage_elections"


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
            name=name,
            name_cy=name_cy,
            poll_date=poll_date,
            notice_of_election=notice_of_election,
            registration_deadline=registration_deadline,
            postal_vote_deadline=postal_vote_deadline,
            proxy_vote_deadline=proxy_vote_deadline,
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
