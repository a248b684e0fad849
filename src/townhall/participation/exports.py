"""Every response of a consultation as a table: one row per response, one column per question.

Only services.responses_export calls this, after checking permission and before auditing.
"""

import csv
import io

from openpyxl import Workbook

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


def _safe(value: str) -> str:
    """Defuse spreadsheet formulas in what residents typed (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def render(consultation: Consultation, file_format: str) -> bytes:
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows(consultation):
            writer.writerow([_safe(value) for value in row])
        return buffer.getvalue().encode("utf-8-sig")
    if file_format == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Responses")
        for row in rows(consultation):
            sheet.append([_safe(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    raise ValueError(f"Unknown export format {file_format}")
