"""The developers' front door (issue #14, item 5): the footer's "API" link leads to a page
in the site's design and both languages, and /api/v1/ answers instead of a 404."""

import re

import pytest

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _footer(html: str) -> str:
    return html.split('class="govuk-footer"')[1]


@pytest.mark.parametrize(("home", "target"), [("/", "/developers/"), ("/cy/", "/cy/developers/")])
def test_footer_api_link_leads_to_the_developers_page_not_the_explorer(client, home, target):
    footer = _footer(client.get(home).text)
    assert f'href="{target}"' in footer
    assert "/api/v1/docs" not in footer


def test_developers_page_introduces_every_api_in_english(client):
    response = client.get("/developers/")
    assert response.status_code == 200
    text = response.text
    assert '<html lang="en' in text
    assert '<h1 class="govuk-heading-xl">API for developers</h1>' in text
    for address in (
        'href="/api/v1/openapi.json"',
        'href="/api/v1/docs"',
        "/api/3/action/package_search",
        'href="/catalog.jsonld"',
        'href="/catalog.ttl"',
        'href="/catalog.xml"',
        "?modified_since=",
        "?fq=",
        'href="/consultations/feed.atom"',
        "Authorization: Token",
    ):
        assert address in text, address
    assert "under Manage, choose API tokens" in text


def test_developers_page_is_in_welsh_under_cy(client):
    response = client.get("/cy/developers/")
    assert response.status_code == 200
    text = response.text
    assert '<html lang="cy"' in text
    assert '<h1 class="govuk-heading-xl">API i ddatblygwyr</h1>' in text
    assert "Tocynnau API" in text
    assert 'href="/cy/consultations/feed.atom"' in text
    # The explorer is English only, and says so on the Welsh page.
    explorer = re.search(r'<a [^>]*href="/api/v1/docs"[^>]*>', text).group(0)
    assert 'hreflang="en"' in explorer
    assert "(yn Saesneg)" in text


def test_developers_page_links_a_data_publisher_to_their_tokens(client, person):
    token_link = 'href="/data/publish/tokens/"'
    assert token_link not in client.get("/developers/").text
    client.force_login(person("resident"))
    assert token_link not in client.get("/developers/").text
    client.force_login(person("data_publisher"))
    assert token_link in client.get("/developers/").text
    assert "Creu neu ddirymu eich tocynnau API" in client.get("/cy/developers/").text


def test_api_v1_answers_a_program_with_a_json_index(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]
    index = response.json()
    assert index["openapi"] == "http://testserver/api/v1/openapi.json"
    assert index["explorer"] == "http://testserver/api/v1/docs"
    assert index["documentation"] == "http://testserver/developers/"
    assert index["ckan_action_api"] == "http://testserver/api/3"
    assert index["dcat_catalogue"]["turtle"] == "http://testserver/catalog.ttl"
    assert index["feeds"] == ["http://testserver/consultations/feed.atom"]


def test_api_v1_answers_curl_with_json(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="*/*")
    assert response.status_code == 200
    assert response.json()["name"] == "Townhall API"


def test_api_v1_sends_a_browser_to_the_developers_page_in_its_language(client):
    english = client.get("/api/v1/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert english.status_code == 302
    assert english["Location"] == "/developers/"
    welsh = client.get("/api/v1/", HTTP_ACCEPT=BROWSER_ACCEPT, HTTP_ACCEPT_LANGUAGE="cy")
    assert welsh["Location"] == "/cy/developers/"


def test_api_v1_operations_are_still_served_beside_the_index(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/no-such-thing").json()["error"]["code"] == "not_found"


def test_a_council_page_cannot_take_the_developers_address():
    from townhall.core.services.site import _slug_reserved

    assert _slug_reserved("developers")


def test_site_wide_accessibility_crawl_reaches_the_page_but_not_the_json_api():
    from tests.e2e.crawler import _normalise

    base = "http://testserver/"
    assert _normalise(base, "/developers/", "/") == "/developers/"
    assert _normalise(base, "/cy/developers/", "/cy/") == "/cy/developers/"
    for machine in ("/api/v1/", "/api/v1/docs", "/api/v1/openapi.json", "/catalog.ttl"):
        assert _normalise(base, machine, "/") is None
