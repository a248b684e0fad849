"""Analysis: aggregates by day, ward, channel and question; coding; exports; open data."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from townhall.core.models import Area, AuditEntry, Postcode
from townhall.core.permissions import PermissionDenied
from townhall.core.registry import registry
from townhall.participation import selectors, services
from townhall.participation.models import Answer, Consultation, Question

from .factories import ConsultationFactory, QuestionFactory, SurveyPageFactory

Kind = Question.Kind
pytestmark = pytest.mark.django_db


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
        "services": QuestionFactory(
            page=page,
            kind=Kind.MULTIPLE_CHOICE,
            text="Which?",
            choices=["Books", "Computers", "Events"],
        ),
        "rank": QuestionFactory(
            page=page, kind=Kind.RANKING, text="Rank", choices=["Hours", "Events"]
        ),
        "books": QuestionFactory(page=page, kind=Kind.NUMBER, text="Books a month"),
        "comments": QuestionFactory(page=page, kind=Kind.LONG_TEXT, text="Comments"),
    }


def _record(officer, consultation, questions, *, channel="paper", day=1, **answers):
    values = {str(questions[key].pk): value for key, value in answers.items()}
    return services.response_record(
        actor=officer,
        consultation=consultation,
        channel=channel,
        answers=values,
        received_at=timezone.make_aware(datetime(2026, 3, day, 12)),
    )


@pytest.fixture
def answered(officer, consultation, questions):
    _record(
        officer,
        consultation,
        questions,
        often="Weekly",
        services=["Books", "Events"],
        rank=["Events", "Hours"],
        books="4",
        comments="Open on Sundays",
    )
    _record(
        officer,
        consultation,
        questions,
        channel="phone",
        often="Weekly",
        services=["Books"],
        rank=["Hours", "Events"],
        books="2",
    )
    _record(
        officer, consultation, questions, day=2, often="Never", comments='=HYPERLINK("http://evil")'
    )
    return consultation


def test_results_count_responses_by_day_and_channel(answered):
    results = selectors.results(answered)
    assert results.total == 3
    assert [(row["submitted_on"].day, row["count"]) for row in results.by_day] == [(1, 2), (2, 1)]
    assert {row["channel"]: row["count"] for row in results.by_channel} == {"paper": 2, "phone": 1}


def test_results_count_each_option_against_the_people_who_answered(answered, questions):
    by_question = {result.question.pk: result for result in selectors.results(answered).questions}
    often = by_question[questions["often"].pk]
    assert [(o["label"], o["count"], o["percent"]) for o in often.options] == [
        ("Weekly", 2, 67),
        ("Never", 1, 33),
    ]
    services_result = by_question[questions["services"].pk]
    assert services_result.answered == 2
    assert [(o["label"], o["count"], o["percent"]) for o in services_result.options] == [
        ("Books", 2, 100),
        ("Computers", 0, 0),
        ("Events", 1, 50),
    ]
    ranking = by_question[questions["rank"].pk]
    assert [(o["label"], o["ranked_first"], o["mean_rank"]) for o in ranking.options] == [
        ("Hours", 1, 1.5),
        ("Events", 1, 1.5),
    ]
    assert by_question[questions["books"].pk].number["mean"] == 3.0


def test_results_group_responses_by_the_ward_of_their_postcode(officer, consultation):
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    Area.objects.create(
        code="NB000001",
        name="Riverside",
        kind=Area.Kind.WARD,
        geometry=square,
        min_lon=0,
        min_lat=0,
        max_lon=1,
        max_lat=1,
    )
    Postcode.objects.create(
        postcode="NB1 1AA",
        latitude=0.5,
        longitude=0.5,
        local_authority_code="NB0000001",
        ward_code="NB000001",
    )
    page = SurveyPageFactory(consultation=consultation)
    postcode = QuestionFactory(page=page, kind=Kind.POSTCODE)
    for _number in range(2):
        services.response_record(
            actor=officer,
            consultation=consultation,
            channel="paper",
            answers={str(postcode.pk): "NB1 1AA"},
        )
    services.response_record(actor=officer, consultation=consultation, channel="paper", answers={})
    wards = {
        (row["code"], row["name"]): row["count"] for row in selectors.results(consultation).by_ward
    }
    assert wards == {("NB000001", "Riverside"): 2, ("", ""): 1}


def test_results_page_runs_the_same_few_queries_however_many_responses(
    client, lead, officer, answered, questions, django_assert_max_num_queries
):
    client.force_login(lead)
    url = reverse("participation:manage_results", args=[answered.slug])
    client.get(url)
    for _number in range(20):
        _record(
            officer, answered, questions, often="Weekly", services=["Computers"], comments="More"
        )
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assert page.status_code == 200
    assert "23 responses" in page.text


def test_officer_tags_a_free_text_answer_with_codes_and_it_is_audited(
    client, officer, answered, questions
):
    answer = Answer.objects.get(question=questions["comments"], text="Open on Sundays")
    client.force_login(officer)
    url = reverse(
        "participation:manage_text_answers", args=[answered.slug, questions["comments"].pk]
    )
    client.post(url, {"answer": answer.pk, "labels": "opening hours, weekends , opening hours"})
    assert sorted(answer.codes.values_list("label", flat=True)) == ["opening hours", "weekends"]
    assert AuditEntry.objects.filter(
        action="participation.answer_tag", object_id=str(answer.pk)
    ).exists()
    coded = next(
        r
        for r in selectors.results(answered).questions
        if r.question.pk == questions["comments"].pk
    )
    assert {code["label"] for code in coded.codes} == {"opening hours", "weekends"}


def test_lead_exports_every_response_as_csv_with_formulas_defused(
    client, lead, answered, questions
):
    client.force_login(lead)
    download = client.get(reverse("participation:manage_export", args=[answered.slug, "csv"]))
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["response", "submitted_at", "channel", "ward_code"]
    assert len(rows) == 4
    assert "Books; Events" in rows[1]
    assert '\'=HYPERLINK("http://evil")' in rows[3]
    assert AuditEntry.objects.filter(action="participation.responses_export").count() == 1


def test_export_is_sent_as_it_is_made_not_built_whole_first(client, lead, answered, monkeypatch):
    from townhall.participation import exports

    monkeypatch.setattr(exports, "ROWS_PER_CHUNK", 1)
    client.force_login(lead)

    download = client.get(reverse("participation:manage_export", args=[answered.slug, "csv"]))

    assert download.streaming
    chunks = list(download.streaming_content)
    assert len(chunks) == 1 + 4  # the byte order mark, the header, then one a response
    assert chunks[0] == b"\xef\xbb\xbf"


def test_lead_exports_every_response_as_xlsx(client, lead, answered):
    client.force_login(lead)
    download = client.get(reverse("participation:manage_export", args=[answered.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 4
    assert sheet.cell(1, 1).value == "response"


def test_export_is_refused_to_officers_without_the_lead_role(client, officer, answered):
    client.force_login(officer)
    assert (
        client.get(reverse("participation:manage_export", args=[answered.slug, "csv"])).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.responses_export(actor=officer, consultation=answered, file_format="csv")
    assert not AuditEntry.objects.filter(action="participation.responses_export").exists()


def test_open_data_lists_only_published_choice_counts_and_suppresses_small_ones(
    officer, answered, questions
):
    export = next(item for item in registry.open_data() if item.slug == "consultation-results")
    assert list(export.rows()) == []
    for _number in range(5):
        _record(officer, answered, questions, often="Weekly")
    Consultation.objects.filter(pk=answered.pk).update(state=Consultation.State.OUTCOME_PUBLISHED)
    rows = list(export.rows())
    assert {row["question"] for row in rows} == {"How often?", "Which?"}
    counts = {(row["question"], row["answer"]): row["responses"] for row in rows}
    assert counts[("How often?", "Never")] is None
    # The published number of responses less the weekly visitors would give it away.
    assert counts[("How often?", "Weekly")] is None
    assert all(set(row) == set(export.fields) for row in rows)
    for _number in range(5):
        _record(officer, answered, questions, often="Never")
    counts = {(row["question"], row["answer"]): row["responses"] for row in export.rows()}
    assert (counts[("How often?", "Weekly")], counts[("How often?", "Never")]) == (7, 6)


def test_tallies_kept_as_responses_arrive_match_a_full_recount(answered):
    def snapshot():
        return [
            (r.question.pk, r.answered, r.options) for r in selectors.results(answered).questions
        ]

    kept = snapshot()
    services.tallies_rebuild(consultation=answered)
    assert snapshot() == kept
