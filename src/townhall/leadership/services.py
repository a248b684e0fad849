"""Every write to leadership: the digital leaders, portfolios and the decisions register.

The rules staff can count on (docs/modules/leadership.md says the same):

- only people whom the gate lets do `leadership.manage_leaders` keep the list of who leads
  digital, and only those allowed `leadership.manage_decisions` keep portfolios and
  decisions;
- text people read is required in English, Welsh is optional; a decision's wards are
  core's wards, its data evidence datasets the open data catalogue has (whole, or a saved
  view or chart of one of their tables, given by its link), and its consultations public
  ones in participation;
- a decision is a draft until it is published; from then on it is public, and open data
  records each dataset it cites (the dataset's page lists it), kept in step on every edit;
- a call-in period ends on or after the day of the decision, and a called-in decision
  says why it was called in;
- only those allowed `leadership.manage_board` keep the digital board's meetings, agenda,
  papers, minutes and actions; a meeting is not held on a day still to come, a paper is a
  PDF or a link (not both), an exempt item names its paragraph of Schedule 12A, and an
  action has an owner among the leaders, falls due on or after its meeting and is done on
  a day between its meeting and today.

Saves reach the audit log through its signals; publishing is recorded as an action.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from townhall.core import audit
from townhall.core.permissions import require
from townhall.core.selectors import geography
from townhall.core.services.search import search_index_update
from townhall.opendata import selectors as opendata_selectors
from townhall.opendata import services as opendata
from townhall.participation import selectors as participation_selectors

from . import maturity
from .models import (
    AgendaItem,
    BoardAction,
    BoardMeeting,
    Decision,
    DecisionEvidence,
    DecisionRevision,
    DecisionWard,
    Leader,
    MaturityAnswer,
    MaturityAssessment,
    MaturityFramework,
    Portfolio,
)
from .selectors import REVISED_FIELDS, SEARCH_KIND

MANAGE_LEADERS = "leadership.manage_leaders"
MANAGE_DECISIONS = "leadership.manage_decisions"
MANAGE_BOARD = "leadership.manage_board"
#: The largest board paper accepted, in bytes.
PAPER_MAX_BYTES = 20 * 1024 * 1024


ASSESS_MATURITY = "leadership.assess_maturity"
#: How open data names this module's citations.
CITED_BY_APP = "leadership"
CHART_FIELDS = ("chart", "x", "period", "top", "agg", "y")


class LeadershipError(Exception):
    """A change leadership refuses; nothing was stored. `code` is stable, `message` for
    people, `field` names the form field to blame, if any."""

    code = "leadership_error"

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class LeaderInvalid(LeadershipError):
    code = "leader_invalid"


class DecisionInvalid(LeadershipError):
    code = "decision_invalid"


class PortfolioInvalid(LeadershipError):
    code = "portfolio_invalid"


class BoardInvalid(LeadershipError):
    code = "board_invalid"


class AssessmentInvalid(LeadershipError):
    code = "assessment_invalid"


def _validated(obj: Any, error: type[LeadershipError], exclude: Iterable[str] = ()) -> None:
    """full_clean() with its first message as `error`, naming the form's field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as problem:
        name, messages = next(iter(problem.message_dict.items()))
        raise error(messages[0], field=name.removesuffix("_en_gb")) from None


def _unique_slug(model: Any, text: str, *, fallback: str) -> str:
    base = (slugify(text) or fallback)[:100]
    slug, number = base, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _set_translated(obj: Any, values: dict[str, str]) -> None:
    """Store `{"title": ..., "title_cy": ...}` in the model's language columns."""
    for name, value in values.items():
        column = name if name.endswith("_cy") else f"{name}_en_gb"
        setattr(obj, column, (value or "").strip())


# Leaders ----------------------------------------------------------------------------------

LEADER_TEXT = ("job_title", "directorate", "remit")


def leader_create(*, actor: Any, **fields: Any) -> Leader:
    """Add someone who leads digital. `fields` are the leader form's: kind, name, email,
    position, and job_title, directorate and remit each with its `_cy` twin."""
    require(actor, MANAGE_LEADERS)
    with transaction.atomic():
        leader = Leader()
        _fill_leader(leader, fields)
        leader.save()
        return leader


def leader_edit(*, actor: Any, leader: Leader, **fields: Any) -> Leader:
    """Change a leader's details (the fields are leader_create's)."""
    require(actor, MANAGE_LEADERS)
    with transaction.atomic():
        leader = Leader.objects.select_for_update().get(pk=leader.pk)
        _fill_leader(leader, fields)
        leader.save()
        return leader


def leader_remove(*, actor: Any, leader: Leader) -> None:
    """Take someone off the list of who leads digital (the audit log keeps the record)."""
    require(actor, MANAGE_LEADERS)
    with transaction.atomic():
        leader.delete()


def _fill_leader(leader: Leader, fields: dict[str, Any]) -> None:
    leader.kind = fields["kind"]
    leader.name = " ".join((fields.get("name") or "").split())
    leader.email = (fields.get("email") or "").strip()
    leader.position = fields.get("position") or 0
    _set_translated(
        leader,
        {name: fields.get(name, "") for base in LEADER_TEXT for name in (base, f"{base}_cy")},
    )
    if leader.kind == Leader.Kind.CHAMPION and not leader.directorate_en_gb:
        raise LeaderInvalid(_("Enter the directorate this person champions"), field="directorate")
    _validated(leader, LeaderInvalid)


# Portfolios -------------------------------------------------------------------------------


def portfolio_create(*, actor: Any, name: str, name_cy: str = "") -> Portfolio:
    """Add a cabinet portfolio decisions can belong to; its address comes from its name."""
    require(actor, MANAGE_DECISIONS)
    with transaction.atomic():
        portfolio = Portfolio()
        _set_translated(portfolio, {"name": name, "name_cy": name_cy})
        if not portfolio.name_en_gb:
            raise PortfolioInvalid(_("Enter the portfolio's name in English"), field="name")
        portfolio.slug = _unique_slug(Portfolio, portfolio.name_en_gb, fallback="portfolio")
        _validated(portfolio, PortfolioInvalid)
        portfolio.save()
        return portfolio


# Decisions --------------------------------------------------------------------------------

DECISION_TEXT = ("title", "summary", "maker_name", "options", "reasons", "call_in")


@dataclass(frozen=True)
class DataCited:
    """A dataset a decision cites: whole, or a resource of it with filters and a chart."""

    dataset_id: str
    resource_id: str = ""
    filters: dict[str, Any] = field(default_factory=dict)
    chart: dict[str, str] = field(default_factory=dict)


def data_from_link(link: str, *, actor: Any) -> DataCited:
    """The dataset, or saved view or chart, that a link to the open data catalogue shows
    (`/data/<dataset>/`, or `/data/<dataset>/<resource>/?col=…&op=…&val=…&chart=…` as the
    preview's "share this view" gives it, in either language).

    Raises DecisionInvalid naming the link when it is not one, or its dataset is not one
    `actor` may see.
    """
    parts = urlsplit(link.strip())
    path = parts.path or "/"
    # A Welsh address resolves only while Welsh is the language: the prefix is the language's.
    with translation.override(translation.get_language_from_path(path)):
        try:
            match = resolve(path)
        except Resolver404:
            match = None
    if (
        match is None
        or match.namespace != "opendata"
        or match.url_name
        not in {
            "dataset",
            "resource",
        }
    ):
        raise DecisionInvalid(
            _("%(link)s is not a link to a dataset or a view of one") % {"link": link},
            field="data",
        )
    dataset = opendata_selectors.dataset_by_id_or_name(match.kwargs["slug"], user=actor)
    if dataset is None:
        raise DecisionInvalid(_("There is no dataset at %(link)s") % {"link": link}, field="data")
    resource_id = match.kwargs.get("resource_id")
    if resource_id and not opendata_selectors.resource_for_reader(
        resource_id, actor, dataset=dataset
    ):
        raise DecisionInvalid(_("There is no table at %(link)s") % {"link": link}, field="data")
    query = parse_qsl(parts.query)
    return DataCited(
        dataset_id=str(dataset.pk),
        resource_id=str(resource_id or ""),
        filters=_filters_from(query),
        chart={name: value for name, value in query if name in CHART_FIELDS and value},
    )


def _filters_from(query: list[tuple[str, str]]) -> dict[str, Any]:
    """The preview's repeated (col, op, val) parameters as open data's filters."""
    columns = [value for name, value in query if name == "col"]
    operators = [value for name, value in query if name == "op"]
    values = [value for name, value in query if name == "val"]
    filters: dict[str, Any] = {}
    for column, operator, value in zip(columns, operators, values, strict=False):
        if column:
            given = value.split(",") if operator == "in" else value
            filters.setdefault(column, {})[operator or "eq"] = given
    return filters


def decision_create(
    *,
    actor: Any,
    portfolio: Portfolio,
    maker: str,
    decided_on: date,
    status: str,
    key_decision: bool = False,
    call_in_ends_on: date | None = None,
    ward_codes: Iterable[str] = (),
    data: Iterable[DataCited] = (),
    consultation_ids: Iterable[str] = (),
    **text: str,
) -> Decision:
    """Add a decision to the register as a draft. `text` holds title, summary, maker_name,
    options, reasons and call_in, each with its `_cy` twin.

    Raises DecisionInvalid for a ward, dataset or consultation that does not exist, a
    call-in period ending before the decision, a called-in decision that does not say
    why, or required text left blank.
    """
    require(actor, MANAGE_DECISIONS)
    with transaction.atomic():
        decision = Decision(published=False)
        _fill_decision(
            decision,
            portfolio=portfolio,
            maker=maker,
            decided_on=decided_on,
            status=status,
            key_decision=key_decision,
            call_in_ends_on=call_in_ends_on,
            text=text,
        )
        decision.slug = _unique_slug(Decision, decision.title_en_gb, fallback="decision")
        decision.save()
        _set_links(actor, decision, ward_codes, data, consultation_ids)
        return decision


def decision_edit(
    *,
    actor: Any,
    decision: Decision,
    portfolio: Portfolio,
    maker: str,
    decided_on: date,
    status: str,
    key_decision: bool = False,
    call_in_ends_on: date | None = None,
    ward_codes: Iterable[str] = (),
    data: Iterable[DataCited] = (),
    consultation_ids: Iterable[str] = (),
    **text: str,
) -> Decision:
    """Change a decision (the arguments are decision_create's); a published decision's
    citations in open data follow its evidence, and what changed is kept as a revision
    its public page shows. Its address stays."""
    require(actor, MANAGE_DECISIONS)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        before = _as_published(decision)
        _fill_decision(
            decision,
            portfolio=portfolio,
            maker=maker,
            decided_on=decided_on,
            status=status,
            key_decision=key_decision,
            call_in_ends_on=call_in_ends_on,
            text=text,
        )
        decision.save()
        _set_links(actor, decision, ward_codes, data, consultation_ids)
        if decision.published:
            _cite_data(decision)
            search_index_update(SEARCH_KIND, decision)
            _keep_revision(decision, before)
        return decision


def decision_publish(*, actor: Any, decision: Decision) -> Decision:
    """Make a draft decision public, and record in open data each dataset it cites.
    Raises DecisionInvalid when it is already published."""
    require(actor, MANAGE_DECISIONS)
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.published:
            raise DecisionInvalid(_("This decision is already published"))
        decision.published = True
        decision.save(update_fields=["published", "updated_at"])
        _cite_data(decision)
        search_index_update(SEARCH_KIND, decision)
        audit.record(
            actor=actor,
            operation="action",
            action="leadership.decision_publish",
            instance=decision,
            before={"published": False},
            after={"published": True},
        )
        return decision


def _fill_decision(
    decision: Decision,
    *,
    portfolio: Portfolio,
    maker: str,
    decided_on: date,
    status: str,
    key_decision: bool,
    call_in_ends_on: date | None,
    text: dict[str, str],
) -> None:
    decision.portfolio = portfolio
    decision.maker = maker
    decision.decided_on = decided_on
    decision.status = status
    decision.key_decision = key_decision
    decision.call_in_ends_on = call_in_ends_on
    _set_translated(
        decision,
        {name: text.get(name, "") for base in DECISION_TEXT for name in (base, f"{base}_cy")},
    )
    if call_in_ends_on and call_in_ends_on < decided_on:
        raise DecisionInvalid(
            _("The call-in period must end on or after the date of the decision"),
            field="call_in_ends_on",
        )
    if status == Decision.Status.CALLED_IN and not decision.call_in_en_gb:
        raise DecisionInvalid(
            _("Say who called the decision in, and why"),
            field="call_in",
        )
    _validated(decision, DecisionInvalid, exclude=["slug"])


def _as_published(decision: Decision) -> dict[str, Any]:
    """What the public reads of a decision, as plain values to compare and keep."""
    values: dict[str, Any] = {}
    for name in REVISED_FIELDS:
        value = getattr(decision, f"{name}_en_gb" if name in DECISION_TEXT else name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    return {**values, **_links(decision)}


def _keep_revision(decision: Decision, before: dict[str, Any]) -> None:
    after = _as_published(decision)
    changes = {
        name: {"before": before[name], "after": after[name]}
        for name in after
        if before[name] != after[name]
    }
    if changes:
        DecisionRevision.objects.create(decision=decision, changes=changes)


def _links(decision: Decision) -> dict[str, list[str]]:
    """The decision's wards and evidence as the audit log records them."""
    return {
        "wards": sorted(decision.wards.values_list("ward_code", flat=True)),
        "evidence": [
            f"{item.kind}:{item.key}" + (f"/{item.resource_id}" if item.resource_id else "")
            for item in decision.evidence.order_by("id")
        ],
    }


def _set_links(
    actor: Any,
    decision: Decision,
    ward_codes: Iterable[str],
    data: Iterable[DataCited],
    consultation_ids: Iterable[str],
) -> None:
    """Replace the decision's wards and evidence, after checking each exists, and record
    the change as one audit entry (the rows themselves are not audited one by one)."""
    codes = sorted(set(ward_codes))
    known = set(geography.wards().filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in known:
            raise DecisionInvalid(_("There is no ward %(code)s") % {"code": code}, field="wards")
    consultations = sorted({str(key) for key in consultation_ids})
    for key in consultations:
        if participation_selectors.consultation_by_public_id(key) is None:
            raise DecisionInvalid(
                _("There is no public consultation %(key)s") % {"key": key},
                field="consultations",
            )
    before = _links(decision)
    decision.wards.all().delete()
    DecisionWard.objects.bulk_create(
        [DecisionWard(decision=decision, ward_code=code) for code in codes]
    )
    decision.evidence.all().delete()
    DecisionEvidence.objects.bulk_create(
        [
            DecisionEvidence(
                decision=decision,
                kind=DecisionEvidence.Kind.DATASET,
                key=item.dataset_id,
                resource_id=item.resource_id,
                filters=item.filters,
                chart=item.chart,
            )
            for item in data
        ]
        + [
            DecisionEvidence(decision=decision, kind=DecisionEvidence.Kind.CONSULTATION, key=key)
            for key in consultations
        ]
    )
    after = _links(decision)
    if after != before:
        audit.record(
            actor=actor,
            operation="action",
            action="leadership.decision_evidence",
            instance=decision,
            before=before,
            after=after,
        )


def _cite_data(decision: Decision) -> None:
    """Make open data's citations by this decision exactly its data evidence."""
    key = str(decision.public_id)
    opendata.evidence_uncite(cited_by_app=CITED_BY_APP, cited_by_key=key)
    url = reverse("leadership:decision_detail", args=[decision.slug])
    for item in decision.evidence.filter(kind=DecisionEvidence.Kind.DATASET):
        try:
            opendata.evidence_cite(
                dataset_id=item.key,
                resource_id=item.resource_id or None,
                filters=item.filters or None,
                chart=item.chart or None,
                cited_by_app=CITED_BY_APP,
                cited_by_key=key,
                cited_by_title=decision.title_en_gb,
                cited_by_url=url,
            )
        except ValidationError as problem:
            raise DecisionInvalid(problem.messages[0], field="data") from None


# The digital board ------------------------------------------------------------------------


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
    if upload.size > PAPER_MAX_BYTES:
        raise BoardInvalid(
            _("The paper must be smaller than %(size)s MB")
            % {"size": PAPER_MAX_BYTES // (1024 * 1024)},
            field="paper_file",
        )
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-" or not upload.name.lower().endswith(".pdf"):
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


# Digital maturity -------------------------------------------------------------------------


def maturity_framework_load(*, actor: Any, data: Any) -> MaturityFramework:
    """Load a framework from its file's parsed JSON (maturity.py describes the format),
    replacing the one with its slug unless an assessment uses that one and this differs.

    Raises AssessmentInvalid naming the field of the first problem; nothing is stored.
    """
    require(actor, ASSESS_MATURITY)
    try:
        definition = maturity.parse_framework(data)
    except maturity.FrameworkInvalid as problem:
        raise AssessmentInvalid(problem.message, field=problem.field) from None
    with transaction.atomic():
        framework = MaturityFramework.objects.select_for_update().filter(
            slug=definition["slug"]
        ).first() or MaturityFramework(slug=definition["slug"])
        if framework.pk and framework.definition == definition:
            return framework
        if framework.pk and framework.assessments.exists():
            raise AssessmentInvalid(
                _(
                    "Assessments use the framework %(slug)s already: give the changed "
                    "framework a new slug"
                )
                % {"slug": definition["slug"]},
                field="slug",
            )
        framework.version = definition["version"]
        framework.definition = definition
        framework.save()
        return framework


def maturity_assessment_start(
    *, actor: Any, framework: MaturityFramework, assessed_on: date
) -> MaturityAssessment:
    """Start a draft assessment of the council on a day, its measured questions scored
    from the platform's data as of that day."""
    require(actor, ASSESS_MATURITY)
    with transaction.atomic():
        assessment = MaturityAssessment.objects.create(framework=framework, assessed_on=assessed_on)
        _measure(assessment)
        return assessment


def maturity_answer(
    *, actor: Any, assessment: MaturityAssessment, question: str, level: int, evidence: str
) -> MaturityAnswer:
    """Give a self-assessed question of a draft assessment its level, with the evidence
    for it. Raises AssessmentInvalid for a published assessment, a question the framework
    does not have or measures itself, a level outside 1 to 5, or no evidence."""
    require(actor, ASSESS_MATURITY)
    with transaction.atomic():
        assessment = MaturityAssessment.objects.select_for_update().get(pk=assessment.pk)
        _draft(assessment)
        found = maturity.questions(assessment.framework.definition).get(question)
        if found is None or "measure" in found:
            raise AssessmentInvalid(
                _("This framework has no self-assessed question %(key)s") % {"key": question},
                field="question",
            )
        if level not in maturity.LEVELS:
            raise AssessmentInvalid(_("Choose a level from 1 to 5"), field="level")
        evidence = (evidence or "").strip()
        if not evidence:
            raise AssessmentInvalid(
                _("Give the evidence for this level: what is in place, and where it is shown"),
                field="evidence",
            )
        answer = MaturityAnswer.objects.filter(assessment=assessment, question=question).first()
        answer = answer or MaturityAnswer(assessment=assessment, question=question)
        answer.level, answer.evidence = level, evidence
        _validated(answer, AssessmentInvalid)
        answer.save()
        return answer


def maturity_assessment_publish(
    *, actor: Any, assessment: MaturityAssessment
) -> MaturityAssessment:
    """Publish a draft once every self-assessed question has an answer, measuring the
    measured ones again as of its day; from then on it is public and never changes.
    Raises AssessmentInvalid naming the first question left unanswered."""
    require(actor, ASSESS_MATURITY)
    with transaction.atomic():
        assessment = MaturityAssessment.objects.select_for_update().get(pk=assessment.pk)
        _draft(assessment)
        answered = set(assessment.answers.values_list("question", flat=True))
        for key, question in maturity.questions(assessment.framework.definition).items():
            if "measure" not in question and key not in answered:
                raise AssessmentInvalid(
                    _("Answer “%(question)s” before publishing")
                    % {"question": maturity.text(question["text"])},
                    field="question",
                )
        _measure(assessment)
        assessment.published = True
        assessment.save(update_fields=["published"])
        audit.record(
            actor=actor,
            operation="action",
            action="leadership.maturity_assessment_publish",
            instance=assessment,
            before={"published": False},
            after={"published": True},
        )
        return assessment


def _draft(assessment: MaturityAssessment) -> None:
    if assessment.published:
        raise AssessmentInvalid(_("This assessment is published and can no longer change"))


def _measure(assessment: MaturityAssessment) -> None:
    """Score the measured questions from the platform's data as of the assessment's day."""
    for key, question in maturity.questions(assessment.framework.definition).items():
        if "measure" not in question:
            continue
        found = maturity.measure(question["measure"], assessment.assessed_on)
        MaturityAnswer.objects.update_or_create(
            assessment=assessment,
            question=key,
            defaults={
                "level": maturity.level_for(found.percent, question["thresholds"]),
                "measured": {"count": found.count, "total": found.total},
                "evidence": "",
            },
        )
