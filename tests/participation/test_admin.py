"""Participation in the operators' console: read only, since consultations and pre-election
periods change through their own pages, whose services apply the rules (ADR 0011)."""

import pytest

from townhall.participation.models import PreElectionPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, person):
    signed_in = person(is_staff=True, is_superuser=True)
    client.force_login(signed_in)
    return signed_in


def test_admin_pre_election_periods_are_read_only_even_for_a_superuser(client, operator):
    response = client.post(
        "/admin/participation/preelectionperiod/add/",
        {"name": "County elections", "starts_on": "2027-03-25", "ends_on": "2027-05-06"},
    )

    assert client.get("/admin/participation/preelectionperiod/").status_code == 200
    assert response.status_code == 403
    assert not PreElectionPeriod.objects.exists()


def test_admin_consultations_are_readable_but_not_editable_by_a_superuser(client, operator):
    assert client.get("/admin/participation/consultation/").status_code == 200
    assert client.get("/admin/participation/consultation/add/").status_code == 403
