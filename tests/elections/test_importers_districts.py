"""Polling district boundaries from GeoJSON: all or nothing, problems by feature, and
shown to officers on a map drawn on the server."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.elections import services
from townhall.elections.models import PollingDistrict

from .test_import import GOOD_XPRESS

GEOJSON = (Path(__file__).parent / "fixtures" / "districts.geojson").read_bytes()
SQUARE = json.loads(GEOJSON)["features"][0]["geometry"]


def _import(actor, data=GEOJSON, **properties):
    return services.polling_districts_import(actor=actor, boundaries_file=data, **properties)


def _collection(*features) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def _feature(geometry=SQUARE, **properties):
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def test_a_district_geojson_stores_each_districts_name_boundary_and_station(elections_officer):
    report = _import(elections_officer)
    assert (report.stored, report.districts) == (True, 2)
    abbey = PollingDistrict.objects.get(code="AA")
    assert (abbey.name, abbey.station_council_id, abbey.boundary) == ("Abbey", "10", SQUARE)
    assert PollingDistrict.objects.get(code="AB").boundary["type"] == "MultiPolygon"
    assert AuditEntry.objects.get(action="elections.polling_districts_import").after == {
        "districts_with_boundaries": 2
    }


def test_properties_named_otherwise_are_read_by_the_names_given(elections_officer):
    data = _collection(_feature(DISTRICT_REF="AC", LABEL="Castle", POLLING_PLACE="12"))
    report = _import(
        elections_officer,
        data,
        code_property="DISTRICT_REF",
        name_property="LABEL",
        station_property="POLLING_PLACE",
    )
    assert report.stored
    castle = PollingDistrict.objects.get(code="AC")
    assert (castle.name, castle.station_council_id) == ("Castle", "12")


def test_boundaries_and_addresses_outlive_each_others_imports(elections_officer):
    services.polling_data_import(actor=elections_officer, addresses=GOOD_XPRESS)
    _import(elections_officer)
    services.polling_data_import(actor=elections_officer, addresses=GOOD_XPRESS)
    assert PollingDistrict.objects.get(code="AA").boundary == SQUARE
    _import(elections_officer, _collection(_feature(code="AB")))
    assert PollingDistrict.objects.get(code="AA").boundary is None
    assert PollingDistrict.objects.get(code="AA").addresses.count() == 2


def test_a_district_in_neither_file_is_forgotten(elections_officer):
    _import(elections_officer)
    _import(elections_officer, _collection(_feature(code="AB")))
    assert list(PollingDistrict.objects.values_list("code", flat=True)) == ["AB"]


BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[-1, 52], [-0.9, 52.1], [-0.9, 52], [-1, 52.1], [-1, 52]]],
}
GRID = {
    "type": "Polygon",
    "coordinates": [[[470000, 320000], [471000, 320000], [471000, 321000], [470000, 320000]]],
}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (_collection(_feature(name="Abbey")), (1, "No district reference (the “code” property)")),
        (
            _collection(_feature(code="AA"), _feature(code="AA")),
            (2, "District AA is also feature 1"),
        ),
        (
            _collection(_feature({"type": "Point", "coordinates": [-1, 52]}, code="AA")),
            (1, "The boundary must be a Polygon or MultiPolygon, not Point"),
        ),
        (
            _collection(_feature(None, code="AA")),
            (1, "The boundary must be a Polygon or MultiPolygon, not nothing"),
        ),
        (
            _collection(_feature(BOWTIE, code="AA")),
            (1, "The boundary is not a valid shape: Self-intersection[-0.95 52.05]"),
        ),
        (
            _collection(_feature(GRID, code="AA")),
            (
                1,
                "The coordinates are not longitude and latitude: save the file in WGS84 "
                "(EPSG:4326), as GeoJSON requires, not British National Grid",
            ),
        ),
        (b'{"type": "Feature"}', (0, "The file must be a GeoJSON FeatureCollection")),
        (b"\xff\xfe not json", (0, "This is not a JSON file")),
    ],
    ids=[
        "no-code",
        "duplicate",
        "point",
        "no-geometry",
        "self-intersecting",
        "grid-references",
        "not-a-collection",
        "not-json",
    ],
)
def test_a_bad_feature_is_reported_by_number_and_nothing_is_stored(
    elections_officer, data, problem
):
    _import(elections_officer)
    report = _import(elections_officer, data)
    assert not report.stored
    assert [(p.row, str(p.message)[: len(problem[1])]) for p in report.problems] == [problem]
    assert PollingDistrict.objects.get(code="AA").boundary == SQUARE


def test_importing_boundaries_is_refused_to_a_consultation_lead(person):
    with pytest.raises(PermissionDenied):
        _import(person("consultation_lead", is_staff=True))


def test_the_districts_page_draws_each_boundary_on_the_map_with_its_table(
    client, elections_officer
):
    services.polling_data_import(actor=elections_officer, addresses=GOOD_XPRESS)
    _import(elections_officer, _collection(_feature(code="AA", name="Abbey", station="10")))
    client.force_login(elections_officer)
    page = client.get(reverse("elections:districts_list")).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="th-map__svg"' in page
    assert "<title>AA Abbey</title>" in page and "2 addresses; station 10" in page
    assert "Districts with no boundary" in page and "AB (1 address)" in page


def test_an_officer_imports_boundaries_by_the_page_and_sees_problems_by_feature(
    client, elections_officer
):
    client.force_login(elections_officer)
    url = reverse("elections:districts_import")
    fields = {"code_property": "code", "name_property": "name", "station_property": "station"}
    bad = _collection(_feature(code="AA"), _feature(code="AA"))
    page = client.post(
        url, {**fields, "boundaries": SimpleUploadedFile("d.geojson", bad)}
    ).content.decode()
    assert "Nothing was imported" in page and "District AA is also feature 1" in page
    response = client.post(url, {**fields, "boundaries": SimpleUploadedFile("d.geojson", GEOJSON)})
    assert response.status_code == 302 and PollingDistrict.objects.count() == 2


def test_the_districts_pages_are_in_welsh_at_cy(client, elections_officer):
    _import(elections_officer)
    client.force_login(elections_officer)
    listing = client.get("/cy/elections/manage/polling-districts/").content.decode()
    assert (
        "Dosbarthiadau pleidleisio" in listing
        and "Map o&#x27;r dosbarthiadau pleidleisio" in listing
    )
    form = client.get("/cy/elections/manage/polling-districts/import/").content.decode()
    assert "Ffiniau dosbarthiadau (GeoJSON)" in form
