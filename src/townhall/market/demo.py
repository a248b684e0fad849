"""Northbridge's market engagement: six challenges (one on missed bin collections, citing
the waste and recycling data), 40 suppliers, a pipeline of 15 procurements, contracts
awarded in some of them, questions with published answers, and the demo supplier's
organisation. Deterministic: every id and date comes from the context."""

import uuid
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.urls import reverse

from townhall.core.demo import DEMO_EMAIL_DOMAIN
from townhall.core.demo.pdf import one_page_pdf
from townhall.opendata import selectors as opendata_selectors
from townhall.opendata import services as opendata

from .manifest import PROCUREMENT_OFFICER
from .models import (
    CAPABILITIES,
    Challenge,
    Contract,
    EngagementEvent,
    EvaluationCriterion,
    EventRegistration,
    ExpressionOfInterest,
    InterestDeclaration,
    ModeratedScore,
    Notice,
    Procurement,
    Question,
    Score,
    Supplier,
)
from .ocds import market_engagement_notice, planned_procurement_notice
from .selectors import CITED_BY_APP, pipeline_notice_procurements

CAPABILITY_CODES = [code for code, _label in CAPABILITIES]
CAPABILITY_CODES = [code for code, _label in CAPABILITIES]
DEMO_SUPPLIER_EMAIL = f"demo.supplier@{DEMO_EMAIL_DOMAIN}"

# (title, Welsh title, service area, problem, affected, outcomes, capabilities, budget in
# pounds (low, high), days from now the responses close (negative: closed), datasets)
CHALLENGES = (
    (
        "Reducing missed bin collections",
        "Lleihau casgliadau biniau a gollwyd",
        "Environment and Waste",
        "About one collection in 400 is missed, and each missed bin costs a call, a return "
        "visit and a resident's trust. Most misses cluster on a few rounds and streets.",
        "Every household on a collection round, and most of all people who cannot take "
        "their bin back in themselves.",
        "Fewer missed collections; residents told before a crew cannot reach their street; "
        "crews routed around known blockages.",
        ["waste", "data", "digital"],
        (50_000, 150_000),
        30,
        ("household-recycling-rates", "spending-over-500", "population-by-ward"),
    ),
    (
        "Finding empty homes sooner",
        "Dod o hyd i gartrefi gwag yn gynt",
        "Housing",
        "Homes stand empty for months before anyone notices, while families wait.",
        "Families on the housing register and neighbours of empty properties.",
        "Empty homes found within weeks, and owners offered help to bring them back.",
        ["data", "buildings"],
        (20_000, 60_000),
        45,
        ("population-by-ward",),
    ),
    (
        "Booking a library room online",
        "Archebu ystafell llyfrgell ar-lein",
        "Libraries",
        "Community groups phone each library to book a room, and rooms stand empty.",
        "Community groups, tutors and residents who use library rooms.",
        "Rooms booked and paid for online, in English and Welsh, in a few minutes.",
        ["digital"],
        (10_000, 40_000),
        20,
        ("libraries", "library-visits"),
    ),
    (
        "Safer routes to school",
        "Llwybrau mwy diogel i'r ysgol",
        "Highways",
        "Parents drive short journeys to school because walking routes feel unsafe.",
        "Children, parents and people living near schools.",
        "More children walking and cycling; fewer cars at the school gate.",
        ["highways", "data"],
        (30_000, 90_000),
        60,
        ("air-quality-no2",),
    ),
    (
        "Warmer council buildings for less",
        "Adeiladau cyngor cynhesach am lai",
        "Property",
        "Old council buildings are costly to heat and often too cold or too hot.",
        "Staff and visitors to council buildings, and every taxpayer.",
        "Lower energy use and bills, with buildings at a comfortable temperature.",
        ["buildings"],
        (100_000, 400_000),
        -20,
        (),
    ),
    (
        "Helping people online at home",
        "Helpu pobl ar-lein gartref",
        "Communities",
        "Some residents cannot use online services without help, and help is far away.",
        "Older residents, disabled people and households without broadband.",
        "Help close to home, and more residents confident to go online.",
        ["community", "consultancy"],
        (15_000, 45_000),
        -60,
        ("population-by-ward",),
    ),
)

WORDS_A = ("North", "Bridge", "Kestrel", "Harbour", "Oak", "Meadow", "Iron", "Valley",
           "Bright", "Civic", "Open", "River", "Stone", "Clear", "Swift")  # fmt: skip
WORDS_B = ("Analytics", "Digital", "Services", "Consulting", "Works", "Solutions", "Energy",
           "Care", "Transport", "Community Trust")  # fmt: skip
SUFFIXES = ("Ltd", "Ltd", "LLP", "CIC", "Ltd")
PREFIXES = ("", "", "", "SC", "NI", "OC")

PROCUREMENTS = (
    ("Waste collection route optimisation", "Environment and Waste", "competitive_flexible"),
    ("Bin sensor pilot", "Environment and Waste", "below_threshold"),
    ("Housing case management system", "Housing", "open"),
    ("Empty homes survey", "Housing", "below_threshold"),
    ("Library room booking service", "Libraries", "framework"),
    ("School streets traffic counts", "Highways", "below_threshold"),
    ("Highway resurfacing 2027 to 2029", "Highways", "open"),
    ("Civic centre heating replacement", "Property", "open"),
    ("Building energy audits", "Property", "framework"),
    ("Digital inclusion outreach", "Communities", "competitive_flexible"),
    ("Website content design support", "Digital", "framework"),
    ("Data platform hosting", "Digital", "direct_award"),
    ("Grounds maintenance", "Parks", "open"),
    ("Fleet telematics", "Environment and Waste", "competitive_flexible"),
    ("Advice services grant programme", "Communities", "open"),
)


def _uuid(context) -> uuid.UUID:
    return uuid.UUID(int=context.random.getrandbits(128), version=4)


def build_market(context) -> None:
    """Rebuild the market demo from nothing: suppliers, challenges, questions, responses,
    the pipeline and contracts."""
    for challenge in Challenge.objects.all():
        opendata.evidence_uncite(cited_by_app=CITED_BY_APP, cited_by_key=str(challenge.public_id))
    Notice.objects.all().delete()
    for model in (
        ModeratedScore,
        Score,
        InterestDeclaration,
        EvaluationCriterion,
        EventRegistration,
        EngagementEvent,
    ):
        model.objects.all().delete()
    Contract.objects.all().delete()
    Procurement.objects.all().delete()
    Question.objects.all().delete()
    ExpressionOfInterest.objects.all().delete()
    Challenge.objects.all().delete()
    Supplier.objects.all().delete()
    suppliers = _suppliers(context)
    challenges = _challenges(context)
    _questions_and_responses(context, challenges, suppliers)
    procurements = _pipeline(context, challenges, suppliers)
    _notices(context, challenges, procurements)
    _events(context, challenges, suppliers)
    _evaluation(context, challenges)


def _suppliers(context) -> list[Supplier]:
    wards = [ward.code for ward in context.wards()]
    suppliers = []
    names = set()
    while len(suppliers) < 40:
        name = f"{context.pick(WORDS_A)} {context.pick(WORDS_B)} {context.pick(SUFFIXES)}"
        if name in names:
            continue
        names.add(name)
        prefix = context.pick(PREFIXES)
        digits = 6 if prefix else 8
        number = prefix + f"{context.random.randrange(10**digits):0{digits}d}"
        voluntary = name.endswith(("CIC", "Trust Ltd"))
        suppliers.append(
            Supplier(
                public_id=_uuid(context),
                name=name,
                company_number=number,
                sme=context.random.random() < 0.7,
                voluntary_sector=voluntary,
                capabilities=sorted(
                    context.random.sample(CAPABILITY_CODES, k=context.random.randint(1, 3))
                ),
                areas_served=sorted(context.random.sample(wards, k=min(3, len(wards)))),
                contact_name="",
                contact_email="",
            )
        )
    Supplier.objects.bulk_create(suppliers)
    return suppliers


def _challenges(context) -> list[Challenge]:
    made = []
    for number, row in enumerate(CHALLENGES):
        (title, title_cy, area, problem, affected, outcomes, capabilities, budget, days,
         datasets) = row  # fmt: skip
        found = (opendata_selectors.dataset_by_id_or_name(slug) for slug in datasets)
        closes = context.now + timedelta(days=days)
        published = context.now - timedelta(days=30 - number)
        challenge = Challenge.objects.create(
            public_id=_uuid(context),
            slug=title.lower().replace(" ", "-"),
            title_en_gb=title,
            title_cy=title_cy,
            service_area_en_gb=area,
            problem_en_gb=problem,
            affected_en_gb=affected,
            outcomes_en_gb=outcomes,
            constraints_en_gb="Must work with the council's existing systems and meet WCAG 2.2 AA.",
            timeline_en_gb="Market engagement now; a procurement may follow within six months.",
            market_questions_en_gb="What would you need from us to try this within three months?",
            capabilities=capabilities,
            dataset_ids=[str(dataset.pk) for dataset in found if dataset is not None],
            budget_min_pence=budget[0] * 100,
            budget_max_pence=budget[1] * 100,
            questions_deadline=closes - timedelta(days=7),
            response_deadline=closes,
            status=Challenge.Status.CLOSED if days < 0 else Challenge.Status.PUBLISHED,
            published_at=published,
        )
        Challenge.objects.filter(pk=challenge.pk).update(updated_at=published)
        challenge.updated_at = published
        for dataset_id in challenge.dataset_ids:
            opendata.evidence_cite(
                dataset_id=dataset_id,
                cited_by_app=CITED_BY_APP,
                cited_by_key=str(challenge.public_id),
                cited_by_title=title,
                cited_by_url=reverse("market:challenge_detail", args=[challenge.slug]),
            )
        made.append(challenge)
    return made


def _questions_and_responses(context, challenges, suppliers) -> None:
    bins = challenges[0]
    asked = (
        (
            "Can you share the missed collection reports by round and day?",
            "Can suppliers see missed collection reports by round and day?",
            "Yes: the reports by round and day for the past two years will be shared with "
            "every supplier who responds, under a data sharing agreement.",
        ),
        (
            "Our sensors need power at the bin store. Is that available?",
            "Is power available at communal bin stores?",
            "Not at most stores. Proposals should not rely on mains power.",
        ),
        ("Would you consider a pilot in one ward first?", "", ""),
    )
    for number, (text, published, answer) in enumerate(asked):
        Question.objects.create(
            public_id=_uuid(context),
            challenge=bins,
            supplier=suppliers[number],
            text=text,
            published_question_en_gb=published,
            answer_en_gb=answer,
            published_at=(context.now - timedelta(days=5 - number)) if answer else None,
        )
    for challenge in challenges:
        for supplier in context.random.sample(suppliers, k=4):
            ExpressionOfInterest.objects.create(
                public_id=_uuid(context),
                challenge=challenge,
                supplier=supplier,
                summary=f"{supplier.name} would start with a short discovery, then a pilot.",
            )


def _pipeline(context, challenges, suppliers) -> list[Procurement]:
    today = context.now.date()
    procurements = []
    for number, (title, area, route) in enumerate(PROCUREMENTS):
        awarded = number % 4 == 3
        starts = today + timedelta(days=60 + 20 * number)
        procurement = Procurement.objects.create(
            public_id=_uuid(context),
            title_en_gb=title,
            description_en_gb=f"{title}, for the {area.lower()} service.",
            service_area_en_gb=area,
            estimated_value_pence=context.random.randrange(8_000, 900_000) * 100
            + (UK1_UPLIFT_PENCE if number == UK1_NUMBER else 0),
            route=route,
            status=Procurement.Status.AWARDED
            if awarded
            else (Procurement.Status.TENDERING if number % 5 == 0 else Procurement.Status.PLANNED),
            tender_publication_on=starts - timedelta(days=90),
            contract_start_on=starts,
            contract_end_on=starts + timedelta(days=365 * 2),
            challenge=challenges[0]
            if number < 2
            else (challenges[1] if number == ENGAGED_WITHOUT_UK2 else None),
        )
        procurements.append(procurement)
        if awarded:
            supplier = context.pick(suppliers)
            Contract.objects.create(
                public_id=_uuid(context),
                procurement=procurement,
                supplier=supplier,
                title_en_gb=title,
                value_pence=procurement.estimated_value_pence,
                awarded_on=today - timedelta(days=10 * number),
                start_on=starts,
                end_on=starts + timedelta(days=365 * 2),
                competed=route != "direct_award",
            )
    return procurements


def link_demo_supplier(context) -> None:
    """Give the demo supplier account (made by core's last steps, when demo accounts are
    on) its organisation, so that signing in as it shows a supplier's pages."""
    person: Any = get_user_model().objects.filter(email=DEMO_SUPPLIER_EMAIL).first()
    if person is None:
        return
    Supplier.objects.filter(account=person).update(account=None)
    Supplier.objects.update_or_create(
        company_number="09876543",
        defaults={
            "public_id": _uuid(context),
            "account": person,
            "name": "Reed Route Analytics Ltd",
            "sme": True,
            "capabilities": ["data", "digital", "waste"],
            "contact_name": person.display_name,
            "contact_email": person.email,
        },
    )


# Procurement Act 2023 notices ------------------------------------------------------------------

#: The planned procurement over £2 million the UK1 pipeline notice lists, and gets a UK3.
UK1_NUMBER = 2
UK1_UPLIFT_PENCE = 2_400_000 * 100
#: The planned procurement following "Finding empty homes sooner", whose engagement had no
#: UK2 notice: flagged on its pipeline entry and in Manage.
ENGAGED_WITHOUT_UK2 = 6


def _notices(context, challenges, procurements) -> None:
    """A UK1 pipeline notice, a UK2 for the bins challenge and a UK3 for one procurement,
    each stored as its release, as the services publish them."""
    when = context.now
    pipeline_url = reverse("market:pipeline")
    for procurement in pipeline_notice_procurements(today=when.date()):
        _notice(
            Notice.Kind.UK1,
            when,
            planned_procurement_notice(procurement, kind="UK1", when=when, url=pipeline_url),
            procurement=procurement,
        )
    chosen = procurements[UK1_NUMBER]
    _notice(
        Notice.Kind.UK3,
        when,
        planned_procurement_notice(
            chosen, kind="UK3", when=when, url=f"{pipeline_url}#procurement-{chosen.public_id}"
        ),
        procurement=chosen,
    )
    bins = challenges[0]
    purpose = (
        "To learn what suppliers could do about missed bin collections before we decide "
        "whether and what to buy."
    )
    participation = (
        "Read the challenge and its data, ask clarification questions, and send a short "
        "expression of interest before the deadline."
    )
    start, end = when.date() - timedelta(days=7), bins.response_deadline.date()
    _notice(
        Notice.Kind.UK2,
        when,
        market_engagement_notice(
            bins,
            when=when,
            url=reverse("market:challenge_detail", args=[bins.slug]),
            purpose=purpose,
            participation=participation,
            start_on=start,
            end_on=end,
        ),
        challenge=bins,
        purpose_en_gb=purpose,
        purpose_cy=(
            "Dysgu beth allai cyflenwyr ei wneud am gasgliadau biniau a gollwyd cyn i ni "
            "benderfynu a ddylem brynu, a beth."
        ),
        participation_en_gb=participation,
        participation_cy=(
            "Darllenwch yr her a'i data, gofynnwch gwestiynau eglurhau, ac anfonwch "
            "fynegiant o ddiddordeb byr cyn y dyddiad cau."
        ),
        engagement_start_on=start,
        engagement_end_on=end,
    )


def _notice(kind: str, when, release: dict[str, Any], **fields: Any) -> None:
    Notice(
        kind=kind,
        ocid=release["ocid"],
        release_id=release["id"],
        release=release,
        published_at=when,
        **fields,
    ).save()


# Supplier days and evaluation ----------------------------------------------------------------

ATTENDEES = ("Ana Lopes", "Ben Carter", "Cerys Morgan", "Dev Patel", "Elin Hughes", "Femi Ade")


def _events(context, challenges, suppliers) -> None:
    """A supplier day on missed bins, held ten days ago, its attendance recorded and its
    slides and notes published; and a webinar to come, full, with one organisation waiting."""
    bins = challenges[0]
    held_at = context.now - timedelta(days=10)
    day = EngagementEvent.objects.create(
        public_id=_uuid(context),
        challenge=bins,
        kind=EngagementEvent.Kind.SUPPLIER_DAY,
        title_en_gb="Missed bins supplier day",
        title_cy="Diwrnod cyflenwyr biniau a fethwyd",
        description_en_gb="Meet the collection crews and the data team, walk a round's "
        "route on the map and ask questions before responding.",
        description_cy="Cwrdd â’r criwiau casglu a’r tîm data, dilyn llwybr rownd ar y map "
        "a gofyn cwestiynau cyn ymateb.",
        venue_en_gb="Council Chamber, Northbridge Town Hall, Market Square",
        venue_cy="Siambr y Cyngor, Neuadd y Dref Northbridge, Sgwâr y Farchnad",
        starts_at=held_at,
        ends_at=held_at + timedelta(hours=3),
        registration_deadline=held_at - timedelta(days=2),
        capacity=30,
        attendees_per_supplier=2,
        published_at=held_at - timedelta(days=21),
        notes_en_gb="Twelve people from six organisations came. The crews showed where "
        "misses cluster (narrow streets on rounds 4 and 11, parked cars on collection "
        "mornings). Questions asked on the day are answered on the challenge's page.",
        notes_cy="Daeth deuddeg o bobl o chwe sefydliad. Dangosodd y criwiau ble mae "
        "casgliadau’n cael eu methu (strydoedd cul ar rowndiau 4 ac 11, ceir wedi’u parcio "
        "ar foreau casglu). Mae’r cwestiynau a ofynnwyd ar y diwrnod wedi’u hateb ar dudalen "
        "yr her.",
        materials_published_at=held_at + timedelta(days=2),
    )
    day.slides.save(
        "missed-bins-supplier-day.pdf",
        ContentFile(one_page_pdf("Missed bins supplier day")),
        save=True,
    )
    for number, supplier in enumerate(suppliers[:6]):
        EventRegistration.objects.create(
            event=day,
            supplier=supplier,
            attendee_names=[ATTENDEES[number], ATTENDEES[(number + 1) % len(ATTENDEES)]],
            status=EventRegistration.Status.CONFIRMED,
            attended=number != 5,
            registered_at=held_at - timedelta(days=14 - number),
        )
    starts = context.now + timedelta(days=14)
    webinar = EngagementEvent.objects.create(
        public_id=_uuid(context),
        challenge=bins,
        kind=EngagementEvent.Kind.WEBINAR,
        title_en_gb="Missed bins: the data, explained",
        title_cy="Biniau a fethwyd: esbonio’r data",
        description_en_gb="An hour online with the data team on the missed collection "
        "reports and how to use them in a response.",
        description_cy="Awr ar-lein gyda’r tîm data ar yr adroddiadau casgliadau a fethwyd a "
        "sut i’w defnyddio mewn ymateb.",
        online_url="https://meet.northbridge.example.org/missed-bins-data",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        registration_deadline=starts - timedelta(days=1),
        capacity=4,
        attendees_per_supplier=2,
        published_at=context.now - timedelta(days=3),
    )
    for number, supplier in enumerate(suppliers[6:9]):
        EventRegistration.objects.create(
            event=webinar,
            supplier=supplier,
            attendee_names=[ATTENDEES[number], ATTENDEES[number + 3]],
            status=EventRegistration.Status.CONFIRMED
            if number < 2
            else EventRegistration.Status.WAITING,
            registered_at=context.now - timedelta(days=2, hours=number),
        )


def _scorer(email: str, name: str) -> Any:
    user, created = get_user_model().objects.get_or_create(
        email=f"{email}@{DEMO_EMAIL_DOMAIN}", defaults={"display_name": name, "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=PROCUREMENT_OFFICER))
    return user


#: (criterion, Welsh, weight, what scorers look for)
CRITERIA = (
    ("Understanding of the problem", "Dealltwriaeth o’r broblem", 40, "Uses the data offered"),
    ("Approach and pilot plan", "Dull a chynllun peilot", 40, "A pilot within three months"),
    ("Social value", "Gwerth cymdeithasol", 20, "Local jobs, training or volunteering"),
)


def _evaluation(context, challenges) -> None:
    """The closed challenge's responses scored by two officers, differences moderated; a
    third officer declared a conflict and did not score."""
    challenge = next(c for c in challenges if c.status == Challenge.Status.CLOSED)
    criteria = [
        EvaluationCriterion.objects.create(
            challenge=challenge,
            title_en_gb=title,
            title_cy=title_cy,
            description_en_gb=look_for,
            weight=weight,
            position=position,
        )
        for position, (title, title_cy, weight, look_for) in enumerate(CRITERIA)
    ]
    first = _scorer("procurement.scorer.one", "Nia Rowlands (procurement)")
    second = _scorer("procurement.scorer.two", "Sam Okafor (procurement)")
    conflicted = _scorer("procurement.scorer.three", "Lee Grant (procurement)")
    declared = challenge.response_deadline + timedelta(days=1)
    for scorer in (first, second):
        InterestDeclaration.objects.create(
            challenge=challenge, scorer=scorer, conflict=False, declared_at=declared
        )
    InterestDeclaration.objects.create(
        challenge=challenge,
        scorer=conflicted,
        conflict=True,
        details="A close relative works for one of the responding suppliers.",
        declared_at=declared,
    )
    for response in challenge.responses.order_by("id"):
        marks = {}
        for scorer in (first, second):
            for criterion in criteria:
                score = context.random.randint(2, 5)
                marks.setdefault(criterion, []).append(score)
                Score.objects.create(
                    response=response,
                    criterion=criterion,
                    scorer=scorer,
                    score=score,
                    comment="Evidence of this in the proposal" if score > 3 else "Partly shown",
                    scored_at=declared + timedelta(hours=2),
                )
        for criterion, (one, two) in marks.items():
            if one != two:
                ModeratedScore.objects.create(
                    response=response,
                    criterion=criterion,
                    score=min(one, two) + (abs(one - two) // 2),
                    reason="Agreed at the moderation meeting, weighing both scorers' notes.",
                    moderator=first,
                    moderated_at=declared + timedelta(days=2),
                )
