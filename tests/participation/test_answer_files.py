"""Files residents upload as answers: their own documents, kept where the web server does
not publish them and downloaded only by those who may export the responses."""

from importlib import import_module
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from townhall.core.models import AuditEntry
from townhall.participation.models import Answer, Question

from .factories import ConsultationFactory, QuestionFactory, SurveyPageFactory, answer_online

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def consultation(lead):
    return ConsultationFactory(author=lead)


@pytest.fixture
def evidence(consultation):
    return QuestionFactory(
        page=SurveyPageFactory(consultation=consultation),
        kind=Question.Kind.FILE,
        text="Upload evidence",
    )


@pytest.fixture
def uploaded(consultation, evidence):
    answer_online(
        Client(),
        consultation,
        {f"q{evidence.pk}": SimpleUploadedFile("my-tenancy.pdf", PDF)},
    )
    return Answer.objects.get(question=evidence)


def test_an_uploaded_answer_is_kept_where_the_web_server_does_not_publish_it(uploaded, settings):
    stored = Path(uploaded.file.path)

    assert stored.read_bytes() == PDF
    assert not stored.is_relative_to(settings.MEDIA_ROOT)
    assert stored.is_relative_to(Path(settings.VAR_DIR) / "private")
    assert "my-tenancy" not in uploaded.file.name


def test_the_lead_finds_the_files_from_the_results_and_downloads_one_audited(
    client, lead, consultation, evidence, uploaded
):
    client.force_login(lead)

    results = client.get(reverse("participation:manage_results", args=[consultation.slug]))
    files_page = reverse("participation:manage_answer_files", args=[consultation.slug, evidence.pk])
    assert files_page in results.text
    listing = client.get(files_page)
    download_url = reverse(
        "participation:manage_answer_file", args=[consultation.slug, uploaded.pk]
    )
    assert download_url in listing.text
    assert uploaded.response.reference in listing.text
    download = client.get(download_url)

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment;")
    assert f"{uploaded.response.reference}-{evidence.pk}.pdf" in download["Content-Disposition"]
    entry = AuditEntry.objects.get(action="participation.answer_file_read")
    assert entry.actor_id == lead.pk


def test_staff_who_may_not_export_responses_and_residents_cannot_download(
    client, officer, resident, consultation, evidence, uploaded
):
    download_url = reverse(
        "participation:manage_answer_file", args=[consultation.slug, uploaded.pk]
    )
    files_page = reverse("participation:manage_answer_files", args=[consultation.slug, evidence.pk])

    client.force_login(officer)
    assert client.get(download_url).status_code == 403
    assert client.get(files_page).status_code == 403
    client.force_login(resident)
    assert client.get(download_url).status_code in (403, 404)
    assert not AuditEntry.objects.filter(action="participation.answer_file_read").exists()


def test_an_answer_is_not_reached_through_another_consultation(client, lead, uploaded):
    other = ConsultationFactory(author=lead)
    client.force_login(lead)

    wrong = reverse("participation:manage_answer_file", args=[other.slug, uploaded.pk])

    assert client.get(wrong).status_code == 404


def test_files_uploaded_before_were_moved_out_of_the_published_folder(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.VAR_DIR = str(tmp_path / "var")
    published = tmp_path / "media" / "participation" / "answers" / "0a1b.pdf"
    published.parent.mkdir(parents=True)
    published.write_bytes(PDF)
    migration = import_module("townhall.participation.migrations.0010_answer_files_outside_media")

    migration.move_answer_files(apps=None, schema_editor=None)

    moved = tmp_path / "var" / "private" / "participation" / "participation" / "answers"
    assert (moved / "0a1b.pdf").read_bytes() == PDF
    assert not published.exists()
