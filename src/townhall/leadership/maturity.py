"""Digital maturity frameworks as data, the measures that score questions from the
platform's live data, and the arithmetic of a scorecard (internal to leadership: other
modules use its selectors and services).

A framework file (ADR 0095, `frameworks/townhall-digital-maturity.json` is the default)
is JSON: `format` "townhall-maturity-framework/1", `slug`, `version`, `name` and
`description` as {"en", "cy"} text, five `levels` ({"level", "name"}), and `sections`,
each with `key`, `name`, `weight` and `questions`. A question has `key`, `text`,
`weight`, `principles` (the Local Digital Declaration's, by key), and `levels`, a
descriptor for each of "1" to "5"; a measured question adds `measure` (the key of a
measure a module declares in its manifest, core.registry.Measure: one whose module is not
installed scores level 1, shown as not measured) and four ascending `thresholds`: the percent at or above which levels 2, 3, 4 and 5 are
reached. Text is a string (English) or {"en", "cy"}, the Welsh optional.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from townhall.core.registry import registry

FORMAT = "townhall-maturity-framework/1"
DEFAULT_FRAMEWORK = Path(__file__).parent / "frameworks" / "townhall-digital-maturity.json"
LEVELS = (1, 2, 3, 4, 5)
PRINCIPLES = {
    "redesign-services": _("Redesign services around the needs of the people using them"),
    "fix-plumbing": _("Fix our plumbing to break our dependence on inflexible technology"),
    "sharing-information": _("Design safe, secure and useful ways of sharing information"),
    "leadership": _("Demonstrate digital leadership"),
    "open-culture": _("Embed an open culture that values digital ways of working"),
}


class FrameworkInvalid(ValueError):
    """A framework file that cannot be used; `field` names where (`sections[2].weight`)."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(f"{field}: {message}")
        self.message = message
        self.field = field


# Measures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measured:
    """What a measure found on a day: `count` of `total` (percent None when total is 0).
    `unmeasured` when no installed module declares the measure (it is not measured)."""

    count: int
    total: int
    unmeasured: bool = False

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.total) if self.total else None


#: A measure's key, as modules declare it in their manifest's `measures`.
MEASURE_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def measure(key: str, day: date) -> Measured:
    """What the measure a module declares as `key` (core.registry.Measure) finds on `day`;
    unmeasured when no installed module declares it or its module cannot measure it."""
    declared = registry.measure(key)
    found = declared.compute(day) if declared else None
    if found is None:
        return Measured(count=0, total=0, unmeasured=True)
    return Measured(count=found[0], total=found[1])


def level_for(percent: int | None, thresholds: list[int]) -> int:
    """The level a measured percent reaches (1 when nothing could be measured)."""
    if percent is None:
        return 1
    return 1 + sum(percent >= threshold for threshold in thresholds)


# The framework file -----------------------------------------------------------------------


def text(value: dict[str, str]) -> str:
    """Framework text in the current language, English when it has no Welsh."""
    return (translation.get_language() == "cy" and value.get("cy")) or value["en"]


def is_english(value: dict[str, str]) -> bool:
    """Whether text() gives English on a page in another language (to mark lang="en")."""
    return translation.get_language() == "cy" and not value.get("cy")


def _text(data: Any, field: str) -> dict[str, str]:
    if isinstance(data, str):
        data = {"en": data}
    if not isinstance(data, dict) or not str(data.get("en") or "").strip():
        raise FrameworkInvalid(str(_("Give the text in English")), field=field)
    unknown = set(data) - {"en", "cy"}
    if unknown:
        raise FrameworkInvalid(
            str(_('Text has only "en" and "cy", not %(keys)s'))
            % {"keys": ", ".join(sorted(unknown))},
            field=field,
        )
    return {language: str(value).strip() for language, value in data.items() if value}


def _weight(data: Any, field: str) -> int:
    if isinstance(data, bool) or not isinstance(data, int) or not 1 <= data <= 100:
        raise FrameworkInvalid(str(_("A weight is a whole number from 1 to 100")), field=field)
    return data


def _key(data: Any, field: str, seen: set[str]) -> str:
    if not isinstance(data, str) or not data or not data.replace("-", "").isalnum():
        raise FrameworkInvalid(
            str(_('A key is letters, numbers and hyphens, like "open-data"')), field=field
        )
    if data in seen:
        raise FrameworkInvalid(
            str(_('The key "%(key)s" is used twice')) % {"key": data}, field=field
        )
    seen.add(data)
    return data


def _list(data: Any, field: str) -> list:
    if not isinstance(data, list) or not data:
        raise FrameworkInvalid(str(_("Give a list with at least one item")), field=field)
    return data


def _object(data: Any, field: str) -> dict:
    if not isinstance(data, dict):
        raise FrameworkInvalid(str(_("Give an object")), field=field)
    return data


def _question(data: Any, field: str, seen: set[str]) -> dict[str, Any]:
    data = _object(data, field)
    levels = _object(data.get("levels"), f"{field}.levels")
    if sorted(levels) != [str(level) for level in LEVELS]:
        raise FrameworkInvalid(
            str(_("Describe each of the levels 1 to 5, and no others")), field=f"{field}.levels"
        )
    principles = data.get("principles", [])
    for index, principle in enumerate(principles if isinstance(principles, list) else [None]):
        if principle not in PRINCIPLES:
            raise FrameworkInvalid(
                str(_("Name a principle of the Local Digital Declaration: %(keys)s"))
                % {"keys": ", ".join(PRINCIPLES)},
                field=f"{field}.principles[{index}]",
            )
    question = {
        "key": _key(data.get("key"), f"{field}.key", seen),
        "text": _text(data.get("text"), f"{field}.text"),
        "weight": _weight(data.get("weight", 1), f"{field}.weight"),
        "principles": principles,
        "levels": {
            str(level): _text(levels[str(level)], f"{field}.levels.{level}") for level in LEVELS
        },
    }
    if "measure" in data:
        if not isinstance(data["measure"], str) or not MEASURE_KEY.match(data["measure"]):
            raise FrameworkInvalid(
                str(_('A measure is named by its key, like "%(key)s"'))
                % {"key": "consultations_with_outcome"},
                field=f"{field}.measure",
            )
        thresholds = data.get("thresholds")
        if (
            not isinstance(thresholds, list)
            or len(thresholds) != 4
            or not all(isinstance(value, int) and 0 <= value <= 100 for value in thresholds)
            or thresholds != sorted(set(thresholds))
        ):
            raise FrameworkInvalid(
                str(_("Give four ascending percents, the thresholds of levels 2 to 5")),
                field=f"{field}.thresholds",
            )
        question["measure"] = data["measure"]
        question["thresholds"] = thresholds
    return question


def parse_framework(data: Any) -> dict[str, Any]:
    """The framework `data` (a file's parsed JSON) describes, in the normal form stored
    (text always {"en", "cy"?}, weights given). Raises FrameworkInvalid at the first
    problem, naming its field."""
    data = _object(data, "framework")
    if data.get("format") != FORMAT:
        raise FrameworkInvalid(
            str(_('This is not a framework file: its format must be "%(format)s"'))
            % {"format": FORMAT},
            field="format",
        )
    levels = _list(data.get("levels"), "levels")
    if [_object(item, f"levels[{index}]").get("level") for index, item in enumerate(levels)] != [
        *LEVELS
    ]:
        raise FrameworkInvalid(str(_("Name the levels 1 to 5, in order")), field="levels")
    keys: set[str] = set()
    sections = []
    for index, section in enumerate(_list(data.get("sections"), "sections")):
        field = f"sections[{index}]"
        section = _object(section, field)
        sections.append(
            {
                "key": _key(section.get("key"), f"{field}.key", keys),
                "name": _text(section.get("name"), f"{field}.name"),
                "weight": _weight(section.get("weight", 1), f"{field}.weight"),
                "questions": [
                    _question(question, f"{field}.questions[{number}]", keys)
                    for number, question in enumerate(
                        _list(section.get("questions"), f"{field}.questions")
                    )
                ],
            }
        )
    slug_keys: set[str] = set()
    return {
        "format": FORMAT,
        "slug": _key(data.get("slug"), "slug", slug_keys),
        "version": str(data.get("version") or "1"),
        "name": _text(data.get("name"), "name"),
        "description": _text(data.get("description") or data.get("name"), "description"),
        "levels": [
            {"level": item["level"], "name": _text(item.get("name"), f"levels[{index}].name")}
            for index, item in enumerate(levels)
        ],
        "sections": sections,
    }


def questions(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every question of a parsed framework by its key."""
    return {
        question["key"]: question
        for section in definition["sections"]
        for question in section["questions"]
    }


def percent_of_level(level: int | None) -> float:
    """A question's score: level 1 is nothing in place (0%), level 5 all of it (100%);
    a question not yet answered scores 0."""
    return 0.0 if level is None else 100 * (level - 1) / (len(LEVELS) - 1)


def weighted(pairs: list[tuple[float, int]]) -> float:
    """The weighted mean of (percent, weight) pairs."""
    total = sum(weight for _percent, weight in pairs)
    return sum(percent * weight for percent, weight in pairs) / total if total else 0.0


@cache
def guide_areas() -> tuple[tuple[str, dict[str, str]], ...]:
    """The six areas of the guide to digital local government, as (key, name) in the
    default framework's order: the one list the scorecard and the strategy share."""
    definition = json.loads(DEFAULT_FRAMEWORK.read_text(encoding="utf-8"))
    return tuple((section["key"], section["name"]) for section in definition["sections"])


def guide_area_choices() -> list[tuple[str, str]]:
    """(key, name in the current language) of each guide area, for a form."""
    return [(key, text(name)) for key, name in guide_areas()]
