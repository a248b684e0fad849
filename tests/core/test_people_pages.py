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


# Legal hold and deleting an account ----------------------------------------------------


def test_an_administrator_puts_a_person_under_legal_hold_with_a_reason(
    client, administrator, resident
):
    client.force_login(administrator)

    response = client.post(
        reverse("core:person_legal_hold", args=[resident.public_id]),
        {"legal_hold": "true", "legal_hold_reason": "Ombudsman complaint, until closed"},
    )

    assert response["Location"] == reverse("core:person", args=[resident.public_id])
    resident.refresh_from_db()
    assert resident.legal_hold and resident.legal_hold_reason == "Ombudsman complaint, until closed"
    assert AuditEntry.objects.filter(action="core.set_legal_hold", actor=administrator).exists()
    page = client.get(reverse("core:person", args=[resident.public_id]))
    assert "Held: Ombudsman complaint, until closed" in page.text


@pytest.mark.parametrize(
    ("reason", "problem"),
    [
        ("", "Say why this person&#x27;s records must be kept."),
        ("   ", "Say why this person&#x27;s records must be kept."),
        ("Claim\x0712", "Remove the tabs, line breaks and invisible control characters"),
    ],
    ids=["empty", "spaces", "control-character"],
)
def test_a_legal_hold_without_a_usable_reason_is_refused_and_nothing_changes(
    client, administrator, resident, reason, problem
):
    client.force_login(administrator)

    page = client.post(
        reverse("core:person_legal_hold", args=[resident.public_id]),
        {"legal_hold": "true", "legal_hold_reason": reason},
    )

    assert page.status_code == 200
    assert problem in page.text
    assert 'class="govuk-error-summary"' in page.text
    resident.refresh_from_db()
    assert not resident.legal_hold


def test_lifting_a_legal_hold_clears_its_reason(client, administrator, person):
    held = person("resident", legal_hold=True, legal_hold_reason="Tribunal")
    client.force_login(administrator)

    client.post(
        reverse("core:person_legal_hold", args=[held.public_id]),
        {"legal_hold": "false", "legal_hold_reason": "Tribunal"},
    )

    held.refresh_from_db()
    assert not held.legal_hold and held.legal_hold_reason == ""
    assert AuditEntry.objects.filter(action="core.lift_legal_hold").exists()


def test_an_administrator_deletes_an_account_after_confirming_and_it_is_audited(
    client, administrator, resident
):
    client.force_login(administrator)
    resident_pk = resident.pk

    confirmation = client.get(reverse("core:person_delete", args=[resident.public_id]))
    response = client.post(reverse("core:person_delete", args=[resident.public_id]))

    assert "You cannot undo this." in confirmation.text
    assert response["Location"] == reverse("core:people")
    assert not User.objects.filter(pk=resident_pk).exists()
    erasure = AuditEntry.objects.get(action="core.erase_account", object_id=str(resident_pk))
    assert erasure.actor_id == administrator.pk


def test_an_account_under_legal_hold_is_not_deleted_and_the_page_says_why(
    client, administrator, person
):
    held = person("resident", legal_hold=True, legal_hold_reason="Tribunal")
    client.force_login(administrator)

    page = client.post(reverse("core:person_delete", args=[held.public_id]))

    assert page.status_code == 409
    assert "The account was not deleted" in page.text
    assert "The council must keep this account" in page.text
    assert User.objects.filter(pk=held.pk).exists()


def test_an_administrator_cannot_delete_a_superusers_account(client, administrator, person):
    superuser = person(is_superuser=True, is_staff=True)
    client.force_login(administrator)

    page = client.post(reverse("core:person_delete", args=[superuser.public_id]))

    assert page.status_code == 409
    assert "Only a superuser may delete a superuser" in page.text
    assert User.objects.filter(pk=superuser.pk).exists()


def test_an_administrator_deletes_their_own_account_from_their_account_page(client, administrator):
    client.force_login(administrator)

    person_page = client.get(reverse("core:person", args=[administrator.public_id]))
    response = client.post(reverse("core:person_delete", args=[administrator.public_id]))

    assert "Delete account" not in person_page.text
    assert response["Location"] == reverse("core:account_delete")
    assert User.objects.filter(pk=administrator.pk).exists()


@pytest.mark.parametrize(
    "name", ["core:person_details", "core:person_legal_hold", "core:person_delete"]
)
def test_legal_hold_and_deleting_are_refused_to_anyone_who_may_not_manage_people(
    client, person, resident, name
):
    client.force_login(person("moderator", is_staff=True))

    assert client.get(reverse(name, args=[resident.public_id])).status_code == 403
    assert client.post(reverse(name, args=[resident.public_id])).status_code == 403
    assert User.objects.filter(pk=resident.pk).exists()


def test_deleting_an_account_is_offered_in_welsh(client, administrator, resident):
    client.force_login(administrator)

    page = client.get(f"/cy/manage/people/{resident.public_id}/delete/")

    assert page.status_code == 200
    assert 'lang="cy"' in page.text
    assert "Ni allwch ddadwneud hyn." in page.text


def test_an_administrator_corrects_a_persons_name_and_moves_them_to_a_new_address(
    client, administrator, resident
):
    client.force_login(administrator)

    response = client.post(
        reverse("core:person_details", args=[resident.public_id]),
        {"email": "Moved@Example.org", "display_name": "Gwenllïan Ŵyn"},
    )

    assert response.status_code == 302
    resident.refresh_from_db()
    assert (resident.email, resident.display_name) == ("moved@example.org", "Gwenllïan Ŵyn")
    assert list(resident.emailaddress_set.values_list("email", flat=True)) == ["moved@example.org"]
    assert AuditEntry.objects.filter(actor=administrator, object_id=str(resident.pk)).exists()


def test_moving_a_person_to_an_address_another_person_confirmed_is_refused(
    client, administrator, person, resident
):
    person("resident", email="taken@example.org")
    client.force_login(administrator)

    page = client.post(
        reverse("core:person_details", args=[resident.public_id]),
        {"email": "taken@example.org", "display_name": "Kept"},
    )

    assert page.status_code == 200
    assert "Another person has confirmed this email address as theirs." in page.text
    resident.refresh_from_db()
    assert resident.email != "taken@example.org"
