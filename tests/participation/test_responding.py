"""Responding: the page-by-page flow, drafts, and integrity under bad input and repetition."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from townhall.core.permissions import PermissionDenied
from townhall.participation import services
from townhall.participation.models import Answer, Consultation, Question, Response, ResponseDraft

from .factories import (
    ConsultationFactory,
    QuestionFactory,
    SurveyPageFactory,
    answer_online,
    library_survey,
    submission_key,
)

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def consultation():
    return ConsultationFactory()


@pytest.fixture
def survey(consultation):
    return library_survey(consultation)


def _field(question: Question) -> str:
    return f"q{question.pk}"


def test_resident_answers_page_by_page_and_the_response_is_stored(client, consultation, survey):
    done = answer_online(
        client,
        consultation,
        {_field(survey["frequency"]): "Weekly"},
        {
            _field(survey["services"]): ["Books", "Events"],
            _field(survey["comments"]): "More events, please.",
            _field(survey["postcode"]): "nb1 1aa",
        },
    )
    assert done["Location"] == reverse("participation:respond_done", args=[consultation.slug])
    response = Response.objects.get()
    assert response.channel == Response.Channel.ONLINE
    assert response.respondent is None
    stored = {(a.question_id, a.choice or a.text) for a in response.answers.all()}
    assert stored == {
        (survey["frequency"].pk, "Weekly"),
        (survey["services"].pk, "Books"),
        (survey["services"].pk, "Events"),
        (survey["comments"].pk, "More events, please."),
        (survey["postcode"].pk, "NB1 1AA"),
    }
    assert not ResponseDraft.objects.exists()
    assert "Response sent" in client.get(done["Location"]).text


def test_conditional_page_is_skipped_when_its_condition_is_not_met(client, consultation, survey):
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    first = client.post(
        reverse(
            "participation:respond_page", args=[consultation.slug, survey["frequency"].page_id]
        ),
        {_field(survey["frequency"]): "Weekly"},
    )
    assert first["Location"].endswith(f"/respond/{survey['services'].page_id}/")


def test_conditional_page_is_shown_when_its_condition_is_met(client, consultation, survey):
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    first = client.post(
        reverse(
            "participation:respond_page", args=[consultation.slug, survey["frequency"].page_id]
        ),
        {_field(survey["frequency"]): "Never"},
    )
    assert first["Location"].endswith(f"/respond/{survey['why_not'].page_id}/")
    assert "Why do you not visit?" in client.get(first["Location"]).text


def test_answers_to_questions_no_longer_shown_are_not_stored(client, consultation, survey):
    def page_of(key: str) -> str:
        return reverse("participation:respond_page", args=[consultation.slug, survey[key].page_id])

    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    client.post(page_of("frequency"), {_field(survey["frequency"]): "Never"})
    client.post(page_of("why_not"), {_field(survey["why_not"]): "Too far"})
    client.post(page_of("frequency"), {_field(survey["frequency"]): "Weekly"})
    check = client.get(reverse("participation:respond_check", args=[consultation.slug]))
    assert "Why do you not visit?" not in check.text
    client.post(check.request["PATH_INFO"], {"idempotency_key": submission_key(check)})
    response = Response.objects.get()
    assert response.answers.filter(question=survey["frequency"], choice="Weekly").exists()
    assert not response.answers.filter(question=survey["why_not"]).exists()


def test_double_submission_stores_one_response_and_says_you_have_already_responded(
    client, consultation, survey
):
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    client.post(
        reverse(
            "participation:respond_page", args=[consultation.slug, survey["frequency"].page_id]
        ),
        {_field(survey["frequency"]): "Weekly"},
    )
    check_url = reverse("participation:respond_check", args=[consultation.slug])
    key = submission_key(client.get(check_url))
    first = client.post(check_url, {"idempotency_key": key})
    second = client.post(check_url, {"idempotency_key": key})
    assert first.status_code == 302
    assert second.status_code == 409
    assert "You have already responded" in second.text
    assert Response.objects.count() == 1


def test_back_button_after_submitting_does_not_store_a_second_response(
    client, consultation, survey
):
    done = answer_online(client, consultation, {_field(survey["frequency"]): "Weekly"}, {})
    assert done.status_code == 302
    check_url = reverse("participation:respond_check", args=[consultation.slug])
    back = client.get(check_url)
    assert back.status_code == 302
    stale = client.post(check_url, {"idempotency_key": "0" * 32})
    assert stale.status_code in (403, 410)
    assert Response.objects.count() == 1


def test_signed_in_resident_can_respond_only_once(client, resident, consultation, survey):
    client.force_login(resident)
    answer_online(client, consultation, {_field(survey["frequency"]): "Weekly"}, {})
    again = client.post(reverse("participation:respond_start", args=[consultation.slug]))
    assert again.status_code == 409
    assert "You have already responded" in again.text
    assert Response.objects.filter(respondent=resident).count() == 1


def test_closed_consultation_shows_a_clear_page_and_stores_nothing(client):
    consultation = ConsultationFactory(closed=True)
    library_survey(consultation)
    page = client.post(reverse("participation:respond_start", args=[consultation.slug]))
    assert page.status_code == 410
    assert "This consultation is closed" in page.text
    assert not ResponseDraft.objects.exists()


def test_consultation_that_closes_while_a_resident_answers_refuses_the_submission(
    client, consultation, survey
):
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    client.post(
        reverse(
            "participation:respond_page", args=[consultation.slug, survey["frequency"].page_id]
        ),
        {_field(survey["frequency"]): "Weekly"},
    )
    check_url = reverse("participation:respond_check", args=[consultation.slug])
    key = submission_key(client.get(check_url))
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    refused = client.post(check_url, {"idempotency_key": key})
    assert "This consultation is closed" in refused.text
    assert not Response.objects.exists()


def test_signed_in_only_consultation_asks_anonymous_visitors_to_sign_in(client):
    consultation = ConsultationFactory(response_mode=Consultation.ResponseMode.SIGNED_IN)
    library_survey(consultation)
    assert (
        "You need to sign in"
        in client.get(reverse("participation:respond_start", args=[consultation.slug])).text
    )
    refused = client.post(reverse("participation:respond_start", args=[consultation.slug]))
    assert "Sign in to respond" in refused.text


def test_hostile_html_in_answers_is_shown_as_inert_text(client, lead, consultation, survey):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    client.post(
        reverse(
            "participation:respond_page", args=[consultation.slug, survey["frequency"].page_id]
        ),
        {_field(survey["frequency"]): "Weekly"},
    )
    client.post(
        reverse("participation:respond_page", args=[consultation.slug, survey["comments"].page_id]),
        {_field(survey["comments"]): hostile},
    )
    check = client.get(reverse("participation:respond_check", args=[consultation.slug]))
    assert "<script>alert" not in check.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in check.text
    client.post(check.request["PATH_INFO"], {"idempotency_key": submission_key(check)})
    client.force_login(lead)
    listing = client.get(
        reverse(
            "participation:manage_text_answers", args=[consultation.slug, survey["comments"].pk]
        )
    )
    assert "<img src=x" not in listing.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in listing.text


def test_ten_megabyte_answer_is_refused_with_a_message(client, consultation, survey):
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    client.post(
        reverse(
            "participation:respond_page", args=[consultation.slug, survey["frequency"].page_id]
        ),
        {_field(survey["frequency"]): "Weekly"},
    )
    page = client.post(
        reverse("participation:respond_page", args=[consultation.slug, survey["comments"].page_id]),
        {_field(survey["comments"]): "x" * 10_000_000},
    )
    assert page.status_code == 200
    assert "Your answer must be 10000 characters or fewer" in page.text
    assert "There is a problem" in page.text
    draft = ResponseDraft.objects.get()
    assert str(survey["comments"].pk) not in draft.answers


def _file_question(consultation):
    return QuestionFactory(
        page=SurveyPageFactory(consultation=consultation),
        kind=Question.Kind.FILE,
        text="Upload evidence",
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evidence.pdf", PNG),
        ("evidence.pdf", b"<html><script>alert(1)</script></html>"),
        ("run.exe", b"MZ" + b"\x00" * 100),
    ],
)
def test_file_whose_type_lies_is_refused(client, consultation, name, content):
    question = _file_question(consultation)
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    page = client.post(
        reverse("participation:respond_page", args=[consultation.slug, question.page_id]),
        {_field(question): SimpleUploadedFile(name, content)},
    )
    assert page.status_code == 200
    assert "The file must be a PDF, JPG or PNG" in page.text


def test_file_larger_than_the_limit_is_refused(client, consultation, settings):
    settings.PARTICIPATION_MAX_UPLOAD_BYTES = 1024
    question = _file_question(consultation)
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    page = client.post(
        reverse("participation:respond_page", args=[consultation.slug, question.page_id]),
        {_field(question): SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)},
    )
    assert "The file must be smaller than" in page.text


def test_real_pdf_is_accepted_and_stored_with_the_response(client, consultation):
    question = _file_question(consultation)
    done = answer_online(
        client, consultation, {_field(question): SimpleUploadedFile("evidence.pdf", PDF)}
    )
    assert done.status_code == 302
    answer = Answer.objects.get(question=question)
    assert answer.file.name.endswith(".pdf")
    assert answer.file.read() == PDF


def test_anonymous_resident_saves_and_resumes_with_the_link_on_another_device(
    client, consultation, survey
):
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    saved = client.post(
        reverse(
            "participation:respond_page", args=[consultation.slug, survey["frequency"].page_id]
        ),
        {_field(survey["frequency"]): "Never", "save_and_leave": "1"},
    )
    page = client.get(saved["Location"])
    resume_url = page.context["resume_url"]
    assert "/respond/resume/" in resume_url
    other_device = client.__class__()
    resumed = other_device.get(resume_url)
    assert resumed["Location"].endswith(f"/respond/{survey['frequency'].page_id}/")
    form_page = other_device.get(resumed["Location"])
    assert 'value="Never" checked' in form_page.text


def test_resume_link_with_an_unknown_token_says_it_has_expired(client, consultation, survey):
    page = client.get(
        reverse("participation:respond_resume", args=[consultation.slug, "made-up-token"]),
        follow=True,
    )
    assert "expired" in page.text


def test_signed_in_resident_finds_their_saved_answers_after_signing_in_again(
    client, resident, consultation, survey
):
    client.force_login(resident)
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    client.post(
        reverse(
            "participation:respond_page", args=[consultation.slug, survey["frequency"].page_id]
        ),
        {_field(survey["frequency"]): "Weekly", "save_and_leave": "1"},
    )
    client.logout()
    client.force_login(resident)
    carried_on = client.post(reverse("participation:respond_start", args=[consultation.slug]))
    assert ResponseDraft.objects.get().respondent == resident
    form_page = client.get(carried_on["Location"])
    assert 'value="Weekly" checked' in form_page.text


def test_staff_record_a_paper_response_with_its_channel(client, officer, consultation, survey):
    client.force_login(officer)
    page = client.post(
        reverse("participation:manage_record", args=[consultation.slug]),
        {
            "channel": "paper",
            "received_on_day": "1",
            "received_on_month": "2",
            "received_on_year": "2026",
            _field(survey["frequency"]): "Weekly",
            _field(survey["postcode"]): "NB2 2BB",
        },
    )
    assert page.status_code == 302, page.content
    response = Response.objects.get()
    assert response.channel == Response.Channel.PAPER
    assert response.recorded_by == officer
    assert timezone.localdate(response.submitted_at).isoformat() == "2026-02-01"
    assert response.answers.count() == 2


def test_residents_cannot_record_responses_for_others(resident, consultation):
    with pytest.raises(PermissionDenied):
        services.response_record(
            actor=resident, consultation=consultation, channel="paper", answers={}
        )


def test_check_page_sent_from_an_older_tab_asks_to_check_again(client, consultation, survey):
    client.post(reverse("participation:respond_start", args=[consultation.slug]))
    client.post(
        reverse(
            "participation:respond_page", args=[consultation.slug, survey["frequency"].page_id]
        ),
        {_field(survey["frequency"]): "Weekly"},
    )
    check_url = reverse("participation:respond_check", args=[consultation.slug])
    old_key = submission_key(client.get(check_url))
    submission_key(client.get(check_url))
    page = client.post(check_url, {"idempotency_key": old_key}, follow=True)
    assert "Check them again" in page.text
    assert not Response.objects.exists()
