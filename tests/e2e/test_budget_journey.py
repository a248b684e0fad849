"""Browser journey: a participatory budget run from the web alone. A lead creates it, a
resident proposes a project, the lead reviews it, loads the register and opens voting, a
resident on the register votes without JavaScript, and the lead publishes the results."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.test_participation_journey import _signed_in_context
from tests.participation.factories import LeadFactory
from townhall.participation.models import Ballot, Budget

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REGISTER = b"surname,postcode,date_of_birth\nOkafor,NB1 1AA,1984-03-09\n"


def test_a_budget_runs_from_proposals_to_results_in_the_browser(browser, live_server, person):
    lead_context = _signed_in_context(
        browser, live_server, LeadFactory(), viewport={"width": 1280, "height": 900}
    )
    lead = lead_context.new_page()
    lead.goto("/consultations/manage/")
    lead.get_by_role("link", name="New participatory budget").click()
    lead.get_by_role("button", name="Create budget").click()
    expect(lead.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    assert_accessible(lead)
    lead.get_by_label("Title", exact=True).fill("Riverside fund")
    lead.get_by_label("Address").fill("riverside-fund")
    lead.get_by_role("radio", name="The whole borough").check()
    lead.get_by_label("Budget for the whole borough, in pounds").fill("10000")
    lead.get_by_role("radio", name="Choose projects that fit within the budget").check()
    lead.get_by_role("button", name="Create budget").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Manage the budget")
    assert_accessible(lead)

    resident_context = _signed_in_context(
        browser,
        live_server,
        person("resident"),
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
    )
    resident = resident_context.new_page()
    resident.goto("/consultations/budgets/riverside-fund/")
    resident.get_by_role("link", name="Propose a project").click()
    resident.get_by_label("Name of the project").fill("Benches by the river")
    resident.get_by_label("Describe the project").fill("Somewhere to rest on the towpath.")
    resident.get_by_label("Roughly how much will it cost, in pounds?").fill("twelve hundred")
    resident.get_by_role("button", name="Send project").click()
    expect(resident.locator(".govuk-error-summary")).to_contain_text("Enter an amount in pounds")
    resident.get_by_label("Roughly how much will it cost, in pounds?").fill("1200")
    resident.get_by_role("button", name="Send project").click()
    expect(resident.locator("main")).to_contain_text("Benches by the river")

    lead.get_by_role("radio", name="Feasibility review").check()
    lead.get_by_role("button", name="Move on").click()
    lead.get_by_label("Council's cost, in pounds").fill("1500")
    lead.get_by_role("button", name="Feasible", exact=True).click()
    expect(lead.locator("main")).to_contain_text("£1,500")
    lead.get_by_role("link", name="Load the voter register").click()
    assert_accessible(lead)
    lead.get_by_label("Register or census extract (CSV)").set_input_files(
        {"name": "register.csv", "mimeType": "text/csv", "buffer": REGISTER}
    )
    lead.get_by_role("button", name="Load register").click()
    expect(lead.locator("main")).to_contain_text("1 voter added from the register")
    lead.get_by_role("radio", name="Voting").check()
    lead.get_by_role("button", name="Move on").click()
    expect(lead.locator("main")).to_contain_text("Voting")

    resident.goto("/consultations/budgets/riverside-fund/")
    resident.get_by_role("link", name="Vote", exact=True).click()
    resident.get_by_label("Surname").fill("okafor")
    resident.get_by_label("Postcode").fill("nb11aa")
    resident.get_by_label("Day").fill("9")
    resident.get_by_label("Month").fill("3")
    resident.get_by_label("Year").fill("1984")
    resident.get_by_role("button", name="Continue").click()
    resident.get_by_label("Benches by the river, £1,500").check()
    resident.get_by_role("button", name="Cast my vote").click()
    expect(resident.locator("main")).to_contain_text("Your vote is counted")
    resident_context.close()
    assert Ballot.objects.count() == 1

    lead.get_by_role("radio", name="Results").check()
    lead.get_by_role("button", name="Move on").click()
    lead.get_by_label("Delivery").select_option("in_progress")
    lead.get_by_label("Per cent complete").fill("25")
    lead.get_by_role("button", name="Save progress").click()
    assert_accessible(lead)
    lead.goto("/consultations/budgets/riverside-fund/")
    expect(lead.locator("main")).to_contain_text("Funded")
    expect(lead.locator("main")).to_contain_text("In progress (25%)")
    assert_accessible(lead)
    assert Budget.objects.get().results_published_at is not None
    lead_context.close()


def test_budget_pages_have_no_wcag_22_aa_problems(browser, live_server):
    """The pages above that the journey sees without JavaScript (axe-core needs it), and
    the lead's error pages and postal codes."""
    context = _signed_in_context(
        browser, live_server, LeadFactory(), viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto("/consultations/budgets/new/")
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Fund")
    page.get_by_label("Address").fill("fund")
    page.get_by_role("radio", name="Each ward, with its own amount").check()
    page.get_by_role("radio", name="Choose up to a number of projects").check()
    page.get_by_role("button", name="Create budget").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("at least one ward")
    page.get_by_role("radio", name="The whole borough").check()
    page.get_by_label("Budget for the whole borough, in pounds").fill("500")
    page.get_by_role("button", name="Create budget").click()
    page.goto("/consultations/budgets/fund/")
    page.get_by_role("link", name="Propose a project").click()
    page.get_by_role("button", name="Send project").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.goto("/consultations/budgets/fund/manage/")
    page.get_by_role("link", name="Load the voter register").click()
    page.get_by_label("Register or census extract (CSV)").set_input_files(
        {
            "name": "register.csv",
            "mimeType": "text/csv",
            "buffer": b"surname,postcode,date_of_birth\n,NB1 1AA,31/12/1990\n",
        }
    )
    page.get_by_role("button", name="Load register").click()
    expect(page.locator("main")).to_contain_text("Row 2: the surname is empty")
    assert_accessible(page)
    page.goto("/consultations/budgets/fund/manage/codes/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_label("How many codes?").fill("2")
        page.get_by_role("button", name="Download codes (CSV)").click()
    assert download.value.suggested_filename == "fund-postal-codes.csv"
    context.close()
