"""Geography: postcodes and areas in, and the find-by-postcode helper every module uses.

`find_by_postcode(text)` is the one way to turn what a resident typed into a place: it
normalises the postcode and raises a `PostcodeError` subclass, with a stable `code` and a
message for a person, when the postcode is malformed, unknown, no longer in use or outside
the council. The importers read the ONS Postcode Directory (CSV) and boundaries (GeoJSON).
"""

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import batched
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from shapely import make_valid
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from .. import audit
from ..models import Area, Postcode
from ..permissions import require
from ..selectors import geography as geography_selectors
from ..selectors.site import council_name, site_settings
from .tasks import Progress

# Outward code: A9, A9A, A99, AA9, AA9A, AA99. Inward code: digit and two letters, never C I K M O V.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][ABD-HJLNP-UW-Z]{2})$")
_SPECIAL_POSTCODES = {"GIR0AA": "GIR 0AA"}
IMPORT_BATCH_SIZE = 2000


class PostcodeError(Exception):
    """A postcode that cannot be used. `code` is stable; `message` is for the person."""

    code = "postcode_error"
    status = 400
    message = _("Enter a real postcode, like NB1 1AA")

    def __init__(self, postcode: str = "") -> None:
        super().__init__(str(self.message))
        self.postcode = postcode


class MalformedPostcode(PostcodeError):
    code = "malformed_postcode"
    status = 400
    message = _("Enter a real postcode, like NB1 1AA")


FIND_YOUR_COUNCIL_URL = "https://www.gov.uk/find-local-council"


class NotInCouncilArea(PostcodeError):
    """A real postcode that is not one of the council's: the person is told so and where
    to find their own council, rather than that the postcode does not exist."""

    def __init__(self, postcode: str = "") -> None:
        self.message = _(
            "%(postcode)s is not in %(council)s's area. Check the postcode, or find your "
            "council at %(url)s"
        ) % {"postcode": postcode, "council": council_name(), "url": FIND_YOUR_COUNCIL_URL}
        super().__init__(postcode)


class UnknownPostcode(NotInCouncilArea):
    """A well-formed postcode that the council's postcode table does not hold: a postcode
    elsewhere in the country (the table holds the council's own) or a mistyped one."""

    code = "unknown_postcode"
    status = 404


class TerminatedPostcode(PostcodeError):
    code = "terminated_postcode"
    status = 404
    message = _("That postcode is no longer in use. Enter the postcode you use now.")


class PostcodeOutsideCouncil(NotInCouncilArea):
    code = "postcode_outside_council"
    status = 404


@dataclass(frozen=True)
class PostcodeLocation:
    """Where a postcode is and which of the council's areas it falls in."""

    postcode: str
    latitude: float | None
    longitude: float | None
    ward_code: str
    ward_name: str
    local_authority_code: str
    ward_slug: str = ""


def normalise_postcode(text: str) -> str:
    """The postcode in its standard form ("nb11aa" -> "NB1 1AA").

    Raises MalformedPostcode when the text cannot be a UK postcode.
    """
    compact = re.sub(r"\s+", "", text or "").upper()
    if compact in _SPECIAL_POSTCODES:
        return _SPECIAL_POSTCODES[compact]
    found = _POSTCODE.match(compact)
    if found is None:
        raise MalformedPostcode(text)
    return f"{found.group(1)} {found.group(2)}"


def find_by_postcode(text: str) -> PostcodeLocation:
    """Where the postcode a person typed is, and its ward.

    Raises MalformedPostcode, UnknownPostcode, TerminatedPostcode or PostcodeOutsideCouncil
    (all PostcodeError). The council is SiteSettings.local_authority_code when it is set;
    otherwise any postcode in one of the council's wards (when wards are loaded).
    """
    postcode = normalise_postcode(text)
    row = Postcode.objects.filter(postcode=postcode).first()
    if row is None:
        raise UnknownPostcode(postcode)
    if row.terminated is not None:
        raise TerminatedPostcode(postcode)
    ward = geography_selectors.area_by_code(row.ward_code) if row.ward_code else None
    if ward is None and row.latitude is not None and row.longitude is not None:
        ward = geography_selectors.area_containing(row.longitude, row.latitude, kind="ward")
    if not _in_council(row, ward):
        raise PostcodeOutsideCouncil(postcode)
    return PostcodeLocation(
        postcode=row.postcode,
        latitude=row.latitude,
        longitude=row.longitude,
        ward_code=ward.code if ward else row.ward_code,
        ward_name=geography_selectors.area_name(ward) if ward else "",
        local_authority_code=row.local_authority_code,
        ward_slug=ward.slug if ward and ward.kind == Area.Kind.WARD else "",
    )


def _in_council(row: Postcode, ward: Area | None) -> bool:
    council_code = site_settings().local_authority_code
    if council_code:
        return row.local_authority_code == council_code
    if ward is not None and ward.kind == Area.Kind.WARD:
        return True
    return not Area.objects.filter(kind=Area.Kind.WARD).exists()


class GeographyImportError(Exception):
    """A file that cannot be imported at all; the message says why, for the person importing."""


@dataclass
class ImportReport:
    """What an import did: rows read, rows stored, and each skipped row with its reason."""

    read: int = 0
    stored: int = 0
    created: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


# --- ONS Postcode Directory --------------------------------------------------------------


class OnspdLayout:
    """The ONSPD columns we read. A differently named release is a subclass naming its columns.

    ONSPD marks a postcode without a grid reference with latitude 99.999999 (and longitude
    0.000000); we store no position for it rather than a point in the sea.
    """

    postcode = "pcds"
    terminated = "doterm"
    local_authority = "oslaua"
    ward = "osward"
    latitude = "lat"
    longitude = "long"
    no_position_latitude = 99.999999

    def required(self) -> list[str]:
        return [self.postcode, self.local_authority, self.ward, self.latitude, self.longitude]


def _decoded_lines(handle) -> Iterator[str]:
    """Lines of text from a byte stream: UTF-8 (with or without BOM), else Windows-1252.

    Decided line by line, so one stray Windows-1252 name does not stop a UTF-8 file.
    """
    for number, raw in enumerate(handle):
        line = raw[3:] if number == 0 and raw.startswith(b"\xef\xbb\xbf") else raw
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            yield line.decode("cp1252", errors="replace")


def _onspd_date(text: str) -> date | None:
    """ONSPD dates are YYYYMM; an empty value means the postcode is live."""
    text = text.strip()
    if not text:
        return None
    if not re.fullmatch(r"\d{6}", text) or not 1 <= int(text[4:]) <= 12:
        raise ValueError(
            _("the termination date %(value)s is not in the form YYYYMM") % {"value": text}
        )
    return date(int(text[:4]), int(text[4:]), 1)


def _onspd_row(row: dict[str, str], layout: OnspdLayout) -> Postcode:
    try:
        postcode = normalise_postcode(row[layout.postcode])
    except MalformedPostcode:
        raise ValueError(
            _("%(value)s is not a postcode") % {"value": row[layout.postcode]}
        ) from None
    try:
        latitude = float(row[layout.latitude]) if row[layout.latitude].strip() else None
        longitude = float(row[layout.longitude]) if row[layout.longitude].strip() else None
    except ValueError:
        raise ValueError(_("the latitude or longitude is not a number")) from None
    if latitude is None or longitude is None or latitude == layout.no_position_latitude:
        latitude = longitude = None
    elif not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(_("the latitude or longitude is out of range"))
    return Postcode(
        postcode=postcode,
        latitude=latitude,
        longitude=longitude,
        local_authority_code=row[layout.local_authority].strip()[:9],
        ward_code=row[layout.ward].strip()[:9],
        terminated=_onspd_date(row.get(layout.terminated) or ""),
    )


def postcodes_import(
    *,
    path: Path,
    local_authority: str = "",
    actor: Any = None,
    layout: OnspdLayout | None = None,
    progress_key: str = "geography:postcodes",
) -> ImportReport:
    """Upsert postcodes from a CSV in the ONS Postcode Directory layout, in batches.

    Streams the file, so the full directory (2.7 million rows) fits in little memory.
    `local_authority` keeps only rows of that authority. Bad rows are skipped and reported
    with their line numbers; running it again with the same file changes nothing. `actor`
    is the person importing (None for a command run by the operator).
    Raises GeographyImportError when required columns are missing.
    """
    if actor is not None:
        require(actor, "core.import_geography")
    layout = layout or OnspdLayout()
    report = ImportReport()
    before = Postcode.objects.count()
    progress = Progress.start(progress_key, label=f"Importing postcodes from {path.name}")
    try:
        _store_postcodes(path, layout, local_authority, report, progress)
    except GeographyImportError:
        raise
    except BaseException as error:
        progress.fail(
            str(_("The import stopped after %(read)s rows: %(error)s"))
            % {"read": report.read, "error": error.__class__.__name__}
        )
        # The batches stored before it stopped are committed: say so.
        _record_import(actor, "core.postcode", f"Postcodes from {path.name} (stopped)", report)
        raise
    report.created = Postcode.objects.count() - before
    progress.finish(f"{report.stored} postcodes stored, {len(report.skipped)} rows skipped")
    _record_import(actor, "core.postcode", f"Postcodes from {path.name}", report)
    return report


def _record_import(actor: Any, object_type: str, label: str, report: "ImportReport") -> None:
    """One audit entry an import: the rows are bulk-written, which no signal sees."""
    audit.record(
        actor=actor,
        operation="action",
        action="core.import_geography",
        object_type=object_type,
        object_label=label,
        after={
            "read": report.read,
            "stored": report.stored,
            "created": report.created,
            "skipped": len(report.skipped),
        },
    )


def _store_postcodes(
    path: Path, layout: "OnspdLayout", local_authority: str, report: "ImportReport", progress
) -> None:
    with path.open("rb") as handle:
        reader = csv.DictReader(_decoded_lines(handle))
        columns = [name.strip() for name in reader.fieldnames or []]
        reader.fieldnames = columns
        missing = [name for name in layout.required() if name not in columns]
        if missing:
            message = _("The file has no %(columns)s column. Is it in the ONSPD layout?") % {
                "columns": ", ".join(missing)
            }
            progress.fail(str(message))
            raise GeographyImportError(message)
        for batch in batched(
            _onspd_rows(reader, layout, local_authority, report), IMPORT_BATCH_SIZE
        ):
            unique = {row.postcode: row for row in batch}
            Postcode.objects.bulk_create(
                unique.values(),
                update_conflicts=True,
                unique_fields=["postcode"],
                update_fields=[
                    "latitude",
                    "longitude",
                    "local_authority_code",
                    "ward_code",
                    "terminated",
                ],
            )
            report.stored += len(unique)
            progress.advance(len(batch), message=f"{report.read} rows read")


def _onspd_rows(
    reader: csv.DictReader, layout: OnspdLayout, local_authority: str, report: ImportReport
) -> Iterator[Postcode]:
    for row in reader:
        report.read += 1
        if None in row or any(row.get(name) is None for name in layout.required()):
            report.skipped.append(
                (reader.line_num, str(_("the row has the wrong number of columns")))
            )
            continue
        if local_authority and row[layout.local_authority].strip() != local_authority:
            continue
        try:
            yield _onspd_row(row, layout)
        except ValueError as error:
            report.skipped.append((reader.line_num, str(error)))


# --- Area boundaries ----------------------------------------------------------------------


@dataclass(frozen=True)
class AreaProperties:
    """Which GeoJSON feature properties hold the code, the name and the Welsh name."""

    code: str
    name: str
    name_cy: str = ""


def guess_area_properties(properties: dict[str, Any]) -> AreaProperties:
    """ONS boundary files name properties like WD24CD, WD24NM, WD24NMW; else code/name/name_cy."""
    names = list(properties)

    def ending(suffix: str, fallback: str) -> str:
        found = [name for name in names if name.upper().endswith(suffix)]
        return found[0] if found else fallback

    return AreaProperties(
        code=ending("CD", "code"), name=ending("NM", "name"), name_cy=ending("NMW", "name_cy")
    )


def _polygonal(geometry: BaseGeometry) -> Polygon | MultiPolygon | None:
    """The polygons of a geometry, repaired if need be; None when it has none."""
    if not geometry.is_valid:
        geometry = make_valid(geometry)
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    parts = [part for part in getattr(geometry, "geoms", ()) if isinstance(part, Polygon)]
    parts += [
        polygon
        for part in getattr(geometry, "geoms", ())
        if isinstance(part, MultiPolygon)
        for polygon in part.geoms
    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _area_from_feature(
    feature: Any, number: int, kind: str, properties: AreaProperties | None
) -> Area:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValueError(_("feature %(number)s is not a GeoJSON Feature") % {"number": number})
    values = feature.get("properties") or {}
    chosen = properties or guess_area_properties(values)
    code = str(values.get(chosen.code) or "").strip()
    label = code or f"#{number}"
    if not code:
        raise ValueError(
            _("feature %(number)s has no %(property)s property")
            % {"number": number, "property": chosen.code}
        )
    try:
        geometry = shape(feature.get("geometry"))
    except Exception:
        raise ValueError(
            _("feature %(feature)s has no readable geometry") % {"feature": label}
        ) from None
    polygonal = _polygonal(geometry) if not geometry.is_empty else None
    if polygonal is None or polygonal.is_empty:
        raise ValueError(
            _("feature %(feature)s is a %(type)s, not a Polygon or MultiPolygon")
            % {"feature": label, "type": geometry.geom_type}
        )
    min_lon, min_lat, max_lon, max_lat = polygonal.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValueError(
            _(
                "feature %(feature)s has coordinates outside longitude and latitude; "
                "is the file in WGS84 (EPSG:4326) rather than British National Grid?"
            )
            % {"feature": label}
        )
    return Area(
        code=code[:20],
        name=str(values.get(chosen.name) or code)[:200],
        name_cy=str(values.get(chosen.name_cy) or "")[:200],
        kind=kind,
        geometry=mapping(polygonal),
        min_lon=min_lon,
        min_lat=min_lat,
        max_lon=max_lon,
        max_lat=max_lat,
    )


def areas_from_geojson(
    collection: Any, *, kind: str, properties: AreaProperties | None = None
) -> list[Area]:
    """Unsaved Areas from a GeoJSON FeatureCollection; every problem is reported at once.

    Raises GeographyImportError naming each bad feature; nothing is returned in that case.
    """
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise GeographyImportError(_("The file is not a GeoJSON FeatureCollection."))
    areas, problems = [], []
    for number, feature in enumerate(collection.get("features") or [], start=1):
        try:
            areas.append(_area_from_feature(feature, number, kind, properties))
        except ValueError as error:
            problems.append(str(error))
    if problems:
        raise GeographyImportError("; ".join(problems))
    if not areas:
        raise GeographyImportError(_("The file has no features."))
    return areas


def areas_import(
    *,
    path: Path,
    kind: str,
    properties: AreaProperties | None = None,
    actor: Any = None,
) -> ImportReport:
    """Upsert areas (matched on code) from a GeoJSON file of WGS84 polygons.

    All or nothing: when any feature is unusable, GeographyImportError names each one and
    nothing is stored. Geometry that is invalid (self-touching rings, say) is repaired.
    """
    if actor is not None:
        require(actor, "core.import_geography")
    if kind not in Area.Kind.values:
        raise GeographyImportError(
            _("%(kind)s is not a kind of area; use one of %(kinds)s")
            % {"kind": kind, "kinds": ", ".join(Area.Kind.values)}
        )
    try:
        collection = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        raise GeographyImportError(
            _("The file is not valid GeoJSON: %(error)s") % {"error": error}
        ) from None
    areas = areas_from_geojson(collection, kind=kind, properties=properties)
    report = areas_store(areas)
    _record_import(actor, "core.area", f"Areas ({kind}) from {path.name}", report)
    return report


def area_slug(name: str, code: str, taken: set[str]) -> str:
    """An address for an area from its English name ("St Mary's" -> "st-marys"), made
    different from those in `taken` with the area's code when the name is already used,
    and added to `taken`. (Migration 0010 fills in the areas stored before slugs existed.)
    """
    base = slugify(name)[:150] or slugify(code)
    slug = base if base not in taken else f"{base}-{slugify(code)}"[:200]
    taken.add(slug)
    return slug


def areas_store(areas: Iterable[Area]) -> ImportReport:
    """Upsert unsaved Areas by code in one transaction (the demo generator uses it too).

    A new area gets its slug from its name; an area already stored keeps its slug, so a
    new import with a corrected name does not move its page.
    """
    areas = list({area.code: area for area in areas}.values())
    before = Area.objects.count()
    with transaction.atomic():
        stored = dict(Area.objects.values_list("code", "slug"))
        taken: dict[str, set[str]] = {}
        for found in Area.objects.exclude(slug="").values("kind", "slug"):
            taken.setdefault(found["kind"], set()).add(found["slug"])
        for area in areas:
            area.slug = stored.get(area.code) or area_slug(
                area.name, area.code, taken.setdefault(area.kind, set())
            )
        Area.objects.bulk_create(
            areas,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=[
                "name",
                "name_cy",
                "slug",
                "kind",
                "geometry",
                "min_lon",
                "min_lat",
                "max_lon",
                "max_lat",
                "updated_at",
            ],
        )
    return ImportReport(read=len(areas), stored=len(areas), created=Area.objects.count() - before)
