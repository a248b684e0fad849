"""The demo: Northbridge's digital leaders, thirty decisions over two years, most citing
evidence, six board meetings and the demo councillors linked to their wards."""

import pytest

from tests.opendata.factories import DatasetFactory
from tests.participation.factories import ConsultationFactory
from townhall.core.demo import DemoContext
from townhall.core.manifest import _load_northbridge
from townhall.leadership import selectors
from townhall.leadership.demo import (
    DECISIONS,
    build_compared_councils,
    build_leadership,
    build_maturity,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    """The leadership step over the datasets and consultations it cites by slug (made here
    by factories: the open data and participation steps take far longer)."""
    context = DemoContext(size="small")
    context.begin_step("Wards, postcodes and addresses")
    _load_northbridge(context)
    for slug in {slug for decision in DECISIONS for slug in decision[7]}:
        DatasetFactory(slug=slug, published=True)
    for slug in {slug for decision in DECISIONS for slug in decision[8]}:
        ConsultationFactory(slug=slug, closed=True)
    context.begin_step("Digital leaders and decisions")
    build_leadership(context)
    return context


def test_demo_has_a_cabinet_member_a_cdo_and_champions_for_four_directorates(demo):
    groups = dict(selectors.leaders_by_kind())

    assert len(groups["cabinet_member"]) == 1
    assert len(groups["chief_digital_officer"]) == 1
    assert len({leader.directorate for leader in groups["champion"]}) == 4


def test_demo_has_thirty_decisions_over_two_years_most_citing_evidence(demo):
    decisions = list(selectors.public_decisions())
    citing = [d for d in decisions if not selectors.decision_evidence(d).none_cited]

    assert len(decisions) == 30
    assert (decisions[0].decided_on - decisions[-1].decided_on).days > 700
    assert 15 <= len(citing) < 30
    assert selectors.key_decisions_citing_data().percent > 50


def test_demo_runs_again_without_doubling_anything(demo):
    build_leadership(demo)

    assert selectors.public_decisions().count() == 30
    assert selectors.leaders().count() == 7
    assert len(selectors.board_meetings(today=demo.now.date()).past) == 5


def test_demo_has_a_year_of_board_meetings_one_upcoming_with_an_exempt_item_and_actions(demo):
    today = demo.now.date()
    meetings = selectors.board_meetings(today=today)
    tracker = selectors.action_tracker(today=today)
    overdue = selectors.board_actions(status="overdue", today=today)
    exempt = [item for meeting in meetings.past for item in meeting.items.all() if item.exempt]

    assert len(meetings.upcoming) == 1
    assert len(meetings.past) == 5
    assert (meetings.past[0].meets_on - meetings.past[-1].meets_on).days < 365
    assert len(exempt) == 1 and exempt[0].paper_file
    assert selectors.board_actions().count() == 11
    assert overdue.count() >= 2
    assert len(tracker.done) >= 3


def test_demo_publishes_two_maturity_assessments_a_year_apart_showing_progress(demo):
    build_maturity(demo)

    (first, before), (second, after) = selectors.maturity_history()
    assert (second.assessed_on - first.assessed_on).days == 365
    assert after > before
    measured = selectors.scorecard(second).questions()
    [citing] = [question for question in measured if question.key == "decisions-citing-data"]
    assert citing.measured["total"] > 0


def test_demo_compares_four_fictional_neighbours_of_different_types_and_regions(demo):
    build_maturity(demo)

    build_compared_councils(demo)
    build_compared_councils(demo)

    councils = list(selectors.compared_councils())
    assert len(councils) == 4
    assert all(council.name.endswith("(fictional)") for council in councils)
    assert len({council.council_type for council in councils}) == 4
    assert len({council.region for council in councils}) == 3
    assert sum(len(council.scorecards.all()) for council in councils) == 6
    comparison = selectors.scorecard_comparison()
    assert len(comparison.comparable) == 4
    assert [entry.name for entry in comparison.others] == [
        "Ashworth Metropolitan Borough Council (fictional)"
    ]
