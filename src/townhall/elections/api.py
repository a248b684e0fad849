"""/api/v1/elections: where to vote and what is on the ballot, shaped like Democracy Club's
developer API (`/postcode/{postcode}/` and `/address/{uprn}/`), so that a widget made for
theirs, such as WhereDoIVote's, can be pointed at the council's own data."""

from itertools import groupby

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.decorators import decorate_view

from townhall.core.api_errors import ApiError, responses
from townhall.core.response_cache import public_answer
from townhall.core.services.geography import PostcodeError

from . import selectors
from .models import Ballot, PollingStation

router = Router(tags=["elections"])

VOTING_SYSTEMS = {
    "FPTP": ("First-past-the-post", False),
    "STV": ("Single Transferable Vote", False),
    "AMS": ("Additional Member System", True),
    "sv": ("Supplementary Vote", False),
    "PR-CL": ("Closed List", True),
}


class AddressOut(Schema):
    address: str
    postcode: str
    slug: str
    url: str


class PartyOut(Schema):
    party_id: str | None
    party_name: str


class PersonOut(Schema):
    name: str


class CandidateOut(Schema):
    list_position: int | None
    party: PartyOut
    person: PersonOut
    statement: str


class VotingSystemOut(Schema):
    slug: str
    name: str
    uses_party_lists: bool


class BallotOut(Schema):
    ballot_paper_id: str
    ballot_title: str
    poll_open_date: str
    elected_role: str
    election_id: str
    election_name: str
    post_name: str
    cancelled: bool
    seats_contested: int
    voting_system: VotingSystemOut
    requires_voter_id: str | None
    candidates_verified: bool
    candidates: list[CandidateOut]


class PollingStationOut(Schema):
    polling_station_known: bool
    custom_finder: str | None
    report_problem_url: str | None
    station: dict | None


class DateOut(Schema):
    date: str
    polling_station: PollingStationOut
    notifications: list[dict]
    ballots: list[BallotOut]


class ElectoralServicesOut(Schema):
    council_id: str
    name: str
    email: str
    phone: str
    website: str
    postcode: str
    address: str


class LookupOut(Schema):
    address_picker: bool
    addresses: list[AddressOut]
    dates: list[DateOut]
    electoral_services: ElectoralServicesOut
    postcode_location: dict | None


def _point(longitude: float, latitude: float) -> dict:
    return {"type": "Point", "coordinates": [longitude, latitude]}


def _station(station: PollingStation) -> dict:
    return {
        "id": station.council_id,
        "type": "Feature",
        "geometry": _point(station.longitude, station.latitude),
        "properties": {
            "postcode": station.postcode,
            "address": station.address,
            "accessibility": station.accessibility,
        },
    }


def _ballot(ballot: Ballot) -> dict:
    election = ballot.election
    name, lists = VOTING_SYSTEMS.get(election.voting_system, (election.voting_system, False))
    return {
        "ballot_paper_id": ballot.identifier,
        "ballot_title": f"{election.name}: {ballot.ward_name}",
        "poll_open_date": election.poll_date.isoformat(),
        "elected_role": "Local Councillor",
        "election_id": election.identifier,
        "election_name": election.name,
        "post_name": ballot.ward_name,
        "cancelled": False,
        "seats_contested": ballot.seats_contested,
        "voting_system": {"slug": election.voting_system, "name": name, "uses_party_lists": lists},
        "requires_voter_id": election.voter_id or None,
        "candidates_verified": bool(ballot.candidates.all()),
        "candidates": [
            {
                "list_position": None,
                "party": {"party_id": None, "party_name": c.party or "Independent"},
                "person": {"name": c.name},
                "statement": c.statement,
            }
            for c in ballot.candidates.all()
        ],
    }


def _lookup(request, found: selectors.WhereToVote) -> dict:
    station = found.station
    dates = [
        {
            "date": day.isoformat(),
            "polling_station": {
                "polling_station_known": station is not None,
                "custom_finder": None,
                "report_problem_url": None,
                "station": _station(station) if station else None,
            },
            "notifications": [],
            "ballots": [_ballot(ballot) for ballot in ballots],
        }
        for day, ballots in groupby(found.ballots, key=lambda b: b.election.poll_date)
    ]
    located = found.latitude is not None and found.longitude is not None
    return {
        "address_picker": found.split,
        "addresses": [
            {
                "address": address.address,
                "postcode": address.postcode,
                "slug": address.uprn,
                "url": request.build_absolute_uri(
                    reverse("api-v1:elections_address", args=[address.uprn])
                ),
            }
            for address in found.addresses
        ]
        if found.split
        else [],
        "dates": [] if found.split else dates,
        "electoral_services": {
            **selectors.electoral_services(),
            "website": request.build_absolute_uri("/"),
        },
        "postcode_location": {
            "type": "Feature",
            "properties": None,
            "geometry": _point(found.longitude, found.latitude),
        }
        if located
        else None,
    }


@router.get(
    "/postcode/{postcode}/",
    response=responses(LookupOut, 404),
    summary="Where the voters at a postcode vote, and their ballots",
    url_name="elections_postcode",
)
@decorate_view(public_answer(generation=selectors.lookup_generation))
def postcode(request, postcode: str):
    """`address_picker` is true when the postcode's voters do not all vote at one
    station: pick one of `addresses` and ask its `url`. Errors: 400 malformed_postcode;
    404 unknown_postcode, terminated_postcode, postcode_outside_council."""
    try:
        found = selectors.where_to_vote(postcode)
    except PostcodeError as error:
        raise ApiError(
            error.status, error.code, str(error.message), {"postcode": postcode}
        ) from None
    return _lookup(request, found)


@router.get(
    "/address/{uprn}/",
    response=responses(LookupOut, 404),
    summary="Where the voters at one address (by UPRN) vote, and their ballots",
    url_name="elections_address",
)
@decorate_view(public_answer(generation=selectors.lookup_generation))
def address(request, uprn: str):
    """Errors: 404 unknown_address."""
    found = selectors.where_to_vote_at(uprn)
    if found is None:
        raise ApiError(404, "unknown_address", _("No address has that UPRN."), {"uprn": uprn})
    return _lookup(request, found)
