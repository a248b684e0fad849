"""Participatory budgeting: phases, eligible voters, one ballot each, budgets, results."""

import pytest
from django.urls import reverse

from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.participation import selectors, services
from townhall.participation.models import Ballot, Budget, BudgetProject

pytestmark = pytest.mark.django_db
Phase = Budget.Phase
REGISTER = "surname,postcode,date_of_birth\nJones,NB1 1AA,1980-05-01\nPatel,nb2 2bb,1975-11-30\n"


@pytest.fixture
def budget(lead):
    return services.budget_create(
        actor=lead,
        slug="parks-fund",
        title="Parks fund",
        total_pence=10_000_00,
        ballot_kind="knapsack",
    )


@pytest.fixture
def voting(lead, budget, resident):
    for title, cost in (
        ("Swings", 6_000_00),
        ("Benches", 3_000_00),
        ("Pond", 4_000_00),
        ("Too dear", 20_000_00),
    ):
        services.project_propose(
            actor=resident, budget=budget, title=title, description="d", cost_pence=cost
        )
    services.budget_advance(actor=lead, budget=budget, phase=Phase.FEASIBILITY)
    for project in budget.projects.all():
        services.project_assess(
            actor=lead,
            project=project,
            feasible=project.title != "Too dear",
            note="Too expensive" if project.title == "Too dear" else "",
        )
    services.voters_import(actor=lead, budget=budget, csv_text=REGISTER)
    return services.budget_advance(actor=lead, budget=budget, phase=Phase.VOTING)


def _ids(budget, *titles):
    return list(budget.projects.filter(title__in=titles).values_list("pk", flat=True))


def test_a_phase_can_be_skipped_but_never_gone_back_to(lead, budget):
    services.budget_advance(actor=lead, budget=budget, phase=Phase.VOTING)
    with pytest.raises(services.ParticipationError, match="later phase"):
        services.budget_advance(actor=lead, budget=budget, phase=Phase.FEASIBILITY)
    assert AuditEntry.objects.filter(action="participation.budget_advance").count() == 1


def test_only_leads_run_budgets(resident, budget):
    with pytest.raises(PermissionDenied):
        services.budget_advance(actor=resident, budget=budget, phase=Phase.VOTING)


def test_a_project_not_feasible_needs_a_reason(lead, budget, resident):
    project = services.project_propose(
        actor=resident, budget=budget, title="T", description="d", cost_pence=1
    )
    with pytest.raises(services.ParticipationError, match="Say why"):
        services.project_assess(actor=lead, project=project, feasible=False)


def test_register_details_verify_a_voter_in_any_spelling_of_the_postcode(voting):
    voter = services.voter_verify(
        budget=voting, surname="PATEL ", postcode="NB22BB", date_of_birth="1975-11-30"
    )
    assert voter.budget == voting
    with pytest.raises(services.NotEligible):
        services.voter_verify(
            budget=voting, surname="Nobody", postcode="NB1 1AA", date_of_birth="1980-05-01"
        )


def test_a_code_sent_by_post_verifies_a_voter_once(lead, voting):
    code = services.voter_codes_issue(actor=lead, budget=voting, count=1)[0]
    voter = services.voter_verify(budget=voting, code=code.lower())
    services.ballot_cast(budget=voting, voter=voter, project_ids=_ids(voting, "Benches"))
    with pytest.raises(services.AlreadyVoted):
        services.voter_verify(budget=voting, code=code)


def test_a_second_ballot_by_the_same_voter_is_refused(voting):
    voter = services.voter_verify(
        budget=voting, surname="Jones", postcode="NB1 1AA", date_of_birth="1980-05-01"
    )
    services.ballot_cast(budget=voting, voter=voter, project_ids=_ids(voting, "Benches"))
    with pytest.raises(services.AlreadyVoted):
        services.ballot_cast(budget=voting, voter=voter, project_ids=_ids(voting, "Pond"))
    assert Ballot.objects.count() == 1


def test_a_ballot_over_budget_is_refused_with_the_totals(client, voting):
    client.post(
        reverse("participation:budget_verify", args=[voting.slug]),
        {
            "surname": "Jones",
            "postcode": "NB1 1AA",
            "date_of_birth_day": "1",
            "date_of_birth_month": "5",
            "date_of_birth_year": "1980",
        },
    )
    page = client.post(
        reverse("participation:budget_ballot", args=[voting.slug]),
        {"projects": _ids(voting, "Swings", "Pond", "Benches")},
    )
    assert "Your choices cost £13,000, more than the £10,000 budget" in page.text
    assert not Ballot.objects.exists()
    done = client.post(
        reverse("participation:budget_ballot", args=[voting.slug]),
        {"projects": _ids(voting, "Swings", "Pond")},
    )
    assert done.status_code == 302
    assert Ballot.objects.get().projects.count() == 2


def test_approval_ballot_allows_at_most_n_projects(lead, resident):
    budget = services.budget_create(
        actor=lead,
        slug="ward-fund",
        title="Ward fund",
        total_pence=100_00,
        ballot_kind="approval",
        approvals_allowed=1,
    )
    for title in ("A", "B"):
        services.project_propose(
            actor=resident, budget=budget, title=title, description="d", cost_pence=50_00
        )
    for project in budget.projects.all():
        services.project_assess(actor=lead, project=project, feasible=True)
    code = services.voter_codes_issue(actor=lead, budget=budget, count=1)[0]
    services.budget_advance(actor=lead, budget=budget, phase=Phase.VOTING)
    voter = services.voter_verify(budget=budget, code=code)
    with pytest.raises(services.BallotInvalid, match="up to 1"):
        services.ballot_cast(budget=budget, voter=voter, project_ids=_ids(budget, "A", "B"))


def test_results_fund_the_most_voted_projects_while_the_money_lasts(lead, voting):
    codes = services.voter_codes_issue(actor=lead, budget=voting, count=3)
    for code, choice in zip(
        codes, (("Swings", "Benches"), ("Swings",), ("Pond", "Benches")), strict=True
    ):
        voter = services.voter_verify(budget=voting, code=code)
        services.ballot_cast(budget=voting, voter=voter, project_ids=_ids(voting, *choice))
    services.budget_advance(actor=lead, budget=voting, phase=Phase.RESULTS)
    funded = {p.title: (p.votes, p.selected) for p in selectors.budget_projects(voting)}
    assert funded["Swings"] == (2, True)
    assert funded["Benches"] == (2, True)
    assert funded["Pond"] == (1, False)
    assert funded["Too dear"] == (0, False)


def test_funded_projects_are_tracked_to_completion(client, lead, voting):
    code = services.voter_codes_issue(actor=lead, budget=voting, count=1)[0]
    services.ballot_cast(
        budget=voting,
        voter=services.voter_verify(budget=voting, code=code),
        project_ids=_ids(voting, "Benches"),
    )
    services.budget_advance(actor=lead, budget=voting, phase=Phase.RESULTS)
    benches = voting.projects.get(title="Benches")
    services.project_progress(actor=lead, project=benches, delivery="in_progress", percent=40)
    page = client.get(reverse("participation:budget_detail", args=[voting.slug]))
    assert "In progress (40%)" in page.text
    with pytest.raises(services.ParticipationError):
        services.project_progress(
            actor=lead, project=voting.projects.get(title="Pond"), delivery="done", percent=100
        )


def test_lead_moves_phases_and_reviews_projects_from_the_manage_page(
    client, lead, budget, resident
):
    project = services.project_propose(
        actor=resident, budget=budget, title="Mural", description="d", cost_pence=500_00
    )
    client.force_login(lead)
    client.post(
        reverse("participation:budget_manage_act", args=[budget.slug, "advance"]),
        {"phase": "feasibility"},
    )
    client.post(
        reverse("participation:budget_manage_act", args=[budget.slug, "assess"]),
        {"project": project.pk, "feasible": "yes"},
    )
    project.refresh_from_db()
    assert project.assessment == BudgetProject.Assessment.FEASIBLE
    assert (
        "Feasibility review"
        in client.get(reverse("participation:budget_manage", args=[budget.slug])).text
    )


def test_results_are_open_data_and_in_the_api_once_published(client, lead, voting):
    from townhall.core.registry import registry

    export = next(
        item for item in registry.open_data() if item.slug == "participatory-budget-results"
    )
    assert list(export.rows()) == []
    assert client.get("/api/v1/consultations/budgets").json()[0]["phase"] == "voting"
    services.budget_advance(actor=lead, budget=voting, phase=Phase.RESULTS)
    rows = list(export.rows())
    assert {row["project"] for row in rows} == {"Swings", "Benches", "Pond", "Too dear"}
    assert all(set(row) == set(export.fields) for row in rows)
