"""Geography: postcodes from the ONSPD, areas from GeoJSON, point in area, find by postcode."""

import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.core.factories import AreaFactory, PostcodeFactory, square
from townhall.core.fields import PostcodeForm
from townhall.core.models import Address, Area, AuditEntry, Postcode, TaskProgress
from townhall.core.selectors.geography import addresses_for_postcode, area_containing, wards
from townhall.core.selectors.site import forget_site_settings, site_settings
from townhall.core.services.geography import (
    MalformedPostcode,
    PostcodeOutsideCouncil,
    TerminatedPostcode,
    UnknownPostcode,
    find_by_postcode,
    normalise_postcode,
    postcodes_import,
)

ONSPD_HEADER = "pcd,pcd2,pcds,dointr,doterm,oscty,oslaua,osward,usertype,lat,long,extra_name"
COUNCIL = "E07999999"


@pytest.fixture(autouse=True)
def _fresh_site_settings():
    forget_site_settings()
    yield
    forget_site_settings()


def onspd_row(postcode: str, *, ward="E05000001", la=COUNCIL, lat="53.05", long="-1.55", **kw):
    compact = postcode.replace(" ", "")
    fields = [
        compact.ljust(7),
        postcode.ljust(8),
        postcode,
        "199801",
        kw.get("doterm", ""),
        "E99999999",
        la,
        ward,
        "0",
        lat,
        long,
        kw.get("extra", ""),
    ]
    return ",".join(fields)


def write_onspd(tmp_path, rows, *, header=ONSPD_HEADER, encoding="utf-8", name="onspd.csv"):
    path = tmp_path / name
    path.write_bytes("\r\n".join([header, *rows]).encode(encoding) + b"\r\n")
    return path


# --- normalise_postcode ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("nb11aa", "NB1 1AA"),
        ("NB1 1AA", "NB1 1AA"),
        ("  nb1   1aa ", "NB1 1AA"),
        ("sw1a2aa", "SW1A 2AA"),
        ("m11ae", "M1 1AE"),
        ("b338th", "B33 8TH"),
        ("cr26xh", "CR2 6XH"),
        ("w1a0ax", "W1A 0AX"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_normalise_postcode_gives_the_standard_form(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "NB1", "1AA", "NB1 1A", "NB11 1AAA", "NB1 1CA", "N81 1AA!", "12345", "NB1-1AA"]
)
def test_normalise_postcode_refuses_text_that_is_not_a_postcode(typed):
    with pytest.raises(MalformedPostcode) as raised:
        normalise_postcode(typed)
    assert raised.value.code == "malformed_postcode"
    assert str(raised.value.message) == "Enter a real postcode, like NB1 1AA"


LETTER = st.sampled_from("ABCDEFGHIJKLMNOPRSTUWYZ")
INWARD_LETTER = st.sampled_from("ABDEFGHJLNPQRSTUWXYZ")
DIGIT = st.sampled_from("0123456789")
OUTWARD = st.one_of(
    st.tuples(LETTER, DIGIT).map("".join),
    st.tuples(LETTER, DIGIT, DIGIT).map("".join),
    st.tuples(LETTER, LETTER, DIGIT).map("".join),
    st.tuples(LETTER, LETTER, DIGIT, DIGIT).map("".join),
    st.tuples(LETTER, DIGIT, LETTER).map("".join),
    st.tuples(LETTER, LETTER, DIGIT, LETTER).map("".join),
)
INWARD = st.tuples(DIGIT, INWARD_LETTER, INWARD_LETTER).map("".join)


@given(outward=OUTWARD, inward=INWARD, spaces=st.text(" \t", max_size=3), lower=st.booleans())
def test_normalise_postcode_accepts_any_spacing_and_case(outward, inward, spaces, lower):
    typed = f"{spaces}{outward}{spaces}{inward}{spaces}"
    assert normalise_postcode(typed.lower() if lower else typed) == f"{outward} {inward}"


@given(st.text(max_size=12))
def test_normalise_postcode_returns_a_standard_postcode_or_refuses(text):
    try:
        result = normalise_postcode(text)
    except MalformedPostcode:
        return
    # GIR 0AA (Girobank) is the one postcode outside the pattern that ONSPD lists.
    assert re.fullmatch(r"[A-Z]{1,3}[0-9][A-Z0-9]? [0-9][A-Z]{2}|GIR 0AA", result)
    assert normalise_postcode(result) == result


# --- import_postcodes --------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_postcodes_stores_rows_and_reports_progress(tmp_path, capsys):
    path = write_onspd(tmp_path, [onspd_row("NB1 1AA"), onspd_row("NB2 2AB", ward="E05000002")])
    call_command("import_postcodes", str(path))
    stored = {row.postcode: row for row in Postcode.objects.all()}
    assert set(stored) == {"NB1 1AA", "NB2 2AB"}
    assert stored["NB2 2AB"].ward_code == "E05000002"
    assert stored["NB1 1AA"].latitude == pytest.approx(53.05)
    assert stored["NB1 1AA"].local_authority_code == COUNCIL
    assert "stored 2 postcodes (2 new)" in capsys.readouterr().out
    assert TaskProgress.objects.get(key="geography:postcodes").state == "done"


@pytest.mark.django_db
def test_import_postcodes_is_recorded_once_in_the_audit_log_with_its_counts(tmp_path, capsys):
    path = write_onspd(tmp_path, [onspd_row("NB1 1AA"), onspd_row("NB2 2AB")])

    call_command("import_postcodes", str(path))

    entry = AuditEntry.objects.get(action="core.import_geography")
    assert (entry.object_type, entry.object_label) == ("core.postcode", "Postcodes from onspd.csv")
    assert entry.after == {"read": 2, "stored": 2, "created": 2, "skipped": 0}


@pytest.mark.django_db
def test_import_postcodes_that_breaks_off_says_so_on_its_progress(tmp_path, monkeypatch):
    path = write_onspd(tmp_path, [onspd_row("NB1 1AA")])

    def disk_full(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(Postcode.objects, "bulk_create", disk_full)
    with pytest.raises(OSError):
        postcodes_import(path=path)

    progress = TaskProgress.objects.get(key="geography:postcodes")
    assert progress.state == "failed"
    assert progress.message == "The import stopped after 1 rows: OSError"
    entry = AuditEntry.objects.get(action="core.import_geography")
    assert entry.object_label == "Postcodes from onspd.csv (stopped)"
    assert entry.after["stored"] == 0


@pytest.mark.django_db
def test_import_postcodes_is_idempotent_and_updates_changed_rows(tmp_path, capsys):
    call_command("import_postcodes", str(write_onspd(tmp_path, [onspd_row("NB1 1AA")])))
    newer = write_onspd(tmp_path, [onspd_row("NB1 1AA", ward="E05000009")], name="newer.csv")
    call_command("import_postcodes", str(newer))
    call_command("import_postcodes", str(newer))
    assert Postcode.objects.get().ward_code == "E05000009"
    assert "stored 1 postcodes (0 new)" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_postcodes_reads_utf8_with_a_byte_order_mark(tmp_path):
    path = write_onspd(tmp_path, [onspd_row("NB1 1AA", extra="Caffi Siôn")], encoding="utf-8-sig")
    call_command("import_postcodes", str(path))
    assert Postcode.objects.filter(postcode="NB1 1AA").exists()


@pytest.mark.django_db
def test_import_postcodes_reads_windows_1252(tmp_path):
    path = write_onspd(tmp_path, [onspd_row("NB1 1AA", extra="Caffi Siôn £5")], encoding="cp1252")
    call_command("import_postcodes", str(path))
    assert Postcode.objects.filter(postcode="NB1 1AA").exists()


@pytest.mark.django_db
def test_import_postcodes_stores_no_position_for_onspd_s_no_grid_reference_marker(tmp_path):
    path = write_onspd(tmp_path, [onspd_row("NB1 1AA", lat="99.999999", long="0.000000")])
    call_command("import_postcodes", str(path))
    row = Postcode.objects.get()
    assert (row.latitude, row.longitude) == (None, None)


@pytest.mark.django_db
def test_import_postcodes_skips_bad_rows_and_names_their_lines(tmp_path, capsys):
    rows = [
        onspd_row("NB1 1AA"),
        onspd_row("NOT A PC"),
        onspd_row("NB1 1AB", lat="north"),
        "NB11AC,too,few",
        onspd_row("NB1 1AD", doterm="2024-1"),
        onspd_row("NB1 1AE", lat="153.0"),
        onspd_row("NB1 1AF"),
    ]
    call_command("import_postcodes", str(write_onspd(tmp_path, rows)))
    errors = capsys.readouterr().err
    assert set(Postcode.objects.values_list("postcode", flat=True)) == {"NB1 1AA", "NB1 1AF"}
    assert "Line 3 skipped: NOT A PC is not a postcode" in errors
    assert "Line 4 skipped: the latitude or longitude is not a number" in errors
    assert "Line 5 skipped: the row has the wrong number of columns" in errors
    assert "Line 6 skipped: the termination date 2024-1 is not in the form YYYYMM" in errors
    assert "Line 7 skipped: the latitude or longitude is out of range" in errors


@pytest.mark.django_db
def test_import_postcodes_keeps_only_the_local_authority_asked_for(tmp_path):
    rows = [onspd_row("NB1 1AA"), onspd_row("ZZ1 1AA", la="E07000001")]
    call_command("import_postcodes", str(write_onspd(tmp_path, rows)), local_authority=COUNCIL)
    assert list(Postcode.objects.values_list("postcode", flat=True)) == ["NB1 1AA"]


@pytest.mark.django_db
def test_import_postcodes_records_a_terminated_postcode(tmp_path):
    call_command(
        "import_postcodes", str(write_onspd(tmp_path, [onspd_row("NB1 1AA", doterm="202403")]))
    )
    assert Postcode.objects.get().terminated.isoformat() == "2024-03-01"


@pytest.mark.django_db
def test_import_postcodes_names_the_missing_required_columns(tmp_path):
    path = write_onspd(tmp_path, ["NB11AA,53.0"], header="pcds,latitude")
    with pytest.raises(CommandError, match="oslaua, osward, lat, long"):
        call_command("import_postcodes", str(path))
    assert not Postcode.objects.exists()


# --- import_areas ------------------------------------------------------------------------------


def feature(code, geometry, name="Central", name_cy=""):
    return {
        "type": "Feature",
        "properties": {"WD24CD": code, "WD24NM": name, "WD24NMW": name_cy, "OBJECTID": 1},
        "geometry": geometry,
    }


def write_geojson(tmp_path, features, name="wards.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.mark.django_db
def test_import_areas_stores_polygons_and_multipolygons_with_their_bounding_box(tmp_path):
    islands = {
        "type": "MultiPolygon",
        "coordinates": [square(0, 0, 1)["coordinates"], square(5, 5, 1)["coordinates"]],
    }
    path = write_geojson(
        tmp_path,
        [
            feature("E05000001", square(-1, 50, 0.5), "Central", "Canolog"),
            feature("E05000002", islands, "Isles"),
        ],
    )
    call_command("import_areas", str(path), kind="ward")
    central = Area.objects.get(code="E05000001")
    assert (central.name, central.name_cy, central.kind) == ("Central", "Canolog", "ward")
    assert (central.min_lon, central.min_lat, central.max_lon, central.max_lat) == (
        -1,
        50,
        -0.5,
        50.5,
    )
    assert Area.objects.get(code="E05000002").geometry["type"] == "MultiPolygon"


@pytest.mark.django_db
def test_import_areas_is_recorded_in_the_audit_log(tmp_path):
    call_command(
        "import_areas",
        str(write_geojson(tmp_path, [feature("E05000001", square(0, 0, 1))])),
        kind="ward",
    )

    entry = AuditEntry.objects.get(action="core.import_geography")
    assert (entry.object_type, entry.object_label) == (
        "core.area",
        "Areas (ward) from wards.geojson",
    )
    assert entry.after["stored"] == 1


@pytest.mark.django_db
def test_import_areas_updates_areas_with_the_same_code(tmp_path):
    call_command(
        "import_areas",
        str(write_geojson(tmp_path, [feature("E05000001", square(0, 0, 1))])),
        kind="ward",
    )
    renamed = write_geojson(
        tmp_path, [feature("E05000001", square(0, 0, 2), "New name")], "v2.geojson"
    )
    call_command("import_areas", str(renamed), kind="ward")
    area = Area.objects.get()
    assert (area.name, area.max_lon) == ("New name", 2)


@pytest.mark.django_db
def test_import_areas_uses_the_properties_named_on_the_command_line(tmp_path):
    path = tmp_path / "parishes.geojson"
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"ref": "P1", "title": "Upton"},
                "geometry": square(0, 0, 1),
            }
        ],
    }
    path.write_text(json.dumps(collection))
    call_command(
        "import_areas", str(path), kind="parish", code_property="ref", name_property="title"
    )
    assert Area.objects.get(code="P1").name == "Upton"


@pytest.mark.django_db
def test_import_areas_repairs_an_invalid_polygon(tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    call_command(
        "import_areas", str(write_geojson(tmp_path, [feature("E05000001", bowtie)])), kind="ward"
    )
    assert area_containing(0.9, 0.5) == Area.objects.get()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [0, 0]}, "feature E05000002 is a Point, not a Polygon"),
        ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "E05000002 is a LineString"),
        (None, "feature E05000002 has no readable geometry"),
        (square(400000, 300000, 1000), "is the file in WGS84"),
    ],
)
def test_import_areas_refuses_a_file_with_an_unusable_feature_and_names_it(
    tmp_path, geometry, message
):
    path = write_geojson(
        tmp_path, [feature("E05000001", square(0, 0, 1)), feature("E05000002", geometry)]
    )
    with pytest.raises(CommandError, match=message):
        call_command("import_areas", str(path), kind="ward")
    assert not Area.objects.exists()


@pytest.mark.django_db
def test_import_areas_refuses_a_file_that_is_not_a_feature_collection(tmp_path):
    path = tmp_path / "bad.geojson"
    path.write_text('{"type": "Polygon"}')
    with pytest.raises(CommandError, match="not a GeoJSON FeatureCollection"):
        call_command("import_areas", str(path), kind="ward")
    path.write_text("{not json")
    with pytest.raises(CommandError, match="not valid GeoJSON"):
        call_command("import_areas", str(path), kind="ward")


# --- point in area -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_area_containing_finds_the_ward_around_a_point():
    west = AreaFactory(geometry=square(0, 0, 1))
    east = AreaFactory(geometry=square(1, 0, 1))
    assert area_containing(0.5, 0.5) == west
    assert area_containing(1.5, 0.5) == east
    assert area_containing(3, 3) is None


@pytest.mark.django_db
def test_area_containing_excludes_a_hole_in_a_polygon():
    ring = square(0, 0, 4)["coordinates"][0]
    hole = square(1, 1, 2)["coordinates"][0][::-1]
    doughnut = AreaFactory(geometry={"type": "Polygon", "coordinates": [ring, hole]})
    assert area_containing(0.5, 0.5) == doughnut
    assert area_containing(2, 2) is None


@pytest.mark.django_db
def test_area_containing_finds_every_part_of_a_multipolygon():
    parts = [square(0, 0, 1)["coordinates"], square(10, 10, 1)["coordinates"]]
    islands = AreaFactory(geometry={"type": "MultiPolygon", "coordinates": parts})
    assert area_containing(10.5, 10.5) == islands
    assert area_containing(5, 5) is None


@pytest.mark.django_db
def test_area_containing_looks_only_at_the_kind_asked_for():
    parish = AreaFactory(kind="parish", geometry=square(0, 0, 1))
    assert area_containing(0.5, 0.5) is None
    assert area_containing(0.5, 0.5, kind="parish") == parish


@pytest.mark.django_db
def test_area_containing_sees_areas_added_after_its_first_answer():
    assert area_containing(0.5, 0.5) is None
    added = AreaFactory(geometry=square(0, 0, 1))
    assert area_containing(0.5, 0.5) == added
    Area.objects.filter(pk=added.pk).update(geometry=square(5, 5, 1), updated_at=timezone.now())
    assert area_containing(0.5, 0.5) is None


@pytest.mark.django_db
def test_wards_lists_only_wards_by_name():
    AreaFactory(name="Riverside")
    AreaFactory(name="Abbey")
    AreaFactory(name="Upton parish", kind="parish")
    assert [ward.name for ward in wards()] == ["Abbey", "Riverside"]


@pytest.mark.django_db
def test_addresses_for_postcode_accepts_any_spacing():
    Address.objects.create(
        uprn="1", address="1 High Street", postcode="NB1 1AA", latitude=0, longitude=0
    )
    assert [a.address for a in addresses_for_postcode("nb11aa")] == ["1 High Street"]


# --- find_by_postcode --------------------------------------------------------------------------


@pytest.fixture
def ward(db):
    return AreaFactory(
        code="E05000001", name="Riverside", name_cy="Glan yr Afon", geometry=square(-1.6, 53.0, 0.1)
    )


@pytest.mark.django_db
def test_find_by_postcode_gives_the_location_and_ward(ward):
    PostcodeFactory(postcode="NB1 1AA", ward_code="E05000001")
    location = find_by_postcode("nb1 1aa")
    assert (location.postcode, location.ward_code, location.ward_name) == (
        "NB1 1AA",
        "E05000001",
        "Riverside",
    )
    assert (location.latitude, location.longitude) == (53.05, -1.55)


@pytest.mark.django_db
def test_find_by_postcode_finds_the_ward_from_the_position_when_the_directory_has_none(ward):
    PostcodeFactory(postcode="NB1 1AA", ward_code="")
    assert find_by_postcode("NB11AA").ward_code == "E05000001"


@pytest.mark.django_db
def test_find_by_postcode_refuses_a_malformed_postcode():
    with pytest.raises(MalformedPostcode):
        find_by_postcode("not a postcode")


@pytest.mark.django_db
def test_find_by_postcode_refuses_an_unknown_postcode():
    with pytest.raises(UnknownPostcode) as raised:
        find_by_postcode("NB9 9ZZ")
    assert raised.value.code == "unknown_postcode"


@pytest.mark.django_db
def test_find_by_postcode_refuses_a_terminated_postcode(ward):
    PostcodeFactory(postcode="NB1 1AA", ward_code="E05000001", terminated="2020-01-01")
    with pytest.raises(TerminatedPostcode):
        find_by_postcode("NB1 1AA")


@pytest.mark.django_db
def test_find_by_postcode_refuses_a_postcode_of_another_local_authority_when_the_council_is_set(
    ward,
):
    row = site_settings()
    row.local_authority_code = COUNCIL
    row.council_name = "Northbridge Borough Council"
    row.save()
    forget_site_settings()
    PostcodeFactory(postcode="ZZ1 1AA", local_authority_code="E07000001", ward_code="E05000001")
    with pytest.raises(PostcodeOutsideCouncil) as raised:
        find_by_postcode("ZZ1 1AA")
    assert raised.value.code == "postcode_outside_council"
    assert "not in Northbridge Borough Council" in str(raised.value.message)


@pytest.mark.django_db
def test_find_by_postcode_refuses_a_postcode_outside_our_wards_when_no_council_is_set(ward):
    PostcodeFactory(postcode="ZZ1 1AA", ward_code="E05999999", latitude=51.0, longitude=0.1)
    with pytest.raises(PostcodeOutsideCouncil):
        find_by_postcode("ZZ1 1AA")


# --- the form field and the page ---------------------------------------------------------------


def test_postcode_field_cleans_to_the_standard_form():
    form = PostcodeForm({"postcode": " nb11aa "})
    assert form.is_valid()
    assert form.cleaned_data["postcode"] == "NB1 1AA"


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Enter a postcode"), ("banana", "Enter a real postcode, like NB1 1AA")],
)
def test_postcode_field_explains_what_is_wrong(typed, message):
    form = PostcodeForm({"postcode": typed})
    assert not form.is_valid()
    assert form.errors["postcode"] == [message]


@pytest.mark.django_db
def test_find_your_ward_page_leads_to_the_page_of_the_postcodes_ward(client, ward):
    PostcodeFactory(postcode="NB1 1AA", ward_code="E05000001")
    response = client.get("/postcode/", {"postcode": "nb11aa"})
    assert response.status_code == 302
    assert response.url == "/wards/riverside/"


@pytest.mark.django_db
def test_find_your_ward_page_shows_the_welsh_ward_name_in_welsh(client, ward):
    PostcodeFactory(postcode="NB1 1AA", ward_code="E05000001")
    assert "Glan yr Afon" in client.get("/cy/postcode/", {"postcode": "NB1 1AA"}, follow=True).text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("banana", "Enter a real postcode, like NB1 1AA"),
        ("NB9 9ZZ", "NB9 9ZZ is not in"),
        ("NB1 1AT", "That postcode is no longer in use"),
        ("ZZ1 1AA", "ZZ1 1AA is not in"),
    ],
)
def test_find_your_ward_page_explains_each_postcode_problem_in_an_error_summary(
    client, ward, typed, message
):
    PostcodeFactory(postcode="NB1 1AT", ward_code="E05000001", terminated="2020-01-01")
    PostcodeFactory(postcode="ZZ1 1AA", ward_code="E05999999", latitude=51.0, longitude=0.1)
    response = client.get("/postcode/", {"postcode": typed})
    assert response.status_code == 400
    summary = response.text.split('class="govuk-error-summary"')[1].split("</div>")[0]
    assert message in summary
    assert 'href="#id_postcode"' in summary
    assert "govuk-input--error" in response.text


@pytest.mark.django_db
def test_find_your_ward_page_starts_without_errors(client):
    response = client.get("/postcode/")
    assert response.status_code == 200
    assert "govuk-error-summary" not in response.text


# --- the API -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_postcode_api_gives_the_location(client, ward):
    PostcodeFactory(postcode="NB1 1AA", ward_code="E05000001")
    body = client.get("/api/v1/postcodes/nb11aa").json()
    assert body == {
        "postcode": "NB1 1AA",
        "latitude": 53.05,
        "longitude": -1.55,
        "ward_code": "E05000001",
        "ward_name": "Riverside",
        "local_authority_code": COUNCIL,
        "ward_slug": "riverside",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("postcode", "status", "code"),
    [
        ("banana", 400, "malformed_postcode"),
        ("NB9 9ZZ", 404, "unknown_postcode"),
        ("NB1 1AT", 404, "terminated_postcode"),
        ("ZZ1 1AA", 404, "postcode_outside_council"),
    ],
)
def test_postcode_api_answers_each_problem_with_its_own_code(client, ward, postcode, status, code):
    PostcodeFactory(postcode="NB1 1AT", ward_code="E05000001", terminated="2020-01-01")
    PostcodeFactory(postcode="ZZ1 1AA", ward_code="E05999999", latitude=51.0, longitude=0.1)
    response = client.get(f"/api/v1/postcodes/{postcode}")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


@pytest.mark.django_db
def test_areas_api_lists_areas_of_a_kind_without_boundaries(client, ward):
    AreaFactory(kind="parish", code="P1")
    body = client.get("/api/v1/areas", {"kind": "ward"}).json()
    assert body["count"] == 1
    assert body["results"][0]["code"] == "E05000001"
    assert body["results"][0]["bbox"] == pytest.approx([-1.6, 53.0, -1.5, 53.1])
    assert "geometry" not in body["results"][0]


@pytest.mark.django_db
def test_areas_api_gives_one_area_with_its_geojson_boundary(client, ward):
    body = client.get("/api/v1/areas/E05000001").json()
    assert body["name"] == "Riverside"
    assert body["geometry"]["type"] == "Polygon"


@pytest.mark.django_db
def test_areas_api_answers_unknown_codes_and_kinds_with_error_codes(client):
    assert client.get("/api/v1/areas/NOPE").json()["error"]["code"] == "unknown_area"
    response = client.get("/api/v1/areas", {"kind": "galaxy"})
    assert (response.status_code, response.json()["error"]["code"]) == (400, "unknown_area_kind")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_find_your_ward_error_page_meets_wcag_22_aa(browser, live_server):
    from tests.e2e.axe import wcag_violations

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/postcode/")
    page.get_by_label("Postcode").fill("banana")
    page.get_by_role("button", name="Find ward").click()
    assert page.get_by_role("link", name="Enter a real postcode, like NB1 1AA").is_visible()
    violations = wcag_violations(page)
    context.close()
    assert violations == []
