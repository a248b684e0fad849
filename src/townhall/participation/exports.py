"""Every response of a consultation as a table: one row per response, one column per question.

Only services.responses_export calls this, after checking permission and before auditing.
"""

import codecs
import csv
import io
import tempfile
from collections.abc import Iterator
from itertools import batched

from openpyxl import Workbook

from townhall.core.spreadsheets import defuse_formula

from . import selectors
from .models import Consultation, Question

FIXED_COLUMNS = ("response", "submitted_at", "channel", "ward_code")


def _cell(question: Question, answers) -> str:
    if not answers:
        return ""
    if question.kind in selectors.TEXT_KINDS or question.kind == Question.Kind.NUMBER:
        return answers[0].text
    if question.kind == Question.Kind.FILE:
        return answers[0].file.name
    return "; ".join(answer.choice for answer in answers)


def rows(consultation: Consultation):
    """The header, then one list of strings per response."""
    questions = list(consultation.questions.select_related("page"))
    yield [*FIXED_COLUMNS, *(question.text for question in questions)]
    for response, answers in selectors.response_rows(consultation):
        yield [
            str(response.public_id),
            response.submitted_at.isoformat(),
            response.channel,
            response.ward_code,
            *(_cell(question, answers.get(question.pk, [])) for question in questions),
        ]


ROWS_PER_CHUNK = 500
XLSX_READ_BYTES = 64 * 1024


def render(consultation: Consultation, file_format: str) -> Iterator[bytes]:
    """The export as chunks of bytes, made as they are sent, so a consultation with a
    hundred thousand responses never sits whole in the web process's memory."""
    if file_format == "csv":
        return _csv_chunks(consultation)
    if file_format == "xlsx":
        return _xlsx_chunks(consultation)
    raise ValueError(f"Unknown export format {file_format}")


def _csv_chunks(consultation: Consultation) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield codecs.BOM_UTF8  # so that Excel reads the file as UTF-8
    for chunk in batched(rows(consultation), ROWS_PER_CHUNK):
        writer.writerows([defuse_formula(value) for value in row] for row in chunk)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


def _xlsx_chunks(consultation: Consultation) -> Iterator[bytes]:
    """A zip cannot be written front to back, so the workbook goes to a temporary file
    (openpyxl's write-only mode keeps only the current row in memory) and is sent from it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    for row in rows(consultation):
        sheet.append([defuse_formula(value) for value in row])
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while block := spool.read(XLSX_READ_BYTES):
            yield block
