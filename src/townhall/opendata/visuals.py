"""Charts and maps for the resource preview, built with core's shared components.

A chart is a grouped query over every matching row of the table (not the page in view):
the total, count, average, lowest or highest of a column per category (the largest few,
then the rest as "Other") or per day, week, month, quarter or year of a date column, its
labels written as the table's values are read (1 Oct 2023, Oct 2023, £1,250.00). Its
settings are the page's query string, so its address can be shared and cited. A map
is offered for a GeoJSON resource, and for a table with latitude and longitude columns or
a postcode column (postcodes placed through core's geography service), showing the rows
of the page in view over the council's wards.
"""

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from townhall.core.components.charts import Chart, bar_chart, line_chart
from townhall.core.components.maps import Map, map_of
from townhall.core.selectors import geography
from townhall.core.services.geography import PostcodeError, find_by_postcode

from .formats import display_value
from .models import Resource

VALUE_LABELS = {
    "sum": gettext_lazy("Total %(column)s"),
    "avg": gettext_lazy("Average %(column)s"),
    "min": gettext_lazy("Lowest %(column)s"),
    "max": gettext_lazy("Highest %(column)s"),
}
PERIOD_LABELS = {
    "day": gettext_lazy("Day"),
    "week": gettext_lazy("Week beginning"),
    "month": gettext_lazy("Month"),
    "quarter": gettext_lazy("Quarter"),
    "year": gettext_lazy("Year"),
}
PERIOD_TITLES = {
    "day": gettext_lazy("%(value)s by day"),
    "week": gettext_lazy("%(value)s by week"),
    "month": gettext_lazy("%(value)s by month"),
    "quarter": gettext_lazy("%(value)s by quarter"),
    "year": gettext_lazy("%(value)s by year"),
}
CHART_FIELDS = ("chart", "x", "period", "top", "agg", "y")
#: More bars than this would make a page many screens long on a phone.
MAX_BARS = 60
MAX_FEATURES = 500
MAX_GEOJSON_BYTES = 20 * 1024 * 1024
LATITUDE_NAMES = ("latitude", "lat")
LONGITUDE_NAMES = ("longitude", "long", "lon", "lng")
POSTCODE_NAMES = ("postcode", "post code", "postal code")
NAME_NAMES = ("name", "title", "site", "site name", "ward name", "ward", "label")


def chart_for(resource: Resource, state, form, money_columns: set[str]) -> Chart | None:
    """The chart the person chose in the chart form, over every row matching the preview's
    filters; None when none was chosen, or when the query failed (the form then holds the
    reason as an error). A total, average, lowest or highest of one of `money_columns`
    (whose unit in the data dictionary is pounds) is written as money."""
    from townhall.datastore import errors
    from townhall.datastore import selectors as datastore

    if not form.is_valid() or not form.cleaned_data["x"]:
        return None
    chosen = form.cleaned_data
    function, period = chosen["agg"], chosen["period"] or None
    measure = None if function == "count" else chosen["y"]
    try:
        result = datastore.grouped(
            resource.pk,
            group_by=chosen["x"],
            period=period,
            aggregate=function,
            measure=measure,
            filters=state.datastore_filters(),
            q=state.q or None,
            limit=chosen["top"],
        )
    except errors.DataStoreError as error:
        form.add_error(None, error.message)
        return None
    points = [
        (_group_label(group.key, period), group.value)
        for group in result.groups
        if group.value is not None
    ]
    if result.other is not None and result.other.value is not None:
        more = number_format(result.other_groups, force_grouping=True)
        points.append((_("Other (%(count)s more)") % {"count": more}, result.other.value))
    if chosen["chart"] != "line" and len(points) > MAX_BARS:
        form.add_error(
            "chart",
            _(
                "A bar chart shows at most %(max)s bars, and this one would have %(count)s: "
                "choose a line chart or a longer period."
            )
            % {"max": MAX_BARS, "count": number_format(len(points), force_grouping=True)},
        )
        return None
    column = form.columns.get(measure) or {}
    value_label = (
        str(VALUE_LABELS[function]) % {"column": measure} if measure else _("Number of rows")
    )
    title = (
        str(PERIOD_TITLES[period]) % {"value": value_label}
        if period
        else _("%(value)s by %(column)s") % {"value": value_label, "column": chosen["x"]}
    )
    draw = line_chart if chosen["chart"] == "line" else bar_chart
    return draw(
        title=title,
        points=points,
        value_label=value_label,
        category_label=str(PERIOD_LABELS[period]) if period else chosen["x"],
        decimal_places=_decimal_places(function, column, measure in money_columns),
        currency="£" if function != "count" and measure in money_columns else "",
    )


def chart_query(state, form) -> str:
    """The query string that draws the chart again: the preview's filters, search and sort,
    then the chart's settings (the first page of rows: a chart covers them all)."""
    chosen = [
        (name, str(form.data[name]))
        for name in CHART_FIELDS
        if form.data.get(name) not in ("", None)
    ]
    return "?" + urlencode([*state.params(), *chosen])


def chart_api_url(resource: Resource, state, form) -> str:
    """The DataStore API's address for the figures of the chart drawn (its `groups`, see
    docs/modules/datastore.md); "" when no chart was drawn or the public cannot read it."""
    if not form.is_valid() or not form.cleaned_data["x"] or not resource.dataset.is_published:
        return ""
    chosen = form.cleaned_data
    params = [("group_by", chosen["x"]), ("aggregate", chosen["agg"]), ("limit", chosen["top"])]
    if chosen["period"]:
        params.append(("period", chosen["period"]))
    if chosen["agg"] != "count":
        params.append(("measure", chosen["y"]))
    params += [(f"filter.{row.column}__{row.op}", row.value) for row in state.filters]
    if state.q:
        params.append(("q", state.q))
    return f"{reverse('api-v1:datastore_groups', args=[resource.pk])}?{urlencode(params)}"


def _decimal_places(function: str, column: dict, money: bool) -> int:
    if function == "count":
        return 0
    if function == "avg" or money:
        return 2
    if column.get("type") == "decimal":
        return column.get("scale") or 0
    return 0


def _group_label(key: Any, period: str | None) -> str:
    """A group's key as the preview writes values: dates as 1 Oct 2023, months as Oct 2023,
    quarters as Oct–Dec 2023."""
    if key is None:
        return _("No value")
    if period == "year":
        return str(key.year)
    if period == "quarter":
        last = key.replace(month=key.month + 2)
        return f"{date_format(key, 'M')}–{date_format(last, 'M Y')}"
    if period == "month":
        return date_format(key, "M Y")
    if isinstance(key, dt.date | bool):
        return display_value(key)
    return str(key)


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
