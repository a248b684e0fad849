"""The Northbridge demo's open data: enough real-looking datasets, in the DataStore."""

import pytest

from townhall.core.demo import build_demo
from townhall.opendata import selectors
from townhall.opendata.models import Dataset, ResourceVersion
from townhall.opendata.transparency import compliance

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    return build_demo("small", report=lambda line: None, modules=["core", "opendata"])


def test_demo_publishes_at_least_twelve_datasets_from_several_departments(demo):
    published = selectors.published_datasets()
    assert published.count() >= 12
    assert published.values("publisher").distinct().count() >= 5


def test_demo_loads_every_table_into_the_datastore(demo):
    versions = ResourceVersion.objects.exclude(ingest_status=ResourceVersion.Ingest.NOT_TABULAR)
    assert versions.count() >= 10
    assert set(versions.values_list("ingest_status", flat=True)) == {ResourceVersion.Ingest.DONE}


def test_demo_spending_has_the_transparency_code_columns_and_thousands_of_rows(demo):
    from townhall.datastore import selectors as datastore

    spending = Dataset.objects.get(transparency_code="spend-over-500")
    resource = spending.resources.get()
    table = datastore.table_info(resource.pk)
    assert [column["id"] for column in table.columns] == [
        "Transaction date", "Supplier", "Net amount", "Irrecoverable VAT", "Department/service",
        "Procurement category", "Purpose narrative", "CIPFA expenditure code",
    ]  # fmt: skip
    assert table.row_count >= 2000
    assert spending.temporal_end.year - spending.temporal_start.year >= 3


def test_demo_wards_are_geojson(demo):
    wards = Dataset.objects.get(slug="ward-boundaries").resources.get()
    assert wards.format == "GeoJSON"


def test_demo_has_one_transparency_dataset_overdue(demo):
    rows = compliance(
        Dataset.objects.filter(status=Dataset.Status.PUBLISHED).exclude(transparency_code=""),
        today=demo.now.date(),
    )
    overdue = [row.kind.slug for row in rows if row.status == "overdue"]
    assert overdue == ["senior-salaries"]


def test_demo_runs_again_without_duplicating(demo):
    count = Dataset.objects.count()
    build_demo("small", report=lambda line: None, modules=["core", "opendata"])
    assert Dataset.objects.count() == count


def test_demo_main_datasets_publishers_and_themes_have_welsh(demo):
    libraries = Dataset.objects.get(slug="library-visits")
    assert libraries.title_cy == "Ymweliadau a benthyciadau ym mhob llyfrgell"
    assert libraries.description_cy and libraries.publisher.title_cy
    assert all(theme.title_cy for theme in libraries.themes.all())
    assert Dataset.objects.exclude(title_cy__isnull=True).exclude(title_cy="").count() >= 5
