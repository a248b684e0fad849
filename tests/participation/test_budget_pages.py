"""Running a participatory budget from the web: creating it, proposing and reviewing
projects, loading the voter register, issuing postal codes, publishing results and
tracking delivery."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.core.factories import AreaFactory
from tests.participation.factories import BudgetFactory, BudgetProjectFactory
from townhall.core.models import AuditEntry
from townhall.participation import services
from townhall.participation.models import Ballot, Budget, BudgetProject, EligibleVoter

pytestmark = pytest.mark.django_db
Phase = Budget.Phase
REGISTER = (
    "surname,postcode,date_of_birth\r\nJones,NB1 1AA,1980-05-01\r\nPatel,nb2 2bb,1975-11-30\r\n"
)


def _url(name, budget=None, *rest):
    return reverse(f"participation:{name}", args=[budget.slug, *rest] if budget else rest)


def _create(client, **fields):
    data = {
        "title": "Parks fund",
        "slug": "parks-fund",
        "area": "borough",
        "total": "25000",
        "ballot_kind": "knapsack",
        "approvals_allowed": "3",
        **fields,
    }
    return client.post(_url("budget_create"), data)


@pytest.fixture
def signed_in_lead(client, lead):
    client.force_login(lead)
    return client


def _upload(client, budget, content: bytes, name="register.csv"):
    return client.post(
        _url("budget_voters", budget), {"register": SimpleUploadedFile(name, content, "text/csv")}
    )


# Creating a budget -----------------------------------------------------------------------


def test_lead_creates_a_borough_budget_and_lands_on_its_manage_page(signed_in_lead):
    response = _create(signed_in_lead)
    budget = Budget.objects.get(slug="parks-fund")
    assert response.url == _url("budget_manage", budget)
    assert (budget.total_pence, budget.ward_code, budget.phase) == (25_000_00, "", Phase.PROPOSALS)
    assert AuditEntry.objects.filter(object_id=str(budget.pk), operation="create").exists()


def test_lead_creates_one_budget_per_ward_with_its_own_amount(signed_in_lead):
    riverside = AreaFactory(code="E05000001", name="Riverside")
    AreaFactory(code="E05000002", name="Hilltop")
    AreaFactory(code="E05000003", name="Old Town")
    _create(
        signed_in_lead,
        area="wards",
        total="",
        ballot_kind="approval",
        approvals_allowed="2",
        ward_E05000001="5000",
        ward_E05000002="7500.50",
    )
    budgets = {b.ward_code: b for b in Budget.objects.all()}
    assert set(budgets) == {"E05000001", "E05000002"}
    assert budgets[riverside.code].title == "Parks fund: Riverside"
    assert budgets[riverside.code].slug == "parks-fund-e05000001"
    assert budgets["E05000002"].total_pence == 7_500_50
    assert budgets["E05000002"].approvals_allowed == 2


def test_budget_per_ward_needs_an_amount_for_some_ward(signed_in_lead):
    AreaFactory(code="E05000001", name="Riverside")
    response = _create(signed_in_lead, area="wards", total="")
    assert "Enter an amount for at least one ward" in response.text
    assert not Budget.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"total": ""}, "Enter the budget for the whole borough"),
        ({"total": "12.345"}, "Enter an amount to the nearest penny"),
        ({"total": "lots"}, "Enter an amount in pounds"),
        ({"slug": "new"}, "That address is used by another page"),
    ],
)
def test_budget_form_explains_what_is_wrong(signed_in_lead, fields, message):
    response = _create(signed_in_lead, **fields)
    assert response.status_code == 200
    assert message in response.text
    assert not Budget.objects.exists()


def test_budget_address_must_be_unused(signed_in_lead):
    BudgetFactory(slug="parks-fund")
    response = _create(signed_in_lead)
    assert "Another budget already has the address" in response.text
    assert Budget.objects.count() == 1


def test_skipping_proposals_starts_at_review_and_lets_only_the_council_add_projects(
    signed_in_lead, lead, resident
):
    _create(signed_in_lead, skipped_phases=["proposals"])
    budget = Budget.objects.get()
    assert budget.phase == Phase.FEASIBILITY
    services.project_propose(actor=lead, budget=budget, title="T", description="d", cost_pence=1)
    with pytest.raises(services.ParticipationError, match="not taking project ideas"):
        services.project_propose(
            actor=resident, budget=budget, title="T", description="d", cost_pence=1
        )


def test_a_skipped_phase_is_not_offered_when_moving_on(signed_in_lead):
    _create(signed_in_lead, skipped_phases=["feasibility"])
    page = signed_in_lead.get(_url("budget_manage", Budget.objects.get()))
    assert 'value="voting"' in page.text
    assert 'value="feasibility"' not in page.text


def test_only_leads_may_create_budgets(client, resident):
    assert client.get(_url("budget_create")).status_code == 302
    client.force_login(resident)
    assert client.get(_url("budget_create")).status_code == 403
    assert _create(client).status_code == 403
    assert not Budget.objects.exists()


# Proposing projects ----------------------------------------------------------------------


def test_resident_proposes_a_project_during_the_proposals_phase(client, resident):
    budget = BudgetFactory()
    client.force_login(resident)
    assert "Propose a project" in client.get(_url("budget_detail", budget)).text
    response = client.post(
        _url("project_new", budget),
        {"title": "Benches by the river", "description": "Somewhere to rest.", "cost": "1200"},
    )
    assert response.url == _url("budget_detail", budget)
    project = budget.projects.get()
    assert (project.title, project.cost_pence, project.proposer) == (
        "Benches by the river",
        1_200_00,
        resident,
    )


def test_proposing_needs_a_sign_in(client):
    budget = BudgetFactory()
    assert client.get(_url("project_new", budget)).url.startswith(reverse("account_login"))


def test_proposing_is_refused_once_the_proposals_phase_is_over(client, resident):
    budget = BudgetFactory(phase=Phase.VOTING)
    client.force_login(resident)
    assert "Propose a project" not in client.get(_url("budget_detail", budget)).text
    response = client.post(
        _url("project_new", budget), {"title": "T", "description": "d", "cost": "10"}
    )
    assert "not taking project ideas now" in response.text
    assert not budget.projects.exists()


def test_a_project_without_a_cost_is_refused_with_a_message(client, resident):
    budget = BudgetFactory()
    client.force_login(resident)
    response = client.post(_url("project_new", budget), {"title": "T", "description": "d"})
    assert "govuk-error-summary" in response.text
    assert not budget.projects.exists()


# Feasibility review ------------------------------------------------------------------------


def test_lead_marks_a_project_feasible_and_sets_the_council_cost(signed_in_lead):
    project = BudgetProjectFactory(budget=BudgetFactory(phase=Phase.FEASIBILITY))
    signed_in_lead.post(
        _url("budget_manage_act", project.budget, "assess"),
        {"project": project.pk, "feasible": "yes", "cost": "2750.25"},
    )
    project.refresh_from_db()
    assert (project.assessment, project.cost_pence) == (
        BudgetProject.Assessment.FEASIBLE,
        2_750_25,
    )


def test_lead_marks_a_project_not_feasible_only_with_a_reason(signed_in_lead):
    project = BudgetProjectFactory(budget=BudgetFactory(phase=Phase.FEASIBILITY))
    act = _url("budget_manage_act", project.budget, "assess")
    page = signed_in_lead.post(act, {"project": project.pk, "feasible": "no"}, follow=True)
    assert "Say why the project is not feasible" in page.text
    signed_in_lead.post(act, {"project": project.pk, "feasible": "no", "note": "Private land"})
    project.refresh_from_db()
    assert (project.assessment, project.assessment_note) == ("not_feasible", "Private land")


def test_a_review_with_a_cost_that_is_not_money_changes_nothing(signed_in_lead):
    project = BudgetProjectFactory(budget=BudgetFactory(phase=Phase.FEASIBILITY))
    page = signed_in_lead.post(
        _url("budget_manage_act", project.budget, "assess"),
        {"project": project.pk, "feasible": "yes", "cost": "a lot"},
        follow=True,
    )
    assert "enter the cost in pounds" in page.text
    project.refresh_from_db()
    assert (project.assessment, project.cost_pence) == ("pending", 2_000_00)


def test_lead_removes_a_project_before_voting_and_it_leaves_the_budget_page(signed_in_lead, client):
    project = BudgetProjectFactory(budget=BudgetFactory(phase=Phase.FEASIBILITY))
    assert "Remove this project" in signed_in_lead.get(_url("budget_manage", project.budget)).text
    signed_in_lead.post(
        _url("budget_manage_act", project.budget, "remove"), {"project": project.pk}
    )
    assert not BudgetProject.objects.filter(pk=project.pk).exists()
    assert project.title not in client.get(_url("budget_detail", project.budget)).text


def test_projects_cannot_be_removed_once_voting_has_started(lead, signed_in_lead):
    project = BudgetProjectFactory(budget=BudgetFactory(phase=Phase.VOTING))
    assert (
        "Remove this project" not in signed_in_lead.get(_url("budget_manage", project.budget)).text
    )
    with pytest.raises(services.ParticipationError, match="once voting has started"):
        services.project_remove(actor=lead, project=project)
    assert BudgetProject.objects.filter(pk=project.pk).exists()


def test_projects_cannot_be_reviewed_once_voting_has_started(lead):
    project = BudgetProjectFactory(budget=BudgetFactory(phase=Phase.VOTING))
    with pytest.raises(services.ParticipationError, match="once voting has started"):
        services.project_assess(actor=lead, project=project, feasible=True)


# The voter register ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        REGISTER.encode("utf-8"),
        b"\xef\xbb\xbf" + REGISTER.encode("utf-8"),
        REGISTER.replace("Jones", "Ó Súilleabháin").encode("utf-8-sig"),
        REGISTER.replace("Jones", "Müller").encode("cp1252"),
    ],
    ids=["utf-8", "utf-8 with BOM", "Irish names", "windows-1252"],
)
def test_lead_loads_the_register_in_any_usual_encoding(signed_in_lead, content):
    budget = BudgetFactory()
    response = _upload(signed_in_lead, budget, content)
    assert response.url == _url("budget_manage", budget)
    assert budget.voters.count() == 2
    assert AuditEntry.objects.filter(action="participation.voters_import").exists()


def test_a_resident_named_in_a_windows_1252_register_can_verify(signed_in_lead):
    budget = BudgetFactory()
    _upload(signed_in_lead, budget, REGISTER.replace("Jones", "Müller").encode("cp1252"))
    voter = services.voter_verify(
        budget=budget, surname="müller", postcode="NB11AA", date_of_birth="1980-05-01"
    )
    assert voter.budget == budget


def test_register_rows_that_cannot_be_used_are_listed_and_nothing_is_loaded(signed_in_lead):
    budget = BudgetFactory()
    content = REGISTER + ",NB3 3CC,1990-01-01\nSmith,not a postcode,01/02/1990\n"
    page = _upload(signed_in_lead, budget, content.encode())
    assert "Nothing was loaded" in page.text
    assert "Row 4: the surname is empty" in page.text
    assert "Row 5: “not a postcode” is not a postcode; the date of birth “01/02/1990”" in (
        page.text.replace("&#x27;", "'")
    )
    assert not EligibleVoter.objects.exists()


def test_a_register_without_the_needed_columns_says_which_are_missing(signed_in_lead):
    budget = BudgetFactory()
    page = _upload(signed_in_lead, budget, b"name,postcode\nJones,NB1 1AA\n")
    assert "The file needs the columns: date_of_birth, surname" in page.text


def test_a_register_with_headings_in_capitals_is_accepted(signed_in_lead):
    budget = BudgetFactory()
    _upload(signed_in_lead, budget, REGISTER.replace("surname", "Surname ").encode())
    assert budget.voters.count() == 2


def test_a_long_list_of_bad_rows_is_cut_short(lead):
    budget = BudgetFactory()
    bad = "surname,postcode,date_of_birth\n" + "X,NB1 1AA,never\n" * 25
    with pytest.raises(services.VoterFileInvalid) as refusal:
        services.voters_import(actor=lead, budget=budget, csv_text=bad)
    assert len(refusal.value.errors) == 21
    assert "5 more rows" in str(refusal.value.errors[-1])


def test_a_file_that_is_not_text_is_refused(signed_in_lead):
    budget = BudgetFactory()
    page = _upload(signed_in_lead, budget, bytes(range(256)) * 4, name="register.xlsx")
    assert "govuk-error-summary" in page.text
    assert not EligibleVoter.objects.exists()


# Postal codes ----------------------------------------------------------------------------


def test_lead_downloads_postal_codes_once_and_each_lets_one_person_vote(signed_in_lead):
    budget = BudgetFactory()
    response = signed_in_lead.post(_url("budget_codes", budget), {"count": "3"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["code"]
    codes = [row[0] for row in rows[1:]]
    assert len(set(codes)) == 3
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}", c) for c in codes)
    assert services.voter_verify(budget=budget, code=codes[0].lower()).budget == budget
    assert AuditEntry.objects.filter(action="participation.voter_codes_issue").count() == 1


def _check_code(client, budget, code: str, address: str = "192.0.2.1"):
    return client.post(_url("budget_verify", budget), {"code": code}, REMOTE_ADDR=address)


def test_a_code_that_could_never_have_been_issued_is_refused_with_its_format(client, settings):
    settings.TOWNHALL_VOTER_CHECK_FAILURE_RATE = "1/h"
    budget = BudgetFactory()

    page = _check_code(client, budget, "K7QF-3MZP-X9")

    assert "Enter the code from your letter: 12 letters and numbers, like K7QF-3MZP-X9TD" in (
        page.text
    )
    assert _check_code(client, budget, "K7QF-3MZP-X9TD").status_code == 200  # not counted


def test_wrong_codes_from_many_addresses_pause_a_budgets_checks_with_a_429_page(client, settings):
    settings.TOWNHALL_VOTER_CHECK_FAILURE_RATE = "3/h"
    budget = BudgetFactory()
    for number in range(3):
        wrong = _check_code(client, budget, "K7QF-3MZP-X9TD", address=f"192.0.2.{number}")
        assert "We could not match those details" in wrong.text

    paused = _check_code(client, budget, "K7QF-3MZP-X9TD", address="198.51.100.7")

    assert paused.status_code == 429
    assert "we have paused checking them to keep the vote safe" in paused.text
    assert "You have tried this too many times" not in paused.text
    assert "You can try again in" in paused.text
    assert 0 < int(paused.headers["Retry-After"]) <= 3600


def test_postal_codes_need_a_sensible_count(signed_in_lead):
    budget = BudgetFactory()
    page = signed_in_lead.post(_url("budget_codes", budget), {"count": "0"})
    assert "govuk-error-summary" in page.text
    assert not EligibleVoter.objects.exists()


@pytest.mark.parametrize("url_name", ["budget_voters", "budget_codes", "budget_manage"])
def test_only_leads_reach_the_voter_pages(client, resident, url_name):
    budget = BudgetFactory()
    client.force_login(resident)
    assert client.get(_url(url_name, budget)).status_code == 403
    assert client.post(_url(url_name, budget), {"count": "5"}).status_code in (403, 405)
    assert not EligibleVoter.objects.exists()


# Results and delivery --------------------------------------------------------------------


def test_lead_publishes_results_and_records_delivery_from_the_manage_page(
    signed_in_lead, lead, resident
):
    budget = BudgetFactory(phase=Phase.FEASIBILITY)
    project = BudgetProjectFactory(budget=budget, assessment="feasible")
    code = services.voter_codes_issue(actor=lead, budget=budget, count=1)[0]
    signed_in_lead.post(_url("budget_manage_act", budget, "advance"), {"phase": "voting"})
    services.ballot_cast(
        budget=budget,
        voter=services.voter_verify(budget=budget, code=code),
        project_ids=[project.pk],
    )
    signed_in_lead.post(_url("budget_manage_act", budget, "advance"), {"phase": "results"})
    signed_in_lead.post(
        _url("budget_manage_act", budget, "progress"),
        {"project": project.pk, "delivery": "in_progress", "percent": "30"},
    )
    page = signed_in_lead.get(_url("budget_detail", budget))
    assert "Funded" in page.text
    assert "In progress (30%)" in page.text


def test_leads_find_budgets_from_the_manage_consultations_page(signed_in_lead):
    budget = BudgetFactory()
    page = signed_in_lead.get(reverse("participation:manage_list"))
    assert _url("budget_create") in page.text
    assert _url("budget_manage", budget) in page.text


def test_the_budget_pages_are_in_welsh_at_cy(signed_in_lead):
    budget = BudgetFactory(slug="fund")
    assert "Cyllideb gyfranogol newydd" in signed_in_lead.get("/cy/consultations/budgets/new/").text
    page = signed_in_lead.get(f"/cy/consultations/budgets/{budget.slug}/manage/")
    assert "Creu codau i'w postio" in page.text


def test_guessing_postal_codes_at_speed_is_stopped(client, settings):
    settings.TOWNHALL_FORM_RATE = "3/m"
    budget = BudgetFactory(phase=Phase.VOTING)
    url = _url("budget_verify", budget)
    answers = [client.post(url, {"code": f"GUESS{n}"}).status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]


def test_proposing_projects_at_speed_is_stopped(client, resident, settings):
    settings.TOWNHALL_FORM_RATE = "2/m"
    budget = BudgetFactory()
    client.force_login(resident)
    fields = {"title": "T", "description": "d", "cost": "10"}
    answers = [client.post(_url("project_new", budget), fields).status_code for n in range(3)]
    assert answers == [302, 302, 429]
    assert budget.projects.count() == 2


# Opening the vote, the ballot, and officers adding projects (issue #14, item 9) ----------


def test_opening_voting_with_unreviewed_projects_asks_to_confirm_and_names_them(signed_in_lead):
    budget = BudgetFactory(phase=Phase.FEASIBILITY)
    BudgetProjectFactory(budget=budget, title="Benches", assessment="feasible")
    BudgetProjectFactory(budget=budget, title="Skate ramp")
    page = signed_in_lead.post(_url("budget_manage_act", budget, "advance"), {"phase": "voting"})
    assert page.status_code == 200
    assert "Skate ramp" in page.text
    assert "Benches" not in page.text
    assert "will not be on the ballot" in page.text
    budget.refresh_from_db()
    assert budget.phase == Phase.FEASIBILITY
    confirmed = signed_in_lead.post(
        _url("budget_manage_act", budget, "advance"), {"phase": "voting", "confirm": "yes"}
    )
    assert confirmed.url == _url("budget_manage", budget)
    budget.refresh_from_db()
    assert budget.phase == Phase.VOTING


def test_opening_voting_when_every_project_is_reviewed_needs_no_confirmation(signed_in_lead):
    budget = BudgetFactory(phase=Phase.FEASIBILITY)
    BudgetProjectFactory(budget=budget, assessment="feasible")
    response = signed_in_lead.post(
        _url("budget_manage_act", budget, "advance"), {"phase": "voting"}
    )
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.phase == Phase.VOTING


def test_the_confirmation_to_open_voting_is_in_welsh_at_cy(signed_in_lead):
    budget = BudgetFactory(phase=Phase.FEASIBILITY)
    BudgetProjectFactory(budget=budget, title="Skate ramp")
    page = signed_in_lead.post(
        f"/cy/consultations/budgets/{budget.slug}/manage/advance/", {"phase": "voting"}
    )
    assert "Skate ramp" in page.text
    assert "ar y papur pleidleisio" in page.text


def _voter_on_ballot(client, lead, budget):
    code = services.voter_codes_issue(actor=lead, budget=budget, count=1)[0]
    client.post(_url("budget_verify", budget), {"code": code})


def test_the_ballot_shows_each_projects_description_and_what_is_left_to_spend(client, lead):
    budget = BudgetFactory(phase=Phase.VOTING)
    BudgetProjectFactory(
        budget=budget,
        title="Swings",
        description="New swings at Riverside Park.",
        assessment="feasible",
    )
    _voter_on_ballot(client, lead, budget)
    page = client.get(_url("budget_ballot", budget))
    assert "New swings at Riverside Park." in page.text
    assert "£10,000 left to spend" in page.text


def test_checking_the_ballot_shows_the_running_total_and_casts_nothing(client, lead):
    budget = BudgetFactory(phase=Phase.VOTING)
    swings = BudgetProjectFactory(budget=budget, cost_pence=6_000_00, assessment="feasible")
    pond = BudgetProjectFactory(budget=budget, cost_pence=5_000_00, assessment="feasible")
    _voter_on_ballot(client, lead, budget)
    page = client.post(_url("budget_ballot", budget), {"projects": [swings.pk], "check": "yes"})
    assert page.status_code == 200
    assert "You have chosen £6,000" in page.text
    assert "£4,000 left to spend" in page.text
    over = client.post(
        _url("budget_ballot", budget), {"projects": [swings.pk, pond.pk], "check": "yes"}
    )
    assert "£1,000 over the budget" in over.text
    assert not Ballot.objects.exists()


def test_an_officer_adding_a_project_is_not_thanked_as_a_resident(signed_in_lead):
    _create(signed_in_lead, skipped_phases=["proposals"])
    budget = Budget.objects.get()
    response = signed_in_lead.post(
        _url("project_new", budget), {"title": "Benches", "description": "d", "cost": "500"}
    )
    assert response.url == _url("budget_manage", budget)
    page = signed_in_lead.get(response.url)
    assert "Project added: Benches" in page.text
    assert "Your project will be reviewed" not in page.text
