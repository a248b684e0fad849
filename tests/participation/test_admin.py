"""Participation in the admin site: decided by the permission gate, like every module (ADR 0010)."""

import pytest

from townhall.participation.models import PreElectionPeriod

pytestmark = pytest.mark.django_db


def test_admin_pre_election_periods_are_read_only_even_for_an_administrator(client, administrator):
    """They change through their own pages, whose services apply the rules."""
    client.force_login(administrator)
    assert client.get("/admin/participation/preelectionperiod/").status_code == 200
    response = client.post(
        "/admin/participation/preelectionperiod/add/",
        {"name": "County elections", "starts_on": "2027-03-25", "ends_on": "2027-05-06"},
    )
    assert response.status_code == 403
    assert not PreElectionPeriod.objects.exists()


def test_admin_pre_election_periods_are_refused_to_whom_the_gate_refuses(client, person):
    client.force_login(person("chief_digital_officer", is_staff=True))
    assert client.get("/admin/participation/preelectionperiod/").status_code == 403
    assert client.get("/admin/participation/preelectionperiod/add/").status_code == 403


def test_admin_consultations_are_readable_but_not_editable_by_an_administrator(
    client, administrator
):
    client.force_login(administrator)
    assert client.get("/admin/participation/consultation/").status_code == 200
    assert client.get("/admin/participation/consultation/add/").status_code == 403
