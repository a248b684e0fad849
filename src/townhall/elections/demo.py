"""Elections' part of the Northbridge demo: the 2023 and 2027 local elections with a ballot
per ward and candidates, the 2023 results in every ward (so each ward has a councillor,
with contact details and a surgery), and a polling station per ward with every demo
address assigned.

NB1 1AA (the town hall's postcode) votes at one station; NB1 2AB, which core's demo always
makes, is split between its ward's station and a second one, so the finder's address
picker can be tried.
"""

from datetime import date, timedelta

from shapely.geometry import shape

from townhall.core.demo.northbridge import SPLIT_POSTCODE

from .models import (
    Candidate,
    Councillor,
    Election,
    PollingAddress,
    PollingDistrict,
    PollingStation,
    Surgery,
)
from .selectors import lookups_changed
from .services import _declare, _election_with_ballots

ORGANISATION = "northbridge"
# Candidates' names come from lists of their own: a candidate's name is public, and must
# not match a demo resident's, whose erasure the personal data tests check leaves no trace.
CANDIDATE_FIRST_NAMES = (
    "Alys", "Bernard", "Carys", "Declan", "Efa", "Fergus", "Gwen", "Hamish", "Imogen",
    "Jonah", "Keira", "Lowri", "Marcus", "Nia", "Owain", "Petra", "Rosa", "Stefan", "Tegan",
)  # fmt: skip
CANDIDATE_LAST_NAMES = (
    "Ashworth", "Bellamy", "Caddick", "Dunmore", "Fairclough", "Gethin", "Holloway",
    "Iredale", "Jessop", "Kemble", "Lockwood", "Marwood", "Nuttall", "Oakes", "Pennington",
    "Quayle", "Rowntree", "Sexton", "Thwaite", "Varley",
)  # fmt: skip
POLL_DATES = (date(2023, 5, 4), date(2027, 5, 6))
DECLARED = date(2023, 5, 4)
PARTIES = (
    "Conservative and Unionist Party",
    "Green Party",
    "Labour Party",
    "Liberal Democrats",
    "",  # an independent candidate
)
STATEMENTS = (
    (
        "I will keep our library and bus routes running.",
        "Byddaf yn cadw ein llyfrgell a'n llwybrau bws i fynd.",
    ),
    (
        "Safer streets and cleaner parks for every family.",
        "Strydoedd mwy diogel a pharciau glanach i bob teulu.",
    ),
    (
        "Affordable homes for the young people who grew up here.",
        "Cartrefi fforddiadwy i'r bobl ifanc a dyfodd i fyny yma.",
    ),
)
VENUES = ("Community Centre", "Primary School", "Methodist Church Hall", "Scout Hut")
VENUES_CY = {
    "Community Centre": "Canolfan Gymunedol",
    "Primary School": "Ysgol Gynradd",
    "Methodist Church Hall": "Neuadd Capel y Methodistiaid",
    "Scout Hut": "Caban y Sgowtiaid",
}
ACCESSIBILITY = (
    "Step-free entrance from the car park. A hearing loop and a tactile voting device are at the desk.",
    "Mae mynedfa heb risiau o'r maes parcio. Mae dolen sain a dyfais bleidleisio gyffyrddol wrth y ddesg.",
)


def build_elections(context) -> None:
    """Replace the demo's elections, councillors, stations, districts and polling addresses."""
    Election.objects.filter(organisation=ORGANISATION).delete()
    Councillor.objects.all().delete()
    PollingAddress.objects.all().delete()
    PollingStation.objects.all().delete()
    PollingDistrict.objects.all().delete()
    for poll_date in POLL_DATES:
        election = _election_with_ballots(
            organisation=ORGANISATION,
            nation=Election.Nation.ENGLAND,
            poll_date=poll_date,
            name=f"Northbridge local elections {poll_date.year}",
            name_cy=f"Etholiadau lleol Northbridge {poll_date.year}",
            notice_of_election=poll_date - timedelta(days=41),
            registration_deadline=poll_date - timedelta(days=17),
            postal_vote_deadline=poll_date - timedelta(days=16),
            proxy_vote_deadline=poll_date - timedelta(days=9),
        )
        Candidate.objects.bulk_create(
            candidate
            for ballot in election.ballots.all()
            for candidate in _candidates(context, ballot)
        )
        if poll_date == DECLARED:
            for ballot in election.ballots.all():
                _result(context, ballot)
    _councillors(context)
    _stations(context)
    lookups_changed()


def _result(context, ballot) -> None:
    """A plausible count: a turnout of 25% to 45%, under 1% rejected, votes shared by
    random weights with no tie."""
    electorate = context.random.randint(4000, 9000)
    issued = round(electorate * context.random.uniform(0.25, 0.45))
    rejected = context.random.randint(5, issued // 100)
    candidates = list(ballot.candidates.all())
    valid = issued - rejected
    votes = [0] * len(candidates)
    while len(set(votes)) < len(votes):
        weights = [context.random.uniform(1, 10) for _candidate in candidates]
        votes = [int(valid * weight / sum(weights)) for weight in weights]
    _declare(
        ballot=ballot,
        electorate=electorate,
        ballot_papers_issued=issued,
        rejected_ballots=rejected,
        votes={candidate.pk: count for candidate, count in zip(candidates, votes, strict=True)},
    )


def _councillors(context) -> None:
    """Council contact details for each councillor the results made, and a monthly
    surgery for the year after the demo's day, so some are always to come."""
    surgeries = []
    for councillor in Councillor.objects.all():
        local = councillor.name.lower().replace(" ", ".")
        councillor.email = f"cllr.{local}@northbridge.example"
        councillor.phone = f"01632 960 {context.random.randint(100, 999)}"
        councillor.save(update_fields=["email", "phone"])
        venue = context.pick(VENUES)
        day = context.random.randint(1, 27)
        for month in range(1, 13):
            starts = context.days_ago(-30 * month).replace(
                day=day, hour=18, minute=30, second=0, microsecond=0
            )
            surgeries.append(
                Surgery(
                    councillor=councillor,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=1, minutes=30),
                    place_en_gb=f"{councillor.ward_name} {venue}",
                    place_cy=f"{VENUES_CY[venue]} {councillor.ward_name}",
                )
            )
    Surgery.objects.bulk_create(surgeries)


def _candidates(context, ballot) -> list[Candidate]:
    parties = context.random.sample(PARTIES, context.random.randint(3, len(PARTIES)))
    candidates = []
    for party in parties:
        statement, statement_cy = context.pick(STATEMENTS)
        candidates.append(
            Candidate(
                ballot=ballot,
                name=f"{context.pick(CANDIDATE_FIRST_NAMES)} {context.pick(CANDIDATE_LAST_NAMES)}",
                party=party,
                statement_en_gb=statement,
                statement_cy=statement_cy,
            )
        )
    return candidates


def _station(context, council_id: str, name: str, point) -> PollingStation:
    return PollingStation(
        council_id=council_id,
        address=f"{name}\n{context.pick(('Church Lane', 'Mill Road', 'High Street', 'Park Avenue'))}\nNorthbridge",
        postcode=context.random_postcode().postcode,
        longitude=round(point.x, 6),
        latitude=round(point.y, 6),
        accessibility_en_gb=ACCESSIBILITY[0],
        accessibility_cy=ACCESSIBILITY[1],
    )


def _stations(context) -> None:
    wards = context.wards()
    stations = {
        ward.code: _station(
            context,
            f"S{number:02d}",
            f"{ward.name} {context.pick(VENUES)}",
            shape(ward.geometry).representative_point(),
        )
        for number, ward in enumerate(wards, start=1)
    }
    ward_of = {postcode.postcode: postcode.ward_code for postcode in context.postcodes()}
    split_ward = ward_of[SPLIT_POSTCODE]
    split_point = shape(next(w for w in wards if w.code == split_ward).geometry).centroid
    second = _station(context, "S99", "St Peter's Church Hall", split_point)
    PollingStation.objects.bulk_create([*stations.values(), second])
    districts = {
        code: PollingDistrict.objects.create(code=f"{chr(ord('A') + number)}A")
        for number, code in enumerate(stations)
    }
    split_district = PollingDistrict.objects.create(code="AZ")
    split_addresses = [a for a in context.addresses() if a.postcode == SPLIT_POSTCODE]
    second_half = {a.uprn for a in split_addresses[len(split_addresses) // 2 :]}
    PollingAddress.objects.bulk_create(
        (
            PollingAddress(
                uprn=address.uprn,
                address=address.address,
                postcode=address.postcode,
                station=second
                if address.uprn in second_half
                else stations[ward_of[address.postcode]],
                district=split_district
                if address.uprn in second_half
                else districts[ward_of[address.postcode]],
            )
            for address in context.addresses()
            if ward_of.get(address.postcode) in stations
        ),
        batch_size=2000,
    )
