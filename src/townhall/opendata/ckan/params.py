"""Reading an action's parameters as CKAN does: from the query string or a JSON body.

Query-string values arrive as text (a repeated key as a list), so numbers, booleans and
JSON values (facet.field, filters) are parsed here, with CKAN's validation messages.
"""

import json
from typing import Any

from townhall.core.middleware import holds_nul

from .errors import ValidationError

LARGEST = 2**63 - 1  # the largest integer SQLite and PostgreSQL take


def request_data(request) -> dict[str, Any]:
    """The action's data dict. Raises ValueError (a 400 "JSON Error") for a bad body, and
    Django's RequestDataTooBig for one over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    if request.method == "POST":
        if request.content_type == "application/x-www-form-urlencoded" and request.POST:
            return _mixed(request.POST)
        body = request.body
        if not body:
            return _mixed(request.GET)
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError(
                f"Request data JSON decoded to {data!r} but it needs to be a dictionary."
            )
        if holds_nul(data):
            raise ValueError("Request data holds a NUL character, which no text may hold.")
        return data
    return _mixed(request.GET)


def _mixed(query) -> dict[str, Any]:
    return {key: (values[0] if len(values) == 1 else values) for key, values in query.lists()}


def integer(
    data: dict, name: str, default: int, *, minimum: int = 0, maximum: int | None = None
) -> int:
    """A natural number; over `maximum` it is capped (as CKAN caps rows at its maximum).
    One larger than the database can take is an "Invalid integer", as text would be."""
    value = data.get(name, default)
    if value in ("", None):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError({name: ["Invalid integer"]}) from None
    if number < minimum:
        raise ValidationError({name: ["Must be a natural number"]})
    if maximum is not None:
        return min(number, maximum)
    if number > LARGEST:
        raise ValidationError({name: ["Invalid integer"]})
    return number


def boolean(data: dict, name: str, default: bool) -> bool:
    value = data.get(name, default)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise ValidationError({name: ["Value must be one of: true, false"]})


def json_value(data: dict, name: str, default: Any = None) -> Any:
    """A value that may arrive as JSON text (from a query string) or already parsed."""
    value = data.get(name, default)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ValidationError({name: ["Cannot parse JSON"]}) from None
    return value


def text_list(data: dict, name: str) -> list[str]:
    """A list given as a JSON list, a list, or comma-separated text."""
    value = data.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            value = json_value(data, name)
        else:
            return [part.strip() for part in stripped.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError({name: ["Not a list of strings"]})
    return value
