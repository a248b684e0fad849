"""Reading uploaded tables, streamed: CSV and TSV in any of the encodings councils'
spreadsheets produce, and XLSX after checking it is not a zip bomb.

A reader never holds the file in memory. A well-formed UTF-8 CSV or TSV is parsed by
Arrow's C++ reader on every core, in column batches; anything it would read differently
(a ragged row, another encoding, a NUL byte, a broken quote) raises NotColumnar and is read
again as rows of text by Python's csv module, which fits and reports each row. XLSX is
parsed by openpyxl in read-only mode (defusedxml guards the XML), rows streamed from the
sheet; the one part it holds whole, the shared-strings table, is read by our own bounded
reader (`_xlsx`). Problems the caller should tell the publisher about are
raised as IngestFailed with a stable `code`.
"""

import codecs
import csv
import datetime as dt
import io
import itertools
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.csv as arrow_csv
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import IngestFailed

FORMATS = ("csv", "tsv", "xlsx")
RESERVED_COLUMNS = frozenset(("_id", "_full_text"))
MAX_COLUMN_NAME_BYTES = 63  # PostgreSQL's identifier limit; SQLite uses the same.
MAX_CELL_CHARACTERS = 131_072  # Python's csv default; set here, as that one is process-wide.
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
UTF8, UTF8_BOM, WINDOWS_1252 = "utf-8", "utf-8-sig", "windows-1252"


def limit(name: str) -> int:
    """A DATASTORE_* size limit from settings (see docs/modules/datastore.md)."""
    return int(getattr(settings, f"DATASTORE_{name}", DEFAULTS[name]))


DEFAULTS = {
    "MAX_UPLOAD_BYTES": 1024**3,
    "MAX_ROWS": 20_000_000,
    "MAX_COLUMNS": 500,
    "XLSX_MAX_UNCOMPRESSED_BYTES": 512 * 1024**2,
    "XLSX_MAX_COMPRESSION_RATIO": 200,
    "XLSX_MAX_SHARED_STRINGS_BYTES": 128 * 1024**2,
}


def refuse(code: str, message: str, **details) -> IngestFailed:
    return IngestFailed(message, {"code": code, **details})


class NotColumnar(Exception):
    """The file must be read again row by row (see the module's docstring)."""


@dataclass
class Source:
    """An opened table: its header cells, and either `rows`, an iterator of (row number,
    cells), or `batches`, an iterator of (first row number, Arrow batch of text columns,
    null for an empty cell, one column per header cell).

    Row numbers count the header as row 1, as a spreadsheet shows them.
    """

    format: str
    header: list[str]
    rows: Iterator[tuple[int, list[str]]] | None = None
    batches: Iterator[tuple[int, pa.RecordBatch]] | None = None
    encoding: str | None = None
    delimiter: str | None = None
    estimated_rows: int | None = None
    _closers: list = field(default_factory=list)

    def close(self) -> None:
        for close in self._closers:
            close()


def detect_format(path: str, filename: str, format: str | None) -> str:
    """The declared format, else the one the file name says, else the one the bytes say."""
    if format:
        chosen = format.strip().lower()
        if chosen not in FORMATS:
            raise refuse(
                "unsupported_format",
                _("%(format)s files cannot be loaded. Use CSV, TSV or XLSX.") % {"format": format},
            )
        return chosen
    extension = os.path.splitext(filename.lower())[1]
    if extension in _EXTENSIONS:
        return _EXTENSIONS[extension]
    with open(path, "rb") as handle:
        start = handle.read(64 * 1024)
    if start.startswith(b"PK\x03\x04"):
        return "xlsx"
    return "tsv" if start.count(b"\t") > start.count(b",") else "csv"


def check_size(path: str) -> int:
    size = os.path.getsize(path)
    maximum = limit("MAX_UPLOAD_BYTES")
    if size > maximum:
        raise refuse(
            "file_too_large",
            _("The file is %(size)s MB; the largest file that can be loaded is %(max)s MB.")
            % {"size": f"{size / 1024**2:,.0f}", "max": f"{maximum / 1024**2:,.0f}"},
            size=size,
            max_size=maximum,
        )
    return size


def open_source(
    path: str, format: str, *, encoding: str | None = None, columnar: bool = True
) -> Source:
    """Open the file for reading. CSV's encoding is UTF-8 (with or without a byte order
    mark) unless the caller, having met a byte that is not UTF-8, asks for Windows-1252.
    `columnar=False` asks for rows even where batches could be read."""
    if format == "xlsx":
        return _open_xlsx(path)
    return _open_delimited(path, "\t" if format == "tsv" else ",", format, encoding, columnar)


def _open_delimited(
    path: str, delimiter: str, format: str, encoding: str | None, columnar: bool
) -> Source:
    binary = open(path, "rb")  # noqa: SIM115 - closed by Source.close
    has_bom = binary.read(3) == codecs.BOM_UTF8
    binary.seek(0)
    if encoding is None:
        encoding = UTF8_BOM if has_bom else UTF8
    text = io.TextIOWrapper(
        binary,
        encoding="cp1252" if encoding == WINDOWS_1252 else UTF8_BOM,
        errors="replace" if encoding == WINDOWS_1252 else "strict",
        newline="",
    )
    line_count, has_nul = _scan(path)
    # PostgreSQL text cannot hold NUL; no council means one. Filter lines only if needed.
    lines = (line.replace("\x00", "") for line in text) if has_nul else text
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as error:
        text.close()
        raise _unreadable(1, error) from error
    utf8 = encoding in (UTF8, UTF8_BOM)
    if columnar and utf8 and not has_nul and not any("\n" in c or "\r" in c for c in header):
        text.close()
        return Source(
            format=format,
            header=header,
            batches=_column_batches(path, delimiter, len(header)),
            encoding=encoding,
            delimiter=delimiter,
            estimated_rows=max(line_count - 1, 0),
        )
    return Source(
        format=format,
        header=header,
        rows=_numbered(reader),
        encoding=encoding,
        delimiter=delimiter,
        estimated_rows=max(line_count - 1, 0),
        _closers=[text.close],
    )


def _numbered(reader) -> Iterator[tuple[int, list[str]]]:
    numbers = itertools.count(2)
    try:
        # zip draws the number first, then the row; count() never ends, so not strict.
        yield from zip(numbers, reader, strict=False)
    except csv.Error as error:
        raise _unreadable(next(numbers) - 1, error) from error


def _column_batches(path: str, delimiter: str, width: int) -> Iterator[tuple[int, pa.RecordBatch]]:
    """Every cell as text, null where empty; the header row was read already."""
    names = [f"c{position}" for position in range(width)]
    try:
        batches = arrow_csv.open_csv(
            path,
            read_options=arrow_csv.ReadOptions(skip_rows=1, column_names=names),
            parse_options=arrow_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
            ),
        )
        number = 2
        for batch in batches:
            yield number, batch
            number += batch.num_rows
    except pa.ArrowInvalid as error:
        raise NotColumnar(str(error)) from error


def _unreadable(row: int, error: Exception) -> IngestFailed:
    return refuse(
        "unreadable_row",
        _("Row %(row)s could not be read (%(error)s). Check its quotes.")
        % {"row": row, "error": error},
        row=row,
    )


def _scan(path: str) -> tuple[int, bool]:
    """Lines in the file (an estimate of rows for progress bars) and whether it holds NUL
    bytes, in one cheap pass over the bytes."""
    lines, has_nul = 0, False
    with open(path, "rb") as handle:
        while chunk := handle.read(4 * 1024 * 1024):
            lines += chunk.count(b"\n")
            has_nul = has_nul or b"\x00" in chunk
    return lines, has_nul


def _open_xlsx(path: str) -> Source:
    _check_zip(path)
    from ._xlsx import open_workbook  # openpyxl takes a fifth of a second to import

    try:
        workbook = open_workbook(path)
    except IngestFailed:
        raise
    except Exception as error:
        raise refuse(
            "unreadable_xlsx", _("The spreadsheet could not be read: %(error)s") % {"error": error}
        ) from error
    if not workbook.worksheets:
        workbook.close()
        raise refuse("unreadable_xlsx", _("The spreadsheet has no worksheets."))
    sheet = workbook.worksheets[0]
    # A sheet may claim any size; read the cells actually there, not the claimed dimensions.
    sheet.reset_dimensions()
    cells = sheet.iter_rows(values_only=True)
    header = [_cell_text(value) for value in next(cells, ())]
    rows = (
        (number, [_cell_text(value) for value in row]) for number, row in enumerate(cells, start=2)
    )
    return Source(format="xlsx", header=header, rows=rows, _closers=[workbook.close])


def _check_zip(path: str) -> None:
    """Refuse a zip bomb before opening it, from the sizes in the zip's own directory.

    Python's zipfile never inflates a member past the size its directory declares, so
    checking the declared sizes bounds what openpyxl can be made to read.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise refuse("unreadable_xlsx", _("The file is not a valid XLSX spreadsheet.")) from error
    total = sum(member.file_size for member in members)
    maximum = limit("XLSX_MAX_UNCOMPRESSED_BYTES")
    ratio = limit("XLSX_MAX_COMPRESSION_RATIO")
    suspicious = any(
        member.file_size > 10 * 1024**2 and member.file_size > ratio * max(member.compress_size, 1)
        for member in members
    )
    if total > maximum or suspicious:
        raise refuse(
            "xlsx_too_large",
            _(
                "The spreadsheet unpacks to %(size)s MB, more than can be loaded safely. "
                "Save it as CSV, or split it."
            )
            % {"size": f"{total / 1024**2:,.0f}"},
            uncompressed_size=total,
        )


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        return format(value, "f") if "e" in text else text
    return str(value)


def clean_headers(raw: list[str]) -> tuple[list[str], list[dict]]:
    """Column names from the header row, each unique and usable, and what was changed.

    Blank headers become "column_<n>"; a repeat (compared without case, as SQLite does)
    gets "_2", "_3"...; names are cut to 63 bytes and may not be a reserved name.
    """
    while raw and not raw[-1].strip():
        raw = raw[:-1]
    names: list[str] = []
    seen: set[str] = set()
    problems: list[dict] = []
    for position, cell in enumerate(raw, start=1):
        name = _CONTROL.sub(" ", cell).strip()
        name = _cut(" ".join(name.split()))
        label = name
        if not name:
            name = f"column_{position}"
            problems.append(
                _header_problem(
                    position,
                    name,
                    "blank-header",
                    _("Column %(n)s has no header; it is called “%(name)s”.")
                    % {"n": position, "name": name},
                )
            )
        elif name.lower() in RESERVED_COLUMNS:
            name = f"{name}_2"
        if name.casefold() in seen:
            base, suffix = name, 2
            while name.casefold() in seen:
                name = _cut(base, room=len(f"_{suffix}")) + f"_{suffix}"
                suffix += 1
            problems.append(
                _header_problem(
                    position,
                    name,
                    "duplicate-label",
                    _("Column %(n)s repeats the header “%(label)s”; it is called “%(name)s”.")
                    % {"n": position, "label": label, "name": name},
                )
            )
        seen.add(name.casefold())
        names.append(name)
    if len(names) > limit("MAX_COLUMNS"):
        raise refuse(
            "too_many_columns",
            _("The table has %(count)s columns; at most %(max)s can be loaded.")
            % {"count": len(names), "max": limit("MAX_COLUMNS")},
        )
    if not names:
        raise refuse("no_header", _("The file is empty or its first row has no headers."))
    return names, problems


def _cut(name: str, room: int = 0) -> str:
    encoded = name.encode()[: MAX_COLUMN_NAME_BYTES - room]
    return encoded.decode(errors="ignore").rstrip()


def _header_problem(position: int, column: str, code: str, message: str) -> dict:
    return {"row": 1, "column": column, "code": code, "message": message}
