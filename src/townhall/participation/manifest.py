"""What participation adds to the platform: pages, actions, open data, API and demo."""

from django.utils.translation import gettext_lazy as _

from townhall.core import roles
from townhall.core.registry import (
    Action,
    DemoStep,
    HomePanel,
    Manifest,
    NavigationEntry,
    OpenDataExport,
    Role,
    SearchResource,
)

CONSULTATION_LEAD = "consultation_lead"
MODERATOR = "moderator"
ROLES = (
    Role(
        slug=CONSULTATION_LEAD,
        name=_("Consultation lead"),
        description=_("Runs consultations, surveys, proposals and participatory budgets"),
        staff=True,
    ),
    Role(
        slug=MODERATOR,
        name=_("Moderator"),
        description=_("Reviews reported comments and hides those that break the rules"),
        staff=True,
    ),
)
LEADS = (CONSULTATION_LEAD,)
ANALYSTS = (CONSULTATION_LEAD, roles.OFFICER)


def _signed_in(user, obj) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _results_rows():
    from .selectors import open_results_rows

    return open_results_rows()


def _search_documents():
    from .selectors import consultation_search_documents

    return consultation_search_documents()


def _budget_rows():
    from .selectors import budget_results_rows

    return budget_results_rows()


def _home_panel() -> dict | None:
    from .selectors import open_consultations

    consultations = list(open_consultations()[:3])
    return {"consultations": consultations} if consultations else None


def _load_demo(context) -> None:
    from .demo import build_participation

    build_participation(context)


MANIFEST = Manifest(
    app_label="participation",
    home_panel=HomePanel(template="participation/home_panel.html", context=_home_panel, order=10),
    name=_("Have your say"),
    description=_("Consultations, surveys and what the council did with what residents said."),
    roles=ROLES,
    navigation=(
        NavigationEntry(
            label=_("Have your say"),
            url_name="participation:consultation_list",
            order=20,
            description=_(
                "Answer open consultations, put forward and support ideas, and read what "
                "the council did with what residents said."
            ),
        ),
    ),
    actions=(
        Action(
            name="participation.respond",
            description=_("Answer an open consultation"),
            roles=(roles.PUBLIC,),
        ),
        Action(
            name="participation.manage_consultation",
            description=_("Write consultations, add documents and move them through their stages"),
            roles=LEADS,
        ),
        Action(
            name="participation.approve_consultation",
            description=_("Approve a consultation someone else wrote"),
            roles=LEADS,
        ),
        Action(
            name="participation.build_survey",
            description=_("Add pages and questions to a consultation's survey"),
            roles=LEADS,
        ),
        Action(
            name="participation.view_staff_pages",
            description=_("See consultations in every stage, preview surveys and read results"),
            roles=ANALYSTS,
        ),
        Action(
            name="participation.record_response",
            description=_("Record a response received on paper, by phone or at an event"),
            roles=ANALYSTS,
        ),
        Action(
            name="participation.tag_answers",
            description=_("Tag free-text answers with analysis codes"),
            roles=ANALYSTS,
        ),
        Action(
            name="participation.export_responses",
            description=_("Download every response as CSV or XLSX"),
            roles=LEADS,
        ),
        Action(
            name="participation.publish_outcome",
            description=_('Publish "We asked, you said, we did"'),
            roles=LEADS,
        ),
        Action(
            name="participation.manage_proposals",
            description=_("Open a process that takes residents' proposals"),
            roles=LEADS,
        ),
        Action(
            name="participation.submit_proposal",
            description=_("Submit a proposal (signed in)"),
            roles=(roles.PUBLIC,),
            check=_signed_in,
        ),
        Action(
            name="participation.support_proposal",
            description=_("Support a proposal, once (signed in)"),
            roles=(roles.PUBLIC,),
            check=_signed_in,
        ),
        Action(
            name="participation.comment",
            description=_("Comment on a proposal and follow it (signed in)"),
            roles=(roles.PUBLIC,),
            check=_signed_in,
        ),
        Action(
            name="participation.follow_consultation",
            description=_("Follow a consultation, to hear when it opens, closes and reports"),
            roles=(roles.PUBLIC,),
            check=_signed_in,
        ),
        Action(
            name="participation.report_content",
            description=_("Report a proposal or comment (signed in)"),
            roles=(roles.PUBLIC,),
            check=_signed_in,
        ),
        Action(
            name="participation.moderate",
            description=_(
                "Review reported and held content, hide it with a reason, decide appeals"
            ),
            roles=(MODERATOR,),
        ),
        Action(
            name="participation.manage_budgets",
            description=_(
                "Run participatory budgets: phases, feasibility, eligible voters, progress"
            ),
            roles=LEADS,
        ),
        Action(
            name="participation.respond_to_proposal",
            description=_("Give the council's response and set a proposal's status"),
            roles=ANALYSTS,
        ),
    ),
    unaudited_models=(
        "participation.responsedraft",
        "participation.response",
        "participation.answer",
        "participation.questiontally",
        "participation.optiontally",
        "participation.support",
        "participation.follow",
        "participation.notificationpreference",
        "participation.pendingnotification",
        "participation.report",
        "participation.appeal",
        "participation.ballot",
        "participation.eligiblevoter",
    ),
    search_resources=(
        SearchResource(kind="consultation", label=_("Consultations"), documents=_search_documents),
    ),
    open_data=(
        OpenDataExport(
            slug="consultation-results",
            title=_("Consultation results"),
            description=_(
                "Counts of answers to each multiple-choice question of every consultation "
                "whose outcome is published. Free text and equality monitoring answers are "
                "left out; counts under 5 are suppressed."
            ),
            fields=(
                "consultation_id",
                "consultation",
                "question",
                "answer",
                "responses",
            ),
            rows=_results_rows,
        ),
        OpenDataExport(
            slug="participatory-budget-results",
            title=_("Participatory budget results"),
            description=_(
                "Every project of every participatory budget whose results are published: "
                "cost, votes, whether it was funded and how far its delivery has got."
            ),
            fields=(
                "budget",
                "project",
                "cost_pence",
                "votes",
                "funded",
                "delivery",
                "progress_percent",
            ),
            rows=_budget_rows,
        ),
    ),
    demo=(DemoStep(label="Consultations and responses", run=_load_demo, order=40),),
    urls="townhall.participation.urls",
    url_prefix="consultations/",
    api_router="townhall.participation.api.router",
    api_prefix="consultations",
)
