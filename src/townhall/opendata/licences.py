"""The licences a dataset may be published under, with the addresses of their texts.

Identifiers are SPDX's where SPDX has one, so DCAT, Data Package and CKAN output can
use them unchanged. The Open Government Licence v3.0 is the default for UK councils.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from townhall.core.registry import Label


@dataclass(frozen=True)
class Licence:
    id: str
    title: Label
    url: str
    is_open: bool = True


OGL_UK_3 = "OGL-UK-3.0"
DEFAULT_LICENCE = OGL_UK_3

LICENCES: tuple[Licence, ...] = (
    Licence(
        OGL_UK_3,
        _("Open Government Licence v3.0"),
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    ),
    Licence(
        "CC-BY-4.0",
        _("Creative Commons Attribution 4.0"),
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    Licence(
        "CC-BY-SA-4.0",
        _("Creative Commons Attribution Share-Alike 4.0"),
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    Licence(
        "CC0-1.0",
        _("Creative Commons CC0 1.0 (public domain dedication)"),
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    Licence(
        "ODbL-1.0",
        _("Open Data Commons Open Database Licence 1.0"),
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    Licence(
        "PDDL-1.0",
        _("Open Data Commons Public Domain Dedication and Licence 1.0"),
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
    Licence(
        "other-closed",
        _("Other (not open)"),
        "",
        is_open=False,
    ),
)
LICENCES_BY_ID = {licence.id: licence for licence in LICENCES}
LICENCE_CHOICES = [(licence.id, licence.title) for licence in LICENCES]


def licence(licence_id: str) -> Licence:
    """The licence with this id; an unknown id (a licence since removed) is shown as-is."""
    return LICENCES_BY_ID.get(licence_id) or Licence(licence_id, licence_id, "", is_open=False)
