"""Checks of a document a person uploads, read from its bytes rather than trusted from its
name: one rule for every module that takes PDFs (board papers, suppliers' proposals).
The module phrases the message, since it knows what the document is called."""

import shutil
import uuid
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
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


def private_storage(folder: str) -> FileSystemStorage:
    """Storage for documents only a view that checks who is asking may serve: kept under
    VAR_DIR/private, never under MEDIA_ROOT, which the web server publishes as it is."""
    return FileSystemStorage(location=Path(settings.VAR_DIR) / "private" / folder)


def unguessable_name(folder: str, filename: str) -> str:
    """A folder of its own per upload, so the sender's file name is kept for the download
    without being a way to find the file, and no upload overwrites another."""
    return f"{folder}/{uuid.uuid4().hex}/{Path(filename).name}"


def move_tree(source: Path, target: Path) -> None:
    """Every file under `source` moved to the same place under `target`, then `source`
    removed: how a migration takes stored uploads out of MEDIA_ROOT, keeping their names."""
    if not source.is_dir():
        return
    for stored in sorted(path for path in source.rglob("*") if path.is_file()):
        moved = target / stored.relative_to(source)
        moved.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(stored, moved)
    shutil.rmtree(source)
