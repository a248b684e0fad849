"""Core's part of the demo: Northbridge's identity, wards, postcodes, addresses, residents.

Northbridge is fictional. Its codes are outside the ranges the ONS uses (E07999999 for
the council, E05999901 to E05999912 for the wards), its postcodes are in the "NB" area,
which does not exist, and its UPRNs start at 990000000001. The map puts it in the
English East Midlands countryside, where no town of that name stands.

Geometry is made in kilometres on a flat local grid and turned into longitude and
latitude at the end, rounded to six decimal places (about 10 cm), so the same seed
gives the same GeoJSON, byte for byte.
"""

import math
import uuid
from bisect import bisect
from collections.abc import Sequence
from random import Random

import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping, shape

from ..models import Address, Area, Postcode, SiteSettings
from ..selectors.site import forget_site_settings
from ..services.geography import areas_store

COUNCIL_CODE = "E07999999"
COUNCIL_NAME = "Northbridge Borough Council"
COUNCIL_NAME_CY = "Cyngor Bwrdeistref Northbridge"
TOWN = "Northbridge"

# (English name, Welsh name or "" where the English name is a proper name).
WARD_NAMES: tuple[tuple[str, str], ...] = (
    ("Castle", "Castell"),
    ("Market", "Y Farchnad"),
    ("Abbey", "Abaty"),
    ("Riverside", "Glan yr Afon"),
    ("Priory", "Priordy"),
    ("St Mary's", "Santes Fair"),
    ("Northgate", "Porth y Gogledd"),
    ("Hillside", "Ochr y Bryn"),
    ("Westfield", ""),
    ("Brookside", ""),
    ("Oakwood", ""),
    ("Moorend", ""),
)
WARD_CODES = [f"E05999{number:03d}" for number in range(901, 901 + len(WARD_NAMES))]

CENTRE_LONGITUDE, CENTRE_LATITUDE = -0.955, 52.765
KM_PER_DEGREE_LATITUDE = 110.574
KM_PER_DEGREE_LONGITUDE = 111.320 * math.cos(math.radians(CENTRE_LATITUDE))
COORDINATE_PLACES = 6
BOUNDARY_VERTICES = 36
BOUNDARY_RADII_KM = (7.5, 5.5)  # east-west, north-south
WARD_SPACING_KM = 2.4
RELAXATION_ROUNDS = 4
POSTCODE_EDGE_MARGIN_KM = 0.03
ADDRESS_JITTER_KM = 0.04

POSTCODE_AREA = "NB"
# Letters used for the last two characters of a UK postcode (never C, I, K, M, O or V).
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
TOWN_HALL_POSTCODE = "NB1 1AA"
# Elections' demo splits this postcode's addresses between two polling stations.
SPLIT_POSTCODE = "NB1 2AB"
FIRST_UPRN = 990_000_000_001

STREET_NAMES = (
    "Abbey", "Albert", "Alder", "Ash", "Beech", "Bridge", "Brook", "Castle", "Cedar",
    "Chapel", "Chestnut", "Church", "Clover", "Elm", "Fern", "Forge", "Hawthorn",
    "Heather", "Holly", "King's", "Larch", "Linden", "Maple", "Meadow", "Mill", "Moor",
    "Oak", "Orchard", "Park", "Priory", "Queen's", "Rowan", "School", "Spring", "Station",
    "Tanner's", "Victoria", "Weaver's", "Willow", "Windmill",
)  # fmt: skip
STREET_KINDS = (
    "Street", "Road", "Lane", "Avenue", "Close", "Drive", "Way", "Gardens", "Crescent",
    "Terrace", "Grove", "Place",
)  # fmt: skip

RESIDENT_GROUP = "resident"
# Django treats a password starting with "!" as unusable; a fixed one keeps the data the same.
UNUSABLE_PASSWORD = "!demo-resident-without-a-password"  # noqa: S105
RESIDENT_NAMESPACE = uuid.UUID("5b0d3a52-8f4e-4a39-9d0e-6f1c2a7b9e10")


# The council's identity ------------------------------------------------------------------


def build_site(context) -> None:
    """Give the one SiteSettings row Northbridge's name, colour and contact details."""
    row = SiteSettings.objects.order_by("pk").first() or SiteSettings()
    row.council_name = COUNCIL_NAME
    row.council_name_cy = COUNCIL_NAME_CY
    row.brand_colour = "#00625e"  # contrast 7.2 to 1 with white text
    row.phase = SiteSettings.Phase.BETA
    row.contact_email = "contact@northbridge.example.org"
    row.contact_phone = "01632 960 000"  # Ofcom's range for drama and fiction
    row.contact_address = f"Town Hall\nMarket Square\n{TOWN}\n{TOWN_HALL_POSTCODE}"
    row.local_authority_code = COUNCIL_CODE
    row.full_clean()
    row.save()
    forget_site_settings()


# Wards, postcodes and addresses --------------------------------------------------------


def build_geography(context) -> None:
    """Replace the demo's boundary, wards, postcodes and addresses with freshly made ones."""
    rng = context.random
    Address.objects.filter(postcode__startswith=POSTCODE_AREA).delete()
    Postcode.objects.filter(postcode__startswith=POSTCODE_AREA).delete()
    Area.objects.filter(code__in=[COUNCIL_CODE, *WARD_CODES]).delete()

    boundary = _boundary(rng)
    cells = _ward_cells(boundary, rng)
    council = _area(COUNCIL_CODE, TOWN, TOWN, Area.Kind.COUNCIL, boundary)
    wards = [
        _area(code, name, name_cy, Area.Kind.WARD, cell)
        for code, (name, name_cy), cell in zip(WARD_CODES, WARD_NAMES, cells, strict=True)
    ]
    areas_store([council, *wards])

    postcodes_per_ward = context.scale(small=50, large=500)
    postcodes = [
        postcode
        for number, ward in enumerate(wards, start=1)
        for postcode in _postcodes(ward, f"{POSTCODE_AREA}{number}", postcodes_per_ward, rng)
    ]
    Postcode.objects.bulk_create(postcodes, batch_size=2000)
    Address.objects.bulk_create(
        _addresses(postcodes, context.scale(small=2000, large=60000), rng), batch_size=2000
    )


def _boundary(rng: Random) -> Polygon:
    """An irregular, roughly oval outline in kilometres around the town centre (0, 0)."""
    wobble = [0.78 + 0.34 * rng.random() for _ in range(BOUNDARY_VERTICES)]
    # Each radius is averaged with its neighbours', so the outline bends rather than zigzags.
    smooth = [
        (wobble[i - 1] + 2 * wobble[i] + wobble[(i + 1) % BOUNDARY_VERTICES]) / 4
        for i in range(BOUNDARY_VERTICES)
    ]
    points = []
    for i, factor in enumerate(smooth):
        angle = 2 * math.pi * i / BOUNDARY_VERTICES
        points.append(
            (
                BOUNDARY_RADII_KM[0] * factor * math.cos(angle),
                BOUNDARY_RADII_KM[1] * factor * math.sin(angle),
            )
        )
    return _on_grid(Polygon(points))


def _ward_cells(boundary: Polygon, rng: Random) -> list[Polygon]:
    """Twelve wards tiling the boundary, nearest the centre first.

    Seeds are scattered at least WARD_SPACING_KM apart, evened out by a few rounds of
    Lloyd's relaxation, and turned into Voronoi cells clipped to the boundary.
    """
    seeds: list[tuple[float, float]] = []
    spacing = WARD_SPACING_KM
    while len(seeds) < len(WARD_NAMES):
        x, y = _point_in(boundary, rng)
        if all(math.dist((x, y), seed) >= spacing for seed in seeds):
            seeds.append((x, y))
        spacing *= 0.999  # a crowded outline relaxes the rule rather than looping forever
    for _ in range(RELAXATION_ROUNDS):
        cells = _voronoi(seeds, boundary)
        seeds = [(cell.centroid.x, cell.centroid.y) for cell in cells]
    cells = _voronoi(seeds, boundary)
    return sorted(cells, key=lambda cell: round(cell.centroid.distance(Point(0, 0)), 6))


def _voronoi(seeds: Sequence[tuple[float, float]], boundary: Polygon) -> list[Polygon]:
    diagram = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=boundary, ordered=True)
    return [_on_grid(cell.intersection(boundary)) for cell in diagram.geoms]


def _on_grid(geometry):
    """Snap to the 6-decimal-place grid the GeoJSON will be written in (in degrees)."""
    return _to_km(_to_degrees(geometry))


def _to_degrees(geometry):
    def convert(coordinates):
        return [
            (
                round(CENTRE_LONGITUDE + x / KM_PER_DEGREE_LONGITUDE, COORDINATE_PLACES),
                round(CENTRE_LATITUDE + y / KM_PER_DEGREE_LATITUDE, COORDINATE_PLACES),
            )
            for x, y in coordinates
        ]

    return shapely.transform(geometry, lambda array: convert(array.tolist()))


def _to_km(geometry):
    def convert(coordinates):
        return [
            (
                (lon - CENTRE_LONGITUDE) * KM_PER_DEGREE_LONGITUDE,
                (lat - CENTRE_LATITUDE) * KM_PER_DEGREE_LATITUDE,
            )
            for lon, lat in coordinates
        ]

    return shapely.transform(geometry, lambda array: convert(array.tolist()))


def _area(code: str, name: str, name_cy: str, kind: str, geometry) -> Area:
    in_degrees = _to_degrees(geometry)
    min_lon, min_lat, max_lon, max_lat = in_degrees.bounds
    return Area(
        code=code,
        name=name,
        name_cy=name_cy,
        kind=kind,
        geometry=_geojson(in_degrees),
        min_lon=min_lon,
        min_lat=min_lat,
        max_lon=max_lon,
        max_lat=max_lat,
    )


def _geojson(geometry) -> dict:
    """GeoJSON with plain lists (not tuples), so it is stored and hashed the same way."""

    def as_lists(value):
        if isinstance(value, list | tuple):
            return [as_lists(item) for item in value]
        return value

    data = mapping(geometry)
    return {"type": data["type"], "coordinates": as_lists(data["coordinates"])}


def _point_in(polygon, rng: Random) -> tuple[float, float]:
    min_x, min_y, max_x, max_y = polygon.bounds
    while True:
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if shapely.contains_xy(polygon, x, y):
            return x, y


def _postcodes(ward: Area, district: str, count: int, rng: Random) -> list[Postcode]:
    """`count` postcodes in the district, each at a point inside the ward's stored boundary."""
    inside = shape(ward.geometry)
    margin = POSTCODE_EDGE_MARGIN_KM / KM_PER_DEGREE_LATITUDE
    inside = inside.buffer(-margin) if not inside.buffer(-margin).is_empty else inside
    units = sorted(rng.sample(range(10 * len(UNIT_LETTERS) ** 2), count))
    codes = [_postcode(district, unit) for unit in units]
    if district == TOWN_HALL_POSTCODE.split()[0]:
        if TOWN_HALL_POSTCODE not in codes:
            codes[0] = TOWN_HALL_POSTCODE
        if SPLIT_POSTCODE not in codes:
            # Replaces the postcode that sorts after it, so no other district changes.
            codes[bisect(codes, SPLIT_POSTCODE) % len(codes)] = SPLIT_POSTCODE
        codes.sort()
    postcodes = []
    for code in codes:
        longitude, latitude = _point_in(inside, rng)
        postcodes.append(
            Postcode(
                postcode=code,
                longitude=round(longitude, COORDINATE_PLACES),
                latitude=round(latitude, COORDINATE_PLACES),
                local_authority_code=COUNCIL_CODE,
                ward_code=ward.code,
            )
        )
    return postcodes


def _postcode(district: str, unit: int) -> str:
    sector, letters = divmod(unit, len(UNIT_LETTERS) ** 2)
    first, second = divmod(letters, len(UNIT_LETTERS))
    return f"{district} {sector}{UNIT_LETTERS[first]}{UNIT_LETTERS[second]}"


def _addresses(postcodes: list[Postcode], count: int, rng: Random) -> list[Address]:
    """`count` addresses spread over the postcodes; each postcode is on one street."""
    per_postcode = [count // len(postcodes)] * len(postcodes)
    for index in rng.sample(range(len(postcodes)), count % len(postcodes)):
        per_postcode[index] += 1
    next_number: dict[str, int] = {}
    addresses = []
    for postcode, homes in zip(postcodes, per_postcode, strict=True):
        street = f"{rng.choice(STREET_NAMES)} {rng.choice(STREET_KINDS)}"
        for _ in range(homes):
            number = next_number.get(street, 1)
            next_number[street] = number + rng.choice((1, 1, 2))
            addresses.append(
                Address(
                    uprn=str(FIRST_UPRN + len(addresses)),
                    address=f"{number} {street}, {TOWN}",
                    postcode=postcode.postcode,
                    longitude=round(
                        postcode.longitude + _jitter(rng) / KM_PER_DEGREE_LONGITUDE,
                        COORDINATE_PLACES,
                    ),
                    latitude=round(
                        postcode.latitude + _jitter(rng) / KM_PER_DEGREE_LATITUDE,
                        COORDINATE_PLACES,
                    ),
                )
            )
    return addresses


def _jitter(rng: Random) -> float:
    return rng.uniform(-ADDRESS_JITTER_KM, ADDRESS_JITTER_KM)


# Residents -----------------------------------------------------------------------------


def residents(count: int, *, seed: int) -> list:
    """The first `count` demo residents, made on first use (see DemoContext.people)."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from . import DEMO_NOW, FIRST_NAMES, LAST_NAMES

    user_model = get_user_model()
    wanted = {}
    for index in range(1, count + 1):
        rng = Random(f"{seed}:resident:{index}")
        email = f"resident{index:04d}@example.org"
        wanted[email] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    existing = {user.email: user for user in user_model.objects.filter(email__in=wanted)}
    renamed = []
    for email, name in wanted.items():
        if email in existing and existing[email].display_name != name:
            existing[email].display_name = name
            renamed.append(existing[email])
    user_model.objects.bulk_update(renamed, ["display_name"])
    made = user_model.objects.bulk_create(
        [
            user_model(
                email=email,
                display_name=name,
                password=UNUSABLE_PASSWORD,
                public_id=uuid.uuid5(RESIDENT_NAMESPACE, email),
                date_joined=DEMO_NOW,
            )
            for email, name in wanted.items()
            if email not in existing
        ]
    )
    if made:
        made = list(user_model.objects.filter(email__in=[user.email for user in made]))
        Group.objects.get(name=RESIDENT_GROUP).user_set.add(*made)
        EmailAddress.objects.bulk_create(
            [
                EmailAddress(user=user, email=user.email, verified=True, primary=True)
                for user in made
            ]
        )
    by_email = {**existing, **{user.email: user for user in made}}
    return [by_email[email] for email in wanted]
