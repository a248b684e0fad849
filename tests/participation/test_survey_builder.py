"""The survey builder: question types, conditions, pages, equality monitoring and preview."""

import pytest
from django.urls import reverse

from townhall.core.permissions import PermissionDenied
from townhall.participation import services
from townhall.participation.forms import SurveyPageForm
from townhall.participation.models import Question
from townhall.participation.monitoring import EQUALITY_MONITORING

from .factories import ConsultationFactory, QuestionFactory, SurveyPageFactory

Kind = Question.Kind
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(lead):
    return ConsultationFactory(draft=True, author=lead)


def test_builder_page_adds_a_page_and_a_choice_question(client, lead, draft):
    client.force_login(lead)
    url = reverse("participation:manage_survey", args=[draft.slug])
    client.post(url, {"add_page": "1", "title": "Your views"})
    page = draft.pages.get()
    answer = client.post(
        url,
        {
            "add_question": "1",
            "page": page.pk,
            "text": "Which services do you use?",
            "kind": Kind.MULTIPLE_CHOICE,
            "choices": "Books\r\nComputers\r\n\r\nEvents",
            "required": "on",
        },
    )
    assert answer.status_code == 302
    question = draft.questions.get()
    assert question.choices == ["Books", "Computers", "Events"]
    assert question.required


def test_choice_question_needs_two_options(lead, draft):
    page = services.survey_page_add(actor=lead, consultation=draft, title="Page")
    with pytest.raises(services.ParticipationError, match="at least two options"):
        services.question_add(
            actor=lead, page=page, kind=Kind.SINGLE_CHOICE, text="Q", choices=["Only"]
        )


def test_scale_question_offers_the_five_point_agreement_scale_by_default(lead, draft):
    page = services.survey_page_add(actor=lead, consultation=draft, title="Page")
    question = services.question_add(actor=lead, page=page, kind=Kind.SCALE, text="Agree?")
    assert question.choices[0] == "Strongly agree"
    assert len(question.choices) == 5


def test_condition_must_name_an_option_of_an_earlier_choice_question(lead, draft):
    page = services.survey_page_add(actor=lead, consultation=draft, title="Page")
    visits = services.question_add(
        actor=lead, page=page, kind=Kind.SINGLE_CHOICE, text="Visit?", choices=["Yes", "No"]
    )
    with pytest.raises(services.ParticipationError, match="one of that question's options"):
        services.question_add(
            actor=lead,
            page=page,
            kind=Kind.LONG_TEXT,
            text="Why?",
            condition_question=visits,
            condition_value="Maybe",
        )
    comment = services.question_add(actor=lead, page=page, kind=Kind.SHORT_TEXT, text="Comment")
    with pytest.raises(services.ParticipationError, match="choice question"):
        services.question_add(
            actor=lead,
            page=page,
            kind=Kind.LONG_TEXT,
            text="Why?",
            condition_question=comment,
            condition_value="x",
        )


def test_equality_monitoring_adds_optional_questions_each_with_prefer_not_to_say(lead, draft):
    page = services.survey_add_equality_monitoring(actor=lead, consultation=draft)
    questions = list(page.questions.all())
    assert [q.monitoring_topic for q in questions] == [topic.slug for topic in EQUALITY_MONITORING]
    assert {
        "age",
        "sex",
        "gender_identity",
        "disability",
        "ethnicity",
        "religion",
        "sexual_orientation",
        "caring",
    } == {q.monitoring_topic for q in questions}
    assert all(not q.required and q.choices[-1] == "Prefer not to say" for q in questions)
    ethnicity = next(q for q in questions if q.monitoring_topic == "ethnicity")
    assert "Other ethnic group: Arab" in ethnicity.choices


def test_equality_monitoring_is_added_only_once(lead, draft):
    services.survey_add_equality_monitoring(actor=lead, consultation=draft)
    with pytest.raises(services.ParticipationError):
        services.survey_add_equality_monitoring(actor=lead, consultation=draft)


def test_survey_cannot_change_once_the_consultation_is_open(lead):
    consultation = ConsultationFactory(author=lead)
    with pytest.raises(services.SurveyLocked):
        services.survey_page_add(actor=lead, consultation=consultation, title="Late page")


def test_officer_without_the_lead_role_cannot_build_surveys(officer, draft):
    with pytest.raises(PermissionDenied):
        services.survey_page_add(actor=officer, consultation=draft, title="Page")


def test_preview_shows_every_question_including_conditional_ones(client, lead, draft):
    page = SurveyPageFactory(consultation=draft)
    visits = QuestionFactory(
        page=page, kind=Kind.SINGLE_CHOICE, text="Do you visit?", choices=["Yes", "No"]
    )
    QuestionFactory(
        page=page,
        kind=Kind.LONG_TEXT,
        text="Why not?",
        condition_question=visits,
        condition_value="No",
    )
    QuestionFactory(page=page, kind=Kind.RANKING, text="Rank these", choices=["A", "B", "C"])
    client.force_login(lead)
    preview = client.get(reverse("participation:manage_preview", args=[draft.slug]))
    assert preview.status_code == 200
    for text in ("Do you visit?", "Why not?", "Rank these", "Nothing you enter is saved"):
        assert text in preview.text


@pytest.mark.parametrize(
    ("kind", "choices", "posted", "stored"),
    [
        (Kind.SHORT_TEXT, [], "  Hello  ", "Hello"),
        (Kind.SINGLE_CHOICE, ["Yes", "No"], "No", "No"),
        (Kind.MULTIPLE_CHOICE, ["A", "B", "C"], ["A", "C"], ["A", "C"]),
        (Kind.NUMBER, [], "12.50", "12.5"),
        (Kind.POSTCODE, [], "nb1 1aa", "NB1 1AA"),
    ],
)
def test_each_question_kind_keeps_a_clean_json_value(kind, choices, posted, stored):
    question = QuestionFactory(kind=kind, choices=choices)
    form = SurveyPageForm({f"q{question.pk}": posted}, questions=[question], stored={})
    assert form.is_valid(), form.errors
    assert form.stored_answers({}) == {str(question.pk): stored}


def test_date_question_reads_day_month_and_year():
    question = QuestionFactory(kind=Kind.DATE)
    name = f"q{question.pk}"
    form = SurveyPageForm(
        {f"{name}_day": "3", f"{name}_month": "4", f"{name}_year": "2026"},
        questions=[question],
        stored={},
    )
    assert form.is_valid(), form.errors
    assert form.stored_answers({}) == {str(question.pk): "2026-04-03"}


def test_ranking_question_keeps_the_options_in_ranked_order():
    question = QuestionFactory(kind=Kind.RANKING, choices=["Hours", "Computers", "Events"])
    name = f"q{question.pk}"
    form = SurveyPageForm(
        {f"{name}_0": "2", f"{name}_1": "3", f"{name}_2": "1"}, questions=[question], stored={}
    )
    assert form.is_valid(), form.errors
    assert form.stored_answers({}) == {str(question.pk): ["Events", "Hours", "Computers"]}


def test_ranking_question_refuses_two_options_with_the_same_rank():
    question = QuestionFactory(kind=Kind.RANKING, choices=["Hours", "Computers"])
    name = f"q{question.pk}"
    form = SurveyPageForm({f"{name}_0": "1", f"{name}_1": "1"}, questions=[question], stored={})
    assert not form.is_valid()
    assert "different rank" in str(form.errors)


def test_postcode_question_refuses_text_that_is_not_a_postcode():
    question = QuestionFactory(kind=Kind.POSTCODE)
    form = SurveyPageForm({f"q{question.pk}": "not a postcode"}, questions=[question], stored={})
    assert not form.is_valid()
    assert "real postcode" in str(form.errors)


def test_required_question_left_blank_gets_an_error():
    question = QuestionFactory(kind=Kind.SHORT_TEXT, required=True)
    form = SurveyPageForm({f"q{question.pk}": ""}, questions=[question], stored={})
    assert not form.is_valid()
