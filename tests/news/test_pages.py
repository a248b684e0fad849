"""The public news pages and editors' pages, through HTTP."""

import pytest
from defusedxml import ElementTree
from django.urls import reverse

from tests.news.factories import ServiceFactory, UpdateFactory
from townhall.news.models import Update

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_list_shows_published_updates_newest_first_and_no_drafts(client, db):
    UpdateFactory(title_en_gb="Older")
    from django.utils import timezone

    UpdateFactory(title_en_gb="Newer", published_at=timezone.now())
    UpdateFactory(title_en_gb="Secret draft", draft=True)
    text = client.get("/news/").text
    assert text.index("Newer") < text.index("Older")
    assert "Secret draft" not in text


def test_the_list_filters_by_service_and_ward(client, ward):
    bins = ServiceFactory(slug="bins", name_en_gb="Bins")
    UpdateFactory(title_en_gb="Bins everywhere", services=[bins])
    UpdateFactory(title_en_gb="Bins in Riverside", services=[bins], ward_codes=[ward.code])
    UpdateFactory(title_en_gb="Roads")
    text = client.get("/news/", {"service": "bins", "ward": ward.code}).text
    assert "Bins in Riverside" in text
    assert "Bins everywhere" not in text and "Roads" not in text
    assert f'href="/news/wards/{ward.code}/feed.atom"' in text


def test_the_list_is_paged(client, db):
    for number in range(12):
        UpdateFactory(title_en_gb=f"Item {number:02d}")
    first = client.get("/news/").text
    assert first.count('class="govuk-link" href="/news/update-') == 10
    assert 'rel="next"' in first
    assert client.get("/news/", {"page": "2"}).text.count('href="/news/update-') == 2


def test_a_draft_update_is_not_found(client, db):
    assert client.get(f"/news/{UpdateFactory(draft=True).slug}/").status_code == 404


def test_an_update_page_names_its_feeds_and_wards(client, ward):
    update = UpdateFactory(ward_codes=[ward.code])
    text = client.get(f"/news/{update.slug}/").text
    assert '<link rel="alternate" type="application/atom+xml"' in text
    assert 'type="application/rss+xml"' in text
    assert "Riverside" in text
    assert "<strong>something</strong>" in text


def test_the_welsh_page_shows_the_welsh_and_marks_english_where_there_is_none(client, ward):
    UpdateFactory(title_en_gb="Bins", title_cy="Biniau", slug="bins")
    UpdateFactory(title_en_gb="Roads only in English", slug="roads")
    text = client.get("/cy/news/").text
    assert "Biniau" in text
    assert '<span lang="en">Roads only in English</span>' in text
    assert "Glan yr Afon" in text


HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">[x](javascript:alert(3))'


def test_hostile_text_is_inert_on_the_page_and_in_the_feed(client, db):
    update = UpdateFactory(title_en_gb=HOSTILE[:60], summary_en_gb="<b>s</b>", body_en_gb=HOSTILE)
    page = client.get(f"/news/{update.slug}/").text
    assert "<script>alert(1)" not in page
    assert 'onerror="' not in page
    assert 'href="javascript:' not in page
    entry = ElementTree.fromstring(client.get("/news/feed.atom").content).find(f"{ATOM}entry")
    # The title is Atom text (a reader shows it as typed); the body is HTML, already clean.
    assert entry.find(f"{ATOM}title").get("type", "text") == "text"
    body = entry.findtext(f"{ATOM}summary")
    assert "<script>" not in body and "onerror" not in body and "javascript:" not in body


def test_the_home_page_shows_the_latest_three_updates(client, db):
    for number in range(4):
        UpdateFactory(title_en_gb=f"Home item {number}")
    text = client.get("/").text
    assert "Latest news" in text
    assert text.count("Home item") == 3


@pytest.mark.parametrize("url_name", ["news:manage_list", "news:manage_create"])
def test_editors_pages_need_the_role(client, person, url_name):
    url = reverse(url_name)
    assert client.get(url).status_code == 302
    client.force_login(person("officer"))
    assert client.get(url).status_code == 403


def test_an_editor_writes_and_publishes_an_update_through_the_pages(client, editor, ward):
    client.force_login(editor)
    ServiceFactory(slug="bins", name_en_gb="Bins")
    response = client.post(
        reverse("news:manage_create"),
        {
            "title": "Bins on Monday",
            "summary": "A change of day.",
            "body": "Details.",
            "services": [],
            "wards": [ward.code],
        },
    )
    update = Update.objects.get()
    assert response.url == reverse("news:manage_edit", args=[update.public_id])
    response = client.post(reverse("news:manage_publish", args=[update.public_id]), {})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == Update.State.PUBLISHED
    assert "Bins on Monday" in client.get(reverse("news:manage_list")).text
    client.post(reverse("news:manage_archive", args=[update.public_id]))
    update.refresh_from_db()
    assert update.state == Update.State.ARCHIVED


def test_a_missing_title_is_shown_on_the_form_and_stores_nothing(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("news:manage_create"), {"title": "", "summary": "s", "body": "b"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert not Update.objects.exists()


def test_a_future_publish_date_is_refused_on_the_page(client, editor):
    client.force_login(editor)
    update = UpdateFactory(draft=True)
    response = client.post(
        reverse("news:manage_publish", args=[update.public_id]),
        {"published_at_day": "1", "published_at_month": "1", "published_at_year": "2099"},
    )
    assert response.status_code == 400
    assert "today or earlier" in response.text


def test_the_news_pages_are_in_welsh_at_cy(client, db):
    UpdateFactory()
    text = client.get("/cy/news/").text
    assert "Hidlo'r newyddion" in text
    assert "Y newyddion diweddaraf" in client.get("/cy/").text


@pytest.mark.parametrize("query", [{"ward": "E05000000"}, {"service": "no-such-service"}])
def test_the_list_for_an_unknown_ward_or_service_is_not_found(client, db, query):
    assert client.get("/news/", query).status_code == 404


def test_an_empty_filter_shows_every_update(client, db):
    UpdateFactory(title_en_gb="Everything")
    assert "Everything" in client.get("/news/", {"service": "", "ward": ""}).text
