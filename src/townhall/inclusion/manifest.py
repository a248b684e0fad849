"""What digital inclusion adds to the platform: the directory officer, the "Digital help"
pages, each ward's help, site search of services, the Northbridge demo's directory, and
the Open Referral UK API at /openreferral/."""

from django.utils.translation import gettext_lazy as _

from townhall.core.registry import (
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

from .risk_scoring import SCORE_FIELDS

DIRECTORY_OFFICER = "directory_officer"
MANAGE_DIRECTORY = "inclusion.manage_directory"
MANAGE_RISK_INDEX = "inclusion.manage_risk_index"


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


def _load_demo(context) -> None:
    from .demo import build_directory

    build_directory(context)


def _load_risk_demo(context) -> None:
    from .demo_risk import build_risk_index

    build_risk_index(context)


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
    unaudited_models=("inclusion.smallarea",),
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
    demo=(
        DemoStep(label="Directory of digital help", run=_load_demo, order=70),
        DemoStep(label="Digital exclusion risk index", run=_load_risk_demo, order=71),
    ),
    urls="townhall.inclusion.urls",
    url_prefix="digital-help/",
    root_urls="townhall.inclusion.root_urls",
)
