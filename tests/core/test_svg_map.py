"""Maps drawn on the server: places show as an inline SVG without JavaScript or map tiles."""

import re
from xml.etree import ElementTree

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.core.factories import AreaFactory
from townhall.core.components.maps import map_of
from townhall.core.components.svg_map import MARGIN, SIZE

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "quoted"'


def _feature(geometry_type, coordinates, name="Riverside"):
    return {
        "type": "Feature",
        "geometry": {"type": geometry_type, "coordinates": coordinates},
        "properties": {"name": name},
    }


def _rectangle(west, south, width, height):
    east, north = west + width, south + height
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def _square(west, south, size):
    return _rectangle(west, south, size, size)


def _svg(*features, title="Wards") -> ElementTree.Element:
    html = str(map_of(title=title, features=features).svg)
    return ElementTree.fromstring(html)  # noqa: S314 - our own output, parsed to check it


def _numbers(path_data: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+) (-?[\d.]+)", path_data)]


def _view_box(svg) -> tuple[float, float]:
    _x, _y, width, height = (float(value) for value in svg.get("viewBox").split())
    return width, height


def test_svg_map_fits_the_places_into_its_view_box_with_a_margin():
    svg = _svg(_feature("Polygon", [_square(-1.6, 52.3, 0.2)]))
    width, height = _view_box(svg)
    assert max(width, height) == SIZE
    corners = _numbers(svg.find(f"{SVG}g/{SVG}path").get("d"))
    xs, ys = [x for x, _y in corners], [y for _x, y in corners]
    assert min(xs) == pytest.approx(MARGIN, abs=0.5)
    assert min(ys) == pytest.approx(MARGIN, abs=0.5)
    assert max(xs) == pytest.approx(width - MARGIN, abs=0.5)
    assert max(ys) == pytest.approx(height - MARGIN, abs=0.5)


def test_svg_map_shortens_longitude_by_the_cosine_of_latitude_so_shapes_keep_their_proportions():
    width, height = _view_box(_svg(_feature("Polygon", [_square(-1.6, 52.3, 0.2)])))
    # A square of 0.2 degrees at 52.4 degrees north is 0.61 times as wide as it is tall.
    assert (width - 2 * MARGIN) / (height - 2 * MARGIN) == pytest.approx(0.61, abs=0.01)


def test_svg_map_draws_north_at_the_top():
    svg = _svg(
        _feature("Point", [-1.5, 52.5], name="North"), _feature("Point", [-1.5, 52.3], "South")
    )
    north, south = svg.iter(f"{SVG}circle")
    assert float(north.get("cy")) < float(south.get("cy"))


def test_svg_map_draws_a_polygon_with_a_hole_as_one_even_odd_path_of_two_rings():
    svg = _svg(_feature("Polygon", [_square(-1.6, 52.3, 0.2), _square(-1.55, 52.35, 0.1)]))
    path = svg.find(f"{SVG}g/{SVG}path")
    assert path.get("fill-rule") == "evenodd"
    assert path.get("d").count("M") == 2
    assert path.get("d").count("Z") == 2


def test_svg_map_draws_a_multipolygon_as_one_path_per_feature():
    islands = [[_square(-1.6, 52.3, 0.1)], [_square(-1.4, 52.3, 0.1)], [_square(-1.2, 52.3, 0.1)]]
    svg = _svg(
        _feature("MultiPolygon", islands, name="Islands"),
        _feature("Polygon", [_square(-1.6, 52.5, 0.1)], name="Mainland"),
    )
    paths = [group.find(f"{SVG}path") for group in svg.iter(f"{SVG}g")]
    assert [path.get("d").count("M") for path in paths] == [3, 1]
    assert [group.find(f"{SVG}title").text for group in svg.iter(f"{SVG}g")] == [
        "Islands",
        "Mainland",
    ]


def test_svg_map_draws_points_as_circles_and_lines_as_unfilled_paths():
    svg = _svg(
        _feature("Point", [-1.5, 52.4], name="Library"),
        _feature("MultiPoint", [[-1.52, 52.41], [-1.48, 52.39]], name="Bins"),
        _feature("LineString", [[-1.55, 52.38], [-1.45, 52.42]], name="Cycle path"),
    )
    assert len(list(svg.iter(f"{SVG}circle"))) == 3
    line = svg.find(f".//{SVG}path")
    assert line.get("class") == "th-map__line"
    assert "Z" not in line.get("d")


def test_svg_map_of_a_lone_point_shows_its_surroundings():
    svg = _svg(_feature("Point", [-1.5, 52.4]))
    width, height = _view_box(svg)
    circle = svg.find(f".//{SVG}circle")
    assert (float(circle.get("cx")), float(circle.get("cy"))) == (width / 2, height / 2)
    assert min(width, height) >= SIZE / 2


def test_svg_map_simplifies_a_detailed_boundary_so_the_page_stays_small():
    steps = 20_000
    wiggly = [[-1.6 + 0.2 * i / steps, 52.3 + 0.00001 * (i % 2)] for i in range(steps)]
    outline = [*wiggly, [-1.4, 52.5], [-1.6, 52.5], wiggly[0]]
    html = str(map_of(title="Coast", features=[_feature("Polygon", [outline])]).svg)
    assert len(html) < 2_000


def test_svg_map_keeps_an_area_too_small_to_simplify():
    svg = _svg(
        _feature("Polygon", [_square(-1.6, 52.3, 0.3)], name="Big"),
        _feature("Polygon", [_square(-1.4, 52.4, 0.00001)], name="Tiny"),
    )
    assert [len(group.findall(f"{SVG}path")) for group in svg.iter(f"{SVG}g")] == [1, 1]


def test_svg_map_escapes_hostile_names_and_titles():
    html = str(
        map_of(
            title=HOSTILE,
            features=[_feature("Polygon", [_rectangle(-2.0, 52.3, 1.0, 0.2)], name=HOSTILE)],
        ).svg
    )
    assert "<script>" not in html
    svg = ElementTree.fromstring(html)  # noqa: S314 - our own output, parsed to check it
    assert svg.find(f"{SVG}title").text == HOSTILE
    assert svg.find(f"{SVG}g/{SVG}title").text == HOSTILE
    assert svg.find(f"{SVG}text").text == HOSTILE


def test_svg_map_is_one_image_named_by_its_title_and_pointing_to_the_table():
    svg = _svg(_feature("Point", [-1.5, 52.4]), title="Libraries")
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title[@id='{title_id}']").text == "Libraries"
    assert "listed in the table that follows" in svg.find(f"{SVG}desc[@id='{desc_id}']").text


def test_svg_map_labels_an_area_only_when_its_name_fits_inside():
    svg = _svg(
        _feature("Polygon", [_square(-1.6, 52.3, 0.3)], name="Big"),
        _feature("Polygon", [_square(-1.3, 52.3, 0.001)], name="A very small ward indeed"),
    )
    assert [text.text for text in svg.iter(f"{SVG}text")] == ["Big"]


def test_svg_map_draws_its_backdrop_beneath_untitled_and_fits_it_in():
    ward = {"type": "Polygon", "coordinates": [_square(-1.6, 52.3, 0.2)]}
    broken = {"type": "Polygon", "coordinates": []}
    place_map = map_of(
        title="Libraries",
        features=[_feature("Point", [-1.5, 52.4], name="Library")],
        backdrop=[ward, broken],
    )
    svg = ElementTree.fromstring(str(place_map.svg))  # noqa: S314 - our own output
    backdrop = svg.find(f"{SVG}path")
    assert backdrop.get("class") == "th-map__backdrop"
    assert list(svg).index(backdrop) < list(svg).index(svg.find(f"{SVG}g"))
    assert [place.name for place in place_map.places] == ["Library"]
    assert max(_view_box(svg)) == SIZE
    assert "1 place" in svg.find(f"{SVG}desc").text


@pytest.mark.parametrize(
    "geometry",
    [
        None,
        "not a geometry",
        {"type": "Point"},
        {"type": "Point", "coordinates": None},
        {"type": "Point", "coordinates": ["west", "north"]},
        {"type": "Point", "coordinates": [500000, 250000]},
        {"type": "Point", "coordinates": [float("nan"), 52]},
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]},
        {"type": "Polygon", "coordinates": []},
        {"type": "MultiPolygon", "coordinates": [[[1, 2]]]},
        {"type": "GeometryCollection", "geometries": []},
    ],
)
def test_map_skips_a_feature_it_cannot_draw_when_asked_and_refuses_it_otherwise(geometry):
    features = [
        {"type": "Feature", "geometry": geometry, "properties": {"name": "Broken"}},
        _feature("Point", [-1.5, 52.4], name="Library"),
    ]
    place_map = map_of(title="Places", features=features, skip_unusable=True)
    assert [place.name for place in place_map.places] == ["Library"]
    assert str(place_map.svg).count("<circle") == 1
    with pytest.raises(ValueError, match="feature 1 needs a name"):
        map_of(title="Places", features=features)


def test_map_skips_features_that_are_not_objects_when_asked():
    features = ["nonsense", None, _feature("Point", [-1.5, 52.4], name="Library")]
    place_map = map_of(title="Places", features=features, skip_unusable=True)
    assert [place.name for place in place_map.places] == ["Library"]


def test_map_component_shows_the_drawing_before_the_table_without_tiles(settings):
    settings.MAP_TILE_URL = ""
    place_map = map_of(title="Libraries", features=[_feature("Point", [-1.5, 52.4])])
    html = Template("{% load components %}{% map m %}").render(Context({"m": place_map}))
    assert html.index('<svg xmlns="http://www.w3.org/2000/svg" class="th-map__svg"') < html.index(
        "<table"
    )
    assert "leaflet.js" not in html


def test_map_component_with_no_places_draws_nothing(settings):
    place_map = map_of(title="Nothing", features=[])
    html = Template("{% load components %}{% map m %}").render(Context({"m": place_map}))
    assert "<svg" not in html


@pytest.mark.django_db
def test_area_page_shows_staff_the_boundary_they_are_naming(client, person):
    area = AreaFactory(
        name="Castle", geometry={"type": "Polygon", "coordinates": [_square(-1.6, 52.3, 0.1)]}
    )
    client.force_login(person("data_publisher"))
    page = client.get(reverse("core:area", args=[area.pk])).content.decode()
    assert page.count('<path class="th-map__area"') == 1
    assert "<title>Castle</title>" in page


def test_svg_map_styles_each_feature_by_its_variant_and_writes_its_label():
    area = _feature("Polygon", [_rectangle(-1.6, 53.0, 0.2, 0.1)], name="Riverside 001")
    area["properties"] |= {"variant": "risk-5 gap", "label": "5!"}

    svg = map_of(title="Risk", features=[area]).svg

    assert 'class="th-map__feature th-map__feature--risk-5 th-map__feature--gap"' in svg
    assert ">5!</text>" in svg
    assert "<title>Riverside 001</title>" in svg


def test_map_of_refuses_a_variant_that_is_not_a_style_name():
    area = _feature("Point", [-1.5, 53.0])
    area["properties"]["variant"] = '"><script>'

    with pytest.raises(ValueError, match="variant"):
        map_of(title="Risk", features=[area])
