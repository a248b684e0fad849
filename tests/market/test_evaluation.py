"""Evaluation of expressions of interest: published weighted criteria, declarations of
interest, two blind scorers, moderation where they differ, the results table, and every
step in the audit log."""

import pytest
from django.urls import reverse

from tests.market.factories import CriterionFactory, OfficerFactory, ResponseFactory
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.core.services.accounts import account_erase
from townhall.market import selectors
from townhall.market.services import evaluation as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def criteria(challenge):
    return [
        CriterionFactory(challenge=challenge, title="Understanding of the problem", weight=60),
        CriterionFactory(challenge=challenge, title="Use of the council's data", weight=40),
    ]


@pytest.fixture
def response(challenge, supplier):
    return ResponseFactory(challenge=challenge, supplier=supplier)


@pytest.fixture
def scorers(challenge):
    people = [OfficerFactory(), OfficerFactory()]
    for person in people:
        services.interest_declare(actor=person, challenge=challenge, conflict=False)
    return people


def _marks(criteria, *values):
    return {c.pk: (value, "Because") for c, value in zip(criteria, values, strict=True)}


def test_criteria_are_refused_when_their_weights_do_not_add_up_to_100(officer, challenge):
    with pytest.raises(services.EvaluationInvalid, match="add up to 90"):
        services.criteria_set(
            actor=officer,
            challenge=challenge,
            criteria=[{"title": "Price", "weight": 50}, {"title": "Quality", "weight": 40}],
        )

    assert not selectors.published_criteria(challenge).exists()


def test_criteria_are_published_in_order_with_their_weights(officer, challenge):
    services.criteria_set(
        actor=officer,
        challenge=challenge,
        criteria=[
            {"title": "Quality", "title_cy": "Ansawdd", "weight": 70},
            {"title": "Price", "weight": 30},
        ],
    )

    published = selectors.published_criteria(challenge)
    assert [(c.title, c.weight) for c in published] == [("Quality", 70), ("Price", 30)]
    assert AuditEntry.objects.filter(action="market.criteria_set").exists()


def test_criteria_cannot_change_when_scoring_has_begun(challenge, criteria, response, scorers):
    services.response_score(actor=scorers[0], response=response, scores=_marks(criteria, 3, 4))

    with pytest.raises(services.EvaluationInvalid, match="Scoring has begun"):
        services.criteria_set(
            actor=scorers[0], challenge=challenge, criteria=[{"title": "New", "weight": 100}]
        )


def test_a_scorer_cannot_score_when_they_have_not_declared_their_interests(
    officer, criteria, response
):
    with pytest.raises(services.ConflictOfInterest, match="Declare your interests"):
        services.response_score(actor=officer, response=response, scores=_marks(criteria, 3, 3))

    assert not response.scores.exists()


def test_a_scorer_cannot_score_a_challenge_when_they_declared_a_conflict(
    officer, challenge, criteria, response
):
    services.interest_declare(
        actor=officer, challenge=challenge, conflict=True, details="My sister runs a bidder"
    )

    with pytest.raises(services.ConflictOfInterest, match="conflict of interest"):
        services.response_score(actor=officer, response=response, scores=_marks(criteria, 3, 3))

    assert AuditEntry.objects.filter(action="market.interest_declare").exists()


def test_a_declaration_of_conflict_is_refused_when_it_does_not_say_what_the_conflict_is(
    officer, challenge
):
    with pytest.raises(services.EvaluationInvalid, match="Say what"):
        services.interest_declare(actor=officer, challenge=challenge, conflict=True)


def test_a_declaration_stands_once_made(officer, challenge):
    services.interest_declare(actor=officer, challenge=challenge, conflict=False)

    with pytest.raises(services.EvaluationInvalid, match="already declared"):
        services.interest_declare(actor=officer, challenge=challenge, conflict=True, details="x")


def test_a_supplier_cannot_evaluate(supplier, challenge, criteria, response):
    with pytest.raises(PermissionDenied):
        services.interest_declare(actor=supplier.account, challenge=challenge, conflict=False)
    with pytest.raises(PermissionDenied):
        services.response_score(
            actor=supplier.account, response=response, scores=_marks(criteria, 5, 5)
        )


def test_a_score_is_refused_when_a_criterion_is_missing_or_off_the_scale(
    criteria, response, scorers
):
    with pytest.raises(services.EvaluationInvalid, match="from 0 to 5"):
        services.response_score(
            actor=scorers[0], response=response, scores={criteria[0].pk: (6, "Great")}
        )

    assert not response.scores.exists()


def test_a_scorer_does_not_see_the_other_scorers_scores_until_both_have_scored(
    criteria, response, scorers
):
    first, second = scorers
    services.response_score(actor=first, response=response, scores=_marks(criteria, 2, 4))

    assert selectors.scores_visible_to(second, response) == []
    assert {s.scorer for s in selectors.scores_visible_to(first, response)} == {first}
    assert all(
        cell["scores"] == []
        for cell in selectors.evaluation_results(response.challenge)[0]["cells"]
    )

    services.response_score(actor=second, response=response, scores=_marks(criteria, 3, 4))

    assert {s.scorer for s in selectors.scores_visible_to(second, response)} == {first, second}


def test_a_scorer_scores_a_response_once_and_a_third_scorer_is_refused(
    challenge, criteria, response, scorers
):
    services.response_score(actor=scorers[0], response=response, scores=_marks(criteria, 2, 4))
    with pytest.raises(services.EvaluationInvalid, match="already scored"):
        services.response_score(actor=scorers[0], response=response, scores=_marks(criteria, 5, 5))
    services.response_score(actor=scorers[1], response=response, scores=_marks(criteria, 2, 4))
    third = OfficerFactory()
    services.interest_declare(actor=third, challenge=challenge, conflict=False)

    with pytest.raises(services.EvaluationInvalid, match="already has its 2 scorers"):
        services.response_score(actor=third, response=response, scores=_marks(criteria, 1, 1))

    assert response.scores.count() == 4


def test_moderation_is_refused_when_only_one_scorer_has_scored(criteria, response, scorers):
    services.response_score(actor=scorers[0], response=response, scores=_marks(criteria, 2, 4))

    with pytest.raises(services.EvaluationInvalid, match="Both scorers"):
        services.score_moderate(
            actor=scorers[0], response=response, criterion=criteria[0], score=3, reason="Met"
        )


def test_moderation_is_refused_when_the_scorers_agree(criteria, response, scorers):
    for scorer in scorers:
        services.response_score(actor=scorer, response=response, scores=_marks(criteria, 4, 4))

    with pytest.raises(services.EvaluationInvalid, match="nothing to moderate"):
        services.score_moderate(
            actor=scorers[0], response=response, criterion=criteria[0], score=3, reason="Met"
        )


def test_the_results_table_totals_the_agreed_scores_once_differences_are_moderated(
    criteria, response, scorers
):
    services.response_score(actor=scorers[0], response=response, scores=_marks(criteria, 2, 5))
    services.response_score(actor=scorers[1], response=response, scores=_marks(criteria, 4, 5))

    [row] = selectors.evaluation_results(response.challenge)
    assert row["to_moderate"] and row["total"] is None
    assert row["cells"][0]["scores"] == [2, 4]

    with pytest.raises(services.EvaluationInvalid, match="reason"):
        services.score_moderate(
            actor=scorers[0], response=response, criterion=criteria[0], score=3, reason=" "
        )
    services.score_moderate(
        actor=scorers[0],
        response=response,
        criterion=criteria[0],
        score=3,
        reason="Understands the rounds, not the crews",
    )

    [row] = selectors.evaluation_results(response.challenge)
    # 3/5 of 60 plus 5/5 of 40
    assert not row["to_moderate"] and row["total"] == 76.0
    assert AuditEntry.objects.filter(action="market.response_score").count() == 2
    assert AuditEntry.objects.filter(action="market.score_moderate").exists()


# The pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("holder", "status"), [("supplier", 403), ("resident", 403), ("officer", 200)]
)
def test_permission_matrix_of_the_evaluation_pages(
    client, request, challenge, response, holder, status
):
    person = request.getfixturevalue(holder)
    client.force_login(getattr(person, "account", person))

    assert client.get(reverse("market:manage_evaluations")).status_code == status
    url = reverse("market:manage_evaluation", args=[challenge.public_id])
    assert client.get(url).status_code == status
    # the supplier who responded cannot read the scores of its own or any other response
    score_page = reverse("market:manage_score", args=[response.public_id])
    assert client.get(score_page).status_code == status


def test_the_challenge_page_publishes_the_criteria_and_weights(client, challenge, criteria):
    page = client.get(reverse("market:challenge_detail", args=[challenge.slug]))

    assert "Understanding of the problem – 60%" in page.text


def test_an_officer_declares_and_scores_through_the_pages_blind_to_the_other_scorer(
    client, challenge, criteria, response
):
    first, second = OfficerFactory(), OfficerFactory()
    services.interest_declare(actor=first, challenge=challenge, conflict=False)
    services.response_score(
        actor=first,
        response=response,
        scores={c.pk: (1, "The first scorer's secret reason") for c in criteria},
    )
    client.force_login(second)
    assert reverse("market:manage_evaluations") in client.get(reverse("core:workspace")).text

    client.post(reverse("market:manage_declare", args=[challenge.public_id]), {"conflict": "no"})
    score_url = reverse("market:manage_score", args=[response.public_id])
    before = client.get(score_url)
    assert "secret reason" not in before.text
    form = {f"score_{c.pk}": "4" for c in criteria} | {
        f"comment_{c.pk}": "Clear plan" for c in criteria
    }
    after = client.post(score_url, form, follow=True)

    assert "Your scores are recorded" in after.text
    assert "secret reason" in after.text
    assert "Record the agreed score" in after.text


def test_erasing_a_scorer_keeps_their_scores_and_the_agreed_total(criteria, response, scorers):
    services.response_score(actor=scorers[0], response=response, scores=_marks(criteria, 5, 5))
    services.response_score(actor=scorers[1], response=response, scores=_marks(criteria, 5, 5))

    account_erase(user=scorers[0])

    assert response.scores.filter(scorer__isnull=True).count() == 2
    [row] = selectors.evaluation_results(response.challenge)
    assert row["scored_by"] == 2 and row["total"] == 100.0


def test_the_workspace_counts_the_responses_waiting_for_the_officers_score(
    client, criteria, response, scorers
):
    client.force_login(scorers[1])
    assert (
        "1 expression of interest waiting for your score"
        in client.get(reverse("core:workspace")).text
    )

    services.response_score(actor=scorers[1], response=response, scores=_marks(criteria, 3, 3))

    assert "waiting for your score" not in client.get(reverse("core:workspace")).text
