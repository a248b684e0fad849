"""What elections add to the platform: the elections officer, their actions and pages."""

from django.utils.translation import gettext_lazy as _

from townhall.core.registry import (
    Action,
    DemoStep,
    Manifest,
    NavigationEntry,
    Role,
    StaffTool,
    WardPanel,
)

ELECTIONS_OFFICER = "elections_officer"


def _ward_panel(ward) -> dict | None:
    from .selectors import future_ballots, on_next_polling_day

    ballots = future_ballots(ward.code)
    return {"ballots": on_next_polling_day(ballots)} if ballots else None


def _load_demo(context) -> None:
    from .demo import build_elections

    build_elections(context)


MANIFEST = Manifest(
    app_label="elections",
    name=_("Elections"),
    description=_("Elections, ballots and candidates, and where to vote."),
    roles=(
        Role(
            slug=ELECTIONS_OFFICER,
            name=_("Elections officer"),
            description=_("Keeps elections, ballots, candidates and polling stations"),
            staff=True,
        ),
    ),
    ward_panel=WardPanel(template="elections/ward_panel.html", context=_ward_panel, order=10),
    navigation=(
        NavigationEntry(
            label=_("Where to vote"),
            url_name="elections:where_to_vote",
            order=40,
            description=_("Find your polling station, what you vote for and the candidates."),
        ),
    ),
    actions=(
        Action(
            name="elections.manage_elections",
            description=_("Add elections and their ballots, and the candidates on each"),
            roles=(ELECTIONS_OFFICER,),
        ),
        Action(
            name="elections.import_polling_stations",
            description=_(
                "Replace the polling stations, districts and addresses from an export of the "
                "electoral management system, and write each station's access details"
            ),
            roles=(ELECTIONS_OFFICER,),
        ),
    ),
    staff_tools=(
        StaffTool(
            label=_("Elections"),
            url_name="elections:manage_list",
            action="elections.manage_elections",
            description=_("Add an election with a ballot per ward, and its candidates."),
            order=60,
        ),
        StaffTool(
            label=_("Polling stations"),
            url_name="elections:stations_list",
            action="elections.import_polling_stations",
            description=_("See each polling station and write its access details."),
            order=62,
        ),
        StaffTool(
            label=_("Import polling stations"),
            url_name="elections:stations_import",
            action="elections.import_polling_stations",
            description=_(
                "Load polling stations and the addresses that vote at each from your "
                "electoral management system's export (Xpress, Idox Eros, Democracy Counts "
                "or FCS ElectionsPro)."
            ),
            order=61,
        ),
        StaffTool(
            label=_("Polling districts"),
            url_name="elections:districts_list",
            action="elections.import_polling_stations",
            description=_(
                "See the polling districts on a map and import their boundaries from GeoJSON."
            ),
            order=63,
        ),
    ),
    # An import replaces thousands of rows at once; it is audited as one entry.
    unaudited_models=("elections.pollingaddress", "elections.pollingdistrict"),
    demo=(DemoStep(label="Elections and polling stations", run=_load_demo, order=50),),
    urls="townhall.elections.urls",
    url_prefix="elections/",
    api_router="townhall.elections.api.router",
    api_prefix="elections",
)
