"""In a real browser, on a phone-sized screen: a publisher uploads a council's spending file
as it comes (money with pound signs and brackets, UK dates, one date no calendar has), sees
typed columns with the bad cell reported and nothing else blanked, and is asked to confirm
the problem before the dataset is published."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.opendata.factories import DatasetFactory
from townhall.opendata.models import Dataset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
QUIRKY_CSV = (
    "Date,Supplier,Amount\n"
    '01/10/2023,Acme Ltd,"£1,250.00"\n'
    "2023-10-02,Refund Ltd,£-120.00\n"
    "1 Oct 2023,Parks Co,(45.50)\n"
    "31/02/2023,Roads Ltd,(£120.00)\n"
    "15/11/2023,Print Co,- £7.25\n"
)


def test_publisher_loads_a_quirky_file_sees_the_bad_cell_and_confirms_before_publishing(
    browser, live_server, person, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    dataset = DatasetFactory(title="Spending over £500", slug="spending")
    client = Client()
    client.force_login(person("data_publisher", is_staff=True))
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto("/data/publish/spending/add/")
    page.get_by_role("textbox", name="Name (optional)").fill("Spend 2023")
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "spend.csv", "mimeType": "text/csv", "buffer": QUIRKY_CSV.encode()}
    )
    page.get_by_role("button", name="Upload file").click()

    types = page.locator(".th-preview-table .th-column-type")
    expect(types).to_have_text(["date", "text", "decimal"])
    amounts = page.locator(".th-preview-table tbody tr td:nth-child(3)")
    expect(amounts).to_have_text(["1250.00", "-120.00", "-45.50", "-120.00", "-7.25"])
    expect(page.locator("#emptied-cells")).to_contain_text("1 cell did not fit its column")
    problems = page.locator("#load-problems tbody tr")
    expect(problems).to_have_count(1)
    expect(problems).to_contain_text("31/02/2023")
    expect(page.locator("main")).not_to_contain_text("Loaded Loaded")

    page.goto("/data/publish/spending/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("loaded with problems")
    expect(page.locator("main")).to_contain_text("Spend 2023: 1 problem")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The data was loaded with 1 problem."
    )
    page.get_by_label("I have checked the problems and want to publish the data as it is").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("now Published")
    assert Dataset.objects.get(pk=dataset.pk).status == Dataset.Status.PUBLISHED
