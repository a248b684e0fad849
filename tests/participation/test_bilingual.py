"""Participation in English and Welsh: consultations, surveys (questions and options),
outcomes, proposals and budgets, on pages, in staff forms and in the API."""

import pytest
from django.urls import reverse
from django.utils import translation

from townhall.participation import services
from townhall.participation.models import (
    Answer,
    Budget,
    Consultation,
    Proposal,
    ProposalProcess,
    Question,
)

from .factories import (
    BudgetFactory,
    BudgetProjectFactory,
    ConsultationFactory,
    QuestionFactory,
    SurveyPageFactory,
    answer_online,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def libraries():
    return ConsultationFactory(
        slug="library-services",
        title="The future of our libraries",
        title_cy="Dyfodol ein llyfrgelloedd",
        summary="How should libraries change?",
        summary_cy="Sut dylai llyfrgelloedd newid?",
    )


def test_consultation_page_in_welsh_shows_the_welsh(client, libraries):
    html = client.get("/cy/consultations/library-services/").text
    assert "Dyfodol ein llyfrgelloedd" in html
    assert "Sut dylai llyfrgelloedd newid?" in html
    assert '<span lang="en">The future of our libraries</span>' not in html


def test_consultation_page_in_welsh_marks_english_it_falls_back_to(client, libraries):
    html = client.get("/cy/consultations/library-services/").text
    assert '<div lang="en"><p class="govuk-body">We propose <strong>changes</strong>.' in html


def test_consultation_page_in_english_shows_the_english_unmarked(client, libraries):
    html = client.get("/consultations/library-services/").text
    assert "The future of our libraries" in html
    assert 'lang="en">' not in html.split("<main", 1)[1]


def test_survey_in_welsh_shows_welsh_options_and_stores_the_english_value(client, libraries):
    page = SurveyPageFactory(
        consultation=libraries, title="Your library", title_cy="Eich llyfrgell"
    )
    question = QuestionFactory(
        page=page,
        kind=Question.Kind.SINGLE_CHOICE,
        text="How often do you visit?",
        text_cy="Pa mor aml ydych chi'n ymweld?",
        choices=["Weekly", "Never"],
        choices_cy=["Yn wythnosol", "Byth"],
    )
    with translation.override("cy"):
        start = client.post(reverse("participation:respond_start", args=[libraries.slug]))
        html = client.get(start["Location"]).text
        assert "Pa mor aml ydych chi&#x27;n ymweld?" in html
        assert 'value="Weekly"' in html and "Yn wythnosol" in html
        answer_online(client, libraries, {f"q{question.pk}": "Weekly"})
    assert Answer.objects.get(question=question).choice == "Weekly"


def test_survey_in_welsh_marks_options_without_welsh_as_english(client, libraries):
    page = SurveyPageFactory(consultation=libraries, title="Your library")
    QuestionFactory(
        page=page, kind=Question.Kind.SINGLE_CHOICE, text="Visits?", choices=["Weekly", "Never"]
    )
    with translation.override("cy"):
        start = client.post(reverse("participation:respond_start", args=[libraries.slug]))
        html = client.get(start["Location"]).text
    assert '<span lang="en">Weekly</span>' in html
    assert '<span lang="en">Visits?</span>' in html


def test_question_with_welsh_options_needs_one_for_each_english_option(lead):
    consultation = ConsultationFactory(state=Consultation.State.DRAFT, author=lead)
    page = SurveyPageFactory(consultation=consultation)
    with pytest.raises(services.ParticipationError, match="one Welsh option for each"):
        services.question_add(
            actor=lead,
            page=page,
            kind=Question.Kind.SINGLE_CHOICE,
            text="Visits?",
            choices=["Weekly", "Never"],
            choices_cy=["Yn wythnosol"],
        )


def test_equality_monitoring_questions_are_written_in_english_and_welsh(lead):
    consultation = ConsultationFactory(state=Consultation.State.DRAFT, author=lead)
    with translation.override("cy"):
        services.survey_add_equality_monitoring(actor=lead, consultation=consultation)
    question = consultation.questions.order_by("pk").first()
    assert question.text_en_gb and question.text_cy and question.text_en_gb != question.text_cy
    assert len(question.choices_cy) == len(question.choices)


def test_staff_form_takes_both_languages_and_keeps_them_apart_in_welsh(client, lead):
    client.force_login(lead)
    form = client.get("/cy/consultations/manage/new/").text
    assert form.index('name="title_en_gb"') < form.index('name="title_cy"')
    assert "Teitl yn Gymraeg" in form
    response = client.post(
        "/cy/consultations/manage/new/",
        {
            "title_en_gb": "Parks",
            "title_cy": "Parciau",
            "slug": "parks",
            "summary_en_gb": "Our parks",
            "summary_cy": "Ein parciau",
            "service_area": "Parks",
            "response_mode": "anyone",
            "opens_on_day": "1",
            "opens_on_month": "3",
            "opens_on_year": "2030",
            "closes_on_day": "1",
            "closes_on_month": "6",
            "closes_on_year": "2030",
        },
    )
    assert response.status_code == 302, response.content
    consultation = Consultation.objects.get(slug="parks")
    assert (consultation.title_en_gb, consultation.title_cy) == ("Parks", "Parciau")
    assert (consultation.summary_en_gb, consultation.summary_cy) == ("Our parks", "Ein parciau")


def test_outcome_is_published_in_english_and_welsh(client, lead):
    consultation = ConsultationFactory(state=Consultation.State.ANALYSING, author=lead)
    services.outcome_publish(
        actor=lead,
        consultation=consultation,
        you_said="Keep it open",
        you_said_cy="Cadwch hi ar agor",
        we_did="We kept it open",
        what_changed="Opening hours",
        decision_title="Cabinet",
    )
    html = client.get(f"/cy/consultations/{consultation.slug}/").text
    assert "Cadwch hi ar agor" in html
    assert '<div lang="en"><p class="govuk-body">We kept it open</p></div>' in html


def test_proposal_written_in_welsh_is_stored_as_welsh_and_marked_on_english_pages(client, resident):
    process = ProposalProcess.objects.create(slug="parks-ideas", title="Ideas for our parks")
    client.force_login(resident)
    with translation.override("cy"):
        client.post(
            reverse("participation:proposal_new", args=[process.slug]),
            {"title": "Mwy o feinciau", "body": "Meinciau ar hyd llwybr yr afon."},
        )
    proposal = Proposal.objects.get()
    assert (proposal.title_cy, proposal.title_en_gb) == ("Mwy o feinciau", None)
    html = client.get(reverse("participation:proposal_detail", args=[process.slug, proposal.pk]))
    assert '<span lang="cy">Mwy o feinciau</span>' in html.text


def test_budget_page_in_welsh_shows_welsh_and_marks_english_projects(client):
    budget = BudgetFactory(slug="fund", title="Neighbourhood fund", title_cy="Cronfa cymdogaeth")
    BudgetProjectFactory(budget=budget, title="New benches")
    html = client.get("/cy/consultations/budgets/fund/").text
    assert "Cronfa cymdogaeth" in html
    assert '<span lang="en">New benches</span>' in html


def test_api_gives_consultations_in_both_languages(client, libraries):
    body = client.get(f"/api/v1/consultations/{libraries.public_id}").json()
    assert (body["title"], body["title_cy"]) == (
        "The future of our libraries",
        "Dyfodol ein llyfrgelloedd",
    )
    assert body["description_cy"] == ""


def test_opening_is_refused_while_welsh_is_missing_when_the_council_requires_it(settings, lead):
    settings.TOWNHALL_REQUIRE_WELSH = True
    consultation = ConsultationFactory(
        state=Consultation.State.APPROVED, author=lead, title_cy="Llyfrgelloedd"
    )
    page = SurveyPageFactory(consultation=consultation, title="Your library", title_cy="Eich")
    QuestionFactory(page=page, text="How often?", text_cy="Pa mor aml?")
    with pytest.raises(services.ParticipationError) as refused:
        services.consultation_open(actor=lead, consultation=consultation)
    assert "Add the Welsh before publishing: summary" in refused.value.message
    assert "what we are proposing and why" in refused.value.message
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.APPROVED


def test_opening_names_a_question_without_welsh_when_the_council_requires_it(settings, lead):
    settings.TOWNHALL_REQUIRE_WELSH = True
    consultation = ConsultationFactory(
        state=Consultation.State.APPROVED,
        author=lead,
        title_cy="Llyfrgelloedd",
        summary_cy="Crynodeb",
        description_cy="Disgrifiad",
        decision_title_cy="Cabinet",
    )
    page = SurveyPageFactory(consultation=consultation, title="Your library", title_cy="Eich")
    QuestionFactory(page=page, text="How often?", text_cy="Pa mor aml?")
    QuestionFactory(page=page, text="Why not?")
    with pytest.raises(services.ParticipationError, match="“Why not\\?” \\(question\\)"):
        services.consultation_open(actor=lead, consultation=consultation)


def test_consultation_with_its_welsh_opens_when_the_council_requires_it(settings, lead):
    settings.TOWNHALL_REQUIRE_WELSH = True
    consultation = ConsultationFactory(
        state=Consultation.State.APPROVED,
        author=lead,
        title_cy="Llyfrgelloedd",
        summary_cy="Crynodeb",
        description_cy="Disgrifiad",
        decision_title_cy="Cabinet",
    )
    opened = services.consultation_open(actor=lead, consultation=consultation)
    assert opened.state == Consultation.State.OPEN


def test_budget_without_welsh_is_refused_when_the_council_requires_it(settings, person):
    settings.TOWNHALL_REQUIRE_WELSH = True
    officer = person("consultation_lead", is_staff=True)
    with pytest.raises(services.ParticipationError, match="title"):
        services.budget_create(
            actor=officer, slug="fund", title="Fund", total_pence=100, ballot_kind="knapsack"
        )
    assert not Budget.objects.exists()


def test_officers_list_published_consultations_lacking_welsh(client, lead, libraries):
    ConsultationFactory(title="Draft one", state=Consultation.State.DRAFT)
    client.force_login(lead)
    html = client.get("/manage/welsh/").text
    assert "The future of our libraries" in html
    assert "No Welsh: what we are proposing and why, decision it will inform" in html
    assert "Draft one" not in html


def test_site_search_finds_a_consultation_by_a_welsh_word(client, libraries):
    from townhall.core.services.search import search_index_update

    Consultation.objects.filter(pk=libraries.pk).update(
        description_cy="Rydym yn cynnig newid oriau pob llyfrgell."
    )
    libraries.refresh_from_db()
    search_index_update("consultation", libraries)
    html = client.get("/cy/search/", {"q": "llyfrgell"}).text
    assert 'href="/cy/consultations/library-services/"' in html
    english = client.get("/search/", {"q": "libraries"}).text
    assert 'href="/consultations/library-services/"' in english


def test_site_search_finds_a_welsh_proposal_and_a_budget_by_welsh_words(client, resident):
    from townhall.core.services.search import search_index_update

    process = ProposalProcess.objects.create(slug="ideas", title="Ideas", title_cy="Syniadau")
    with translation.override("cy"):
        services.proposal_submit(
            actor=resident, process=process, title="Ffynhonnau dŵr", body="Yn y parc."
        )
    budget = BudgetFactory(slug="fund", title="Fund", title_cy="Cronfa'r gymdogaeth")
    search_index_update("budget", budget)
    assert (
        "/cy/consultations/proposals/ideas/" in client.get("/cy/search/", {"q": "ffynhonnau"}).text
    )
    assert (
        'href="/cy/consultations/budgets/fund/"' in client.get("/cy/search/", {"q": "cronfa"}).text
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_response_export_keeps_welsh_letters_outside_latin_1(client, lead, file_format):
    import csv
    import io

    from openpyxl import load_workbook

    consultation = ConsultationFactory(state=Consultation.State.CLOSED, author=lead)
    page = SurveyPageFactory(consultation=consultation)
    question = QuestionFactory(
        page=page,
        kind=Question.Kind.LONG_TEXT,
        text="What do you think?",
        text_cy="Beth yw eich barn am y ŵyl a'r ŷd?",
    )
    services.response_record(
        actor=lead,
        consultation=consultation,
        answers={str(question.pk): "Mae'r ŵyl yn wych, ac mae'r ŷd yn tyfu."},
        channel="paper",
    )
    client.force_login(lead)
    with translation.override("cy"):
        url = reverse("participation:manage_export", args=[consultation.slug, file_format])
    content = b"".join(client.get(url).streaming_content)
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        rows = [list(row) for row in load_workbook(io.BytesIO(content)).active.values]
    assert rows[0][-1] == "Beth yw eich barn am y ŵyl a'r ŷd?"
    assert rows[1][-1] == "Mae'r ŵyl yn wych, ac mae'r ŷd yn tyfu."


def test_open_data_results_carry_the_welsh_of_consultation_question_and_option(lead, officer):
    from townhall.core.registry import registry

    consultation = ConsultationFactory(
        state=Consultation.State.OPEN, author=lead, title_cy="Llyfrgelloedd"
    )
    page = SurveyPageFactory(consultation=consultation)
    question = QuestionFactory(
        page=page,
        kind=Question.Kind.SINGLE_CHOICE,
        text="How often?",
        text_cy="Pa mor aml?",
        choices=["Weekly", "Never"],
        choices_cy=["Yn wythnosol", "Byth"],
    )
    for _number in range(5):
        services.response_record(
            actor=officer, consultation=consultation, answers={str(question.pk): "Weekly"},
            channel="paper",
        )  # fmt: skip
    Consultation.objects.filter(pk=consultation.pk).update(
        state=Consultation.State.OUTCOME_PUBLISHED
    )
    export = next(item for item in registry.open_data() if item.slug == "consultation-results")
    (row,) = list(export.rows())
    assert (row["consultation_cy"], row["question_cy"], row["answer_cy"]) == (
        "Llyfrgelloedd",
        "Pa mor aml?",
        "Yn wythnosol",
    )
    assert row["answer"] == "Weekly"


def test_welsh_of_an_open_consultation_can_be_added_from_its_welsh_page(client, lead):
    consultation = ConsultationFactory(slug="parks", title="Our parks", author=lead)
    client.force_login(lead)
    form = client.get("/cy/consultations/manage/parks/welsh/").text
    assert '<span lang="en">Our parks</span>' in form
    response = client.post(
        "/cy/consultations/manage/parks/welsh/",
        {"title_cy": "Ein parciau", "summary_cy": "Beth sydd angen ei newid?"},
    )
    assert response.status_code == 302, response.content
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.OPEN
    assert (consultation.title_cy, consultation.title_en_gb) == ("Ein parciau", "Our parks")
    assert "Ein parciau" in client.get("/cy/consultations/parks/").text


def test_translating_a_consultation_changes_only_its_welsh(lead):
    consultation = ConsultationFactory(author=lead)
    with pytest.raises(TypeError, match="title_en_gb"):
        services.consultation_translate(
            actor=lead, consultation=consultation, title_en_gb="Another title"
        )


def test_translating_a_consultation_is_refused_to_an_officer_without_the_lead_role(officer):
    from townhall.core.permissions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.consultation_translate(
            actor=officer, consultation=ConsultationFactory(), title_cy="Teitl"
        )
