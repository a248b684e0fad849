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

Every feature needs a GeoJSON geometry (Point, MultiPoint, LineString, MultiLineString,
Polygon or MultiPolygon, WGS84) and a "name" property; "url" and "description" are
optional, and so are "variant" (style names such as "risk-3 gap", each a class
`th-map__feature--<name>` the stylesheet colours: a choropleth) and "label" (the text
written inside an area in place of its name, such as its class number). The component draws the features on the server as an inline SVG (svg_map.py),
so the map shows without JavaScript and without a tile server, and always renders the
table of features: the drawing's text alternative, and what a screen reader reads. When
settings.MAP_TILE_URL is set the page also carries a canvas that assets/js/townhall.js
turns into a keyboard-usable Leaflet map with tiles, in place of the drawing.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from django.conf import settings
from django.utils.safestring import SafeString
from shapely.geometry.base import BaseGeometry

from .svg_map import draw, geometry_shape

_ids = count(1)
GEOMETRY_TYPES = frozenset(
    {"Point", "MultiPoint", "Polygon", "MultiPolygon", "LineString", "MultiLineString"}
)


@dataclass(frozen=True)
class Place:
    """One row of the map's table."""

    name: str
    url: str
    description: str
    kind: str
    latitude: float
    longitude: float
    variant: str = ""
    label: str = ""


@dataclass(frozen=True)
class Map:
    """A map ready to render. Build it with map_of()."""

    title: str
    places: tuple[Place, ...]
    geojson: dict[str, Any]
    html_id: str
    shapes: tuple[BaseGeometry, ...] = field(default=(), repr=False, compare=False)
    backdrop: tuple[BaseGeometry, ...] = field(default=(), repr=False, compare=False)

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
    def svg(self) -> SafeString:
        """The places drawn as an inline SVG (names escaped), or "" when there are none."""
        return draw(
            title=self.title,
            names=[place.name for place in self.places],
            shapes=self.shapes,
            backdrop=self.backdrop,
            html_id=self.html_id,
            variants=[place.variant for place in self.places],
            labels=[place.label for place in self.places],
        )

    @property
    def interactive(self) -> bool:
        """Whether the page should offer a Leaflet map (tiles configured, something to show)."""
        return bool(self.tile_url and self.places)


def map_of(
    *,
    title: str,
    features: Iterable[Mapping[str, Any]],
    skip_unusable: bool = False,
    backdrop: Iterable[Mapping[str, Any]] = (),
) -> Map:
    """A map of GeoJSON features; raises ValueError naming the first unusable feature.

    A feature is unusable without a name, with a geometry that cannot be drawn (missing,
    malformed, empty, or not longitude and latitude) or with a link that is not a web
    address. With skip_unusable=True such features are left out instead: for data that
    people upload, where one broken feature should not hide the others.

    `backdrop` is GeoJSON geometries drawn faintly beneath the features and not listed,
    such as the council's wards under a map of points (ones that cannot be drawn are left
    out); the drawing then shows all of them as well as the features.
    """
    cleaned = []
    places = []
    shapes = []
    for position, feature in enumerate(features, start=1):
        try:
            place, geometry, found = _place(position, feature)
        except ValueError:
            if skip_unusable:
                continue
            raise
        places.append(place)
        shapes.append(found)
        cleaned.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "name": place.name,
                    "url": place.url,
                    "description": place.description,
                },
            }
        )
    return Map(
        title=str(title),
        places=tuple(places),
        geojson={"type": "FeatureCollection", "features": cleaned},
        html_id=f"th-map-{next(_ids)}",
        shapes=tuple(shapes),
        backdrop=tuple(filter(None, map(geometry_shape, backdrop))),
    )


def _place(position: int, feature: Mapping[str, Any]) -> tuple[Place, Any, BaseGeometry]:
    """The feature's row of the table, its geometry and its shape; ValueError if unusable."""
    feature = _mapping(feature)
    geometry, properties = _mapping(feature.get("geometry")), _mapping(feature.get("properties"))
    name = str(properties.get("name") or "").strip()
    found = geometry_shape(geometry) if geometry.get("type") in GEOMETRY_TYPES else None
    if found is None or not name:
        raise ValueError(
            f"Map feature {position} needs a name and a Point, LineString or Polygon "
            "(or several) in longitude and latitude."
        )
    url = str(properties.get("url") or "")
    if url and not url.startswith(("/", "https://", "http://")):
        raise ValueError(f"Map feature {position} has a link that is not a web address.")
    variant = str(properties.get("variant") or "")
    if not re.fullmatch(r"[a-z0-9- ]*", variant):
        raise ValueError(f"Map feature {position} has a variant that is not a style name.")
    min_lon, min_lat, max_lon, max_lat = found.bounds
    place = Place(
        name=name,
        url=url,
        description=str(properties.get("description") or ""),
        kind=geometry["type"],
        latitude=round((min_lat + max_lat) / 2, 5),
        longitude=round((min_lon + max_lon) / 2, 5),
        variant=" ".join(variant.split()),
        label=str(properties.get("label") or ""),
    )
    return place, geometry, found


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
