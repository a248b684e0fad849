"""The demo: Northbridge's library consultation with realistic responses, and an outcome."""

import pytest
from django.db.models import Count

from townhall.core.demo import DemoContext
from townhall.core.manifest import _load_northbridge
from townhall.participation import selectors, services
from townhall.participation.demo import build_participation
from townhall.participation.models import Consultation, Response

pytestmark = pytest.mark.django_db


def _build(size: str = "small") -> DemoContext:
    context = DemoContext(size=size)
    context.begin_step("Wards, postcodes and addresses")
    _load_northbridge(context)
    context.forget()
    context.begin_step("Consultations and responses")
    build_participation(context)
    return context


def test_demo_builds_the_library_consultation_with_responses_across_wards_and_channels():
    _build()
    library = Consultation.objects.get(slug="library-services")
    assert library.state == Consultation.State.OPEN
    responses = Response.objects.filter(consultation=library)
    assert responses.count() == 120
    channels = dict(responses.values_list("channel").annotate(n=Count("pk")))
    assert set(channels) >= {"online", "paper", "phone"}
    assert responses.exclude(ward_code="").values("ward_code").distinct().count() >= 5
    assert responses.filter(respondent__isnull=False).exists()
    assert library.documents.filter(kind="easy_read").exists()
    assert library.documents.filter(kind="welsh").exists()


def test_demo_has_a_published_outcome_and_an_overdue_one():
    _build()
    assert Consultation.objects.get(slug="garden-waste-charges").outcome.we_did
    assert Consultation.objects.get(slug="street-lighting").state == Consultation.State.ANALYSING


def test_demo_runs_again_without_duplicating_and_gives_the_same_data():
    _build()
    first = sorted(Response.objects.values_list("public_id", flat=True))
    _build()
    assert sorted(Response.objects.values_list("public_id", flat=True)) == first


def test_demo_has_a_proposals_process_with_supported_and_answered_proposals():
    from townhall.participation.models import Proposal

    _build()
    proposals = Proposal.objects.filter(process__slug="parks-ideas")
    assert proposals.count() == 8
    assert proposals.filter(support_count__gt=0).exists()
    assert proposals.exclude(council_response="").exists()


def test_demo_has_a_participatory_budget_with_results_and_progress():
    from townhall.participation.models import Budget

    _build()
    budget = Budget.objects.get(slug="neighbourhood-fund")
    assert budget.phase == Budget.Phase.RESULTS
    funded = budget.projects.filter(selected=True)
    assert funded.exists()
    assert sum(project.cost_pence for project in funded) <= budget.total_pence
    assert funded.filter(delivery="done").exists()


def test_demo_library_consultation_is_in_welsh_and_found_by_a_welsh_word(client):
    from townhall.core.languages import lacks_welsh
    from townhall.core.services.search import rebuild_index

    _build()
    rebuild_index()
    library = Consultation.objects.get(slug="library-services")
    assert library.title_cy == "Ailgynllunio gwasanaeth llyfrgell Northbridge"
    html = client.get("/cy/consultations/library-services/").text
    assert "Ailgynllunio gwasanaeth llyfrgell Northbridge" in html
    assert (
        'href="/cy/consultations/library-services/"'
        in client.get("/cy/search/", {"q": "llyfrgell"}).text
    )
    for part, fields in selectors.consultation_text_parts(library):
        assert not lacks_welsh(part, fields), part


def test_demo_has_a_budget_in_voting_that_anyone_can_try_with_a_demo_code():
    from townhall.participation.models import Budget

    _build()
    budget = Budget.objects.get(slug="green-streets-fund")
    assert budget.phase == Budget.Phase.VOTING
    projects = budget.projects.filter(assessment="feasible")
    assert projects.count() >= 5
    assert all(len(project.description) > 40 for project in projects)
    assert all(project.title_cy for project in projects)
    assert sum(p.cost_pence for p in projects) > budget.total_pence
    assert not budget.projects.filter(assessment="pending").exists()
    voter = services.voter_verify(budget=budget, code="DEMO-VOTE-0001")
    services.ballot_cast(budget=budget, voter=voter, project_ids=[projects[0].pk])


def test_demo_library_consultation_names_as_many_libraries_as_the_open_data_lists():
    from townhall.opendata.demo import LIBRARIES as PUBLISHED_LIBRARIES

    _build()
    library = Consultation.objects.get(slug="library-services")
    count = len(PUBLISHED_LIBRARIES)
    english = {4: "four", 5: "five", 6: "six", 7: "seven"}[count]
    welsh = {4: "pedair", 5: "pum", 6: "chwe", 7: "saith"}[count]
    assert f"Our {english} libraries" in library.description
    assert f"Mae ein {welsh} llyfrgell" in library.description_cy
    choices = library.questions.get(text="Which libraries do you use?").choices
    assert sorted(choices) == sorted(PUBLISHED_LIBRARIES)
    for old_name in ("Millbrook Library", "Eastgate", "Llyfrgell Millbrook"):
        assert old_name not in library.description + library.description_cy


def test_demo_comments_and_proposals_are_spread_over_the_process_and_replies_follow():
    from townhall.participation.models import Comment, Proposal, ProposalProcess, Support

    context = _build()
    process = ProposalProcess.objects.get(slug="parks-ideas")
    proposals = Proposal.objects.filter(process=process)
    comments = Comment.objects.filter(proposal__process=process).select_related(
        "parent", "proposal"
    )
    assert comments.count() >= 3
    for times in (
        [proposal.created_at for proposal in proposals],
        [comment.created_at for comment in comments],
        list(
            Support.objects.filter(proposal__process=process).values_list("created_at", flat=True)
        ),
    ):
        assert len(set(times)) > 1
        assert all(process.opens_at <= moment <= context.now for moment in times)
    for comment in comments:
        assert comment.created_at > comment.proposal.created_at
        if comment.parent:
            assert comment.created_at > comment.parent.created_at
    for support in Support.objects.filter(proposal__process=process).select_related("proposal"):
        assert support.created_at >= support.proposal.created_at


def test_demo_consultation_under_analysis_has_responses_within_its_open_period():
    _build()
    lighting = Consultation.objects.get(slug="street-lighting")
    assert lighting.state == Consultation.State.ANALYSING
    responses = Response.objects.filter(consultation=lighting)
    assert responses.count() == 60
    assert all(
        lighting.opens_at <= moment <= lighting.closes_at
        for moment in responses.values_list("submitted_at", flat=True)
    )
    support = lighting.questions.get(text__startswith="Do you support dimming")
    assert support.answers.count() == 60
    assert lighting.title_cy


def test_demo_lead_opens_the_results_of_the_consultation_under_analysis(client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    _build()
    client.force_login(get_user_model().objects.get(email="consultation.lead@example.org"))
    page = client.get(reverse("participation:manage_results", args=["street-lighting"]))
    assert page.status_code == 200
    assert "Do you support dimming street lights between midnight and 5am?" in page.text
    assert "Yes, but not on main roads" in page.text


def test_demo_garden_waste_consultation_asks_about_garden_waste_not_libraries():
    _build()
    garden = Consultation.objects.get(slug="garden-waste-charges")
    texts = list(garden.questions.values_list("text", flat=True))
    assert "Would you pay to have your garden waste collected?" in texts
    assert not any("librar" in text.lower() for text in texts)
    assert Response.objects.filter(consultation=garden).count() == 40
