"""The administration site, the operators' console: only superusers enter (ADR 0011), and
what they change there still goes through the services and the audit log."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db.models import ProtectedError

from tests.core.factories import AreaFactory
from townhall.core.models import Area, AuditEntry, Page, SiteSettings, TaskFailure, User
from townhall.core.registry import Manifest, registry
from townhall.core.selectors.site import site_settings

pytestmark = pytest.mark.django_db

SETTINGS_FORM = {
    "council_name": "Northbridge Borough Council",
    "council_name_cy": "Cyngor Bwrdeistref Northbridge",
    "service_name": "Townhall",
    "phase": "beta",
    "brand_colour": "#1d4f91",
    "feedback_url": "",
    "contact_email": "hello@northbridge.example",
    "contact_phone": "",
    "contact_address": "",
    "local_authority_code": "",
}


@pytest.fixture
def operator(person):
    return person(is_staff=True, is_superuser=True, email="root@northbridge.example")


@pytest.mark.parametrize(
    ("roles", "fields", "may_enter"),
    [
        ((), {"is_staff": True, "is_superuser": True}, True),
        ((), {"is_staff": True, "is_superuser": True, "is_active": False}, False),
        (("administrator",), {"is_staff": True}, False),
        (("chief_digital_officer",), {"is_staff": True}, False),
        (("officer",), {"is_staff": True}, False),
        (("moderator",), {"is_staff": True}, False),
        (("resident",), {}, False),
    ],
)
def test_admin_is_open_only_to_active_superusers(client, person, roles, fields, may_enter):
    client.force_login(person(*roles, **fields))

    response = client.get("/admin/")
    home = client.get("/")

    assert (response.status_code == 200) is may_enter
    assert ('href="/admin/"' in home.text) is may_enter


def test_admin_site_settings_cannot_be_added_twice_or_deleted(client, operator):
    existing = site_settings()
    client.force_login(operator)
    assert client.get("/admin/core/sitesettings/add/").status_code == 403
    delete_url = f"/admin/core/sitesettings/{existing.pk}/delete/"
    assert client.get(delete_url).status_code == 403
    assert SiteSettings.objects.count() == 1


@pytest.mark.parametrize("model", ["sitesettings", "page", "area"])
def test_admin_only_reads_what_the_manage_pages_now_edit(client, operator, model):
    """Site settings, council pages and area names are edited under Manage, through
    core.services.site; the admin shows them but can no longer change them."""
    existing = {"sitesettings": site_settings, "page": Page.objects.first, "area": AreaFactory}
    row = existing[model]()
    client.force_login(operator)
    change_url = f"/admin/core/{model}/{row.pk}/change/"
    assert client.get(change_url).status_code == 200
    client.post(change_url, {**SETTINGS_FORM, "council_name": "Hijacked", "name": "Hijacked"})
    assert client.get(f"/admin/core/{model}/{row.pk}/delete/").status_code == 403
    assert client.get(f"/admin/core/{model}/add/").status_code == 403
    assert SiteSettings.objects.get().council_name != "Hijacked"
    assert not Area.objects.filter(name="Hijacked").exists()


def test_admin_people_never_shows_a_password_hash(client, operator, resident):
    client.force_login(operator)
    response = client.get(f"/admin/core/user/{resident.pk}/change/")
    assert response.status_code == 200
    assert resident.password not in response.text
    assert "md5$" not in response.text


def test_admin_people_are_found_by_email_and_filtered_by_role(client, operator, person):
    wanted = person("moderator", is_staff=True, email="moderator@northbridge.example")
    person("resident", email="someone@example.org")
    client.force_login(operator)
    by_email = client.get("/admin/core/user/", {"q": "moderator@northbridge"})
    assert wanted.email in by_email.text
    assert "someone@example.org" not in by_email.text
    by_role = client.get("/admin/core/user/", {"role": "moderator"})
    assert wanted.email in by_role.text
    assert "someone@example.org" not in by_role.text


def test_admin_giving_a_person_a_role_is_recorded_in_the_audit_log(client, operator, resident):
    client.force_login(operator)
    moderator = Group.objects.get(name="moderator")
    form = {
        "email": resident.email,
        "display_name": resident.display_name,
        "preferred_language": "en-gb",
        "is_active": "on",
        "groups": [Group.objects.get(name="resident").pk, moderator.pk],
    }
    response = client.post(f"/admin/core/user/{resident.pk}/change/", form)
    assert response.status_code == 302
    assert set(resident.groups.values_list("name", flat=True)) == {"resident", "moderator"}
    [entry] = AuditEntry.objects.filter(object_type="core.user", object_id=str(resident.pk))
    assert (entry.action, entry.after) == ("groups.add", {"groups": ["moderator"]})
    assert entry.actor_id == operator.pk


def test_admin_a_person_added_there_has_no_usable_password(client, operator):
    client.force_login(operator)
    form = {"email": "new.officer@northbridge.example", "preferred_language": "en-gb"}
    response = client.post("/admin/core/user/add/", {**form, "is_active": "on"})
    assert response.status_code == 302
    assert not User.objects.get(email=form["email"]).has_usable_password()


def test_admin_a_person_added_there_has_their_roles_and_a_confirmed_address(client, operator):
    client.force_login(operator)
    form = {
        "email": "New.Officer@Northbridge.example",
        "display_name": "New Officer",
        "preferred_language": "cy",
        "is_active": "on",
        "is_staff": "on",
        "groups": [Group.objects.get(name="officer").pk],
    }
    response = client.post("/admin/core/user/add/", form)
    person = User.objects.get(email="new.officer@northbridge.example")
    assert response.status_code == 302
    assert response.url == "/admin/core/user/"
    assert (person.display_name, person.preferred_language, person.is_staff) == (
        "New Officer",
        "cy",
        True,
    )
    assert set(person.groups.values_list("name", flat=True)) == {"officer"}
    address = EmailAddress.objects.get(user=person)
    assert (address.email, address.verified, address.primary) == (person.email, True, True)


@pytest.mark.parametrize(
    "model",
    ["sitesettings", "page", "user", "area", "postcode", "address", "taskfailure", "auditentry"],
)
def test_admin_lists_every_core_record_for_a_superuser(client, operator, model):
    client.force_login(operator)
    assert client.get(f"/admin/core/{model}/").status_code == 200


# Superusers ------------------------------------------------------------------------------


def test_admin_superuser_may_change_another_superuser(client, person, operator):
    superuser = operator
    client.force_login(person(is_staff=True, is_superuser=True))
    form = {
        "email": superuser.email,
        "display_name": "Root",
        "preferred_language": "en-gb",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
    }
    response = client.post(f"/admin/core/user/{superuser.pk}/change/", form)
    assert response.status_code == 302
    superuser.refresh_from_db()
    assert superuser.display_name == "Root"


# Deleting a person erases them, as deleting their own account would ------------------------


@pytest.fixture
def erased_by_modules(monkeypatch):
    """The people a module's erase hook was called for, registered as modules register."""
    erased: list[int] = []
    manifest = Manifest(
        app_label="example", name="Example", erase_personal_data=lambda user: erased.append(user.pk)
    )
    monkeypatch.setitem(registry._manifests, "example", manifest)
    return erased


def test_admin_deleting_a_person_erases_them_through_every_module(
    client, operator, resident, erased_by_modules
):
    deleter = operator
    client.force_login(deleter)
    resident_pk = resident.pk

    confirmation = client.get(f"/admin/core/user/{resident_pk}/delete/")
    assert confirmation.status_code == 200
    assert "Are you sure you want to delete the person" in confirmation.text
    response = client.post(f"/admin/core/user/{resident_pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=resident_pk).exists()
    assert not EmailAddress.objects.filter(user_id=resident_pk).exists()
    assert erased_by_modules == [resident_pk]
    erasure = AuditEntry.objects.get(action="core.erase_account", object_id=str(resident_pk))
    assert erasure.actor_id == deleter.pk


def test_admin_deleting_a_person_changes_nothing_when_a_module_cannot_let_go(
    client, operator, resident, monkeypatch
):
    def refuse(user):
        raise ProtectedError("comments still point at the person", set())

    stubborn = Manifest(app_label="stubborn", name="Stubborn", erase_personal_data=refuse)
    monkeypatch.setitem(registry._manifests, "stubborn", stubborn)
    client.force_login(operator)

    response = client.post(f"/admin/core/user/{resident.pk}/delete/", {"post": "yes"}, follow=True)

    assert User.objects.filter(pk=resident.pk).exists()
    assert response.redirect_chain[-1][0] == f"/admin/core/user/{resident.pk}/change/"
    assert "could not be deleted" in response.text
    assert "was deleted successfully" not in response.text


def test_admin_puts_a_person_under_legal_hold_and_then_cannot_delete_them(
    client, operator, resident
):
    client.force_login(operator)
    form = {
        "email": resident.email,
        "display_name": resident.display_name,
        "preferred_language": "en-gb",
        "is_active": "on",
        "groups": [],
        "legal_hold": "on",
        "legal_hold_reason": "Ombudsman complaint, until closed",
    }

    assert client.post(f"/admin/core/user/{resident.pk}/change/", form).status_code == 302
    response = client.post(f"/admin/core/user/{resident.pk}/delete/", {"post": "yes"}, follow=True)

    assert User.objects.filter(pk=resident.pk, legal_hold=True).exists()
    assert "could not be deleted: The council must keep this account" in response.text
    assert AuditEntry.objects.filter(action="core.set_legal_hold", actor=operator).exists()


def test_admin_legal_hold_without_a_reason_is_an_error(client, operator, resident):
    client.force_login(operator)
    form = {
        "email": resident.email,
        "preferred_language": "en-gb",
        "is_active": "on",
        "legal_hold": "on",
    }

    response = client.post(f"/admin/core/user/{resident.pk}/change/", form)

    assert response.status_code == 200
    assert "Say why this person&#x27;s records must be kept." in response.text
    assert not User.objects.filter(pk=resident.pk, legal_hold=True).exists()


def test_admin_people_cannot_be_deleted_in_bulk(client, operator, resident):
    client.force_login(operator)

    page = client.get("/admin/core/user/")
    client.post(
        "/admin/core/user/",
        {"action": "delete_selected", "_selected_action": [resident.pk], "post": "yes"},
    )

    assert 'value="delete_selected"' not in page.text
    assert User.objects.filter(pk=resident.pk).exists()


# Failed background tasks ---------------------------------------------------------------------


@pytest.fixture
def failure(db):
    return TaskFailure.objects.create(
        task_path="townhall.example.tasks.send_receipt",
        arguments={"args": ["resident@example.org"], "kwargs": {}},
        attempt=3,
        will_retry=False,
        error="SMTP refused",
    )


def test_admin_superuser_reads_a_failed_tasks_arguments_but_clears_it_under_manage(
    client, operator, failure
):
    client.force_login(operator)

    assert (
        "resident@example.org" in client.get(f"/admin/core/taskfailure/{failure.pk}/change/").text
    )
    response = client.post(f"/admin/core/taskfailure/{failure.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert TaskFailure.objects.filter(pk=failure.pk).exists()
