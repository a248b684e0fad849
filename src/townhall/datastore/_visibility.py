"""Who may read a table: the module that owns it says, through its manifest. Internal.

A table's owner is the app label it was loaded with (services.ingest_file's `owner`); the
owner's manifest declares `datastore_readers(table_id, person)`. No owner, no installed
owner or no check: nobody reads the table (deny by default).
"""

import uuid
from typing import Any

from townhall.core.registry import registry

from .models import Table


def allows(table_id: uuid.UUID, user: Any) -> bool:
    owner = Table.objects.filter(pk=table_id).values_list("owner", flat=True).first()
    return owner_allows(owner, table_id, user)


def owner_allows(owner: str | None, table_id: uuid.UUID, user: Any) -> bool:
    """`allows`, for a caller that has already read the table's owner (a search reads the
    table's record once and checks it here, rather than reading it twice)."""
    if not owner:
        return False
    try:
        check = registry.get(owner).datastore_readers
    except KeyError:
        return False
    return check is not None and bool(check(table_id, user))
