"""Participatory budgeting: phases, eligible voters, one ballot each, budgets, results."""

import hashlib
import re

import pytest
from django.urls import reverse

from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.core.ratelimit import FormRateLimited
from townhall.participation import selectors, services
from townhall.participation.models import Ballot, Budget, BudgetProject, EligibleVoter

pytestmark = pytest.mark.django_db
Phase = Budget.Phase
REGISTER = "surname,postcode,date_of_birth\nJones,NB1 1AA,1980-05-01\nPatel,nb2 2bb,1975-11-30\n"
#: Crockford's base32 (no I, L, O or U), 12 symbols in groups of four: 60 bits.
POSTAL_CODE = re.compile(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


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


def test_postal_codes_are_twelve_unambiguous_symbols_in_groups_of_four(lead, budget):
    codes = services.voter_codes_issue(actor=lead, budget=budget, count=50)

    assert all(POSTAL_CODE.fullmatch(code) for code in codes), codes[:3]
    assert len(set(codes)) == 50


def test_postal_codes_are_stored_only_as_hashes(lead, budget):
    code = services.voter_codes_issue(actor=lead, budget=budget, count=1)[0]
    stored = EligibleVoter.objects.get(budget=budget).key_hash

    assert code.replace("-", "").lower() not in stored.lower()
    assert re.fullmatch(r"[0-9a-f]{64}", stored)


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code,
        lambda code: code.lower(),
        lambda code: code.replace("-", ""),
        lambda code: " " + code.replace("-", " ").lower() + " ",
        lambda code: code.replace("-", " – "),
        lambda code: code.replace("0", "O").replace("1", "l"),
    ],
    ids=["as printed", "lower case", "no hyphens", "spaces", "dashes", "O for 0 and l for 1"],
)
def test_a_postal_code_verifies_however_it_is_typed(lead, voting, typed):
    code = services.voter_codes_issue(actor=lead, budget=voting, count=1)[0]

    assert services.voter_verify(budget=voting, code=typed(code)).budget == voting


def test_a_code_posted_before_codes_grew_longer_still_verifies(voting):
    """Codes were 8 hexadecimal digits, stored as this hash; letters already sent stay good."""
    old_hash = hashlib.sha256(f"{voting.pk}|code|0a1b2c3d".encode()).hexdigest()
    voter = EligibleVoter.objects.create(budget=voting, key_hash=old_hash)

    assert services.voter_verify(budget=voting, code="0A1B 2C3D") == voter


def test_failed_checks_on_one_budget_pause_its_checks_for_everyone_at_the_ceiling(
    lead, voting, settings
):
    settings.TOWNHALL_VOTER_CHECK_FAILURE_RATE = "3/h"
    code = services.voter_codes_issue(actor=lead, budget=voting, count=1)[0]
    other = services.budget_create(
        actor=lead, slug="other", title="Other", total_pence=100, ballot_kind="knapsack"
    )
    other_code = services.voter_codes_issue(actor=lead, budget=other, count=1)[0]
    for _guess in range(3):
        with pytest.raises(services.NotEligible):
            services.voter_verify(budget=voting, code="K7QF-3MZP-X9TD")

    with pytest.raises(FormRateLimited) as paused:
        services.voter_verify(budget=voting, code=code)

    assert 0 < paused.value.retry_after <= 3600
    assert "paused checking" in str(paused.value.reason)
    assert services.voter_verify(budget=other, code=other_code).budget == other


def test_checks_that_match_do_not_use_up_the_budgets_ceiling(lead, voting, settings):
    settings.TOWNHALL_VOTER_CHECK_FAILURE_RATE = "2/h"
    codes = services.voter_codes_issue(actor=lead, budget=voting, count=3)

    for code in codes:
        services.voter_verify(budget=voting, code=code)
    with pytest.raises(services.NotEligible):
        services.voter_verify(budget=voting, code="K7QF-3MZP-X9TD")

    assert services.voter_verify(budget=voting, code=codes[0]).budget == voting


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


def test_voting_cannot_open_over_unreviewed_projects_unless_the_lead_confirms(
    lead, budget, resident
):
    services.project_propose(
        actor=resident, budget=budget, title="Skate ramp", description="d", cost_pence=100
    )
    with pytest.raises(services.UnreviewedProjects) as refusal:
        services.budget_advance(actor=lead, budget=budget, phase=Phase.VOTING)
    assert [project.title for project in refusal.value.projects] == ["Skate ramp"]
    budget.refresh_from_db()
    assert budget.phase == Phase.PROPOSALS
    services.budget_advance(
        actor=lead, budget=budget, phase=Phase.VOTING, unreviewed_confirmed=True
    )
    budget.refresh_from_db()
    assert budget.phase == Phase.VOTING
