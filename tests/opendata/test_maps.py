"""Resource pages draw their places as a map, with no tile server, and survive broken geometry."""

import json
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.core.factories import AreaFactory, PostcodeFactory
from townhall.core.demo import build_demo
from townhall.core.selectors import geography
from townhall.opendata.models import Dataset

from .factories import DatasetFactory, upload

pytestmark = pytest.mark.django_db


def _page(client, resource, **query) -> str:
    url = reverse("opendata:resource", args=[resource.dataset.slug, resource.pk])
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def _svg(page: str) -> str:
    return re.search(r'<svg[^>]*class="th-map__svg".*?</svg>', page, re.S).group(0)


def test_demo_draws_a_path_per_ward_and_a_point_per_library_without_a_tile_server(client, settings):
    settings.MAP_TILE_URL = ""
    build_demo("small", report=lambda line: None, modules=["core", "opendata"])
    boundaries = _page(client, Dataset.objects.get(slug="ward-boundaries").resources.get())
    wards = _svg(boundaries)
    names = [ward.name for ward in geography.wards()]
    assert len(names) >= 10
    assert wards.count('<path class="th-map__area"') == len(names)
    assert all(f"<title>{escape(name)}</title>" in wards for name in names)
    assert "leaflet" not in boundaries
    libraries = _svg(_page(client, Dataset.objects.get(slug="libraries").resources.get()))
    assert libraries.count("<circle") == 6
    assert "<title>Abbey Library</title>" in libraries


def test_table_with_postcodes_only_is_drawn_from_the_postcodes_over_the_wards(client, publisher):
    AreaFactory()
    first, second = PostcodeFactory(postcode="NB1 1AA"), PostcodeFactory(postcode="NB1 1AB")
    csv = f"Site,Postcode\nAllotments,{first.postcode}\nDepot,{second.postcode}\nNowhere,NB9 9ZZ\n"
    version = upload(publisher, DatasetFactory(published=True), content=csv, filename="s.csv")
    svg = _svg(_page(client, version.resource))
    assert svg.count("<circle") == 2
    assert "<title>Depot</title>" in svg
    assert svg.count('<path class="th-map__backdrop"') == 1


def test_geojson_with_a_broken_feature_draws_the_others(client, publisher):
    document = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": "x"}},
            "not a feature",
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}},
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-1.5, 52.4]},
                "properties": {"name": '<img src=x onerror="alert(1)">'},
            },
        ],
    }
    version = upload(
        publisher,
        DatasetFactory(published=True),
        content=json.dumps(document),
        filename="places.geojson",
    )
    page = _page(client, version.resource)
    assert "1 place on this map" in page
    assert _svg(page).count("<circle") == 1
    assert "<img src=x" not in page
