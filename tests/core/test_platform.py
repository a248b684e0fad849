"""The platform answers at the paths other modules and clients rely on."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_the_database_does_not_answer(client, monkeypatch):
    from django.db import DatabaseError

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.parametrize(("path", "language"), [("/", "en-gb"), ("/cy/", "cy")])
def test_home_page_is_served_in_english_and_welsh(client, path, language):
    response = client.get(path)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.text


def test_openapi_document_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Townhall API"


def test_home_page_offers_each_modules_section_with_its_description(client):
    from townhall.core.registry import Manifest, NavigationEntry, registry

    registry.register(
        Manifest(
            app_label="probe",
            name="Probe",
            navigation=(
                NavigationEntry(
                    label="Probe section", url_name="core:search", description="Try the probe."
                ),
            ),
        )
    )
    try:
        html = client.get("/").text
    finally:
        registry._manifests.pop("probe")
    assert 'href="/search/">Probe section</a>' in html
    assert "Try the probe." in html


@pytest.mark.parametrize(
    ("path", "title"),
    [("/", "<title>Townhall</title>"), ("/search/", "<title>Search – Townhall</title>")],
)
def test_page_titles_name_the_page_then_the_council(client, path, title):
    assert title in client.get(path).text
