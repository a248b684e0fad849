"""Core's part of the JSON API: site search, postcodes and areas (mounted at /api/v1/)."""

from urllib.parse import urlencode

from django.conf import settings
from django.utils import translation
from ninja import Field, Query, Router, Schema

from .api_errors import ApiError, responses
from .api_tasks import router as tasks_router
from .models import Area
from .permissions import require
from .selectors import geography as geography_selectors
from .selectors.search import MAX_LIMIT, MAX_OFFSET, search
from .services.geography import PostcodeError, PostcodeLocation, find_by_postcode

router = Router(tags=["Platform"])
router.add_router("", tasks_router)


class SearchHitOut(Schema):
    kind: str
    kind_label: str
    title: str
    url: str
    summary: str
    snippet: str
    language: str


class SearchOut(Schema):
    query: str
    count: int
    next: str | None
    previous: str | None
    results: list[SearchHitOut]


class SearchParams(Schema):
    q: str = ""
    kind: list[str] = []
    language: str = settings.LANGUAGE_CODE
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _page_link(request, params: SearchParams, offset: int) -> str:
    query = {"q": params.q, "kind": params.kind, "language": params.language}
    query.update(limit=params.limit, offset=offset)
    return request.build_absolute_uri(f"{request.path}?{urlencode(query, doseq=True)}")


@router.get(
    "/search",
    response=responses(SearchOut, 403, 422),
    summary="Search the site's published content",
)
def search_content(request, params: Query[SearchParams]):
    """Every word of `q` must match. `snippet` is HTML: escaped text with `<mark>` around matches.

    `language` is "en-gb" or "cy" (Welsh falls back to English where there is no Welsh text).
    """
    require(request.user, "core.search")
    if params.language not in dict(settings.LANGUAGES):
        raise ApiError(400, "unknown_language", "Use language en-gb or cy.")
    with translation.override(params.language):
        results = search(
            params.q,
            language=params.language,
            kinds=params.kind,
            limit=params.limit,
            offset=params.offset,
        )
        hits = [{**vars(hit), "kind_label": str(hit.kind_label)} for hit in results.hits]
    return {
        "query": params.q,
        "count": results.total,
        "next": _page_link(request, params, params.offset + params.limit)
        if results.has_next
        else None,
        "previous": _page_link(request, params, max(0, params.offset - params.limit))
        if results.has_previous
        else None,
        "results": hits,
    }


@router.get(
    "/postcodes/{postcode}",
    response=responses(PostcodeLocation, 404),
    summary="Where a postcode is and its ward",
)
def postcode_location(request, postcode: str):
    """Errors: 400 malformed_postcode; 404 unknown_postcode, terminated_postcode,
    postcode_outside_council."""
    try:
        return find_by_postcode(postcode)
    except PostcodeError as error:
        raise ApiError(
            error.status, error.code, str(error.message), {"postcode": postcode}
        ) from None


class AreaOut(Schema):
    code: str
    name: str
    name_cy: str
    kind: str
    bbox: list[float]


class AreaDetailOut(AreaOut):
    geometry: dict


class AreaListOut(Schema):
    count: int
    results: list[AreaOut]


def _area(area: Area, *, geometry: bool = False) -> dict:
    out = {
        "code": area.code,
        "name": area.name,
        "name_cy": area.name_cy,
        "kind": area.kind,
        "bbox": [area.min_lon, area.min_lat, area.max_lon, area.max_lat],
    }
    if geometry:
        out["geometry"] = area.geometry
    return out


@router.get(
    "/areas",
    response=responses(AreaListOut),
    summary="Wards and other areas (without boundaries)",
)
def area_list(request, kind: str | None = None):
    """All areas, or those of one `kind` (ward, council, parish, division, polling_district, other)."""
    if kind and kind not in Area.Kind.values:
        raise ApiError(
            400, "unknown_area_kind", "Unknown kind of area.", {"kinds": list(Area.Kind.values)}
        )
    found = [_area(area) for area in geography_selectors.areas(kind=kind)]
    return {"count": len(found), "results": found}


@router.get(
    "/areas/{code}",
    response=responses(AreaDetailOut, 404),
    summary="One area with its GeoJSON boundary",
)
def area_detail(request, code: str):
    area = geography_selectors.area_by_code(code)
    if area is None:
        raise ApiError(404, "unknown_area", "There is no area with this code.", {"code": code})
    return _area(area, geometry=True)
