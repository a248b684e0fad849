"""What elections add to the platform: the elections officer, their actions and pages, and
residents' reminders of the registration deadline and polling day."""

from django.utils.translation import gettext_lazy as _

from townhall.core.registry import (
    Action,
    DemoStep,
    Followable,
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


def _reminders_followed(key: str):
    from .selectors import reminders_followed

    return reminders_followed(key)


def _send_due_reminders() -> int:
    from .services import reminders_send_due

    return reminders_send_due()


def _purge_past_reminders() -> int:
    from .services import reminders_purge

    return reminders_purge()


def _reminders_sent(user) -> dict:
    """The reminders emailed to the person (their subscriptions themselves are core's, in
    "What you follow"); erasing the person deletes their subscriptions and, with them,
    these records."""
    from .selectors import reminders_sent_to

    return {"reminders_sent": reminders_sent_to(user)}


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
                "electoral management system's CSV export."
            ),
            order=61,
        ),
    ),
    followables=(
        Followable(
            kind="election_reminders",
            label=_("Reminders to register and to vote"),
            item=_reminders_followed,
        ),
    ),
    personal_data=_reminders_sent,
    # The worker sends reminders (every few minutes) and forgets them after polling day.
    housekeeping=(_send_due_reminders, _purge_past_reminders),
    # An import replaces thousands of rows at once; it is audited as one entry. Reminders
    # sent are written by the worker, not by staff.
    unaudited_models=(
        "elections.pollingaddress",
        "elections.pollingdistrict",
        "elections.remindersent",
    ),
    demo=(DemoStep(label="Elections and polling stations", run=_load_demo, order=50),),
    urls="townhall.elections.urls",
    url_prefix="elections/",
    api_router="townhall.elections.api.router",
    api_prefix="elections",
)
