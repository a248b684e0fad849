"""Reads of areas and addresses, and which area a point is in.

Point-in-area uses a shapely STRtree per kind of area, built once per process and rebuilt
when the areas change (their count or latest update time moves), so a lookup costs one
small aggregate query and an in-memory tree search, without GDAL or PostGIS.
"""

from dataclasses import dataclass
from datetime import datetime
from threading import Lock

from django.db.models import Count, Max, Q, QuerySet
from django.utils import translation
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.prepared import prep

from ..models import Address, Area
from ..registry import panels_to_show, registry


@dataclass(frozen=True)
class _AreaIndex:
    version: tuple[int, datetime | None]
    tree: STRtree
    area_ids: list[int]
    shapes: list


_indexes: dict[str, _AreaIndex] = {}
_lock = Lock()


def _version(kind: str) -> tuple[int, datetime | None]:
    found = Area.objects.filter(kind=kind).aggregate(count=Count("pk"), latest=Max("updated_at"))
    return found["count"], found["latest"]


def _index_for(kind: str) -> _AreaIndex:
    version = _version(kind)
    index = _indexes.get(kind)
    if index is not None and index.version == version:
        return index
    with _lock:
        rows = list(Area.objects.filter(kind=kind).order_by("code").values_list("pk", "geometry"))
        geometries = [shape(geometry) for _, geometry in rows]
        index = _AreaIndex(
            version=version,
            tree=STRtree(geometries),
            area_ids=[pk for pk, _ in rows],
            shapes=[prep(geometry) for geometry in geometries],
        )
        _indexes[kind] = index
    return index


def area_containing(longitude: float, latitude: float, kind: str = Area.Kind.WARD) -> Area | None:
    """The area of `kind` that contains the point (WGS84), or None when none does.

    A point on a boundary shared by two areas belongs to the one whose code sorts first;
    a point in a hole of a polygon is not in that polygon.
    """
    index = _index_for(kind)
    if not index.area_ids:
        return None
    point = Point(longitude, latitude)
    for position in sorted(index.tree.query(point)):
        if index.shapes[position].covers(point):
            return Area.objects.filter(pk=index.area_ids[position]).first()
    return None


def wards() -> QuerySet[Area]:
    """The council's wards by name, without their boundaries (use area_by_code for one)."""
    return areas(kind=Area.Kind.WARD)


def boundaries(*, kind: str = Area.Kind.WARD) -> list[dict]:
    """The GeoJSON boundaries of every area of `kind` (wards unless told), e.g. to draw
    beneath a map of places so that people can see where the places are."""
    return list(Area.objects.filter(kind=kind).order_by("code").values_list("geometry", flat=True))


def ward_by_slug(slug: str) -> Area | None:
    """The ward whose page is /wards/<slug>/, boundary included; None when there is none."""
    return Area.objects.filter(kind=Area.Kind.WARD, slug=slug).exclude(slug="").first()


def ward_directory() -> list[dict]:
    """Every ward with a page, as {"name", "lang", "slug"}, by name in the current
    language; `lang` is "en" for an English name shown on a Welsh page, else ""."""
    welsh = translation.get_language() == "cy"
    found = [
        {
            "name": area_name(ward),
            "lang": "en" if welsh and not ward.name_cy else "",
            "slug": ward.slug,
        }
        for ward in wards().exclude(slug="").only("name", "name_cy", "slug")
    ]
    return sorted(found, key=lambda ward: ward["name"].casefold())


def ward_panels(ward: Area) -> list[dict]:
    """What the modules show on the ward's page: each module's WardPanel that has
    something to say about this ward, in order, ready to include."""
    return panels_to_show(registry.ward_panels(), ward)


def areas(*, kind: str | None = None) -> QuerySet[Area]:
    """Areas, optionally of one kind, by kind and name, without their boundaries."""
    found = Area.objects.defer("geometry")
    return found.filter(kind=kind) if kind else found


def areas_for_staff(*, kind: str = "", query: str = "") -> QuerySet[Area]:
    """Areas by kind and name, without their boundaries, optionally of one kind and
    matching `query` in the English or Welsh name or the code (for the staff list)."""
    found = areas(kind=kind or None)
    query = query.strip()
    if query:
        found = found.filter(
            Q(name__icontains=query) | Q(name_cy__icontains=query) | Q(code__icontains=query)
        )
    return found.order_by("kind", "name", "code")


def area_by_pk(pk: int) -> Area | None:
    """The area with this id, without its boundary; None when there is none."""
    return Area.objects.defer("geometry").filter(pk=pk).first()


def area_by_code(code: str) -> Area | None:
    """The area with this ONS (or local) code, boundary included; None when there is none."""
    return Area.objects.filter(code=code).first()


def area_name(area: Area) -> str:
    """The area's name in the current language (Welsh when there is a Welsh name)."""
    if translation.get_language() == "cy" and area.name_cy:
        return area.name_cy
    return area.name


def addresses_for_postcode(postcode: str) -> QuerySet[Address]:
    """The addresses at a postcode (any spacing or case), in address order.

    Raises core.services.geography.MalformedPostcode when the text is not a postcode.
    """
    from ..services.geography import normalise_postcode

    return Address.objects.filter(postcode=normalise_postcode(postcode))
