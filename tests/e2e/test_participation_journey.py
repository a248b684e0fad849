"""Browser journeys: a resident answers a consultation on a phone without JavaScript and
reads the outcome; an officer builds a survey, previews it and publishes the outcome."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.participation.factories import ConsultationFactory, LeadFactory, library_survey
from townhall.participation import services
from townhall.participation.models import Consultation, Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _session_of(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _signed_in_context(browser, live_server, user, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    context.add_cookies([{"name": "sessionid", "value": _session_of(user), "url": live_server.url}])
    return context


def test_resident_answers_on_a_phone_without_javascript_and_reads_the_outcome(browser, live_server):
    lead = LeadFactory()
    consultation = ConsultationFactory(title="Redesigning the library service", author=lead)
    library_survey(consultation)
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Have your say").first.click()
    page.get_by_role("link", name="Redesigning the library service").click()
    page.get_by_role("button", name="Respond to this consultation").click()
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is a problem")
    page.get_by_label("Never").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Why do you not visit?").fill("The opening hours do not fit my shifts.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Events").check()
    page.get_by_label("Your postcode").fill("nb1 1aa")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before sending them"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("NB1 1AA")
    page.get_by_role("button", name="Send response").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Response sent")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(
        "Check your answers before sending them"
    )
    assert Response.objects.filter(consultation=consultation).count() == 1

    consultation = services.consultation_close(actor=lead, consultation=consultation)
    services.outcome_publish(
        actor=lead,
        consultation=consultation,
        you_said="You asked for evening opening.",
        we_did="Two libraries now open until 8pm.",
        what_changed="Evening opening was added.",
        decision_title="Cabinet: library strategy",
    )
    page.goto("/consultations/")
    page.get_by_role("link", name=re.compile("We asked, you said, we did")).click()
    page.get_by_role("link", name="Redesigning the library service").click()
    expect(page.locator("main")).to_contain_text("Two libraries now open until 8pm.")
    context.close()


def test_residents_pages_have_no_wcag_22_aa_problems(page):
    """The resident journey's pages, with JavaScript, on a phone, as axe-core checks them."""
    lead = LeadFactory()
    consultation = ConsultationFactory(title="Redesigning the library service", author=lead)
    library_survey(consultation)
    page.goto("/consultations/")
    assert_accessible(page)
    page.goto(f"/consultations/{consultation.slug}/")
    assert_accessible(page)
    page.goto(f"/consultations/{consultation.slug}/respond/")
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Weekly").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send response").click()
    assert_accessible(page)
    page.goto("/consultations/outcomes/")
    assert_accessible(page)


def test_proposals_pages_have_no_wcag_22_aa_problems(page, person, live_server):
    resident = person("resident")
    process = services.proposals_process_create(
        actor=LeadFactory(), slug="parks-ideas", title="Ideas for our parks"
    )
    proposal = services.proposal_submit(
        actor=resident, process=process, title="Water fountains", body="By the play areas."
    )
    first = services.comment_add(actor=resident, proposal=proposal, body="Which parks?")
    services.comment_add(actor=resident, proposal=proposal, body="All of them", parent=first)
    services.comment_add(actor=person("resident"), proposal=proposal, body="Buy now!!!")
    moderator = person("moderator", is_staff=True)
    for url in (
        "/consultations/proposals/",
        "/consultations/proposals/parks-ideas/",
        f"/consultations/proposals/parks-ideas/{proposal.pk}/",
    ):
        page.goto(url)
        assert_accessible(page)
    page.context.add_cookies(
        [{"name": "sessionid", "value": _session_of(moderator), "url": live_server.url}]
    )
    page.goto("/consultations/moderation/")
    expect(page.locator("main")).to_contain_text("Buy now!!!")
    assert_accessible(page)


def test_officer_builds_a_survey_previews_it_and_publishes_the_outcome(browser, live_server):
    lead = LeadFactory(display_name="Lead Officer")
    consultation = ConsultationFactory(draft=True, author=lead, title="Parks and open spaces")
    context = _signed_in_context(
        browser, live_server, lead, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(f"/consultations/manage/{consultation.slug}/")
    page.get_by_role("link", name="Survey questions").click()
    page.get_by_label("Page title", exact=True).fill("Your park")
    page.get_by_role("button", name="Add page").click()
    page.get_by_label("Question", exact=True).fill("Which park do you use most?")
    page.get_by_label("Single choice").check()
    page.get_by_label("Options (optional)", exact=True).fill("Eastgate Park\nRiverside Park")
    page.get_by_role("button", name="Add question").click()
    expect(page.locator("main")).to_contain_text("Which park do you use most?")
    assert_accessible(page)
    page.get_by_role("button", name="Add equality monitoring questions").click()
    page.get_by_role("link", name="Preview the survey").first.click()
    expect(page.locator("main")).to_contain_text("Which park do you use most?")
    expect(page.locator("main")).to_contain_text("What is your ethnic group?")
    assert_accessible(page)

    Consultation.objects.filter(pk=consultation.pk).update(state=Consultation.State.ANALYSING)
    page.goto(f"/consultations/manage/{consultation.slug}/")
    page.get_by_role("link", name="Publish the outcome").click()
    page.get_by_label("You said", exact=True).fill("Keep the parks open late in summer.")
    page.get_by_label("We did", exact=True).fill("Parks now close at 10pm from May to August.")
    page.get_by_label("What changed because of the consultation", exact=True).fill(
        "Later summer closing."
    )
    page.get_by_role("button", name="Publish outcome").click()
    expect(page.locator("main")).to_contain_text("Parks now close at 10pm from May to August.")
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.OUTCOME_PUBLISHED
    context.close()


def test_voter_checks_what_is_left_to_spend_on_a_phone_without_javascript(browser, live_server):
    lead = LeadFactory()
    budget = services.budget_create(
        actor=lead, slug="fund", title="Green fund", total_pence=10_000_00, ballot_kind="knapsack"
    )
    for title, cost in (("Swings", 6_000_00), ("Pond", 5_000_00)):
        project = services.project_propose(
            actor=lead,
            budget=budget,
            title=title,
            description=f"{title} for Riverside Park, asked for by residents.",
            cost_pence=cost,
        )
        services.project_assess(actor=lead, project=project, feasible=True)
    (code,) = services.voter_codes_issue(actor=lead, budget=budget, count=1)
    services.budget_advance(actor=lead, budget=budget, phase="voting")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/consultations/budgets/fund/verify/")
    page.get_by_label("Code from your letter").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("main")).to_contain_text("Pond for Riverside Park, asked for by residents.")
    expect(page.locator("#tally")).to_contain_text("£10,000 left to spend")
    page.get_by_label("Swings, £6,000").check()
    page.get_by_role("button", name="Check my choices").click()
    expect(page.locator("#tally")).to_contain_text("£4,000 left to spend")
    expect(page.get_by_label("Swings, £6,000")).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    axe_context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    axe_page = axe_context.new_page()
    axe_page.goto("/consultations/budgets/fund/verify/")
    axe_page.get_by_label("Code from your letter").fill(code)
    axe_page.get_by_role("button", name="Continue").click()
    assert_accessible(axe_page)
    axe_context.close()


def test_resident_votes_in_a_participatory_budget_without_javascript(browser, live_server):
    lead = LeadFactory()
    budget = services.budget_create(
        actor=lead,
        slug="fund",
        title="Neighbourhood fund",
        total_pence=10_000_00,
        ballot_kind="knapsack",
    )
    for title, cost in (("Swings", 6_000_00), ("Pond", 5_000_00)):
        project = services.project_propose(
            actor=lead, budget=budget, title=title, description="d", cost_pence=cost
        )
        services.project_assess(actor=lead, project=project, feasible=True)
    code, second_code = services.voter_codes_issue(actor=lead, budget=budget, count=2)
    services.budget_advance(actor=lead, budget=budget, phase="voting")
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/consultations/")
    page.get_by_role("link", name="Neighbourhood fund").click()
    page.get_by_role("link", name="Vote", exact=True).click()
    page.get_by_label("Code from your letter").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Swings, £6,000").check()
    page.get_by_label("Pond, £5,000").check()
    page.get_by_role("button", name="Cast my vote").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("more than the £10,000 budget")
    page.get_by_label("Pond, £5,000").uncheck()
    page.get_by_role("button", name="Cast my vote").click()
    expect(page.locator("main")).to_contain_text("Your vote is counted")
    context.close()
    axe_context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    axe_page = axe_context.new_page()
    axe_page.goto("/consultations/budgets/fund/verify/")
    assert_accessible(axe_page)
    axe_page.get_by_label("Code from your letter").fill(second_code)
    axe_page.get_by_role("button", name="Continue").click()
    axe_page.get_by_role("button", name="Cast my vote").click()
    expect(axe_page.locator(".govuk-error-summary")).to_contain_text("Choose at least one project")
    assert_accessible(axe_page)
    services.budget_advance(actor=lead, budget=budget, phase="results")
    axe_page.goto("/consultations/budgets/fund/")
    expect(axe_page.locator("main")).to_contain_text("Funded")
    assert_accessible(axe_page)
    axe_context.close()


def test_lead_opens_a_proposals_process_and_a_resident_follows_a_consultation(
    browser, live_server, person
):
    context = _signed_in_context(
        browser, live_server, LeadFactory(), viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto("/consultations/proposals/")
    page.get_by_role("link", name="Open a proposals process").click()
    page.get_by_role("button", name="Open process").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Ideas for our parks")
    page.get_by_label("Address").fill("parks-ideas")
    page.get_by_role("radio", name=re.compile("A moderator approves everything")).check()
    page.get_by_role("button", name="Open process").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ideas for our parks")
    expect(page.locator("main")).to_contain_text("A moderator reads each proposal")
    assert_accessible(page)
    context.close()

    consultation = ConsultationFactory(title="Library opening hours")
    context = _signed_in_context(
        browser, live_server, person("resident"), viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(f"/consultations/{consultation.slug}/")
    page.get_by_role("button", name="Follow this consultation").click()
    expect(page.locator("main")).to_contain_text("You follow this consultation")
    assert_accessible(page)
    context.close()


def test_a_resident_follows_a_consultation_by_email_alone_and_unsubscribes_in_one_click(
    page, live_server
):
    from django.core import mail

    consultation = ConsultationFactory(title="Library opening hours")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/consultations/{consultation.slug}/")
    page.get_by_role("button", name="Get emails about this").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("ann@example.org")
    page.get_by_role("button", name="Get emails about this").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    confirm = re.search(r"https?://\S+", mail.outbox[-1].body).group()
    page.goto(re.sub(r"^https?://[^/]+", "", confirm))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm you want these emails")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You will get emails about this")
    assert_accessible(page)

    services.consultation_close(actor=consultation.author, consultation=consultation)
    unsubscribe = mail.outbox[-1].extra_headers["List-Unsubscribe"][1:-1]
    page.goto(re.sub(r"^https?://[^/]+", "", unsubscribe))
    assert_accessible(page)
    page.get_by_role("button", name="Stop these emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You will get no more of these emails"
    )
    assert_accessible(page)


def test_a_reported_comment_reaches_the_moderator_who_hides_it_without_javascript(
    browser, live_server, person
):
    """Report a comment on a phone; the moderator finds it in the queue at once, with the
    reason and context, and hides it after a confirmation page; no JavaScript anywhere."""
    process = services.proposals_process_create(
        actor=LeadFactory(), slug="parks-ideas", title="Ideas for our parks"
    )
    proposal = services.proposal_submit(
        actor=person("resident"), process=process, title="Water fountains", body="By the swings."
    )
    comment = services.comment_add(
        actor=person("resident", display_name="Sam Rude"), proposal=proposal, body="You fools"
    )
    phone = {"viewport": {"width": 390, "height": 844}, "java_script_enabled": False}
    resident = _signed_in_context(browser, live_server, person("resident"), **phone)
    tab = resident.new_page()
    tab.goto(f"/consultations/proposals/parks-ideas/{proposal.pk}/")
    report = tab.locator(f"#comment-{comment.pk}")
    report.get_by_text("Report this").click()
    report.get_by_label("Offensive or abusive").check()
    report.get_by_role("button", name="Send report").click()
    expect(tab.locator("body")).to_contain_text("A moderator will look at it")
    resident.close()

    moderator = _signed_in_context(
        browser, live_server, person("moderator", is_staff=True), **phone
    )
    tab = moderator.new_page()
    tab.goto("/consultations/moderation/")
    card = tab.locator(f"#comment-{comment.pk}")
    expect(card).to_contain_text("You fools")
    expect(card).to_contain_text("Sam Rude")
    expect(card).to_contain_text("Offensive or abusive")
    expect(card).to_contain_text("Water fountains")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    card.get_by_role("button", name="Hide").click()
    expect(tab.locator("h1")).to_have_text("Are you sure you want to hide this comment?")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    tab.get_by_label("Reason for hiding (the author will see it)").fill("Abusive")
    tab.get_by_role("button", name="Yes, hide this comment").click()
    expect(tab.locator("main")).to_contain_text("Nothing is waiting.")
    moderator.close()

    axe = _signed_in_context(
        browser, live_server, person("moderator", is_staff=True), viewport=phone["viewport"]
    )
    tab = axe.new_page()
    other = services.comment_add(actor=person("resident"), proposal=proposal, body="Hmm")
    services.content_report(actor=person("resident"), item=other, reason="spam")
    tab.goto("/consultations/moderation/")
    assert_accessible(tab)
    tab.goto(f"/consultations/moderation/comment/{other.pk}/")
    assert_accessible(tab)
    tab.get_by_role("button", name="Yes, hide this comment").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("Give the reason for hiding it.")
    assert_accessible(tab)
    axe.close()


def test_a_signed_out_resident_presses_follow_signs_in_and_comes_back_following(
    page, live_server, person
):
    from tests.core.factories import PASSWORD

    resident = person("resident")
    consultation = ConsultationFactory(title="Library opening hours")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/consultations/{consultation.slug}/")
    page.get_by_role("button", name="Follow this consultation").click()
    page.get_by_label("Email address").fill(resident.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"/consultations/{consultation.slug}/$"))
    expect(page.locator("main")).to_contain_text("You follow this consultation")
    expect(page.get_by_role("button", name="Stop following this consultation")).to_be_visible()
    assert_accessible(page)


def test_a_signed_out_resident_presses_follow_creates_an_account_and_comes_back_following(
    page, live_server
):
    from django.core import mail

    consultation = ConsultationFactory(title="Library opening hours")
    page.goto(f"/consultations/{consultation.slug}/")
    page.get_by_role("button", name="Follow this consultation").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Email address").fill("new.follower@example.org")
    page.get_by_label("Create a password").fill("a long and unusual passphrase")
    page.get_by_label("Type your password again").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    page.goto(link.group(1))
    page.get_by_role("button", name="Confirm email address").click()
    expect(page).to_have_url(re.compile(rf"/consultations/{consultation.slug}/$"))
    expect(page.locator("main")).to_contain_text("You follow this consultation")
