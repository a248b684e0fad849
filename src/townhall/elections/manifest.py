"""What elections add to the platform: the elections officer, their actions and pages, and
residents' reminders of the registration deadline and polling day."""

from django.utils.translation import gettext_lazy as _

from townhall.core.registry import (
    Action,
    AssistedStart,
    DemoStep,
    Followable,
    Manifest,
    Measure,
    NavigationEntry,
    OpenDataExport,
    ResidentForm,
    Role,
    StaffTool,
    WardPanel,
)

from . import results_csv

ELECTIONS_OFFICER = "elections_officer"


def _ward_panel(ward) -> dict | None:
    from .selectors import councillors, future_ballots, latest_ward_result, on_next_polling_day

    ballots = future_ballots(ward.code)
    panel = {
        "ballots": on_next_polling_day(ballots) if ballots else [],
        "councillors": list(councillors(ward.code)),
        "last_result": latest_ward_result(ward.code),
    }
    return panel if any(panel.values()) else None


def _results_rows():
    from .selectors import results_rows

    return results_rows()


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


def _selector(name: str):
    """An elections selector called when used, so the manifest imports no models."""

    def call(*args):
        from . import selectors

        return getattr(selectors, name)(*args)

    return call


def _reminders_to_fill_in():
    """Reminders follow an address, so a helper starts by finding the resident's."""
    from django.urls import reverse

    return [
        AssistedStart(
            label=str(
                _(
                    "Find the resident's polling station, choose “Get reminders by email”, "
                    "then “Helping a resident? Fill this in for them”"
                )
            ),
            url=reverse("elections:where_to_vote"),
        )
    ]


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
            label=_("Elections"),
            url_name="elections:index",
            order=25,
            description=_(
                "Where to vote, the next election's key dates and the voter ID rule, "
                "reminders by email, your councillors and election results."
            ),
            covers=(
                "elections:where_to_vote*",
                "elections:councillors",
                "elections:results",
                "elections:election_results",
                "elections:ballot_results",
            ),
        ),
    ),
    actions=(
        Action(
            name="elections.manage_elections",
            description=_("Add elections and their ballots, and the candidates on each"),
            roles=(ELECTIONS_OFFICER,),
        ),
        Action(
            name="elections.enter_results",
            description=_(
                "Declare each ballot's result (votes, electorate, ballot papers issued and "
                "rejected ballots), by hand or from a CSV file; the winners become councillors"
            ),
            roles=(ELECTIONS_OFFICER,),
        ),
        Action(
            name="elections.manage_councillors",
            description=_(
                "Add councillors elected at by-elections, record a change of party or the end "
                "of a term, and publish contact details and surgeries"
            ),
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
    open_data=(
        OpenDataExport(
            slug="election-results",
            title=_("Local election results"),
            description=_(
                "Every declared ballot of the council's elections, one row per candidate in "
                "the candidates-and-results layout: ballot identifier, ward GSS code, "
                "candidate, party, votes, whether elected, electorate, ballot papers issued, "
                "rejected ballots and turnout."
            ),
            fields=results_csv.COLUMNS,
            rows=_results_rows,
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
            label=_("Import results"),
            url_name="elections:results_import",
            action="elections.enter_results",
            description=_("Declare results from a candidates-and-results CSV file."),
            order=63,
        ),
        StaffTool(
            label=_("Councillors"),
            url_name="elections:councillors_manage",
            action="elections.manage_councillors",
            description=_("Contact details, surgeries, by-elections and changes of party."),
            order=64,
        ),
        StaffTool(
            label=_("Polling districts"),
            url_name="elections:districts_list",
            action="elections.import_polling_stations",
            description=_(
                "See the polling districts on a map and import their boundaries from GeoJSON."
            ),
            order=65,
        ),
    ),
    resident_forms=(
        ResidentForm(
            key="elections.reminders",
            label=_("Get reminders to register and to vote"),
            description=_("Emails before the registration deadline and on polling day."),
            templates=("core/subscriptions/follow.html", "core/subscriptions/form.html"),
            assisted=_reminders_to_fill_in,
            followable_kinds=("election_reminders",),
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
    # An import replaces thousands of rows at once; it is audited as one entry. A
    # declaration writes votes in bulk: one audit entry holds every ballot's figures.
    # Reminders sent are written by the worker, not by staff.
    unaudited_models=(
        "elections.pollingaddress",
        "elections.pollingdistrict",
        "elections.remindersent",
    ),
    # Councillors hold public office: their name, party, ward, term, surgeries and the
    # council contact details they choose to give are published on purpose, on their
    # ward's page and the councillors page, so residents can reach them. Email and phone
    # are still personal data: the audit log, kept forever, records only that they changed.
    personal_fields={"elections.councillor": ("email", "phone")},
    # Facts other modules read by key (leadership's scorecard and councillor's guide).
    measures=(
        Measure(
            key="polling_districts_with_station",
            label=_("Polling districts whose voters the polling station finder answers"),
            compute=_selector("polling_districts_with_station"),
            url_name="elections:where_to_vote",
        ),
    ),
    demo=(DemoStep(label="Elections and polling stations", run=_load_demo, order=50),),
    urls="townhall.elections.urls",
    url_prefix="elections/",
    api_router="townhall.elections.api.router",
    api_prefix="elections",
)
