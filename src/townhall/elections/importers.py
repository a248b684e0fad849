"""Reading the address-based exports of electoral management systems (EMS).

Each system names its columns its own way; a layout is a small declarative subclass of
`EmsLayout` naming them, as Democracy Club's importers do, so that a new system or a
council's quirk is a subclass, not a branch. There is one pipeline for every layout: the
file is streamed a chunk at a time (never held whole), decoded, split into rows, and each
row checked the same way. Headers are compared trimmed and lower-cased (exports differ in
case), and a file is read as comma- or tab-separated by its header, as the systems write
both. Reading never writes: it turns the files into stations and addresses plus a list of
problems, each with its file and row (the header is row 1), and the service stores the
result only when there is no problem at all.

Which layout a file has is recognised from its header (each layout names the columns only
it has), or from the file being JSON for FCS ElectionsPro, whose Democracy Club export is
the JSON of its polling station API, not a CSV.

Exports come as UTF-8, UTF-16 (Democracy Counts, often without a byte order mark) or
Windows-1252 (Excel's "CSV" on a British PC); a file in none of these is reported at the
row where its text stops making sense, rather than read with replacement characters.

Stations are placed by the British National Grid easting and northing the CSV exports
carry, turned into longitude and latitude by pyproj (ADR 0081). A station with no
coordinates (blank, zero or not a number) is a problem: a resident could not be shown
where it is.
"""

import codecs
import csv
import io
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import BinaryIO

from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from townhall.core.services.geography import MalformedPostcode, normalise_postcode

ADDRESSES = "addresses"
STATIONS = "stations"
#: The largest file read. Democracy Club's own limit is 150 MB; the largest councils'
#: address exports are under a third of that.
MAX_BYTES = 200 * 1024 * 1024
#: The problems listed one by one; past these, only their number is told.
MAX_PROBLEMS = 500
CHUNK = 1024 * 1024
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "cp1252": "Windows-1252",
}


@dataclass(frozen=True)
class Problem:
    """Something wrong with one row (or the header, row 1) of one file."""

    file: str
    row: int
    message: str


@dataclass
class Station:
    council_id: str
    address: str
    postcode: str
    longitude: float
    latitude: float


@dataclass
class Address:
    uprn: str
    address: str
    postcode: str
    station_id: str
    district: str


@dataclass
class Problems:
    """The problems found reading some files: the first MAX_PROBLEMS listed, and the
    number of those past them (`unlisted`), counted but not kept, so that a file wrong
    on every row costs no more memory than one wrong on a few."""

    problems: list[Problem] = field(default_factory=list)
    unlisted: int = 0

    def problem(self, file: str, row: int, message) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(file, row, message))
        else:
            self.unlisted += 1


@dataclass
class ReadResult(Problems):
    """What the files hold. `layout` is the layout read (None when none could be told),
    `detected` whether it was recognised from the file rather than chosen, `encodings`
    each file's character encoding and `skipped` the rows the export marks as not voting
    anywhere."""

    layout: "EmsLayout | None" = None
    detected: bool = False
    stations: dict[str, Station] = field(default_factory=dict)
    addresses: list[Address] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)
    skipped: int = 0


@cache
def _to_wgs84():
    from pyproj import Transformer

    return Transformer.from_crs(27700, 4326, always_xy=True)


def _text(value) -> str:
    if value is None:
        return ""
    return " ".join((value if isinstance(value, str) else str(value)).split())


def _joined(row: dict, columns) -> str:
    return "\n".join(part for part in (_text(row.get(column)) for column in columns) if part)


def _number(value) -> float | None:
    try:
        return float(_text(value))
    except ValueError:
        return None


class EmsLayout:
    """The columns of one EMS export. Subclasses name them; override a method for a quirk."""

    slug = ""
    label = ""
    #: Columns only this system's addresses file has, to recognise it by.
    signature: frozenset[str] = frozenset()
    #: Whether stations come in their own file (else each address row carries its station).
    separate_stations = False
    uprn = "uprn"
    postcode = "postcode"
    station_id = ""
    district = ""
    address_fields: tuple[str, ...] = ()
    station_name = ""
    station_address_fields: tuple[str, ...] = ()
    station_postcode = ""
    station_easting = ""
    station_northing = ""

    def address_columns(self) -> set[str]:
        columns = {self.uprn, self.postcode, self.station_id, *self.address_fields}
        if not self.separate_stations:
            columns |= self.station_columns()
        return columns | ({self.district} if self.district else set())

    def station_columns(self) -> set[str]:
        columns = {self.station_id, self.station_postcode, self.station_easting}
        columns |= {self.station_northing, *self.station_address_fields}
        return columns | ({self.station_name} if self.station_name else set())

    def rows(
        self, source: BinaryIO, name: str, required: set[str], result: ReadResult
    ) -> Iterator[tuple[int, dict]]:
        """The file's rows by row number; none, and a problem, when columns are missing."""
        table = _Table(source, name, result)
        missing = sorted(required - set(table.header))
        if missing:
            result.problem(
                name, 1, _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)}
            )
            return iter(())
        return table.rows()

    def skip(self, row: dict) -> bool:
        """Whether the export marks this row as one to leave out (no station, a dummy)."""
        return False

    def station_key(self, row: dict) -> str:
        """The council's reference for the row's station."""
        return _text(row.get(self.station_id))

    def address_text(self, row: dict) -> str:
        return _joined(row, self.address_fields).replace("\n", ", ")

    def station_address(self, row: dict) -> str:
        # Without a name column, the "" column is read as empty and left out.
        return _joined(row, (self.station_name, *self.station_address_fields))

    def position(self, row: dict) -> tuple[float, float] | None:
        """The station's longitude and latitude, or None when the row does not place it."""
        easting = _number(row.get(self.station_easting))
        northing = _number(row.get(self.station_northing))
        if not easting or not northing or easting < 0 or northing < 0:
            return None
        return _to_wgs84().transform(easting, northing)


class XpressWebLookup(EmsLayout):
    """Xpress's WebLookup export: one row per address, its station's details on each row."""

    slug = "xpress-weblookup"
    label = _("Xpress (WebLookup export)")
    signature = frozenset({"authoritycode", "pollingplaceid"})
    station_id = "pollingplaceid"
    district = "pollingdistrictreference"
    address_fields = ("propertynumber", "streetname")
    station_address_fields = tuple(f"pollingplaceaddress{n}" for n in range(1, 7))
    # The seventh address line is where Xpress puts the station's postcode.
    station_postcode = "pollingplaceaddress7"
    station_easting = "pollingplaceeasting"
    station_northing = "pollingplacenorthing"

    def address_text(self, row: dict) -> str:
        # Xpress writes 0 for a property with a name but no number.
        number = _text(row.get("propertynumber"))
        street = _text(row.get("streetname"))
        return street if number in ("", "0") else f"{number} {street}"


@lru_cache(maxsize=4096)
def _slug(name: str) -> str:
    # Cached: a file names a few hundred venues on hundreds of thousands of rows.
    return slugify(name)[:90]


class IdoxEros(EmsLayout):
    """Idox Eros (once Halarose): one row per address, its station's details on each row."""

    slug = "idox-eros"
    label = _("Idox Eros (Halarose)")
    signature = frozenset({"pollingvenueid", "pollingstationnumber"})
    station_id = "pollingstationnumber"
    district = "pollingdistrictid"
    address_fields = tuple(f"addressline{n}" for n in range(1, 6))
    station_name = "pollingstationname"
    station_address_fields = tuple(f"pollingstationaddress{n}" for n in range(1, 6))
    station_postcode = "pollingstationpostcode"
    station_easting = "pollingvenueeasting"
    station_northing = "pollingvenuenorthing"

    def skip(self, row: dict) -> bool:
        # Eros writes n/a as the station of an address that votes nowhere in this poll.
        return _text(row.get(self.station_id)).lower() == "n/a"

    def station_key(self, row: dict) -> str:
        # One venue can hold several stations, numbered apart, and numbers restart per
        # venue in some councils: the number and the venue's name together tell them apart.
        number = _text(row.get(self.station_id))
        if number.lower() in ("", "n/a"):
            return ""
        return f"{number}-{_slug(_text(row.get(self.station_name)))}"


class DemocracyCounts(EmsLayout):
    """Democracy Counts: an addresses file and a stations file, joined by station code."""

    slug = "democracy-counts"
    label = _("Democracy Counts (addresses and stations files)")
    signature = frozenset({"stationcode", "xordinate"})
    separate_stations = True
    station_id = "stationcode"
    address_fields = tuple(f"add{n}" for n in range(1, 7))
    station_name = "placename"
    station_address_fields = address_fields
    station_postcode = "postcode"
    station_easting = "xordinate"
    station_northing = "yordinate"

    def skip(self, row: dict) -> bool:
        # Democracy Counts exports end with a dummy record at the made-up postcode A1 1AA.
        return _text(row.get(self.postcode)).upper() == "A1 1AA"


class FcsElectionsPro(EmsLayout):
    """FCS ElectionsPro: the JSON of its Democracy Club polling station API, saved as a
    file: a list of stations, each with its addresses ("properties"). Each address is
    read as a row carrying its station's fields, prefixed "station.", so the one pipeline
    reads it; rows are numbered by address, in the file's order."""

    slug = "fcs-electionspro"
    label = _("FCS ElectionsPro (Democracy Club JSON export)")
    uprn = "addressuprn"
    postcode = "addresspostcode"
    station_id = "station.id"
    address_fields = tuple(f"addressline{n}" for n in range(1, 6))
    station_name = "station.name"
    station_address_fields = tuple(f"station.addressline{n}" for n in range(1, 6))
    station_postcode = "station.addresspostcode"
    station_easting = "station.longitude"
    station_northing = "station.latitude"

    def rows(self, source, name, required, result):
        try:
            stations = json.load(source)
        except (UnicodeDecodeError, ValueError) as error:
            result.problem(name, 1, _("This is not a JSON file: %(error)s") % {"error": error})
            return
        if not isinstance(stations, list) or not all(isinstance(s, dict) for s in stations):
            result.problem(name, 1, _("The file must be a list of polling stations"))
            return
        number = 0
        for station in stations:
            fields = {f"station.{key.lower()}": value for key, value in station.items()}
            for address in station.get("properties") or ():
                number += 1
                row = {**fields, **{str(key).lower(): value for key, value in address.items()}}
                missing = sorted(required - set(row))
                if missing:
                    message = _("Missing fields: %(columns)s") % {"columns": ", ".join(missing)}
                    result.problem(name, number, message)
                    continue
                yield number, row

    def position(self, row: dict) -> tuple[float, float] | None:
        # FCS gives longitude and latitude already (WGS84), not grid references.
        longitude = _number(row.get(self.station_easting))
        latitude = _number(row.get(self.station_northing))
        if not longitude or not latitude or abs(longitude) > 180 or abs(latitude) > 90:
            return None
        return longitude, latitude


LAYOUTS: dict[str, EmsLayout] = {
    layout.slug: layout
    for layout in (XpressWebLookup(), IdoxEros(), DemocracyCounts(), FcsElectionsPro())
}


def _encoding(source: BinaryIO) -> str:
    """The file's encoding: by its byte order mark, else UTF-8 when every byte of it is,
    else Windows-1252. Reads the file once in chunks and rewinds it."""
    head = source.read(4)
    source.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(head) >= 2 and head[0] != 0 and head[1] == 0:
        # Democracy Counts writes UTF-16 without a byte order mark; its header is ASCII.
        return "utf-16-le"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := source.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        source.seek(0)
    return "utf-8"


def _raw_lines(source: BinaryIO) -> Iterator[bytes]:
    pending = b""
    while chunk := source.read(CHUNK):
        *lines, pending = (pending + chunk).split(b"\n")
        for line in lines:
            yield line + b"\n"
    if pending:
        yield pending


def _lines(source: BinaryIO, encoding: str) -> Iterator[str]:
    """The file's lines, decoded one at a time so that a byte the encoding cannot read
    (Windows-1252 leaves five undefined) raises UnicodeDecodeError as the reader reaches
    its row. A UTF-16 file's bytes split at b"\n" mid-character; the decoder keeps the
    half until the next piece."""
    decoder = codecs.getincrementaldecoder(encoding)()
    rest = ""
    for raw in _raw_lines(source):
        *lines, rest = (rest + decoder.decode(raw)).split("\n")
        for line in lines:
            yield line + "\n"
    rest += decoder.decode(b"", final=True)
    if rest:
        yield rest


class _Table:
    """Internal: one CSV file, streamed; its header read on opening."""

    def __init__(self, source: BinaryIO, name: str, result: ReadResult) -> None:
        self.name, self.result = name, result
        encoding = _encoding(source)
        result.encodings[name] = ENCODING_NAMES[encoding]
        lines = _lines(source, encoding)
        first = self._first(lines)
        # Xpress and Democracy Counts exports are as often tab- as comma-separated.
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        self.reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)
        self.header = [column.strip().lower() for column in next(self.reader, [])]

    def _first(self, lines: Iterator[str]) -> str:
        try:
            return next(lines, "")
        except UnicodeDecodeError:
            self._unreadable(1)
            return ""

    def _unreadable(self, row: int) -> None:
        self.result.problem(
            self.name,
            row,
            _(
                "This row has characters that are neither UTF-8 nor Windows-1252, so the "
                "rest of the file cannot be read: save the export as UTF-8 and import it again"
            ),
        )

    def rows(self) -> Iterator[tuple[int, dict]]:
        number = 1
        try:
            for number, values in enumerate(self.reader, start=2):
                if any(value.strip() for value in values):
                    yield number, dict(zip(self.header, values, strict=False))
        except UnicodeDecodeError:
            self._unreadable(number + 1)
        except csv.Error as error:
            self.result.problem(
                self.name,
                number + 1,
                _("This row cannot be read as CSV: %(error)s") % {"error": error},
            )


def too_large(source: BinaryIO, name: str, result: Problems, row: int = 1) -> bool:
    """Whether the file is over MAX_BYTES (a problem is added, at `row`, then). Rewinds it."""
    size = source.seek(0, 2)
    source.seek(0)
    if size <= MAX_BYTES:
        return False
    result.problem(
        name, row, _("The file must be smaller than %(size)s") % {"size": filesizeformat(MAX_BYTES)}
    )
    return True


def _station(layout: EmsLayout, row: dict, name: str, number: int, result: ReadResult) -> None:
    council_id = layout.station_key(row)
    position = layout.position(row)
    if position is None:
        result.problem(
            name,
            number,
            _("Polling station %(station)s has no coordinates (easting and northing)")
            % {"station": council_id},
        )
        return
    longitude, latitude = position
    result.stations[council_id] = Station(
        council_id=council_id,
        address=layout.station_address(row),
        postcode=_text(row.get(layout.station_postcode)).upper(),
        longitude=round(longitude, 6),
        latitude=round(latitude, 6),
    )


def detect(source: BinaryIO) -> EmsLayout | None:
    """The layout of an addresses file, told by its first byte (JSON) or its header's
    columns; None when no layout's columns are all there. Rewinds the file."""
    head = source.read(64).lstrip(codecs.BOM_UTF8).lstrip()
    source.seek(0)
    if head.startswith(b"["):
        return LAYOUTS[FcsElectionsPro.slug]
    header = set(_Table(source, ADDRESSES, ReadResult()).header)
    source.seek(0)
    return next(
        (layout for layout in LAYOUTS.values() if layout.signature and layout.signature <= header),
        None,
    )


def read(
    layout: EmsLayout | None,
    addresses: bytes | BinaryIO,
    stations: bytes | BinaryIO | None = None,
) -> ReadResult:
    """The stations and addresses in the export, and every problem found, row by row.

    The files are bytes or seekable binary files (an upload), read a chunk at a time.
    With no layout, the addresses file's own is used, or the result has a problem saying
    it could not be told. A file over MAX_BYTES is refused unread.
    """
    result = ReadResult(layout=layout)
    addresses = io.BytesIO(addresses) if isinstance(addresses, bytes) else addresses
    stations = io.BytesIO(stations) if isinstance(stations, bytes) else stations
    for name, source in ((ADDRESSES, addresses), (STATIONS, stations)):
        if source is not None:
            too_large(source, name, result)
    if result.problems:
        return result
    if layout is None:
        result.layout, result.detected = detect(addresses), True
        if result.layout is None:
            result.problem(
                ADDRESSES,
                1,
                _(
                    "The columns are not those of any system this import knows: choose "
                    "the system the file comes from"
                ),
            )
            return result
        layout = result.layout
    station_rows: dict[str, int] = {}
    if layout.separate_stations:
        if stations is None:
            result.problem(STATIONS, 1, _("Choose the stations file this system exports"))
            return result
        for number, row in layout.rows(stations, STATIONS, layout.station_columns(), result):
            council_id = layout.station_key(row)
            if council_id in station_rows:
                result.problem(
                    STATIONS,
                    number,
                    _("Polling station %(station)s is also on row %(row)d")
                    % {"station": council_id, "row": station_rows[council_id]},
                )
                continue
            station_rows[council_id] = number
            _station(layout, row, STATIONS, number, result)
    uprn_rows: dict[str, int] = {}
    for number, row in layout.rows(addresses, ADDRESSES, layout.address_columns(), result):
        if layout.skip(row):
            result.skipped += 1
            continue
        problem = _address(layout, row, number, uprn_rows, station_rows, result)
        if problem:
            result.problem(ADDRESSES, number, problem)
    return result


def _address(layout, row, number, uprn_rows, station_rows, result) -> str:
    """Adds the row's address (and, in a one-file export, its station); or says what is wrong."""
    uprn = _text(row.get(layout.uprn))
    station_id = layout.station_key(row)
    if not uprn:
        return _("No UPRN")
    if uprn in uprn_rows:
        return _("UPRN %(uprn)s is also on row %(row)d") % {"uprn": uprn, "row": uprn_rows[uprn]}
    uprn_rows[uprn] = number
    try:
        postcode = normalise_postcode(_text(row.get(layout.postcode)))
    except MalformedPostcode:
        return _("“%(postcode)s” is not a postcode") % {"postcode": _text(row.get(layout.postcode))}
    if not station_id:
        return _("No polling station")
    if station_id not in station_rows:
        if layout.separate_stations:
            return _("Polling station %(station)s is not in the stations file") % {
                "station": station_id
            }
        station_rows[station_id] = number
        _station(layout, row, ADDRESSES, number, result)
    result.addresses.append(
        Address(
            uprn=uprn,
            address=layout.address_text(row),
            postcode=postcode,
            station_id=station_id,
            district=_text(row.get(layout.district)) if layout.district else "",
        )
    )
    return ""
