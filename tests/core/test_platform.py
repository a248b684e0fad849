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


def test_an_unexpected_api_error_answers_json_not_the_error_page(client, settings, monkeypatch):
    from townhall.core import api_routes

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    settings.DEBUG = False
    monkeypatch.setattr(api_routes.geography_selectors, "areas", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/areas")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "server_error"


def test_an_unexpected_page_error_still_answers_the_error_page(client, settings, monkeypatch):
    from townhall.core.views import pages

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    settings.DEBUG = False
    monkeypatch.setattr(pages, "render", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.text


def test_an_address_under_api_that_leads_nowhere_answers_a_json_404(client):
    response = client.get("/api/v1/no-such-thing/at-all")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/search?q=a%00b", "/api/v1/areas/a%00b"])
def test_a_nul_character_in_an_api_address_is_a_json_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("path", ["/search/?q=%00", "/cy/search/?q=a%00b", "/a%00b/"])
def test_a_nul_character_in_a_page_address_is_the_400_page(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "Sorry, we could not accept what you sent" in response.text
