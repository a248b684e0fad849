"""On PostgreSQL, which DataStore tables the read-only SQL role may read. Internal.

Read-only SQL runs as settings.DATASTORE_SQL_ROLE (see `_sandbox`), which holds SELECT on
the physical tables of public DataStore tables and nothing else, so a statement that slips
past the parser still finds every other table closed (CKAN's separate read-only DataStore
user is the model). The grants follow visibility: a load grants the table it swaps in when
the public may read it; open data calls services.sql_access_refresh when a dataset is
published, withdrawn or archived; and every migrate sets every table right again, an
idempotent catch-up for upgrades. On SQLite there is nothing to grant: the sandbox opens
the DataStore's own file, where no other table exists.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from . import _visibility
from ._backends import quote
from .models import Table

logger = logging.getLogger(__name__)


def ensure_role() -> bool:
    """Create the reader role if it is missing and let the site's own user act as it.
    False (with a warning logged, and system check townhall.datastore.W001) when the
    database user may not create roles: an administrator then creates it (docs/operations.md)."""
    role = settings.DATASTORE_SQL_ROLE
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            superuser = cursor.fetchone()[0]
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE ROLE {quote(role)} NOLOGIN", [])
            if not superuser:
                cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [role])
                if not cursor.fetchone()[0]:
                    cursor.execute(f"GRANT {quote(role)} TO CURRENT_USER", [])
            cursor.execute(f"GRANT USAGE ON SCHEMA {_schema(cursor)} TO {quote(role)}", [])
    except DatabaseError as error:
        logger.warning("The DataStore's SQL role %s could not be set up: %s", role, error)
        return False
    return True


def follow(table_id, physical_name: str) -> None:
    """Grant or revoke the role's SELECT on a table to match who may read it now."""
    if connection.vendor != "postgresql" or not role_exists():
        return
    public = _visibility.allows(table_id, None)
    verb = "GRANT SELECT ON {} TO {}" if public else "REVOKE ALL ON {} FROM {}"
    with connection.cursor() as cursor:
        cursor.execute(verb.format(quote(physical_name), quote(settings.DATASTORE_SQL_ROLE)), [])


def refresh(table_ids=None) -> None:
    """Make the grants of the given tables (all when None) match their visibility."""
    if connection.vendor != "postgresql" or not role_exists():
        return
    tables = Table.objects.all() if table_ids is None else Table.objects.filter(pk__in=table_ids)
    with transaction.atomic():
        for table_id, physical_name in tables.values_list("pk", "physical_name"):
            follow(table_id, physical_name)


def after_migrate(sender, using=None, **kwargs) -> None:
    """post_migrate: the role exists and every table's grant is right (idempotent)."""
    if connection.vendor != "postgresql":
        return
    if ensure_role():
        refresh()


def role_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [settings.DATASTORE_SQL_ROLE])
        return cursor.fetchone() is not None


def _schema(cursor) -> str:
    cursor.execute("SELECT current_schema()")
    return quote(cursor.fetchone()[0])
