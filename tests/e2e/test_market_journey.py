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


def test_officer_publishes_a_challenge_and_an_anonymised_answer_on_a_phone(browser, live_server):
    officer = OfficerFactory()
    supplier_question = Question.objects.create(
        challenge=ChallengeFactory(title="Safer routes to school"),
        supplier=None,
        text="Kestrel Ltd here: can we film at school gates?",
    )
    context = _signed_in_context(
        browser, live_server, officer, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto("/manage/")
    page.get_by_role("link", name="Challenges and supplier questions").click()
    page.get_by_role("heading", level=1, name="Challenges and supplier questions").wait_for()
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="Write a challenge").click()
    page.get_by_label("Title", exact=True).fill("Warmer council buildings for less")
    page.get_by_label("Service area", exact=True).fill("Property")
    page.get_by_label("The problem", exact=True).fill("Old buildings cost a lot to heat.")
    page.get_by_label("Who it affects", exact=True).fill("Staff and visitors.")
    page.get_by_label("Outcomes sought", exact=True).fill("Lower bills.")
    page.get_by_label("Highest budget (optional)").fill("£1.2m")
    for prefix, day in (("questions_deadline_day", "1"), ("response_deadline_day", "8")):
        page.locator(f"#id_{prefix}_day").fill(day)
        page.locator(f"#id_{prefix}_month").fill("6")
        page.locator(f"#id_{prefix}_year").fill("2035")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("figures only")
    _fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("Highest budget (optional)").fill("£400,000")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Publish to suppliers").click()
    expect(page.locator("main")).to_contain_text("is now open")

    page.goto(f"/market/manage/questions/{supplier_question.public_id}/")
    assert_accessible(page)
    page.get_by_label("The question as everyone will read it", exact=True).fill(
        "Can suppliers film at school gates?"
    )
    page.get_by_label("Answer", exact=True).fill("Only with the school's written consent.")
    page.get_by_label("Publish the question and answer to everyone now").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("The answer is published")

    page.goto(f"/market/challenges/{supplier_question.challenge.slug}/")
    expect(page.locator("main")).to_contain_text("written consent")
    expect(page.locator("main")).not_to_contain_text("Kestrel")
    context.close()
