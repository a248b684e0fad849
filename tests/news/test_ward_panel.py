"""News on a ward's page: the latest updates about the ward, and the way to all of them."""

from tests.news.factories import UpdateFactory


def test_a_wards_page_shows_the_latest_news_about_it_and_links_to_the_rest(client, ward):
    UpdateFactory(title_en_gb="Riverside path reopens", ward_codes=[ward.code])
    UpdateFactory(title_en_gb="Castle car park", ward_codes=["E05999901"])
    UpdateFactory(title_en_gb="Draft about Riverside", ward_codes=[ward.code], draft=True)

    page = client.get(f"/wards/{ward.slug}/").text

    news = page.split("News about this ward")[1]
    assert "Riverside path reopens" in news
    assert "Castle car park" not in news and "Draft about Riverside" not in page
    assert f'href="/news/?ward={ward.code}"' in news


def test_a_ward_with_no_news_has_no_news_panel(client, ward):
    UpdateFactory(ward_codes=["E05999901"])

    assert "News about this ward" not in client.get(f"/wards/{ward.slug}/").text
