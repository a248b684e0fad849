"""Public ids arrive as text from addresses, forms and APIs; this reads them safely."""

from typing import Any
from uuid import UUID


def as_uuid(value: Any) -> UUID | None:
    """The UUID `value` names, or None when it is not a UUID (a slug, say, or junk)."""
    if value is None or isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except (ValueError, TypeError):
        return None
