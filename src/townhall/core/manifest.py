"""What the core platform itself adds: home, account, search and the administrators' actions."""

from django.utils.translation import gettext_lazy as _

from . import roles
from .registry import Action, DemoStep, Manifest, NavigationEntry, SearchResource


def _load_northbridge(context) -> None:
    from .demo.northbridge import build_geography

    build_geography(context)


def _council_pages():
    from .selectors.search import council_page_documents

    return council_page_documents()


def _index_search(context) -> None:
    from .services.search import rebuild_index

    rebuild_index()


def _personal_data(user) -> dict:
    from .selectors.accounts import core_personal_data

    return core_personal_data(user)


def _load_site(context) -> None:
    from .demo.northbridge import build_site

    build_site(context)


MANIFEST = Manifest(
    app_label="core",
    name=_("Platform"),
    description=_("Branding, pages, accounts, audit log, site search and geography."),
    navigation=(NavigationEntry(label=_("Home"), url_name="core:home", order=0),),
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
            name="core.search",
            description=_("Search the site's published content"),
            roles=(roles.PUBLIC,),
        ),
    ),
    search_resources=(
        SearchResource(kind="page", label=_("Council page"), documents=_council_pages),
    ),
    api_router="townhall.core.api_routes.router",
    personal_data=_personal_data,
    audited_models=("auth.group", "account.emailaddress"),
    personal_fields={
        "core.user": ("email", "display_name", "last_login"),
        "account.emailaddress": ("email",),
    },
    unaudited_models=(
        "core.auditentry",
        "core.searchentry",
        "core.taskprogress",
        "core.taskfailure",
    ),
    demo=(
        DemoStep(label="Council settings and pages", run=_load_site, order=0),
        DemoStep(label="Wards, postcodes and addresses", run=_load_northbridge, order=10),
        DemoStep(label="Site search index", run=_index_search, order=10_000),
    ),
)
