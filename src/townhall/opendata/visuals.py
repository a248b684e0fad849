"""Charts and maps for the resource preview, built with core's shared components.

A chart plots two chosen columns of the matching rows (at most CHART_ROWS of them). A map
is offered for a GeoJSON resource, and for a table with latitude and longitude columns or
a postcode column (postcodes placed through core's geography service), showing the rows
of the page in view over the council's wards.
"""

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from townhall.core.components.charts import Chart, bar_chart, line_chart
from townhall.core.components.maps import Map, map_of
from townhall.core.selectors import geography
from townhall.core.services.geography import PostcodeError, find_by_postcode

from .models import Resource

CHART_ROWS = 50
MAX_FEATURES = 500
MAX_GEOJSON_BYTES = 20 * 1024 * 1024
LATITUDE_NAMES = ("latitude", "lat")
LONGITUDE_NAMES = ("longitude", "long", "lon", "lng")
POSTCODE_NAMES = ("postcode", "post code", "postal code")
NAME_NAMES = ("name", "title", "site", "site name", "ward name", "ward", "label")


def chart_for(resource: Resource, user: Any, state, form) -> Chart | None:
    """The chart the person chose in the chart form, or None when none was chosen."""
    from townhall.datastore import errors
    from townhall.datastore import selectors as datastore

    if not form.is_valid() or not form.cleaned_data["x"] or not form.cleaned_data["y"]:
        return None
    x, y = form.cleaned_data["x"], form.cleaned_data["y"]
    try:
        page = datastore.search(
            resource.pk,
            filters=state.datastore_filters(),
            q=state.q or None,
            sort=state.datastore_sort() or [f"{x} asc"],
            fields=[x, y],
            limit=CHART_ROWS,
            include_total=False,
        )
    except errors.DataStoreError:
        return None
    points = [
        (str(record.get(x)), number)
        for record in page.records
        if (number := _number(record.get(y))) is not None
    ]
    draw = line_chart if form.cleaned_data["chart"] == "line" else bar_chart
    return draw(
        title=_("%(y)s by %(x)s") % {"x": x, "y": y},
        points=points,
        value_label=y,
        category_label=x,
        decimal_places=2 if any(isinstance(v, Decimal) and v % 1 for _l, v in points) else 0,
    )


def map_for(resource: Resource, records: list[dict] | None) -> Map | None:
    """A map of the resource's places, or None when it has none to map.

    A GeoJSON resource maps its features; a table maps the rows on the page shown
    (`records`), placed by their latitude and longitude, or else their postcode.
    """
    if resource.format == Resource.Format.GEOJSON:
        return _geojson_map(resource)
    if resource.datastore_active and records:
        return _table_map(resource, records)
    return None


def _geojson_map(resource: Resource) -> Map | None:
    version = resource.current_version
    if version is None or version.size > MAX_GEOJSON_BYTES:
        return None
    with version.file.open("rb") as handle:
        try:
            document = json.load(handle)
        except ValueError:
            return None
    features = document.get("features") if isinstance(document, dict) else None
    named = []
    for feature in features[:MAX_FEATURES] if isinstance(features, list) else []:
        if not isinstance(feature, dict):
            continue
        properties = feature.get("properties")
        properties = dict(properties) if isinstance(properties, dict) else {}
        properties["name"] = _name_of(properties) or _("Unnamed place")
        named.append({**feature, "properties": properties})
    return map_of(title=resource.name, features=named, skip_unusable=True)


def _table_map(resource: Resource, records: list[dict]) -> Map | None:
    names = {str(name).lower(): name for name in records[0]}
    latitude = next((names[n] for n in LATITUDE_NAMES if n in names), None)
    longitude = next((names[n] for n in LONGITUDE_NAMES if n in names), None)
    postcode = next((names[n] for n in POSTCODE_NAMES if n in names), None)
    if not ((latitude and longitude) or postcode):
        return None
    located: dict[str, list[float] | None] = {}
    features = []
    for record in records:
        point = _point(record, latitude, longitude, postcode, located)
        if point is not None:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": point},
                    "properties": {
                        "name": _name_of(record) or _("Row %(id)s") % {"id": record.get("_id")},
                        "description": str(record.get(postcode, "")) if postcode else "",
                    },
                }
            )
    if not features:
        return None
    wards = geography.boundaries()
    return map_of(title=resource.name, features=features, skip_unusable=True, backdrop=wards)


def _point(record, latitude, longitude, postcode, located) -> list[float] | None:
    if latitude and longitude:
        lat, lon = _number(record.get(latitude)), _number(record.get(longitude))
        if lat is not None and lon is not None:
            return [float(lon), float(lat)]
    if postcode and record.get(postcode):
        text = str(record[postcode])
        if text not in located:
            located[text] = _postcode_point(text)
        return located[text]
    return None


def _postcode_point(text: str) -> list[float] | None:
    try:
        location = find_by_postcode(text)
    except PostcodeError:
        return None
    if location.latitude is None or location.longitude is None:
        return None
    return [location.longitude, location.latitude]


def _name_of(properties: dict[str, Any]) -> str:
    lowered = {str(key).lower(): value for key, value in properties.items()}
    for name in NAME_NAMES:
        if lowered.get(name):
            return str(lowered[name])
    return next(
        (value for value in properties.values() if isinstance(value, str) and value.strip()), ""
    )


def _number(value: Any) -> Decimal | int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
