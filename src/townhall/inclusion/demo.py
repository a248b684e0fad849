"""The directory's part of the Northbridge demo: libraries, community centres, schools,
church halls, the job centre and the town hall in every ward, with the digital help each
gives (free Wi-Fi, computers, device loans, data SIMs, skills courses, one-to-one help),
realistic opening hours, Christmas and refurbishment closures, and Welsh for some.

The small demo has 72 services at 30 places (seed 2026). `--size large` adds generated
services spread over the wards' postcodes until there are at least 10,000, for the "help
near me" benchmark. Everything comes from the context's seeded generator: the same seed
gives the same directory, ids included.
"""

import uuid
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from townhall.core.demo import DEMO_EMAIL_DOMAIN

from . import taxonomy
from .models import (
    LOCAL_SOURCE,
    Accessibility,
    ChangeRequest,
    CostOption,
    Language,
    Location,
    Organization,
    Partnership,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .taxonomy import term_id

LARGE_SERVICES = 10_000
JITTER_DEGREES = 0.002
STREETS = (
    "High Street",
    "Church Lane",
    "Mill Road",
    "Station Road",
    "Park Avenue",
    "Bridge Street",
)


@dataclass(frozen=True)
class Kind:
    """A kind of help a kind of place gives: names, terms, hours and who it is for."""

    name: str
    name_cy: str
    description: str
    terms: tuple[str, ...]
    hours: tuple[tuple[str, time, time], ...]
    minimum_age: int | None = None
    cost: str = "Free"


ALL_WEEK = "MO,TU,WE,TH,FR"
LIBRARY_HOURS = ((ALL_WEEK, time(9), time(17)), ("SA", time(9, 30), time(13)))
PLACES = {
    "library": (
        "{ward} Library",
        "Llyfrgell {ward_cy}",
        (
            Kind("Free Wi-Fi at {place}", "Wi-Fi am ddim yn {place_cy}",
                 "Free Wi-Fi for anyone, all day. Ask at the desk for the password.",
                 ("free-wifi",), LIBRARY_HOURS),
            Kind("Public computers at {place}", "Cyfrifiaduron cyhoeddus yn {place_cy}",
                 "Book a computer for an hour, free. Printing costs 10p a page.",
                 ("public-computers",), LIBRARY_HOURS),
            Kind("Get online drop-in at {place}", "Sesiwn galw heibio mynd ar-lein yn {place_cy}",
                 "Bring your phone, tablet or laptop and a volunteer will help you use it.",
                 ("one-to-one", "skills-foundation", "skills-communicating"),
                 (("TU,TH", time(10), time(12)),)),
            Kind("Help with council services online at {place}", "",
                 "Apply for a bus pass, report a missed bin or pay council tax online, with help.",
                 ("council-services", "skills-transacting"), (("WE", time(14), time(16)),)),
        ),
    ),
    "community": (
        "{ward} Community Centre",
        "Canolfan Gymunedol {ward_cy}",
        (
            Kind("Digital champions at {place}", "",
                 "Friendly digital champions help you at your own pace, one to one.",
                 ("one-to-one", "skills-foundation", "skills-problem-solving"),
                 (("MO", time(13), time(15)), ("FR", time(10), time(12)))),
            Kind("Free data SIMs at {place}", "Cardiau SIM data am ddim yn {place_cy}",
                 "A free SIM with 20GB of data a month for six months, from the National "
                 "Databank, for people on a low income.",
                 ("data-sims",), (("MO,WE,FR", time(9), time(16)),)),
            Kind("Laptop and tablet loans at {place}", "",
                 "Borrow a laptop or tablet for up to three months, or keep a refurbished one "
                 "if you need it for work or study.",
                 ("device-loans",), (("TU", time(10), time(14)),)),
        ),
    ),
    "school": (
        "{ward} Primary School",
        "Ysgol Gynradd {ward_cy}",
        (
            Kind("Family computing class at {place}", "Dosbarth cyfrifiadura i'r teulu yn {place_cy}",
                 "Six-week evening course for parents and carers: searching, email, staying "
                 "safe online and your child's school apps.",
                 ("skills-handling-information", "skills-safe-legal", "skills-communicating"),
                 (("WE", time(18), time(20)),), minimum_age=16),
        ),
    ),
    "church": (
        "St {saint}'s Church Hall, {ward}",
        "",
        (
            Kind("Tech and tea club at {place}", "Clwb te a thechnoleg yn {place_cy}",
                 "Tea, cake and help with video calls, photos and spotting scams, for people "
                 "over 60.",
                 ("one-to-one", "skills-communicating", "skills-safe-legal"),
                 (("TH", time(14), time(16)),), minimum_age=60),
        ),
    ),
}  # fmt: skip
SAINTS = ("Mary", "John", "Peter", "Anne", "David", "Michael")
SPECIAL_PLACES = (
    (
        "Northbridge Jobcentre",
        "Canolfan Byd Gwaith Northbridge",
        "jobcentre",
        (
            Kind("Online job search help at {place}", "Help chwilio am swydd ar-lein yn {place_cy}",
                 "Help writing a CV, applying for jobs online and using your Universal Credit "
                 "journal.",
                 ("skills-transacting", "one-to-one"), ((ALL_WEEK, time(9), time(16, 30)),),
                 minimum_age=16),
        ),
    ),
    (
        "Northbridge Town Hall",
        "Neuadd y Dref Northbridge",
        "council",
        (
            Kind("Assisted digital desk at {place}", "Desg ddigidol â chymorth yn {place_cy}",
                 "Staff fill in council forms online with you or for you, and the computers "
                 "have screen readers, magnifiers and large keyboards.",
                 ("council-services", "assistive-technology", "public-computers",
                  "other-languages"),
                 ((ALL_WEEK, time(9), time(17)),)),
        ),
    ),
)  # fmt: skip
ORGANIZATIONS = {
    "library": ("Northbridge Libraries", "Llyfrgelloedd Northbridge",
                "The council's library service: books, computers, Wi-Fi and help."),
    "community": ("Northbridge Community Trust", "Ymddiriedolaeth Gymunedol Northbridge",
                  "A charity running the borough's community centres."),
    "school": ("Northbridge Schools Partnership", "",
               "The borough's primary schools, working together on family learning."),
    "church": ("Northbridge Churches Together", "",
               "Churches of every denomination, opening their halls to the community."),
    "jobcentre": ("Jobcentre Plus Northbridge", "",
                  "The Department for Work and Pensions' job centre for Northbridge."),
    "council": ("Northbridge Borough Council", "Cyngor Bwrdeistref Northbridge",
                "The council's customer services."),
}  # fmt: skip
ACCESS = (
    ("Step-free entrance", "Mynedfa heb risiau"),
    ("Hearing loop at the desk", "Dolen sain wrth y ddesg"),
    ("Accessible toilet", "Toiled hygyrch"),
    ("Large-print keyboards", ""),
)
BUSES = ("Bus 3 and 12 stop outside.", "Bus 7 stops on the corner, two minutes' walk.")
LANGUAGE_SETS = ((("en", "English"),), (("en", "English"), ("cy", "Welsh")),
                 (("en", "English"), ("pl", "Polish")), (("en", "English"), ("ur", "Urdu")))  # fmt: skip


class _Builder:
    def __init__(self, context) -> None:
        self.context = context
        self.rows: dict[type, list] = {
            model: []
            for model in (
                Organization, Location, Accessibility, Service, ServiceAtLocation, Schedule,
                CostOption, Language, Phone,
            )
        }  # fmt: skip
        self.terms: list = []
        self.slugs: set[str] = set()

    def id(self) -> uuid.UUID:
        return uuid.UUID(int=self.context.random.getrandbits(128), version=4)

    def add(self, model, **fields):
        row = model(id=self.id(), source=LOCAL_SOURCE, **fields)
        self.rows[model].append(row)
        return row

    def organization(self, kind: str) -> Organization:
        name, name_cy, description = ORGANIZATIONS[kind]
        return self.add(
            Organization,
            name_en_gb=name,
            name_cy=name_cy,
            description_en_gb=description,
            website=f"https://{kind}.northbridge.example/",
        )

    def location(self, organization, name, name_cy, postcode, ward_code) -> Location:
        rng = self.context.random
        location = self.add(
            Location,
            organization=organization,
            name_en_gb=name,
            name_cy=name_cy,
            address_1=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            city="Northbridge",
            postal_code=postcode.postcode,
            latitude=round(postcode.latitude + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 6),
            longitude=round(postcode.longitude + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES), 6),
            ward_code=ward_code,
            transportation_en_gb=rng.choice(BUSES),
        )
        for description, description_cy in rng.sample(ACCESS, rng.randint(1, 3)):
            self.add(
                Accessibility,
                location=location,
                description_en_gb=description,
                description_cy=description_cy,
            )
        return location

    def slug(self, name: str) -> str:
        base = slugify(name)[:100]
        slug, number = base, 1
        while slug in self.slugs:
            number += 1
            slug = f"{base}-{number}"
        self.slugs.add(slug)
        return slug

    def service(self, organization, location, kind: Kind, place_cy: str, welsh: bool) -> Service:
        rng = self.context.random
        name = kind.name.format(place=location.name_en_gb)
        service = self.add(
            Service,
            organization=organization,
            slug=self.slug(name),
            name_en_gb=name,
            name_cy=kind.name_cy.format(place_cy=place_cy) if welsh and kind.name_cy else "",
            description_en_gb=kind.description,
            state=Service.State.PUBLISHED,
            minimum_age=kind.minimum_age,
            last_confirmed=(self.context.now - timedelta(days=rng.randint(5, 200))).date(),
        )
        self.terms.extend(
            Service.terms.through(service_id=service.id, taxonomyterm_id=term_id(code))
            for code in kind.terms
        )
        place = self.add(ServiceAtLocation, service=service, location=location)
        for days, opens, closes in kind.hours:
            self.add(
                Schedule, service_at_location=place, byday=days, opens_at=opens, closes_at=closes
            )
        self.add(CostOption, service=service, option_en_gb=kind.cost, option_cy="Am ddim", amount=0)
        for code, language in rng.choice(LANGUAGE_SETS):
            self.add(Language, service=service, code=code, name_en_gb=language)
        self.add(Phone, service=service, number=f"01632 96{rng.randint(1000, 9999)}")
        return place

    def closures(self, places: list, year: int) -> None:
        """Christmas and New Year at every library and community centre; a refurbishment
        at one place."""
        for place in places:
            for first, last, text, text_cy in (
                (date(year, 12, 24), date(year, 12, 26), "Christmas", "Nadolig"),
                (date(year + 1, 1, 1), date(year + 1, 1, 1), "New Year's Day", "Dydd Calan"),
            ):
                self.add(
                    Schedule,
                    service_at_location=place,
                    kind=Schedule.Kind.CLOSED,
                    valid_from=first,
                    valid_to=last,
                    description_en_gb=text,
                    description_cy=text_cy,
                )
        refurbished = self.context.pick(places)
        start = self.context.now.date() + timedelta(days=10)
        self.add(
            Schedule,
            service_at_location=refurbished,
            kind=Schedule.Kind.CLOSED,
            valid_from=start,
            valid_to=start + timedelta(days=13),
            description_en_gb="Closed for refurbishment",
            description_cy="Ar gau i'w adnewyddu",
        )

    def save(self) -> None:
        for model, rows in self.rows.items():
            model.objects.bulk_create(rows, batch_size=2000)
        Service.terms.through.objects.bulk_create(self.terms, batch_size=2000)


def build_directory(context) -> None:
    """Replace the directory with Northbridge's. The taxonomy is loaded by a migration;
    it is loaded again here (idempotent) for a database emptied since, as tests do."""
    taxonomy.load(Taxonomy, TaxonomyTerm)
    Organization.objects.filter(source=LOCAL_SOURCE).delete()
    Location.objects.filter(source=LOCAL_SOURCE).delete()
    builder = _Builder(context)
    postcodes = context.postcodes()
    by_ward = {
        ward.code: [p for p in postcodes if p.ward_code == ward.code] for ward in context.wards()
    }
    organizations = {kind: builder.organization(kind) for kind in ORGANIZATIONS}
    closing = []
    for number, ward in enumerate(context.wards()):
        ward_postcodes = by_ward[ward.code] or postcodes
        kinds = ["community", "library" if number % 2 == 0 else "school"]
        if number % 3 == 0:
            kinds.append("church")
        for kind in kinds:
            name, name_cy, services = PLACES[kind]
            fields = {
                "ward": ward.name,
                "ward_cy": ward.name_cy or ward.name,
                "saint": SAINTS[number % len(SAINTS)],
            }
            welsh = bool(name_cy and ward.name_cy)
            place_name_cy = name_cy.format(**fields) if welsh else ""
            location = builder.location(
                organizations[kind],
                name.format(**fields),
                place_name_cy,
                context.pick(ward_postcodes),
                ward.code,
            )
            for service_kind in services:
                place = builder.service(
                    organizations[kind],
                    location,
                    service_kind,
                    place_name_cy or location.name_en_gb,
                    welsh,
                )
                if kind in ("library", "community"):
                    closing.append(place)
    for name, name_cy, kind, services in SPECIAL_PLACES:
        postcode = context.pick(postcodes)
        location = builder.location(
            organizations[kind], name, name_cy, postcode, postcode.ward_code
        )
        for service_kind in services:
            builder.service(organizations[kind], location, service_kind, name_cy, True)
    builder.closures(closing, context.now.year)
    if context.size == "large":
        _more(builder, context, postcodes, organizations)
    builder.save()


def _more(builder, context, postcodes, organizations) -> None:
    """Generated places and services until there are LARGE_SERVICES, for the benchmark."""
    kinds = [
        (kind, service)
        for kind in ("library", "community", "school", "church")
        for service in PLACES[kind][2]
    ]
    number = 0
    while len(builder.rows[Service]) < LARGE_SERVICES:
        number += 1
        postcode = context.pick(postcodes)
        kind, _service = context.pick(kinds)
        location = builder.location(
            organizations[kind],
            f"Northbridge help point {number}",
            "",
            postcode,
            postcode.ward_code,
        )
        for _each in range(3):
            kind, service = context.pick(kinds)
            builder.service(organizations[kind], location, service, location.name_en_gb, False)


#: The demo partner account (made by core's last steps, when demo accounts are on).
DEMO_PARTNER_EMAIL = f"demo.partner@{DEMO_EMAIL_DOMAIN}"
#: How many of the libraries' services the demo leaves unconfirmed for too long.
STALE_LIBRARY_SERVICES = 3


def link_demo_partner(context) -> None:
    """Let the demo partner keep Northbridge Libraries' entries, with some of them stale
    and one change to a library's opening hours waiting for the directory officer."""
    person = get_user_model().objects.filter(email=DEMO_PARTNER_EMAIL).first()
    library = Organization.objects.filter(
        source=LOCAL_SOURCE, name_en_gb=ORGANIZATIONS["library"][0]
    ).first()
    if person is None or library is None:
        return
    Partnership.objects.get_or_create(user=person, organization=library)
    services = list(library.services.order_by("slug"))
    long_ago = context.now.date() - timedelta(days=460)
    stale = [service.pk for service in services[1 : 1 + STALE_LIBRARY_SERVICES]]
    Service.objects.filter(pk__in=stale).update(last_confirmed=long_ago)
    changed = next((s for s in services if s.at_locations.exists()), None)
    if changed is None:
        return
    from .selectors import partners as selectors
    from .services.partners import proposal_from

    changed = selectors.with_details(Service.objects.filter(pk=changed.pk)).get()
    current = selectors.entry_details(changed)
    place = current["places"][0]
    hours = {**place["hours"], "SA": "10:00-13:00", "SU": ""}
    proposed = proposal_from(
        changed,
        description=current["description"],
        description_cy=current["description_cy"],
        eligibility=current["eligibility"],
        cost=current["cost"],
        amount=current["amount"],
        phone=current["phone"] or "01632 960100",
        email=current["email"],
        url=current["url"],
        hours={place["id"]: hours},
    )
    ChangeRequest.objects.filter(service__organization=library).delete()
    ChangeRequest.objects.create(
        service=changed,
        proposed=proposed,
        based_on=current,
        proposed_by=person,
        proposed_at=context.now - timedelta(days=2),
    )
