"""The administration site: who may enter, the council's settings, and people."""

import pytest
from django.contrib.auth.models import Group

from townhall.core.models import SiteSettings, User
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


@pytest.mark.parametrize(
    ("roles", "fields", "may_enter"),
    [
        (("administrator",), {"is_staff": True}, True),
        (("chief_digital_officer",), {"is_staff": True}, True),
        ((), {"is_staff": True, "is_superuser": True}, True),
        (("officer",), {"is_staff": True}, False),
        (("moderator",), {"is_staff": True}, False),
        (("administrator",), {"is_staff": True, "is_active": False}, False),
        (("administrator",), {"is_staff": False}, False),
        (("resident",), {}, False),
    ],
)
def test_admin_index_is_open_only_to_administrators_superusers_and_audit_readers(
    client, person, roles, fields, may_enter
):
    client.force_login(person(*roles, **fields))
    response = client.get("/admin/")
    assert (response.status_code == 200) is may_enter


def test_admin_site_settings_cannot_be_added_twice_or_deleted(client, administrator):
    existing = site_settings()
    client.force_login(administrator)
    assert client.get("/admin/core/sitesettings/add/").status_code == 403
    delete_url = f"/admin/core/sitesettings/{existing.pk}/delete/"
    assert client.get(delete_url).status_code == 403
    assert SiteSettings.objects.count() == 1


def test_admin_site_settings_change_shows_at_once_in_the_header(client, administrator):
    existing = site_settings()
    client.force_login(administrator)
    form = {**SETTINGS_FORM, "council_name": "Southmoor District Council"}
    response = client.post(f"/admin/core/sitesettings/{existing.pk}/change/", form)
    assert response.status_code == 302
    assert "Southmoor District Council" in client.get("/").text


def test_admin_site_settings_refuses_a_brand_colour_white_text_cannot_be_read_on(
    client, administrator
):
    existing = site_settings()
    client.force_login(administrator)
    form = {**SETTINGS_FORM, "brand_colour": "#ffdd00"}
    response = client.post(f"/admin/core/sitesettings/{existing.pk}/change/", form)
    assert response.status_code == 200
    assert "contrast of at least 4.5 to 1" in response.text
    assert SiteSettings.objects.get().brand_colour == "#1d4f91"


def test_admin_officer_cannot_change_site_settings(client, person):
    existing = site_settings()
    client.force_login(person("officer", is_staff=True))
    form = {**SETTINGS_FORM, "council_name": "Hijacked"}
    client.post(f"/admin/core/sitesettings/{existing.pk}/change/", form)
    assert SiteSettings.objects.get().council_name != "Hijacked"


def test_admin_people_never_shows_a_password_hash(client, administrator, resident):
    client.force_login(administrator)
    response = client.get(f"/admin/core/user/{resident.pk}/change/")
    assert response.status_code == 200
    assert resident.password not in response.text
    assert "md5$" not in response.text


def test_admin_people_are_found_by_email_and_filtered_by_role(client, administrator, person):
    wanted = person("moderator", is_staff=True, email="moderator@northbridge.example")
    person("resident", email="someone@example.org")
    client.force_login(administrator)
    by_email = client.get("/admin/core/user/", {"q": "moderator@northbridge"})
    assert wanted.email in by_email.text
    assert "someone@example.org" not in by_email.text
    by_role = client.get("/admin/core/user/", {"role": "moderator"})
    assert wanted.email in by_role.text
    assert "someone@example.org" not in by_role.text


def test_admin_giving_a_person_a_role_is_recorded_in_the_audit_log(client, administrator, resident):
    from townhall.core.models import AuditEntry

    client.force_login(administrator)
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
    entry = AuditEntry.objects.get(action="core.manage_people", object_id=str(resident.pk))
    assert entry.before == {"roles": ["resident"]}
    assert entry.after == {"roles": ["moderator", "resident"]}
    assert entry.actor_id == administrator.pk


def test_admin_a_person_added_there_has_no_usable_password(client, administrator):
    client.force_login(administrator)
    form = {"email": "new.officer@northbridge.example", "preferred_language": "en-gb"}
    response = client.post("/admin/core/user/add/", {**form, "is_active": "on"})
    assert response.status_code == 302
    assert not User.objects.get(email=form["email"]).has_usable_password()


def test_admin_only_a_superuser_may_make_a_superuser(client, administrator, resident):
    client.force_login(administrator)
    form = {
        "email": resident.email,
        "preferred_language": "en-gb",
        "is_active": "on",
        "is_superuser": "on",
    }
    client.post(f"/admin/core/user/{resident.pk}/change/", form)
    resident.refresh_from_db()
    assert not resident.is_superuser


@pytest.mark.parametrize(
    "model",
    ["sitesettings", "page", "user", "area", "postcode", "address", "taskfailure", "auditentry"],
)
def test_admin_lists_every_core_record_for_an_administrator(client, administrator, model):
    client.force_login(administrator)
    assert client.get(f"/admin/core/{model}/").status_code == 200


def test_admin_chief_digital_officer_sees_the_audit_log_but_not_people(client, person):
    client.force_login(person("chief_digital_officer", is_staff=True))
    assert client.get("/admin/core/auditentry/").status_code == 200
    assert client.get("/admin/core/user/").status_code == 403
    assert client.get("/admin/core/sitesettings/").status_code == 403
