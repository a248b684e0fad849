"""What a reader hands the harvest: one source dataset, in Townhall's terms, plus its
licence mapped to one of Townhall's (or None, which refuses it)."""

import hashlib
import json
from dataclasses import asdict, dataclass, field

from ..licences import LICENCES, OGL_UK_3


@dataclass
class HarvestedResource:
    name: str
    url: str
    format: str = ""
    description: str = ""


@dataclass
class HarvestedDataset:
    identifier: str
    title: str
    source_url: str = ""
    title_cy: str = ""
    description: str = ""
    description_cy: str = ""
    licence_given: str = ""
    keywords: list[str] = field(default_factory=list)
    resources: list[HarvestedResource] = field(default_factory=list)
    modified: str = ""

    @property
    def licence(self) -> str | None:
        """The Townhall licence the source's licence is, or None when it has none we know."""
        return licence_for(self.licence_given)

    def digest(self) -> str:
        """A fingerprint of everything harvested, to tell a changed dataset from the same."""
        text = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


#: Identifiers, URIs and titles other catalogues use for Townhall's licences: CKAN's
#: default licence list, data.gov.uk's, SPDX ids and the licences' own addresses.
_ALIASES = {
    OGL_UK_3: [
        "uk-ogl",
        "ogl",
        "ogl-uk-3.0",
        "ogl-uk",
        "open government licence",
        "open government licence v3.0",
        "open-government-licence",
        "www.nationalarchives.gov.uk/doc/open-government-licence/version/3",
        "www.nationalarchives.gov.uk/doc/open-government-licence",
    ],
    "CC-BY-4.0": ["cc-by", "cc-by-4.0", "creativecommons.org/licenses/by/4.0"],
    "CC-BY-SA-4.0": ["cc-by-sa", "cc-by-sa-4.0", "creativecommons.org/licenses/by-sa/4.0"],
    "CC0-1.0": ["cc-zero", "cc0", "cc0-1.0", "creativecommons.org/publicdomain/zero/1.0"],
    "ODbL-1.0": [
        "odc-odbl",
        "odbl",
        "odbl-1.0",
        "opendatacommons.org/licenses/odbl/1-0",
        "opendatacommons.org/licenses/odbl/1.0",
        "opendatacommons.org/licenses/odbl",
    ],
    "PDDL-1.0": [
        "odc-pddl",
        "pddl",
        "pddl-1.0",
        "opendatacommons.org/licenses/pddl/1-0",
        "opendatacommons.org/licenses/pddl/1.0",
        "opendatacommons.org/licenses/pddl",
    ],
}


def _key(text: str) -> str:
    text = text.strip().lower()
    for prefix in ("https://", "http://"):
        text = text.removeprefix(prefix)
    return text.rstrip("/").removesuffix("/legalcode")


LICENCE_ALIASES: dict[str, str] = {
    _key(alias): licence_id for licence_id, aliases in _ALIASES.items() for alias in aliases
}
for _licence in LICENCES:
    if _licence.is_open:
        LICENCE_ALIASES[_key(_licence.id)] = _licence.id
        LICENCE_ALIASES[_key(_licence.url)] = _licence.id


def licence_for(given: str) -> str | None:
    """Townhall's id for a licence named by id, address or title; None when unknown.

    Only open licences are mapped: a closed or unnamed licence is not guessed at.
    """
    if not given:
        return None
    return LICENCE_ALIASES.get(_key(given))
