"""What participation adds to the platform: pages, actions, open data, API and demo."""

from django.utils.translation import gettext_lazy as _

from townhall.core import roles
from townhall.core.registry import (
    AccountPanel,
    Action,
    AssistedStart,
    DemoStep,
    Erasure,
    Followable,
    HomePanel,
    Manifest,
    Measure,
    NavigationEntry,
    OpenDataExport,
    PersonalRecords,
    ResidentForm,
    Role,
    SearchResource,
    StaffTool,
    TranslatedContent,
    WardPanel,
    WorkItem,
    WorkWaiting,
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


def _selector(name: str):
    """A participation selector called when used, so the manifest imports no models."""

    def call(*args):
        from . import selectors

        return getattr(selectors, name)(*args)

    return call


def _page(url_name: str, *slugs: str):
    """The address of a participation page for an item, from the item's slugs."""

    def url(obj) -> str:
        from operator import attrgetter

        from django.urls import reverse

        return reverse(url_name, args=[attrgetter(slug)(obj) for slug in slugs])

    return url


def _budget_rows():
    from .selectors import budget_results_rows

    return budget_results_rows()


def _account_panel(person) -> dict | None:
    from .selectors import account_panel

    return account_panel(person)


def _home_panel() -> dict | None:
    from .selectors import open_consultations

    consultations = list(open_consultations()[:3])
    return {"consultations": consultations} if consultations else None


def _ward_panel(ward) -> dict | None:
    from .selectors import ward_participation

    return ward_participation(ward.code)


def _moderation_waiting(person) -> list[WorkItem]:
    from django.urls import reverse
    from django.utils.translation import ngettext

    from .selectors import moderation_counts

    counts = moderation_counts()
    url = reverse("participation:moderation_queue")
    return [
        WorkItem(
            count=counts["proposals"],
            label=ngettext(
                "%(count)d proposal waiting for a moderator",
                "%(count)d proposals waiting for a moderator",
                counts["proposals"],
            )
            % {"count": counts["proposals"]},
            url=url,
        ),
        WorkItem(
            count=counts["comments"],
            label=ngettext(
                "%(count)d comment waiting for a moderator",
                "%(count)d comments waiting for a moderator",
                counts["comments"],
            )
            % {"count": counts["comments"]},
            url=url,
        ),
        WorkItem(
            count=counts["appeals"],
            label=ngettext(
                "%(count)d appeal to decide", "%(count)d appeals to decide", counts["appeals"]
            )
            % {"count": counts["appeals"]},
            url=url,
        ),
    ]


def _approval_waiting(person) -> list[WorkItem]:
    from django.urls import reverse
    from django.utils.translation import ngettext

    from .selectors import consultations_awaiting_approval

    count = consultations_awaiting_approval(person).count()
    label = ngettext(
        "%(count)d consultation waiting for approval",
        "%(count)d consultations waiting for approval",
        count,
    )
    return [
        WorkItem(
            count=count, label=label % {"count": count}, url=reverse("participation:manage_list")
        )
    ]


def _outcomes_waiting(person) -> list[WorkItem]:
    from django.urls import reverse
    from django.utils.translation import ngettext

    from .selectors import overdue_outcomes

    count = overdue_outcomes().count()
    label = ngettext("%(count)d outcome overdue", "%(count)d outcomes overdue", count)
    return [
        WorkItem(
            count=count, label=label % {"count": count}, url=reverse("participation:manage_list")
        )
    ]


def _responses_export(responses):
    from .selectors import responses_personal_data

    return responses_personal_data(responses)


def _responses_detach(responses) -> None:
    from .services.personal_data import responses_detach

    responses_detach(responses)


def _supports_withdraw(supports) -> None:
    from .services.personal_data import supports_withdraw

    supports_withdraw(supports)


KEPT_FOR_THE_THREAD = _(
    "It stays published, shown as by “A former participant”, so that the discussion "
    "around it still makes sense; your name goes."
)

# Ballots of participatory budgets are not here: a ballot points at an EligibleVoter,
# which holds only a hash of the register row or code, never at an account.
PERSONAL_RECORDS = (
    PersonalRecords(
        model="participation.Response",
        owner_field="respondent",
        key="responses",
        label=_("Your responses to consultations"),
        export=_responses_export,
        erasure=Erasure.CUSTOM,
        erase=_responses_detach,
        reason=_(
            "Your answers stay in the consultation's results, without your name: they are "
            "evidence for the decision it informs. Your postcode (only its ward is kept) "
            "and any files you uploaded are deleted, and each response gets a new "
            "reference, so your old reference and link no longer lead to it."
        ),
    ),
    PersonalRecords(
        model="participation.Response",
        owner_field="recorded_by",
        key="responses_recorded",
        label=_("Responses you recorded for residents"),
        export=("public_id", "consultation__title", "channel", "submitted_at"),
        erasure=Erasure.ANONYMISE,
        reason=_("The responses stay; the record that you entered them goes."),
    ),
    PersonalRecords(
        model="participation.ResponseDraft",
        owner_field="respondent",
        key="saved_drafts",
        label=_("Answers you saved but did not send"),
        export=("consultation__title", "answers", "updated_at"),
        erasure=Erasure.DELETE,
    ),
    PersonalRecords(
        model="participation.Consultation",
        owner_field="author",
        key="consultations_written",
        label=_("Consultations you wrote"),
        export=("public_id", "title", "state", "created_at"),
        erasure=Erasure.ANONYMISE,
        reason=_("The consultations are the council's record and stay; your name goes."),
    ),
    PersonalRecords(
        model="participation.Consultation",
        owner_field="approved_by",
        key="consultations_approved",
        label=_("Consultations you approved"),
        export=("public_id", "title", "approved_at"),
        erasure=Erasure.ANONYMISE,
        reason=_("The consultations are the council's record and stay; your name goes."),
    ),
    PersonalRecords(
        model="participation.Proposal",
        owner_field="author",
        key="proposals",
        label=_("Your proposals"),
        export=("public_id", "process__title", "title", "body", "status", "created_at"),
        erasure=Erasure.ANONYMISE,
        reason=KEPT_FOR_THE_THREAD,
    ),
    PersonalRecords(
        model="participation.Comment",
        owner_field="author",
        key="comments",
        label=_("Your comments"),
        export=("proposal__title", "body", "visibility", "created_at"),
        erasure=Erasure.ANONYMISE,
        reason=KEPT_FOR_THE_THREAD,
    ),
    PersonalRecords(
        model="participation.Support",
        owner_field="person",
        key="supports",
        label=_("Proposals you support"),
        export=("proposal__title", "created_at"),
        erasure=Erasure.CUSTOM,
        erase=_supports_withdraw,
    ),
    PersonalRecords(
        model="participation.Report",
        owner_field="reporter",
        key="reports",
        label=_("Proposals and comments you reported"),
        export=("proposal__title", "comment__body", "reason", "created_at"),
        erasure=Erasure.DELETE,
    ),
    PersonalRecords(
        model="participation.Appeal",
        owner_field="author",
        key="appeals",
        label=_("Your appeals against hiding"),
        export=("proposal__title", "comment__body", "text", "state", "created_at"),
        erasure=Erasure.DELETE,
    ),
    PersonalRecords(
        model="participation.BudgetProject",
        owner_field="proposer",
        key="budget_projects",
        label=_("Projects you put forward for a participatory budget"),
        export=("budget__title", "title", "description", "cost_pence"),
        erasure=Erasure.ANONYMISE,
        reason=_("The projects stay in the budget and its results; your name goes."),
    ),
)


def _load_demo(context) -> None:
    from .demo import build_participation

    build_participation(context)


def _surveys_to_fill_in():
    """Where a helper fills in each open consultation's survey for a resident."""
    from django.urls import reverse

    from .selectors import open_consultations

    return [
        AssistedStart(
            label=str(consultation.title),
            url=reverse("participation:manage_record", args=[consultation.slug]),
        )
        for consultation in open_consultations()
    ]


_PUBLISHED_AS_THEIRS = _(
    "Published under the resident's own account and name, which staff never use: type "
    "their views into an open consultation's survey instead, or pass their idea to the "
    "consultation lead."
)

RESIDENT_FORMS = (
    ResidentForm(
        key="participation.survey_response",
        label=_("Respond to a consultation"),
        description=_(
            "Every question of the survey on one page. Questions may be left blank if the "
            "resident did not answer them."
        ),
        templates=("participation/respond_page.html", "participation/respond_check.html"),
        assisted=_surveys_to_fill_in,
        action="participation.record_response",
        order=10,
    ),
    ResidentForm(
        key="participation.follow",
        label=_("Get emails about a consultation or proposal"),
        description=_(
            "Open the consultation or proposal, choose “Get emails about this”, then "
            "“Helping a resident? Fill this in for them”."
        ),
        templates=("core/subscriptions/form.html",),
        assisted=tuple,
        followable_kinds=("consultation", "proposal"),
        order=20,
    ),
    ResidentForm(
        key="participation.proposal",
        label=_("Suggest an idea, or a project for a participatory budget"),
        templates=(
            "participation/proposals/proposal_form.html",
            "participation/budgets/project_form.html",
        ),
        not_assisted=_PUBLISHED_AS_THEIRS,
        order=30,
    ),
    ResidentForm(
        key="participation.comment",
        label=_("Comment on a proposal"),
        templates=("participation/proposals/proposal_detail.html",),
        not_assisted=_PUBLISHED_AS_THEIRS,
        order=40,
    ),
    ResidentForm(
        key="participation.budget_vote",
        label=_("Vote in a participatory budget"),
        templates=("participation/budgets/verify.html", "participation/budgets/ballot.html"),
        not_assisted=_(
            "A ballot is secret and each voter's own: a resident without internet access "
            "votes on paper with the postal voting code the council sends them."
        ),
        order=50,
    ),
)


MANIFEST = Manifest(
    app_label="participation",
    home_panel=HomePanel(template="participation/home_panel.html", context=_home_panel, order=10),
    account_panel=AccountPanel(
        template="participation/account_panel.html", context=_account_panel, order=10
    ),
    ward_panel=WardPanel(template="participation/ward_panel.html", context=_ward_panel, order=30),
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
            description=_(
                "Add, change, remove and reorder the pages and questions of a consultation's survey"
            ),
            roles=LEADS,
        ),
        Action(
            name="participation.view_staff_pages",
            description=_("See consultations in every stage, preview surveys and read results"),
            roles=ANALYSTS,
        ),
        Action(
            name="participation.record_response",
            description=_(
                "Fill in a consultation's survey for a resident who phoned, wrote or called "
                "in (assisted digital)"
            ),
            # Consultation staff typed in paper responses before assisted digital; helpers
            # fill in every resident form (ADR 0108).
            roles=(*ANALYSTS, roles.ASSISTED_DIGITAL_HELPER),
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
    staff_tools=(
        StaffTool(
            label=_("Consultations"),
            url_name="participation:manage_list",
            action="participation.view_staff_pages",
            description=_(
                "Write consultations and their surveys, approve and open them, read the "
                "results and publish what the council did, and run participatory budgets."
            ),
            order=10,
        ),
        StaffTool(
            label=_("New consultation"),
            url_name="participation:manage_create",
            action="participation.manage_consultation",
            description=_("Start a draft for someone else to approve."),
            order=20,
        ),
        StaffTool(
            label=_("Proposals"),
            url_name="participation:process_list",
            action="participation.manage_proposals",
            description=_("Open a call for residents' ideas and respond to what they propose."),
            order=30,
        ),
        StaffTool(
            label=_("New participatory budget"),
            url_name="participation:budget_create",
            action="participation.manage_budgets",
            description=_("Let residents propose and vote on how to spend part of a budget."),
            order=40,
        ),
        StaffTool(
            label=_("Moderation queue"),
            url_name="participation:moderation_queue",
            action="participation.moderate",
            description=_("Review held and reported proposals and comments, and decide appeals."),
            order=50,
        ),
    ),
    work_waiting=(
        WorkWaiting(action="participation.moderate", items=_moderation_waiting),
        WorkWaiting(action="participation.approve_consultation", items=_approval_waiting),
        WorkWaiting(action="participation.publish_outcome", items=_outcomes_waiting),
    ),
    translated_content=(
        TranslatedContent(
            label=_("Consultations"),
            action="participation.manage_consultation",
            fields=("title", "summary", "description", "decision_title"),
            published=_selector("public_consultations"),
            title=str,
            url=_page("participation:manage_welsh", "slug"),
        ),
        TranslatedContent(
            label=_("Survey questions"),
            action="participation.build_survey",
            fields=("text", "hint", "choices"),
            published=_selector("public_questions"),
            title=lambda question: f"{question.consultation.title}: {question.text}",
            url=_page("participation:manage_survey", "consultation.slug"),
        ),
        TranslatedContent(
            label=_("Outcomes"),
            action="participation.publish_outcome",
            fields=("you_said", "we_did", "what_changed", "decision_title"),
            published=_selector("published_outcomes"),
            title=lambda outcome: str(outcome.consultation),
            url=_page("participation:consultation_detail", "consultation.slug"),
        ),
        TranslatedContent(
            label=_("Calls for proposals"),
            action="participation.manage_proposals",
            fields=("title", "description"),
            published=_selector("proposal_processes"),
            title=str,
            url=_page("participation:process_detail", "slug"),
        ),
        TranslatedContent(
            label=_("Participatory budgets"),
            action="participation.manage_budgets",
            fields=("title", "description"),
            published=_selector("budgets"),
            title=str,
            url=_page("participation:budget_manage", "slug"),
        ),
    ),
    unaudited_models=(
        "participation.responsedraft",
        "participation.response",
        "participation.answer",
        "participation.questiontally",
        "participation.optiontally",
        "participation.support",
        "participation.report",
        "participation.appeal",
        "participation.ballot",
        "participation.eligiblevoter",
    ),
    search_resources=(
        SearchResource(
            kind="consultation",
            label=_("Consultations"),
            model="participation.Consultation",
            items=_selector("searchable_consultations"),
            documents=_selector("consultation_search_documents"),
            key_field="public_id",
        ),
        SearchResource(
            kind="proposal_process",
            label=_("Calls for proposals"),
            model="participation.ProposalProcess",
            items=_selector("proposal_processes"),
            documents=_selector("proposal_process_search_documents"),
        ),
        SearchResource(
            kind="proposal",
            label=_("Proposals"),
            model="participation.Proposal",
            items=_selector("public_proposals"),
            documents=_selector("proposal_search_documents"),
        ),
        SearchResource(
            kind="budget",
            label=_("Participatory budgets"),
            model="participation.Budget",
            items=_selector("budgets"),
            documents=_selector("budget_search_documents"),
        ),
        SearchResource(
            kind="budget_project",
            label=_("Budget projects"),
            model="participation.BudgetProject",
            items=_selector("searchable_budget_projects"),
            documents=_selector("budget_project_search_documents"),
        ),
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
                "consultation_cy",
                "question",
                "question_cy",
                "answer",
                "answer_cy",
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
                "budget_cy",
                "project",
                "project_cy",
                "cost_pence",
                "votes",
                "funded",
                "delivery",
                "progress_percent",
            ),
            rows=_budget_rows,
        ),
    ),
    followables=(
        Followable(
            kind="consultation",
            label=_("Consultation"),
            item=_selector("consultation_followed"),
        ),
        Followable(kind="proposal", label=_("Proposal"), item=_selector("proposal_followed")),
        Followable(
            kind="moderation",
            label=_("New reports for moderators"),
            item=_selector("moderation_followed"),
        ),
    ),
    personal_records=PERSONAL_RECORDS,
    resident_forms=RESIDENT_FORMS,
    # Facts other modules read by key (leadership's scorecard and councillor's guide).
    measures=(
        Measure(
            key="consultations_with_outcome",
            label=_("Closed consultations whose outcome is published"),
            compute=_selector("consultations_with_outcome"),
            url_name="participation:outcome_list",
        ),
    ),
    demo=(DemoStep(label="Consultations and responses", run=_load_demo, order=40),),
    urls="townhall.participation.urls",
    url_prefix="consultations/",
    api_router="townhall.participation.api.router",
    api_prefix="consultations",
)
