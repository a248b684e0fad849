"""The demo: Northbridge's directory of digital help."""

import pytest

from townhall.core.demo import DemoContext
from townhall.core.manifest import _load_northbridge
from townhall.inclusion.demo import build_directory
from townhall.inclusion.models import Location, Schedule, Service

pytestmark = pytest.mark.django_db


def _demo(seed: int = 1) -> DemoContext:
    context = DemoContext(size="small", seed=seed)
    context.begin_step("Wards, postcodes and addresses")
    _load_northbridge(context)
    context.forget()
    context.begin_step("Directory of digital help")
    build_directory(context)
    return context


def test_demo_has_sixty_services_at_thirty_places_across_every_ward():
    context = _demo()

    assert Service.objects.filter(state="published").count() >= 60
    assert Location.objects.count() >= 30
    wards = {ward.code for ward in context.wards()}
    assert wards <= set(Location.objects.values_list("ward_code", flat=True))
    assert Schedule.objects.filter(kind="closed").count() >= 3
    assert Service.objects.exclude(name_cy="").exists()


def test_demo_is_the_same_with_the_same_seed_and_replaces_itself():
    _demo()
    first = sorted(Service.objects.values_list("id", "slug", "name_en_gb"))

    _demo()

    assert sorted(Service.objects.values_list("id", "slug", "name_en_gb")) == first


def test_demo_gives_a_resident_free_wifi_a_device_loan_and_a_skills_class(client):
    _demo()

    for kind in ("free-wifi", "device-loans", "skills-courses"):
        response = client.get("/digital-help/", {"postcode": "NB1 1AA", "kind": kind})
        assert "away" in response.content.decode(), kind


def test_demo_partner_keeps_the_libraries_entries_with_a_change_waiting_and_some_stale(client):
    from tests.inclusion.factories import PartnerFactory
    from townhall.inclusion.demo import DEMO_PARTNER_EMAIL, link_demo_partner
    from townhall.inclusion.models import ChangeRequest

    context = _demo()
    partner = PartnerFactory(email=DEMO_PARTNER_EMAIL)

    link_demo_partner(context)
    link_demo_partner(context)  # again: the same, not twice over

    change = ChangeRequest.objects.get()
    assert change.service.organization.name == "Northbridge Libraries"
    assert change.proposed_by == partner
    client.force_login(partner)
    entries = client.get("/digital-help/your-entries/").content.decode()
    assert "Changes waiting for review" in entries and "Needs confirming" in entries
