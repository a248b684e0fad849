"""What market engagement adds to the platform: the procurement officer and supplier roles,
challenges and the pipeline for suppliers, Manage pages, open contracting data (OCDS), the
Transparency Code's contracts over £5,000, and the suppliers' personal data."""

from django.utils.translation import gettext_lazy as _

from townhall.core import roles
from townhall.core.registry import (
    AccountPanel,
    Action,
    DemoStep,
    Erasure,
    Followable,
    Manifest,
    Measure,
    NavigationEntry,
    OpenDataExport,
    PersonalRecords,
    Role,
    SearchResource,
    StaffTool,
    TranslatedContent,
    WorkItem,
    WorkWaiting,
)

PROCUREMENT_OFFICER = "procurement_officer"
SUPPLIER = "supplier"
MANAGE_CHALLENGES = "market.manage_challenges"
ANSWER_QUESTIONS = "market.answer_questions"
READ_RESPONSES = "market.read_responses"
MANAGE_PIPELINE = "market.manage_pipeline"
REGISTER_SUPPLIER = "market.register_supplier"
RESPOND = "market.respond"
MANAGE_EVENTS = "market.manage_events"
EVALUATE = "market.evaluate"

#: The columns of the Transparency Code's "contracts over £5,000" (open data's schema).
CONTRACT_COLUMNS = (
    "Reference number",
    "Title of agreement",
    "Department responsible",
    "Description of goods and/or services",
    "Supplier name",
    "Supplier details",
    "Contract value",
    "Irrecoverable VAT",
    "Start date",
    "End date",
    "Review date",
    "Result of invitation to quote or tender",
    "SME supplier",
    "VCSE supplier",
    "Supplier registration number",
)


def _selector(name: str):
    """A market selector called when used, so the manifest imports no models."""

    def call(*args):
        from . import selectors

        return getattr(selectors, name)(*args)

    return call


def _may_register(actor, obj) -> bool:
    """Any signed-in person without an organisation may register one."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    from .selectors import supplier_of

    return supplier_of(actor) is None


def _account_panel(person) -> dict | None:
    from .selectors import own_questions, own_responses, supplier_of

    supplier = supplier_of(person)
    if supplier is None:
        return None
    return {
        "supplier": supplier,
        "responses": list(own_responses(person)[:5]),
        "questions": own_questions(person).count(),
    }


def _questions_waiting(person) -> list[WorkItem]:
    from django.urls import reverse
    from django.utils.translation import ngettext

    from .selectors import unanswered_question_count

    count = unanswered_question_count()
    if not count:
        return []
    label = ngettext(
        "%(count)d supplier question waiting for an answer",
        "%(count)d supplier questions waiting for an answer",
        count,
    ) % {"count": count}
    return [WorkItem(count=count, label=label, url=reverse("market:manage_challenges"))]


def _engagement_without_uk2(person) -> list[WorkItem]:
    from django.urls import reverse
    from django.utils.translation import ngettext

    from .selectors import procurements_flagged

    count = procurements_flagged().count()
    if not count:
        return []
    label = ngettext(
        "%(count)d planned procurement follows market engagement with no UK2 notice",
        "%(count)d planned procurements follow market engagement with no UK2 notice",
        count,
    ) % {"count": count}
    return [WorkItem(count=count, label=label, url=reverse("market:manage_pipeline"))]


def _responses_to_score(person) -> list[WorkItem]:
    from django.urls import reverse
    from django.utils.translation import ngettext

    from .selectors import responses_to_score

    count = responses_to_score(person)
    if not count:
        return []
    label = ngettext(
        "%(count)d expression of interest waiting for your score",
        "%(count)d expressions of interest waiting for your score",
        count,
    ) % {"count": count}
    return [WorkItem(count=count, label=label, url=reverse("market:manage_evaluations"))]


def _erase_supplier(records) -> None:
    """The organisation stays (its responses, contracts and published answers are the
    council's record); the person's name, address and link to it go."""
    records.update(account=None, contact_name="", contact_email="")


def _load_demo(context) -> None:
    from .demo import build_market

    build_market(context)


def _link_demo_supplier(context) -> None:
    from .demo import link_demo_supplier

    link_demo_supplier(context)


MANIFEST = Manifest(
    app_label="market",
    name=_("Market engagement"),
    description=_(
        "Challenges the council puts to suppliers, their questions and responses, the "
        "procurement pipeline and open contracting data."
    ),
    roles=(
        Role(
            slug=PROCUREMENT_OFFICER,
            name=_("Procurement officer"),
            description=_(
                "Publishes challenges and the procurement pipeline, answers suppliers' "
                "questions, reads their responses and records contracts awarded"
            ),
            staff=True,
        ),
        Role(
            slug=SUPPLIER,
            name=_("Supplier"),
            description=_(
                "Someone who registered an organisation to work with the council; given on "
                "registering"
            ),
        ),
    ),
    navigation=(
        NavigationEntry(
            label=_("Opportunities for suppliers"),
            url_name="market:challenge_list",
            order=70,
            description=_(
                "Problems the council wants solved, forthcoming procurements, and how to "
                "register your organisation and respond."
            ),
        ),
    ),
    actions=(
        Action(
            name=MANAGE_CHALLENGES,
            description=_(
                "Write challenges with the open data that evidences them, publish and close them"
            ),
            roles=(PROCUREMENT_OFFICER,),
        ),
        Action(
            name=ANSWER_QUESTIONS,
            description=_(
                "Read suppliers' clarification questions and publish anonymised answers to all"
            ),
            roles=(PROCUREMENT_OFFICER,),
        ),
        Action(
            name=READ_RESPONSES,
            description=_("Read every supplier's expression of interest and its document"),
            roles=(PROCUREMENT_OFFICER,),
        ),
        Action(
            name=MANAGE_PIPELINE,
            description=_(
                "Keep the pipeline of forthcoming procurements and record contracts awarded"
            ),
            roles=(PROCUREMENT_OFFICER,),
        ),
        Action(
            name=REGISTER_SUPPLIER,
            description=_("Register an organisation as a supplier (any signed-in person, once)"),
            roles=(roles.PUBLIC,),
            check=_may_register,
        ),
        Action(
            name=RESPOND,
            description=_(
                "Ask clarification questions and send an expression of interest on an open "
                "challenge, for the supplier's own organisation"
            ),
            roles=(SUPPLIER,),
        ),
        Action(
            name=MANAGE_EVENTS,
            description=_(
                "Arrange supplier days and webinars, see who registered, record attendance "
                "and publish the slides and notes"
            ),
            roles=(PROCUREMENT_OFFICER,),
        ),
        Action(
            name=EVALUATE,
            description=_(
                "Set a challenge's evaluation criteria, declare interests, score expressions "
                "of interest blind, agree moderated scores and read the results"
            ),
            roles=(PROCUREMENT_OFFICER,),
        ),
    ),
    account_panel=AccountPanel(
        template="market/account_panel.html", context=_account_panel, order=50
    ),
    staff_tools=(
        StaffTool(
            label=_("Challenges and supplier questions"),
            url_name="market:manage_challenges",
            action=MANAGE_CHALLENGES,
            description=_("Publish challenges, answer questions and read responses."),
            order=10,
        ),
        StaffTool(
            label=_("Procurement pipeline"),
            url_name="market:manage_pipeline",
            action=MANAGE_PIPELINE,
            description=_("Forthcoming procurements and the contracts awarded."),
            order=20,
        ),
        StaffTool(
            label=_("Supplier days and webinars"),
            url_name="market:manage_events",
            action=MANAGE_EVENTS,
            description=_("Arrange events, record attendance, publish slides and notes."),
            order=30,
        ),
        StaffTool(
            label=_("Evaluation of expressions of interest"),
            url_name="market:manage_evaluations",
            action=EVALUATE,
            description=_("Criteria, declarations of interest, scoring and moderation."),
            order=40,
        ),
    ),
    search_resources=(
        SearchResource(
            kind="challenge",
            label=_("Opportunities for suppliers"),
            model="market.Challenge",
            items=_selector("searchable_challenges"),
            documents=_selector("challenge_search_documents"),
            key_field="public_id",
        ),
    ),
    work_waiting=(
        WorkWaiting(action=ANSWER_QUESTIONS, items=_questions_waiting),
        WorkWaiting(action=MANAGE_PIPELINE, items=_engagement_without_uk2),
        WorkWaiting(action=EVALUATE, items=_responses_to_score),
    ),
    open_data=(
        OpenDataExport(
            slug="market-challenges",
            title=_("Challenges for suppliers"),
            description=_(
                "Every challenge the council has put to the market: title in English and "
                "Welsh, service area, status, budget range in pence and response deadline."
            ),
            fields=(
                "id",
                "title",
                "title_cy",
                "service_area",
                "status",
                "budget_min_pence",
                "budget_max_pence",
                "response_deadline",
                "published_at",
            ),
            rows=_selector("challenges_rows"),
        ),
        OpenDataExport(
            slug="awarded-contracts-over-5000",
            title=_("Contracts over £5,000 (awarded through Townhall)"),
            description=_(
                "Contracts over £5,000 the council awarded, in the Local Government "
                "Transparency Code's columns; values in pounds."
            ),
            fields=CONTRACT_COLUMNS,
            rows=_selector("contracts_over_5000_rows"),
            transparency_code="contracts-over-5000",
        ),
    ),
    translated_content=(
        TranslatedContent(
            label=_("Challenges"),
            action=MANAGE_CHALLENGES,
            fields=("title", "service_area", "problem", "affected", "outcomes"),
            published=_selector("public_challenges"),
            title=lambda challenge: challenge.title,
            url=lambda challenge: _url("market:manage_challenge_edit", challenge.public_id),
        ),
    ),
    followables=(
        Followable(
            kind="market_challenges",
            label=_("New challenges for suppliers, by capability"),
            item=_selector("challenge_alerts_followed"),
        ),
    ),
    personal_fields={
        "market.supplier": ("contact_name", "contact_email"),
        "market.eventregistration": ("attendee_names",),
    },
    personal_records=(
        PersonalRecords(
            model="market.Supplier",
            owner_field="account",
            key="supplier",
            label=_("The organisation you registered as a supplier"),
            export=(
                "public_id",
                "name",
                "company_number",
                "sme",
                "voluntary_sector",
                "capabilities",
                "areas_served",
                "contact_name",
                "contact_email",
                "created_at",
            ),
            erasure=Erasure.CUSTOM,
            erase=_erase_supplier,
            reason=_(
                "The organisation, its responses and any contracts stay: they are the "
                "council's procurement record. Your name, your contact email and your link "
                "to the organisation are deleted."
            ),
        ),
        PersonalRecords(
            model="market.Notice",
            owner_field="published_by",
            key="notices_published",
            label=_("Procurement notices you published"),
            export=("public_id", "kind", "release_id", "published_at"),
            erasure=Erasure.ANONYMISE,
            reason=_(
                "The notices are the council's published record and stay; your name goes from them."
            ),
        ),
        *(
            PersonalRecords(
                model=f"market.{model}",
                owner_field=owner,
                key=key,
                label=label,
                export=export,
                erasure=Erasure.ANONYMISE,
                reason=_(
                    "Declarations, scores and agreed scores stay, as part of the council's "
                    "procurement record; the link to you is removed."
                ),
            )
            for model, owner, key, label, export in (
                (
                    "InterestDeclaration",
                    "scorer",
                    "declarations_of_interest",
                    _("Your declarations of interest in evaluations"),
                    ("challenge__title", "conflict", "details", "declared_at"),
                ),
                (
                    "Score",
                    "scorer",
                    "evaluation_scores",
                    _("The scores you gave in evaluations"),
                    ("criterion__title", "score", "comment", "scored_at"),
                ),
                (
                    "ModeratedScore",
                    "moderator",
                    "agreed_scores",
                    _("The agreed scores you recorded in evaluations"),
                    ("criterion__title", "score", "reason", "moderated_at"),
                ),
            )
        ),
    ),
    # Facts other modules read by key (leadership's scorecard and councillor's guide).
    measures=(
        Measure(
            key="contracts_after_challenge",
            label=_(
                "Contracts awarded in the past year that followed a challenge put to the market"
            ),
            compute=_selector("contracts_after_challenge"),
            url_name="market:challenge_list",
        ),
    ),
    demo=(
        DemoStep(label="Market engagement", run=_load_demo, order=90),
        # After core's "People to sign in as" (9 000), which makes the demo supplier.
        DemoStep(label="The demo supplier's organisation", run=_link_demo_supplier, order=9_001),
    ),
    urls="townhall.market.urls",
    url_prefix="market/",
    root_urls="townhall.market.root_urls",
)


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)
