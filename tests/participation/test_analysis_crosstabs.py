"""Analysis a lead can report from: percentages with their base, cross-tabs with small
numbers suppressed beyond recovery, their CSV, and coding many free-text answers at once."""

import csv
import io
import itertools

import numpy
import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from townhall.core.disclosure import suppress_table
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.participation import analysis, services
from townhall.participation.models import Answer, Question, Response

from .factories import ConsultationFactory, QuestionFactory, SurveyPageFactory

Kind = Question.Kind
pytestmark = pytest.mark.django_db

#: (often, age, services, channel) and how many people answered so.
PEOPLE = {
    ("Weekly", "Under 65", ("Books",), "online"): 6,
    ("Weekly", "65 or over", ("Books", "Events"), "paper"): 5,
    ("Never", "Under 65", ("Events",), "online"): 7,
    ("Never", "65 or over", ("Events",), "phone"): 8,
    ("Never", "65 or over", (), "phone"): 1,
}


@pytest.fixture
def consultation(lead):
    return ConsultationFactory(author=lead)


@pytest.fixture
def questions(consultation):
    page = SurveyPageFactory(consultation=consultation)
    return {
        "often": QuestionFactory(
            page=page, kind=Kind.SINGLE_CHOICE, text="How often?", choices=["Weekly", "Never"]
        ),
        "age": QuestionFactory(
            page=page, kind=Kind.SINGLE_CHOICE, text="Age", choices=["Under 65", "65 or over"]
        ),
        "services": QuestionFactory(
            page=page, kind=Kind.MULTIPLE_CHOICE, text="Which?", choices=["Books", "Events"]
        ),
        "comments": QuestionFactory(page=page, kind=Kind.LONG_TEXT, text="Comments"),
    }


@pytest.fixture
def answered(officer, consultation, questions):
    for (often, age, chosen, channel), count in PEOPLE.items():
        for number in range(count):
            answers = {
                str(questions["often"].pk): often,
                str(questions["age"].pk): age,
                str(questions["comments"].pk): f"{often} {age} {number}",
            }
            if chosen:
                answers[str(questions["services"].pk)] = list(chosen)
            # Staff record only the assisted channels (ADR 0108): an online response is
            # recorded as paper here and then marked online, as the resident's own would be.
            response = services.response_record(
                actor=officer,
                consultation=consultation,
                channel="paper" if channel == "online" else channel,
                answers=answers,
            )
            Response.objects.filter(pk=response.pk).update(channel=channel)
    return consultation


def _dimension(consultation, key):
    return next(d for d in analysis.dimensions(consultation) if d.key == key)


def _table(consultation, rows, columns):
    return analysis.crosstab(
        consultation, rows=_dimension(consultation, rows), columns=_dimension(consultation, columns)
    )


def _counts(table):
    return [[cell.figure.count for cell in line] for line in table.cells]


def test_results_page_shows_each_count_with_its_percentage_and_base(client, lead, answered):
    client.force_login(lead)

    page = client.get(reverse("participation:manage_results", args=[answered.slug])).text

    assert "Per cent of the 27 who answered" in page  # How often? and Age
    assert "Per cent of the 26 who answered" in page  # Which? (one chose nothing)
    assert "Per cent of the 27 responses" in page
    assert "11 (41%)" in page  # Weekly, drawn beside its bar
    assert "Cross-tabulate the results" in page


def test_crosstab_counts_people_by_question_and_channel_hiding_what_would_reveal_few(
    answered, questions
):
    table = _table(answered, f"question-{questions['often'].pk}", "channel")

    assert [c.label for c in table.row_categories] == ["Weekly", "Never"]
    # Channels in the order of core's shared vocabulary (ADR 0108), which names them.
    assert [c.label for c in table.column_categories] == [
        "Online",
        "Telephone",
        "Paper form or post",
    ]
    assert table.total.count == 27
    assert [f.count for f in table.row_totals] == [11, 16]
    assert [(c.figure.count, c.percent) for c in table.column_totals] == [
        (13, 48),
        (9, 33),
        (5, 19),
    ]
    # No one came weekly by phone or never on paper: "fewer than 5". Every other cell is
    # withheld, as each could be worked out from the totals and those two.
    assert [[c.figure.small for c in line] for line in table.cells] == [
        [False, True, False],
        [False, False, True],
    ]
    assert all(c.figure.count is None and c.percent is None for line in table.cells for c in line)


def test_crosstab_of_two_questions_counts_each_person_once_per_cell(
    answered, questions, django_assert_num_queries
):
    age, often = (_dimension(answered, f"question-{questions[k].pk}") for k in ("age", "often"))
    with django_assert_num_queries(1):
        table = analysis.crosstab(answered, rows=age, columns=often)

    assert _counts(table) == [[6, 7], [5, 9]]
    assert [f.count for f in table.row_totals] == [13, 14]
    assert [c.percent for c in table.cells[0]] == [46, 54]

    multiple = _table(
        answered, f"question-{questions['often'].pk}", f"question-{questions['services'].pk}"
    )
    # Five Weekly people chose both: they are in both columns, and once in the totals.
    assert [f.count for f in multiple.row_totals] == [11, 15]
    assert [c.figure.count for c in multiple.column_totals] == [11, 20]
    assert multiple.total.count == 26


def test_crosstab_by_ward_and_channel_needs_no_question(answered):
    table = _table(answered, "ward", "channel")

    assert [c.label for c in table.row_categories] == ["Not known"]
    assert table.total.count == 27


def _recoverable(grid, hidden) -> list:
    """Hidden entries that the sums of rows and columns (totals included) pin down exactly."""
    height, width = len(grid), len(grid[0])
    unknowns = sorted(hidden)
    if not unknowns:
        return []
    equations = []
    for i in range(height):
        equations.append([(1 if j < width - 1 else -1) if a == i else 0 for a, j in unknowns])
    for j in range(width):
        equations.append([(1 if i < height - 1 else -1) if b == j else 0 for i, b in unknowns])
    matrix = numpy.array(equations, dtype=float)
    rank = numpy.linalg.matrix_rank(matrix)
    found = []
    for index, cell in enumerate(unknowns):
        unit = numpy.zeros((1, len(unknowns)))
        unit[0, index] = 1
        if numpy.linalg.matrix_rank(numpy.vstack([matrix, unit])) == rank:
            found.append(cell)
    return found


def _suppressed(cells):
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(column) for column in zip(*cells, strict=True)]
    table = suppress_table(cells, row_totals, column_totals, sum(row_totals), threshold=5)
    grid = [[*row, total] for row, total in zip(cells, row_totals, strict=True)]
    grid.append([*column_totals, sum(row_totals)])
    shown = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    shown.append([*table.column_totals, table.total])
    return grid, shown


@pytest.mark.parametrize(
    "cells",
    [
        [[2, 10], [20, 30]],  # one small cell: its row, column and a corner must go too
        [[6, 8, 2], [5, 7, 6], [0, 0, 0]],  # a row of zeros and its total
        [[1, 40, 40], [40, 40, 40], [40, 40, 40]],
        [[3]],
    ],
)
def test_suppression_cannot_be_undone_by_subtraction(cells):
    grid, shown = _suppressed(cells)
    hidden = {
        (i, j)
        for i, line in enumerate(shown)
        for j, figure in enumerate(line)
        if figure.count is None
    }

    assert _recoverable(grid, hidden) == []
    for i, j in itertools.product(range(len(grid)), range(len(grid[0]))):
        figure = shown[i][j]
        assert figure.small == (grid[i][j] < 5)
        assert figure.count in (None, grid[i][j])


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(0, 30), min_size=width, max_size=width), min_size=1, max_size=4
        )
    )
)
def test_suppression_of_any_table_leaves_no_hidden_count_recoverable(cells):
    grid, shown = _suppressed(cells)
    hidden = {
        (i, j)
        for i, line in enumerate(shown)
        for j, figure in enumerate(line)
        if figure.count is None
    }
    assert _recoverable(grid, hidden) == []
    assert all(
        shown[i][j].count is None
        for i, j in itertools.product(range(len(grid)), range(len(grid[0])))
        if grid[i][j] < 5
    )


def test_crosstab_page_is_a_get_form_showing_fewer_than_five_and_withheld(
    client, officer, answered, questions
):
    client.force_login(officer)
    url = reverse("participation:manage_crosstab", args=[answered.slug])

    page = client.get(url, {"rows": f"question-{questions['often'].pk}", "columns": "channel"})

    assert page.status_code == 200
    assert "How often? by Channel" in page.text
    assert "fewer than 5" in page.text
    assert "withheld" in page.text
    assert 'method="get"' in page.text
    assert "Download this table (CSV)" in page.text


def test_crosstab_page_reads_in_welsh(client, officer, answered, questions):
    client.force_login(officer)
    with translation.override("cy"):
        url = reverse("participation:manage_crosstab", args=[answered.slug])

    page = client.get(url, {"rows": f"question-{questions['often'].pk}", "columns": "channel"})

    assert "Croesdablu’r canlyniadau" in page.text
    assert "llai na 5" in page.text
    assert "wedi’i atal" in page.text
    assert "Cyfanswm" in page.text


def test_crosstab_page_asks_again_when_rows_and_columns_are_the_same(client, officer, answered):
    client.force_login(officer)
    url = reverse("participation:manage_crosstab", args=[answered.slug])

    page = client.get(url, {"rows": "channel", "columns": "channel"})

    assert "Choose something for the columns other than the rows" in page.text
    assert "Download this table" not in page.text


def test_crosstab_csv_has_the_same_suppressed_figures(client, officer, answered, questions):
    client.force_login(officer)
    query = {"rows": f"question-{questions['age'].pk}", "columns": "channel"}
    table = _table(answered, query["rows"], query["columns"])

    download = client.get(reverse("participation:manage_crosstab_csv", args=[answered.slug]), query)

    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["Age", "Channel", "People", "Per cent of row"]
    by_pair = {(row[0], row[1]): row[2] for row in rows[1:]}
    assert by_pair[("Under 65", "Total")] == "13"
    assert by_pair[("Under 65", "Online")] == "withheld"
    assert by_pair[("Under 65", "Telephone")] == "fewer than 5"
    assert by_pair[("Total", "Total")] == str(table.total.count)
    assert len(rows) == 1 + (2 + 1) * (3 + 1)


def test_crosstab_is_refused_to_people_without_the_staff_pages(client, resident, answered):
    client.force_login(resident)
    url = reverse("participation:manage_crosstab_csv", args=[answered.slug])

    assert client.get(url, {"rows": "ward", "columns": "channel"}).status_code == 403


def _comments(questions, *texts):
    return list(
        Answer.objects.filter(question=questions["comments"], text__in=texts).values_list(
            "pk", flat=True
        )
    )


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        (("consultation_lead",), True),
        (("officer",), True),
        (("moderator",), False),
        (("resident",), False),
    ],
)
def test_coding_several_answers_at_once_needs_the_tag_answers_action(
    person, answered, questions, roles, allowed
):
    actor = person(*roles, is_staff=roles != ("resident",))
    chosen = _comments(questions, "Weekly Under 65 0", "Never Under 65 1")

    if not allowed:
        with pytest.raises(PermissionDenied):
            services.answers_code(
                actor=actor, question=questions["comments"], answer_ids=chosen, label="Parking"
            )
        assert not AuditEntry.objects.filter(action="participation.answer_tag").exists()
        return
    services.answers_code(
        actor=actor, question=questions["comments"], answer_ids=chosen, label="Parking"
    )
    coded = Answer.objects.filter(codes__label="Parking")
    assert sorted(coded.values_list("pk", flat=True)) == sorted(chosen)
    assert AuditEntry.objects.filter(action="participation.answer_tag").count() == 2


def test_officer_ticks_answers_and_adds_a_code_keeping_their_other_codes(
    client, officer, answered, questions
):
    first, second = _comments(questions, "Weekly Under 65 0", "Never Under 65 1")
    services.answer_tag(actor=officer, answer=Answer.objects.get(pk=first), labels=["Hours"])
    client.force_login(officer)
    url = reverse(
        "participation:manage_text_answers", args=[answered.slug, questions["comments"].pk]
    )

    page = client.post(url, {"bulk": "1", "answers": [first, second], "label": " Parking "})

    assert page.status_code == 302
    assert sorted(Answer.objects.get(pk=first).codes.values_list("label", flat=True)) == [
        "Hours",
        "Parking",
    ]
    assert list(Answer.objects.get(pk=second).codes.values_list("label", flat=True)) == ["Parking"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"label": "Parking"}, "Select at least one answer to code"),
        ({"answers": "FIRST", "label": "  "}, "Enter a code"),
        ({"answers": "OTHER", "label": "Parking"}, "not answers to this question"),
    ],
)
def test_bulk_coding_with_something_missing_says_what_and_stores_nothing(
    client, officer, answered, questions, data, message
):
    first = _comments(questions, "Weekly Under 65 0")[0]
    other = QuestionFactory(page=questions["comments"].page, kind=Kind.SHORT_TEXT)
    stray = Answer.objects.create(
        response=Answer.objects.get(pk=first).response, question=other, text="x"
    )
    data = {
        key: {"FIRST": first, "OTHER": stray.pk}.get(value, value) for key, value in data.items()
    }
    client.force_login(officer)
    url = reverse(
        "participation:manage_text_answers", args=[answered.slug, questions["comments"].pk]
    )

    page = client.post(url, {"bulk": "1", **data})

    assert page.status_code == 200
    assert "There is a problem" in page.text
    assert message in page.text
    assert not Answer.codes.through.objects.exists()


def test_answers_can_be_filtered_by_code_or_to_those_without_one(
    client, officer, answered, questions
):
    chosen = _comments(questions, "Weekly Under 65 0", "Never Under 65 1")
    code = services.answers_code(
        actor=officer, question=questions["comments"], answer_ids=chosen, label="Parking"
    )
    client.force_login(officer)
    url = reverse(
        "participation:manage_text_answers", args=[answered.slug, questions["comments"].pk]
    )

    coded = client.get(url, {"code": code.pk}).text
    uncoded = client.get(url, {"code": "uncoded"}).text

    assert "Weekly Under 65 0" in coded and "Never Under 65 1" in coded
    assert "Weekly Under 65 2" not in coded
    assert "Weekly Under 65 0" not in uncoded and "Weekly Under 65 2" in uncoded
    assert "Parking (2)" in coded
