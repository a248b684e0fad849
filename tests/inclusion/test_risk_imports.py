"""Importing the risk index's small areas (GeoJSON) and indicators (CSV): all or nothing,
every problem reported with its feature or row, and a record of who imported what."""

import pytest

from tests.core.factories import AreaFactory, UserFactory, square
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.inclusion import risk_services
from townhall.inclusion.models import RiskImport, SmallArea
from townhall.inclusion.risk_services import ImportRefused

from .factories import DirectoryOfficerFactory
from .risk_factories import (
    SIDE,
    SOUTH,
    WEST,
    code,
    csv_bytes,
    geojson,
    import_areas,
    lsoa_feature,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return DirectoryOfficerFactory()


def _problems(call) -> list[str]:
    with pytest.raises(ImportRefused) as refused:
        call()
    return refused.value.problems


# Boundaries ------------------------------------------------------------------------------


def test_boundaries_are_imported_with_code_name_centroid_and_ward(officer):
    ward = AreaFactory(code="E05000001", geometry=square(-1.7, 52.9, 0.5))

    record = risk_services.small_areas_import(
        actor=officer, data=geojson(lsoa_feature(0), lsoa_feature(1)), source="ONS LSOA 2021"
    )

    area = SmallArea.objects.get(code=code(0))
    assert area.name == "Testville 000"
    assert area.ward_code == ward.code
    assert area.centroid_latitude == pytest.approx(SOUTH + SIDE / 2)
    assert area.centroid_longitude == pytest.approx(WEST + SIDE / 2)
    assert record.imported_by == officer and record.rows == 2 and record.source == "ONS LSOA 2021"
    assert AuditEntry.objects.filter(action="inclusion.manage_risk_index").exists()


def test_boundaries_accept_the_2011_property_names():
    risk_services.small_areas_import(
        actor=None, data=geojson(lsoa_feature(0, property_code="LSOA11CD"))
    )

    assert SmallArea.objects.get().name == "Testville 000"


def test_boundaries_report_every_bad_feature_and_store_nothing():
    point = {"type": "Point", "coordinates": [-1.5, 53.0]}
    british_grid = square(430000, 340000, 1000)
    bad = lsoa_feature(3)
    bad["properties"]["LSOA21CD"] = "E05000001"

    problems = _problems(
        lambda: risk_services.small_areas_import(
            actor=None,
            data=geojson(
                lsoa_feature(0),
                lsoa_feature(1, geometry=point),
                lsoa_feature(0),
                lsoa_feature(2, geometry=british_grid),
                bad,
                {"type": "Feature", "properties": {"name": "x"}, "geometry": point},
            ),
        )
    )

    assert problems[0].startswith("Feature 2:") and "Point" in problems[0]
    assert problems[1] == f"Feature 3: {code(0)} is also feature 1"
    assert problems[2].startswith("Feature 4:") and "WGS84" in problems[2]
    assert problems[3].startswith("Feature 5:") and "not an LSOA code" in problems[3]
    assert problems[4] == "Feature 6: it has no LSOA21CD or LSOA11CD property"
    assert not SmallArea.objects.exists()
    assert not RiskImport.objects.exists()


@pytest.mark.parametrize(
    "data", [b"not json", b'{"type": "Feature"}', b'{"type": "FeatureCollection", "features": []}']
)
def test_boundaries_refuse_a_file_that_is_not_a_feature_collection_of_areas(data):
    assert len(_problems(lambda: risk_services.small_areas_import(actor=None, data=data))) == 1


def test_a_new_boundary_file_replaces_the_areas_and_keeps_indicators_of_those_kept():
    import_areas(3)
    SmallArea.objects.filter(code=code(1)).update(indicators={"imd_score": 20.0})

    risk_services.small_areas_import(actor=None, data=geojson(lsoa_feature(1), lsoa_feature(5)))

    assert set(SmallArea.objects.values_list("code", flat=True)) == {code(1), code(5)}
    assert SmallArea.objects.get(code=code(1)).indicators == {"imd_score": 20.0}


def test_a_resident_cannot_import_boundaries():
    with pytest.raises(PermissionDenied):
        risk_services.small_areas_import(actor=UserFactory(), data=geojson(lsoa_feature(0)))


# Indicators ------------------------------------------------------------------------------


def _import(data: bytes, actor=None):
    return risk_services.risk_indicators_import(
        actor=actor, data=data, file_name="i.csv", source="Census 2021"
    )


def test_indicators_are_imported_with_header_variants_percent_signs_and_blanks(officer):
    import_areas(2)
    data = csv_bytes(
        ["LSOA code", "LSOA name", "% aged 65+", "Average download speed (Mbit/s)", "IMD score"],
        [[code(0), "A", "21.5%", "80", ""], [code(1).lower(), "B", "12", "120.5", "30"]],
    )

    record = _import(data, officer)

    assert SmallArea.objects.get(code=code(0)).indicators == {
        "aged_65_plus": 21.5,
        "average_download": 80.0,
    }
    assert SmallArea.objects.get(code=code(1)).indicators["imd_score"] == 30.0
    assert record.summary["indicators"] == ["aged_65_plus", "average_download", "imd_score"]
    assert record.imported_by == officer and record.source == "Census 2021"


def test_indicators_are_read_from_utf8_with_a_byte_order_mark_and_from_windows_1252():
    import_areas(2)
    header = ["LSOA21CD", "Ardal – ward", "aged_75_plus"]
    rows = [[code(0), "Ystrad Mynach – 1", "9"], [code(1), "Pen-y-bont – 2", "4"]]

    _import(b"\xef\xbb\xbf" + csv_bytes(header, rows))
    assert SmallArea.objects.get(code=code(0)).indicators == {"aged_75_plus": 9.0}

    _import(csv_bytes(header, [[code(0), "Caf\xe9 – 1", "11"], [code(1), "x", "3"]], "cp1252"))
    assert SmallArea.objects.get(code=code(0)).indicators == {"aged_75_plus": 11.0}


def test_indicators_report_every_bad_row_and_store_nothing():
    import_areas(3)
    data = csv_bytes(
        ["LSOA21CD", "aged_65_plus", "claimant_rate"],
        [
            [code(0), "20", "3"],
            ["E01999999", "20", "3"],
            [code(0), "21", "3"],
            [code(1), "lots", "3"],
            [code(2), "120", "-1"],
        ],
    )

    problems = _problems(lambda: _import(data))

    assert problems == [
        "Row 3: E01999999 is not one of the council's small areas",
        f"Row 4: {code(0)} is also on row 2",
        "Row 5, column aged_65_plus: lots is not a number",
        "Row 6, column aged_65_plus: 120.0 is more than 100 per cent",
        "Row 6, column claimant_rate: -1.0 is less than 0",
    ]
    assert SmallArea.objects.filter(indicators={}).count() == 3
    assert not RiskImport.objects.filter(kind="indicators").exists()


def test_indicators_refuse_a_file_without_a_code_column_or_any_indicator():
    import_areas(1)

    assert _problems(lambda: _import(csv_bytes(["name", "colour"], [["a", "b"]]))) == [
        "Row 1: no column gives the LSOA code (LSOA21CD, say)",
        "Row 1: no column is one of the indicators the user guide lists",
    ]


def test_indicators_refuse_a_column_that_mixes_proportions_and_percentages():
    import_areas(2)
    data = csv_bytes(["LSOA21CD", "no_qualifications"], [[code(0), "0.2"], [code(1), "25%"]])

    (problem,) = _problems(lambda: _import(data))

    assert "mixes proportions" in problem


def test_indicators_replace_only_the_columns_the_file_has_and_report_absent_areas():
    import_areas(2)
    _import(
        csv_bytes(
            ["LSOA21CD", "imd_score", "claimant_rate"], [[code(0), "30", "4"], [code(1), "20", "2"]]
        )
    )

    record = _import(csv_bytes(["LSOA21CD", "imd_score"], [[code(0), "35"]]))

    assert SmallArea.objects.get(code=code(0)).indicators == {
        "imd_score": 35.0,
        "claimant_rate": 4.0,
    }
    assert SmallArea.objects.get(code=code(1)).indicators == {"claimant_rate": 2.0}
    assert record.summary["absent_areas"] == [code(1)]


def test_an_indicator_import_is_audited_with_each_areas_values_before_and_after(officer):
    import_areas(1)

    _import(csv_bytes(["LSOA21CD", "imd_score"], [[code(0), "35"]]), officer)

    entry = AuditEntry.objects.filter(action="inclusion.manage_risk_index").latest("pk")
    assert entry.before == {code(0): {}}
    assert entry.after == {code(0): {"imd_score": 35.0}}
    assert entry.actor == officer


def test_a_resident_cannot_import_indicators():
    import_areas(1)
    with pytest.raises(PermissionDenied):
        _import(csv_bytes(["LSOA21CD", "imd_score"], [[code(0), "35"]]), UserFactory())
