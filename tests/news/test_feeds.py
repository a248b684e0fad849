"""Atom and RSS feeds: valid, per service and per ward, 404 for unknown ones, in Welsh."""

import pytest
from defusedxml import ElementTree as ET

from tests.news.factories import ServiceFactory, UpdateFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def _atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_atom_feed_meets_rfc_4287s_required_elements(client, db):
    UpdateFactory(title_en_gb="Bins on Monday")
    UpdateFactory(draft=True, title_en_gb="Draft")
    feed = _atom(client, "/news/feed.atom")
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Bins on Monday"]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:")
    assert entry.find(f"{ATOM}updated") is not None
    assert entry.find(f"{ATOM}link").get("rel") == "alternate"
    assert entry.find(f"{ATOM}link").get("href").startswith("http")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/news/feed.atom")


def _rss_titles(client, url) -> list[str]:
    response = client.get(url)
    assert response["Content-Type"].startswith("application/rss+xml")
    rss = ET.fromstring(response.content)
    assert (rss.tag, rss.get("version")) == ("rss", "2.0")
    channel = rss.find("channel")
    for required in ("title", "link", "description"):
        assert channel.findtext(required)
    return [item.findtext("title") for item in channel.findall("item")]


def test_the_rss_feed_is_rss_2(client, db):
    UpdateFactory(title_en_gb="Bins on Monday")
    assert _rss_titles(client, "/news/feed.rss") == ["Bins on Monday"]


def test_a_ward_feed_holds_only_that_wards_updates(client, ward):
    UpdateFactory(title_en_gb="Riverside news", ward_codes=[ward.code])
    UpdateFactory(title_en_gb="Borough news")
    feed = _atom(client, f"/news/wards/{ward.code}/feed.atom")
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["Riverside news"]
    assert "Riverside" in feed.findtext(f"{ATOM}title")


def test_a_service_feed_holds_only_that_services_updates(client, db):
    bins = ServiceFactory(slug="bins", name_en_gb="Bins")
    UpdateFactory(title_en_gb="Bins news", services=[bins])
    UpdateFactory(title_en_gb="Other news")
    assert _rss_titles(client, "/news/services/bins/feed.rss") == ["Bins news"]


@pytest.mark.parametrize(
    "url",
    [
        "/news/wards/E05000000/feed.atom",
        "/news/wards/E05000000/feed.rss",
        "/news/services/no-such-service/feed.atom",
        "/cy/news/services/no-such-service/feed.rss",
    ],
)
def test_an_unknown_ward_or_service_feed_is_not_found(client, db, url):
    assert client.get(url).status_code == 404


def test_the_welsh_feed_carries_the_welsh(client, ward):
    UpdateFactory(title_en_gb="Bins", title_cy="Biniau", ward_codes=[ward.code])
    feed = _atom(client, f"/cy/news/wards/{ward.code}/feed.atom")
    assert feed.findtext(f"{ATOM}entry/{ATOM}title") == "Biniau"
    assert "Glan yr Afon" in feed.findtext(f"{ATOM}title")
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "cy"


def test_archived_updates_leave_the_feeds(client, db):
    UpdateFactory(archived=True, title_en_gb="Old news")
    assert b"Old news" not in client.get("/news/feed.atom").content
