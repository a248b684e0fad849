"""In a real browser: the map component becomes a Leaflet map with tiles, and is drawn without.

The map is shown on a page served only to this test (this module is also its URLconf);
the "tile server" is a PNG from our own static files, so nothing leaves the machine.
"""

import pytest
from django.shortcuts import render
from django.urls import path
from playwright.sync_api import expect

import townhall.urls
from tests.e2e.axe import assert_accessible
from townhall.core.components.maps import map_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE_NAME = 'Riverside" onmouseover="alert(1)'
HOSTILE_URL = '/x" onmouseover="alert(1)'
LOCAL_TILE_URL = "/static/townhall/build/images/layers.png?z={z}&x={x}&y={y}"


def _map_page(request):
    stations = map_of(
        title="Polling stations",
        features=[
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-1.52, 52.41]},
                "properties": {"name": "St Mary's Hall", "url": "/"},
            },
            {
                "type": "Feature",
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[-1.56, 52.39], [-1.48, 52.39], [-1.48, 52.44], [-1.56, 52.39]]
                    ],
                },
                "properties": {"name": "Riverside ward"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-1.50, 52.43]},
                "properties": {"name": HOSTILE_NAME, "url": HOSTILE_URL},
            },
        ],
    )
    return render(request, "components/map_test_page.html", {"stations": stations})


urlpatterns = [path("map-test/", _map_page), *townhall.urls.urlpatterns]


@pytest.fixture
def map_page_urls(settings, tmp_path):
    template = tmp_path / "components" / "map_test_page.html"
    template.parent.mkdir()
    template.write_text(
        '{% extends "base.html" %}{% load components %}'
        "{% block page_title %}Map{% endblock %}{% block content %}{% map stations %}{% endblock %}"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    settings.ROOT_URLCONF = __name__


def test_map_becomes_a_keyboard_usable_leaflet_map_when_tiles_are_set(
    page, settings, map_page_urls
):
    settings.MAP_TILE_URL = LOCAL_TILE_URL
    settings.MAP_TILE_ATTRIBUTION = "Test tiles"
    refused = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and refused.append(message.text),
    )
    page.goto("/map-test/")
    page.wait_for_selector(".leaflet-tile-loaded")
    expect(page.locator(".leaflet-container")).to_be_visible()
    marker = page.locator(".leaflet-marker-icon").first
    assert marker.get_attribute("tabindex") == "0"
    marker.focus()
    page.keyboard.press("Enter")
    assert page.locator(".leaflet-popup-content").inner_text() == "St Mary's Hall"
    assert "Test tiles" in page.locator(".leaflet-control-attribution").inner_text()
    expect(page.locator(".th-map__fallback")).to_be_visible()
    expect(page.locator(".th-map__svg")).to_be_hidden()
    assert refused == []


def test_map_popups_show_hostile_names_and_links_as_inert_text(page, settings, map_page_urls):
    settings.MAP_TILE_URL = LOCAL_TILE_URL
    page.goto("/map-test/")
    marker = page.locator(".leaflet-marker-icon").nth(1)
    marker.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    assert popup.inner_text() == HOSTILE_NAME
    link = popup.locator("a")
    assert link.get_attribute("onmouseover") is None
    assert link.get_attribute("href") == HOSTILE_URL


def test_map_without_tiles_is_drawn_above_its_list_fits_a_phone_and_passes_axe(
    page, settings, map_page_urls
):
    settings.MAP_TILE_URL = ""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/map-test/")
    drawing = page.get_by_role("img", name="Polling stations")
    expect(drawing).to_be_visible()
    assert drawing.locator("circle").count() == 2
    assert drawing.locator("path").count() == 1
    box = drawing.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".th-map__fallback tbody tr").count() == 3
    assert page.locator(".leaflet-container").count() == 0
    assert_accessible(page)
