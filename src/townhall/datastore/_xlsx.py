"""XLSX workbooks opened by openpyxl in read-only mode, with the one part it holds whole,
the shared-strings table, read within a limit. Imported only when a workbook is read."""

import sys

from django.utils.translation import gettext as _
from openpyxl.cell.text import Text
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.workbook import Workbook
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from ._readers import limit, refuse
from .errors import IngestFailed

_SHARED_STRING = f"{{{SHEET_MAIN_NS}}}si"
_PLAIN_TEXT = f"{{{SHEET_MAIN_NS}}}t"


def open_workbook(path: str) -> Workbook:
    """The workbook, its sheets read as they are iterated; IngestFailed (`xlsx_too_large`)
    when its shared strings pass DATASTORE_XLSX_MAX_SHARED_STRINGS_BYTES."""
    reader = _BoundedWorkbookReader(path, read_only=True, data_only=True)
    try:
        reader.read()
    except BaseException:
        reader.archive.close()
        raise
    return reader.wb


class _BoundedWorkbookReader(ExcelReader):
    """openpyxl's reader, but with the shared-strings table read within a limit.

    In read-only mode openpyxl streams the sheet but holds every shared string in a list
    for the whole read, and its parser keeps an element per string besides: a 32 MB file
    whose table unpacks to 315 MB took a worker to 2.7 GB. The table's size in the zip
    directory (which zipfile never inflates past) and the memory its strings take as they
    are read must each stay within DATASTORE_XLSX_MAX_SHARED_STRINGS_BYTES.
    """

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        name = part.PartName[1:]
        maximum = limit("XLSX_MAX_SHARED_STRINGS_BYTES")
        if self.archive.getinfo(name).file_size > maximum:
            raise _too_many_strings(maximum)
        with self.archive.open(name) as source:
            self.shared_strings = _shared_strings(source, maximum)


def _shared_strings(source, maximum: int) -> list[str]:
    """The table's strings as openpyxl's read_string_table reads them, refused as soon as
    they take more than `maximum` bytes of memory; each element is dropped once read."""
    strings: list[str] = []
    held = 0
    root = None
    for event, node in iterparse(source, events=("start", "end")):
        if root is None:
            root = node
        if event != "end" or node.tag != _SHARED_STRING:
            continue
        text = _text(node).replace("x005F_", "")
        held += sys.getsizeof(text) + 8  # the string and its place in the list
        if held > maximum:
            raise _too_many_strings(maximum)
        strings.append(text)
        root.clear()
    return strings


def _text(node) -> str:
    """A shared string's text. Most are one plain <t>, read directly: openpyxl's Text
    object, which also joins rich-text runs and skips phonetic ones, is ten times slower."""
    if len(node) == 1 and node[0].tag == _PLAIN_TEXT:
        return node[0].text or ""
    return Text.from_tree(node).content


def _too_many_strings(maximum: int) -> IngestFailed:
    return refuse(
        "xlsx_too_large",
        _(
            "The spreadsheet's text takes more than %(max)s MB to read, more than can be "
            "loaded safely. Save it as CSV, or split it."
        )
        % {"max": f"{maximum / 1024**2:,.0f}"},
        max_shared_strings_bytes=maximum,
    )
