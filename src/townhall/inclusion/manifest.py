"""What digital inclusion adds to the platform: the directory officer, the "Digital help"
pages, each ward's help, site search of services, the Northbridge demo's directory, and
the Open Referral UK API at /openreferral/."""

from django.utils.translation import gettext_lazy as _

from townhall.core.registry import (
    Action,
    DemoStep,
    Manifest,
    Measure,
    NavigationEntry,
    Role,
    SearchResource,
    StaffTool,
    WardPanel,
)

DIRECTORY_OFFICER = "directory_officer"
MANAGE_DIRECTORY = "inclusion.manage_directory"


def _selector(name: str):
    """An inclusion selector called when used, so the manifest imports no models."""

    def call(*args):
        from . import selectors

        return getattr(selectors, name)(*args)

    return call


def _ward_panel(ward) -> dict | None:
    from .selectors import help_in_ward

    places = help_in_ward(ward.code)
    return {"places": places} if places else None


def _load_demo(context) -> None:
    from .demo import build_directory

    build_directory(context)


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
    demo=(DemoStep(label="Directory of digital help", run=_load_demo, order=70),),
    urls="townhall.inclusion.urls",
    url_prefix="digital-help/",
    root_urls="townhall.inclusion.root_urls",
)
