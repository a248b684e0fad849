"""Checks of a document a person uploads, read from its bytes rather than trusted from its
name: one rule for every module that takes PDFs (board papers, suppliers' proposals).
The module phrases the message, since it knows what the document is called."""

from enum import StrEnum

from django.core.files.uploadedfile import UploadedFile

PDF_SIGNATURE = b"%PDF-"


class PdfProblem(StrEnum):
    TOO_LARGE = "too_large"
    NOT_PDF = "not_pdf"


def pdf_problem(upload: UploadedFile, *, max_bytes: int) -> PdfProblem | None:
    """What stops `upload` being taken as a PDF of at most `max_bytes`, or None.

    The file must be named .pdf and begin with the PDF signature, whatever its name or the
    type the browser claimed; it is left read from the start.
    """
    if upload.size > max_bytes:
        return PdfProblem.TOO_LARGE
    upload.seek(0)
    head = upload.read(len(PDF_SIGNATURE))
    upload.seek(0)
    if head != PDF_SIGNATURE or not upload.name.lower().endswith(".pdf"):
        return PdfProblem.NOT_PDF
    return None
