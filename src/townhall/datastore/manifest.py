"""What the DataStore adds to the platform: query actions and its API. No pages of its own."""

from django.utils.translation import gettext_lazy as _

from townhall.core import roles
from townhall.core.registry import Action, Manifest


def _recover_stopped_loads() -> int:
    from .services import ingests_recover

    return ingests_recover()


MANIFEST = Manifest(
    app_label="datastore",
    name=_("DataStore"),
    description=_(
        "Typed, indexed tables loaded from CSV, TSV and XLSX files, and their query API."
    ),
    actions=(
        Action(
            name="datastore.query",
            description=_("Read, filter and download a public DataStore table"),
            roles=(roles.PUBLIC,),
        ),
        Action(
            name="datastore.query_sql",
            description=_("Run read-only SQL over public DataStore tables"),
            roles=(roles.PUBLIC,),
        ),
        Action(
            name="datastore.load_table",
            description=_("Load a file into a DataStore table, or drop a table"),
            roles=(roles.DATA_PUBLISHER,),
        ),
    ),
    unaudited_models=("datastore.table", "datastore.ingest"),
    api_router="townhall.datastore.api.router",
    api_prefix="datastore",
    housekeeping=(_recover_stopped_loads,),
)
