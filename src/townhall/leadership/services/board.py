"""The digital board: meetings, agenda, papers, minutes and actions."""

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require
from townhall.core.uploads import PdfProblem, pdf_problem

from ..models import (
    AgendaItem,
    BoardAction,
    BoardMeeting,
    Decision,
    Leader,
)
from ._common import (
    MANAGE_BOARD,
    PAPER_MAX_BYTES,
    BoardInvalid,
    _set_translated,
    _unique_slug,
    _validated,
)


def board_meeting_create(
    *, actor: Any, meets_on: date, status: str, place: str, place_cy: str = ""
) -> BoardMeeting:
    """Schedule (or record) a meeting of the digital board; its address is its date."""
    require(actor, MANAGE_BOARD)
    with transaction.atomic():
        meeting = BoardMeeting()
        _fill_meeting(meeting, meets_on=meets_on, status=status, place=place, place_cy=place_cy)
        meeting.slug = _unique_slug(BoardMeeting, meets_on.isoformat(), fallback="meeting")
        meeting.save()
        return meeting


def board_meeting_edit(
    *,
    actor: Any,
    meeting: BoardMeeting,
    meets_on: date,
    status: str,
    place: str,
    place_cy: str = "",
) -> BoardMeeting:
    """Change a meeting's date, place or status (its address stays)."""
    require(actor, MANAGE_BOARD)
    with transaction.atomic():
        meeting = BoardMeeting.objects.select_for_update().get(pk=meeting.pk)
        _fill_meeting(meeting, meets_on=meets_on, status=status, place=place, place_cy=place_cy)
        meeting.save()
        return meeting


def _fill_meeting(
    meeting: BoardMeeting, *, meets_on: date, status: str, place: str, place_cy: str
) -> None:
    meeting.meets_on = meets_on
    meeting.status = status
    _set_translated(meeting, {"place": place, "place_cy": place_cy})
    if status == BoardMeeting.Status.HELD and meets_on > timezone.localdate():
        raise BoardInvalid(
            _("A meeting on a day still to come cannot have been held"), field="status"
        )
    _validated(meeting, BoardInvalid, exclude=["slug"])


def agenda_item_create(
    *,
    actor: Any,
    meeting: BoardMeeting,
    title: str,
    position: int = 1,
    paper_file: UploadedFile | None = None,
    paper_url: str = "",
    exempt_paragraph: int | None = None,
    decision: Decision | None = None,
    **text: str,
) -> AgendaItem:
    """Put an item on a meeting's agenda. `text` holds title_cy, minutes and minutes_cy.

    Raises BoardInvalid for a paper given both as a file and a link, a file that is not a
    PDF or is too large, or an exemption that is not a paragraph of Schedule 12A.
    """
    require(actor, MANAGE_BOARD)
    with transaction.atomic():
        item = AgendaItem(meeting=meeting)
        _fill_item(
            item,
            title=title,
            position=position,
            paper_file=paper_file,
            paper_url=paper_url,
            exempt_paragraph=exempt_paragraph,
            decision=decision,
            text=text,
        )
        item.save()
        return item


def agenda_item_edit(
    *,
    actor: Any,
    item: AgendaItem,
    title: str,
    position: int = 1,
    paper_file: UploadedFile | None = None,
    paper_url: str = "",
    exempt_paragraph: int | None = None,
    decision: Decision | None = None,
    **text: str,
) -> AgendaItem:
    """Change an agenda item or write its minutes (the arguments are agenda_item_create's);
    a new file replaces the paper, none keeps it."""
    require(actor, MANAGE_BOARD)
    with transaction.atomic():
        item = AgendaItem.objects.select_for_update().get(pk=item.pk)
        _fill_item(
            item,
            title=title,
            position=position,
            paper_file=paper_file,
            paper_url=paper_url,
            exempt_paragraph=exempt_paragraph,
            decision=decision,
            text=text,
        )
        item.save()
        return item


def _fill_item(
    item: AgendaItem,
    *,
    title: str,
    position: int,
    paper_file: UploadedFile | None,
    paper_url: str,
    exempt_paragraph: int | None,
    decision: Decision | None,
    text: dict[str, str],
) -> None:
    item.position = position or 1
    item.paper_url = (paper_url or "").strip()
    item.exempt_paragraph = exempt_paragraph or None
    item.decision = decision
    _set_translated(
        item,
        {
            "title": title,
            **{name: text.get(name, "") for name in ("title_cy", "minutes", "minutes_cy")},
        },
    )
    if paper_file is not None:
        _check_paper(paper_file)
        item.paper_file = paper_file
    if item.paper_file and item.paper_url:
        raise BoardInvalid(_("Give the paper as a file or as a link, not both"), field="paper_url")
    if item.exempt_paragraph not in (None, *AgendaItem.Exemption.values):
        raise BoardInvalid(
            _("Choose the paragraph of Schedule 12A that makes the item exempt"),
            field="exempt_paragraph",
        )
    _validated(item, BoardInvalid, exclude=["paper_file"])


def _check_paper(upload: UploadedFile) -> None:
    problem = pdf_problem(upload, max_bytes=PAPER_MAX_BYTES)
    if problem == PdfProblem.TOO_LARGE:
        raise BoardInvalid(
            _("The paper must be smaller than %(size)s MB")
            % {"size": PAPER_MAX_BYTES // (1024 * 1024)},
            field="paper_file",
        )
    if problem == PdfProblem.NOT_PDF:
        raise BoardInvalid(_("The paper must be a PDF"), field="paper_file")


def board_action_create(
    *,
    actor: Any,
    meeting: BoardMeeting,
    owner: Leader,
    due_on: date,
    what: str,
    what_cy: str = "",
) -> BoardAction:
    """Record an action the board set at a meeting: what, whose and by when.

    Raises BoardInvalid for an action without an owner or due before its meeting.
    """
    require(actor, MANAGE_BOARD)
    with transaction.atomic():
        action = BoardAction(meeting=meeting)
        _fill_action(action, owner=owner, due_on=due_on, what=what, what_cy=what_cy)
        action.save()
        return action


def board_action_edit(
    *,
    actor: Any,
    action: BoardAction,
    owner: Leader,
    due_on: date,
    what: str,
    what_cy: str = "",
) -> BoardAction:
    """Change an action's owner, due date or wording (the arguments are
    board_action_create's)."""
    require(actor, MANAGE_BOARD)
    with transaction.atomic():
        action = BoardAction.objects.select_for_update().select_related("meeting").get(pk=action.pk)
        _fill_action(action, owner=owner, due_on=due_on, what=what, what_cy=what_cy)
        action.save()
        return action


def _fill_action(
    action: BoardAction, *, owner: Leader | None, due_on: date, what: str, what_cy: str
) -> None:
    if owner is None:
        raise BoardInvalid(_("Choose who owns the action"), field="owner")
    action.owner = owner
    action.due_on = due_on
    _set_translated(action, {"what": what, "what_cy": what_cy})
    if due_on < action.meeting.meets_on:
        raise BoardInvalid(
            _("The due date must be on or after the day of the meeting"), field="due_on"
        )
    _validated(action, BoardInvalid)


def board_action_done(
    *, actor: Any, action: BoardAction, done_on: date | None = None
) -> BoardAction:
    """Mark an open action done, today unless told the day it was done.

    Raises BoardInvalid when it is done already, or for a day before its meeting or still
    to come.
    """
    require(actor, MANAGE_BOARD)
    done_on = done_on or timezone.localdate()
    with transaction.atomic():
        action = BoardAction.objects.select_for_update().select_related("meeting").get(pk=action.pk)
        if action.status == BoardAction.Status.DONE:
            raise BoardInvalid(_("This action is already done"))
        if done_on > timezone.localdate() or done_on < action.meeting.meets_on:
            raise BoardInvalid(
                _("The day it was done must be between the meeting and today"), field="done_on"
            )
        action.status = BoardAction.Status.DONE
        action.done_on = done_on
        action.save(update_fields=["status", "done_on", "updated_at"])
        audit.record(
            actor=actor,
            operation="action",
            action="leadership.board_action_done",
            instance=action,
            before={"status": BoardAction.Status.OPEN, "done_on": None},
            after={"status": BoardAction.Status.DONE, "done_on": done_on.isoformat()},
        )
        return action
