"""A new version with problems, uploaded to a published dataset, waits for the publisher
to confirm it before anyone sees it (issue 14 item 3, ADR 0037)."""

import pytest

from townhall.opendata.models import Dataset

from .factories import SAMPLE_CSV, DatasetFactory, upload
from .test_publishing import QUIRKY_CSV

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(publisher):
    """A published dataset serving SAMPLE_CSV (six clean rows), and its resource."""
    dataset = DatasetFactory(published=True)
    version = upload(publisher, dataset)
    return dataset, version.resource


def public_rows(client, resource) -> list[dict]:
    response = client.get(f"/api/v1/datastore/{resource.pk}/rows")
    assert response.status_code == 200
    return response.json()["records"]


def test_a_new_version_with_problems_is_not_served_to_the_public(client, publisher, published):
    dataset, resource = published
    upload(publisher, dataset, QUIRKY_CSV, filename="spend.csv", resource=resource)

    rows = public_rows(client, resource)

    assert dataset.status == Dataset.Status.PUBLISHED
    assert len(rows) == 6
    assert rows[0]["Ward"] == "Abbey"


def test_a_new_version_without_problems_is_served_at_once(client, publisher, published):
    dataset, resource = published
    upload(publisher, dataset, SAMPLE_CSV.replace("Abbey", "Minster"), resource=resource)

    assert public_rows(client, resource)[0]["Ward"] == "Minster"
