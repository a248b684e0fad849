"""A resident keeps a record: a reference, an email receipt with their answers, a
printable copy, their responses and proposals under "Your account", and the "come back
later" link by email."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from townhall.core.services.accounts import account_erase, account_export
from townhall.participation import selectors
from townhall.participation.models import Proposal, ProposalProcess, Response
from townhall.participation.services import records

from .factories import ConsultationFactory, library_survey, submission_key

pytestmark = pytest.mark.django_db
REFERENCE = re.compile(r"^TH-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


@pytest.fixture
def consultation():
    return ConsultationFactory()


@pytest.fixture
def survey(consultation):
    return library_survey(consultation)


def _answer_pages(client, consultation, survey) -> None:
    page = client.post(reverse("participation:respond_start", args=[consultation.slug]))
    page = client.post(page["Location"], {f"q{survey['frequency'].pk}": "Weekly"})
    client.post(
        page["Location"],
        {
            f"q{survey['services'].pk}": ["Books", "Events"],
            f"q{survey['comments'].pk}": "Open on Sundays.",
        },
    )


def _send(client, consultation, capture, **receipt):
    check_url = reverse("participation:respond_check", args=[consultation.slug])
    check = client.get(check_url)
    with capture(execute=True):
        return client.post(check_url, {"idempotency_key": submission_key(check), **receipt})


def _respond(client, consultation, survey, capture, **receipt):
    _answer_pages(client, consultation, survey)
    return _send(client, consultation, capture, **receipt)


def test_response_gets_a_short_unguessable_reference_shown_in_the_confirmation_panel(
    client, consultation, survey, django_capture_on_commit_callbacks
):
    done = _respond(client, consultation, survey, django_capture_on_commit_callbacks)
    reference = Response.objects.get().reference
    assert REFERENCE.match(reference)
    page = client.get(done["Location"])
    assert re.search(r'govuk-panel__body">.*?' + reference, page.text, re.S)


def test_references_differ_between_responses():
    assert len({records.reference_draw() for _ in range(200)}) == 200


def test_anonymous_resident_who_asks_gets_a_receipt_with_their_answers_and_a_link(
    client, consultation, survey, django_capture_on_commit_callbacks
):
    _respond(
        client,
        consultation,
        survey,
        django_capture_on_commit_callbacks,
        email_me="on",
        email="sam@example.com",
    )
    response = Response.objects.get()
    [receipt] = mail.outbox
    assert receipt.to == ["sam@example.com"]
    assert response.reference in receipt.subject
    assert "Which services do you use?\nBooks, Events" in receipt.body
    assert "Open on Sundays." in receipt.body
    copy_url = selectors.response_copy_url(response, secret=True)
    assert copy_url in receipt.body
    assert "sam@example.com" not in str(Response.objects.values().get())


def test_anonymous_resident_who_does_not_ask_gets_no_email(
    client, consultation, survey, django_capture_on_commit_callbacks
):
    _respond(client, consultation, survey, django_capture_on_commit_callbacks)
    assert Response.objects.count() == 1
    assert mail.outbox == []


def test_asking_for_a_copy_without_an_address_is_refused_and_stores_nothing(
    client, consultation, survey, django_capture_on_commit_callbacks
):
    page = _respond(client, consultation, survey, django_capture_on_commit_callbacks, email_me="on")
    assert page.status_code == 200
    assert "Enter the email address to send the copy to" in page.text
    assert "govuk-error-summary" in page.text
    assert not Response.objects.exists()
    assert mail.outbox == []


def test_signed_in_resident_gets_the_receipt_at_their_account_address_in_welsh(
    client, resident, consultation, survey, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    _answer_pages(client, consultation, survey)
    check_url = "/cy" + reverse("participation:respond_check", args=[consultation.slug])
    check = client.get(check_url)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(check_url, {"idempotency_key": submission_key(check)})
    [receipt] = mail.outbox
    assert receipt.to == [resident.email]
    assert "Eich cyfeirnod yw" in receipt.body


def test_printable_copy_opens_with_the_secret_link_and_shows_every_answer(
    client, consultation, survey, django_capture_on_commit_callbacks
):
    done = _respond(client, consultation, survey, django_capture_on_commit_callbacks)
    copy_url = client.get(done["Location"]).context["copy_url"]
    stranger = client.__class__()
    page = stranger.get(copy_url)
    assert page.status_code == 200
    assert "Open on Sundays." in page.text
    assert "<li>Books</li><li>Events</li>" in page.text
    assert Response.objects.get().reference in page.text


def test_printable_copy_is_refused_with_a_wrong_key_or_to_someone_else_signed_in(
    client, person, consultation, survey, django_capture_on_commit_callbacks
):
    _respond(client, consultation, survey, django_capture_on_commit_callbacks)
    reference = Response.objects.get().reference
    wrong = reverse(
        "participation:response_copy_secret", args=[consultation.slug, reference, "guess"]
    )
    assert client.get(wrong).status_code == 404
    client.force_login(person())
    plain = reverse("participation:response_copy", args=[consultation.slug, reference])
    assert client.get(plain).status_code == 404


def test_printable_copy_asks_someone_signed_out_to_sign_in(client, consultation):
    page = client.get(reverse("participation:response_copy", args=[consultation.slug, "TH-X"]))
    assert page.status_code == 302
    assert "login" in page["Location"]


def test_your_account_lists_your_responses_and_proposals_with_links(
    client, resident, consultation, survey, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    _respond(client, consultation, survey, django_capture_on_commit_callbacks)
    process = ProposalProcess.objects.create(slug="ideas", title="Ideas for the park")
    proposal = Proposal.objects.create(
        process=process, title="A water fountain", body="By the gate.", author=resident
    )
    response = Response.objects.get()
    page = client.get(reverse("core:account"))
    assert "Your responses" in page.text and "Your proposals" in page.text
    copy_url = reverse("participation:response_copy", args=[consultation.slug, response.reference])
    assert copy_url in page.text
    assert client.get(copy_url).status_code == 200
    assert reverse("participation:proposal_detail", args=["ideas", proposal.pk]) in page.text


def test_your_account_shows_no_panel_to_someone_with_no_responses_or_proposals(client, resident):
    client.force_login(resident)
    page = client.get(reverse("core:account"))
    assert "Your responses" not in page.text and "Your proposals" not in page.text


def test_save_page_emails_the_resume_link_that_still_works(
    client, consultation, survey, django_capture_on_commit_callbacks
):
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    client.post(
        reverse(
            "participation:respond_page", args=[consultation.slug, survey["frequency"].page_id]
        ),
        {f"q{survey['frequency'].pk}": "Never", "save_and_leave": "1"},
    )
    saved_url = reverse("participation:respond_saved", args=[consultation.slug])
    resume_url = client.get(saved_url).context["resume_url"]
    sent = client.post(saved_url, {"email": "sam@example.com"})
    assert sent.status_code == 302
    [email] = mail.outbox
    assert email.to == ["sam@example.com"]
    assert resume_url in email.body
    assert client.get(saved_url).context["resume_url"] == resume_url
    resumed = client.__class__().get(resume_url)
    assert resumed["Location"].endswith(f"/respond/{survey['frequency'].page_id}/")


def test_save_page_refuses_a_bad_address_with_a_clear_message(client, consultation, survey):
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    saved_url = reverse("participation:respond_saved", args=[consultation.slug])
    page = client.post(saved_url, {"email": "not an address"})
    assert page.status_code == 200
    assert "Enter an email address in the correct format" in page.text
    assert mail.outbox == []


def test_save_page_limits_how_often_the_link_is_emailed(client, consultation, survey):
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    saved_url = reverse("participation:respond_saved", args=[consultation.slug])
    statuses = [client.post(saved_url, {"email": "sam@example.com"}).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert len(mail.outbox) == 5


def test_save_page_shows_the_link_in_a_copyable_field_that_wraps(client, consultation, survey):
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    page = client.get(reverse("participation:respond_saved", args=[consultation.slug]))
    resume_url = page.context["resume_url"]
    assert f'id="resume-link" type="text" value="{resume_url}" readonly' in page.text


def test_download_of_your_data_includes_each_response_reference(
    client, resident, consultation, survey, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    _respond(client, consultation, survey, django_capture_on_commit_callbacks)
    [exported] = account_export(user=resident)["modules"]["participation"]["responses"]
    assert exported["reference"] == Response.objects.get().reference


def test_erasure_gives_responses_new_references_so_old_receipt_links_lead_nowhere(
    client, resident, consultation, survey, django_capture_on_commit_callbacks
):
    client.force_login(resident)
    _respond(client, consultation, survey, django_capture_on_commit_callbacks)
    response = Response.objects.get()
    old_link = selectors.response_copy_url(response, secret=True)
    account_erase(user=resident)
    response.refresh_from_db()
    assert response.respondent is None
    assert REFERENCE.match(response.reference)
    assert response.reference not in old_link
    client.logout()
    assert client.get(old_link).status_code == 404


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest(transactional_db):
    """Whatever the test does to the schema, the next test finds it fully migrated."""
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_responses_stored_before_the_upgrade_each_get_their_own_reference(back_to_latest):
    old = _migrate([("participation", "0007_welsh_content_and_follows_in_core")])
    now = timezone.now()
    consultation = old.get_model("participation", "Consultation").objects.create(
        slug="parks", title="Parks", opens_at=now, closes_at=now + timedelta(days=1)
    )
    for number in range(3):
        old.get_model("participation", "Response").objects.create(
            consultation=consultation,
            submitted_at=now,
            submitted_on=now.date(),
            idempotency_key=f"before-{number}",
        )
    new = _migrate([("participation", "0008_response_reference")])
    references = set(
        new.get_model("participation", "Response").objects.values_list("reference", flat=True)
    )
    assert len(references) == 3
    assert all(REFERENCE.match(reference) for reference in references)
