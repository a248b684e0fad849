"""Table ids as callers give them (UUIDs or their text), checked in one place."""

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _

from .errors import TableNotFound


def as_table_uuid(table_id: Any) -> uuid.UUID:
    """The id as a UUID; TableNotFound when it cannot be one (so no table has it)."""
    if isinstance(table_id, uuid.UUID):
        return table_id
    try:
        return uuid.UUID(str(table_id))
    except ValueError:
        raise TableNotFound(
            _("There is no DataStore table with this id."), {"id": str(table_id)[:100]}
        ) from None
