"""People and roles under Manage: administrators find people, add them and change their
roles without the admin site; each change goes through the services and the audit log."""

import pytest
from django.urls import reverse

from townhall.core.models import AuditEntry, User

pytestmark = pytest.mark.django_db


def test_people_page_finds_people_by_name_or_email(client, administrator, person):
    person("resident", display_name="Morgan Lee", email="m.lee@example.org")
    person("resident", display_name="Someone Else")
    client.force_login(administrator)

    page = client.get(reverse("core:people"), {"q": "morgan"})

    assert page.status_code == 200
    assert "Morgan Lee" in page.text and "m.lee@example.org" in page.text
    assert "Someone Else" not in page.text


@pytest.mark.parametrize("role", ["resident", "consultation_lead", "moderator", "data_publisher"])
def test_people_pages_are_refused_to_anyone_who_may_not_manage_people(client, person, role):
    someone = person(role)
    client.force_login(someone)

    assert client.get(reverse("core:people")).status_code == 403
    assert client.get(reverse("core:person", args=[someone.public_id])).status_code == 403
    assert client.post(reverse("core:person_add"), {"email": "x@example.org"}).status_code == 403


def test_an_administrator_gives_a_person_a_role_and_it_is_audited(client, administrator, person):
    someone = person("resident")
    client.force_login(administrator)

    response = client.post(
        reverse("core:person", args=[someone.public_id]),
        {"roles": ["resident", "moderator"], "is_active": "true"},
    )

    assert response.status_code == 302
    assert set(someone.groups.values_list("name", flat=True)) == {"resident", "moderator"}
    assert AuditEntry.objects.filter(actor=administrator, object_type="core.user").exists()


def test_an_administrator_deactivates_an_account(client, administrator, person):
    someone = person("resident")
    client.force_login(administrator)

    client.post(reverse("core:person", args=[someone.public_id]), {"is_active": "false"})

    someone.refresh_from_db()
    assert not someone.is_active


def test_an_administrator_adds_a_person_with_a_role(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("core:person_add"),
        {"email": "New.Officer@Example.org", "display_name": "Nia Jones", "roles": ["officer"]},
    )

    added = User.objects.get(email="new.officer@example.org")
    assert response["Location"] == reverse("core:person", args=[added.public_id])
    assert list(added.groups.values_list("name", flat=True)) == ["officer"]
    assert not added.has_usable_password()


def test_adding_a_person_whose_address_is_taken_says_so_and_keeps_what_was_typed(
    client, administrator, person
):
    person("resident", email="taken@example.org")
    client.force_login(administrator)

    page = client.post(
        reverse("core:person_add"), {"email": "taken@example.org", "display_name": "Kept Name"}
    )

    assert page.status_code == 200
    assert "Person with this Email address already exists." in page.text
    assert 'value="Kept Name"' in page.text


def test_an_administrator_cannot_change_a_superusers_roles(client, administrator, person):
    superuser = person(is_superuser=True, is_staff=True)
    client.force_login(administrator)

    page = client.post(
        reverse("core:person", args=[superuser.public_id]), {"roles": [], "is_active": "false"}
    )

    assert "Only a superuser may change a superuser" in page.text
    superuser.refresh_from_db()
    assert superuser.is_active


def test_people_page_is_served_in_welsh(client, administrator):
    client.force_login(administrator)

    page = client.get("/cy/manage/people/")

    assert page.status_code == 200
    assert "Pobl a rolau" in page.text
