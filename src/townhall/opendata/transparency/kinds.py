"""The datasets the Local Government Transparency Code 2015 requires, read from their schemas.

Each mandated dataset is one Frictionless Table Schema in `schemas/<slug>.json`. Besides the
standard `fields`, a schema carries a `townhall` block naming the dataset (`kind`, the value a
catalogue dataset stores in `transparency_code`), its English and Welsh titles, how often the
Code requires it (`quarterly`, `annual` or `one-off`), the part of the Code that requires it,
and the columns that are recommended rather than required. The schemas are data: changing a
column is an edit to a JSON file, not to code.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

SCHEMA_DIR = Path(__file__).parent / "schemas"

QUARTERLY = "quarterly"
ANNUAL = "annual"
ONE_OFF = "one-off"
FREQUENCIES = (QUARTERLY, ANNUAL, ONE_OFF)
FREQUENCY_LABELS = {QUARTERLY: _("Quarterly"), ANNUAL: _("Annually"), ONE_OFF: _("Once")}


class UnknownKind(LookupError):
    """Raised for a Transparency Code dataset slug that has no schema."""


@dataclass(frozen=True)
class TransparencyKind:
    """One dataset the Code mandates, with the schema an upload of it must meet."""

    slug: str
    title_en: str
    title_cy: str
    frequency: str
    code_section: str
    code_url: str
    columns_from: str
    optional_columns: tuple[str, ...]
    order: int
    descriptor: dict[str, Any]

    @property
    def title(self) -> str:
        """The title in the language of the current request (Welsh at /cy/)."""
        if get_language() == "cy" and self.title_cy:
            return self.title_cy
        return self.title_en

    @property
    def frequency_label(self) -> str:
        return str(FREQUENCY_LABELS.get(self.frequency, self.frequency))

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.descriptor["fields"]

    @property
    def column_names(self) -> list[str]:
        return [field["name"] for field in self.fields]

    def table_schema(self) -> dict[str, Any]:
        """The Table Schema without the `townhall` block, as published in data packages."""
        return {key: value for key, value in self.descriptor.items() if key != "townhall"}


def _load(path: Path) -> TransparencyKind:
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    meta = descriptor["townhall"]
    return TransparencyKind(
        slug=meta["kind"],
        title_en=meta["title"]["en"],
        title_cy=meta["title"].get("cy", ""),
        frequency=meta["frequency"],
        code_section=meta["code_section"],
        code_url=meta["code_url"],
        columns_from=meta.get("columns_from", ""),
        optional_columns=tuple(meta.get("optional_columns", ())),
        order=meta.get("order", 100),
        descriptor=descriptor,
    )


@cache
def kinds() -> tuple[TransparencyKind, ...]:
    """Every mandated dataset, in the order the Code lists them."""
    loaded = [_load(path) for path in sorted(SCHEMA_DIR.glob("*.json"))]
    return tuple(sorted(loaded, key=lambda kind: kind.order))


def kind(slug: str) -> TransparencyKind:
    """The mandated dataset with this slug; raises UnknownKind for any other."""
    for candidate in kinds():
        if candidate.slug == slug:
            return candidate
    raise UnknownKind(slug)


def kind_choices() -> list[tuple[str, str]]:
    """(slug, English title) pairs, for a dataset form's Transparency Code field."""
    return [(candidate.slug, candidate.title_en) for candidate in kinds()]
