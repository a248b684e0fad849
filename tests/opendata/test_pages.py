"""The catalogue's public pages: search and facets, dataset pages, previews and downloads."""

import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from townhall.opendata import services

from .factories import (
    DatasetFactory,
    LinkResourceFactory,
    OrganisationFactory,
    ThemeFactory,
    upload,
)

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_catalogue_lists_published_datasets_and_not_drafts(client):
    DatasetFactory(title="Car parks", published=True)
    DatasetFactory(title="Secret draft")
    page = _text(client.get(reverse("opendata:catalogue")))
    assert "Car parks" in page
    assert "Secret draft" not in page


def test_catalogue_search_matches_every_word(client):
    DatasetFactory(title="Spending over £500", description="Payments to suppliers", published=True)
    DatasetFactory(title="Car parks", published=True)
    page = _text(client.get(reverse("opendata:catalogue"), {"q": "spending suppliers"}))
    assert "Spending over £500" in page
    assert "Car parks" not in page


def test_catalogue_facets_filter_and_show_counts(client):
    finance = OrganisationFactory(title="Finance", slug="finance")
    parks = OrganisationFactory(title="Parks", slug="parks")
    DatasetFactory(title="Budget", publisher=finance, published=True)
    DatasetFactory(title="Spend", publisher=finance, published=True)
    DatasetFactory(title="Trees", publisher=parks, published=True)
    page = _text(client.get(reverse("opendata:catalogue"), {"publisher": "finance"}))
    assert "Budget" in page and "Spend" in page and "Trees" not in page
    assert "Finance (2)" in page


def test_catalogue_theme_facet_filters(client):
    environment = ThemeFactory(title="Environment", slug="environment")
    DatasetFactory(title="Air quality", themes=[environment], published=True)
    DatasetFactory(title="Budget", published=True)
    page = _text(client.get(reverse("opendata:catalogue"), {"theme": "environment"}))
    assert "Air quality" in page and "Budget" not in page


def test_catalogue_sorts_by_title(client):
    DatasetFactory(title="Zebra crossings", published=True)
    DatasetFactory(title="Allotments", published=True)
    page = _text(client.get(reverse("opendata:catalogue"), {"sort": "title"}))
    assert page.index("Allotments") < page.index("Zebra crossings")


def test_catalogue_paginates_twenty_to_a_page(client):
    for number in range(25):
        DatasetFactory(title=f"Dataset number {number:02d}", published=True)
    first = _text(client.get(reverse("opendata:catalogue"), {"sort": "title"}))
    second = _text(client.get(reverse("opendata:catalogue"), {"sort": "title", "page": 2}))
    assert "Dataset number 19" in first and "Dataset number 20" not in first
    assert "Dataset number 24" in second


def test_dataset_page_escapes_html_in_the_title_and_sanitises_markdown(client):
    dataset = DatasetFactory(
        title="<script>alert(1)</script> Spend",
        description="**Bold** <script>alert(2)</script> <img src=x onerror=alert(3)>",
        published=True,
    )
    page = _text(client.get(reverse("opendata:dataset", args=[dataset.slug])))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Spend" in page
    assert "<strong>Bold</strong>" in page
    assert "alert(2)</script>" not in page
    assert "<img" not in page


def test_dataset_page_of_a_draft_is_not_found_for_the_public(client):
    dataset = DatasetFactory()
    assert client.get(reverse("opendata:dataset", args=[dataset.slug])).status_code == 404


def test_dataset_page_shows_metadata_and_resources(client):
    dataset = DatasetFactory(title="Car parks", published=True, contact_email="data@example.org")
    LinkResourceFactory(dataset=dataset, name="Car park map")
    page = _text(client.get(reverse("opendata:dataset", args=[dataset.slug])))
    assert "Open Government Licence v3.0" in page
    assert "Car park map" in page
    assert "data@example.org" in page
    assert "govuk-summary-list" in page


def test_resource_preview_shows_rows_and_column_types(client, publisher):
    version = upload(publisher, DatasetFactory(published=True))
    page = _text(
        client.get(
            reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
        )
    )
    assert "Riverside" in page
    assert "6 rows" in page
    assert "decimal" in page and "integer" in page


def test_resource_preview_filters_rows(client, publisher):
    version = upload(publisher, DatasetFactory(published=True))
    url = reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
    page = _text(client.get(url, {"col": "Ward", "op": "eq", "val": "Castle"}))
    assert "2 rows" in page
    assert "Riverside" not in page.split("govuk-table__body")[1]


def test_resource_preview_says_what_is_wrong_with_a_bad_filter(client, publisher):
    version = upload(publisher, DatasetFactory(published=True))
    url = reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
    response = client.get(url, {"col": "Households", "op": "gt", "val": "lots"})
    assert response.status_code == 200
    assert "There is a problem" in _text(response)


@pytest.mark.parametrize("q", ["!!! ???", "😀", "%FF%FE"])
def test_resource_preview_with_a_q_of_no_words_shows_no_rows(client, publisher, q):
    version = upload(publisher, DatasetFactory(published=True))
    url = reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
    response = client.get(f"{url}?q={q}" if q.startswith("%") else f"{url}?{urlencode({'q': q})}")
    assert response.status_code == 200
    assert "Riverside" not in _text(response)


def test_resource_preview_sorts_by_a_column(client, publisher):
    version = upload(publisher, DatasetFactory(published=True))
    url = reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
    page = _text(client.get(url, {"sort": "-Households"})).split("govuk-table__body")[1]
    assert page.index("5,150") < page.index("3,900")


def test_resource_preview_draws_a_chart_of_chosen_columns(client, publisher):
    version = upload(publisher, DatasetFactory(published=True))
    url = reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
    page = _text(client.get(url, {"chart": "bar", "x": "Ward", "y": "Households"}))
    assert "<svg" in page
    assert "Households by Ward" in page


def test_resource_preview_maps_a_table_with_coordinates(client, publisher):
    csv = "Name,Latitude,Longitude\nCentral Library,52.41,-1.51\nAbbey Library,52.42,-1.52\n"
    version = upload(
        publisher, DatasetFactory(published=True), content=csv, filename="libraries.csv"
    )
    url = reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
    page = _text(client.get(url))
    assert "2 places on this map" in page


def test_resource_preview_maps_geojson(client, publisher):
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-1.5, 52.4]},
                "properties": {"name": "Abbey"},
            }
        ],
    }
    version = upload(
        publisher,
        DatasetFactory(published=True),
        content=json.dumps(document),
        filename="wards.geojson",
    )
    url = reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
    page = _text(client.get(url))
    assert "1 place on this map" in page
    assert "Abbey" in page


def test_download_of_the_filtered_view_as_csv(client, publisher):
    version = upload(publisher, DatasetFactory(published=True))
    url = reverse(
        "opendata:download", args=[version.resource.dataset.slug, version.resource.pk, "csv"]
    )
    response = client.get(url, {"col": "Ward", "op": "eq", "val": "Abbey"})
    lines = _text(response).strip().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert "filtered" in response["Content-Disposition"]
    assert len(lines) == 3


@pytest.mark.parametrize("q", ["!!! ???", "😀"])
def test_download_of_a_search_with_no_words_is_the_header_alone(client, publisher, q):
    version = upload(publisher, DatasetFactory(published=True))
    url = reverse(
        "opendata:download", args=[version.resource.dataset.slug, version.resource.pk, "csv"]
    )
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    assert _text(response).strip().splitlines() == ["_id,Ward,Year,Households,Recycling rate"]


def test_download_of_the_whole_table_as_json(client, publisher):
    version = upload(publisher, DatasetFactory(published=True))
    url = reverse(
        "opendata:download", args=[version.resource.dataset.slug, version.resource.pk, "json"]
    )
    document = json.loads(_text(client.get(url)))
    assert len(document["records"]) == 6


@pytest.mark.parametrize(
    "extension",
    ["exe", "html", 'csv"; filename="evil.exe', "csv%0D%0ASet-Cookie:%20a=b", "csv%00", "CSV"],
)
def test_download_is_not_found_for_an_extension_that_is_not_a_table_format(
    client, publisher, extension
):
    version = upload(publisher, DatasetFactory(published=True))
    url = reverse(
        "opendata:download", args=[version.resource.dataset.slug, version.resource.pk, "csv"]
    )
    response = client.get(url.removesuffix("csv") + extension)
    # A NUL anywhere in an address is refused before routing (core's NUL guard): 400.
    assert response.status_code == (400 if "%00" in extension else 404)
    assert "Content-Disposition" not in response


def test_download_view_refuses_an_extension_that_is_not_a_table_format(rf, publisher):
    from django.http import Http404

    from townhall.opendata.views.resources import download

    version = upload(publisher, DatasetFactory(published=True))
    request = rf.get("/")
    request.user = publisher
    with pytest.raises(Http404):
        download(request, version.resource.dataset.slug, version.resource.pk, "exe")


def test_download_names_its_file_in_one_quoted_filename_parameter(client, publisher):
    version = upload(publisher, DatasetFactory(published=True), name='Wards "2024"')
    url = reverse(
        "opendata:download", args=[version.resource.dataset.slug, version.resource.pk, "json"]
    )
    assert client.get(url)["Content-Disposition"] == 'attachment; filename="wards-2024.json"'


def test_original_file_downloads_as_uploaded(client, publisher):
    from .factories import SAMPLE_CSV

    version = upload(publisher, DatasetFactory(published=True))
    url = reverse(
        "opendata:resource_file", args=[version.resource.dataset.slug, version.resource.pk]
    )
    assert _text(client.get(url)) == SAMPLE_CSV


def test_resource_of_a_draft_is_not_readable_by_the_public(client, publisher):
    version = upload(publisher, DatasetFactory())
    url = reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
    assert client.get(url).status_code == 404
    download = reverse(
        "opendata:download", args=[version.resource.dataset.slug, version.resource.pk, "csv"]
    )
    assert client.get(download).status_code == 404


def test_platform_dataset_downloads_another_modules_open_data(client):
    from townhall.core.registry import registry

    exports = registry.open_data()
    if not exports:
        pytest.skip("No module declares open data exports yet.")
    services.platform_datasets_sync()
    export = exports[0]
    response = client.get(reverse("opendata:platform_download", args=[export.slug, "csv"]))
    assert response.status_code == 200
    assert _text(response).lstrip("\ufeff").startswith(",".join(export.fields))


@pytest.mark.parametrize("extension", ["exe", 'csv"; filename="evil.exe', "csv%0A"])
def test_platform_download_is_not_found_for_an_extension_that_is_not_a_table_format(
    client, extension
):
    response = client.get(f"/data/platform/anything.{extension}")
    assert response.status_code == 404
    assert "Content-Disposition" not in response


def test_catalogue_page_works_in_welsh(client):
    DatasetFactory(title="Car parks", published=True)
    response = client.get("/cy/data/")
    assert response.status_code == 200


def test_resource_page_shows_its_publisher_the_load_report_with_problems_by_row(client, publisher):
    csv = "Ward,Households\nAbbey,4200\nCastle,4100,extra\n"
    version = upload(publisher, DatasetFactory(published=True), content=csv)
    client.force_login(publisher)
    url = reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
    page = _text(client.get(url))
    assert "Latest load" in page
    assert "extra-cell" in page


def test_resource_page_does_not_show_the_load_report_to_the_public(client, publisher):
    version = upload(publisher, DatasetFactory(published=True))
    url = reverse("opendata:resource", args=[version.resource.dataset.slug, version.resource.pk])
    assert "Latest load" not in _text(client.get(url))
