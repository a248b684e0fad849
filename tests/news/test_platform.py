"""What news gives the rest of the platform: site search, open data, the Welsh list."""

from django.urls import reverse

from tests.news.factories import ServiceFactory, UpdateFactory
from townhall.core.registry import registry
from townhall.news import services

TEXT = {"title_en": "Gritting routes", "summary_en": "Where we grit.", "body_en": "Details."}


def test_a_published_update_is_found_by_site_search_and_a_draft_is_not(client, editor):
    update = services.update_create(actor=editor, **TEXT)
    assert "Gritting routes" not in client.get(reverse("core:search"), {"q": "gritting"}).text
    services.update_publish(actor=editor, update=update)
    found = client.get(reverse("core:search"), {"q": "gritting"}).text
    assert f'href="/news/{update.slug}/"' in found


def test_open_data_lists_public_updates_in_both_languages_without_their_authors(editor, ward):
    bins = ServiceFactory(slug="bins")
    UpdateFactory(title_en_gb="Bins", title_cy="Biniau", services=[bins], ward_codes=[ward.code])
    UpdateFactory(draft=True)
    export = next(item for item in registry.open_data() if item.slug == "news-updates")
    rows = list(export.rows())
    assert [(row["title"], row["title_cy"], row["services"], row["wards"]) for row in rows] == [
        ("Bins", "Biniau", "bins", ward.code)
    ]
    assert set(rows[0]) == set(export.fields)


def test_updates_lacking_welsh_are_on_the_officers_welsh_list(client, editor):
    update = UpdateFactory(title_en_gb="No Welsh yet")
    client.force_login(editor)
    page = client.get(reverse("core:welsh_missing")).text
    assert "No Welsh yet" in page
    assert reverse("news:manage_edit", args=[update.public_id]) in page


def test_editors_see_the_news_tools_on_the_workspace(client, editor):
    client.force_login(editor)
    page = client.get(reverse("core:workspace")).text
    assert reverse("news:manage_list") in page
    assert reverse("news:manage_channels") not in page
