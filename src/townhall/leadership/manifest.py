"""What leadership adds to the platform: who leads digital, the decisions register, the
digital board, the decisions officer, staff tools, a ward panel, open data and demo."""

from django.utils.translation import gettext_lazy as _

from townhall.core import roles
from townhall.core.registry import (
    AccountPanel,
    Action,
    DemoStep,
    Manifest,
    NavigationEntry,
    OpenDataExport,
    Role,
    SearchResource,
    StaffTool,
    WardPanel,
)

DECISIONS_OFFICER = "decisions_officer"
COUNCILLOR_BRIEFING = "leadership.see_councillor_briefing"
ASSESS_MATURITY = "leadership.assess_maturity"


def _ward_panel(ward) -> dict | None:
    from .selectors import recent_decisions_for_ward

    decisions = recent_decisions_for_ward(ward.code)
    return {"decisions": decisions, "ward_code": ward.code} if decisions else None


def _account_panel(person) -> dict | None:
    from townhall.core.permissions import can

    from .selectors import councillor_briefing

    return councillor_briefing() if can(person, COUNCILLOR_BRIEFING) else None


def _selector(name: str):
    """A leadership selector called when used, so the manifest imports no models."""

    def call(*args):
        from . import selectors

        return getattr(selectors, name)(*args)

    return call


def _load_demo(context) -> None:
    from .demo import build_leadership

    build_leadership(context)


def _load_maturity_demo(context) -> None:
    from .demo import build_maturity

    build_maturity(context)


MANIFEST = Manifest(
    app_label="leadership",
    name=_("Digital leadership"),
    description=_(
        "Who leads digital at the council, and the decisions register with its evidence."
    ),
    roles=(
        Role(
            slug=DECISIONS_OFFICER,
            name=_("Decisions officer"),
            description=_(
                "Keeps the register of cabinet, committee and officer decisions and the "
                "evidence each cites (democratic services)"
            ),
            staff=True,
        ),
    ),
    account_panel=AccountPanel(
        template="leadership/account_panel.html", context=_account_panel, order=30
    ),
    ward_panel=WardPanel(template="leadership/ward_panel.html", context=_ward_panel, order=60),
    navigation=(
        NavigationEntry(
            label=_("Digital leadership"),
            url_name="leadership:index",
            order=60,
            description=_(
                "Who leads digital, what the council decided and is about to decide, the "
                "digital board's meetings and how digitally mature the council is."
            ),
            covers=(
                "leadership:leaders",
                "leadership:decision_*",
                "leadership:board_*",
                "leadership:scorecard",
            ),
        ),
    ),
    actions=(
        Action(
            name="leadership.manage_leaders",
            description=_(
                "Keep the list of who leads digital: the cabinet member, the chief digital "
                "officer, champions and board members"
            ),
            roles=(DECISIONS_OFFICER, roles.CHIEF_DIGITAL_OFFICER),
        ),
        Action(
            name="leadership.manage_decisions",
            description=_(
                "Add decisions to the register with their evidence, edit and publish them, "
                "and keep the portfolios"
            ),
            roles=(DECISIONS_OFFICER,),
        ),
        Action(
            name="leadership.manage_board",
            description=_(
                "Keep the digital board's meetings, agendas, papers, minutes and actions, and "
                "see its exempt items"
            ),
            roles=(DECISIONS_OFFICER,),
        ),
        Action(
            name=COUNCILLOR_BRIEFING,
            description=_(
                "See on their account page the decisions coming up and the key decisions of "
                "the past year that cite no data"
            ),
            roles=(roles.COUNCILLOR,),
        ),
        Action(
            name=ASSESS_MATURITY,
            description=_(
                "Load digital maturity frameworks, assess the council against one with "
                "evidence for each answer, and publish the scorecard"
            ),
            roles=(DECISIONS_OFFICER, roles.CHIEF_DIGITAL_OFFICER),
        ),
    ),
    staff_tools=(
        StaffTool(
            label=_("Decisions register"),
            url_name="leadership:manage_decisions",
            action="leadership.manage_decisions",
            description=_("Add decisions with their evidence, and publish them."),
            order=10,
        ),
        StaffTool(
            label=_("Who leads digital"),
            url_name="leadership:manage_leaders",
            action="leadership.manage_leaders",
            description=_(
                "The cabinet member for digital, chief digital officer, champions and board."
            ),
            order=20,
        ),
        StaffTool(
            label=_("Digital board"),
            url_name="leadership:manage_board",
            action="leadership.manage_board",
            description=_("Meetings, agendas, papers, minutes and the action tracker."),
            order=30,
        ),
        StaffTool(
            label=_("Digital maturity"),
            url_name="leadership:manage_maturity",
            action=ASSESS_MATURITY,
            description=_("Assess the council's digital maturity and publish the scorecard."),
            order=40,
        ),
    ),
    search_resources=(
        SearchResource(
            kind="decision",
            label=_("Decisions"),
            model="leadership.Decision",
            items=_selector("searchable_decisions"),
            documents=_selector("decision_search_documents"),
            key_field="public_id",
        ),
    ),
    open_data=(
        OpenDataExport(
            slug="decisions-register",
            title=_("Decisions register"),
            description=_(
                "Every decision the council has published: title in English and Welsh, date, "
                "decision maker, portfolio, key decision, status, wards and whether it cites "
                "data."
            ),
            fields=(
                "id",
                "title",
                "title_cy",
                "decided_on",
                "decision_maker",
                "portfolio",
                "key_decision",
                "status",
                "wards",
                "cites_data",
            ),
            rows=_selector("decisions_rows"),
        ),
    ),
    # A decision's wards and evidence are replaced together on every save: the service
    # records them as one entry (leadership.decision_evidence) rather than row by row.
    unaudited_models=("leadership.decisionward", "leadership.decisionevidence"),
    demo=(
        DemoStep(label="Digital leaders and decisions", run=_load_demo, order=80),
        DemoStep(label="Digital maturity assessments", run=_load_maturity_demo, order=81),
    ),
    urls="townhall.leadership.urls",
    url_prefix="leadership/",
    api_router="townhall.leadership.api.routes",
    api_prefix="",
)
