"""Participation in the operators' console: read only, since consultations change through
their own pages, whose services apply the rules (ADR 0011)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client, person):
    signed_in = person(is_staff=True, is_superuser=True)
    client.force_login(signed_in)
    return signed_in


def test_admin_consultations_are_readable_but_not_editable_by_a_superuser(client, operator):
    assert client.get("/admin/participation/consultation/").status_code == 200
    assert client.get("/admin/participation/consultation/add/").status_code == 403
