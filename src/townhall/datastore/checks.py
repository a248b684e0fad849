"""System checks of the DataStore's set-up (ids townhall.datastore.*)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db import connection

from . import _grants


@register(Tags.database)
def sql_role_exists(app_configs, databases=None, **kwargs):
    """On PostgreSQL, read-only SQL needs its role; without it the SQL endpoints answer 503."""
    if not databases or "default" not in databases or connection.vendor != "postgresql":
        return []
    if _grants.role_exists():
        return []
    role = settings.DATASTORE_SQL_ROLE
    return [
        Warning(
            f"The PostgreSQL role {role} for the DataStore's read-only SQL does not exist, "
            "and the database user may not create it: the SQL endpoints answer 503.",
            hint=(
                f"As a database administrator: CREATE ROLE {role} NOLOGIN; "
                f"GRANT {role} TO <Townhall's database user>; then run `townhall migrate`."
            ),
            id="townhall.datastore.W001",
        )
    ]
