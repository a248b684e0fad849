"""Maps drawn on the server as inline SVG, so places show without JavaScript or a tile server.

Internal to townhall.core.components.maps: Map.svg calls draw(), and map_of() uses
geometry_shape() to decide which geometries can be drawn at all.

Longitude and latitude are projected equirectangularly, longitudes shortened by the cosine
of the middle latitude so that a square mile looks square at British latitudes, and fitted
with a margin into a viewBox at most SIZE units on its longer side; CSS shrinks the drawing
to fit a narrower column, a 390px phone included. Each shape is simplified to within half
a unit once projected, so a boundary surveyed to the metre costs no more bytes than the
drawing can show.
"""

import math
from collections.abc import Iterable, Sequence

import shapely
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

#: The longer side of the drawing in SVG units.
SIZE = 400
MARGIN = 16
#: How far, in SVG units, a simplified outline may stray from the original.
TOLERANCE = 0.5
#: The least span in degrees a map shows (about 500 m), so a lone point has surroundings.
MIN_SPAN = 0.005
POINT_RADIUS = 6
#: Generous width of one character of a label, to draw only labels that fit their area.
LABEL_CHARACTER_WIDTH = 7.5
LABEL_HEIGHT = 16


def geometry_shape(geometry: object) -> BaseGeometry | None:
    """The shapely shape of a GeoJSON geometry, or None when it cannot be drawn.

    None for a missing, malformed or empty geometry, and for coordinates that are not
    WGS84 longitude and latitude (out of range, or not finite).
    """
    try:
        found = shape(geometry)
    except (
        AttributeError,
        IndexError,
        KeyError,
        TypeError,
        ValueError,
        shapely.errors.ShapelyError,
    ):
        return None
    if found.is_empty:
        return None
    min_lon, min_lat, max_lon, max_lat = found.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        return None
    return found


def draw(
    *,
    title: str,
    names: Sequence[str],
    shapes: Sequence[BaseGeometry],
    html_id: str,
    backdrop: Sequence[BaseGeometry] = (),
    variants: Sequence[str] = (),
    labels: Sequence[str] = (),
) -> SafeString:
    """An <svg> of the shapes, each titled with its name; empty when there are no shapes.

    The backdrop's outlines are drawn faintly beneath, untitled. `variants`, when given,
    holds one space-separated list of style names per shape (each becomes a class
    `th-map__feature--<name>`, as a choropleth's classes do); `labels` one text per shape
    written inside it in place of its name ("" keeps the name). The drawing is one
    accessible image named by the map's title; its description says that the same
    places are listed in the table that follows, which is its text alternative.
    """
    if not shapes:
        return mark_safe("")
    project, width, height = _fit(shapely.total_bounds([*shapes, *backdrop]))
    context = "".join(_outline(_projected(geometry, project)) for geometry in backdrop)
    features, written = [], []
    for position, (name, geometry) in enumerate(zip(names, shapes, strict=True)):
        drawn = _projected(geometry, project)
        variant = "".join(
            f" th-map__feature--{escape(word)}"
            for word in (variants[position] if variants else "").split()
        )
        features.append(
            f'<g class="th-map__feature{variant}"><title>{escape(name)}</title>{_shapes(drawn)}</g>'
        )
        written.append(_label((labels[position] if labels else "") or name, drawn))
    description = ngettext(
        "A map of %(count)s place. The same place is listed in the table that follows.",
        "A map of %(count)s places. The same places are listed in the table that follows.",
        len(shapes),
    ) % {"count": len(shapes)}
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="th-map__svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{html_id}-svg-title {html_id}-svg-desc">'
        f'<title id="{html_id}-svg-title">{escape(title)}</title>'
        f'<desc id="{html_id}-svg-desc">{escape(description)}</desc>'
        f'<rect class="th-map__background" width="{width}" height="{height}"/>'
        f"{context}{''.join(features)}{''.join(written)}</svg>"
    )


def _projected(geometry: BaseGeometry, project) -> BaseGeometry:
    """The geometry in drawing units, simplified to what the drawing can show.

    Douglas-Peucker without topology checks: twenty times faster on large boundaries, and
    a sliver that crosses itself at half a unit does not show. A shape too small to
    survive is kept as it is.
    """
    projected = shapely.transform(geometry, project)
    simplified = shapely.simplify(projected, TOLERANCE, preserve_topology=False)
    return projected if simplified.is_empty else simplified


def _fit(bounds: Iterable[float]):
    """The projection of (longitude, latitude) arrays into the drawing, and its size.

    The bounds are widened to MIN_SPAN, and the shorter side to half the longer, so that
    neither a lone point nor a long thin line makes a drawing too narrow to see.
    """
    min_lon, min_lat, max_lon, max_lat = bounds
    shrink = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * shrink, MIN_SPAN * shrink)
    span_y = max(max_lat - min_lat, MIN_SPAN)
    span_x, span_y = max(span_x, span_y / 2), max(span_y, span_x / 2)
    centre_x = (min_lon + max_lon) / 2 * shrink
    centre_y = (min_lat + max_lat) / 2
    scale = (SIZE - 2 * MARGIN) / max(span_x, span_y)
    width, height = round(span_x * scale + 2 * MARGIN), round(span_y * scale + 2 * MARGIN)
    factors = (shrink * scale, -scale)
    offsets = (width / 2 - centre_x * scale, height / 2 + centre_y * scale)
    return (lambda coordinates: coordinates * factors + offsets), width, height


def _shapes(geometry: BaseGeometry) -> str:
    """The SVG elements of a projected geometry: one path for its lines or areas."""
    points = [part for part in shapely.get_parts(geometry) if part.geom_type == "Point"]
    circles = "".join(
        f'<circle class="th-map__point" cx="{point.x:.1f}" cy="{point.y:.1f}" r="{POINT_RADIUS}"/>'
        for point in points
    )
    rings = [*_rings(geometry)]
    if not rings:
        return circles
    areas = any(closed for _coordinates, closed in rings)
    data = _path_data(rings)
    kind = 'class="th-map__area" fill-rule="evenodd"' if areas else 'class="th-map__line"'
    return f'<path {kind} d="{data}"/>{circles}'


def _outline(geometry: BaseGeometry) -> str:
    """A projected backdrop area or line as one faint path (points are left out)."""
    data = _path_data(_rings(geometry))
    return f'<path class="th-map__backdrop" d="{data}"/>' if data else ""


def _path_data(rings) -> str:
    return "".join(
        "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in coordinates) + ("Z" if closed else "")
        for coordinates, closed in rings
    )


def _rings(geometry: BaseGeometry):
    """(coordinates, closed) for each outline, hole and line, in drawing order."""
    for part in shapely.get_parts(geometry):
        if part.geom_type == "Polygon":
            for ring in (part.exterior, *part.interiors):
                yield ring.coords[:-1], True
        elif part.geom_type == "LineString":
            yield part.coords, False


def _label(name: str, geometry: BaseGeometry) -> str:
    """The area's name written inside it when there is room, else nothing (its title stays)."""
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return ""
    min_x, min_y, max_x, max_y = geometry.bounds
    if len(name) * LABEL_CHARACTER_WIDTH > max_x - min_x or max_y - min_y < 2 * LABEL_HEIGHT:
        return ""
    anchor = geometry.point_on_surface()
    return (
        f'<text class="th-map__label" x="{anchor.x:.1f}" y="{anchor.y + 4:.1f}" '
        f'text-anchor="middle">{escape(name)}</text>'
    )
