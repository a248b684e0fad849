"""Reading polling district boundaries from a GeoJSON FeatureCollection.

Each feature is one district: its reference (code), name and, when the file gives it,
the council's reference for the district's polling station, each in a property whose name
the officer gives (councils' files name them their own way; by default `code`, `name` and
`station`). Problems with the whole file are at feature 0. Its geometry must be a Polygon or MultiPolygon in longitude and latitude
(WGS84, as GeoJSON requires) that shapely finds valid. Like the address import, reading
never writes: it returns the districts and every problem, by feature number (the first
feature is 1), and the service stores them only when there is none.
"""

import io
import json
from dataclasses import dataclass, field
from typing import BinaryIO

import shapely
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape

from .importers import Problems, _text, too_large

DISTRICTS = "districts"
AREAS = frozenset({"Polygon", "MultiPolygon"})


@dataclass
class District:
    code: str
    name: str
    boundary: dict
    station: str


@dataclass
class DistrictsResult(Problems):
    districts: list[District] = field(default_factory=list)


def _features(data: BinaryIO, result: DistrictsResult) -> list:
    try:
        collection = json.load(data)
    except (UnicodeDecodeError, ValueError) as error:
        result.problem(DISTRICTS, 0, _("This is not a JSON file: %(error)s") % {"error": error})
        return []
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        result.problem(DISTRICTS, 0, _("The file must be a GeoJSON FeatureCollection"))
        return []
    return features


def _boundary_problem(geometry) -> str:
    """What is wrong with the feature's geometry, or ""."""
    if not isinstance(geometry, dict) or geometry.get("type") not in AREAS:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        return _("The boundary must be a Polygon or MultiPolygon, not %(kind)s") % {
            "kind": kind or _("nothing")
        }
    try:
        area = shape(geometry)
    except (
        AttributeError,
        IndexError,
        KeyError,
        TypeError,
        ValueError,
        shapely.errors.ShapelyError,
    ):
        return _("The boundary's coordinates cannot be read")
    if area.is_empty:
        return _("The boundary is empty")
    min_lon, min_lat, max_lon, max_lat = area.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        return _(
            "The coordinates are not longitude and latitude: save the file in WGS84 "
            "(EPSG:4326), as GeoJSON requires, not British National Grid"
        )
    if not area.is_valid:
        return _("The boundary is not a valid shape: %(reason)s") % {
            "reason": shapely.is_valid_reason(area)
        }
    return ""


def read(
    data: bytes | BinaryIO, *, code: str = "code", name: str = "name", station: str = "station"
) -> DistrictsResult:
    """The districts in the file and every problem found, by feature. `code`, `name` and
    `station` are the names of the properties holding each."""
    result = DistrictsResult()
    data = io.BytesIO(data) if isinstance(data, bytes) else data
    if too_large(data, DISTRICTS, result, row=0):
        return result
    seen: dict[str, int] = {}
    for number, feature in enumerate(_features(data, result), start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        reference = _text(properties.get(code))
        if not reference:
            result.problem(
                DISTRICTS,
                number,
                _("No district reference (the “%(property)s” property)") % {"property": code},
            )
            continue
        if reference in seen:
            result.problem(
                DISTRICTS,
                number,
                _("District %(code)s is also feature %(number)d")
                % {"code": reference, "number": seen[reference]},
            )
            continue
        seen[reference] = number
        geometry = feature.get("geometry")
        problem = _boundary_problem(geometry)
        if problem:
            result.problem(DISTRICTS, number, problem)
            continue
        result.districts.append(
            District(
                code=reference,
                name=_text(properties.get(name)),
                boundary=geometry,
                station=_text(properties.get(station)),
            )
        )
    return result
