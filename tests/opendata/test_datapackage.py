"""Each published dataset as a Frictionless Data Package, checked with frictionless itself."""

import pytest
from django.conf import settings
from frictionless import Package

from townhall.opendata.datapackage import data_package

from .factories import DatasetFactory, LinkResourceFactory, upload

pytestmark = pytest.mark.django_db

SPEND = (
    "Transaction date,Supplier,Net amount,Irrecoverable VAT,Department/service,"
    "Procurement category,Purpose narrative,CIPFA expenditure code\n"
    "2025-01-06,Northbridge Highways Ltd,1250.00,0,Highways,Works,Road repairs,\n"
)


@pytest.fixture
def recycling(publisher):
    dataset = DatasetFactory(published=True, slug="recycling", title="Recycling rates")
    upload(publisher, dataset, filename="recycling.csv")
    return dataset


def fetch(client, slug):
    response = client.get(f"/data/{slug}/datapackage.json")
    assert response.status_code == 200
    return response.json()


def local_package(descriptor, dataset):
    """The package with each upload's download address swapped for its stored file."""
    files = {
        str(resource.id): resource.current_version.file.name for resource in dataset.resources.all()
    }
    for entry in descriptor["resources"]:
        for resource_id, name in files.items():
            if resource_id in entry["path"]:
                entry["path"] = name
    return Package.from_descriptor(descriptor, basepath=settings.MEDIA_ROOT)


def test_data_package_is_valid_frictionless_metadata(client, recycling):
    report = Package.validate_descriptor(fetch(client, "recycling"))
    assert report.valid, report.flatten(["type", "note"])


def test_data_package_describes_the_dataset_and_its_licence(client, recycling):
    package = fetch(client, "recycling")
    assert package["name"] == "recycling"
    assert package["title"] == "Recycling rates"
    assert package["id"] == str(recycling.id)
    assert package["licenses"] == [
        {
            "name": "OGL-UK-3.0",
            "path": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "title": "Open Government Licence v3.0",
        }
    ]


def test_tabular_resource_has_download_path_size_hash_and_datastore_types(client, recycling):
    resource = recycling.resources.get()
    entry = fetch(client, "recycling")["resources"][0]
    assert entry["path"] == f"http://testserver/data/recycling/{resource.id}/file/"
    assert (entry["format"], entry["mediatype"]) == ("csv", "text/csv")
    assert entry["bytes"] == resource.current_version.size
    assert entry["hash"] == f"sha256:{resource.current_version.sha256}"
    assert entry["profile"] == "tabular-data-resource"
    assert {field["name"]: field["type"] for field in entry["schema"]["fields"]} == {
        "Ward": "string",
        "Year": "integer",
        "Households": "integer",
        "Recycling rate": "number",
    }


def test_the_data_meets_the_package_it_is_described_by(client, recycling):
    report = local_package(fetch(client, "recycling"), recycling).validate()
    assert report.valid, report.flatten(["type", "rowNumber", "fieldName", "note"])


def test_transparency_dataset_uses_its_code_schema(client, publisher):
    dataset = DatasetFactory(published=True, slug="spend", transparency_code="spend-over-500")
    upload(publisher, dataset, SPEND, filename="spend.csv")
    descriptor = fetch(client, "spend")
    fields = descriptor["resources"][0]["schema"]["fields"]
    assert fields[0] == {
        "name": "Transaction date",
        "type": "date",
        "format": "%Y-%m-%d",
        "description": "The date the payment was made, as YYYY-MM-DD.",
        "constraints": {"required": True},
    }
    report = local_package(descriptor, dataset).validate()
    assert report.valid, report.flatten(["type", "rowNumber", "fieldName", "note"])


def test_link_resource_points_at_its_address_without_a_schema(client):
    link = LinkResourceFactory(dataset=DatasetFactory(published=True, slug="links"))
    entry = fetch(client, "links")["resources"][0]
    assert entry["path"] == link.url
    assert "schema" not in entry


def test_resource_names_are_unique_and_machine_friendly(rf, publisher):
    dataset = DatasetFactory(published=True)
    upload(publisher, dataset, filename="Recycling 2024.csv")
    upload(publisher, dataset, filename="Recycling 2024.csv")
    names = [entry["name"] for entry in data_package(dataset, request=rf.get("/"))["resources"]]
    assert names == ["recycling-2024", "recycling-2024-2"]


def test_data_package_of_a_draft_is_not_found(client):
    DatasetFactory(slug="draft-spend")
    assert client.get("/data/draft-spend/datapackage.json").status_code == 404
