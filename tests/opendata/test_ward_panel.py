"""Open data's panel on a ward's page: datasets about the ward and its row of by-ward tables."""

import pytest

from tests.opendata.factories import DatasetFactory, upload
from townhall.opendata import services
from townhall.opendata.selectors import ward_data

pytestmark = pytest.mark.django_db
RIVERSIDE = "E05000001"
POPULATION = "Ward code,Ward,Population\nE05000001,Riverside,9876\nE05000002,Castle,7001\n"


def published_table(publisher, content, **fields):
    dataset = DatasetFactory(**fields)
    version = upload(publisher, dataset, content=content, filename="table.csv")
    services.dataset_publish(actor=publisher, dataset=dataset)
    return dataset, version.resource


def test_ward_panel_shows_the_wards_row_of_a_table_with_a_ward_code_column(publisher):
    dataset, resource = published_table(publisher, POPULATION, title="Population by ward")
    panel = ward_data(RIVERSIDE)
    (row,) = panel["rows"]
    assert row["resource"] == resource
    assert ("Population", "9,876") in row["cells"]
    assert ("Ward", "Riverside") in row["cells"]
    assert row["url"].startswith(f"/data/{dataset.slug}/{resource.pk}/?col=")
    assert row["url"].endswith("&op=eq&val=E05000001")


def test_ward_panel_lists_published_datasets_whose_area_covered_is_the_ward(publisher):
    DatasetFactory(title="Flood risk", spatial_area_code=RIVERSIDE, published=True)
    DatasetFactory(title="Draft survey", spatial_area_code=RIVERSIDE)
    DatasetFactory(title="Castle trees", spatial_area_code="E05000002", published=True)
    panel = ward_data(RIVERSIDE)
    assert [str(dataset.title) for dataset in panel["datasets"]] == ["Flood risk"]
    assert panel["rows"] == []


def test_ward_panel_leaves_out_tables_of_unpublished_datasets_and_without_the_ward(publisher):
    dataset = DatasetFactory()
    upload(publisher, dataset, content=POPULATION, filename="table.csv")
    published_table(publisher, "Ward code,Trees\nE05000002,12\n")
    assert ward_data(RIVERSIDE) is None


def test_ward_panel_reads_the_columns_of_every_table_at_once(publisher):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    published_table(publisher, "Site,Trees\nPark,12\n")
    with CaptureQueriesContext(connection) as one_table:
        ward_data(RIVERSIDE)
    published_table(publisher, "Site,Benches\nPark,3\n")
    published_table(publisher, "Site,Bins\nPark,7\n")
    with CaptureQueriesContext(connection) as three_tables:
        ward_data(RIVERSIDE)
    assert len(three_tables) == len(one_table)
