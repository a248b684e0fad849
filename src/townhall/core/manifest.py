"""What the core platform itself adds: home, account, search and the administrators' actions."""

from django.utils.translation import gettext_lazy as _

from . import roles
from .registry import (
    Action,
    DemoStep,
    Erasure,
    Manifest,
    NavigationEntry,
    PersonalRecords,
    ResidentForm,
    SearchResource,
    StaffTool,
    TranslatedContent,
    WorkItem,
    WorkWaiting,
)


def _load_northbridge(context) -> None:
    from .demo.northbridge import build_geography

    build_geography(context)


def _council_pages():
    from .selectors.search import council_pages

    return council_pages()


def _council_page_documents(page):
    from .selectors.search import council_page_documents

    return council_page_documents(page)


def _page_url(page) -> str:
    from django.urls import reverse

    return reverse("core:site_page_edit", args=[page.pk])


def _index_search(context) -> None:
    from .services.search import rebuild_index

    rebuild_index()


def _personal_data(user) -> dict:
    from .selectors.accounts import core_personal_data

    return core_personal_data(user)


def _subscriptions_export(records) -> list:
    from .selectors.subscriptions import subscriptions_export

    return subscriptions_export(records)


def _has_staff_tools(person) -> bool:
    from .selectors.workspace import has_staff_tools

    return has_staff_tools(person)


def _task_failures_waiting(person) -> list[WorkItem]:
    from django.urls import reverse
    from django.utils.translation import ngettext

    from .selectors.tasks import given_up_count

    count = given_up_count()
    label = ngettext(
        "%(count)d background task failed and was given up",
        "%(count)d background tasks failed and were given up",
        count,
    ) % {"count": count}
    return [WorkItem(count=count, label=label, url=reverse("core:task_failures"))]


def _load_demo_accounts(context) -> None:
    from .demo.accounts import build_demo_accounts

    build_demo_accounts(context)


def _load_assisted_submissions(context) -> None:
    from .demo.accounts import build_assisted_submissions

    build_assisted_submissions(context)


def _load_site(context) -> None:
    from .demo.northbridge import build_site

    build_site(context)


_ACCOUNT_IS_THEIRS = _(
    "An account is the resident's own, with their password and their email address to "
    "confirm: staff never make or use one for them. Every form that needs no account can "
    "be filled in for them instead."
)


MANIFEST = Manifest(
    app_label="core",
    name=_("Platform"),
    description=_("Branding, pages, accounts, audit log, site search and geography."),
    navigation=(
        NavigationEntry(label=_("Home"), url_name="core:home", order=0),
        NavigationEntry(
            label=_("Manage"),
            url_name="core:workspace",
            order=1000,
            description=_("Your tools, and the work waiting for you."),
            shown_to=_has_staff_tools,
        ),
    ),
    staff_tools=(
        StaffTool(
            label=_("People and roles"),
            url_name="core:people",
            action="core.manage_people",
            description=_("Add people, give them roles and deactivate accounts."),
            order=10,
        ),
        StaffTool(
            label=_("Help a resident"),
            url_name="core:help_a_resident",
            action="core.assist_residents",
            description=_(
                "Fill in a form for a resident who telephoned, wrote, emailed or called in."
            ),
            order=5,
        ),
        StaffTool(
            label=_("Council pages"),
            url_name="core:site_pages",
            action="core.edit_site",
            description=_("Edit the accessibility statement, privacy notice and other pages."),
            order=20,
        ),
        StaffTool(
            label=_("Site settings"),
            url_name="core:site_settings",
            action="core.edit_site",
            description=_("The council's name, logo, colour and contact details."),
            order=30,
        ),
        StaffTool(
            label=_("Wards and areas"),
            url_name="core:areas",
            action="core.import_geography",
            description=_("Correct the English and Welsh names of wards and other areas."),
            order=32,
        ),
        StaffTool(
            label=_("Content without Welsh"),
            url_name="core:welsh_missing",
            action="core.review_welsh",
            description=_("Published pages, data and consultations whose Welsh is missing."),
            order=35,
        ),
        StaffTool(
            label=_("Audit log"),
            url_name="core:audit_log",
            action="core.view_audit_log",
            description=_("Who changed what, and when, with what it was before."),
            order=40,
        ),
        StaffTool(
            label=_("Background task failures"),
            url_name="core:task_failures",
            action="core.edit_site",
            description=_("Email, imports and other background work that raised an error."),
            order=45,
        ),
    ),
    work_waiting=(WorkWaiting(action="core.edit_site", items=_task_failures_waiting),),
    roles=roles.CORE_ROLES,
    actions=(
        Action(
            name="core.view_audit_log",
            description=_("Read and filter the audit log"),
            roles=(roles.ADMINISTRATOR, roles.CHIEF_DIGITAL_OFFICER),
        ),
        Action(
            name="core.edit_site",
            description=_("Edit the council's name, logo, colour, contact details and pages"),
            roles=(roles.ADMINISTRATOR,),
        ),
        Action(
            name="core.manage_people",
            description=_("Give people roles and deactivate accounts"),
            roles=(roles.ADMINISTRATOR,),
        ),
        Action(
            name="core.import_geography",
            description=_("Import postcodes and area boundaries"),
            roles=(roles.ADMINISTRATOR, roles.DATA_PUBLISHER),
        ),
        Action(
            name="core.view_task_progress",
            description=_("See the progress of imports and other long tasks"),
            roles=(roles.STAFF,),
        ),
        Action(
            name="core.review_welsh",
            description=_("See the published content that lacks its Welsh"),
            roles=(roles.STAFF,),
        ),
        Action(
            name="core.assist_residents",
            description=_(
                "Fill in residents' forms on their behalf, recording how they contacted the "
                "council (assisted digital)"
            ),
            roles=(roles.ASSISTED_DIGITAL_HELPER,),
        ),
        Action(
            name="core.search",
            description=_("Search the site's published content"),
            roles=(roles.PUBLIC,),
        ),
    ),
    search_resources=(
        SearchResource(
            kind="page",
            label=_("Council page"),
            model="core.Page",
            items=_council_pages,
            documents=_council_page_documents,
            key_field="slug",
        ),
    ),
    translated_content=(
        TranslatedContent(
            label=_("Council pages"),
            action="core.edit_site",
            fields=("title", "body"),
            published=_council_pages,
            title=str,
            url=_page_url,
        ),
    ),
    resident_forms=(
        ResidentForm(
            key="core.follow",
            label=_("Get emails about something"),
            description=_(
                "Any page with “Get emails about this”: open it, choose that button, then "
                "“Helping a resident? Fill this in for them”."
            ),
            templates=("core/subscriptions/form.html", "core/subscriptions/follow.html"),
            assisted=tuple,
            order=90,
        ),
        ResidentForm(
            key="core.sign_up",
            label=_("Create an account"),
            templates=("account/signup.html",),
            not_assisted=_ACCOUNT_IS_THEIRS,
            order=91,
        ),
        ResidentForm(
            key="core.sign_in",
            label=_("Sign in, and reset a forgotten password"),
            templates=("account/login.html", "account/password_reset.html"),
            not_assisted=_ACCOUNT_IS_THEIRS,
            order=92,
        ),
        ResidentForm(
            key="core.account",
            label=_("Your account: name, emails and what you follow"),
            templates=(
                "core/display_name.html",
                "core/subscriptions/preferences.html",
                "core/account_delete.html",
            ),
            not_assisted=_ACCOUNT_IS_THEIRS,
            order=93,
        ),
    ),
    api_router="townhall.core.api_routes.router",
    personal_data=_personal_data,
    # Core declares the person-pointing models of the third-party apps it installs too
    # (Django's admin, allauth), so that every installed model is someone's to declare.
    personal_records=(
        PersonalRecords(
            model="account.EmailAddress",
            owner_field="user",
            key="email_addresses",
            label=_("Email addresses"),
            export=("email", "verified", "primary"),
            erasure=Erasure.DELETE,
        ),
        PersonalRecords(
            model="socialaccount.SocialAccount",
            owner_field="user",
            key="single_sign_on",
            label=_("Single sign-on identities"),
            export=("provider", "uid"),
            erasure=Erasure.DELETE,
        ),
        PersonalRecords(
            model="core.AuditEntry",
            owner_field="actor",
            key="changes_made_as_staff",
            label=_("Changes you made as staff"),
            export=(
                "created_at",
                "operation",
                "action",
                "object_type",
                "object_id",
                "object_label",
            ),
            erasure=Erasure.RETAIN,
            reason=_(
                "The council's audit log cannot be changed: for accountability it keeps "
                "who changed what, with the email address you had then."
            ),
        ),
        PersonalRecords(
            model="core.Subscription",
            owner_field="person",
            key="following",
            label=_("What you follow"),
            export=_subscriptions_export,
            erasure=Erasure.DELETE,
        ),
        PersonalRecords(
            model="core.NotificationPreference",
            owner_field="person",
            key="notification_preference",
            label=_("How often we email you"),
            export=("frequency",),
            erasure=Erasure.DELETE,
        ),
        PersonalRecords(
            model="admin.LogEntry",
            owner_field="user",
            key="admin_history",
            label=_("Changes you made in the administration screens"),
            export=("action_time", "object_repr", "change_message"),
            erasure=Erasure.DELETE,
        ),
    ),
    audited_models=("auth.group", "account.emailaddress"),
    personal_fields={
        "core.user": ("email", "display_name", "last_login"),
        "account.emailaddress": ("email",),
        "core.subscription": ("email",),
    },
    unaudited_models=(
        # Recorded in the log by its service (the helper, the form and the channel).
        "core.assistedsubmission",
        "core.auditentry",
        "core.searchentry",
        "core.taskprogress",
        "core.taskfailure",
        "core.subscription",
        "core.notificationpreference",
        "core.pendingnotification",
    ),
    demo=(
        DemoStep(label="Council settings and pages", run=_load_site, order=0),
        DemoStep(label="Wards, postcodes and addresses", run=_load_northbridge, order=10),
        DemoStep(label="People to sign in as", run=_load_demo_accounts, order=9_000),
        DemoStep(
            label="Forms staff filled in for residents",
            run=_load_assisted_submissions,
            order=9_010,
        ),
        DemoStep(label="Site search index", run=_index_search, order=10_000),
    ),
)
