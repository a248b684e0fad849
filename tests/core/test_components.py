"""Shared page components: server-drawn charts with their tables, and maps that are lists first."""

import json
import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.template import Context, Template

from townhall.core.components.charts import bar_chart, line_chart
from townhall.core.components.maps import map_of

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "quoted"'


def _render(source: str, **context) -> str:
    return Template("{% load components %}" + source).render(Context(context))


def _svg_tree(html: str) -> ElementTree.Element:
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output, parsed to check it


def _table_rows(html: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<th scope="row" class="govuk-table__header">(.*?)</th>\s*'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(.*?)</td>',
        html,
    )


def _bars(**overrides):
    arguments = {
        "title": "Responses by ward",
        "points": [("Riverside", 1200), ("Northbridge Central", 84), ("Hillside", 0)],
        "value_label": "Responses",
        "category_label": "Ward",
    }
    return bar_chart(**{**arguments, **overrides})


@pytest.mark.parametrize("make", [bar_chart, line_chart])
def test_chart_is_well_formed_accessible_svg(make):
    chart = make(
        title="Spend", points=[("2024", 5), ("2025", 9)], value_label="£", category_label="Year"
    )
    tree = _svg_tree(_render("{% chart chart %}", chart=chart))
    assert tree.get("role") == "img"
    assert tree.find(f"{SVG}title").text == "Spend"
    assert "Highest: 2025, 9" in tree.find(f"{SVG}desc").text
    assert tree.get("aria-labelledby").split() == [
        f"{chart.html_id}-title",
        f"{chart.html_id}-desc",
    ]


def test_bar_chart_draws_one_bar_per_row_of_its_table():
    html = _render("{% chart chart %}", chart=_bars())
    bars = _svg_tree(html).findall(f"{SVG}rect")
    assert len(bars) == 3
    assert _table_rows(html) == [
        ("Riverside", "1,200"),
        ("Northbridge Central", "84"),
        ("Hillside", "0"),
    ]
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[0] > widths[1] > widths[2]


def test_chart_values_use_thousands_separators_for_huge_numbers():
    chart = _bars(
        points=[("All", 12_345_678_901), ("Half", Decimal("6172839450.5"))], decimal_places=1
    )
    html = _render("{% chart chart %}", chart=chart)
    assert ("All", "12,345,678,901.0") in _table_rows(html)
    assert "12,345,678,901.0" in "".join(_svg_tree(html).itertext())


def test_bar_chart_draws_negative_values_left_of_zero():
    chart = _bars(points=[("Gain", 50), ("Loss", -50)])
    tree = _svg_tree(_render("{% chart chart %}", chart=chart))
    gain, loss = tree.findall(f"{SVG}rect")
    zero = float(tree.find(f"{SVG}line").get("x1"))
    assert float(loss.get("x")) < zero <= float(gain.get("x")) + 0.1
    assert "-50" in "".join(tree.itertext())


def test_chart_writes_money_with_its_currency_before_the_sign_as_people_do():
    chart = _bars(
        points=[("Paid", Decimal("1250")), ("Refund", Decimal("-120"))],
        decimal_places=2,
        currency="£",
    )
    html = _render("{% chart chart %}", chart=chart)
    assert _table_rows(html) == [("Paid", "£1,250.00"), ("Refund", "-£120.00")]
    assert "-£120.00" in "".join(_svg_tree(html).itertext())


def test_line_chart_gridlines_on_whole_numbers_have_no_decimals():
    chart = line_chart(
        title="Spend", points=[("Oct", Decimal("981152.13")), ("Nov", Decimal("1175206.76"))],
        value_label="Total", category_label="Month", decimal_places=2, currency="£",
    )  # fmt: skip
    text = "".join(_svg_tree(_render("{% chart chart %}", chart=chart)).itertext())
    assert "£1,000,000" in text and "£1,000,000.00" not in text
    assert "£981,152.13" in _render("{% chart chart %}", chart=chart)


def test_chart_escapes_hostile_labels_in_the_drawing_and_the_table():
    chart = _bars(title=HOSTILE, points=[(HOSTILE, 3)], value_label=HOSTILE, category_label=HOSTILE)
    html = _render("{% chart chart %}", chart=chart)
    assert "<script>" not in html
    tree = _svg_tree(html)
    assert tree.find(f"{SVG}title").text == HOSTILE


def test_bar_chart_wraps_long_labels_in_full_so_similar_ones_stay_distinct():
    labels = [
        "Black, Black British, Caribbean or African: Caribbean",
        "Black, Black British, Caribbean or African: African",
        "Black, Black British, Caribbean or African: any other background",
    ]
    html = _render("{% chart chart %}", chart=_bars(points=[(label, 7) for label in labels]))
    texts = [
        text for text in _svg_tree(html).iter(f"{SVG}text") if text.find(f"{SVG}tspan") is not None
    ]
    drawn = [" ".join(span.text for span in text.iter(f"{SVG}tspan")) for text in texts]
    assert drawn == labels
    assert all(len(list(text.iter(f"{SVG}tspan"))) > 1 for text in texts)
    assert "…" not in html
    assert _table_rows(html) == [(label, "7") for label in labels]


def test_chart_without_data_says_so_and_draws_nothing():
    html = _render("{% chart chart %}", chart=_bars(points=[]))
    assert "<svg" not in html
    assert "There is no data to show yet." in html


def test_line_chart_with_one_point_draws_the_point_without_a_line():
    chart = line_chart(
        title="Turnout", points=[("2025", 41)], value_label="%", category_label="Year"
    )
    tree = _svg_tree(_render("{% chart chart %}", chart=chart))
    assert len(tree.findall(f"{SVG}circle")) == 1
    assert tree.find(f"{SVG}polyline") is None


def test_line_chart_joins_every_point_in_order():
    points = [
        (str(year), value)
        for year, value in zip(range(2018, 2026), [3, -2, 8, 8, 0, 15, 4, 9], strict=True)
    ]
    chart = line_chart(title="Change", points=points, value_label="Change", category_label="Year")
    tree = _svg_tree(_render("{% chart chart %}", chart=chart))
    coordinates = tree.find(f"{SVG}polyline").get("points").split()
    assert len(coordinates) == 8
    xs = [float(pair.split(",")[0]) for pair in coordinates]
    assert xs == sorted(xs)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "12", None])
def test_chart_refuses_values_that_are_not_finite_numbers(value):
    with pytest.raises(ValueError, match="finite numbers"):
        _bars(points=[("Bad", value)])


def _features():
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-1.5, 52.4]},
            "properties": {"name": "St Mary's Hall", "url": "/elections/stations/1/"},
        },
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-1, 52], [-0.5, 52], [-0.5, 53], [-1, 52]]],
            },
            "properties": {"name": HOSTILE, "description": "A ward"},
        },
    ]


def test_map_without_tiles_is_a_table_of_its_places(settings):
    settings.MAP_TILE_URL = ""
    html = _render("{% map m %}", m=map_of(title="Polling stations", features=_features()))
    assert 'data-module="th-map"' not in html
    assert "leaflet.js" not in html
    assert '<a class="govuk-link" href="/elections/stations/1/">St Mary&#x27;s Hall</a>' in html
    assert "2 places on this map" in html


def test_map_with_tiles_adds_a_canvas_leaflet_and_the_geojson(settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Example contributors"
    place_map = map_of(title="Polling stations", features=_features())
    html = _render("{% map m %}", m=place_map)
    assert 'data-module="th-map"' in html
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in html
    assert '<script src="/static/townhall/build/leaflet.js">' in html
    embedded = re.search(
        rf'<script id="{place_map.data_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert json.loads(embedded.group(1))["features"][1]["properties"]["name"] == HOSTILE
    assert "St Mary&#x27;s Hall" in html


def test_map_escapes_hostile_names_everywhere(settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    html = _render("{% map m %}", m=map_of(title=HOSTILE, features=_features()))
    assert "<script>alert" not in html


def test_map_gives_a_shape_the_centre_of_its_bounds():
    place = map_of(title="Wards", features=_features()).places[1]
    assert (place.latitude, place.longitude) == (52.5, -0.75)


@pytest.mark.parametrize(
    ("feature", "problem"),
    [
        ({"geometry": {"type": "Point", "coordinates": [0, 0]}, "properties": {}}, "needs a name"),
        ({"geometry": None, "properties": {"name": "Nowhere"}}, "needs a name"),
        (
            {
                "geometry": {"type": "Point", "coordinates": [0, 0]},
                "properties": {"name": "X", "url": "javascript:alert(1)"},
            },
            "not a web address",
        ),
    ],
)
def test_map_refuses_features_it_cannot_show_naming_which(feature, problem):
    with pytest.raises(ValueError, match=f"feature 1 .*{problem}|{problem}"):
        map_of(title="Bad", features=[feature])


def test_map_with_no_features_says_so(settings):
    settings.MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    html = _render("{% map m %}", m=map_of(title="Nothing", features=[]))
    assert "There are no places to show." in html
    assert 'data-module="th-map"' not in html
