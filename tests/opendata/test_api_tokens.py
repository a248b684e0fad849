"""API tokens and the native publishing API under /api/v1/data/."""

import pytest
from django.urls import reverse

from townhall.core.api import api
from townhall.opendata import services
from townhall.opendata.models import ApiToken, Dataset, Resource, ResourceVersion

from .factories import SAMPLE_CSV, DatasetFactory, OrganisationFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(publisher):
    _token, secret = services.api_token_create(actor=publisher, name="nightly upload")
    return secret


def auth(secret):
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def test_token_is_stored_only_as_a_hash(publisher):
    token, secret = services.api_token_create(actor=publisher, name="script")
    assert secret not in token.token_hash
    assert token.prefix == secret[:12]
    assert services.api_token_authenticate(secret) == publisher


def test_revoked_token_stops_working(publisher, token):
    services.api_token_revoke(actor=publisher, token=ApiToken.objects.get())
    assert services.api_token_authenticate(token) is None


def test_token_of_someone_who_lost_the_role_stops_working(publisher, token):
    publisher.groups.clear()
    publisher._townhall_roles = None
    assert services.api_token_authenticate(token) is None


def test_a_resident_cannot_make_a_token(resident):
    from townhall.core.permissions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=resident, name="x")


def test_tokens_page_shows_the_secret_once(client, publisher):
    client.force_login(publisher)
    created = client.post(reverse("opendata:tokens"), {"name": "loader"}).content.decode()
    secret_prefix = ApiToken.objects.get().prefix
    assert secret_prefix in created and "It will not be shown again" in created
    again = client.get(reverse("opendata:tokens")).content.decode()
    assert "It will not be shown again" not in again


def test_token_revoke_page(client, publisher, token):
    client.force_login(publisher)
    stored = ApiToken.objects.get()
    client.post(reverse("opendata:token_revoke", args=[stored.pk]))
    stored.refresh_from_db()
    assert stored.revoked_at is not None


def test_api_create_dataset_needs_a_token(client):
    response = client.post(
        "/api/v1/data/datasets", {"title": "X", "publisher": "p"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_api_creates_updates_and_publishes_a_dataset(client, token, publisher):
    OrganisationFactory(slug="finance")
    ThemeFactory(slug="money")
    created = client.post(
        "/api/v1/data/datasets",
        {"title": "Spend", "publisher": "finance", "themes": ["money"], "keywords": ["spend"]},
        content_type="application/json",
        **auth(token),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["themes"] == ["money"]
    patched = client.patch(
        f"/api/v1/data/datasets/{body['id']}", {"description": "All payments"},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert patched.json()["description"] == "All payments"
    published = client.post(f"/api/v1/data/datasets/{body['slug']}/publish", **auth(token))
    assert published.json()["status"] == "published"
    assert Dataset.objects.get().created_by == publisher


@pytest.mark.parametrize("field", ["title", "publisher", "description", "themes", "keywords"])
def test_api_patch_setting_a_field_to_null_is_a_422_naming_it(client, token, field):
    dataset = DatasetFactory(title="Spend")
    response = client.patch(
        f"/api/v1/data/datasets/{dataset.pk}", {field: None},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["details"]["errors"][0]["loc"][-1] == field
    assert Dataset.objects.get().title == "Spend"


def test_api_patch_may_clear_a_date_with_null(client, token):
    dataset = DatasetFactory(temporal_start="2024-01-01")
    response = client.patch(
        f"/api/v1/data/datasets/{dataset.pk}", {"temporal_start": None},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["temporal_start"] is None


@pytest.mark.parametrize("body", ["[]", '"x"', "3", "null", '[{"title": "X"}]'])
def test_api_body_that_is_not_a_json_object_is_a_400(client, token, body):
    dataset = DatasetFactory(title="Spend")
    response = client.patch(
        f"/api/v1/data/datasets/{dataset.pk}", body, content_type="application/json", **auth(token)
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_body"
    assert Dataset.objects.get().title == "Spend"


def test_api_body_holding_a_nul_character_is_a_400(client, token):
    dataset = DatasetFactory(title="Spend")
    response = client.patch(
        f"/api/v1/data/datasets/{dataset.pk}", '{"title": "Sp\\u0000end"}',
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_characters"


def test_api_json_body_over_the_size_limit_is_a_413(client, token):
    from django.conf import settings

    OrganisationFactory(slug="finance")
    body = '{"title": "' + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + '", "publisher": "finance"}'
    response = client.post(
        "/api/v1/data/datasets", body, content_type="application/json", **auth(token)
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"
    assert not Dataset.objects.exists()


def test_api_create_with_an_unknown_publisher_is_a_clear_error(client, token):
    response = client.post(
        "/api/v1/data/datasets", {"title": "X", "publisher": "nobody"},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_publisher"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Spend\x00"),
        ("description", "All\x1b payments"),
        ("contact_name", "Finance\nteam"),
        ("keywords", ["spend", "pay\x07"]),
    ],
)
def test_api_refuses_control_characters_when_creating_or_updating_a_dataset(
    client, token, field, value
):
    OrganisationFactory(slug="finance")
    dataset = DatasetFactory(title="Spend", description="All payments")
    created = client.post(
        "/api/v1/data/datasets", {"title": "Rents", "publisher": "finance", field: value},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    patched = client.patch(
        f"/api/v1/data/datasets/{dataset.pk}", {field: value},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    for response in (created, patched):
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        if "\x00" in str(value):  # NUL is refused before the body is read (holds_nul)
            assert error["code"] == "invalid_characters"
            continue
        assert error["code"] == "invalid_dataset"
        assert "control characters" in error["details"]["errors"][field][0]
    assert Dataset.objects.get() == dataset
    dataset.refresh_from_db()
    assert (dataset.title, dataset.description) == ("Spend", "All payments")


def test_api_upload_refuses_control_characters_in_the_name_and_drops_them_from_the_file_name(
    client, token
):
    dataset = DatasetFactory()
    refused = client.post(
        f"/api/v1/data/datasets/{dataset.slug}/resources?filename=r.csv&name=Bins%07",
        SAMPLE_CSV.encode(), content_type="application/octet-stream", **auth(token),
    )  # fmt: skip
    assert refused.status_code == 400
    assert "control characters" in refused.json()["error"]["details"]["errors"]["name"][0]
    assert not Resource.objects.exists()
    stored = client.post(
        f"/api/v1/data/datasets/{dataset.slug}/resources?filename=bins%07%0D%0A.csv",
        SAMPLE_CSV.encode(), content_type="application/octet-stream", **auth(token),
    )  # fmt: skip
    assert stored.status_code == 201, stored.content
    assert stored.json()["current_version"]["filename"] == "bins.csv"


def test_api_uploads_a_file_as_the_raw_body(client, token, django_capture_on_commit_callbacks):
    dataset = DatasetFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/data/datasets/{dataset.slug}/resources?filename=recycling.csv&name=Recycling",
            SAMPLE_CSV.encode(),
            content_type="application/octet-stream",
            **auth(token),
        )
    assert response.status_code == 201, response.content
    resource = Resource.objects.get()
    assert resource.name == "Recycling"
    assert resource.versions.get().ingest_status == ResourceVersion.Ingest.DONE
    read = client.get(f"/api/v1/data/resources/{resource.pk}", **auth(token)).json()
    assert read["current_version"]["row_count"] == 6


def test_api_upload_whose_type_lies_is_refused(client, token):
    dataset = DatasetFactory()
    response = client.post(
        f"/api/v1/data/datasets/{dataset.slug}/resources?filename=x.xlsx",
        b"Ward,Year\n", content_type="application/octet-stream", **auth(token),
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "upload_refused"


def test_api_upload_over_the_limit_is_refused_before_reading(client, token, settings):
    settings.TOWNHALL_DATA_MAX_UPLOAD_BYTES = 10
    dataset = DatasetFactory()
    response = client.post(
        f"/api/v1/data/datasets/{dataset.slug}/resources?filename=x.csv",
        SAMPLE_CSV.encode(), content_type="application/octet-stream", **auth(token),
    )  # fmt: skip
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "upload_too_large"


def test_api_new_version_that_fails_keeps_the_old_one(
    client, token, publisher, django_capture_on_commit_callbacks
):
    from .factories import upload

    first = upload(publisher, DatasetFactory(published=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/data/resources/{first.resource.pk}/versions?filename=bad.csv",
            b",,\n1,2\n", content_type="application/octet-stream", **auth(token),
        )  # fmt: skip
    assert response.status_code == 201
    read = client.get(f"/api/v1/data/resources/{first.resource.pk}").json()
    assert read["current_version"]["ingest_status"] == "failed"
    first.resource.refresh_from_db()
    assert first.resource.current_version == first


def test_api_reads_published_datasets_without_a_token(client):
    DatasetFactory(slug="open", published=True)
    DatasetFactory(slug="hidden")
    listed = client.get("/api/v1/data/datasets").json()
    assert [item["slug"] for item in listed["items"]] == ["open"]
    assert client.get("/api/v1/data/datasets/hidden").status_code == 404


def test_api_lists_with_a_next_link(client):
    for number in range(3):
        DatasetFactory(slug=f"d{number}", published=True)
    first = client.get("/api/v1/data/datasets", {"limit": 2}).json()
    assert len(first["items"]) == 2
    second = client.get(first["next"]).json()
    assert [item["slug"] for item in second["items"]] == ["d2"]
    assert second["next"] is None


def test_openapi_document_describes_the_publishing_endpoints_and_token():
    schema = api.get_openapi_schema()
    assert "/api/v1/data/datasets" in schema["paths"]
    upload = schema["paths"]["/api/v1/data/datasets/{dataset_id}/resources"]["post"]
    assert "application/octet-stream" in upload["requestBody"]["content"]
    assert "TokenAuth" in schema["components"]["securitySchemes"]
