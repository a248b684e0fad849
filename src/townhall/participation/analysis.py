"""Reads for the analysis pages: cross-tabulating a consultation's responses (one closed
question, or the ward or channel a response records, against another, counted in SQL) and
the codes given to free-text answers.

Kept apart from selectors.py, which is past a thousand lines. Every cross-tab figure leaves here
already suppressed as the open data is (counts under selectors.SMALL_COUNT), with more
withheld so the hidden ones cannot be worked out from the totals: the raw counts never
reach a page or a download.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, FilteredRelation, Q, QuerySet
from django.utils.translation import gettext as _

from townhall.core.disclosure import Figure, suppress_table
from townhall.core.spreadsheets import defuse_formula

from . import integrations, selectors
from .models import Answer, Code, Consultation, Question, Response

#: What a response records about itself that can be a row or a column: key, field.
RESPONSE_FIELDS = {"channel": "channel", "ward": "ward_code"}


@dataclass(frozen=True)
class Dimension:
    """Something to cross-tabulate by: a closed question, or a field of the response."""

    key: str
    label: str
    question: Question | None = None

    @property
    def field(self) -> str:
        return RESPONSE_FIELDS.get(self.key, "")

    @property
    def single(self) -> bool:
        """Whether each person has at most one value of it (not multiple choice)."""
        return self.question is None or self.question.kind != Question.Kind.MULTIPLE_CHOICE


@dataclass(frozen=True)
class Category:
    value: str
    label: str


@dataclass(frozen=True)
class Cell:
    figure: Figure
    percent: int | None


@dataclass(frozen=True)
class Crosstab:
    """Counts of people by row and column, with row percentages. `total` is the people
    who answered both; a row's total counts the people in that row who answered the
    column question, so with a multiple-choice column the cells may add up to more."""

    rows: Dimension
    columns: Dimension
    row_categories: list[Category]
    column_categories: list[Category]
    cells: list[list[Cell]]
    row_totals: list[Figure]
    column_totals: list[Cell]
    total: Figure
    threshold: int

    @property
    def lines(self) -> list[tuple[Category, list[Cell], Figure]]:
        """Each row: its category, its cells and its total."""
        return list(zip(self.row_categories, self.cells, self.row_totals, strict=True))


def dimensions(consultation: Consultation) -> list[Dimension]:
    """What may be rows or columns: channel, ward, then each closed question in order."""
    found = [
        Dimension(key="channel", label=_("Channel")),
        Dimension(key="ward", label=_("Ward")),
    ]
    questions = consultation.questions.filter(kind__in=selectors.CONDITION_KINDS)
    for question in questions.select_related("page"):
        found.append(
            Dimension(key=f"question-{question.pk}", label=question.text, question=question)
        )
    return found


def crosstab(consultation: Consultation, *, rows: Dimension, columns: Dimension) -> Crosstab:
    """The cross-tabulation of two different dimensions, in one to four aggregate queries
    (one when neither is multiple choice).

    Each cell counts answer rows, which is people (a person gives each option at most
    once). A row's total is the sum of its cells when each person has one column (and a
    column's likewise); when they may have several (multiple choice) it is counted in
    SQL, each person once."""
    base, row_path, column_path, person = _paths(consultation, rows, columns)
    cell_counts = {
        (row[row_path], row[column_path]): row["count"]
        for row in base.values(row_path, column_path).annotate(count=Count("pk"))
    }
    row_counts = _sums(cell_counts, 0) if columns.single else _people_by(base, row_path, person)
    column_counts = _sums(cell_counts, 1) if rows.single else _people_by(base, column_path, person)
    if rows.single:
        total = sum(row_counts.values())
    elif columns.single:
        total = sum(column_counts.values())
    else:
        total = base.aggregate(count=Count(person, distinct=True))["count"]
    row_categories = _categories(rows, row_counts)
    column_categories = _categories(columns, column_counts)
    table = suppress_table(
        [
            [cell_counts.get((r.value, c.value), 0) for c in column_categories]
            for r in row_categories
        ],
        [row_counts.get(r.value, 0) for r in row_categories],
        [column_counts.get(c.value, 0) for c in column_categories],
        total,
        threshold=selectors.SMALL_COUNT,
    )
    return Crosstab(
        rows=rows,
        columns=columns,
        row_categories=row_categories,
        column_categories=column_categories,
        cells=[
            [Cell(figure, _percent(figure, row_total)) for figure in line]
            for line, row_total in zip(table.cells, table.row_totals, strict=True)
        ],
        row_totals=table.row_totals,
        column_totals=[
            Cell(figure, _percent(figure, table.total)) for figure in table.column_totals
        ],
        total=table.total,
        threshold=selectors.SMALL_COUNT,
    )


def _sums(cell_counts: dict[tuple[str, str], int], side: int) -> dict[str, int]:
    """The cells added up by row (side 0) or by column (side 1)."""
    sums: dict[str, int] = {}
    for key, count in cell_counts.items():
        sums[key[side]] = sums.get(key[side], 0) + count
    return sums


def _people_by(base: QuerySet, path: str, person: str) -> dict[str, int]:
    """People counted once each for every value at `path`."""
    return {
        row[path]: row["count"]
        for row in base.values(path).annotate(count=Count(person, distinct=True))
    }


def _paths(
    consultation: Consultation, rows: Dimension, columns: Dimension
) -> tuple[QuerySet, str, str, str]:
    """The rows to count from, the paths of the row and column values, and of the person."""
    if rows.question is None and columns.question is None:
        base = Response.objects.filter(consultation=consultation).order_by()
        return base, rows.field, columns.field, "pk"
    if rows.question is None or columns.question is None:
        question = rows.question or columns.question
        base = Answer.objects.filter(question=question).order_by()
        field = f"response__{(columns if rows.question else rows).field}"
        if rows.question:
            return base, "choice", field, "response"
        return base, field, "choice", "response"
    base = (
        Answer.objects.filter(question=rows.question)
        .annotate(
            other=FilteredRelation(
                "response__answers", condition=Q(response__answers__question=columns.question)
            )
        )
        .filter(other__isnull=False)
        .order_by()
    )
    return base, "choice", "other__choice", "response"


def _categories(dimension: Dimension, counts: dict[str, int]) -> list[Category]:
    """The dimension's categories in their natural order (a question's options as written,
    every one of them; the channels and wards responses came by, wards by name with "Not
    known" last), then any others found (an option since renamed)."""
    if dimension.question is not None:
        known = [Category(option, option) for option in dimension.question.choices]
    elif dimension.key == "channel":
        known = [
            Category(value, str(label))
            for value, label in Response.Channel.choices
            if value in counts
        ]
    else:
        names = integrations.ward_names()
        wards = sorted((code for code in counts if code), key=lambda code: names.get(code, code))
        known = [Category(code, names.get(code, code)) for code in wards]
        known += [Category("", _("Not known"))] if "" in counts else []
    listed = {category.value for category in known}
    return known + [Category(value, value) for value in sorted(counts) if value not in listed]


def _percent(figure: Figure, base: Figure) -> int | None:
    if figure.count is None or not base.count:
        return None
    return round(100 * figure.count / base.count)


def csv_lines(table: Crosstab) -> Iterator[str]:
    """The cross-tab as CSV in long form: one line per cell, then the totals, each with
    the number of people (or why it is not shown) and the row percentage."""
    total_label = _("Total")
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(*values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([defuse_formula(str(value)) for value in values])
        return buffer.getvalue()

    yield line(table.rows.label, table.columns.label, _("People"), _("Per cent of row"))
    for category, cells, row_total in table.lines:
        for column, cell in zip(table.column_categories, cells, strict=True):
            yield line(category.label, column.label, figure_text(cell.figure, table), _pc(cell))
        yield line(category.label, total_label, figure_text(row_total, table), "")
    for column, cell in zip(table.column_categories, table.column_totals, strict=True):
        yield line(total_label, column.label, figure_text(cell.figure, table), _pc(cell))
    yield line(total_label, total_label, figure_text(table.total, table), "")


def _pc(cell: Cell) -> str:
    return "" if cell.percent is None else str(cell.percent)


def figure_text(figure: Figure, table: Crosstab) -> str:
    """A figure as a person reads it: the count, "fewer than 5" or "withheld"."""
    if figure.small:
        return _("fewer than %(threshold)s") % {"threshold": table.threshold}
    if figure.withheld:
        return _("withheld")
    return str(figure.count)


def codes_for(question: Question) -> QuerySet[Code]:
    """The consultation's codes by label, each with `count`: this question's answers with it."""
    return Code.objects.filter(consultation_id=question.consultation_id).annotate(
        count=Count("answers", filter=Q(answers__question=question))
    )
