"""A new version with problems, uploaded to a published dataset, waits for the publisher
to confirm it before anyone sees it (issue 14 item 3, ADR 0037)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from townhall.core.models import AuditEntry
from townhall.datastore import selectors as datastore_selectors
from townhall.opendata import services
from townhall.opendata.models import Dataset, ResourceVersion

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


@pytest.fixture
def held(publisher, published):
    """The published dataset, its resource, and a new version with one problem, held."""
    dataset, resource = published
    version = upload(publisher, dataset, QUIRKY_CSV, filename="spend.csv", resource=resource)
    version.refresh_from_db()
    return dataset, resource, version


def test_the_publishers_page_shows_the_held_version_with_its_problems_and_two_buttons(
    client, publisher, held
):
    dataset, resource, version = held
    client.force_login(publisher)

    page = client.get(reverse("opendata:resource", args=[dataset.slug, resource.pk])).text

    assert version.ingest_status == ResourceVersion.Ingest.HELD
    assert "Loaded with 1 problem — waiting for you to confirm" in page
    assert "31/02/2023" in page  # The problem report lists the cell as written.
    assert reverse("opendata:version_publish", args=[dataset.slug, resource.pk, version.pk]) in page
    assert reverse("opendata:version_discard", args=[dataset.slug, resource.pk, version.pk]) in page
    assert 'name="confirm_problems"' in page


def test_a_resident_sees_only_the_previous_version_while_one_is_held(client, held):
    dataset, resource, _version = held

    page = client.get(reverse("opendata:resource", args=[dataset.slug, resource.pk])).text

    assert "Abbey" in page
    assert "Acme Ltd" not in page
    assert "waiting for you to confirm" not in page


def test_publishing_a_held_version_needs_the_problems_confirmed_then_serves_it(
    client, publisher, held
):
    dataset, resource, version = held
    client.force_login(publisher)
    url = reverse("opendata:version_publish", args=[dataset.slug, resource.pk, version.pk])

    refused = client.post(url, follow=True).text
    rows_after_refusal = public_rows(client, resource)
    client.post(url, {"confirm_problems": "yes"})

    assert "The data was loaded with 1 problem." in refused
    assert rows_after_refusal[0]["Ward"] == "Abbey"
    assert public_rows(client, resource)[0]["Supplier"] == "Acme Ltd"
    version.refresh_from_db()
    resource.refresh_from_db()
    assert version.ingest_status == ResourceVersion.Ingest.DONE
    assert resource.current_version_id == version.pk
    entry = AuditEntry.objects.get(action="opendata.version_publish")
    assert (entry.actor, entry.after["problems_confirmed"]) == (publisher, 1)


def test_discarding_a_held_version_keeps_the_previous_one_served(client, publisher, held):
    dataset, resource, version = held
    client.force_login(publisher)

    client.post(reverse("opendata:version_discard", args=[dataset.slug, resource.pk, version.pk]))

    version.refresh_from_db()
    assert version.ingest_status == ResourceVersion.Ingest.DISCARDED
    assert datastore_selectors.held_report(resource.pk) is None
    assert public_rows(client, resource)[0]["Ward"] == "Abbey"
    assert AuditEntry.objects.filter(action="opendata.version_discard", actor=publisher).exists()
    with pytest.raises(ValidationError) as refused:
        services.version_publish(actor=publisher, version=version, confirm_problems=True)
    assert refused.value.code == "not_held"


def test_a_newer_upload_replaces_the_held_version(client, publisher, held):
    dataset, resource, version = held

    upload(publisher, dataset, SAMPLE_CSV.replace("Abbey", "Minster"), resource=resource)

    version.refresh_from_db()
    assert version.ingest_status == ResourceVersion.Ingest.DISCARDED
    assert "newer upload" in version.ingest_message
    assert public_rows(client, resource)[0]["Ward"] == "Minster"


def test_a_draft_datasets_version_with_problems_loads_as_before(publisher):
    dataset = DatasetFactory()
    version = upload(publisher, dataset, QUIRKY_CSV, filename="spend.csv")

    version.refresh_from_db()
    assert version.ingest_status == ResourceVersion.Ingest.DONE
    assert version.resource.current_version_id == version.pk


def test_api_publishes_a_held_version_with_stable_error_codes(client, publisher, held):
    _dataset, resource, version = held
    _token, secret = services.api_token_create(actor=publisher, name="script")
    url = f"/api/v1/data/resources/{resource.pk}/versions/{version.pk}/publish"
    auth = {"HTTP_AUTHORIZATION": f"Token {secret}"}

    refused = client.post(url, **auth)
    published = client.post(f"{url}?confirm_problems=true", **auth)
    again = client.post(f"{url}?confirm_problems=true", **auth)

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "unconfirmed_problems"
    assert published.status_code == 200
    assert published.json()["current_version"]["ingest_status"] == "done"
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "not_held"


def test_api_discards_a_held_version(client, publisher, held):
    _dataset, resource, version = held
    _token, secret = services.api_token_create(actor=publisher, name="script")
    url = f"/api/v1/data/resources/{resource.pk}/versions/{version.pk}/discard"

    discarded = client.post(url, HTTP_AUTHORIZATION=f"Token {secret}")

    assert discarded.status_code == 200
    assert discarded.json()["current_version"]["ingest_status"] == "discarded"
    assert public_rows(client, resource)[0]["Ward"] == "Abbey"


def test_the_held_version_is_explained_in_welsh_on_the_welsh_page(client, publisher, held):
    dataset, resource, _version = held
    client.force_login(publisher)

    page = client.get(f"/cy/data/{dataset.slug}/{resource.pk}/").text

    assert "Wedi'i llwytho gyda 1 problem — yn aros i chi gadarnhau" in page
    assert "Cyhoeddi'r fersiwn hon" in page


def test_a_version_with_problems_of_an_archived_dataset_is_held_too(publisher):
    dataset = DatasetFactory(published=True)
    resource = upload(publisher, dataset).resource
    Dataset.objects.filter(pk=dataset.pk).update(status=Dataset.Status.ARCHIVED)
    dataset.refresh_from_db()

    version = upload(publisher, dataset, QUIRKY_CSV, filename="spend.csv", resource=resource)

    version.refresh_from_db()
    assert version.ingest_status == ResourceVersion.Ingest.HELD
