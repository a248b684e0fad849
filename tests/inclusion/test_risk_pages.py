"""The published risk index: a map with a key and gaps, a table of every area, the
weights, the method, downloads; the ward panel; and the officer's page."""

import csv
import io
import json

import pytest
from django.test import override_settings

from tests.core.factories import AreaFactory, UserFactory, square
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.inclusion import risk_services
from townhall.inclusion.models import RiskWeights
from townhall.inclusion.risk_selectors import risk_index

from .factories import DirectoryOfficerFactory, LocationFactory, ServiceAtLocationFactory
from .risk_factories import SIDE, SOUTH, WEST, code, csv_bytes, geojson, import_areas, lsoa_feature

pytestmark = pytest.mark.django_db
OPEN_DATA_SLUG = "digital-exclusion-risk-index"


@pytest.fixture
def officer():
    return DirectoryOfficerFactory()


def _values(risk: float, speed: float = 50.0) -> dict:
    return {
        "aged_65_plus": 10 + risk,
        "aged_75_plus": 5 + risk / 2,
        "no_30mbps": risk,
        "average_download": speed,
        "imd_score": 10 + 3 * risk,
        "claimant_rate": 1 + risk / 5,
    }


@pytest.fixture
def index():
    """Ten areas in a row from west to east, risk rising eastwards; help at the west end."""
    AreaFactory(code="E05000001", name="Riverside", geometry=square(-1.7, 52.9, 0.5))
    codes = import_areas(10)
    values = {area: _values(number, speed=100 - 5 * number) for number, area in enumerate(codes)}
    rows = [[area, *row.values()] for area, row in values.items()]
    risk_services.risk_indicators_import(
        actor=None,
        data=csv_bytes(["LSOA21CD", *_values(0)], rows),
        source="Test indicators",
    )
    ServiceAtLocationFactory(
        location=LocationFactory(latitude=SOUTH + SIDE / 2, longitude=WEST + SIDE / 2)
    )
    return codes


def test_the_page_shows_the_map_key_gaps_weights_table_and_method(client, index):
    html = client.get("/digital-help/risk/").content.decode()

    assert '<svg xmlns="http://www.w3.org/2000/svg" class="th-map__svg"' in html
    assert "th-map__feature--risk-5 th-map__feature--gap" in html
    assert "th-map__feature--help" in html
    assert 'text-anchor="middle">5!</text>' in html
    assert 'text-anchor="middle">1</text>' in html
    assert "Class 5: highest risk" in html
    assert "th-risk-swatch--1" in html
    assert "Gaps: high risk and no help within walking distance" in html
    assert f"({index[9]}, Riverside)" in html
    assert "These scores use the default weights" in html
    assert 'class="th-table-scroll"' in html
    assert html.count('<th scope="row" class="govuk-table__header"><span>Testville') == 10
    assert "How the index is worked out" in html
    assert "/digital-help/risk/digital-exclusion-risk-index.csv" in html
    assert "Open Government Licence" in html
    assert "synthetic" not in html


def test_the_highest_class_far_from_help_are_gaps_and_near_help_are_not(index):
    found = {area.code: area for area in risk_index().areas}

    assert found[index[9]].score.risk_class == 5 and found[index[9]].gap
    assert found[index[8]].score.risk_class == 5 and found[index[8]].gap
    assert found[index[0]].score.risk_class == 1 and not found[index[0]].gap
    assert found[index[0]].nearest_help_m == pytest.approx(0, abs=1)


def test_help_within_walking_distance_closes_a_gap(index):
    ServiceAtLocationFactory(
        location=LocationFactory(latitude=SOUTH + SIDE / 2, longitude=WEST + 9.5 * SIDE)
    )

    # The eastern two are class 5: one has help on the spot, the other 670 m away.
    assert risk_index().gaps == []


@override_settings(INCLUSION_RISK_WALKING_M=100_000)
def test_walking_distance_is_a_setting(index):
    assert risk_index().gaps == []


def test_a_draft_service_is_not_help(index):
    ServiceAtLocationFactory(
        service__state="draft",
        location=LocationFactory(latitude=SOUTH + SIDE / 2, longitude=WEST + 9.5 * SIDE),
    )

    assert index[9] in [area.code for area in risk_index().gaps]


def test_the_page_says_when_nothing_is_published(client):
    html = client.get("/digital-help/risk/").content.decode()

    assert "The council has not published the index yet." in html


def test_the_page_is_in_welsh(client, index):
    html = client.get("/cy/digital-help/risk/").content.decode()

    assert 'lang="cy"' in html
    assert "Perygl allgáu digidol" in html
    assert "Bylchau" in html


def test_a_welsh_page_shows_welsh_names_and_marks_english_ones(client, index):
    feature = lsoa_feature(0)
    feature["properties"]["LSOA21NMW"] = "Trefbrawf 000"
    risk_services.small_areas_import(
        actor=None, data=geojson(feature, *(lsoa_feature(n) for n in range(1, 10)))
    )

    html = client.get("/cy/digital-help/risk/").content.decode()

    assert "<span>Trefbrawf 000</span>" in html
    assert '<span lang="en">Testville 009</span>' in html


def test_the_page_marks_synthetic_figures(client, index):
    risk_services.risk_indicators_import(
        actor=None,
        data=csv_bytes(["LSOA21CD", "imd_score"], [[code(0), "10"]]),
        synthetic=True,
    )

    assert "These figures are synthetic" in client.get("/digital-help/risk/").content.decode()


def test_find_digital_help_links_to_the_index(client):
    assert "/digital-help/risk/" in client.get("/digital-help/").content.decode()


def test_the_csv_download_has_every_area_its_scores_and_the_weights(client, index):
    response = client.get("/digital-help/risk/digital-exclusion-risk-index.csv")

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Type"].startswith("text/csv")
    assert "license" in response["Link"]
    assert len(rows) == 10
    assert rows[0]["lsoa_code"] == index[9]
    assert rows[0]["rank"] == "1" and rows[0]["risk_class"] == "5"
    assert rows[0]["overall_score"] == "10.0"
    assert rows[0]["gap"] == "True"
    assert rows[0]["weights_version"] == "0" and rows[0]["weight_demography"] == "1"
    assert rows[0]["missing_indicators"].split() == [
        "activities_limited",
        "social_grade_de",
        "under_10mbps",
        "pension_credit",
        "no_qualifications",
    ]


def test_the_json_download_states_weights_method_sources_and_licence(client, index):
    document = json.loads(
        client.get("/digital-help/risk/digital-exclusion-risk-index.json").content
    )

    assert document["licence"] == "OGL-UK-3.0"
    assert document["weights"]["version"] == 0
    assert "min-max" in document["method"]
    assert {i["code"]: i["source"] for i in document["indicators"]}["no_30mbps"] == (
        "Ofcom Connected Nations"
    )
    assert document["indicators"][6]["higher_means_lower_risk"] is True
    assert document["indicator_import"]["source"] == "Test indicators"
    assert len(document["areas"]) == 10


def test_changing_the_weights_changes_the_published_scores_and_says_which(client, index, officer):
    before = json.loads(client.get("/digital-help/risk/digital-exclusion-risk-index.json").content)

    risk_services.risk_weights_set(
        actor=officer, demography=0, broadband=0, deprivation=1, reason="Deprivation only"
    )

    after = json.loads(client.get("/digital-help/risk/digital-exclusion-risk-index.json").content)
    assert after["weights"]["version"] == 1
    assert after["weights"]["demography"] == "0.00"
    assert [a["overall_score"] for a in after["areas"]] == [
        a["deprivation_score"] for a in after["areas"]
    ]
    assert after["areas"] != before["areas"]
    html = client.get("/digital-help/risk/").content.decode()
    assert "version 1 of the weights" in html and "Deprivation only" in html


def test_a_change_of_weights_is_a_new_audited_version(officer):
    risk_services.risk_weights_set(actor=officer, demography=1, broadband=1, deprivation=1)
    risk_services.risk_weights_set(actor=officer, demography=2, broadband=1, deprivation=1)

    assert list(RiskWeights.objects.values_list("version", flat=True)) == [2, 1]
    entry = AuditEntry.objects.filter(object_type="inclusion.riskweights").latest("pk")
    assert entry.before == {"demography": "1.00", "broadband": "1.00", "deprivation": "1.00"}
    assert entry.after["demography"] == "2" and entry.after["version"] == 2


def test_a_resident_cannot_change_the_weights(client):
    resident = UserFactory(roles=("resident",))
    with pytest.raises(PermissionDenied):
        risk_services.risk_weights_set(actor=resident, demography=1, broadband=1, deprivation=1)

    client.force_login(resident)
    response = client.post(
        "/digital-help/manage/risk/weights/",
        {"weights-demography": "1", "weights-broadband": "1", "weights-deprivation": "5"},
    )

    assert response.status_code == 403
    assert not RiskWeights.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in_from_the_officers_page(client):
    response = client.get("/digital-help/manage/risk/")

    assert response.status_code == 302 and "login" in response["Location"]


def test_the_officer_changes_the_weights_from_the_page(client, officer):
    client.force_login(officer)

    response = client.post(
        "/digital-help/manage/risk/weights/",
        {
            "weights-demography": "2",
            "weights-broadband": "1",
            "weights-deprivation": "1",
            "weights-reason": "Older population",
        },
    )

    assert response.status_code == 302
    assert RiskWeights.objects.get().reason == "Older population"


def test_the_officer_is_told_when_every_weight_is_zero(client, officer):
    client.force_login(officer)

    response = client.post(
        "/digital-help/manage/risk/weights/",
        {"weights-demography": "0", "weights-broadband": "0", "weights-deprivation": "0"},
    )

    assert response.status_code == 400
    assert "At least one weight must be more than 0" in response.content.decode()


def test_the_officer_imports_files_and_sees_every_problem_and_the_history(client, officer):
    client.force_login(officer)
    upload = io.BytesIO(geojson(lsoa_feature(0), lsoa_feature(0)))
    upload.name = "lsoa.geojson"

    refused = client.post(
        "/digital-help/manage/risk/boundaries/",
        {"boundaries-file": upload, "boundaries-source": "ONS"},
    )

    assert refused.status_code == 400
    assert f"Feature 2: {code(0)} is also feature 1" in refused.content.decode()

    upload = io.BytesIO(geojson(lsoa_feature(0)))
    upload.name = "lsoa.geojson"
    done = client.post(
        "/digital-help/manage/risk/boundaries/",
        {"boundaries-file": upload, "boundaries-source": "ONS LSOA 2021"},
    )
    assert done.status_code == 302
    upload = io.BytesIO(csv_bytes(["LSOA21CD", "imd_score", "notes"], [[code(0), "12", "x"]]))
    upload.name = "imd.csv"
    client.post(
        "/digital-help/manage/risk/indicators/",
        {"indicators-file": upload, "indicators-source": "IMD 2019"},
    )

    html = client.get("/digital-help/manage/risk/").content.decode()
    assert "ONS LSOA 2021 (lsoa.geojson)" in html and "IMD 2019 (imd.csv)" in html
    assert officer.email in html
    assert "Columns ignored: notes" in html


def test_the_staff_workspace_lists_the_risk_index_for_a_directory_officer(client, officer):
    client.force_login(officer)

    assert "/digital-help/manage/risk/" in client.get("/manage/").content.decode()


def test_a_wards_page_shows_its_areas_risk(client, index):
    html = client.get("/wards/riverside/").content.decode()

    assert "Risk of digital exclusion" in html
    assert "Testville 009" in html and "Gap" in html


def test_the_scores_are_open_data_in_the_catalogue_and_the_page_links_there(client, index):
    from django.urls import reverse

    from townhall.opendata import services as opendata

    (dataset,) = [
        d for d in opendata.platform_datasets_sync() if d.platform_export == OPEN_DATA_SLUG
    ]
    url = reverse("opendata:platform_download", args=[OPEN_DATA_SLUG, "csv"])
    rows = list(
        csv.DictReader(io.StringIO(b"".join(client.get(url).streaming_content).decode("utf-8-sig")))
    )

    assert dataset.licence == "OGL-UK-3.0"
    assert [row["lsoa_code"] for row in rows][:2] == [index[9], index[8]]
    assert rows[0]["weights_version"] == "0"
    html = client.get("/digital-help/risk/").content.decode()
    assert f'href="{reverse("opendata:dataset", args=[dataset.slug])}"' in html
    assert "The index in the open data catalogue" in html
