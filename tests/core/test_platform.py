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


def test_home_page_shows_the_panels_modules_offer_and_leaves_out_empty_ones(
    client, settings, tmp_path
):
    from townhall.core.registry import HomePanel, Manifest, registry

    (tmp_path / "probe_panel.html").write_text("<p>Probe panel: {{ panel.message }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    registry.register(
        Manifest(
            app_label="probe",
            name="Probe",
            home_panel=HomePanel(template="probe_panel.html", context=lambda: {"message": "hello"}),
        )
    )
    registry.register(
        Manifest(
            app_label="probe_empty",
            name="Empty",
            home_panel=HomePanel(template="probe_panel.html", context=lambda: None),
        )
    )
    try:
        html = client.get("/").text
    finally:
        registry._manifests.pop("probe")
        registry._manifests.pop("probe_empty")
    assert html.count("Probe panel:") == 1
    assert "Probe panel: hello" in html


def test_a_request_too_large_to_read_gets_a_page_that_says_so(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/accounts/login/", {"login": "x" * 5000, "password": "y"})
    assert response.status_code == 400
    assert "Sorry, we could not accept what you sent" in response.text
