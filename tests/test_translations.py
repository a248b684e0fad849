"""Every sentence a person may read has its Welsh: the strings marked for translation in
each module's code and templates, as `makemessages` finds them today, are all in the
Welsh catalogues Django merges at run time (a module may use another's translation).

A sentence added or reworded without its Welsh fails here, naming the file it is in,
rather than showing English on a Welsh page.
"""

import functools
import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

import townhall

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the catalogues are the same on both databases"
)

SOURCE = Path(townhall.__file__).parent
MODULES = sorted(path.parent.parent.parent for path in SOURCE.glob("*/locale/cy/LC_MESSAGES"))
TOWNHALL = Path(sys.executable).with_name("townhall")


@functools.cache
def _translated() -> frozenset:
    """Every message id with Welsh, from the compiled catalogues (`make messages`)."""
    known: set = set()
    for compiled in SOURCE.glob("*/locale/cy/LC_MESSAGES/django.mo"):
        with compiled.open("rb") as handle:
            known |= {
                key for key, value in gettext.GNUTranslations(handle)._catalog.items() if value
            }
    return frozenset(known)


def _untranslated_ids(module: Path, scratch: Path) -> dict:
    """Message ids `makemessages` extracts from the module that its own catalogue leaves
    empty, with where each is used."""
    copy = scratch / module.name
    shutil.copytree(module, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    subprocess.run(
        [TOWNHALL, "makemessages", "-l", "cy", "-v", "0"], cwd=copy, check=True, capture_output=True
    )
    catalogue = copy / "locale/cy/LC_MESSAGES/django.po"
    empty = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", catalogue],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    if "msgid" not in empty:
        return {}
    filled = scratch / f"{module.name}.mo"
    subprocess.run(
        ["msgen", "-o", scratch / f"{module.name}.po", "-"], input=empty, text=True, check=True
    )
    subprocess.run(["msgfmt", "-o", filled, scratch / f"{module.name}.po"], check=True)
    with filled.open("rb") as handle:
        ids = {key for key in gettext.GNUTranslations(handle)._catalog if key != ""}
    return {key: _where(key, empty) for key in ids}


def _where(key, catalogue_text: str) -> str:
    text = key[0] if isinstance(key, tuple) else key
    first_line = text.split("\x04")[-1].splitlines()[0][:40]
    for block in catalogue_text.split("\n\n"):
        if first_line in block.replace('"\n"', ""):
            return " ".join(line[3:] for line in block.splitlines() if line.startswith("#: "))
    return "?"


@pytest.mark.skipif(shutil.which("msgen") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("module", MODULES, ids=[module.name for module in MODULES])
def test_every_sentence_of_the_module_has_its_welsh(module, tmp_path):
    translated = _translated()
    missing = {
        key: where for key, where in _untranslated_ids(module, tmp_path).items()
        if key not in translated
    }  # fmt: skip

    assert not missing, "\n".join(
        f"{where}: {key!r}" for key, where in sorted(missing.items(), key=str)
    )
