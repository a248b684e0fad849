"""English and Welsh: every page links to itself in the other language, and only to itself."""

import pytest

pytestmark = pytest.mark.django_db


def test_language_switcher_links_to_the_same_page_in_welsh(client):
    html = client.get("/search/?q=parking").text
    assert 'href="/cy/search/?q=parking" rel="alternate" lang="cy"' in html


def test_welsh_page_links_back_to_english(client):
    html = client.get("/cy/search/").text
    assert 'href="/search/" rel="alternate" lang="en-gb"' in html


def test_pages_name_their_other_language_versions_for_search_engines(client):
    html = client.get("/accessibility/").text
    assert '<link rel="alternate" hreflang="cy" href="http://testserver/cy/accessibility/">' in html
    assert '<link rel="alternate" hreflang="en-gb" href="http://testserver/accessibility/">' in html


def test_language_switcher_never_links_to_another_site(client):
    html = client.get("/", PATH_INFO="//evil.example/").text
    assert 'href="//evil.example' not in html
    assert "://evil.example" not in html
