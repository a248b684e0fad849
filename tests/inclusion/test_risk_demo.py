"""The demo: Northbridge's synthetic risk index shows a gradient and gaps, and says it is
synthetic."""

import pytest

from townhall.core.demo import DemoContext
from townhall.core.manifest import _load_northbridge
from townhall.inclusion.demo import build_directory
from townhall.inclusion.demo_risk import build_risk_index
from townhall.inclusion.models import SmallArea
from townhall.inclusion.risk_imports import LSOA_CODE
from townhall.inclusion.risk_selectors import risk_index

pytestmark = pytest.mark.django_db


def _demo(seed: int = 1) -> DemoContext:
    context = DemoContext(size="small", seed=seed)
    context.begin_step("Wards, postcodes and addresses")
    _load_northbridge(context)
    context.forget()
    context.begin_step("Directory of digital help")
    build_directory(context)
    context.begin_step("Digital exclusion risk index")
    build_risk_index(context)
    return context


def test_demo_gives_every_ward_four_to_six_small_areas_with_lsoa_codes():
    context = _demo()

    for ward in context.wards():
        assert 4 <= SmallArea.objects.filter(ward_code=ward.code).count() <= 6, ward.name
    assert all(
        LSOA_CODE.fullmatch(code) for code in SmallArea.objects.values_list("code", flat=True)
    )


def test_demo_shows_a_gradient_of_five_classes_and_at_least_two_gaps():
    _demo()
    index = risk_index()

    assert all(found["count"] for found in index.classes)
    assert len(index.gaps) >= 2
    assert index.synthetic


def test_demo_is_the_same_with_the_same_seed():
    _demo()
    first = [(a.code, a.score.overall) for a in risk_index().areas]

    _demo()

    assert [(a.code, a.score.overall) for a in risk_index().areas] == first


def test_demo_page_says_its_figures_are_synthetic_and_lists_gaps(client):
    _demo()

    html = client.get("/digital-help/risk/").content.decode()

    assert "These figures are synthetic" in html
    assert html.count('govuk-tag--red">Gap</strong>') >= 2
