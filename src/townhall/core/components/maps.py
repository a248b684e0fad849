"""Maps of places and areas that are, first of all, a list of those places.

The public API::

    from townhall.core.components.maps import map_of

    polling_map = map_of(
        title=_("Polling stations"),
        features=[
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-1.5, 52.4]},
             "properties": {"name": "St Mary's Hall", "url": "/elections/stations/12/"}},
            ...
        ],
    )
    # in a template: {% load components %}{% map polling_map %}

Every feature needs a GeoJSON geometry (Point, Polygon or MultiPolygon, WGS84) and a
"name" property; "url" and "description" are optional. The table of features is always
rendered: it is what people without JavaScript, without map tiles, or using a screen
reader get. When settings.MAP_TILE_URL is set the page also carries a canvas that
assets/js/townhall.js turns into a keyboard-usable Leaflet map.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import count
from typing import Any

from django.conf import settings

_ids = count(1)
GEOMETRY_TYPES = frozenset({"Point", "MultiPoint", "Polygon", "MultiPolygon", "LineString"})


@dataclass(frozen=True)
class Place:
    """One row of the map's table."""

    name: str
    url: str
    description: str
    kind: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Map:
    """A map ready to render. Build it with map_of()."""

    title: str
    places: tuple[Place, ...]
    geojson: dict[str, Any]
    html_id: str

    @property
    def data_id(self) -> str:
        """The id of the <script type="application/json"> holding the GeoJSON."""
        return f"{self.html_id}-data"

    @property
    def tile_url(self) -> str:
        return settings.MAP_TILE_URL

    @property
    def attribution(self) -> str:
        return settings.MAP_TILE_ATTRIBUTION

    @property
    def interactive(self) -> bool:
        """Whether the page should offer a Leaflet map (tiles configured, something to show)."""
        return bool(self.tile_url and self.places)


def map_of(*, title: str, features: Iterable[Mapping[str, Any]]) -> Map:
    """A map of GeoJSON features; raises ValueError naming the first unusable feature."""
    cleaned = []
    places = []
    for position, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") or {}
        properties = feature.get("properties") or {}
        name = str(properties.get("name") or "").strip()
        if geometry.get("type") not in GEOMETRY_TYPES or not name:
            raise ValueError(
                f"Map feature {position} needs a name and a Point, Polygon or MultiPolygon."
            )
        url = str(properties.get("url") or "")
        if url and not url.startswith(("/", "https://", "http://")):
            raise ValueError(f"Map feature {position} has a link that is not a web address.")
        description = str(properties.get("description") or "")
        latitude, longitude = _centre(geometry)
        places.append(
            Place(
                name=name,
                url=url,
                description=description,
                kind=geometry["type"],
                latitude=latitude,
                longitude=longitude,
            )
        )
        cleaned.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"name": name, "url": url, "description": description},
            }
        )
    return Map(
        title=str(title),
        places=tuple(places),
        geojson={"type": "FeatureCollection", "features": cleaned},
        html_id=f"th-map-{next(_ids)}",
    )


def _centre(geometry: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """A point's own position; for a shape, the middle of its bounding box."""
    if geometry["type"] == "Point":
        longitude, latitude = geometry["coordinates"][:2]
        return round(float(latitude), 5), round(float(longitude), 5)
    positions = list(_positions(geometry["coordinates"]))
    if not positions:
        return None, None
    longitudes = [position[0] for position in positions]
    latitudes = [position[1] for position in positions]
    return (
        round((min(latitudes) + max(latitudes)) / 2, 5),
        round((min(longitudes) + max(longitudes)) / 2, 5),
    )


def _positions(coordinates: Any) -> Iterable[tuple[float, float]]:
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield float(coordinates[0]), float(coordinates[1])
        return
    for inner in coordinates or ():
        yield from _positions(inner)
