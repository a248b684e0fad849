"""Digital maturity: frameworks loaded from files (and refused with the field to fix),
questions scored from live data or by staff with evidence, weighted scores, improvement
actions, the public scorecard page and the staff journey in Manage."""

import copy
import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from tests.core.factories import UserFactory
from tests.leadership.factories import DecisionFactory, citing_dataset
from townhall.core.models import AuditEntry
from townhall.core.registry import registry
from townhall.leadership import maturity, selectors, services
from townhall.leadership.models import MaturityAssessment, MaturityFramework

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 1)


def _levels(prefix: str) -> dict[str, str]:
    return {str(level): f"{prefix} level {level}" for level in maturity.LEVELS}


def small_framework() -> dict:
    """Two areas: one measured question (weight 1) and one self-assessed one (weight 3),
    and a second area weighted twice the first."""
    return {
        "format": maturity.FORMAT,
        "slug": "small",
        "version": "1",
        "name": {"en": "Small framework", "cy": "Fframwaith bach"},
        "levels": [{"level": level, "name": f"Level {level}"} for level in maturity.LEVELS],
        "sections": [
            {
                "key": "decisions",
                "name": {"en": "Decisions", "cy": "Penderfyniadau"},
                "weight": 1,
                "questions": [
                    {
                        "key": "citing",
                        "text": "Key decisions citing data",
                        "weight": 1,
                        "measure": "key_decisions_citing_data",
                        "thresholds": [20, 40, 60, 80],
                        "levels": _levels("citing"),
                    },
                    {
                        "key": "skills",
                        "text": "Analysis skills",
                        "weight": 3,
                        "principles": ["sharing-information"],
                        "levels": _levels("skills"),
                    },
                ],
            },
            {
                "key": "leading",
                "name": "Leadership",
                "weight": 2,
                "questions": [{"key": "authority", "text": "Authority", "levels": _levels("a")}],
            },
        ],
    }


@pytest.fixture
def framework(officer):
    return services.maturity_framework_load(actor=officer, data=small_framework())


def _answered(officer, framework, **levels):
    assessment = services.maturity_assessment_start(
        actor=officer, framework=framework, assessed_on=DAY
    )
    for question, level in levels.items():
        services.maturity_answer(
            actor=officer,
            assessment=assessment,
            question=question,
            level=level,
            evidence="Shown on the council's site.",
        )
    return assessment


def test_the_default_framework_covers_the_six_areas_and_five_principles(officer):
    data = json.loads(maturity.DEFAULT_FRAMEWORK.read_text())

    framework = services.maturity_framework_load(actor=officer, data=data)

    definition = framework.definition
    assert [section["key"] for section in definition["sections"]] == [
        "leadership",
        "open-data",
        "inclusion",
        "participation",
        "market",
        "data-informed-decisions",
    ]
    questions = maturity.questions(definition).values()
    assert {p for question in questions for p in question["principles"]} == set(maturity.PRINCIPLES)
    assert {question["measure"] for question in questions if "measure" in question} <= set(
        registry.measures()
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda data: data.update(format="something else"), "format"),
        (lambda data: data["sections"][1].update(weight=0), "sections[1].weight"),
        (
            lambda data: data["sections"][0]["questions"][1]["levels"].pop("5"),
            "sections[0].questions[1].levels",
        ),
        (
            lambda data: data["sections"][0]["questions"][0].update(measure="Vibes!"),
            "sections[0].questions[0].measure",
        ),
        (
            lambda data: data["sections"][0]["questions"][0].update(thresholds=[50, 40, 60, 80]),
            "sections[0].questions[0].thresholds",
        ),
        (
            lambda data: data["sections"][1]["questions"][0].update(key="skills"),
            "sections[1].questions[0].key",
        ),
        (
            lambda data: data["sections"][0]["questions"][1].update(principles=["speed"]),
            "sections[0].questions[1].principles[0]",
        ),
        (
            lambda data: data["sections"][1].update(name={"cy": "Arweinyddiaeth"}),
            "sections[1].name",
        ),
    ],
)
def test_a_framework_file_with_a_problem_is_refused_naming_the_field_and_stores_nothing(
    officer, change, field
):
    data = copy.deepcopy(small_framework())
    change(data)

    with pytest.raises(services.AssessmentInvalid) as refused:
        services.maturity_framework_load(actor=officer, data=data)

    assert refused.value.field == field
    assert not MaturityFramework.objects.exists()


def test_a_changed_framework_keeps_its_slug_only_while_no_assessment_uses_it(officer, framework):
    changed = small_framework()
    changed["version"] = "2"
    assert services.maturity_framework_load(actor=officer, data=changed).version == "2"
    _answered(officer, framework)
    changed["version"] = "3"

    with pytest.raises(services.AssessmentInvalid) as refused:
        services.maturity_framework_load(actor=officer, data=changed)

    assert refused.value.field == "slug"
    assert MaturityFramework.objects.get().version == "2"


def test_a_measured_question_takes_its_level_from_the_share_of_key_decisions_citing_data(
    officer, framework
):
    for number in range(5):
        decision = DecisionFactory(decided_on=date(2026, 6, 1))
        if number < 3:
            citing_dataset(decision, "dataset-id")
    DecisionFactory(decided_on=date(2025, 6, 1))  # more than a year before: not counted

    assessment = _answered(officer, framework)

    [answer] = assessment.answers.filter(question="citing")
    assert answer.measured == {"count": 3, "total": 5}
    assert answer.level == 4  # 60% reaches the third threshold


def test_a_measured_question_is_not_measured_when_no_installed_module_declares_its_measure(
    client, officer
):
    data = small_framework()
    data["sections"][0]["questions"][0]["measure"] = "directory_freshness_not_installed"
    framework = services.maturity_framework_load(actor=officer, data=data)
    assessment = _answered(officer, framework, skills=3, authority=2)

    [answer] = assessment.answers.filter(question="citing")
    assert answer.measured == {"count": None, "total": None, "unmeasured": True}
    assert answer.level == 1
    services.maturity_assessment_publish(actor=officer, assessment=assessment)
    page = client.get("/leadership/scorecard/")
    assert "Not measured: the part of the site that measures this is not installed." in (
        page.content.decode()
    )


def test_thresholds_map_a_percent_to_a_level():
    thresholds = [20, 40, 60, 80]
    assert [maturity.level_for(p, thresholds) for p in (None, 0, 19, 20, 79, 80, 100)] == [
        1,
        1,
        1,
        2,
        4,
        5,
        5,
    ]


def test_scores_are_weighted_per_question_and_per_section(officer, framework):
    # citing: nothing to measure, level 1 (0%); skills level 5 (100%), weight 3;
    # decisions = 75%; leadership's one question level 3 = 50%; total (75 + 2 * 50) / 3.
    card = selectors.scorecard(_answered(officer, framework, skills=5, authority=3))

    assert [section.percent for section in card.sections] == [75, 50]
    assert card.total == pytest.approx(175 / 3)


def test_improvements_give_the_next_level_of_the_lowest_scoring_questions(officer, framework):
    card = selectors.scorecard(_answered(officer, framework, skills=5, authority=3))

    assert [(question.key, text) for question, text, _lang in card.improvements()] == [
        ("citing", "citing level 2"),
        ("authority", "a level 4"),
    ]


@pytest.mark.parametrize(
    ("question", "level", "evidence", "field"),
    [
        ("skills", 3, "  ", "evidence"),
        ("skills", 6, "Shown.", "level"),
        ("citing", 3, "Shown.", "question"),
        ("nothing", 3, "Shown.", "question"),
    ],
)
def test_an_answer_is_refused_without_evidence_a_level_or_a_self_assessed_question(
    officer, framework, question, level, evidence, field
):
    assessment = _answered(officer, framework)

    with pytest.raises(services.AssessmentInvalid) as refused:
        services.maturity_answer(
            actor=officer, assessment=assessment, question=question, level=level, evidence=evidence
        )

    assert refused.value.field == field
    assert not assessment.answers.exclude(question="citing").exists()


def test_publishing_waits_for_every_self_assessed_answer_and_then_nothing_changes(
    officer, framework
):
    assessment = _answered(officer, framework, skills=2)
    with pytest.raises(services.AssessmentInvalid, match="Authority"):
        services.maturity_assessment_publish(actor=officer, assessment=assessment)

    services.maturity_answer(
        actor=officer, assessment=assessment, question="authority", level=2, evidence="Board."
    )
    services.maturity_assessment_publish(actor=officer, assessment=assessment)

    with pytest.raises(services.AssessmentInvalid):
        services.maturity_answer(
            actor=officer, assessment=assessment, question="skills", level=5, evidence="More."
        )
    assert AuditEntry.objects.filter(action="leadership.maturity_assessment_publish").exists()


@pytest.mark.parametrize("roles", [(), ("councillor",)])
def test_only_people_allowed_to_assess_maturity_start_an_assessment(framework, roles):
    with pytest.raises(PermissionDenied):
        services.maturity_assessment_start(
            actor=UserFactory(roles=roles), framework=framework, assessed_on=DAY
        )


def test_a_chief_digital_officer_may_assess_maturity(framework):
    cdo = UserFactory(roles=("chief_digital_officer",), is_staff=True)

    assert services.maturity_assessment_start(actor=cdo, framework=framework, assessed_on=DAY)


def test_the_scorecard_page_shows_the_total_chart_table_actions_and_history(
    client, officer, framework
):
    older = _answered(officer, framework, skills=1, authority=1)
    services.maturity_assessment_publish(actor=officer, assessment=older)
    MaturityAssessment.objects.filter(pk=older.pk).update(assessed_on=date(2025, 12, 1))
    services.maturity_assessment_publish(
        actor=officer, assessment=_answered(officer, framework, skills=5, authority=3)
    )
    _answered(officer, framework, skills=1, authority=1)  # a draft: never shown

    page = client.get("/leadership/scorecard/").text

    assert "58% overall" in page
    assert '<figure class="th-chart"' in page
    assert "Score by area" in page
    assert "a level 4" in page  # the next level of the weakest question
    assert "1 December 2025" in page and "1 December 2026" in page


def test_the_scorecard_page_in_welsh_marks_english_descriptors(client, officer, framework):
    services.maturity_assessment_publish(
        actor=officer, assessment=_answered(officer, framework, skills=5, authority=3)
    )

    page = client.get("/cy/leadership/scorecard/").text

    assert "Cerdyn sgorio aeddfedrwydd digidol" in page
    assert "Penderfyniadau" in page
    assert '<span lang="en">Leadership</span>' in page
    assert '<p class="govuk-body" lang="en">skills level 5</p>' in page


def test_the_scorecard_page_says_when_nothing_is_published(client, officer, framework):
    _answered(officer, framework)

    page = client.get("/leadership/scorecard/").text

    assert "has not published an assessment" in page


def test_an_officer_starts_answers_and_publishes_an_assessment_in_manage(
    client, officer, framework
):
    client.force_login(officer)
    response = client.post(
        "/leadership/manage/maturity/",
        {
            "framework": "small",
            "assessed_on_day": "1",
            "assessed_on_month": "12",
            "assessed_on_year": "2026",
        },
    )
    assessment = selectors.maturity_assessments().get()
    url = f"/leadership/manage/maturity/{assessment.public_id}/"
    assert response.headers["Location"] == url

    refused = client.post(f"{url}skills/", {"level": "4", "evidence": ""})
    assert "Enter" in refused.text or "required" in refused.text
    client.post(f"{url}skills/", {"level": "4", "evidence": "Dashboards in every service."})
    client.post(f"{url}authority/", {"level": "2", "evidence": "A senior officer."})
    client.post(f"{url}publish/")

    assert selectors.public_scorecard().assessment == assessment
    assert "Dashboards in every service." in client.get("/leadership/scorecard/").text


def test_a_measured_question_has_no_answer_form(client, officer, framework):
    client.force_login(officer)
    assessment = _answered(officer, framework)

    response = client.get(f"/leadership/manage/maturity/{assessment.public_id}/citing/")

    assert response.status_code == 404


def test_the_command_loads_the_default_framework_and_refuses_a_bad_file(officer, tmp_path):
    call_command("load_maturity_framework", "--by", officer.email)
    assert MaturityFramework.objects.get().slug == "townhall-digital-maturity"
    bad = tmp_path / "bad.json"
    data = small_framework()
    data["sections"][0]["weight"] = "heavy"
    bad.write_text(json.dumps(data))

    with pytest.raises(CommandError, match=r"sections\[0\]\.weight"):
        call_command("load_maturity_framework", str(bad), "--by", officer.email)

    assert MaturityFramework.objects.count() == 1
