"""Reading the address-based CSV exports of electoral management systems (EMS).

Each system names its columns its own way; a layout is a small declarative subclass of
`EmsLayout` naming them, as Democracy Club's importers do, so that a new system or a
council's quirk is a subclass, not a branch. Headers are compared trimmed and lower-cased
(exports differ in case). Reading never writes: it turns the files into stations,
addresses and districts plus a list of problems, each with its file and row (the header is
row 1), and the service stores the result only when there is no problem at all.

Stations are placed by the British National Grid easting and northing the exports carry,
turned into longitude and latitude by pyproj (ADR 0081). A station with no coordinates
(blank, zero or not a number) is a problem: a resident could not be shown where it is.
"""

import csv
import io
from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import gettext_lazy as _

from townhall.core.services.geography import MalformedPostcode, normalise_postcode

ADDRESSES = "addresses"
STATIONS = "stations"


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
class ReadResult:
    stations: dict[str, Station] = field(default_factory=dict)
    addresses: list[Address] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@cache
def _to_wgs84():
    from pyproj import Transformer

    return Transformer.from_crs(27700, 4326, always_xy=True)


def _text(value) -> str:
    return " ".join((value or "").split())


def _joined(row: dict, columns) -> str:
    return "\n".join(part for part in (_text(row.get(column)) for column in columns) if part)


class EmsLayout:
    """The columns of one EMS export. Subclasses name them; override a method for a quirk."""

    slug = ""
    label = ""
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

    def address_text(self, row: dict) -> str:
        return _joined(row, self.address_fields).replace("\n", ", ")

    def station_address(self, row: dict) -> str:
        # Without a name column, the "" column is read as empty and left out.
        return _joined(row, (self.station_name, *self.station_address_fields))


class XpressWebLookup(EmsLayout):
    """Xpress's WebLookup export: one row per address, its station's details on each row."""

    slug = "xpress-weblookup"
    label = _("Xpress (WebLookup export)")
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


class DemocracyCounts(EmsLayout):
    """Democracy Counts: an addresses file and a stations file, joined by station code."""

    slug = "democracy-counts"
    label = _("Democracy Counts (addresses and stations files)")
    separate_stations = True
    station_id = "stationcode"
    address_fields = tuple(f"add{n}" for n in range(1, 7))
    station_name = "placename"
    station_address_fields = address_fields
    station_postcode = "postcode"
    station_easting = "xordinate"
    station_northing = "yordinate"


LAYOUTS: dict[str, EmsLayout] = {
    layout.slug: layout for layout in (XpressWebLookup(), DemocracyCounts())
}


def _rows(data: bytes, name: str, required: set[str], result: ReadResult) -> list[tuple[int, dict]]:
    """The file's rows by row number, or none (and a problem) when columns are missing."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = {(header or "").strip().lower() for header in reader.fieldnames or ()}
    missing = sorted(required - headers)
    if missing:
        result.problems.append(
            Problem(name, 1, _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        )
        return []
    return [
        (number, {(key or "").strip().lower(): value for key, value in row.items()})
        for number, row in enumerate(reader, start=2)
    ]


def _coordinate(value) -> float | None:
    try:
        number = float(_text(value))
    except ValueError:
        return None
    return number if number > 0 else None


def _station(layout: EmsLayout, row: dict, name: str, number: int, result: ReadResult) -> None:
    council_id = _text(row.get(layout.station_id))
    easting = _coordinate(row.get(layout.station_easting))
    northing = _coordinate(row.get(layout.station_northing))
    if easting is None or northing is None:
        result.problems.append(
            Problem(
                name,
                number,
                _("Polling station %(station)s has no coordinates (easting and northing)")
                % {"station": council_id},
            )
        )
        return
    longitude, latitude = _to_wgs84().transform(easting, northing)
    result.stations[council_id] = Station(
        council_id=council_id,
        address=layout.station_address(row),
        postcode=_text(row.get(layout.station_postcode)).upper(),
        longitude=round(longitude, 6),
        latitude=round(latitude, 6),
    )


def read(layout: EmsLayout, addresses: bytes, stations: bytes | None = None) -> ReadResult:
    """The stations and addresses in the export, and every problem found, row by row."""
    result = ReadResult()
    station_rows: dict[str, int] = {}
    if layout.separate_stations:
        for number, row in _rows(stations or b"", STATIONS, layout.station_columns(), result):
            council_id = _text(row.get(layout.station_id))
            if council_id in station_rows:
                result.problems.append(
                    Problem(
                        STATIONS,
                        number,
                        _("Polling station %(station)s is also on row %(row)d")
                        % {"station": council_id, "row": station_rows[council_id]},
                    )
                )
                continue
            station_rows[council_id] = number
            _station(layout, row, STATIONS, number, result)
    uprn_rows: dict[str, int] = {}
    for number, row in _rows(addresses, ADDRESSES, layout.address_columns(), result):
        problem = _address(layout, row, number, uprn_rows, station_rows, result)
        if problem:
            result.problems.append(Problem(ADDRESSES, number, problem))
    return result


def _address(layout, row, number, uprn_rows, station_rows, result) -> str:
    """Adds the row's address (and, in a one-file export, its station); or says what is wrong."""
    uprn = _text(row.get(layout.uprn))
    station_id = _text(row.get(layout.station_id))
    if not uprn:
        return _("No UPRN")
    if uprn in uprn_rows:
        return _("UPRN %(uprn)s is also on row %(row)d") % {"uprn": uprn, "row": uprn_rows[uprn]}
    uprn_rows[uprn] = number
    try:
        postcode = normalise_postcode(row.get(layout.postcode) or "")
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
