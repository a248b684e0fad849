"""In a real browser at phone width: a supplier finds a challenge, reads the data behind it,
registers their organisation, asks a question and responds; then reads the answer the
procurement team published to everyone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.e2e.test_participation_journey import _signed_in_context
from tests.market.factories import ChallengeFactory, OfficerFactory
from tests.opendata.factories import DatasetFactory
from townhall.market import services
from townhall.market.models import Challenge, ExpressionOfInterest, Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


def test_supplier_finds_a_challenge_reads_its_data_asks_and_responds_on_a_phone(
    browser, live_server, person
):
    dataset = DatasetFactory(
        slug="household-recycling-rates", title="Household recycling rates", published=True
    )
    officer = OfficerFactory()
    services.challenge_publish(
        actor=officer,
        challenge=ChallengeFactory(
            title="Reducing missed bin collections",
            dataset_ids=[str(dataset.pk)],
            status=Challenge.Status.DRAFT,
            published_at=None,
        ),
    )
    ChallengeFactory(title="Booking a library room online", capabilities=["digital"])
    resident = person("resident")
    context = _signed_in_context(
        browser, live_server, resident, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto("/")
    page.get_by_role("link", name="Opportunities for suppliers").first.click()
    page.get_by_role("heading", level=1, name="Opportunities for suppliers").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("Capability needed").select_option(label="Waste collection and recycling")
    page.get_by_role("button", name="Show challenges").click()
    expect(page.get_by_role("link", name="Booking a library room online")).to_have_count(0)
    page.get_by_role("link", name="Reducing missed bin collections").click()
    page.get_by_role("heading", level=1, name="Reducing missed bin collections").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)
    expect(page.get_by_role("link", name="Household recycling rates")).to_be_visible()

    page.get_by_role("link", name="Ask a question about this challenge").click()
    page.get_by_role("heading", level=1, name="Register your organisation").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("Organisation name").fill("Meadow Routes Ltd")
    page.get_by_label("Companies House number (optional)").fill("SC123456")
    page.get_by_label("Waste collection and recycling").check()
    page.get_by_label("Contact name").fill("Ana Lopes")
    page.get_by_role("button", name="Register").click()

    page.get_by_role("heading", level=1, name="Ask a question").wait_for()
    assert_accessible(page)
    page.get_by_label("Your question").fill("Can we see missed collections by round?")
    page.get_by_role("button", name="Send your question").click()
    expect(page.locator("main")).to_contain_text("Your question is sent")
    expect(page.locator("main")).to_contain_text("waiting for an answer")

    page.get_by_role("link", name="Respond to this challenge").click()
    page.get_by_label("Your proposal or expression of interest").fill("A pilot on two rounds.")
    page.get_by_label("Supporting document (optional)").set_input_files(
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    page.get_by_role("button", name="Send your response").click()
    expect(page.locator("main")).to_contain_text("Your response is sent to the council")
    expect(page.get_by_role("link", name="Change your response")).to_be_visible()
    _fits_the_screen(page)
    assert_accessible(page)
    assert ExpressionOfInterest.objects.get().summary == "A pilot on two rounds."

    services.question_answer(
        actor=officer,
        question=Question.objects.get(),
        published_question="Can suppliers see missed collections by round?",
        answer="Yes, under a data sharing agreement.",
        publish=True,
    )
    page.reload()
    expect(page.locator("#answers ~ div").first).to_contain_text("under a data sharing agreement")
    expect(page.locator("main")).not_to_contain_text("Meadow Routes")
    assert_accessible(page)
    context.close()
