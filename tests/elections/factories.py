"""Elections, ballots and candidates for tests, made through the services' identifiers."""

from datetime import date

import factory

from tests.core.factories import AreaFactory, PostcodeFactory, UserFactory
from townhall.core.models import SiteSettings
from townhall.core.selectors.site import forget_site_settings
from townhall.elections.models import (
    Ballot,
    Candidate,
    Election,
    PollingAddress,
    PollingStation,
)

POLL_DATE = date(2027, 5, 6)


def OfficerFactory(**fields):
    """A member of staff holding the elections officer role."""
    return UserFactory(roles=("elections_officer",), is_staff=True, **fields)


def wards(*names: str) -> list:
    """Core wards with these names (Riverside and Castle unless told)."""
    return [AreaFactory(name=name) for name in names or ("Riverside", "Castle")]


class ElectionFactory(factory.django.DjangoModelFactory):
    """Northbridge's 2027 local election in England, with no ballots until given some."""

    class Meta:
        model = Election

    identifier = "local.northbridge.2027-05-06"
    organisation = "northbridge"
    name = "Northbridge local elections 2027"
    poll_date = POLL_DATE
    notice_of_election = date(2027, 3, 26)
    registration_deadline = date(2027, 4, 19)
    postal_vote_deadline = date(2027, 4, 20)
    proxy_vote_deadline = date(2027, 4, 27)
    voting_system = "FPTP"
    voter_id = "EA-2022"


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot

    election = factory.SubFactory(ElectionFactory)
    ward_code = factory.Sequence(lambda n: f"E05{n:06d}")
    ward_name = factory.Sequence(lambda n: f"Ward {n}")
    identifier = factory.LazyAttribute(
        lambda ballot: f"local.northbridge.{ballot.ward_name.lower().replace(' ', '-')}.2027-05-06"
    )


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    ballot = factory.SubFactory(BallotFactory)
    name = factory.Sequence(lambda n: f"Candidate {n}")
    party = "Green Party"
    statement = "I will keep the library open."


class PollingStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollingStation

    council_id = factory.Sequence(str)
    address = factory.Sequence(lambda n: f"Hall number {n}\nChurch Lane\nNorthbridge")
    postcode = "NB1 1AB"
    longitude = -1.55
    latitude = 53.05


class PollingAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PollingAddress

    uprn = factory.Sequence(lambda n: str(990000000001 + n))
    address = factory.Sequence(lambda n: f"{n + 1} Abbey Street, Northbridge")
    postcode = "NB1 1AA"
    station = factory.SubFactory(PollingStationFactory)


def riverside_ward():
    """The Riverside ward with NB1 1AA, NB1 2AB and NB1 3AD; SW1A 1AA is in London."""
    SiteSettings.objects.update(local_authority_code="E07999999", contact_phone="01632 960 000")
    forget_site_settings()
    ward = AreaFactory(name="Riverside")
    for postcode in ("NB1 1AA", "NB1 2AB", "NB1 3AD"):
        PostcodeFactory(postcode=postcode, ward_code=ward.code)
    PostcodeFactory(postcode="SW1A 1AA", local_authority_code="E09000033")
    return ward


def riverside_stations():
    """NB1 1AA votes at the hall; NB1 2AB is split between the hall and the school."""
    hall = PollingStationFactory(address="St Peter's Hall\nChurch Lane", accessibility="Step-free")
    school = PollingStationFactory(address="Riverside School\nMill Road")
    PollingAddressFactory(postcode="NB1 1AA", station=hall)
    PollingAddressFactory(postcode="NB1 1AA", station=hall)
    PollingAddressFactory(postcode="NB1 2AB", station=hall, address="1 Mill Road")
    PollingAddressFactory(postcode="NB1 2AB", station=school, address="2 Mill Road", uprn="77")
    return hall, school


def contested_ballot(ward_code: str = "E05000001", seats: int = 1, **fields):
    """A past ballot in a ward with three candidates: Ann Jones (Green Party), Bob Smith
    (Labour Party) and Cy Evans (independent)."""
    election = ElectionFactory(
        identifier="local.northbridge.2023-05-04",
        name="Northbridge local elections 2023",
        name_cy="Etholiadau lleol Northbridge 2023",
        poll_date=date(2023, 5, 4),
    )
    ballot = BallotFactory(
        election=election,
        ward_code=ward_code,
        ward_name="Riverside",
        ward_name_cy="Glan yr Afon",
        identifier="local.northbridge.riverside.2023-05-04",
        seats_contested=seats,
        **fields,
    )
    CandidateFactory(ballot=ballot, name="Ann Jones", party="Green Party")
    CandidateFactory(ballot=ballot, name="Bob Smith", party="Labour Party")
    CandidateFactory(ballot=ballot, name="Cy Evans", party="")
    return ballot


def votes_for(ballot, **by_first_name) -> dict[int, int]:
    """{candidate pk: votes} from votes given by first name (ann=900, bob=400, cy=100)."""
    return {c.pk: by_first_name[c.name.split()[0].lower()] for c in ballot.candidates.all()}
