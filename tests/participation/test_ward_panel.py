"""Participation's panel on a ward's page: what residents of the ward can have their say on."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.participation.factories import BudgetFactory, ConsultationFactory
from townhall.participation.models import Budget
from townhall.participation.selectors import ward_participation

pytestmark = pytest.mark.django_db
RIVERSIDE = "E05000001"


def titles(panel, part, kind):
    return [str(item.title) for item in panel[part][kind]]


def test_ward_panel_lists_the_wards_own_and_council_wide_consultations_apart():
    ConsultationFactory(title="Bus lanes", ward_codes=[RIVERSIDE, "E05000002"])
    ConsultationFactory(title="Car park", ward_codes=["E05000002"])
    ConsultationFactory(title="Council tax", ward_codes=[])
    panel = ward_participation(RIVERSIDE)
    assert titles(panel, "here", "consultations") == ["Bus lanes"]
    assert titles(panel, "across", "consultations") == ["Council tax"]


def test_ward_panel_leaves_out_consultations_not_taking_responses():
    ConsultationFactory(ward_codes=[RIVERSIDE], closed=True)
    ConsultationFactory(ward_codes=[RIVERSIDE], draft=True)
    ConsultationFactory(ward_codes=[RIVERSIDE], opens_at=timezone.now() + timedelta(days=1))
    assert ward_participation(RIVERSIDE) is None


def test_ward_panel_lists_budgets_for_the_ward_and_the_borough_until_results():
    BudgetFactory(title="Riverside fund", ward_code=RIVERSIDE)
    BudgetFactory(title="Borough fund", ward_code="")
    BudgetFactory(title="Castle fund", ward_code="E05000002")
    BudgetFactory(title="Last year", ward_code=RIVERSIDE, phase=Budget.Phase.RESULTS)
    panel = ward_participation(RIVERSIDE)
    assert titles(panel, "here", "budgets") == ["Riverside fund"]
    assert titles(panel, "across", "budgets") == ["Borough fund"]


def test_ward_panel_is_left_out_when_only_other_wards_have_something_open():
    ConsultationFactory(ward_codes=["E05000002"])
    BudgetFactory(ward_code="E05000002")
    assert ward_participation(RIVERSIDE) is None
