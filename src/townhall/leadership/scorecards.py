"""Other councils' published scorecards: reading a file in the format of our own
/api/v1/scorecard (ADR 0098), checked against its JSON Schema,
`schemas/townhall-scorecard-1.schema.json` (internal to leadership).

read_scorecard() takes the file's bytes and gives the parsed scorecard, or raises
ScorecardInvalid with a message for a person and the field to fix
(`sections[1].questions[0].level`). Tests validate our own output against the same
schema, so what we publish and what we import cannot drift apart.
"""

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError as TextInvalid
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from townhall.core.text import multi_line_text

FORMAT = "townhall-scorecard/1"
FORMAT_PREFIX = "townhall-scorecard/"
SCHEMA = Path(__file__).parent / "schemas" / "townhall-scorecard-1.schema.json"
#: The largest scorecard file read, in bytes (ours, with six areas, is about 10 KB).
MAX_BYTES = 1024 * 1024


class ScorecardInvalid(ValueError):
    """A scorecard file that cannot be imported; `field` names where, "" for the file."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.message = message
        self.field = field


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema())


def schema_problems(data: Any) -> list[ValidationError]:
    """Every way `data` departs from the schema (empty when it conforms)."""
    return list(_validator().iter_errors(data))


def _path(error: ValidationError) -> str:
    field = ""
    for part in error.absolute_path:
        field += f"[{part}]" if isinstance(part, int) else f".{part}" if field else str(part)
    return field


def _message(error: ValidationError) -> tuple[str, str]:
    """A person's message for a schema error, and the field it names."""
    field = _path(error)
    rule, value = error.validator, error.validator_value
    if rule == "required":
        missing = next(name for name in value if name not in error.instance)
        return _("This is missing: every scorecard gives it"), f"{field}.{missing}".lstrip(".")
    if rule in {"minimum", "maximum"}:
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        if high is None:
            return _("%(value)s is below %(low)s") % {"value": error.instance, "low": low}, field
        return _("%(value)s is out of range: it must be from %(low)s to %(high)s") % {
            "value": error.instance,
            "low": low,
            "high": high,
        }, field
    if rule == "type":
        names = {"string": _("text"), "number": _("a number"), "integer": _("a whole number")}
        names |= {"object": _("an object"), "array": _("a list"), "null": _("null")}
        kinds = value if isinstance(value, list) else [value]
        return _("Give %(kinds)s") % {"kinds": _(" or ").join(names[kind] for kind in kinds)}, field
    if rule == "enum":
        choices = ", ".join(f'"{choice}"' for choice in value if choice is not None)
        return _("Give one of %(choices)s") % {"choices": choices}, field
    if rule == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _("The format has no field %(name)s") % {"name": ", ".join(extra)}, field
    if rule in {"minItems", "maxItems"} and field == "framework.levels":
        return _("Name the five levels"), field
    if rule == "minItems":
        return _("Give a list with at least one item"), field
    if rule in {"pattern", "minLength", "maxLength"} and field.endswith("assessed_on"):
        return _("Give a date as YYYY-MM-DD"), field
    if rule == "pattern" and field == "council_code":
        return _("Give the ONS code: a letter and eight digits, like E07000123"), field
    if rule == "pattern":
        return _("Use only letters, numbers and hyphens"), field
    if rule == "minLength":
        return _("This is empty"), field
    return _("This is too long"), field


def _dates(data: dict[str, Any]) -> None:
    fields = [("assessed_on", data["assessed_on"])]
    fields += [
        (f"history[{index}].assessed_on", item["assessed_on"])
        for index, item in enumerate(data.get("history", []))
    ]
    for field, value in fields:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ScorecardInvalid(
                _("%(value)s is not a date") % {"value": value}, field=field
            ) from None


def _strings(data: Any, field: str = ""):
    """Every string in `data`, with the field it is at (`sections[0].name`)."""
    if isinstance(data, str):
        yield field, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, f"{field}.{key}" if field else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, f"{field}[{index}]")


def _plain_text(data: dict[str, Any]) -> None:
    """Refuse control characters (a NUL, say) that no output can carry."""
    for field, value in _strings(data):
        try:
            multi_line_text(value)
        except TextInvalid as problem:
            raise ScorecardInvalid(str(problem.message), field=field) from None


def read_scorecard(raw: bytes) -> dict[str, Any]:
    """The scorecard in a file's bytes, checked whole. Raises ScorecardInvalid at the
    first problem: too big, not UTF-8, not JSON, another format or another version of
    ours, anything the schema refuses (a missing field, a level or score out of range), a
    date no calendar has, or control characters in text."""
    if len(raw) > MAX_BYTES:
        raise ScorecardInvalid(
            _("The file is %(size)s KB: a scorecard is at most %(limit)s KB")
            % {"size": len(raw) // 1024, "limit": MAX_BYTES // 1024}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise ScorecardInvalid(
            _(
                "The file is not UTF-8 text (byte %(position)s cannot be read): save it "
                "as UTF-8 and try again"
            )
            % {"position": problem.start + 1}
        ) from None
    try:
        data = json.loads(text)
    except ValueError as problem:
        raise ScorecardInvalid(
            _("The file is not JSON: %(problem)s at line %(line)s, column %(column)s")
            % {
                "problem": getattr(problem, "msg", str(problem)),
                "line": getattr(problem, "lineno", 1),
                "column": getattr(problem, "colno", 1),
            }
        ) from None
    if not isinstance(data, dict):
        raise ScorecardInvalid(_("The file is JSON but not a scorecard: give an object"))
    found = data.get("format")
    if isinstance(found, str) and found.startswith(FORMAT_PREFIX) and found != FORMAT:
        raise ScorecardInvalid(
            _(
                'This scorecard is in version "%(found)s" of the format, which this site '
                'does not know: it reads "%(format)s"'
            )
            % {"found": found.removeprefix(FORMAT_PREFIX), "format": FORMAT},
            field="format",
        )
    if found != FORMAT:
        raise ScorecardInvalid(
            _('This is not a scorecard file: its "format" must be "%(format)s"')
            % {"format": FORMAT},
            field="format",
        )
    problem = best_match(_validator().iter_errors(data))
    if problem is not None:
        message, field = _message(problem)
        raise ScorecardInvalid(message, field=field)
    _dates(data)
    _plain_text(data)
    return data
