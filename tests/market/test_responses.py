"""Expressions of interest: one per supplier, before the deadline, PDFs only, and never
readable by another supplier."""

from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.market.factories import ChallengeFactory, ResponseFactory
from townhall.core.permissions import PermissionDenied
from townhall.market import selectors, services
from townhall.market.models import Challenge

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_supplier_responds_once_and_a_second_submission_changes_it(supplier, challenge):
    services.response_submit(actor=supplier.account, challenge=challenge, summary="First")
    services.response_submit(actor=supplier.account, challenge=challenge, summary="Second")

    responses = list(challenge.responses.all())
    assert [response.summary for response in responses] == ["Second"]


def test_a_late_response_is_refused_showing_the_deadline(supplier):
    late = ChallengeFactory(
        questions_deadline=timezone.now() - timedelta(days=3),
        response_deadline=timezone.make_aware(timezone.datetime(2026, 1, 12, 17, 0)),
    )

    with pytest.raises(services.DeadlinePassed, match="12 January 2026, 5pm"):
        services.response_submit(actor=supplier.account, challenge=late, summary="Too late")

    assert not late.responses.exists()


def test_an_edit_after_the_deadline_is_refused_and_the_response_kept(supplier, challenge):
    services.response_submit(actor=supplier.account, challenge=challenge, summary="On time")
    Challenge.objects.filter(pk=challenge.pk).update(
        questions_deadline=timezone.now() - timedelta(days=2),
        response_deadline=timezone.now() - timedelta(minutes=1),
    )
    challenge.refresh_from_db()

    with pytest.raises(services.DeadlinePassed):
        services.response_submit(actor=supplier.account, challenge=challenge, summary="Changed")

    assert challenge.responses.get().summary == "On time"


def test_responding_is_refused_when_the_challenge_is_a_draft(supplier):
    draft = ChallengeFactory(status=Challenge.Status.DRAFT, published_at=None)

    with pytest.raises(services.ResponseInvalid, match="not open"):
        services.response_submit(actor=supplier.account, challenge=draft, summary="Hello")


def test_responding_is_refused_when_the_person_is_not_a_supplier(resident, challenge):
    with pytest.raises(PermissionDenied):
        services.response_submit(actor=resident, challenge=challenge, summary="Hello")


def test_a_pdf_document_is_kept_with_the_response(supplier, challenge):
    upload = SimpleUploadedFile("proposal.pdf", PDF, content_type="application/pdf")

    response = services.response_submit(
        actor=supplier.account, challenge=challenge, summary="See PDF", attachment=upload
    )

    assert response.attachment.read().startswith(b"%PDF-")


def test_a_document_is_kept_where_the_web_server_does_not_publish_it(supplier, challenge, settings):
    """MEDIA_ROOT is served as it is (by nginx, or the demo's own server), so a document
    under it could be fetched by anyone who guessed its name."""
    upload = SimpleUploadedFile("proposal.pdf", PDF, content_type="application/pdf")

    response = services.response_submit(
        actor=supplier.account, challenge=challenge, summary="See PDF", attachment=upload
    )

    stored = Path(response.attachment.path)
    assert not stored.is_relative_to(settings.MEDIA_ROOT)
    assert stored.is_relative_to(Path(settings.VAR_DIR) / "private")
    folder, random_part, name = response.attachment.name.split("/")
    assert (folder, name) == ("responses", "proposal.pdf")
    assert len(random_part) == 32


def test_documents_stored_under_the_published_folder_are_moved_out_unchanged(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.VAR_DIR = str(tmp_path / "var")
    published = tmp_path / "media" / "private" / "market" / "responses" / "proposal.pdf"
    published.parent.mkdir(parents=True)
    published.write_bytes(PDF)
    migration = import_module("townhall.market.migrations.0004_response_documents_outside_media")

    migration.move_documents(apps=None, schema_editor=None)

    moved = tmp_path / "var" / "private" / "market" / "responses" / "proposal.pdf"
    assert moved.read_bytes() == PDF
    assert not (tmp_path / "media" / "private").joinpath("market").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("proposal.pdf", b"MZ\x90\x00 a program named as a PDF"),
        ("proposal.docx", PDF),
        ("proposal.pdf", b"<script>alert(1)</script>"),
    ],
)
def test_a_document_is_refused_when_it_is_not_really_a_pdf(supplier, challenge, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")

    with pytest.raises(services.ResponseInvalid, match="must be a PDF"):
        services.response_submit(
            actor=supplier.account, challenge=challenge, summary="x", attachment=upload
        )

    assert not challenge.responses.exists()


def test_a_document_is_refused_when_it_is_too_large(supplier, challenge, settings):
    settings.MARKET_ATTACHMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, content_type="application/pdf")

    with pytest.raises(services.ResponseInvalid, match="smaller than"):
        services.response_submit(
            actor=supplier.account, challenge=challenge, summary="x", attachment=upload
        )


def test_a_supplier_cannot_read_another_suppliers_response(client, supplier, rival, challenge):
    theirs = ResponseFactory(
        challenge=challenge,
        supplier=rival,
        summary="Rival's secret approach",
        attachment=SimpleUploadedFile("rival.pdf", PDF),
    )
    client.force_login(supplier.account)

    document = client.get(reverse("market:response_document", args=[theirs.public_id]))
    detail = client.get(reverse("market:challenge_detail", args=[challenge.slug]))
    staff_list = client.get(reverse("market:manage_responses", args=[challenge.public_id]))

    assert document.status_code == 404
    assert "Rival&#x27;s secret approach" not in detail.text
    assert "Rival's secret approach" not in detail.text
    assert staff_list.status_code == 403
    assert selectors.own_response(supplier.account, challenge) is None
    assert selectors.own_response_by_public_id(supplier.account, theirs.public_id) is None


def test_the_supplier_and_the_officer_may_download_the_document(
    client, supplier, officer, challenge
):
    response = ResponseFactory(
        challenge=challenge, supplier=supplier, attachment=SimpleUploadedFile("mine.pdf", PDF)
    )
    url = reverse("market:response_document", args=[response.public_id])

    client.force_login(supplier.account)
    assert client.get(url).status_code == 200
    client.force_login(officer)
    assert client.get(url).status_code == 200
