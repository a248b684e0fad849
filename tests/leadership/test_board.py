"""The digital board: meetings, agendas with exempt items kept from residents, minutes,
actions and their tracker, kept by staff through the services."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.leadership.factories import (
    AgendaItemFactory,
    BoardActionFactory,
    BoardMeetingFactory,
    DecisionFactory,
    LeaderFactory,
)
from townhall.core.models import AuditEntry
from townhall.core.permissions import PermissionDenied
from townhall.leadership import selectors, services
from townhall.leadership.models import AgendaItem, BoardAction

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a board paper\n"


def _paper(name="paper.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def exempt_item(officer):
    meeting = BoardMeetingFactory(slug="2026-06-01")
    return services.agenda_item_create(
        actor=officer,
        meeting=meeting,
        title="Contact centre contract",
        paper_file=_paper("contract.pdf"),
        exempt_paragraph=3,
        minutes="The board agreed the bidder's price of 1.2 million.",
    )


def test_residents_see_an_exempt_items_title_and_paragraph_but_not_its_paper_or_minutes(
    client, resident, exempt_item
):
    client.force_login(resident)

    page = client.get("/leadership/board/2026-06-01/").text
    paper = client.get(f"/leadership/board/2026-06-01/items/{exempt_item.pk}/paper/")

    assert "Contact centre contract" in page
    assert "Exempt: paragraph 3" in page
    assert "1.2 million" not in page
    assert "/paper/" not in page
    assert paper.status_code == 404


def test_the_exempt_paper_is_not_under_the_published_media_folder(exempt_item, settings):
    assert not exempt_item.paper_file.path.startswith(str(settings.MEDIA_ROOT))


def test_staff_who_keep_the_board_see_an_exempt_items_paper_and_minutes(
    client, officer, exempt_item
):
    client.force_login(officer)

    page = client.get("/leadership/board/2026-06-01/").text
    paper = client.get(f"/leadership/board/2026-06-01/items/{exempt_item.pk}/paper/")

    assert "1.2 million" in page
    assert f"/items/{exempt_item.pk}/paper/" in page
    assert paper.status_code == 200
    assert b"".join(paper.streaming_content) == PDF


def test_a_public_items_paper_minutes_and_decision_are_shown_to_everyone(client):
    decision = DecisionFactory(title="Adopt the digital strategy")
    item = AgendaItemFactory(
        meeting=BoardMeetingFactory(slug="2026-06-01"),
        title="Digital strategy",
        paper_url="https://example.org/strategy.pdf",
        minutes="The board recommended the strategy to cabinet.",
        decision=decision,
    )

    page = client.get(f"/leadership/board/{item.meeting.slug}/").text

    assert "https://example.org/strategy.pdf" in page
    assert "recommended the strategy" in page
    assert f"/leadership/decisions/{decision.slug}/" in page


def test_the_meetings_list_shows_upcoming_and_past_meetings(client):
    today = timezone.localdate()
    BoardMeetingFactory(slug="next", meets_on=today + timedelta(days=20), status="scheduled")
    BoardMeetingFactory(slug="last", meets_on=today - timedelta(days=70))

    page = client.get("/leadership/board/").text

    assert page.index("Upcoming meetings") < page.index("/board/next/")
    assert page.index("Past meetings") < page.index("/board/last/")


def test_the_meeting_page_is_in_welsh(client):
    meeting = BoardMeetingFactory(slug="2026-06-01", place="Town Hall", place_cy="Neuadd y Dref")
    AgendaItemFactory(meeting=meeting, title="Budget", title_cy="Cyllideb", exempt_paragraph=1)

    page = client.get("/cy/leadership/board/2026-06-01/").text

    assert "Neuadd y Dref" in page
    assert "Cyllideb" in page
    assert "Eithriedig: paragraff 1" in page
    assert "Agenda" in page


def test_the_tracker_flags_overdue_actions_and_lists_done_ones_with_their_day(client):
    today = timezone.localdate()
    owner = LeaderFactory(name="Anita Shah")
    meeting = BoardMeetingFactory(meets_on=today - timedelta(days=90))
    BoardActionFactory(meeting=meeting, owner=owner, what="Late", due_on=today - timedelta(days=1))
    BoardActionFactory(meeting=meeting, owner=owner, what="Soon", due_on=today + timedelta(days=5))
    BoardActionFactory(
        meeting=meeting,
        owner=owner,
        what="Finished",
        due_on=today - timedelta(days=30),
        status="done",
        done_on=date(2026, 5, 3),
    )

    tracker = selectors.action_tracker()
    page = client.get("/leadership/board/actions/").text

    [(leader, open_actions)] = tracker.open_by_owner
    assert leader == owner
    assert [a.what for a in open_actions] == ["Late", "Soon"]
    assert [a.what for a in tracker.done] == ["Finished"]
    late_row = page[page.index("Late") : page.index("Soon")]
    assert "Overdue" in late_row
    assert "Overdue" not in page[page.index("Soon") : page.index("Finished")]
    assert "3 May 2026" in page


def test_the_tracker_filters_by_owner_and_status_without_javascript(client):
    today = timezone.localdate()
    meeting = BoardMeetingFactory(meets_on=today - timedelta(days=90))
    anita, tom = LeaderFactory(name="Anita Shah"), LeaderFactory(name="Tom Richards")
    BoardActionFactory(
        meeting=meeting, owner=anita, what="Anita's late", due_on=today - timedelta(days=1)
    )
    BoardActionFactory(
        meeting=meeting, owner=anita, what="Anita's soon", due_on=today + timedelta(days=9)
    )
    BoardActionFactory(
        meeting=meeting, owner=tom, what="Tom's late", due_on=today - timedelta(days=2)
    )

    page = client.get(f"/leadership/board/actions/?owner={anita.public_id}&status=overdue").text
    bad = client.get("/leadership/board/actions/?status=lost")

    assert "Anita&#x27;s late" in page
    assert "Anita&#x27;s soon" not in page
    assert "Tom&#x27;s late" not in page
    assert bad.status_code == 400


def test_the_board_is_reached_from_who_leads_digital(client):
    assert "/leadership/board/" in client.get("/leadership/who-leads-digital/").text


@pytest.mark.parametrize("role", ["councillor", "resident", "chief_digital_officer"])
def test_only_people_who_keep_the_board_may_change_it(person, role):
    actor = person(role)
    meeting = BoardMeetingFactory()
    with pytest.raises(PermissionDenied):
        services.board_meeting_create(
            actor=actor, meets_on=date(2026, 9, 1), status="scheduled", place="Town Hall"
        )
    with pytest.raises(PermissionDenied):
        services.agenda_item_create(actor=actor, meeting=meeting, title="Item")
    with pytest.raises(PermissionDenied):
        services.board_action_done(actor=actor, action=BoardActionFactory(meeting=meeting))


@pytest.mark.parametrize("path", ["/leadership/manage/board/", "/leadership/manage/board/new/"])
def test_the_staff_pages_refuse_residents(client, resident, path):
    assert client.get(path).status_code == 302
    client.force_login(resident)
    assert client.get(path).status_code == 403


def test_an_action_needs_an_owner_and_a_due_date_on_or_after_its_meeting(officer):
    meeting = BoardMeetingFactory(meets_on=date(2026, 6, 1))

    with pytest.raises(services.BoardInvalid, match="owns"):
        services.board_action_create(
            actor=officer, meeting=meeting, owner=None, due_on=date(2026, 7, 1), what="Do it"
        )
    with pytest.raises(services.BoardInvalid, match="on or after the day of the meeting"):
        services.board_action_create(
            actor=officer,
            meeting=meeting,
            owner=LeaderFactory(),
            due_on=date(2026, 5, 1),
            what="Do it",
        )
    assert not BoardAction.objects.exists()


def test_a_paper_must_be_a_pdf_given_as_a_file_or_a_link_not_both(officer):
    meeting = BoardMeetingFactory()

    with pytest.raises(services.BoardInvalid, match="must be a PDF"):
        services.agenda_item_create(
            actor=officer, meeting=meeting, title="T", paper_file=_paper("x.pdf", b"MZ\x90")
        )
    with pytest.raises(services.BoardInvalid, match="not both"):
        services.agenda_item_create(
            actor=officer,
            meeting=meeting,
            title="T",
            paper_file=_paper(),
            paper_url="https://example.org/p.pdf",
        )
    assert not AgendaItem.objects.exists()


def test_a_meeting_still_to_come_cannot_have_been_held(officer):
    with pytest.raises(services.BoardInvalid, match="still to come"):
        services.board_meeting_create(
            actor=officer,
            meets_on=timezone.localdate() + timedelta(days=1),
            status="held",
            place="Town Hall",
        )


def test_staff_add_a_meeting_an_item_and_an_action_and_mark_it_done_all_audited(client, officer):
    owner = LeaderFactory(name="Anita Shah")
    today = timezone.localdate()
    client.force_login(officer)

    client.post(
        "/leadership/manage/board/new/",
        {
            "meets_on_day": today.day,
            "meets_on_month": today.month,
            "meets_on_year": today.year,
            "status": "held",
            "place": "Town Hall",
        },
    )
    [meeting] = selectors.board_meetings().past
    base = f"/leadership/manage/board/{meeting.public_id}"
    client.post(
        f"{base}/items/new/",
        {"title": "Strategy", "position": 1, "paper_file": _paper(), "exempt_paragraph": ""},
    )
    client.post(
        f"{base}/actions/new/",
        {
            "what": "Publish the strategy",
            "owner": owner.pk,
            "due_on_day": today.day,
            "due_on_month": today.month,
            "due_on_year": today.year,
        },
    )
    action = BoardAction.objects.get()
    response = client.post(f"/leadership/manage/board/actions/{action.public_id}/done/")

    action.refresh_from_db()
    assert response.status_code == 302
    assert meeting.items.get().paper_file
    assert action.status == "done" and action.done_on == today
    audited = set(AuditEntry.objects.values_list("action", flat=True))
    assert "leadership.board_action_done" in audited
    models = set(AuditEntry.objects.values_list("object_type", flat=True))
    assert {"leadership.boardmeeting", "leadership.agendaitem", "leadership.boardaction"} <= models


def test_an_action_cannot_be_marked_done_twice(officer):
    action = BoardActionFactory(status="done", done_on=date(2026, 6, 20))

    with pytest.raises(services.BoardInvalid, match="already done"):
        services.board_action_done(actor=officer, action=action)


def test_the_staff_pages_for_a_meeting_its_items_and_actions_open(client, officer):
    action = BoardActionFactory(what="Publish the plan")
    item = AgendaItemFactory(meeting=action.meeting, title="Budget", exempt_paragraph=5)
    base = f"/leadership/manage/board/{action.meeting.public_id}"
    client.force_login(officer)

    meeting_page = client.get(f"{base}/").text
    pages = [
        client.get(path)
        for path in (
            "/leadership/manage/board/",
            f"{base}/items/{item.pk}/",
            f"{base}/items/new/",
            f"{base}/actions/new/",
            f"/leadership/manage/board/actions/{action.public_id}/",
        )
    ]

    assert "Exempt: paragraph 5" in meeting_page
    assert "Mark done" in meeting_page
    assert [page.status_code for page in pages] == [200] * 5


def test_the_tracker_and_meetings_list_are_in_welsh(client):
    assert "Camau gweithredu’r bwrdd digidol" in client.get("/cy/leadership/board/actions/").text
    assert "Cyfarfodydd i ddod" in client.get("/cy/leadership/board/").text
