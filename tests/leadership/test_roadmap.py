"""The digital strategy and roadmap: objectives in the guide's six areas, projects with
their RAG history, budgets in pence and benefits; the public pages, the staff screens, the
cabinet member's portfolio dashboard and the JSON API."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django import forms
from django.utils import timezone

from tests.core.factories import AreaFactory
from tests.leadership.factories import (
    BenefitFactory,
    BoardActionFactory,
    BoardMeetingFactory,
    DecisionFactory,
    LeaderFactory,
    ObjectiveFactory,
    PortfolioFactory,
    ProgrammeFactory,
    ProjectFactory,
    serving_councillor,
)
from townhall.core.fields import PoundsField
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.leadership import maturity, selectors, services
from townhall.leadership.models import Project, ProjectStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def cdo(person):
    return person("chief_digital_officer", is_staff=True)


@pytest.fixture
def cabinet_member(person, portfolio):
    member = person("councillor")
    portfolio.cabinet_member = member
    portfolio.save()
    return member


@pytest.fixture
def programme(portfolio):
    return ProgrammeFactory(objective=ObjectiveFactory(portfolio=portfolio, area="open-data"))


# RAG history -----------------------------------------------------------------------------


def test_rag_update_keeps_every_status_with_its_day_and_reason_when_a_project_slips(officer):
    project = ProjectFactory()
    today = timezone.localdate()

    services.project_rag_update(
        actor=officer,
        project=project,
        rag="amber",
        reason="Supplier late",
        recorded_on=today - timedelta(days=10),
    )
    services.project_rag_update(actor=officer, project=project, rag="red", reason="Budget gone")

    project.refresh_from_db()
    history = [(s.rag, s.reason, s.recorded_on) for s in project.statuses.all()]
    assert project.rag == "red" and project.rag_reason == "Budget gone"
    assert history == [
        ("red", "Budget gone", today),
        ("amber", "Supplier late", today - timedelta(days=10)),
        ("green", "", date(2026, 4, 1)),
    ]
    assert AuditEntry.objects.filter(action="leadership.project_rag_update").count() == 2


@pytest.mark.parametrize("rag", ["amber", "red"])
def test_rag_update_is_refused_when_amber_or_red_has_no_reason(officer, rag):
    project = ProjectFactory()

    with pytest.raises(services.RoadmapInvalid, match="why the project is amber or red"):
        services.project_rag_update(actor=officer, project=project, rag=rag, reason="  ")

    project.refresh_from_db()
    assert project.rag == "green" and project.statuses.count() == 1


def test_rag_update_is_refused_when_dated_before_the_latest_status(officer):
    project = ProjectFactory()

    with pytest.raises(services.RoadmapInvalid, match="on or after the latest status"):
        services.project_rag_update(
            actor=officer, project=project, rag="green", recorded_on=date(2026, 3, 1)
        )


def test_the_project_page_shows_the_reason_and_the_history_of_a_slip(client, officer):
    project = ProjectFactory(title="Contact centre")
    services.project_rag_update(actor=officer, project=project, rag="red", reason="Data lost")

    page = client.get(f"/leadership/roadmap/{project.slug}/").text

    history = page.split("Status history")[1]
    assert "Data lost" in page
    assert history.index("Red") < history.index("Green")
    assert "£25,000 spent of £100,000 approved" in page


# Money -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "pence"),
    [
        ("£1,250,000.00", 125_000_000),
        ("1250000", 125_000_000),
        ("£12.5", 1250),
        (" £ 3,000.05 ", 300_005),
        ("0", 0),
    ],
)
def test_pounds_are_kept_in_pence_when_written_as_people_write_money(typed, pence):
    assert PoundsField().clean(typed) == pence


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("£1,25,000", "Enter an amount in pounds, like £1,250,000 or 1250000.50"),
        ("one million", "Enter an amount in pounds, like £1,250,000 or 1250000.50"),
        ("£12.345", "Enter the amount to the nearest penny"),
        ("-£5", "Enter an amount of £0 or more"),
        ("£-5", "Enter an amount of £0 or more"),
        ("£99,999,999,999", "Enter an amount less than £10,000,000,000"),
    ],
)
def test_pounds_are_refused_with_a_specific_message_when_not_money(typed, message):
    with pytest.raises(forms.ValidationError) as refused:
        PoundsField().clean(typed)

    assert refused.value.messages == [message]


def _project_form(programme, **changes):
    data = {
        "programme": programme.pk,
        "title": "New contact centre",
        "description": "One queue for calls, emails and forms.",
        "stage": "alpha",
        "starts_on_day": "1",
        "starts_on_month": "4",
        "starts_on_year": "2026",
        "ends_on_day": "31",
        "ends_on_month": "3",
        "ends_on_year": "2027",
        "budget_approved_pence": "£1,250,000.00",
        "budget_spent_pence": "",
        "rag": "green",
        "published": "on",
    }
    return {**data, **changes}


def test_an_officer_adds_a_project_with_its_budget_in_pounds(client, officer, programme):
    client.force_login(officer)

    response = client.post("/leadership/manage/roadmap/projects/new/", _project_form(programme))

    project = Project.objects.get()
    assert response.status_code == 302
    assert project.budget_approved_pence == 125_000_000 and project.budget_spent_pence == 0
    assert project.statuses.get().rag == "green"


def test_a_project_with_a_bad_budget_is_refused_and_what_was_typed_is_kept(
    client, officer, programme
):
    client.force_login(officer)

    response = client.post(
        "/leadership/manage/roadmap/projects/new/",
        _project_form(programme, budget_approved_pence="£1,25,000", rag="red"),
    )

    page = response.text
    assert response.status_code == 200
    assert "Enter an amount in pounds, like £1,250,000 or 1250000.50" in page
    assert 'value="£1,25,000"' in page
    assert not Project.objects.exists()


def test_a_red_project_without_a_reason_is_refused_on_the_form(client, officer, programme):
    client.force_login(officer)

    response = client.post(
        "/leadership/manage/roadmap/projects/new/", _project_form(programme, rag="red")
    )

    assert "Say in English why the project is amber or red" in response.text
    assert not Project.objects.exists()


def test_a_project_ending_before_it_starts_is_refused(officer, programme):
    with pytest.raises(services.RoadmapInvalid, match="on or after the start date"):
        services.project_create(
            actor=officer,
            programme=programme,
            title="Backwards",
            description="Ends first.",
            stage="alpha",
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 4, 1),
            rag="green",
        )


def test_an_officer_updates_the_status_and_records_a_benefits_actual_from_manage(client, officer):
    benefit = BenefitFactory(target_value=90)
    project = benefit.project
    client.force_login(officer)

    client.post(
        f"/leadership/manage/roadmap/projects/{project.public_id}/status/",
        {"rag": "amber", "reason": "Testing found problems", "reason_cy": "Problemau"},
    )
    today = timezone.localdate()
    client.post(
        f"/leadership/manage/roadmap/benefits/{benefit.public_id}/",
        {
            "actual_value": "71.5",
            "measured_on_day": today.day,
            "measured_on_month": today.month,
            "measured_on_year": today.year,
        },
    )

    project.refresh_from_db()
    benefit.refresh_from_db()
    assert project.rag == "amber" and project.rag_reason_cy == "Problemau"
    assert benefit.actual_value == Decimal("71.5") and benefit.behind


def test_a_benefit_is_behind_only_on_the_wrong_side_of_its_target():
    more = BenefitFactory(target_value=90, actual_value=95)
    less = BenefitFactory(target_value=3, actual_value=4, higher_is_better=False)
    unmeasured = BenefitFactory()

    assert not more.behind and less.behind and not unmeasured.behind


# Permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "status"),
    [
        ((), 302),
        (("resident",), 403),
        (("councillor",), 403),
        (("decisions_officer",), 200),
        (("chief_digital_officer",), 200),
        (("administrator",), 200),
    ],
)
def test_only_those_who_keep_the_roadmap_open_its_staff_screen(client, person, roles, status):
    if roles:
        client.force_login(person(*roles))

    assert client.get("/leadership/manage/roadmap/").status_code == status


@pytest.mark.parametrize("role", ["councillor", "resident", "data_publisher"])
def test_roadmap_services_refuse_people_who_do_not_keep_it(person, role):
    project = ProjectFactory()

    with pytest.raises(PermissionDenied):
        services.project_rag_update(actor=person(role), project=project, rag="green")


def test_a_cdo_keeps_the_roadmap(cdo, programme):
    objective = services.objective_save(
        actor=cdo,
        area="inclusion",
        portfolio=programme.objective.portfolio,
        title="No one left behind",
        description="Help online.",
    )

    assert objective.area == "inclusion"


def test_an_objective_outside_the_guides_six_areas_is_refused(officer, portfolio):
    with pytest.raises(services.RoadmapInvalid, match="guide's six areas"):
        services.objective_save(
            actor=officer, area="blockchain", portfolio=portfolio, title="X", description="Y"
        )


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("other_councillor", 404), ("cabinet_member", 200), ("officer", 200)],
)
def test_a_draft_project_is_seen_only_by_its_cabinet_member_and_staff(
    client, person, cabinet_member, officer, programme, who, status
):
    draft = ProjectFactory(programme=programme, published=False)
    signed_in = {
        "other_councillor": person("councillor"),
        "cabinet_member": cabinet_member,
        "officer": officer,
    }
    if who in signed_in:
        client.force_login(signed_in[who])

    assert client.get(f"/leadership/roadmap/{draft.slug}/").status_code == status


def test_linking_a_portfolio_to_a_councillors_account_is_audited(
    client, officer, person, portfolio
):
    councillor = person("councillor", display_name="Cllr Gareth Price")
    client.force_login(officer)

    response = client.post(
        f"/leadership/manage/portfolios/{portfolio.slug}/",
        {"cabinet_member": str(councillor.public_id)},
    )

    portfolio.refresh_from_db()
    assert response.status_code == 302
    assert portfolio.cabinet_member == councillor
    assert AuditEntry.objects.filter(object_type="leadership.portfolio").exists()
    assert "Cllr Gareth Price" in client.get("/leadership/manage/portfolios/").text


def test_a_portfolio_cannot_be_linked_to_an_account_that_is_not_a_councillors(
    officer, resident, portfolio
):
    with pytest.raises(services.RoadmapInvalid, match="account of a councillor"):
        services.portfolio_cabinet_member(actor=officer, portfolio=portfolio, member=resident)


def test_only_those_who_keep_portfolios_link_a_cabinet_member(cdo, person, portfolio):
    with pytest.raises(PermissionDenied):
        services.portfolio_cabinet_member(
            actor=cdo, portfolio=portfolio, member=person("councillor")
        )


# The cabinet member's dashboard ----------------------------------------------------------


@pytest.fixture
def two_portfolios(programme):
    """Digital (the `portfolio` fixture) with a green, a red and a draft amber project, and
    Housing with a red project of its own."""
    ProjectFactory(programme=programme, title="Green digital")
    ProjectFactory(programme=programme, title="Red digital", rag="red", rag_reason="Late")
    ProjectFactory(
        programme=programme, title="Amber draft", rag="amber", rag_reason="Risky", published=False
    )
    housing = PortfolioFactory(name="Housing")
    ProjectFactory(
        programme=ProgrammeFactory(objective=ObjectiveFactory(portfolio=housing)),
        title="Red housing",
        rag="red",
        rag_reason="Stuck",
    )
    return housing


def test_the_dashboard_lists_only_the_portfolios_projects_reds_first_drafts_included(
    cabinet_member, portfolio, two_portfolios
):
    dashboard = selectors.portfolio_dashboard(portfolio, viewer=cabinet_member)

    assert [p.title for p in dashboard.projects] == ["Red digital", "Amber draft", "Green digital"]
    assert (dashboard.red, dashboard.amber, dashboard.green) == (1, 1, 1)
    assert dashboard.approved_pence == 30_000_000 and dashboard.spent_pence == 7_500_000
    assert dashboard.spent_percent == 25


def test_another_councillor_cannot_see_a_portfolios_dashboard(person, portfolio, cabinet_member):
    with pytest.raises(PermissionDenied):
        selectors.portfolio_dashboard(portfolio, viewer=person("councillor"))


def test_the_dashboard_shows_benefits_behind_decisions_coming_and_overdue_board_actions(
    client, cabinet_member, portfolio, programme
):
    owner = LeaderFactory(name="Anita Shah")
    programme.objective.owner = owner
    programme.objective.save()
    BenefitFactory(
        project=ProjectFactory(programme=programme),
        description="Calls answered in two minutes",
        actual_value=71,
        measured_on=date(2026, 6, 1),
    )
    today = timezone.localdate()
    DecisionFactory(
        title="Choose a contact system",
        portfolio=portfolio,
        status="forthcoming",
        decided_on=today + timedelta(days=20),
    )
    DecisionFactory(title="Another portfolio's decision", status="forthcoming", decided_on=today)
    meeting = BoardMeetingFactory(meets_on=today - timedelta(days=60))
    BoardActionFactory(
        meeting=meeting, owner=owner, what="Fix migration", due_on=today - timedelta(days=5)
    )
    BoardActionFactory(meeting=meeting, what="Someone else's", due_on=today - timedelta(days=5))
    client.force_login(cabinet_member)

    page = client.get("/leadership/my-portfolio/").text

    assert "Calls answered in two minutes" in page
    assert "Choose a contact system" in page
    assert "Another portfolio&#x27;s decision" not in page
    assert "Fix migration" in page and "Someone else" not in page


def test_a_cabinet_members_account_shows_their_portfolio_instead_of_the_briefing(
    client, cabinet_member, two_portfolios
):
    client.force_login(cabinet_member)

    page = client.get("/account/").text

    assert "Your portfolio:" in page
    assert "1 red, 1 amber, 1 green" in page
    assert "Red digital" in page and "Red housing" not in page
    assert 'href="/leadership/my-portfolio/"' in page
    assert "Key decisions of the past year that cite no data" not in page


def test_a_councillor_without_a_portfolio_keeps_the_council_wide_briefing(
    client, person, cabinet_member, two_portfolios
):
    client.force_login(person("councillor"))

    page = client.get("/account/").text

    assert "Your portfolio:" not in page and "Decisions coming up" in page
    assert client.get("/leadership/my-portfolio/").status_code == 404


def test_my_portfolio_asks_a_visitor_to_sign_in(client):
    assert client.get("/leadership/my-portfolio/").status_code == 302


# Public pages ----------------------------------------------------------------------------


def test_the_strategy_groups_objectives_under_each_of_the_guides_six_areas(client, programme):
    ProjectFactory(programme=programme, title="Publish transparency data")
    ProjectFactory(programme=programme, title="Secret draft", published=False)

    page = client.get("/leadership/strategy/").text

    positions = [page.index(maturity.text(name)) for _key, name in maturity.guide_areas()]
    assert positions == sorted(positions) and len(positions) == 6
    open_data = page.split("Open data")[1].split("Digital inclusion")[0]
    assert programme.objective.title in open_data
    assert "Publish transparency data" in open_data
    assert "Secret draft" not in page


def test_the_roadmap_lists_projects_by_quarter_marking_starts_and_ends(client, programme):
    today = timezone.localdate()
    ProjectFactory(
        programme=programme,
        title="Quarter long",
        starts_on=today,
        ends_on=today + timedelta(days=200),
    )

    quarters = selectors.roadmap(today=today)
    page = client.get("/leadership/roadmap/").text

    assert quarters[0].projects[0][1] is True
    assert quarters[-1].projects[0][2] is True
    assert 2 <= len(quarters) <= 4
    assert page.count("Quarter long") == len(quarters)


def test_the_strategy_and_roadmap_are_reachable_from_who_leads_digital(client):
    page = client.get("/leadership/").text

    assert 'href="/leadership/strategy/"' in page


def test_the_strategy_is_in_welsh_with_english_marked_where_no_welsh_is_written(client, programme):
    programme.objective.title_cy = "Cyhoeddi data'r cyngor"
    programme.objective.save()
    ProjectFactory(programme=programme, title="Only in English")

    page = client.get("/cy/leadership/strategy/").text

    assert "Strategaeth ddigidol" in page
    assert "Data agored" in page
    assert "Cyhoeddi data&#x27;r cyngor" in page
    assert '<span lang="en">Only in English</span>' in page


# JSON API and open data ------------------------------------------------------------------


def test_the_roadmap_api_lists_published_projects_with_stage_rag_budget_and_benefits(
    client, officer, programme
):
    project = ProjectFactory(programme=programme, title="Contact centre", title_cy="Canolfan")
    BenefitFactory(project=project, actual_value=95, measured_on=date(2026, 6, 1))
    services.project_rag_update(actor=officer, project=project, rag="amber", reason="Late")
    ProjectFactory(programme=programme, published=False)

    body = client.get("/api/v1/roadmap").json()

    (item,) = body["items"]
    assert item["title"] == "Contact centre" and item["title_cy"] == "Canolfan"
    assert item["stage"] == "beta" and item["rag"] == "amber" and item["rag_reason"] == "Late"
    assert item["area"] == "open-data" and item["portfolio"] == "digital"
    assert item["budget_approved_pence"] == 10_000_000
    assert item["benefits"][0]["target_value"] == 90.0
    assert item["benefits"][0]["actual_value"] == 95.0
    assert item["benefits"][0]["behind_target"] is False
    assert [status["rag"] for status in item["rag_history"]] == ["amber", "green"]


def test_the_roadmap_api_filters_by_rag_and_refuses_an_unknown_stage(client, programme):
    ProjectFactory(programme=programme, rag="red", rag_reason="Late")
    ProjectFactory(programme=programme)

    assert len(client.get("/api/v1/roadmap?rag=red").json()["items"]) == 1
    response = client.get("/api/v1/roadmap?stage=gamma")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_choice"
    assert response.json()["error"]["details"]["parameter"] == "stage"


def test_the_roadmap_open_data_rows_carry_money_in_pence_and_no_drafts(programme):
    from townhall.core.registry import registry

    exports = {export.slug: export for export in registry.get("leadership").open_data}
    ProjectFactory(programme=programme, title="Published")
    ProjectFactory(programme=programme, published=False)

    (row,) = list(exports["digital-roadmap"].rows())

    assert tuple(row) == exports["digital-roadmap"].fields
    assert row["title"] == "Published" and row["budget_spent_pence"] == 2_500_000
    assert row["area"] == "open-data" and row["rag"] == "green"


def test_first_status_is_kept_when_a_project_is_created(officer, programme):
    project = services.project_create(
        actor=officer,
        programme=programme,
        title="Amber from the start",
        description="Risky.",
        stage="discovery",
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 9, 30),
        rag="amber",
        rag_reason="No team yet",
        budget_approved_pence=100,
    )

    assert ProjectStatus.objects.get(project=project).reason == "No team yet"


# Demo ------------------------------------------------------------------------------------


def test_the_demo_builds_twelve_projects_in_every_area_and_links_the_cabinet_member(
    person, officer
):
    from townhall.core.demo import DemoContext
    from townhall.leadership.demo import build_roadmap, link_demo_accounts

    digital = PortfolioFactory(name="Digital and customer services")
    LeaderFactory(name="Anita Shah")
    member = person("councillor", email="demo.cabinet@example.org")
    context = DemoContext(size="small")

    build_roadmap(context)
    build_roadmap(context)
    link_demo_accounts(context)

    areas = selectors.strategy(drafts=True)
    projects = list(selectors.staff_projects())
    red = next(project for project in projects if project.rag == "red")
    assert all(area.objectives for area in areas) and len(areas) == 6
    assert len(projects) == 12 and {p.stage for p in projects} == set(Project.Stage.values)
    assert [status.rag for status in red.statuses.all()] == ["red", "amber", "green"]
    assert any(not project.published for project in projects)
    digital.refresh_from_db()
    assert digital.cabinet_member == member
    dashboard = selectors.portfolio_dashboard(digital, viewer=member)
    assert dashboard.projects[0] == red and dashboard.behind


def test_the_demo_links_the_demo_councillors_to_councillors_of_two_wards(person, officer):
    from townhall.core.demo import DemoContext
    from townhall.leadership.demo import link_demo_accounts

    castle, riverside = AreaFactory(name="Castle"), AreaFactory(name="Riverside")
    serving_councillor(castle, name="Ann Hughes")
    serving_councillor(castle, name="Bryn Jones")
    serving_councillor(riverside, name="Cai Lewis")
    councillor = person("councillor", email="demo.councillor@example.org")
    cabinet = person("councillor", email="demo.cabinet@example.org")

    link_demo_accounts(DemoContext(size="small"))
    link_demo_accounts(DemoContext(size="small"))

    assert selectors.councillor_of(councillor).name == "Ann Hughes"
    assert selectors.councillor_of(cabinet).name == "Cai Lewis"
