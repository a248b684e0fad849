"""What leadership adds to the platform: who leads digital, the decisions register, the
digital board, the decisions officer, staff tools, a ward panel, open data and demo."""

from django.utils.translation import gettext_lazy as _

from townhall.core import roles
from townhall.core.registry import (
    AccountPanel,
    Action,
    DemoStep,
    Erasure,
    Manifest,
    Measure,
    NavigationEntry,
    OpenDataExport,
    PersonalRecords,
    Role,
    SearchResource,
    StaffTool,
    WardPanel,
)

DECISIONS_OFFICER = "decisions_officer"
COUNCILLOR_BRIEFING = "leadership.see_councillor_briefing"
ASSESS_MATURITY = "leadership.assess_maturity"
MANAGE_ROADMAP = "leadership.manage_roadmap"
SEE_PORTFOLIO = "leadership.see_portfolio_dashboard"


def _ward_panel(ward) -> dict | None:
    from .selectors import recent_decisions_for_ward

    decisions = recent_decisions_for_ward(ward.code)
    return {"decisions": decisions, "ward_code": ward.code} if decisions else None


def _account_panel(person) -> dict | None:
    """The dashboard of the portfolio the person holds as cabinet member, or else, for
    a councillor, the council-wide briefing; a councillor's links to their home."""
    from townhall.core.permissions import can

    from .selectors import councillor_briefing, portfolio_dashboard, portfolio_of

    councillor = can(person, COUNCILLOR_BRIEFING)
    portfolio = portfolio_of(person)
    if portfolio is not None and can(person, SEE_PORTFOLIO, portfolio):
        return {
            "dashboard": portfolio_dashboard(portfolio, viewer=person),
            "councillor": councillor,
        }
    return councillor_briefing() | {"councillor": True} if councillor else None


def _holds_portfolio(person, portfolio) -> bool:
    """The dashboard's object check: the portfolio is the person's own."""
    return portfolio is not None and portfolio.cabinet_member_id == person.pk


def _selector(name: str):
    """A leadership selector called when used, so the manifest imports no models."""

    def call(*args):
        from . import selectors

        return getattr(selectors, name)(*args)

    return call


def _load_demo(context) -> None:
    from .demo import build_leadership

    build_leadership(context)


def _load_roadmap_demo(context) -> None:
    from .demo import build_roadmap

    build_roadmap(context)


def _load_maturity_demo(context) -> None:
    from .demo import build_maturity

    build_maturity(context)


def _link_demo_accounts(context) -> None:
    from .demo import link_demo_accounts

    link_demo_accounts(context)


def _load_compared_demo(context) -> None:
    from .demo import build_compared_councils

    build_compared_councils(context)


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
                "digital board's meetings, the digital strategy and roadmap, and how "
                "digitally mature the council is."
            ),
            covers=(
                "leadership:leaders",
                "leadership:decision_*",
                "leadership:board_*",
                "leadership:scorecard*",
                "leadership:strategy",
                "leadership:roadmap",
                "leadership:project_detail",
                "leadership:my_portfolio",
                "leadership:councillor_home",
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
        Action(
            name=MANAGE_ROADMAP,
            description=_(
                "Keep the digital strategy and roadmap: objectives, programmes and projects, "
                "their RAG status with its reason, budgets, benefits and services changed"
            ),
            roles=(DECISIONS_OFFICER, roles.CHIEF_DIGITAL_OFFICER),
        ),
        Action(
            name=SEE_PORTFOLIO,
            description=_(
                "See the dashboard of the portfolio whose cabinet member they are: its "
                "projects, drafts included, budgets, benefits, decisions and board actions"
            ),
            roles=(roles.COUNCILLOR,),
            check=_holds_portfolio,
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
            label=_("Councillors' accounts"),
            url_name="leadership:manage_councillors",
            action="leadership.manage_decisions",
            description=_("Link each councillor to the account they sign in with."),
            order=35,
        ),
        StaffTool(
            label=_("Digital maturity"),
            url_name="leadership:manage_maturity",
            action=ASSESS_MATURITY,
            description=_("Assess the council's digital maturity and publish the scorecard."),
            order=40,
        ),
        StaffTool(
            label=_("Strategy and roadmap"),
            url_name="leadership:manage_roadmap",
            action=MANAGE_ROADMAP,
            description=_("Objectives, programmes and projects: RAG status, budgets and benefits."),
            order=50,
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
        OpenDataExport(
            slug="digital-roadmap",
            title=_("Digital roadmap"),
            description=_(
                "Every published project of the digital strategy: title in English and "
                "Welsh, programme, objective, area of the guide, portfolio, stage, RAG "
                "status, dates, budget approved and spent in pence, and benefits on target "
                "and behind."
            ),
            fields=(
                "id",
                "title",
                "title_cy",
                "programme",
                "objective",
                "area",
                "portfolio",
                "stage",
                "rag",
                "starts_on",
                "ends_on",
                "budget_approved_pence",
                "budget_spent_pence",
                "benefits",
                "benefits_behind",
                "last_updated",
            ),
            rows=_selector("roadmap_rows"),
        ),
    ),
    personal_records=(
        PersonalRecords(
            model="leadership.CouncillorAccount",
            owner_field="user",
            key="councillor_account",
            label=_("The councillor your account belongs to"),
            export=("councillor_id",),
            erasure=Erasure.DELETE,
        ),
        PersonalRecords(
            model="leadership.Portfolio",
            owner_field="cabinet_member",
            key="portfolios",
            label=_("Portfolios you hold as cabinet member"),
            export=("slug", "name"),
            erasure=Erasure.ANONYMISE,
            reason=_(
                "The portfolio belongs to the council; only its link to your account is removed."
            ),
        ),
    ),
    # A decision's wards and evidence are replaced together on every save: the service
    # records them as one entry (leadership.decision_evidence) rather than row by row.
    unaudited_models=("leadership.decisionward", "leadership.decisionevidence"),
    measures=(
        Measure(
            key="key_decisions_citing_data",
            label=_("Key decisions of the past year that cite data"),
            compute=_selector("key_decisions_citing_data_measure"),
            url_name="leadership:decision_list",
        ),
    ),
    demo=(
        DemoStep(label="Digital leaders and decisions", run=_load_demo, order=80),
        DemoStep(label="Digital maturity assessments", run=_load_maturity_demo, order=81),
        DemoStep(label="Neighbouring councils' scorecards", run=_load_compared_demo, order=82),
        DemoStep(label="Digital strategy and roadmap", run=_load_roadmap_demo, order=83),
        # After core's demo accounts (9_000): links them to a portfolio and councillors.
        DemoStep(
            label="Cabinet member's and councillors' accounts", run=_link_demo_accounts, order=9_001
        ),
    ),
    urls="townhall.leadership.urls",
    url_prefix="leadership/",
    api_router="townhall.leadership.api.routes",
    api_prefix="",
)
