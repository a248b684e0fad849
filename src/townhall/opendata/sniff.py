"""What a file really is, read from its first bytes rather than trusted from its name.

A publisher's file whose extension says one thing and whose content says another (a PDF
renamed .csv, a spreadsheet renamed .json) is refused before it is stored, with a
message that names both, so nothing downstream has to cope with a lie.
"""

import json
import zipfile
from pathlib import PurePath
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Resource

Format = Resource.Format

#: The format each file extension claims.
FORMAT_BY_EXTENSION = {
    ".csv": Format.CSV,
    ".tsv": Format.TSV,
    ".tab": Format.TSV,
    ".xlsx": Format.XLSX,
    ".json": Format.JSON,
    ".geojson": Format.GEOJSON,
    ".pdf": Format.PDF,
}

#: Formats loaded into the DataStore as tables.
TABULAR = frozenset({Format.CSV, Format.TSV, Format.XLSX})

#: Signatures of binary files that no dataset resource should be.
OTHER_BINARY = (
    (b"\x89PNG", gettext_lazy("a PNG image")),
    (b"GIF8", gettext_lazy("a GIF image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"MZ", gettext_lazy("a Windows program")),
    (b"\x7fELF", gettext_lazy("a program")),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("an old Excel (.xls) or Word file")),
    (b"Rar!", gettext_lazy("a RAR archive")),
    (b"7z\xbc\xaf", gettext_lazy("a 7-Zip archive")),
)

SNIFF_BYTES = 64 * 1024


class FileTypeMismatch(ValueError):
    """The file's content is not what its name claims, or is of no accepted kind."""


def claimed_format(filename: str) -> str | None:
    """The format the file name's extension claims, or None for an extension we do not take."""
    return FORMAT_BY_EXTENSION.get(PurePath(filename).suffix.lower())


def detect(stream: BinaryIO) -> tuple[str | None, str]:
    """Return (format, description) of the content; format is None for unaccepted kinds.

    The stream is read from the start and left at the start.
    """
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return Format.PDF, _("a PDF document")
    if head.startswith(b"PK\x03\x04"):
        return _detect_zip(stream)
    for signature, description in OTHER_BINARY:
        if head.startswith(signature):
            return None, str(description)
    if b"\x00" in head:
        return None, _("a binary file")
    return _detect_text(head)


def _detect_zip(stream: BinaryIO) -> tuple[str | None, str]:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None, _("a damaged zip archive")
    finally:
        stream.seek(0)
    if "xl/workbook.xml" in names:
        return Format.XLSX, _("an Excel (XLSX) workbook")
    if "word/document.xml" in names:
        return None, _("a Word document")
    return None, _("a zip archive")


def _detect_text(head: bytes) -> tuple[str | None, str]:
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if not text:
        return None, _("an empty file")
    lowered = text[:200].lower()
    if lowered.startswith(("<!doctype html", "<html")):
        return Format.HTML, _("a web page (HTML)")
    if text[0] in "{[":
        if _looks_like_geojson(text):
            return Format.GEOJSON, _("GeoJSON")
        return Format.JSON, _("JSON")
    first_line = text.splitlines()[0]
    if first_line.count("\t") > first_line.count(","):
        return Format.TSV, _("tab-separated text (TSV)")
    return Format.CSV, _("comma-separated text (CSV)")


def _looks_like_geojson(text: str) -> bool:
    try:
        document = json.loads(text)
    except ValueError:
        # Only the first part of a large file was read: look for the telltale member.
        compact = text[:4096].replace(" ", "")
        return '"type":"FeatureCollection"' in compact or '"type":"Feature"' in compact
    return isinstance(document, dict) and document.get("type") in ("FeatureCollection", "Feature")


#: Which detected formats are acceptable for each claimed format.
COMPATIBLE = {
    Format.CSV: {Format.CSV, Format.TSV},
    Format.TSV: {Format.TSV, Format.CSV},
    Format.XLSX: {Format.XLSX},
    Format.JSON: {Format.JSON, Format.GEOJSON},
    Format.GEOJSON: {Format.GEOJSON},
    Format.PDF: {Format.PDF},
}


def verify(stream: BinaryIO, filename: str) -> str:
    """Return the resource format of an upload, or raise FileTypeMismatch saying why not.

    The claimed format (from the extension) is kept when the content agrees with it, so a
    .csv that turns out to be tab-separated is still loaded as the publisher named it.
    """
    claimed = claimed_format(filename)
    if claimed is None:
        accepted = ", ".join(sorted(FORMAT_BY_EXTENSION))
        raise FileTypeMismatch(
            _("“%(name)s” is not a file type the catalogue takes. Upload one of: %(accepted)s.")
            % {"name": filename, "accepted": accepted}
        )
    detected, description = detect(stream)
    if detected in COMPATIBLE[claimed]:
        return claimed
    raise FileTypeMismatch(
        _(
            "The file “%(name)s” is named as %(claimed)s but its content is %(actual)s. "
            "Upload a real %(claimed)s file, or give the file the extension of what it is."
        )
        % {"name": filename, "claimed": claimed, "actual": description}
    )
