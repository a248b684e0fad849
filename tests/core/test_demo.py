"""The Northbridge demo council: deterministic, idempotent, and geographically sound."""

import hashlib
import itertools
import json

import pytest
from django.contrib.auth import get_user_model
from shapely import contains_xy, unary_union
from shapely.geometry import shape

from townhall.core.branding import contrast_ratio
from townhall.core.demo import DemoContext, build_demo
from townhall.core.models import Address, Area, Postcode, SiteSettings

pytestmark = pytest.mark.django_db


def build(size: str = "small", seed: int = 7) -> list[str]:
    """Build core's part of the demo; return what it reported."""
    lines: list[str] = []
    build_demo(size, seed, report=lines.append, modules=["core"])
    return lines


def fingerprint() -> str:
    """A hash of everything core's demo steps write, ids and automatic timestamps aside."""
    rows = {
        "areas": list(
            Area.objects.order_by("code").values_list(
                "code", "name", "name_cy", "kind", "geometry", "min_lon", "min_lat", "max_lon", "max_lat"
            )
        ),
        "postcodes": list(
            Postcode.objects.order_by("postcode").values_list(
                "postcode", "latitude", "longitude", "local_authority_code", "ward_code"
            )
        ),
        "addresses": list(
            Address.objects.order_by("uprn").values_list(
                "uprn", "address", "postcode", "latitude", "longitude"
            )
        ),
        "site": list(
            SiteSettings.objects.values_list(
                "council_name", "council_name_cy", "brand_colour", "phase", "contact_email",
                "contact_phone", "contact_address", "local_authority_code",
            )
        ),
    }  # fmt: skip
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def test_demo_with_the_same_seed_writes_identical_data():
    build(seed=7)
    first = fingerprint()

    build(seed=7)

    assert fingerprint() == first


def test_demo_with_another_seed_writes_other_data():
    build(seed=7)
    first = fingerprint()

    build(seed=8)

    assert fingerprint() != first


def test_demo_run_again_replaces_its_data_instead_of_adding_to_it():
    build()
    build()

    assert Area.objects.count() == 13
    assert Postcode.objects.count() == 600
    assert Address.objects.count() == 2000
    assert SiteSettings.objects.count() == 1


def test_demo_reports_each_step_with_its_time():
    lines = build()

    assert lines[0].startswith("Council settings and pages: ")
    assert lines[1].startswith("Wards, postcodes and addresses: ")
    assert lines[-1].startswith("Northbridge (small, seed 7) built in ")


@pytest.mark.parametrize(
    ("size", "postcodes", "addresses"), [("small", 600, 2000), ("large", 6000, 60000)]
)
def test_demo_size_sets_how_many_postcodes_and_addresses(size, postcodes, addresses):
    build(size)

    assert Postcode.objects.count() == postcodes
    assert Address.objects.count() == addresses
    assert Area.objects.filter(kind=Area.Kind.WARD).count() == 12


def test_demo_every_postcode_point_is_inside_its_own_ward_and_no_other():
    build()
    wards = {area.code: shape(area.geometry) for area in Area.objects.filter(kind=Area.Kind.WARD)}

    for postcode in Postcode.objects.all():
        containing = [
            code
            for code, ward in wards.items()
            if contains_xy(ward, postcode.longitude, postcode.latitude)
        ]
        assert containing == [postcode.ward_code], postcode.postcode


def test_demo_wards_tile_the_council_area_without_overlapping():
    build()
    council = shape(Area.objects.get(kind=Area.Kind.COUNCIL).geometry)
    wards = [shape(area.geometry) for area in Area.objects.filter(kind=Area.Kind.WARD)]

    assert all(ward.is_valid for ward in wards)
    assert unary_union(wards).symmetric_difference(council).area < council.area * 1e-4
    overlap = sum(a.intersection(b).area for a, b in itertools.combinations(wards, 2))
    assert overlap < council.area * 1e-6


def test_demo_postcodes_are_in_the_nb_area_with_the_councils_code():
    build()

    codes = list(Postcode.objects.values_list("postcode", "local_authority_code", "ward_code"))
    assert all(code.split()[0] in {f"NB{n}" for n in range(1, 13)} for code, _, _ in codes)
    assert {authority for _, authority, _ in codes} == {"E07999999"}
    assert {ward for _, _, ward in codes} == {f"E05999{n}" for n in range(901, 913)}
    assert Postcode.objects.filter(postcode="NB1 1AA").exists()


def test_demo_addresses_have_unique_uprns_and_known_postcodes():
    build()

    postcodes = set(Postcode.objects.values_list("postcode", flat=True))
    addresses = list(Address.objects.values_list("uprn", "postcode", "address"))
    assert len({uprn for uprn, _, _ in addresses}) == len(addresses)
    assert {postcode for _, postcode, _ in addresses} <= postcodes
    assert all(text.endswith(", Northbridge") for _, _, text in addresses)


def test_demo_council_is_named_in_english_and_welsh_with_a_readable_colour():
    build()

    site = SiteSettings.objects.get()
    assert site.council_name == "Northbridge Borough Council"
    assert site.council_name_cy == "Cyngor Bwrdeistref Northbridge"
    assert (site.local_authority_code, site.phase) == ("E07999999", "beta")
    assert contrast_ratio(site.brand_colour, "#ffffff") >= 4.5


def test_demo_leaves_data_that_is_not_the_demos_alone():
    Postcode.objects.create(postcode="SW1A 1AA", local_authority_code="E09000033")

    build()

    assert Postcode.objects.filter(postcode="SW1A 1AA").exists()


def test_demo_context_gives_the_same_numbers_to_a_step_whatever_ran_before():
    context = DemoContext(seed=7)
    context.begin_step("Consultations")
    first = [context.random.random() for _ in range(3)]
    context.begin_step("Elections")
    context.random.random()

    context.begin_step("Consultations")

    assert [context.random.random() for _ in range(3)] == first


def test_demo_context_refuses_an_unknown_size():
    with pytest.raises(ValueError, match="small, large"):
        DemoContext(size="medium")


def test_demo_refuses_an_unknown_module():
    with pytest.raises(ValueError, match="No module is called nonesuch"):
        build_demo("small", 7, report=lambda line: None, modules=["nonesuch"])


def test_demo_context_helpers_pick_demo_postcodes_addresses_and_wards():
    build()
    context = DemoContext(seed=7)
    context.begin_step("A module")

    assert context.random_postcode().postcode.startswith("NB")
    assert context.random_address().uprn.startswith("99")
    assert [ward.name for ward in context.wards()][:3] == ["Castle", "Market", "Abbey"]
    assert context.scale(small=1, large=10) == 1


def test_demo_people_are_the_same_verified_residents_each_time():
    context = DemoContext(seed=7)

    first = context.people(3)
    again = context.people(5)

    assert again[:3] == first
    assert get_user_model().objects.count() == 5
    resident = again[0]
    assert resident.email == "resident0001@example.org"
    assert resident.display_name
    assert not resident.has_usable_password()
    assert resident.groups.filter(name="resident").exists()
    assert resident.emailaddress_set.get().verified
