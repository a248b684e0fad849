"""Reads of leadership: who leads digital, and the decisions register with its evidence.

Other modules (the scorecard, say) call these, never the models.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from townhall.core import roles
from townhall.core.languages import api_fields, in_each_language
from townhall.core.permissions import PermissionDenied, can
from townhall.core.registry import SearchDocument
from townhall.core.selectors import accounts, geography
from townhall.core.selectors.site import council_name, site_settings
from townhall.opendata import selectors as opendata_selectors
from townhall.participation import selectors as participation_selectors

from . import guide, maturity
from .manifest import MANAGE_ROADMAP, SEE_PORTFOLIO
from .models import (
    AgendaItem,
    Benefit,
    BoardAction,
    BoardMeeting,
    ComparedCouncil,
    ComparedScorecard,
    CouncillorAccount,
    Decision,
    DecisionEvidence,
    DecisionWard,
    Leader,
    MaturityAssessment,
    MaturityFramework,
    Objective,
    Portfolio,
    Programme,
    Project,
    Rag,
)

CITED_BY_APP = "leadership"


# Leaders ----------------------------------------------------------------------------------


def leaders() -> QuerySet[Leader]:
    """Everyone who leads digital, in the order staff gave them."""
    return Leader.objects.all()


def leaders_by_kind() -> list[tuple[str, list[Leader]]]:
    """Who leads digital, grouped under each role's plural heading in a fixed order
    (cabinet member, chief digital officer, champions, board); empty roles left out."""
    found = list(leaders())
    return [
        (kind, [leader for leader in found if leader.kind == kind])
        for kind in Leader.Kind.values
        if any(leader.kind == kind for leader in found)
    ]


def leader_by_public_id(public_id: Any) -> Leader | None:
    return Leader.objects.filter(public_id=public_id).first()


# Portfolios -------------------------------------------------------------------------------


def portfolios() -> QuerySet[Portfolio]:
    return Portfolio.objects.select_related("cabinet_member")


def portfolio_by_slug(slug: str) -> Portfolio | None:
    return Portfolio.objects.filter(slug=slug).first()


# Decisions --------------------------------------------------------------------------------


def _with_parts(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    return decisions.select_related("portfolio").prefetch_related(
        Prefetch("wards", queryset=DecisionWard.objects.order_by("ward_code")),
        Prefetch("evidence", queryset=DecisionEvidence.objects.order_by("id")),
    )


def _citing_data() -> Exists:
    return Exists(
        DecisionEvidence.objects.filter(decision=OuterRef("pk"), kind=DecisionEvidence.Kind.DATASET)
    )


def public_decisions(
    *,
    portfolio: Portfolio | None = None,
    maker: str = "",
    ward_code: str = "",
    decided_from: date | None = None,
    decided_to: date | None = None,
) -> QuerySet[Decision]:
    """Published decisions, latest first, each with `cites_data`, optionally of one
    portfolio, kind of decision maker and ward, decided between two days (inclusive)."""
    found = Decision.objects.filter(published=True).annotate(cites_data=_citing_data())
    if portfolio is not None:
        found = found.filter(portfolio=portfolio)
    if maker:
        found = found.filter(maker=maker)
    if ward_code:
        found = found.filter(wards__ward_code=ward_code)
    if decided_from:
        found = found.filter(decided_on__gte=decided_from)
    if decided_to:
        found = found.filter(decided_on__lte=decided_to)
    return _with_parts(found)


def public_decision(slug: str) -> Decision | None:
    """The published decision at this address, or None."""
    return public_decisions().filter(slug=slug).first()


def public_decision_by_id(public_id: Any) -> Decision | None:
    """The published decision with this id, or None."""
    return public_decisions().filter(public_id=public_id).first()


def staff_decisions() -> QuerySet[Decision]:
    """Every decision, drafts included, latest first."""
    return _with_parts(Decision.objects.annotate(cites_data=_citing_data()))


def decision_for_staff(public_id: Any) -> Decision | None:
    return staff_decisions().filter(public_id=public_id).first()


def recent_decisions_for_ward(ward_code: str, *, count: int = 3) -> list[Decision]:
    """The latest published decisions affecting the ward (the ward page's panel)."""
    return list(public_decisions(ward_code=ward_code)[:count])


@dataclass(frozen=True)
class Evidence:
    """What a decision cites, ready to show: `data` as open data's citations_of gives
    them, and `consultations` as (consultation, its published outcome or None)."""

    data: list[dict[str, Any]]
    consultations: list[tuple[Any, Any]]

    @property
    def none_cited(self) -> bool:
        return not self.data and not self.consultations


def decision_evidence(decision: Decision) -> Evidence:
    """The evidence a published decision cites, as the public sees it: datasets taken
    down since are left out, as are consultations no longer public."""
    data = [
        cited
        for cited in opendata_selectors.citations_of(
            cited_by_app=CITED_BY_APP, cited_by_key=str(decision.public_id)
        )
        if cited["published"]
    ]
    consultations = []
    for item in decision.evidence.all():
        if item.kind != DecisionEvidence.Kind.CONSULTATION:
            continue
        consultation = participation_selectors.consultation_by_public_id(item.key)
        if consultation is not None:
            consultations.append((consultation, getattr(consultation, "outcome", None)))
    return Evidence(data=data, consultations=consultations)


#: What a decision's public history compares (what a resident reads of it), in the order
#: its page lists the changes; the text fields are compared in English.
REVISED_FIELDS = (
    "title",
    "summary",
    "maker_name",
    "options",
    "reasons",
    "call_in",
    "status",
    "decided_on",
    "key_decision",
    "call_in_ends_on",
)
HISTORY_ORDER = (*REVISED_FIELDS, "wards", "evidence")
ENGLISH_TEXT = frozenset({"title", "summary", "maker_name", "options", "reasons", "call_in"})


@dataclass(frozen=True)
class Change:
    """One field a revision changed: its label, what it said before, and `lang` "en"
    where that is English text shown on a page in another language."""

    label: str
    before: str
    lang: str = ""

    def __str__(self) -> str:
        return self.label


def decision_history(decision: Decision) -> list[tuple[Any, list[Change]]]:
    """The changes made to a published decision, latest first: (when, [Change]) each."""
    labels = {
        "wards": _("wards affected"),
        "evidence": _("evidence"),
    }

    def label(name: str) -> str:
        return str(labels.get(name) or Decision._meta.get_field(name).verbose_name)

    def shown(name: str, value: Any) -> str:
        if name == "status":
            return str(Decision.Status(value).label)
        if isinstance(value, list):
            return ", ".join(value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return "" if value is None else str(value)

    return [
        (
            revision.changed_at,
            [
                Change(
                    label=label(name),
                    before=shown(name, revision.changes[name]["before"]),
                    lang="en" if name in ENGLISH_TEXT else "",
                )
                for name in HISTORY_ORDER
                if name in revision.changes
            ],
        )
        for revision in decision.revisions.all()
    ]


def data_links(decision: Decision) -> list[str]:
    """The links to the data a decision cites (whole datasets, saved views or charts), as
    staff give them on the decision's form."""
    links = []
    for item in decision.evidence.all():
        if item.kind == DecisionEvidence.Kind.DATASET:
            url = opendata_selectors.saved_view_url(
                dataset_id=item.key,
                resource_id=item.resource_id or None,
                filters=item.filters,
                chart=item.chart,
            )
            if url:
                links.append(url)
    return links


def consultation_keys(decision: Decision) -> list[str]:
    """The public ids of the consultations a decision cites, as its form takes them."""
    return [
        item.key
        for item in decision.evidence.all()
        if item.kind == DecisionEvidence.Kind.CONSULTATION
    ]


def consultation_choices() -> list[tuple[str, str]]:
    """(public id, title) of every public consultation, latest first, for a decision's
    form."""
    return [
        (str(consultation.public_id), consultation.title)
        for consultation in participation_selectors.public_consultations().order_by("-opens_at")
    ]


def ward_choices() -> list[tuple[str, str]]:
    """(code, name) of every ward in the current language."""
    return [(ward.code, geography.area_name(ward)) for ward in geography.wards()]


def ward_names(codes: list[str]) -> list[str]:
    """The names of the wards with these codes, in the current language."""
    names = dict(ward_choices())
    return [names.get(code, code) for code in codes]


@dataclass(frozen=True)
class DataShare:
    """How many of the published key decisions made so far cite data (`cited` of
    `total`); `percent` is None when there are none."""

    cited: int
    total: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.cited / self.total) if self.total else None


MADE_STATUSES = (
    Decision.Status.MADE,
    Decision.Status.CALLED_IN,
    Decision.Status.IN_FORCE,
)


def key_decisions_citing_data(
    *, decided_from: date | None = None, decided_to: date | None = None
) -> DataShare:
    """The share of the published key decisions made (not forthcoming or withdrawn),
    optionally between two days, that cite at least one dataset: the scorecard's measure
    of decisions informed by data."""
    found = Decision.objects.filter(published=True, key_decision=True, status__in=MADE_STATUSES)
    if decided_from:
        found = found.filter(decided_on__gte=decided_from)
    if decided_to:
        found = found.filter(decided_on__lte=decided_to)
    found = found.annotate(cites_data=_citing_data())
    return DataShare(cited=found.filter(cites_data=True).count(), total=found.count())


def councillor_briefing(*, today: date | None = None) -> dict[str, Any]:
    """What a councillor sees on their account page: the published decisions coming up,
    soonest first, and the key decisions made in the past year that cite no data (the
    conversations to have about evidence), with the share of those that do."""
    today = today or timezone.localdate()
    without_data = public_decisions(decided_from=today - timedelta(days=365), decided_to=today)
    return {
        "coming": decisions_coming_up(today=today),
        "without_data": list(
            without_data.filter(key_decision=True, status__in=MADE_STATUSES, cites_data=False)[:5]
        ),
        "share": key_decisions_citing_data(decided_from=today - timedelta(days=365)),
    }


def key_decisions_citing_data_measure(day: date) -> tuple[int, int]:
    """The measure "key_decisions_citing_data": of the key decisions made in the year to
    `day`, how many cite data."""
    share = key_decisions_citing_data(decided_from=day - timedelta(days=365), decided_to=day)
    return share.cited, share.total


def decisions_coming_up(*, today: date | None = None, count: int = 5) -> list[Decision]:
    """The published forthcoming decisions from today on, soonest first."""
    today = today or timezone.localdate()
    coming = public_decisions(decided_from=today).filter(status=Decision.Status.FORTHCOMING)
    return list(coming.order_by("decided_on", "id")[:count])


def decisions_made_recently(*, today: date | None = None, count: int = 3) -> list[Decision]:
    """The latest published decisions made up to today, latest first."""
    today = today or timezone.localdate()
    made = public_decisions(decided_to=today).filter(status__in=MADE_STATUSES)
    return list(made[:count])


SEARCH_KIND = "decision"


def decision_search_documents(decision: Decision) -> list[SearchDocument]:
    """A decision as site search sees it once published (a draft is not found)."""
    if not decision.published:
        return []

    def document(language: str) -> SearchDocument:
        return SearchDocument(
            kind=SEARCH_KIND,
            key=str(decision.public_id),
            url=reverse("leadership:decision_detail", args=[decision.slug]),
            title=decision.title,
            body=f"{decision.summary}\n\n{decision.reasons}",
            summary=decision.summary,
            language=language,
        )

    return in_each_language(decision, ("title", "summary", "reasons"), document)


def searchable_decisions() -> QuerySet[Decision]:
    return Decision.objects.filter(published=True).order_by("pk")


def decisions_rows():
    """Every published decision as open data: no personal data, both languages."""
    for decision in public_decisions():
        yield {
            "id": str(decision.public_id),
            **api_fields(decision, ["title"]),
            "decided_on": decision.decided_on.isoformat(),
            "decision_maker": decision.maker,
            "portfolio": decision.portfolio.name_en_gb,
            "key_decision": decision.key_decision,
            "status": decision.status,
            "wards": " ".join(ward.ward_code for ward in decision.wards.all()),
            "cites_data": decision.cites_data,
        }


# The digital board ------------------------------------------------------------------------


def _with_agenda(meetings: QuerySet[BoardMeeting]) -> QuerySet[BoardMeeting]:
    return meetings.prefetch_related(
        Prefetch("items", queryset=AgendaItem.objects.select_related("decision")),
        Prefetch("actions", queryset=BoardAction.objects.select_related("owner")),
    )


@dataclass(frozen=True)
class Meetings:
    """The board's meetings: `upcoming` soonest first, `past` latest first."""

    upcoming: list[BoardMeeting]
    past: list[BoardMeeting]


def board_meetings(*, today: date | None = None) -> Meetings:
    """Every meeting of the digital board; a scheduled one from today on is upcoming."""
    today = today or timezone.localdate()
    found = list(BoardMeeting.objects.all())
    upcoming = [
        m for m in found if m.status == BoardMeeting.Status.SCHEDULED and m.meets_on >= today
    ]
    return Meetings(
        upcoming=sorted(upcoming, key=lambda m: (m.meets_on, m.pk)),
        past=[m for m in found if m not in upcoming],
    )


def latest_held_meeting() -> BoardMeeting | None:
    """The board's most recent meeting that was held: the one with the latest minutes."""
    return BoardMeeting.objects.filter(status=BoardMeeting.Status.HELD).first()


def board_meeting(slug: str) -> BoardMeeting | None:
    """The meeting at this address with its agenda and actions, or None."""
    return _with_agenda(BoardMeeting.objects.filter(slug=slug)).first()


def board_meeting_by_public_id(public_id: Any) -> BoardMeeting | None:
    return _with_agenda(BoardMeeting.objects.filter(public_id=public_id)).first()


def agenda_item(meeting: BoardMeeting, item_id: Any) -> AgendaItem | None:
    return meeting.items.filter(pk=item_id).first()


def board_action_by_public_id(public_id: Any) -> BoardAction | None:
    return (
        BoardAction.objects.select_related("meeting", "owner").filter(public_id=public_id).first()
    )


ACTION_STATUSES = ("open", "overdue", "done")


def board_actions(
    *, owner: Leader | None = None, status: str = "", today: date | None = None
) -> QuerySet[BoardAction]:
    """The board's actions, soonest due first, optionally of one owner and one of
    ACTION_STATUSES (overdue: open and past its due date)."""
    today = today or timezone.localdate()
    found = BoardAction.objects.select_related("owner", "meeting")
    if owner is not None:
        found = found.filter(owner=owner)
    if status == "open":
        found = found.filter(status=BoardAction.Status.OPEN)
    elif status == "overdue":
        found = found.filter(status=BoardAction.Status.OPEN, due_on__lt=today)
    elif status == "done":
        found = found.filter(status=BoardAction.Status.DONE)
    return found


@dataclass(frozen=True)
class Tracker:
    """The action tracker: open actions grouped by owner (in the leaders' order), and done
    ones, latest done first."""

    open_by_owner: list[tuple[Leader, list[BoardAction]]]
    done: list[BoardAction]


def action_tracker(
    *, owner: Leader | None = None, status: str = "", today: date | None = None
) -> Tracker:
    found = list(board_actions(owner=owner, status=status, today=today))
    open_actions = [a for a in found if a.status == BoardAction.Status.OPEN]
    owners = [leader for leader in leaders() if any(a.owner_id == leader.pk for a in open_actions)]
    return Tracker(
        open_by_owner=[
            (leader, [a for a in open_actions if a.owner_id == leader.pk]) for leader in owners
        ],
        done=sorted(
            (a for a in found if a.status == BoardAction.Status.DONE),
            key=lambda a: (a.done_on, a.pk),
            reverse=True,
        ),
    )


def decision_choices() -> list[tuple[str, str]]:
    """(public id, title) of every decision in the register, for an agenda item's form."""
    return [(str(d.public_id), d.title) for d in Decision.objects.order_by("-decided_on", "-id")]


def decision_by_public_id(public_id: Any) -> Decision | None:
    return Decision.objects.filter(public_id=public_id).first()


# Digital maturity -------------------------------------------------------------------------


def maturity_frameworks() -> QuerySet[MaturityFramework]:
    return MaturityFramework.objects.all()


def maturity_framework_by_slug(slug: str) -> MaturityFramework | None:
    return MaturityFramework.objects.filter(slug=slug).first()


def maturity_assessments() -> QuerySet[MaturityAssessment]:
    """Every assessment, drafts included, latest first (for staff)."""
    return MaturityAssessment.objects.select_related("framework")


def maturity_assessment_for_staff(public_id: Any) -> MaturityAssessment | None:
    return maturity_assessments().filter(public_id=public_id).first()


def published_assessments() -> QuerySet[MaturityAssessment]:
    """The published assessments, latest first: the history of the council's maturity."""
    return maturity_assessments().filter(published=True).prefetch_related("answers")


@dataclass(frozen=True)
class QuestionScore:
    """One question of a scorecard: its framework entry, the level reached (None while a
    draft leaves it unanswered), the answer's evidence or measurement, and its percent."""

    question: dict[str, Any]
    level: int | None
    level_name: str
    evidence: str
    measured: dict[str, int]
    percent: float

    @property
    def key(self) -> str:
        return self.question["key"]

    @property
    def measured_percent(self) -> int | None:
        if not self.measured:
            return None
        return maturity.Measured(**self.measured).percent

    @property
    def text(self) -> str:
        return maturity.text(self.question["text"])

    @property
    def text_lang(self) -> str:
        return "en" if maturity.is_english(self.question["text"]) else ""

    @property
    def descriptor(self) -> str:
        return maturity.text(self.question["levels"][str(self.level)]) if self.level else ""

    @property
    def descriptor_lang(self) -> str:
        english = self.level and maturity.is_english(self.question["levels"][str(self.level)])
        return "en" if english else ""

    @property
    def next_level(self) -> int | None:
        return (self.level or 0) + 1 if (self.level or 0) < maturity.LEVELS[-1] else None


@dataclass(frozen=True)
class SectionScore:
    section: dict[str, Any]
    questions: list[QuestionScore]
    percent: float

    @property
    def name(self) -> str:
        return maturity.text(self.section["name"])

    @property
    def name_lang(self) -> str:
        return "en" if maturity.is_english(self.section["name"]) else ""


@dataclass(frozen=True)
class Scorecard:
    """An assessment scored: per-question percents weighted into sections, sections
    weighted into the total (in the way of the Council Climate Action Scorecards)."""

    assessment: MaturityAssessment
    sections: list[SectionScore]
    total: float

    @property
    def framework(self) -> dict[str, Any]:
        return self.assessment.framework.definition

    def questions(self) -> list[QuestionScore]:
        return [question for section in self.sections for question in section.questions]

    @property
    def framework_name(self) -> str:
        return maturity.text(self.framework["name"])

    def improvements(self, count: int | None = 5) -> list[tuple[QuestionScore, str, str]]:
        """What to do next: (question, the next level's descriptor, "en" when that is
        English on a Welsh page) for the lowest-scoring questions below the top level,
        the heaviest first where scores tie; `count` of them, or all when None."""
        below_top = [
            (question, section.section)
            for section in self.sections
            for question in section.questions
            if question.next_level
        ]
        below_top.sort(
            key=lambda pair: (
                pair[0].percent,
                -pair[0].question["weight"] * pair[1]["weight"],
            )
        )
        improvements = []
        for question, _section in below_top[:count]:
            descriptor = question.question["levels"][str(question.next_level)]
            lang = "en" if maturity.is_english(descriptor) else ""
            improvements.append((question, maturity.text(descriptor), lang))
        return improvements


def scorecard(assessment: MaturityAssessment) -> Scorecard:
    """The scores of an assessment's answers against its framework."""
    answers = {answer.question: answer for answer in assessment.answers.all()}
    names = {
        item["level"]: maturity.text(item["name"])
        for item in assessment.framework.definition["levels"]
    }
    sections = []
    for section in assessment.framework.definition["sections"]:
        scored = []
        for question in section["questions"]:
            answer = answers.get(question["key"])
            level = answer.level if answer else None
            scored.append(
                QuestionScore(
                    question=question,
                    level=level,
                    level_name=names.get(level, ""),
                    evidence=answer.evidence if answer else "",
                    measured=answer.measured if answer else {},
                    percent=maturity.percent_of_level(level),
                )
            )
        percent = maturity.weighted([(item.percent, item.question["weight"]) for item in scored])
        sections.append(SectionScore(section=section, questions=scored, percent=percent))
    total = maturity.weighted([(item.percent, item.section["weight"]) for item in sections])
    return Scorecard(assessment=assessment, sections=sections, total=total)


def public_scorecard() -> Scorecard | None:
    """The latest published assessment scored, or None before the first is published."""
    latest = published_assessments().first()
    return scorecard(latest) if latest else None


def maturity_history() -> list[tuple[MaturityAssessment, float]]:
    """Each published assessment, oldest first, with its total percent."""
    return [
        (assessment, scorecard(assessment).total)
        for assessment in list(published_assessments())[::-1]
    ]


# Other councils' scorecards, compared with ours (ADR 0098) ----------------------------------

COUNCIL_TYPES = ComparedCouncil.Type
REGIONS = ComparedCouncil.Region
#: How the comparison may be sorted: highest total first, or by name.
COMPARISON_SORTS = ("total", "name")


def compared_councils() -> QuerySet[ComparedCouncil]:
    """Every council whose scorecard was imported, by name, with its scorecards."""
    return ComparedCouncil.objects.prefetch_related("scorecards")


def compared_council(gss_code: str) -> ComparedCouncil | None:
    return ComparedCouncil.objects.filter(gss_code=gss_code).first()


def our_council_profile() -> dict[str, str | None]:
    """This council as its scorecard names it: name, ONS code, type and region (the
    type and region from the TOWNHALL_COUNCIL_TYPE and TOWNHALL_COUNCIL_REGION settings,
    None when not set or not one of the choices)."""
    council_type = settings.TOWNHALL_COUNCIL_TYPE
    region = settings.TOWNHALL_COUNCIL_REGION
    return {
        "council": council_name(),
        "council_code": site_settings().local_authority_code or None,
        "council_type": council_type if council_type in COUNCIL_TYPES.values else None,
        "region": region if region in REGIONS.values else None,
    }


@dataclass(frozen=True)
class ComparedEntry:
    """One council's latest scorecard in a comparison: its total, each area's percent and
    each question's level by key, and whether its framework is ours (same slug and
    version), so that its areas and questions compare with ours."""

    name: str
    gss_code: str
    council_type: str
    region: str
    assessed_on: date
    total: float
    framework: dict[str, str]
    sections: dict[str, float]
    levels: dict[str, int]
    ours: bool
    comparable: bool
    history: list[tuple[date, float]]

    @property
    def type_label(self) -> str:
        return str(COUNCIL_TYPES(self.council_type).label) if self.council_type else ""

    @property
    def region_label(self) -> str:
        return str(REGIONS(self.region).label) if self.region else ""

    @property
    def _framework_names(self) -> dict[str, str]:
        return {"en": self.framework["name"], "cy": self.framework.get("name_cy", "")}

    @property
    def framework_name(self) -> str:
        return maturity.text(self._framework_names)

    @property
    def framework_name_lang(self) -> str:
        return "en" if maturity.is_english(self._framework_names) else ""


@dataclass(frozen=True)
class Comparison:
    """Our latest scorecard beside the imported ones that pass the filters, sorted."""

    ours: "Scorecard | None"
    entries: list[ComparedEntry]
    council_type: str
    region: str
    sort: str

    @property
    def comparable(self) -> list[ComparedEntry]:
        return [entry for entry in self.entries if entry.comparable]

    @property
    def others(self) -> list[ComparedEntry]:
        """Councils scored against another framework: only their totals compare."""
        if self.ours is None:
            return []
        return [entry for entry in self.entries if not entry.comparable]

    def section_rows(self) -> list[tuple["SectionScore", list[tuple[ComparedEntry, float]]]]:
        """Each of our areas with every comparable council's percent for it."""
        if self.ours is None:
            return []
        return [
            (
                section,
                [
                    (entry, entry.sections.get(section.section["key"], 0.0))
                    for entry in self.comparable
                ],
            )
            for section in self.ours.sections
        ]

    def question_rows(
        self,
    ) -> list[tuple["SectionScore", list[tuple["QuestionScore", list[int | None]]]]]:
        """Each of our areas, its questions, and every comparable council's level."""
        if self.ours is None:
            return []
        return [
            (
                section,
                [
                    (question, [entry.levels.get(question.key) for entry in self.comparable])
                    for question in section.questions
                ],
            )
            for section in self.ours.sections
        ]

    def average_sections(self) -> list[float]:
        """The mean percent of each of our areas across the other comparable councils."""
        others = [entry for entry in self.comparable if not entry.ours]
        if self.ours is None or not others:
            return []
        return [
            sum(entry.sections.get(section.section["key"], 0.0) for entry in others) / len(others)
            for section in self.ours.sections
        ]


def _our_entry(card: "Scorecard") -> ComparedEntry:
    profile = our_council_profile()
    framework = card.framework
    return ComparedEntry(
        name=str(profile["council"]),
        gss_code=profile["council_code"] or "",
        council_type=profile["council_type"] or "",
        region=profile["region"] or "",
        assessed_on=card.assessment.assessed_on,
        total=card.total,
        framework={
            "slug": framework["slug"],
            "version": framework["version"],
            "name": framework["name"]["en"],
            "name_cy": framework["name"].get("cy", ""),
        },
        sections={section.section["key"]: section.percent for section in card.sections},
        levels={question.key: question.level for question in card.questions() if question.level},
        ours=True,
        comparable=True,
        history=[(assessment.assessed_on, total) for assessment, total in maturity_history()],
    )


def _imported_entry(
    council: ComparedCouncil, scorecards: list[ComparedScorecard], ours: "Scorecard | None"
) -> ComparedEntry:
    latest = scorecards[0]
    data = latest.data
    framework = data["framework"]
    return ComparedEntry(
        name=council.name,
        gss_code=council.gss_code,
        council_type=council.council_type,
        region=council.region,
        assessed_on=latest.assessed_on,
        total=latest.total,
        framework={key: framework.get(key, "") for key in ("slug", "version", "name", "name_cy")},
        sections={section["key"]: section["percent"] for section in data["sections"]},
        levels={
            question["key"]: question["level"]
            for section in data["sections"]
            for question in section["questions"]
        },
        ours=False,
        comparable=ours is not None
        and (latest.framework_slug, latest.framework_version)
        == (ours.framework["slug"], ours.framework["version"]),
        history=[(scorecard.assessed_on, scorecard.total) for scorecard in scorecards[::-1]],
    )


def scorecard_comparison(
    *, council_type: str = "", region: str = "", sort: str = "total"
) -> Comparison:
    """Our latest published scorecard (always shown) beside each imported council's
    latest, of the type and in the region given ("" for any), sorted by `sort` (one of
    COMPARISON_SORTS): highest total first, or by name."""
    ours = public_scorecard()
    councils = compared_councils()
    if council_type:
        councils = councils.filter(council_type=council_type)
    if region:
        councils = councils.filter(region=region)
    entries = [
        _imported_entry(council, list(council.scorecards.all()), ours)
        for council in councils
        if council.scorecards.all()
    ]
    if ours is not None:
        entries.append(_our_entry(ours))
    if sort == "name":
        entries.sort(key=lambda entry: entry.name.casefold())
    else:
        entries.sort(key=lambda entry: (-entry.total, entry.name.casefold()))
    return Comparison(
        ours=ours, entries=entries, council_type=council_type, region=region, sort=sort
    )


# Strategy and roadmap ---------------------------------------------------------------------


def _with_project_parts(projects: QuerySet[Project]) -> QuerySet[Project]:
    return projects.select_related(
        "programme__objective__portfolio", "programme__objective__owner"
    ).prefetch_related("benefits", "services", "statuses")


def public_projects() -> QuerySet[Project]:
    """The published projects, soonest start first, with their programme, objective,
    benefits, services and RAG history."""
    return _with_project_parts(Project.objects.filter(published=True))


def public_project_statuses() -> list[tuple[str, str, int]]:
    """How many published projects are at each RAG status, red first, as (status, its
    label, count); statuses no project is at are left out."""
    counts = dict(
        Project.objects.filter(published=True)
        .order_by()
        .values_list("rag")
        .annotate(count=Count("id"))
        .values_list("rag", "count")
    )
    return [(rag, label, counts[rag]) for rag, label in reversed(Rag.choices) if counts.get(rag)]


def staff_projects() -> QuerySet[Project]:
    """Every project, drafts included."""
    return _with_project_parts(Project.objects.all())


def project_for_staff(public_id: Any) -> Project | None:
    return staff_projects().filter(public_id=public_id).first()


def project_for(person: Any, slug: str) -> Project | None:
    """The project at this address as `person` may see it: published, or a draft to
    those who keep the roadmap and to the cabinet member of its portfolio; else None."""
    project = staff_projects().filter(slug=slug).first()
    if project is None or project.published:
        return project
    if can(person, MANAGE_ROADMAP):
        return project
    portfolio = project.programme.objective.portfolio
    return project if can(person, SEE_PORTFOLIO, portfolio) else None


def objectives() -> QuerySet[Objective]:
    return Objective.objects.select_related("portfolio", "owner")


def objective_by_public_id(public_id: Any) -> Objective | None:
    return objectives().filter(public_id=public_id).first()


def programmes() -> QuerySet[Programme]:
    return Programme.objects.select_related("objective")


def programme_by_public_id(public_id: Any) -> Programme | None:
    return programmes().filter(public_id=public_id).first()


def benefit_by_public_id(public_id: Any) -> Benefit | None:
    return Benefit.objects.select_related("project").filter(public_id=public_id).first()


@dataclass(frozen=True)
class Area:
    """One of the guide's six areas with the strategy's objectives in it; each objective
    has `shown_programmes`, each with `shown_projects` (published ones, for the public)."""

    key: str
    name: dict[str, str]
    objectives: list[Objective]

    @property
    def title(self) -> str:
        return maturity.text(self.name)

    @property
    def title_lang(self) -> str:
        return "en" if maturity.is_english(self.name) else ""


def strategy(*, drafts: bool = False) -> list[Area]:
    """The strategy: every one of the guide's six areas, in the guide's order, with its
    objectives, their programmes and (published, unless `drafts`) projects."""
    projects = staff_projects() if drafts else public_projects()
    found = list(
        objectives().prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.order_by("title", "id")),
            Prefetch(
                "programmes__projects",
                queryset=projects.order_by("starts_on", "id"),
                to_attr="shown_projects",
            ),
        )
    )
    return [
        Area(key=key, name=name, objectives=[item for item in found if item.area == key])
        for key, name in maturity.guide_areas()
    ]


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter of the roadmap and the projects running in it: (project, starts
    in it, ends in it) each."""

    starts_on: date
    ends_on: date
    projects: list[tuple[Project, bool, bool]]


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _next_quarter(day: date) -> date:
    return date(day.year + (day.month > 9), (day.month + 2) % 12 + 1, 1)


#: The most quarters the timeline shows, so that a project planned decades ahead cannot
#: make the page endless.
MAX_QUARTERS = 16


def roadmap(*, today: date | None = None) -> list[Quarter]:
    """The published projects by calendar quarter, from the quarter before this one to
    the last in which a project runs (at most MAX_QUARTERS): each quarter lists the
    projects running in it, marking those that start or end there."""
    today = today or timezone.localdate()
    found = list(public_projects().exclude(stage=Project.Stage.RETIRED))
    if not found:
        return []
    start = _quarter_start(date(today.year, today.month, 1) - timedelta(days=80))
    start = max(start, _quarter_start(min(project.starts_on for project in found)))
    last = max(project.ends_on for project in found)
    quarters = []
    while start <= last and len(quarters) < MAX_QUARTERS:
        following = _next_quarter(start)
        end = following - timedelta(days=1)
        running = [
            (project, project.starts_on >= start, project.ends_on <= end)
            for project in found
            if project.starts_on <= end and project.ends_on >= start
        ]
        if running:
            quarters.append(Quarter(starts_on=start, ends_on=end, projects=running))
        start = following
    return quarters


RAG_ORDER = {"red": 0, "amber": 1, "green": 2}


def portfolio_of(person: Any) -> Portfolio | None:
    """The portfolio whose cabinet member's account is `person`'s, or None."""
    if not getattr(person, "is_authenticated", False):
        return None
    return Portfolio.objects.filter(cabinet_member=person).order_by("id").first()


@dataclass(frozen=True)
class PortfolioDashboard:
    """What a cabinet member sees of their portfolio: its projects (drafts included),
    reds first, the budget approved and spent across them, the benefits behind target,
    the decisions coming up in the portfolio and the board actions overdue of the
    leaders who own its objectives."""

    portfolio: Portfolio
    projects: list[Project]
    approved_pence: int
    spent_pence: int
    behind: list[Benefit]
    coming: list[Decision]
    overdue: list[BoardAction]

    @property
    def spent_percent(self) -> int | None:
        if not self.approved_pence:
            return None
        return round(100 * self.spent_pence / self.approved_pence)

    def count(self, rag: str) -> int:
        return sum(project.rag == rag for project in self.projects)

    @property
    def red(self) -> int:
        return self.count("red")

    @property
    def amber(self) -> int:
        return self.count("amber")

    @property
    def green(self) -> int:
        return self.count("green")


def portfolio_dashboard(
    portfolio: Portfolio, *, viewer: Any, today: date | None = None
) -> PortfolioDashboard:
    """The dashboard of a portfolio for its cabinet member (or anyone who keeps the
    roadmap). Raises PermissionDenied for anyone else."""
    if not (can(viewer, SEE_PORTFOLIO, portfolio) or can(viewer, MANAGE_ROADMAP)):
        raise PermissionDenied(SEE_PORTFOLIO)
    today = today or timezone.localdate()
    projects = sorted(
        staff_projects().filter(programme__objective__portfolio=portfolio),
        key=lambda project: (RAG_ORDER[project.rag], project.ends_on, project.pk),
    )
    live = [project for project in projects if project.stage != Project.Stage.RETIRED]
    owners = Objective.objects.filter(portfolio=portfolio, owner__isnull=False).values("owner")
    return PortfolioDashboard(
        portfolio=portfolio,
        projects=projects,
        approved_pence=sum(project.budget_approved_pence for project in live),
        spent_pence=sum(project.budget_spent_pence for project in live),
        behind=[
            benefit for project in projects for benefit in project.benefits.all() if benefit.behind
        ],
        coming=list(
            public_decisions(portfolio=portfolio, decided_from=today)
            .filter(status=Decision.Status.FORTHCOMING)
            .order_by("decided_on", "id")[:5]
        ),
        overdue=list(board_actions(status="overdue", today=today).filter(owner__in=owners)),
    )


def roadmap_rows():
    """Every published project as open data: no personal data, both languages, money in
    pence."""
    for project in public_projects():
        objective = project.programme.objective
        benefits = list(project.benefits.all())
        yield {
            "id": str(project.public_id),
            **api_fields(project, ["title"]),
            "programme": project.programme.title_en_gb,
            "objective": objective.title_en_gb,
            "area": objective.area,
            "portfolio": objective.portfolio.name_en_gb,
            "stage": project.stage,
            "rag": project.rag,
            "starts_on": project.starts_on.isoformat(),
            "ends_on": project.ends_on.isoformat(),
            "budget_approved_pence": project.budget_approved_pence,
            "budget_spent_pence": project.budget_spent_pence,
            "benefits": len(benefits),
            "benefits_behind": sum(benefit.behind for benefit in benefits),
            "last_updated": project.updated_at.date().isoformat(),
        }


def councillor_choices() -> list[tuple[str, str]]:
    """(public id, "name (email)") of every active councillor's account, for linking a
    portfolio to its cabinet member."""
    return [
        (str(person.public_id), f"{person.display_name} ({person.email})")
        for person in accounts.people_for_staff(role=roles.COUNCILLOR).filter(is_active=True)
    ]


def person_by_public_id(public_id: Any) -> Any:
    return accounts.person_by_public_id(public_id)


# The councillor's home -----------------------------------------------------------------


def _elections() -> Any:
    """Elections' public selectors, or None when elections is not installed."""
    if not apps.is_installed("townhall.elections"):
        return None
    from townhall.elections import selectors as elections_selectors

    return elections_selectors


def serving_councillor(councillor_id: int) -> Any:
    """Elections' councillor with this id if serving today, or None (also when elections
    is not installed)."""
    elections = _elections()
    return elections.councillors().filter(pk=councillor_id).first() if elections else None


def councillor_accounts() -> list[tuple[Any, Any]]:
    """Every councillor serving today, by ward, with the account linked to them (None when
    there is none); empty when elections is not installed."""
    elections = _elections()
    if elections is None:
        return []
    links = {
        link.councillor_id: link.user for link in CouncillorAccount.objects.select_related("user")
    }
    return [(councillor, links.get(councillor.pk)) for councillor in elections.councillors()]


def councillor_of(person: Any) -> Any:
    """The serving councillor whose account is `person`'s, or None."""
    if not getattr(person, "is_authenticated", False):
        return None
    link = CouncillorAccount.objects.filter(user=person).first()
    return serving_councillor(link.councillor_id) if link else None


@dataclass(frozen=True)
class CouncillorHome:
    """What a councillor sees on their home: the decisions coming up in the portfolio they
    hold (if any) and across the council, their ward with what the modules show on the
    ward's page, and the digital guide's checklist."""

    portfolio: Portfolio | None
    portfolio_coming: list[Decision]
    coming: list[Decision]
    councillor: Any
    ward: Any
    ward_panels: list[dict]
    guide: list[guide.GuideItem]


def councillor_home(person: Any, *, today: date | None = None) -> CouncillorHome:
    today = today or timezone.localdate()
    portfolio = portfolio_of(person)
    portfolio_coming = []
    if portfolio is not None:
        forthcoming = public_decisions(portfolio=portfolio, decided_from=today).filter(
            status=Decision.Status.FORTHCOMING
        )
        portfolio_coming = list(forthcoming.order_by("decided_on", "id")[:5])
    councillor = councillor_of(person)
    ward = geography.area_by_code(councillor.ward_code) if councillor else None
    return CouncillorHome(
        portfolio=portfolio,
        portfolio_coming=portfolio_coming,
        coming=decisions_coming_up(today=today),
        councillor=councillor,
        ward=ward,
        ward_panels=geography.ward_panels(ward) if ward else [],
        guide=guide.checklist(today=today),
    )
