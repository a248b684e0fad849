"""Template tags for the shared page components: `{% chart chart %}` and `{% map map %}`.

Load with `{% load components %}`. Build the objects in the view with
townhall.core.components.charts.bar_chart/line_chart and townhall.core.components.maps.map_of.
"""

from django import template

from ..components.charts import Chart
from ..components.maps import Map

register = template.Library()


@register.inclusion_tag("components/chart.html")
def chart(chart: Chart) -> dict:
    """The chart's SVG followed by a table of the same numbers."""
    return {"chart": chart}


@register.inclusion_tag("components/map.html", name="map")
def map_component(place_map: Map) -> dict:
    """The places drawn as SVG, their table and, with tiles configured, a canvas for Leaflet."""
    return {"map": place_map}
