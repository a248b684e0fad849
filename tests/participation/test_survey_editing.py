"""Editing a survey: change, remove and reorder pages, questions and options; the rules
once the consultation has opened; the audit log; two leads editing at once."""

import pytest
from django.urls import reverse

from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.participation import services
from townhall.participation.models import OptionTally, Question, ResponseDraft, SurveyPage

from .factories import ConsultationFactory, QuestionFactory, SurveyPageFactory, library_survey

Kind = Question.Kind
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(lead):
    return ConsultationFactory(draft=True, author=lead)


@pytest.fixture
def opened(lead):
    return ConsultationFactory(author=lead)


def _choice_question(consultation, **fields):
    page = SurveyPageFactory(consultation=consultation)
    return QuestionFactory(
        page=page,
        kind=Kind.SINGLE_CHOICE,
        text="How often do you vist?",
        choices=["Weekly", "Montly", "Never"],
        choices_cy=["Yn wythnosol", "Yn fisol", "Byth"],
        **fields,
    )


def _update(actor, question, **changes):
    fields = {
        "kind": question.kind,
        "text": question.text_en_gb,
        "text_cy": question.text_cy,
        "hint": question.hint_en_gb,
        "hint_cy": question.hint_cy,
        "required": question.required,
        "choices": question.choices,
        "choices_cy": question.choices_cy,
        **changes,
    }
    return services.question_update(
        actor=actor, question=question, seen=services.fingerprint(question), **fields
    )


def _respond(lead, consultation, answers):
    return services.response_record(
        actor=lead, consultation=consultation, channel="paper", answers=answers
    )


# Before the consultation opens: anything may change --------------------------------------


def test_lead_changes_every_field_of_a_question_before_opening(lead, draft):
    question = _choice_question(draft)
    _update(
        lead,
        question,
        kind=Kind.MULTIPLE_CHOICE,
        text="How often do you visit?",
        text_cy="Pa mor aml ydych chi'n ymweld?",
        hint="Think of the last year",
        required=True,
        choices=["Weekly", "Monthly", "Never", "Daily"],
        choices_cy=["Yn wythnosol", "Yn fisol", "Byth", "Bob dydd"],
    )
    question.refresh_from_db()
    assert question.kind == Kind.MULTIPLE_CHOICE
    assert question.text_en_gb == "How often do you visit?"
    assert question.text_cy == "Pa mor aml ydych chi'n ymweld?"
    assert question.hint_en_gb == "Think of the last year"
    assert question.required
    assert question.choices == ["Weekly", "Monthly", "Never", "Daily"]


def test_changing_a_choice_question_to_text_drops_its_options_before_opening(lead, draft):
    question = _choice_question(draft)
    _update(lead, question, kind=Kind.LONG_TEXT)
    question.refresh_from_db()
    assert question.choices == [] and question.choices_cy == []


def test_lead_removes_a_question_and_the_rest_close_up(lead, draft):
    page = SurveyPageFactory(consultation=draft)
    first, second, third = (QuestionFactory(page=page, position=n) for n in (1, 2, 3))
    services.question_delete(actor=lead, question=second)
    assert list(page.questions.order_by("position").values_list("pk", "position")) == [
        (first.pk, 1),
        (third.pk, 2),
    ]


def test_lead_removes_a_page_with_its_questions_before_opening(lead, draft):
    page = SurveyPageFactory(consultation=draft, position=1)
    QuestionFactory(page=page)
    later = SurveyPageFactory(consultation=draft, position=2)
    services.page_delete(actor=lead, page=page)
    assert list(draft.pages.all()) == [later]
    assert not draft.questions.exists()
    later.refresh_from_db()
    assert later.position == 1


def test_lead_moves_questions_pages_and_options_up_and_down(lead, draft):
    page = SurveyPageFactory(consultation=draft, position=1)
    other_page = SurveyPageFactory(consultation=draft, position=2)
    first, second = QuestionFactory(page=page, position=1), QuestionFactory(page=page, position=2)
    services.question_move(actor=lead, question=second, direction="up")
    assert list(page.questions.order_by("position")) == [second, first]
    services.page_move(actor=lead, page=page, direction="down")
    assert list(draft.pages.order_by("position")) == [other_page, page]
    question = _choice_question(draft)
    services.option_move(
        actor=lead,
        question=question,
        index=0,
        direction="down",
        seen=services.fingerprint(question),
    )
    question.refresh_from_db()
    assert question.choices == ["Montly", "Weekly", "Never"]
    assert question.choices_cy == ["Yn fisol", "Yn wythnosol", "Byth"]


def test_moving_the_first_question_up_changes_nothing(lead, draft):
    page = SurveyPageFactory(consultation=draft)
    first, second = QuestionFactory(page=page, position=1), QuestionFactory(page=page, position=2)
    services.question_move(actor=lead, question=first, direction="up")
    assert list(page.questions.order_by("position")) == [first, second]


def test_lead_removes_an_option_with_its_welsh_label(lead, draft):
    question = _choice_question(draft)
    services.option_delete(
        actor=lead, question=question, index=1, seen=services.fingerprint(question)
    )
    question.refresh_from_db()
    assert question.choices == ["Weekly", "Never"]
    assert question.choices_cy == ["Yn wythnosol", "Byth"]


def test_lead_retitles_a_page_in_english_and_welsh(lead, draft):
    page = SurveyPageFactory(consultation=draft, title="Yuor views")
    services.page_update(
        actor=lead,
        page=page,
        seen=services.fingerprint(page),
        title="Your views",
        title_cy="Eich barn",
    )
    page.refresh_from_db()
    assert (page.title_en_gb, page.title_cy) == ("Your views", "Eich barn")


# After opening: only changes that keep responses valid -----------------------------------


def test_lead_fixes_a_typo_in_an_open_question_and_its_welsh(lead, opened):
    question = _choice_question(opened)
    _update(lead, question, text="How often do you visit?", text_cy="Pa mor aml?", hint="Roughly")
    question.refresh_from_db()
    assert question.text_en_gb == "How often do you visit?"
    assert question.text_cy == "Pa mor aml?"


def test_rewording_an_option_after_opening_keeps_the_answers_that_chose_it(lead, opened):
    question = _choice_question(opened)
    _respond(lead, opened, {str(question.pk): "Montly"})
    draft = ResponseDraft.objects.create(
        consultation=opened, token_hash="x" * 64, answers={str(question.pk): "Montly"}
    )
    dependant = QuestionFactory(
        page=question.page, condition_question=question, condition_value="Montly"
    )
    _update(lead, question, choices=["Weekly", "Monthly", "Never"])
    assert question.answers.get().choice == "Monthly"
    assert OptionTally.objects.get(question=question).choice == "Monthly"
    draft.refresh_from_db()
    dependant.refresh_from_db()
    assert draft.answers[str(question.pk)] == "Monthly"
    assert dependant.condition_value == "Monthly"


def test_lead_adds_an_option_and_makes_a_question_optional_after_opening(lead, opened):
    question = _choice_question(opened, required=True)
    _respond(lead, opened, {str(question.pk): "Weekly"})
    _update(
        lead,
        question,
        required=False,
        choices=[*question.choices, "Daily"],
        choices_cy=[*question.choices_cy, "Bob dydd"],
    )
    question.refresh_from_db()
    assert not question.required
    assert question.choices[-1] == "Daily" and question.choices_cy[-1] == "Bob dydd"


def test_reordering_after_opening_is_allowed_because_answers_key_on_ids_and_options(lead, opened):
    question = _choice_question(opened)
    _respond(lead, opened, {str(question.pk): "Weekly"})
    services.option_move(
        actor=lead,
        question=question,
        index=0,
        direction="down",
        seen=services.fingerprint(question),
    )
    question.refresh_from_db()
    assert question.choices[1] == "Weekly"
    assert question.answers.get().choice == "Weekly"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": Kind.MULTIPLE_CHOICE}, "type of answer cannot change"),
        ({"required": True}, "cannot become required"),
    ],
)
def test_changes_that_would_invalidate_responses_are_refused_after_opening(
    lead, opened, change, message
):
    question = _choice_question(opened)
    with pytest.raises(services.ChangeRefused, match=message):
        _update(lead, question, **change)
    question.refresh_from_db()
    assert question.kind == Kind.SINGLE_CHOICE and not question.required


def test_a_question_with_answers_cannot_be_removed(lead, opened):
    question = _choice_question(opened)
    _respond(lead, opened, {str(question.pk): "Weekly"})
    with pytest.raises(services.ChangeRefused, match="answered this question"):
        services.question_delete(actor=lead, question=question)
    with pytest.raises(services.ChangeRefused, match="answered questions on this page"):
        services.page_delete(actor=lead, page=question.page)
    assert Question.objects.filter(pk=question.pk).exists()


def test_an_option_someone_chose_cannot_be_removed_but_an_unchosen_one_can(lead, opened):
    question = _choice_question(opened)
    _respond(lead, opened, {str(question.pk): "Weekly"})
    with pytest.raises(services.ChangeRefused, match="chosen this option"):
        services.option_delete(
            actor=lead, question=question, index=0, seen=services.fingerprint(question)
        )
    services.option_delete(
        actor=lead, question=question, index=1, seen=services.fingerprint(question)
    )
    question.refresh_from_db()
    assert question.choices == ["Weekly", "Never"]


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("choices", "choices_cy", "message"),
    [
        (["Weekly", "", "Never"], [], "Give each option some text"),
        (["Weekly", "Montly"], [], "Give each option some text"),
        (["Weekly", "Weekly", "Never"], [], "must be different"),
        (["Weekly", "Montly", "Never", "Daily"], ["Yn wythnosol"], "one Welsh option"),
    ],
)
def test_bad_options_are_refused_with_a_clear_message(lead, draft, choices, choices_cy, message):
    question = _choice_question(draft)
    with pytest.raises(services.ParticipationError, match=message):
        _update(lead, question, choices=choices, choices_cy=choices_cy)
    question.refresh_from_db()
    assert question.choices == ["Weekly", "Montly", "Never"]


def test_removing_an_unchosen_option_after_opening_drops_it_from_unsent_drafts(lead, opened):
    question = _choice_question(opened)
    key = str(question.pk)
    single = ResponseDraft.objects.create(
        consultation=opened, token_hash="a" * 64, answers={key: "Never"}
    )
    other = ResponseDraft.objects.create(
        consultation=opened, token_hash="b" * 64, answers={key: "Weekly"}
    )
    services.option_delete(
        actor=lead, question=question, index=2, seen=services.fingerprint(question)
    )
    single.refresh_from_db()
    other.refresh_from_db()
    assert key not in single.answers
    assert other.answers[key] == "Weekly"


def test_a_choice_question_keeps_at_least_two_options(lead, draft):
    page = SurveyPageFactory(consultation=draft)
    question = QuestionFactory(page=page, kind=Kind.SINGLE_CHOICE, choices=["Yes", "No"])
    with pytest.raises(services.ParticipationError, match="at least two options"):
        services.option_delete(
            actor=lead, question=question, index=0, seen=services.fingerprint(question)
        )


def test_an_option_or_question_another_depends_on_cannot_be_removed(lead, draft):
    questions = library_survey(draft)
    frequency = questions["frequency"]
    with pytest.raises(services.ParticipationError, match="depends on this"):
        services.option_delete(
            actor=lead, question=frequency, index=1, seen=services.fingerprint(frequency)
        )
    with pytest.raises(services.ParticipationError, match="depends on this"):
        services.question_delete(actor=lead, question=frequency)
    with pytest.raises(services.ParticipationError, match="depends on this"):
        _update(lead, frequency, kind=Kind.SHORT_TEXT)


@pytest.mark.parametrize("direction", ["sideways", ""])
def test_a_move_in_no_direction_is_refused(lead, draft, direction):
    question = QuestionFactory(page=SurveyPageFactory(consultation=draft))
    with pytest.raises(services.ParticipationError, match="up or down"):
        services.question_move(actor=lead, question=question, direction=direction)


def test_an_option_that_is_not_there_is_refused(lead, draft):
    question = _choice_question(draft)
    with pytest.raises(services.ParticipationError, match="not in this question"):
        services.option_move(
            actor=lead,
            question=question,
            index=7,
            direction="up",
            seen=services.fingerprint(question),
        )


# Two leads at once -----------------------------------------------------------------------


def test_a_save_over_someone_elses_change_is_refused_not_lost(lead, draft):
    question = _choice_question(draft)
    seen_by_both = services.fingerprint(question)
    _update(lead, question, text="How often do you visit?")
    with pytest.raises(services.EditConflict, match="Someone else changed this question"):
        services.question_update(
            actor=lead,
            question=question,
            seen=seen_by_both,
            kind=question.kind,
            text="How often do you vist the library?",
            choices=question.choices,
        )
    question.refresh_from_db()
    assert question.text_en_gb == "How often do you visit?"


def test_a_stale_page_title_or_option_form_is_refused(lead, draft):
    question = _choice_question(draft)
    page_seen, question_seen = services.fingerprint(question.page), services.fingerprint(question)
    services.page_update(actor=lead, page=question.page, seen=page_seen, title="Your views")
    services.option_move(
        actor=lead, question=question, index=0, direction="down", seen=question_seen
    )
    with pytest.raises(services.EditConflict, match="changed this page"):
        services.page_update(actor=lead, page=question.page, seen=page_seen, title="Views")
    with pytest.raises(services.EditConflict, match="changed this question"):
        services.option_delete(actor=lead, question=question, index=0, seen=question_seen)
    question.refresh_from_db()
    assert question.choices == ["Montly", "Weekly", "Never"]


def test_the_edit_page_shows_the_conflict_and_what_the_question_says_now(client, lead, draft):
    question = _choice_question(draft)
    url = reverse("participation:manage_question", args=[draft.slug, question.pk])
    client.force_login(lead)
    form = _form_data(question, text="First lead's wording")
    _update(lead, question, text="Second lead's wording")
    answer = client.post(url, form, follow=True)
    assert "Someone else changed this question" in answer.text
    assert "Second lead&#x27;s wording" in answer.text
    question.refresh_from_db()
    assert question.text_en_gb == "Second lead's wording"


# The audit log ----------------------------------------------------------------------------


def test_each_change_after_opening_is_audited_with_before_and_after(lead, opened):
    question = _choice_question(opened)
    _update(lead, question, text="How often do you visit?", choices=["Weekly", "Monthly", "Never"])
    entry = AuditEntry.objects.get(action="participation.question_update")
    assert entry.actor == lead
    assert entry.before["text_en_gb"] == "How often do you vist?"
    assert entry.after["text_en_gb"] == "How often do you visit?"
    assert entry.after["choices"] == ["Weekly", "Monthly", "Never"]


@pytest.mark.parametrize("consultation_fixture", ["draft", "opened"])
def test_moves_and_removals_are_audited_in_every_state(request, lead, consultation_fixture):
    consultation = request.getfixturevalue(consultation_fixture)
    question = _choice_question(consultation)
    services.option_move(
        actor=lead,
        question=question,
        index=0,
        direction="down",
        seen=services.fingerprint(question),
    )
    question.refresh_from_db()
    services.option_delete(
        actor=lead, question=question, index=0, seen=services.fingerprint(question)
    )
    services.question_delete(actor=lead, question=question)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == [
        "participation.option_move",
        "participation.option_delete",
        "participation.question_delete",
    ]
    removed = AuditEntry.objects.get(action="participation.question_delete")
    assert removed.before["text_en_gb"] == "How often do you vist?"


def test_one_edit_through_the_page_makes_one_audit_entry(client, lead, opened):
    question = _choice_question(opened)
    client.force_login(lead)
    client.post(
        reverse("participation:manage_question", args=[opened.slug, question.pk]),
        _form_data(question, text="How often do you visit?"),
    )
    assert AuditEntry.objects.filter(object_type="participation.question").count() == 1


# Who may edit -----------------------------------------------------------------------------


EDITS = {
    "question_update": lambda actor, q: _update(actor, q, text="New"),
    "question_delete": lambda actor, q: services.question_delete(actor=actor, question=q),
    "question_move": lambda actor, q: services.question_move(
        actor=actor, question=q, direction="up"
    ),
    "option_move": lambda actor, q: services.option_move(
        actor=actor, question=q, index=0, direction="down", seen=services.fingerprint(q)
    ),
    "option_delete": lambda actor, q: services.option_delete(
        actor=actor, question=q, index=0, seen=services.fingerprint(q)
    ),
    "page_update": lambda actor, q: services.page_update(
        actor=actor, page=q.page, seen=services.fingerprint(q.page), title="New"
    ),
    "page_move": lambda actor, q: services.page_move(actor=actor, page=q.page, direction="up"),
    "page_delete": lambda actor, q: services.page_delete(actor=actor, page=q.page),
}


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        (("consultation_lead",), True),
        (("officer",), False),
        (("moderator",), False),
        ((), False),
    ],
)
def test_only_consultation_leads_edit_surveys(person, draft, edit, roles, allowed):
    actor = person(*roles, is_staff=bool(roles))
    question = _choice_question(draft)
    if allowed:
        EDITS[edit](actor, question)
    else:
        with pytest.raises(PermissionDenied):
            EDITS[edit](actor, question)
        assert Question.objects.filter(pk=question.pk, text_en_gb=question.text_en_gb).exists()


@pytest.mark.parametrize(
    "url_name", ["manage_question", "manage_question_remove", "manage_page", "manage_page_remove"]
)
def test_an_officer_who_reads_results_gets_no_edit_pages(client, officer, draft, url_name):
    question = _choice_question(draft)
    pk = question.page.pk if "page" in url_name else question.pk
    client.force_login(officer)
    assert (
        client.get(reverse(f"participation:{url_name}", args=[draft.slug, pk])).status_code == 403
    )


# The pages --------------------------------------------------------------------------------


def _form_data(question, **changes):
    data = {
        "seen": services.fingerprint(question),
        "text": question.text_en_gb,
        "text_cy": question.text_cy or "",
        "hint": question.hint_en_gb or "",
        "hint_cy": question.hint_cy or "",
        "kind": question.kind,
        "new_choices": "",
        "new_choices_cy": "",
    }
    if question.required:
        data["required"] = "on"
    welsh = question.choices_cy or [""] * len(question.choices)
    for number, (choice, choice_cy) in enumerate(zip(question.choices, welsh, strict=True), 1):
        data[f"option_{number}"] = choice
        data[f"option_{number}_cy"] = choice_cy
    return {**data, **changes}


def test_edit_page_saves_a_reworded_option_and_a_new_one(client, lead, draft):
    question = _choice_question(draft)
    client.force_login(lead)
    answer = client.post(
        reverse("participation:manage_question", args=[draft.slug, question.pk]),
        _form_data(
            question, option_2="Monthly", new_choices="Daily\r\n", new_choices_cy="Bob dydd"
        ),
    )
    assert answer.status_code == 302
    question.refresh_from_db()
    assert question.choices == ["Weekly", "Monthly", "Never", "Daily"]
    assert question.choices_cy[-1] == "Bob dydd"


def test_edit_page_shows_a_refusal_in_the_error_summary_and_stores_nothing(client, lead, opened):
    question = _choice_question(opened)
    client.force_login(lead)
    answer = client.post(
        reverse("participation:manage_question", args=[opened.slug, question.pk]),
        _form_data(question, kind=Kind.SHORT_TEXT),
    )
    assert answer.status_code == 200
    assert "govuk-error-summary" in answer.text
    assert "type of answer cannot change" in answer.text
    question.refresh_from_db()
    assert question.kind == Kind.SINGLE_CHOICE


def test_removing_asks_for_confirmation_first(client, lead, draft):
    question = _choice_question(draft)
    url = reverse("participation:manage_question_remove", args=[draft.slug, question.pk])
    client.force_login(lead)
    confirm = client.get(url)
    assert "Remove this question?" in confirm.text
    assert Question.objects.filter(pk=question.pk).exists()
    client.post(url)
    assert not Question.objects.filter(pk=question.pk).exists()


def test_removing_a_chosen_option_through_the_page_explains_why_not(client, lead, opened):
    question = _choice_question(opened)
    _respond(lead, opened, {str(question.pk): "Weekly"})
    url = reverse("participation:manage_option_remove", args=[opened.slug, question.pk, 0])
    client.force_login(lead)
    assert "Weekly" in client.get(url).text
    answer = client.post(url, {"seen": services.fingerprint(question)}, follow=True)
    assert "People have chosen this option" in answer.text
    question.refresh_from_db()
    assert question.choices[0] == "Weekly"


def test_move_buttons_work_without_javascript(client, lead, draft):
    page = SurveyPageFactory(consultation=draft)
    first, second = QuestionFactory(page=page, position=1), QuestionFactory(page=page, position=2)
    client.force_login(lead)
    survey = client.get(reverse("participation:manage_survey", args=[draft.slug])).text
    assert 'name="direction" value="down"' in survey
    answer = client.post(
        reverse("participation:manage_survey_move", args=[draft.slug]),
        {"what": "question", "pk": first.pk, "direction": "down"},
    )
    assert answer.status_code == 302
    assert answer.url.endswith(f"#question-{first.pk}")
    assert list(page.questions.order_by("position")) == [second, first]


@pytest.mark.parametrize("pk", ["", "abc", "999999"])
def test_a_move_of_nothing_is_not_found(client, lead, draft, pk):
    client.force_login(lead)
    answer = client.post(
        reverse("participation:manage_survey_move", args=[draft.slug]),
        {"what": "question", "pk": pk, "direction": "up"},
    )
    assert answer.status_code == 404


def test_edit_pages_speak_welsh(client, lead, draft):
    question = _choice_question(draft)
    client.force_login(lead)
    html = client.get(f"/cy/consultations/manage/{draft.slug}/survey/questions/{question.pk}/").text
    assert "Newid y cwestiwn" in html
    assert "Trefnu a dileu opsiynau" in html
    confirm = client.get(
        f"/cy/consultations/manage/{draft.slug}/survey/questions/{question.pk}/remove/"
    ).text
    assert "Dileu’r cwestiwn hwn?" in confirm
    assert SurveyPage.objects.filter(pk=question.page.pk).exists()
