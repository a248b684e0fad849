"""OCDS 1.1 release and record packages: every kind validated against the official 1.1.5
schemas (../shared/standards/ocds-1.1.5/, resolved locally, never fetched), queried with
Find a Tender's parameters, paged by cursor, refusing bad parameters in the API's shape."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.market.factories import ChallengeFactory, ContractFactory, ProcurementFactory
from townhall.market.models import Challenge, Procurement

pytestmark = pytest.mark.django_db


def _errors(validator, document) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


@pytest.fixture
def everything(db, challenge):
    """A challenge, a planned and a tendering procurement, a cancelled one and an award."""
    planned = ProcurementFactory(challenge=challenge, route=Procurement.Route.COMPETITIVE_FLEXIBLE)
    ProcurementFactory(status=Procurement.Status.TENDERING, route=Procurement.Route.DIRECT_AWARD)
    ProcurementFactory(status=Procurement.Status.CANCELLED)
    contract = ContractFactory(value_pence=4_850_050)
    return {"challenge": challenge, "planned": planned, "contract": contract}


def test_the_release_package_validates_with_every_kind_of_release(client, ocds_schemas, everything):
    body = client.get("/ocds/releases").json()

    assert _errors(ocds_schemas["releases"], body) == []
    tags = {tag for release in body["releases"] for tag in release["tag"]}
    assert tags == {"planning", "tender", "tenderCancellation", "award", "contract"}


def test_the_record_package_validates_with_compiled_releases(client, ocds_schemas, everything):
    body = client.get("/ocds/records").json()

    assert _errors(ocds_schemas["records"], body) == []
    awarded = next(record for record in body["records"] if "awards" in record["compiledRelease"])
    assert {"award", "contract"} <= {tag for r in awarded["releases"] for tag in r["tag"]}
    assert awarded["compiledRelease"]["contracts"][0]["value"]["amount"] == 48500.5


def test_one_process_validates_as_releases_and_as_a_record(client, ocds_schemas, everything):
    contract = everything["contract"]
    ocid = f"ocds-xxxxxx-northbridge-{contract.procurement.public_id}"

    releases = client.get(f"/ocds/releases/{ocid}").json()
    record = client.get(f"/ocds/records/{ocid}").json()

    assert _errors(ocds_schemas["releases"], releases) == []
    assert _errors(ocds_schemas["records"], record) == []
    assert {release["ocid"] for release in releases["releases"]} == {ocid}
    assert [item["ocid"] for item in record["records"]] == [ocid]


def test_the_challenge_is_a_planning_release_linked_from_its_procurement(client, everything):
    challenge, planned = everything["challenge"], everything["planned"]
    challenge_ocid = f"ocds-xxxxxx-northbridge-{challenge.public_id}"

    body = client.get(f"/ocds/releases/ocds-xxxxxx-northbridge-{planned.public_id}").json()

    related = body["releases"][0]["relatedProcesses"][0]
    assert related["identifier"] == challenge_ocid
    planning = client.get(f"/ocds/releases/{challenge_ocid}").json()["releases"][0]
    assert planning["tender"]["minValue"] == {"amount": 50000, "currency": "GBP"}


def test_the_ocid_prefix_is_the_setting(client, settings, challenge):
    settings.OCDS_PREFIX = "ocds-abc123-test"

    body = client.get("/ocds/releases").json()

    assert body["releases"][0]["ocid"] == f"ocds-abc123-test-{challenge.public_id}"


def test_drafts_are_never_released(client):
    ChallengeFactory(status=Challenge.Status.DRAFT, published_at=None)

    assert client.get("/ocds/releases").json()["releases"] == []


def test_stages_choose_the_releases(client, everything):
    body = client.get("/ocds/releases?stages=award,contract").json()

    assert {tag for release in body["releases"] for tag in release["tag"]} == {
        "award",
        "contract",
    }


def test_updated_from_and_to_choose_by_date(client, everything):
    old = everything["challenge"]
    Challenge.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=400))
    since = (timezone.now() - timedelta(days=30)).date().isoformat()
    before = (timezone.now() - timedelta(days=300)).date().isoformat()

    recent = client.get(f"/ocds/releases?updatedFrom={since}").json()["releases"]
    older = client.get(f"/ocds/releases?updatedTo={before}").json()["releases"]

    old_ocid = f"ocds-xxxxxx-northbridge-{old.public_id}"
    assert old_ocid not in {release["ocid"] for release in recent}
    assert [release["ocid"] for release in older] == [old_ocid]


def test_the_cursor_pages_through_every_release_once(client, everything):
    seen, url = [], "/ocds/releases?limit=2"
    while url:
        body = client.get(url).json()
        seen += [release["id"] for release in body["releases"]]
        url = body.get("links", {}).get("next", "").removeprefix("http://testserver")

    everything_at_once = client.get("/ocds/releases").json()["releases"]
    assert seen == [release["id"] for release in everything_at_once]
    assert len(seen) == len(set(seen)) == 7


def test_the_record_cursor_pages_through_every_record_once(client, everything):
    seen, url = [], "/ocds/records?limit=1"
    while url:
        body = client.get(url).json()
        seen += [record["ocid"] for record in body["records"]]
        url = body.get("links", {}).get("next", "").removeprefix("http://testserver")

    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("updatedFrom=last+week", "updatedFrom"),
        ("updatedTo=2026-13-01", "updatedTo"),
        ("updatedFrom=2026-05-01&updatedTo=2026-04-01", "updatedTo"),
        ("stages=awarded", "stages"),
        ("limit=0", "limit"),
        ("limit=5000", "limit"),
        ("limit=ten", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("page=2", "page"),
    ],
)
def test_bad_parameters_are_refused_in_the_error_shape(client, query, parameter):
    response = client.get(f"/ocds/releases?{query}")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_parameter"
    assert error["details"] == {"parameter": parameter}
    assert error["message"]


def test_an_unknown_ocid_is_a_404_in_the_error_shape(client):
    response = client.get("/ocds/records/ocds-xxxxxx-northbridge-nothing")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_ocds_is_served_at_the_same_address_in_welsh(client, challenge):
    assert client.get("/cy/ocds/releases").status_code == 404
    assert client.get("/ocds/releases", HTTP_ACCEPT_LANGUAGE="cy").status_code == 200
