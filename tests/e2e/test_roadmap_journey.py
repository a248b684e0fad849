"""In a real browser at phone width: the decisions officer adds a project to the roadmap
from Manage with its budget in pounds and turns it red with a reason; a resident finds it
on the roadmap with its history; the cabinet member sees it first on their portfolio."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.leadership.factories import (
    ObjectiveFactory,
    OfficerFactory,
    PortfolioFactory,
    ProgrammeFactory,
    ProjectFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a 390px screen"


def _signed_in_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def test_a_project_goes_red_on_the_roadmap_and_tops_the_cabinet_members_portfolio(
    browser, live_server, page, person
):
    member = person("councillor", display_name="Cllr Gareth Price")
    digital = PortfolioFactory(name="Digital", cabinet_member=member)
    programme = ProgrammeFactory(
        title="Customer services online",
        objective=ObjectiveFactory(portfolio=digital, title="Lead digital from the top"),
    )
    ProjectFactory(programme=programme, title="Report it online")

    officer = _signed_in_page(browser, live_server, OfficerFactory())
    officer.goto("/manage/")
    officer.get_by_role("link", name="Strategy and roadmap").click()
    officer.get_by_role("link", name="Add a project").click()
    _fits_the_screen(officer)
    officer.get_by_label("Programme").select_option(label="Customer services online")
    officer.locator("#id_title").fill("New contact centre system")
    officer.locator("#id_description").fill("One queue for calls, emails and forms.")
    officer.get_by_label("Alpha").check()
    for name, (day, month, year) in {"starts_on": (1, 4, 2026), "ends_on": (31, 3, 2027)}.items():
        officer.locator(f"#id_{name}_day").fill(str(day))
        officer.locator(f"#id_{name}_month").fill(str(month))
        officer.locator(f"#id_{name}_year").fill(str(year))
    officer.get_by_label("Budget approved").fill("£1,25,000")
    officer.get_by_label("Green: on track").check()
    officer.get_by_label("Publish the project on the roadmap").check()
    officer.get_by_role("button", name="Save").click()
    expect(officer.locator(".govuk-error-summary")).to_contain_text(
        "Enter an amount in pounds, like £1,250,000 or 1250000.50"
    )
    assert_accessible(officer)
    officer.get_by_label("Budget approved").fill("£1,250,000.00")
    officer.get_by_role("button", name="Save").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("New contact centre system")
    officer.get_by_role("link", name="Update the RAG status").click()
    officer.get_by_label("Red: off track").check()
    officer.locator("#id_reason").fill("Data migration failed its second test.")
    officer.get_by_role("button", name="Save").click()
    expect(officer.locator(".govuk-notification-banner")).to_contain_text("status is updated")
    _fits_the_screen(officer)
    assert_accessible(officer)

    page.goto("/leadership/")
    page.get_by_role("link", name="See the digital strategy in each area of the guide").click()
    expect(page.get_by_role("heading", level=2, name="Digital leadership")).to_be_visible()
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="Roadmap: projects by quarter").click()
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="New contact centre system").first.click()
    expect(page.locator("main")).to_contain_text("Data migration failed its second test.")
    expect(page.locator("main")).to_contain_text("£0 spent of £1,250,000 approved")
    _fits_the_screen(page)
    assert_accessible(page)

    cabinet = _signed_in_page(browser, live_server, member)
    cabinet.goto("/account/")
    expect(cabinet.locator("main")).to_contain_text("1 red, 0 amber, 1 green")
    cabinet.get_by_role("link", name="See your portfolio's dashboard").click()
    first = cabinet.locator("main tbody tr").first
    expect(first).to_contain_text("New contact centre system")
    expect(first).to_contain_text("Red")
    _fits_the_screen(cabinet)
    assert_accessible(cabinet)

    cabinet.goto("/cy/leadership/my-portfolio/")
    expect(
        cabinet.get_by_role("heading", level=2, name="Prosiectau, y rhai coch yn gyntaf")
    ).to_be_visible()
    _fits_the_screen(cabinet)
