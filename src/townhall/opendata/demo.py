"""Northbridge's open data: fifteen datasets from its departments, loaded into the DataStore.

Built through the catalogue's services, as the council's demo data publisher, so the demo
exercises the same code a real publisher does. Running it again replaces its datasets.
Three years of spending over £500 (a few thousand rows small, 150,000 large), wards as
GeoJSON from core's geography, places with postcodes and coordinates, planning, recycling
and air quality, and the Transparency Code set, with senior salaries deliberately overdue.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from townhall.core import roles
from townhall.core.demo.pdf import one_page_pdf
from townhall.core.selectors import geography

from . import selectors, services
from .models import Dataset
from .transparency import demo_rows

DEMO_PUBLISHER_EMAIL = "data.publisher@example.org"

DEPARTMENTS = {
    "finance": ("Finance", "Budgets, payments, council tax and the council's accounts."),
    "environment": ("Environment and Waste", "Bins, recycling, parks and air quality."),
    "planning": ("Planning and Regeneration", "Planning applications and local plans."),
    "culture": ("Libraries and Culture", "Libraries, museums and community venues."),
    "highways": ("Highways and Transport", "Roads, parking and transport."),
    "policy": ("Policy and Performance", "Wards, population and the council's performance."),
    "people": ("People and Organisational Development", "Staff, pay and the organisation."),
}
# The departments' and themes' names and descriptions in Welsh.
DEPARTMENTS_CY = {
    "finance": ("Cyllid", "Cyllidebau, taliadau, y dreth gyngor a chyfrifon y cyngor."),
    "environment": ("Yr Amgylchedd a Gwastraff", "Biniau, ailgylchu, parciau ac ansawdd aer."),
    "planning": ("Cynllunio ac Adfywio", "Ceisiadau cynllunio a chynlluniau lleol."),
    "culture": (
        "Llyfrgelloedd a Diwylliant",
        "Llyfrgelloedd, amgueddfeydd a lleoliadau cymunedol.",
    ),
    "highways": ("Priffyrdd a Thrafnidiaeth", "Ffyrdd, parcio a thrafnidiaeth."),
    "policy": ("Polisi a Pherfformiad", "Wardiau, poblogaeth a pherfformiad y cyngor."),
    "people": ("Pobl a Datblygu Sefydliadol", "Staff, cyflogau a'r sefydliad."),
}
THEMES_CY = {
    "finance": "Gwariant a chyllid",
    "environment": "Yr amgylchedd",
    "planning": "Cynllunio a thai",
    "transport": "Trafnidiaeth",
    "community": "Cymuned a diwylliant",
    "geography": "Daearyddiaeth a ffiniau",
    "council": "Y cyngor a democratiaeth",
}
THEMES = {
    "finance": "Spending and finance",
    "environment": "Environment",
    "planning": "Planning and housing",
    "transport": "Transport",
    "community": "Community and culture",
    "geography": "Geography and boundaries",
    "council": "Council and democracy",
}
SUPPLIERS = (
    "Northbridge Highways Ltd", "Riverside Care Partnership", "Greenway Grounds Maintenance",
    "Castle Print and Design", "Northbridge Community Trust", "Harbour IT Services",
    "Millfield Waste Solutions", "Abbey Construction Group", "Kestrel Facilities Management",
    "Ridgeway Legal LLP", "Brightwater Energy", "Oakfield Home Care", "Redacted personal data",
    "Meridian Fleet Services", "Canal Street Catering", "Summit Software UK",
)  # fmt: skip
SPEND_LINES = (
    ("Highways and Transport", "Construction", "Road resurfacing", "Contractors"),
    ("Adult Social Care", "Social care", "Residential care placement", "Private contractors"),
    ("Environment and Waste", "Waste management", "Waste collection contract", "Contractors"),
    ("Parks and Leisure", "Facilities", "Grounds maintenance", "Grounds maintenance"),
    ("Finance", "ICT", "Software licences", "Computer software"),
    ("Corporate Services", "Professional services", "Legal advice", "Professional fees"),
    ("Housing", "Housing", "Temporary accommodation", "Rents"),
    ("Libraries and Culture", "Goods", "Book stock", "Books and publications"),
    ("Corporate Services", "Energy", "Electricity for council buildings", "Electricity"),
    ("Environment and Waste", "Vehicles", "Refuse vehicle maintenance", "Vehicle repairs"),
)  # fmt: skip
LIBRARIES = (
    "Northbridge Central Library", "Abbey Library", "Castle Hill Library", "Riverside Library",
    "Millfield Library", "Old Town Community Library",
)  # fmt: skip
CAR_PARKS = (
    ("Market Street", 320, "2.40"), ("Station Road", 540, "3.10"), ("Castle Walk", 180, "1.80"),
    ("Riverside Leisure Centre", 260, "0.00"), ("Abbey Gardens", 95, "1.50"),
    ("Civic Centre", 410, "2.80"), ("Millfield Retail Park", 700, "0.00"), ("Old Town", 120, "1.20"),
)  # fmt: skip
PLANNING_KINDS = (
    "Single storey rear extension", "Loft conversion with rear dormer", "Change of use to a café",
    "Erection of 12 dwellings", "Replacement shopfront and signage", "Two storey side extension",
    "Felling of one oak tree (TPO)", "Installation of solar panels", "New vehicle access",
)  # fmt: skip
DECISIONS = ("Granted", "Granted with conditions", "Refused", "Withdrawn", "Pending")
# The spending table's data dictionary: its amounts are money, so they show as £1,250.00.
SPEND_COLUMNS = {
    "Net amount": {
        "unit": "£",
        "description": "The amount paid, excluding VAT the council can recover. Credit notes are negative.",
        "description_cy": "Y swm a dalwyd, heb gynnwys TAW y gall y cyngor ei hadennill. Mae nodiadau credyd yn negyddol.",
    },
    "Irrecoverable VAT": {
        "unit": "£",
        "title": "VAT the council cannot recover",
        "title_cy": "TAW na all y cyngor ei hadennill",
    },
    "CIPFA expenditure code": {
        "description": "The kind of spending, in CIPFA's Service Reporting Code of Practice terms.",
        "description_cy": "Y math o wariant, yn nhermau Cod Ymarfer Adrodd ar Wasanaethau CIPFA.",
    },
}  # fmt: skip


@dataclass
class DemoDataset:
    """One demo dataset: its details and the files it carries (filename, bytes)."""

    slug: str
    title: str
    department: str
    themes: tuple[str, ...]
    description: str
    keywords: tuple[str, ...] = ()
    frequency: str = Dataset.Frequency.ANNUAL
    transparency_code: str = ""
    temporal: tuple[date | None, date | None] = (None, None)
    updated_days_ago: int = 20
    files: list[tuple[str, bytes]] = field(default_factory=list)
    title_cy: str = ""
    description_cy: str = ""
    columns: dict[str, dict[str, str]] = field(default_factory=dict)


def build(context) -> None:
    """The demo step: replace Northbridge's demo datasets with freshly built ones."""
    publisher = _demo_publisher()
    _remove_previous(publisher)
    organisations = {
        slug: services.organisation_ensure(
            slug=slug,
            title=title,
            description=text,
            title_cy=DEPARTMENTS_CY[slug][0],
            description_cy=DEPARTMENTS_CY[slug][1],
        )
        for slug, (title, text) in DEPARTMENTS.items()
    }
    themes = {
        slug: services.theme_ensure(slug=slug, title=title, title_cy=THEMES_CY[slug])
        for slug, title in THEMES.items()
    }
    for spec in _datasets(context):
        _publish(context, publisher, spec, organisations, themes)
    services.platform_datasets_sync()


def _demo_publisher():
    user, _created = get_user_model().objects.get_or_create(
        email=DEMO_PUBLISHER_EMAIL,
        defaults={"display_name": "Dafydd Hughes (data publisher)", "is_staff": True},
    )
    if _created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get(name=roles.DATA_PUBLISHER))
    return user


def _remove_previous(publisher) -> None:
    for dataset in Dataset.objects.filter(created_by=publisher):
        services.dataset_delete(actor=publisher, dataset=dataset)


def _publish(context, publisher, spec: DemoDataset, organisations, themes) -> None:
    dataset = services.dataset_create(
        actor=publisher,
        title=spec.title,
        title_cy=spec.title_cy,
        slug=spec.slug,
        publisher=organisations[spec.department],
        description=spec.description,
        description_cy=spec.description_cy,
        themes=[themes[slug] for slug in spec.themes],
        keywords=spec.keywords,
        update_frequency=spec.frequency,
        temporal_start=spec.temporal[0],
        temporal_end=spec.temporal[1],
        spatial_coverage="Northbridge Borough",
        contact_name="Northbridge Data Team",
        contact_email="opendata@northbridge.example.org",
        transparency_code=spec.transparency_code,
    )
    for filename, content in spec.files:
        version = services.resource_upload(
            actor=publisher,
            dataset=dataset,
            content=io.BytesIO(content),
            filename=filename,
            name=spec.title,
            name_cy=spec.title_cy,
            ingest="now",
        )
        if spec.columns:
            resource = version.resource
            resource.refresh_from_db()  # loading the table has marked it active since
            services.resource_describe_columns(
                actor=publisher,
                resource=resource,
                columns=[column["id"] for column in selectors.table_columns(resource, publisher)],
                entries=spec.columns,
            )
    services.dataset_publish(actor=publisher, dataset=dataset)
    # The demo's dates come from its fixed clock, not from when it was built.
    updated = context.now - timedelta(days=spec.updated_days_ago)
    Dataset.objects.filter(pk=dataset.pk).update(
        published_at=updated - timedelta(days=400), last_updated=updated
    )


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _dict_csv(rows: list[dict[str, str]]) -> bytes:
    return _csv(list(rows[0]), [list(row.values()) for row in rows])


def _datasets(context) -> list[DemoDataset]:
    today = context.now.date()
    return [
        _spending(context, today),
        _transparency(context, "procurement-card-transactions", "Procurement card transactions",
                      "finance", Dataset.Frequency.QUARTERLY, 60, date(2026, 9, 30)),
        _transparency(context, "contracts-over-5000", "Contracts over £5,000", "finance",
                      Dataset.Frequency.QUARTERLY, 40, date(2026, 9, 30)),
        _transparency(context, "grants-to-vcse", "Grants to voluntary and community organisations",
                      "finance", Dataset.Frequency.ANNUAL, 30, date(2026, 3, 31)),
        _transparency(context, "land-and-building-assets", "Land and building assets", "finance",
                      Dataset.Frequency.ANNUAL, 50, date(2026, 3, 31)),
        # Deliberately overdue: the latest senior salaries cover 2023 to 2024.
        _transparency(context, "senior-salaries", "Senior salaries", "people",
                      Dataset.Frequency.ANNUAL, 12, date(2024, 3, 31), updated_days_ago=560),
        _wards(),
        _libraries(context),
        _library_visits(context, today),
        _car_parks(context),
        _planning(context, today),
        _recycling(context),
        _air_quality(context, today),
        _population(context),
        _budget_pdf(),
    ]  # fmt: skip


def _spending(context, today: date) -> DemoDataset:
    """Three years of payments over £500 with the LGA's column names, in date order."""
    count = context.scale(small=3000, large=150_000)
    start = date(2023, 10, 1)
    end = date(2026, 9, 30)
    span = (end - start).days
    rng = context.random
    days = sorted(rng.randint(0, span) for _n in range(count))
    rows = []
    for day in days:
        department, category, purpose, cipfa = rng.choice(SPEND_LINES)
        net = Decimal(rng.randint(50_000, 2_500_000)) / 100
        if rng.random() < 0.02:
            net = -net  # a credit note
        vat = (
            Decimal(0)
            if rng.random() < 0.9
            else (abs(net) * Decimal("0.2")).quantize(Decimal("0.01"))
        )
        rows.append([
            (start + timedelta(days=day)).isoformat(), rng.choice(SUPPLIERS), f"{net:.2f}",
            f"{vat:.2f}" if vat else "", department, category, purpose, cipfa,
        ])  # fmt: skip
    header = [
        "Transaction date", "Supplier", "Net amount", "Irrecoverable VAT", "Department/service",
        "Procurement category", "Purpose narrative", "CIPFA expenditure code",
    ]  # fmt: skip
    return DemoDataset(
        slug="spending-over-500",
        title="Spending over £500",
        title_cy="Gwariant dros £500",
        description_cy=(
            "Pob taliad o fwy na £500 a wnaeth y cyngor, o fis Hydref 2023 i fis Medi 2026, fel "
            "y mae Cod Tryloywder Llywodraeth Leol 2015 yn ei ofyn.\n\n"
            "Dangosir taliadau i unigolion fel *Redacted personal data*. Symiau negyddol yw "
            "nodiadau credyd."
        ),
        department="finance",
        themes=("finance",),
        description=(
            "Every payment of more than £500 the council made, from October 2023 to September "
            "2026, as the Local Government Transparency Code 2015 requires.\n\n"
            "Payments to individuals are shown as *Redacted personal data*. Credit notes are "
            "negative amounts."
        ),
        keywords=("spending", "payments", "transparency", "suppliers"),
        frequency=Dataset.Frequency.QUARTERLY,
        transparency_code="spend-over-500",
        temporal=(start, end),
        updated_days_ago=25,
        files=[("spending-over-500-2023-2026.csv", _csv(header, rows))],
        columns=SPEND_COLUMNS,
    )


def _transparency(context, code, title, department, frequency, count, end, updated_days_ago=25):
    return DemoDataset(
        slug=code,
        title=title,
        department=department,
        themes=("finance", "council"),
        description=f"{title}, published under the Local Government Transparency Code 2015.",
        keywords=("transparency",),
        frequency=frequency,
        transparency_code=code,
        temporal=(None, end),
        updated_days_ago=updated_days_ago,
        files=[(f"{code}.csv", _dict_csv(demo_rows(code, context, count)))],
    )


def _wards() -> DemoDataset:
    features = [
        {
            "type": "Feature",
            "geometry": ward.geometry,
            "properties": {"name": ward.name, "code": ward.code, "name_cy": ward.name_cy},
        }
        for ward in geography.wards()
    ]
    document = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return DemoDataset(
        slug="ward-boundaries",
        title="Ward boundaries",
        department="policy",
        themes=("geography", "council"),
        description="The boundaries of Northbridge's electoral wards, as GeoJSON (WGS84).",
        keywords=("wards", "boundaries", "geography"),
        frequency=Dataset.Frequency.IRREGULAR,
        files=[("ward-boundaries.geojson", document)],
    )


def _place(context):
    postcode = context.random_postcode()
    return postcode.postcode, f"{postcode.latitude:.5f}", f"{postcode.longitude:.5f}"


def _libraries(context) -> DemoDataset:
    rows = []
    for name in LIBRARIES:
        postcode, latitude, longitude = _place(context)
        hours = context.pick(
            ("Mon to Sat 9am to 5pm", "Tue to Sat 10am to 4pm", "Mon to Fri 9am to 7pm")
        )
        rows.append([name, postcode, latitude, longitude, hours, context.pick(("Yes", "No"))])
    return DemoDataset(
        slug="libraries",
        title="Libraries",
        title_cy="Llyfrgelloedd",
        description_cy="Ble mae llyfrgelloedd Northbridge, pryd maen nhw ar agor ac a oes cyfrifiaduron cyhoeddus ynddynt.",
        department="culture",
        themes=("community",),
        description="Where Northbridge's libraries are, when they open and whether they have public computers.",
        keywords=("libraries", "digital inclusion"),
        files=[("libraries.csv", _csv(["Name", "Postcode", "Latitude", "Longitude", "Opening hours", "Public computers"], rows))],
    )  # fmt: skip


def _library_visits(context, today: date) -> DemoDataset:
    rows = []
    month = date(today.year - 3, today.month, 1)
    while month < today.replace(day=1):
        for number, name in enumerate(LIBRARIES):
            visits = (6 - number) * 900 + context.random.randint(-300, 300)
            rows.append([month.isoformat(), name, visits, int(visits * 0.6)])
        month = (month + timedelta(days=32)).replace(day=1)
    return DemoDataset(
        slug="library-visits",
        title="Library visits and loans by branch",
        title_cy="Ymweliadau a benthyciadau ym mhob llyfrgell",
        description_cy="Ymweliadau a benthyciadau ym mhob llyfrgell, fis wrth fis, am dair blynedd.",
        department="culture",
        themes=("community",),
        description="Visits and loans at each library, month by month, for three years.",
        keywords=("libraries",),
        frequency=Dataset.Frequency.MONTHLY,
        updated_days_ago=8,
        files=[("library-visits.csv", _csv(["Month", "Library", "Visits", "Loans"], rows))],
    )


def _car_parks(context) -> DemoDataset:
    rows = []
    for name, spaces, tariff in CAR_PARKS:
        postcode, latitude, longitude = _place(context)
        rows.append(
            [
                f"{name} car park",
                postcode,
                latitude,
                longitude,
                spaces,
                max(2, spaces // 25),
                tariff,
            ]
        )
    return DemoDataset(
        slug="car-parks",
        title="Council car parks",
        title_cy="Meysydd parcio'r cyngor",
        description_cy="Meysydd parcio'r cyngor: ble maen nhw, faint o leoedd sydd ynddynt a'r tâl am awr.",
        department="highways",
        themes=("transport",),
        description="The council's car parks: where they are, how many spaces and the charge for an hour.",
        keywords=("parking", "car parks"),
        files=[("car-parks.csv", _csv(["Name", "Postcode", "Latitude", "Longitude", "Spaces", "Disabled spaces", "Charge per hour"], rows))],
    )  # fmt: skip


def _planning(context, today: date) -> DemoDataset:
    rows = []
    for number in range(context.scale(small=300, large=5000)):
        received = today - timedelta(days=context.random.randint(1, 3 * 365))
        decision = context.pick(DECISIONS)
        decided = (
            ""
            if decision == "Pending"
            else (received + timedelta(days=context.random.randint(20, 90))).isoformat()
        )
        address = context.random_address()
        rows.append([
            f"NB/{received.year}/{number + 1:05d}", received.isoformat(), address.address,
            address.postcode, context.pick(PLANNING_KINDS), decision, decided,
        ])  # fmt: skip
    return DemoDataset(
        slug="planning-applications",
        title="Planning applications",
        department="planning",
        themes=("planning",),
        description="Planning applications received in the last three years and what was decided.",
        keywords=("planning", "development"),
        frequency=Dataset.Frequency.WEEKLY,
        updated_days_ago=3,
        files=[("planning-applications.csv", _csv(["Reference", "Received", "Address", "Postcode", "Proposal", "Decision", "Decision date"], rows))],
    )  # fmt: skip


def _recycling(context) -> DemoDataset:
    rate = Decimal("31.0")
    rows = []
    for year in range(2014, 2026):
        rate += Decimal(context.random.randint(-8, 25)) / 10
        rows.append(
            [
                f"{year}/{(year + 1) % 100:02d}",
                f"{rate:.1f}",
                context.random.randint(58_000, 64_000),
            ]
        )
    return DemoDataset(
        slug="household-recycling-rates",
        title="Household recycling rates",
        title_cy="Cyfraddau ailgylchu gwastraff y cartref",
        description_cy="Cyfran y gwastraff cartref a anfonwyd i'w ailddefnyddio, ei ailgylchu neu ei gompostio, fesul blwyddyn ariannol.",
        department="environment",
        themes=("environment",),
        description="The share of household waste sent for reuse, recycling or composting, by financial year.",
        keywords=("recycling", "waste"),
        temporal=(date(2014, 4, 1), date(2026, 3, 31)),
        files=[("recycling-rates.csv", _csv(["Year", "Recycling rate (%)", "Households"], rows))],
    )  # fmt: skip


def _air_quality(context, today: date) -> DemoDataset:
    sites = (
        ("Market Street roadside", 38),
        ("Riverside background", 19),
        ("Station Road kerbside", 44),
    )
    rows = []
    month = date(today.year - 3, today.month, 1)
    while month < today.replace(day=1):
        for site, level in sites:
            seasonal = 4 if month.month in (11, 12, 1, 2) else 0
            rows.append([month.isoformat(), site, level + seasonal + context.random.randint(-5, 5)])
        month = (month + timedelta(days=32)).replace(day=1)
    return DemoDataset(
        slug="air-quality-no2",
        title="Air quality: nitrogen dioxide",
        department="environment",
        themes=("environment",),
        description="Monthly mean nitrogen dioxide (NO₂, µg/m³) at the council's diffusion tubes.",
        keywords=("air quality", "pollution"),
        frequency=Dataset.Frequency.MONTHLY,
        updated_days_ago=10,
        files=[("no2-monthly.csv", _csv(["Month", "Site", "NO2 (µg/m³)"], rows))],
    )  # fmt: skip


def _population(context) -> DemoDataset:
    rows = [
        [ward.code, ward.name, context.random.randint(7_000, 14_000)] for ward in geography.wards()
    ]
    return DemoDataset(
        slug="population-by-ward",
        title="Population by ward",
        department="policy",
        themes=("geography", "council"),
        description="Estimated resident population of each ward, mid-2025.",
        keywords=("population", "wards", "census"),
        files=[("population-by-ward.csv", _csv(["Ward code", "Ward", "Population"], rows))],
    )  # fmt: skip


def _budget_pdf() -> DemoDataset:
    return DemoDataset(
        slug="budget-book-2026-27",
        title="Budget book 2026 to 2027",
        department="finance",
        themes=("finance", "council"),
        description="The council's budget for 2026 to 2027, as approved by Full Council.",
        keywords=("budget",),
        frequency=Dataset.Frequency.ANNUAL,
        files=[
            (
                "budget-book-2026-27.pdf",
                one_page_pdf("Northbridge Borough Council budget 2026 to 2027"),
            )
        ],
    )
