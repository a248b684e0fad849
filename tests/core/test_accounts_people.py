"""Managing people (core.manage_people): the services the admin calls, and who may call them."""

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse

from townhall.core.models import AuditEntry, User
from townhall.core.permissions import PermissionDenied
from townhall.core.services.accounts import (
    AccountIsLastAdministrator,
    AccountUnderLegalHold,
    account_erase,
    person_create,
    person_erase,
    person_roles_set,
    person_update,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(person):
    return person(is_staff=True, is_superuser=True)


def test_person_create_gives_no_password_a_confirmed_address_and_the_roles(administrator):
    added = person_create(
        actor=administrator,
        email="Officer@Northbridge.example",
        display_name=" Sam Officer ",
        is_staff=True,
        role_slugs=["officer"],
    )

    assert (added.email, added.display_name, added.is_staff) == (
        "officer@northbridge.example",
        "Sam Officer",
        True,
    )
    assert not added.has_usable_password()
    assert EmailAddress.objects.filter(user=added, email=added.email, verified=True).exists()
    assert set(added.groups.values_list("name", flat=True)) == {"officer"}


@pytest.mark.parametrize("roles", [("officer",), ("chief_digital_officer",), ("resident",)])
def test_person_services_refuse_anyone_without_manage_people(person, resident, roles):
    actor = person(*roles, is_staff=True)

    with pytest.raises(PermissionDenied):
        person_create(actor=actor, email="new@example.org")
    with pytest.raises(PermissionDenied):
        person_update(actor=actor, person=resident, changes={"display_name": "Changed"})
    with pytest.raises(PermissionDenied):
        person_roles_set(actor=actor, person=resident, role_slugs=["administrator"])
    with pytest.raises(PermissionDenied):
        person_erase(actor=actor, person=resident)
    assert set(resident.groups.values_list("name", flat=True)) == {"resident"}
    assert User.objects.filter(pk=resident.pk).exists()


def test_person_services_keep_a_superuser_out_of_an_administrators_hands(administrator, superuser):
    with pytest.raises(PermissionDenied):
        person_update(actor=administrator, person=superuser, changes={"email": "me@example.org"})
    with pytest.raises(PermissionDenied):
        person_roles_set(actor=administrator, person=superuser, role_slugs=[])
    with pytest.raises(PermissionDenied):
        person_erase(actor=administrator, person=superuser)
    with pytest.raises(PermissionDenied):
        person_create(actor=administrator, email="root2@example.org", is_superuser=True)
    superuser.refresh_from_db()
    assert superuser.is_superuser


def test_person_update_lets_only_a_superuser_make_a_superuser(administrator, superuser, resident):
    with pytest.raises(PermissionDenied):
        person_update(actor=administrator, person=resident, changes={"is_superuser": True})

    person_update(actor=superuser, person=resident, changes={"is_superuser": True})

    resident.refresh_from_db()
    assert resident.is_superuser


def test_person_update_judges_by_the_stored_account_not_the_edited_one(administrator, superuser):
    """The admin's form has already copied the new values onto the object it passes."""
    superuser.is_superuser = False

    with pytest.raises(PermissionDenied):
        person_update(actor=administrator, person=superuser, changes={"is_superuser": False})


def test_person_update_moves_sign_in_and_password_resets_to_the_new_address(
    administrator, resident
):
    old_address = resident.email

    person_update(actor=administrator, person=resident, changes={"email": "New@Example.org"})

    resident.refresh_from_db()
    assert resident.email == "new@example.org"
    addresses = EmailAddress.objects.filter(user=resident)
    assert [(a.email, a.primary, a.verified) for a in addresses] == [
        ("new@example.org", True, True)
    ]
    assert not EmailAddress.objects.filter(email__iexact=old_address).exists()


def test_an_address_someone_else_confirmed_is_refused_not_a_server_error(
    administrator, resident, person, client
):
    other = person("resident")
    EmailAddress.objects.create(user=other, email="shared@example.org", verified=True)

    with pytest.raises(ValidationError):
        person_update(actor=administrator, person=resident, changes={"email": "shared@example.org"})
    with pytest.raises(ValidationError):
        person_create(actor=administrator, email="Shared@example.org")
    client.force_login(administrator)
    page = client.post(
        reverse("core:person_details", args=[resident.public_id]),
        {"email": "shared@example.org", "display_name": "Kept"},
    )

    assert page.status_code == 200
    assert "Another person has confirmed this email address as theirs." in page.text
    resident.refresh_from_db()
    assert resident.email != "shared@example.org"


def test_person_update_refuses_a_field_it_does_not_manage(administrator, resident):
    with pytest.raises(ValueError, match="password"):
        person_update(actor=administrator, person=resident, changes={"password": "x"})


def test_person_roles_set_makes_the_roles_exactly_those_given(administrator, resident):
    person_roles_set(actor=administrator, person=resident, role_slugs=["moderator", "officer"])

    assert set(resident.groups.values_list("name", flat=True)) == {"moderator", "officer"}
    with pytest.raises(ValueError, match="Unknown roles: emperor"):
        person_roles_set(actor=administrator, person=resident, role_slugs=["emperor"])


def test_person_erase_records_the_administrator_who_erased(administrator, resident):
    person_erase(actor=administrator, person=resident)

    assert not User.objects.filter(pk=resident.pk).exists()
    erasure = AuditEntry.objects.get(action="core.erase_account")
    assert erasure.actor_id == administrator.pk


# Erasures refused: the last administrator, and people under legal hold -------------------


@pytest.mark.parametrize(
    "fields",
    [{"roles": ("administrator",)}, {"is_superuser": True}],
    ids=["administrator-role", "superuser"],
)
def test_account_erase_refuses_the_last_administrator(person, resident, fields):
    roles = fields.pop("roles", ())
    only = person(*roles, is_staff=True, **fields)
    person("administrator", is_active=False)  # cannot manage the site

    with pytest.raises(AccountIsLastAdministrator) as refusal:
        account_erase(user=only)

    assert "only administrator" in str(refusal.value.reason)
    assert User.objects.filter(pk=only.pk).exists()


def test_account_erase_lets_an_administrator_go_when_another_remains(person, administrator):
    other = person("administrator", is_staff=True)

    account_erase(user=administrator)

    assert list(User.objects.filter(groups__name="administrator")) == [other]


def test_person_erase_refuses_a_person_under_legal_hold(administrator, resident):
    person_update(
        actor=administrator,
        person=resident,
        changes={"legal_hold": True, "legal_hold_reason": "Complaint 2026/114, until closed"},
    )

    with pytest.raises(AccountUnderLegalHold) as refusal:
        person_erase(actor=administrator, person=resident)

    assert "legal hold" in str(refusal.value.reason)
    assert User.objects.filter(pk=resident.pk).exists()


def test_setting_and_lifting_a_legal_hold_is_audited(administrator, resident):
    hold = {"legal_hold": True, "legal_hold_reason": "Subject access dispute"}
    person_update(actor=administrator, person=resident, changes=hold)
    person_update(actor=administrator, person=resident, changes={"legal_hold": False})

    entries = AuditEntry.objects.filter(object_id=str(resident.pk), action__contains="legal_hold")
    assert [(entry.action, entry.actor_id) for entry in entries.order_by("pk")] == [
        ("core.set_legal_hold", administrator.pk),
        ("core.lift_legal_hold", administrator.pk),
    ]
    account_erase(user=resident)  # lifted: the erasure goes ahead
    assert not User.objects.filter(pk=resident.pk).exists()


def test_a_legal_hold_needs_a_reason(administrator, resident):
    with pytest.raises(ValidationError) as error:
        person_update(actor=administrator, person=resident, changes={"legal_hold": True})

    assert "legal_hold_reason" in error.value.message_dict
