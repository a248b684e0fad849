"""In a real browser, on a phone-sized screen: a resident finds a dataset, previews its
table, filters it, charts it and downloads the filtered rows; each page passes axe-core."""

from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.opendata.factories import DatasetFactory, OrganisationFactory, upload
from townhall.datastore._recovery import stopped_message as datastore_stopped_message
from townhall.opendata import services as opendata
from townhall.opendata.models import ResourceVersion

PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def recycling(person, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    publisher = person("data_publisher", is_staff=True)
    dataset = DatasetFactory(
        title="Household recycling rates",
        slug="household-recycling-rates",
        description="Recycling by **ward** and year.",
        publisher=OrganisationFactory(title="Environment and Waste", slug="environment"),
        published=True,
    )
    DatasetFactory(title="Car parks", published=True)
    return upload(publisher, dataset).resource


def test_resident_finds_previews_filters_charts_and_downloads_data(page, recycling):
    page.goto("/data/")
    assert_accessible(page)
    page.get_by_label("Search datasets").fill("recycling")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Household recycling rates").click()
    expect(page.locator("main")).to_contain_text("Recycling by ward and year.")
    assert_accessible(page)

    page.get_by_role("link", name="Preview").first.click()
    expect(page.get_by_role("heading", name="6 rows")).to_be_visible()
    assert_accessible(page)

    page.locator("#filter-1-col").select_option("Ward")
    page.locator("#filter-1-op").select_option("eq")
    page.locator("#filter-1-val").fill("Castle")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="2 rows")).to_be_visible()

    page.locator(".th-preview-table thead a", has_text="Households").click()
    expect(page.locator(".th-preview-table thead th[aria-sort=ascending]")).to_contain_text(
        "Households"
    )
    expect(page.locator(".th-preview-table tbody tr").first).to_contain_text("3,900")

    page.get_by_label("Chart type").select_option("line")
    page.get_by_label("Group by (optional)", exact=True).select_option("Year")
    page.get_by_label("Of the column").select_option("Households")
    page.get_by_role("button", name="Draw chart").click()
    expect(page.locator("figure.th-chart svg")).to_have_count(1)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these rows as CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert len(lines) == 3
    assert all("Castle" in line for line in lines[1:])


def test_publisher_whose_load_was_stopped_by_a_restart_loads_it_again(
    browser, live_server, person, recycling
):
    publisher = person("data_publisher", is_staff=True)
    newer = upload(
        publisher,
        recycling.dataset,
        "Ward,Year,Households,Recycling rate\nAbbey,2025,4300,44.0\n",
        resource=recycling,
        ingest="never",
    )
    ResourceVersion.objects.filter(pk=newer.pk).update(ingest_status="running")
    opendata.ingest_stopped(resource_id=recycling.pk, message=datastore_stopped_message())
    client = Client()
    client.force_login(publisher)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()

    page.goto(f"/data/{recycling.dataset.slug}/{recycling.pk}/")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The load stopped before it finished"
    )
    expect(page.get_by_role("heading", name="6 rows")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Load this upload again").click()

    expect(page.get_by_role("heading", name="1 row")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    assert_accessible(page)
    context.close()
