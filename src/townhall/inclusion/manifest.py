"""What digital inclusion adds to the platform: the directory officer, the "Digital help"
pages, each ward's help, site search of services, the Northbridge demo's directory, and
the Open Referral UK API at /openreferral/."""

from django.utils.translation import gettext_lazy as _

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
    WorkItem,
    WorkWaiting,
)

from .risk_scoring import SCORE_FIELDS

DIRECTORY_OFFICER = "directory_officer"
MANAGE_DIRECTORY = "inclusion.manage_directory"
MANAGE_RISK_INDEX = "inclusion.manage_risk_index"
DIRECTORY_PARTNER = "directory_partner"
UPDATE_OWN_ENTRIES = "inclusion.update_own_entries"


def _selector(name: str):
    """An inclusion selector called when used, so the manifest imports no models."""

    def call(*args):
        from . import selectors

        return getattr(selectors, name)(*args)

    return call


def _ward_panel(ward) -> dict | None:
    from .risk_selectors import ward_risk
    from .selectors import help_in_ward

    places, risk = help_in_ward(ward.code), ward_risk(ward.code)
    return {"places": places, "risk": risk} if places or risk else None


def _risk_rows():
    from .risk_selectors import score_rows

    return score_rows()


def _link_demo_partner(context) -> None:
    from .demo import link_demo_partner

    link_demo_partner(context)


def _partner_of(actor, obj) -> bool:
    """A partner may act on the entries of the organisations its account is linked to
    (`obj` a service or an organisation; None asks whether it may use the pages at all)."""
    if obj is None:
        return True
    from .selectors.partners import is_partner_of

    return is_partner_of(actor, obj)


def _account_panel(person) -> dict | None:
    from .selectors.partners import partner_services

    services = list(partner_services(person))
    return {"services": services} if services else None


def _changes_waiting(person) -> list[WorkItem]:
    from django.urls import reverse
    from django.utils.translation import ngettext

    from .selectors.partners import pending_change_count

    count = pending_change_count()
    if not count:
        return []
    label = ngettext(
        "%(count)d change to a directory entry waiting for review",
        "%(count)d changes to directory entries waiting for review",
        count,
    ) % {"count": count}
    return [WorkItem(count=count, label=label, url=reverse("inclusion:changes"))]


def _send_stale_reminders() -> int:
    from .services.partners import stale_reminders_send

    return stale_reminders_send()


def _load_demo(context) -> None:
    from .demo import build_directory

    build_directory(context)


def _load_risk_demo(context) -> None:
    from .demo_risk import build_risk_index

    build_risk_index(context)


#: The kind of help the "Need help filling this in?" link asks the finder for.
HELP_WITH_FORMS = "council-services"


def _help_nearby(postcode: str) -> str:
    """The digital help finder, for help with council services near `postcode`; without a
    postcode, the finder's start (it asks for one). Core links every resident form here
    (ADR 0109)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from .selectors import term_by_code

    url = reverse("inclusion:find_help")
    if not postcode:
        return url
    query = {"postcode": postcode}
    if term_by_code(HELP_WITH_FORMS) is not None:
        query["kind"] = HELP_WITH_FORMS
    return f"{url}?{urlencode(query)}"


MANIFEST = Manifest(
    app_label="inclusion",
    name=_("Digital inclusion"),
    description=_("A directory of digital help: free Wi-Fi, devices, data and skills."),
    roles=(
        Role(
            slug=DIRECTORY_OFFICER,
            name=_("Directory officer"),
            description=_("Keeps the directory of digital help: organisations, services, places"),
            staff=True,
        ),
        Role(
            slug=DIRECTORY_PARTNER,
            name=_("Directory partner"),
            description=_(
                "Keeps its own organisation's entries in the directory of digital help up to "
                "date (a library, a school, a voluntary group); an officer reviews changes"
            ),
        ),
    ),
    actions=(
        Action(
            name=MANAGE_DIRECTORY,
            description=_(
                "Add and edit organisations, their services, the places they are given and "
                "their opening times, and publish or withdraw a service"
            ),
            roles=(DIRECTORY_OFFICER,),
        ),
        Action(
            name=MANAGE_RISK_INDEX,
            description=_(
                "Import the small areas and indicators of the digital exclusion risk index "
                "and change the weights of its components"
            ),
            roles=(DIRECTORY_OFFICER,),
        ),
        Action(
            name=UPDATE_OWN_ENTRIES,
            description=_(
                "Propose changes to the entries of the organisations the account is linked "
                "to, for an officer's review, and confirm their details are still correct"
            ),
            roles=(DIRECTORY_PARTNER,),
            check=_partner_of,
        ),
    ),
    navigation=(
        NavigationEntry(
            label=_("Digital help"),
            url_name="inclusion:find_help",
            order=28,
            description=_(
                "Free Wi-Fi, computers, devices, data and help getting online, near you."
            ),
        ),
    ),
    account_panel=AccountPanel(
        template="inclusion/partner/account_panel.html", context=_account_panel, order=60
    ),
    ward_panel=WardPanel(template="inclusion/ward_panel.html", context=_ward_panel, order=40),
    measures=(
        Measure(
            key="directory_freshness",
            label=_("Digital help services whose details were confirmed recently"),
            compute=_selector("directory_freshness"),
            url_name="inclusion:find_help",
        ),
    ),
    staff_tools=(
        StaffTool(
            label=_("Directory of digital help"),
            url_name="inclusion:manage",
            action=MANAGE_DIRECTORY,
            description=_(
                "Organisations, their services, the places they are given and opening times."
            ),
            order=70,
        ),
        StaffTool(
            label=_("Digital exclusion risk index"),
            url_name="inclusion:risk_manage",
            action=MANAGE_RISK_INDEX,
            description=_(
                "Import small areas and indicators, change the weights, see the imports."
            ),
            order=72,
        ),
        StaffTool(
            label=_("Changes to directory entries"),
            url_name="inclusion:changes",
            action=MANAGE_DIRECTORY,
            description=_("Review the changes partners propose to their entries."),
            order=71,
        ),
    ),
    open_data=(
        OpenDataExport(
            slug="digital-exclusion-risk-index",
            title=_("Digital exclusion risk index"),
            description=_(
                "Every small area (LSOA) of the council with its risk of digital exclusion "
                "from 0 to 10: overall, for demography, broadband and deprivation, and for "
                "each indicator; its rank and class, the distance to the nearest published "
                "digital help, whether it is a gap, and the weights the scores were made with."
            ),
            fields=SCORE_FIELDS,
            rows=_risk_rows,
        ),
    ),
    work_waiting=(WorkWaiting(action=MANAGE_DIRECTORY, items=_changes_waiting),),
    housekeeping=(_send_stale_reminders,),
    # Small areas are replaced whole by an import (audited as one); reminders are written
    # by the worker, not by staff.
    unaudited_models=("inclusion.smallarea", "inclusion.stalereminder"),
    personal_records=(
        PersonalRecords(
            model="inclusion.RiskImport",
            owner_field="imported_by",
            key="risk_index_imports",
            label=_("Imports to the digital exclusion risk index you made"),
            export=("kind", "source", "file_name", "imported_at"),
            erasure=Erasure.ANONYMISE,
            reason=_("The import belongs to the council; only its link to your account goes."),
        ),
        PersonalRecords(
            model="inclusion.RiskWeights",
            owner_field="set_by",
            key="risk_index_weights",
            label=_("Weights of the digital exclusion risk index you set"),
            export=("version", "demography", "broadband", "deprivation", "reason", "set_at"),
            erasure=Erasure.ANONYMISE,
            reason=_(
                "Published scores name the weights they were made with; only the link to "
                "your account goes."
            ),
        ),
        PersonalRecords(
            model="inclusion.Partnership",
            owner_field="user",
            key="directory_partnerships",
            label=_("Organisations whose directory entries you keep"),
            export=("organization__name", "created"),
            erasure=Erasure.DELETE,
        ),
        PersonalRecords(
            model="inclusion.ChangeRequest",
            owner_field="proposed_by",
            key="directory_changes_proposed",
            label=_("Changes you proposed to directory entries"),
            export=("service__name", "state", "proposed_at", "decided_at", "reason"),
            erasure=Erasure.ANONYMISE,
            reason=_(
                "The changes stay as part of the directory's history; the link to you is removed."
            ),
        ),
        PersonalRecords(
            model="inclusion.ChangeRequest",
            owner_field="decided_by",
            key="directory_changes_decided",
            label=_("Changes to directory entries you reviewed"),
            export=("service__name", "state", "decided_at"),
            erasure=Erasure.ANONYMISE,
            reason=_(
                "The decisions stay as part of the directory's history; the link to you is removed."
            ),
        ),
    ),
    search_resources=(
        SearchResource(
            kind="digital_help",
            label=_("Digital help"),
            model="inclusion.Service",
            items=_selector("searchable_services"),
            documents=_selector("service_search_documents"),
        ),
    ),
    help_nearby=_help_nearby,
    demo=(
        DemoStep(label="Directory of digital help", run=_load_demo, order=70),
        DemoStep(label="Digital exclusion risk index", run=_load_risk_demo, order=71),
        # After core's "People to sign in as" (9 000), which makes the demo partner.
        DemoStep(label="The demo directory partner's entries", run=_link_demo_partner, order=9_002),
    ),
    urls="townhall.inclusion.urls",
    url_prefix="digital-help/",
    root_urls="townhall.inclusion.root_urls",
)
