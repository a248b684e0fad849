"""The Digital leadership section page: who leads digital, the decisions coming up and
made, the board's next meeting and latest minutes and the scorecard's headline score, each
a click away, in English and Welsh; and the one navigation entry that marks every page of
the section."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.core.test_navigation import current_sections
from tests.leadership.factories import (
    BoardMeetingFactory,
    DecisionFactory,
    LeaderFactory,
    ProjectFactory,
)
from tests.leadership.test_maturity import _answered, framework  # noqa: F401 (a fixture)
from townhall.leadership import services
from townhall.leadership.models import Decision

pytestmark = pytest.mark.django_db


def test_the_page_names_the_cabinet_member_and_chief_digital_officer(client):
    LeaderFactory(kind="cabinet_member", name="Cllr Gareth Price", job_title="Cabinet member")
    LeaderFactory(name="Siân Ellis", job_title="Chief digital officer")
    LeaderFactory(kind="champion", name="Tom Richards")

    page = client.get("/leadership/").text

    assert page.index("Cllr Gareth Price") < page.index("Siân Ellis")
    assert "Tom Richards" not in page
    assert 'href="/leadership/who-leads-digital/"' in page


def test_the_page_lists_decisions_coming_up_and_recently_made(client):
    today = timezone.localdate()
    DecisionFactory(
        title="Close the cash office",
        status=Decision.Status.FORTHCOMING,
        decided_on=today + timedelta(days=10),
    )
    DecisionFactory(title="Adopt the data strategy", decided_on=today - timedelta(days=3))
    DecisionFactory(title="A draft", published=False, decided_on=today)

    page = client.get("/leadership/").text

    coming_up, recent = page.split("Coming up</h3>")[1].split("Recently decided</h3>")
    assert "Close the cash office" in coming_up and "Adopt the data strategy" not in coming_up
    assert "Adopt the data strategy" in recent and "Close the cash office" not in recent
    assert "A draft" not in page
    assert 'href="/leadership/decisions/"' in page


def test_the_page_says_when_there_are_no_decisions_meetings_or_scorecard(client):
    page = client.get("/leadership/").text

    assert "No decisions are listed as coming up." in page
    assert "No decisions are published yet." in page
    assert "No meeting is scheduled." in page
    assert "The board has not met yet." in page
    assert "has not published an assessment" in page


def test_the_page_gives_the_boards_next_meeting_and_latest_minutes(client):
    today = timezone.localdate()
    BoardMeetingFactory(slug="next", meets_on=today + timedelta(days=7), status="scheduled")
    BoardMeetingFactory(slug="later", meets_on=today + timedelta(days=40), status="scheduled")
    BoardMeetingFactory(slug="last", meets_on=today - timedelta(days=20))
    BoardMeetingFactory(slug="before", meets_on=today - timedelta(days=60))

    page = client.get("/leadership/").text

    assert 'href="/leadership/board/next/"' in page
    assert 'href="/leadership/board/later/"' not in page
    assert 'href="/leadership/board/last/">Minutes of the meeting on' in page
    assert 'href="/leadership/board/before/"' not in page


def test_the_page_gives_the_scorecards_headline_score(client, officer, framework):  # noqa: F811
    services.maturity_assessment_publish(
        actor=officer, assessment=_answered(officer, framework, skills=5, authority=3)
    )

    page = client.get("/leadership/").text

    assert "The council scored 58% overall when it was last assessed, on 1 December 2026." in page
    assert 'href="/leadership/scorecard/"' in page


def test_the_page_counts_the_roadmaps_published_projects_by_status_red_first(client):
    ProjectFactory.create_batch(2, rag="green")
    ProjectFactory(rag="red", rag_reason="The supplier went into administration.")
    ProjectFactory(rag="amber", published=False, rag_reason="Late.")

    page = client.get("/leadership/").text

    assert page.index("Red: off track") < page.index("Green: on track")
    assert "Amber: at risk" not in page
    assert ">2 projects<" in page and ">1 project<" in page
    assert 'href="/leadership/strategy/"' in page and 'href="/leadership/roadmap/"' in page


def test_the_page_says_when_no_roadmap_is_published(client):
    assert (
        "The council has not published its digital roadmap yet." in client.get("/leadership/").text
    )


def test_the_page_is_in_welsh(client):
    page = client.get("/cy/leadership/").text

    assert '<h1 class="govuk-heading-xl">Arweinyddiaeth ddigidol</h1>' in page
    assert 'href="/cy/leadership/who-leads-digital/"' in page
    assert "Y bwrdd digidol" in page


def test_one_digital_leadership_entry_replaces_decisions_leaders_and_scorecard(client):
    navigation = client.get("/").text.split('id="navigation"')[1].split("</nav>")[0]

    assert 'href="/leadership/">' in navigation
    for old in ("/leadership/decisions/", "/leadership/scorecard/", "/leadership/who-leads"):
        assert f'href="{old}' not in navigation


@pytest.mark.parametrize(
    "path",
    [
        "/leadership/",
        "/leadership/who-leads-digital/",
        "/leadership/decisions/",
        "/leadership/board/",
        "/leadership/board/actions/",
        "/leadership/scorecard/",
        "/leadership/scorecard/compare/",
        "/leadership/strategy/",
        "/leadership/roadmap/",
    ],
)
def test_the_sections_pages_mark_digital_leadership_as_current(client, path):
    assert current_sections(client.get(path).text) == [("/leadership/", "Digital leadership")]


def test_a_decision_and_a_meeting_mark_digital_leadership_as_current(client):
    decision = DecisionFactory()
    meeting = BoardMeetingFactory()

    for path in (f"/leadership/decisions/{decision.slug}/", f"/leadership/board/{meeting.slug}/"):
        assert current_sections(client.get(path).text) == [
            ("/leadership/", "Digital leadership")
        ], path


def test_a_welsh_page_marks_the_welsh_entry(client):
    assert current_sections(client.get("/cy/leadership/scorecard/").text) == [
        ("/cy/leadership/", "Arweinyddiaeth ddigidol")
    ]
