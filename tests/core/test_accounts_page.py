"""Your account: see what we hold, change it, download it from every module, erase it."""

import json
import time

import pytest
from django.db.models import ProtectedError

from tests.core.factories import PASSWORD
from townhall.core.audit import record
from townhall.core.models import AuditEntry, User
from townhall.core.registry import Erasure, Manifest, PersonalRecords, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident)
    return resident


def confirm_password(client) -> None:
    """Enter the password again on allauth's "Confirm it is you" page."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def recently_confirmed(client, signed_in):
    confirm_password(client)
    return signed_in


@pytest.fixture
def example_module(monkeypatch):
    """A module that holds something about people, registered as modules register."""
    held: dict[int, str] = {}

    def erase(user):
        held.pop(user.pk, None)

    manifest = Manifest(
        app_label="example",
        name="Example",
        personal_data=lambda user: {"comments": [held[user.pk]] if user.pk in held else []},
        erase_personal_data=erase,
    )
    monkeypatch.setitem(registry._manifests, "example", manifest)
    return held


@pytest.fixture
def example_records(monkeypatch):
    """A module that declares the notes people write (core's own audit entries stand in
    for its model), so the readable page and the download show them under its name."""

    def add(user, text):
        record(actor=user, operation="action", action="example.note", object_label=text)

    manifest = Manifest(
        app_label="example",
        name="Example",
        personal_records=(
            PersonalRecords(
                model="core.AuditEntry",
                owner_field="actor",
                key="notes",
                label="Notes you wrote",
                export=("object_label",),
                erasure=Erasure.DELETE,
            ),
        ),
    )
    monkeypatch.setitem(registry._manifests, "example", manifest)
    return add


def test_account_page_needs_sign_in(client):
    response = client.get("/account/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_account_page_lists_what_we_hold(client, person):
    user = person("resident", "moderator", display_name="Ada Lovelace", preferred_language="cy")
    client.force_login(user)

    page = client.get("/account/").text

    assert user.email in page
    assert "Ada Lovelace" in page
    assert "Welsh" in page
    assert "Resident, Moderator" in page
    assert "Confirmed" in page
    assert "Account created" in page and "Last signed in" in page
    assert 'class="govuk-summary-list"' in page


def test_changing_details_saves_them_and_shows_the_account_in_the_chosen_language(
    client, signed_in
):
    response = client.post(
        "/account/details/", {"display_name": " Ada ", "preferred_language": "cy"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("/cy/account/")
    signed_in.refresh_from_db()
    assert (signed_in.display_name, signed_in.preferred_language) == ("Ada", "cy")


def test_changing_details_to_an_unknown_language_is_an_error(client, signed_in):
    response = client.post("/account/details/", {"display_name": "Ada", "preferred_language": "fr"})

    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.text
    assert '<a href="#id_preferred_language_0">' in response.text
    signed_in.refresh_from_db()
    assert signed_in.preferred_language == "en-gb"


def test_download_is_a_json_file_of_everything_held(client, signed_in, example_module):
    example_module[signed_in.pk] = "Please fix the streetlight"

    response = client.get("/account/download/")

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="townhall-your-data-')
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["modules"]["core"]["account"]["email"] == signed_in.email
    assert data["modules"]["core"]["email_addresses"] == [
        {"email": signed_in.email, "verified": True, "primary": True}
    ]
    assert data["modules"]["example"] == {"comments": ["Please fix the streetlight"]}


def test_download_carries_welsh_beyond_latin_1_unchanged(client, person):
    welsh = "Gŵyl y Gŵyr ŷd"
    signed_in = person("resident", display_name=welsh)
    client.force_login(signed_in)

    response = client.get("/account/download/")

    assert welsh.encode() in response.content  # UTF-8, not \u escapes
    assert (
        json.loads(response.content.decode())["modules"]["core"]["account"]["display_name"] == welsh
    )


def test_your_data_page_lists_what_each_module_holds_and_what_deleting_does(
    client, signed_in, example_records
):
    example_records(signed_in, "Please fix the streetlight")

    page = client.get("/account/your-data/").text

    assert '<h2 class="govuk-heading-m">Example</h2>' in page
    assert 'class="govuk-summary-list"' in page
    assert "Notes you wrote" in page and "Please fix the streetlight" in page
    assert "Deleted when you delete your account." in page
    assert signed_in.email in page  # core's part: the email addresses


def test_your_data_page_is_in_welsh_on_the_welsh_site(client, signed_in):
    page = client.get("/cy/account/your-data/").text

    assert "Eich data" in page
    assert "Cyfeiriadau e-bost" in page


def test_download_includes_changes_the_person_made_as_staff(client, administrator):
    record(actor=administrator, operation="action", action="core.edit_site", object_label="Home")
    client.force_login(administrator)

    data = client.get("/account/download/").json()

    [change] = data["modules"]["core"]["changes_made_as_staff"]
    assert (change["action"], change["object_label"]) == ("core.edit_site", "Home")


def test_delete_asks_before_it_erases(client, recently_confirmed):
    page = client.get("/account/delete/")

    assert "Are you sure you want to delete your account?" in page.text
    assert User.objects.filter(pk=recently_confirmed.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_delete_asks_for_the_password_again_when_it_was_not_confirmed_recently(
    client, signed_in, method
):
    response = getattr(client, method)("/account/delete/")

    assert response.status_code == 302
    assert response.url == "/accounts/reauthenticate/?next=%2Faccount%2Fdelete%2F"
    assert User.objects.filter(pk=signed_in.pk).exists()


def test_delete_goes_ahead_once_the_password_is_confirmed(client, signed_in):
    client.post("/account/delete/")
    assert User.objects.filter(pk=signed_in.pk).exists()

    client.post(
        "/accounts/reauthenticate/?next=%2Faccount%2Fdelete%2F",
        {"password": PASSWORD, "next": "/account/delete/"},
    )

    assert not User.objects.filter(pk=signed_in.pk).exists()


def test_delete_asks_again_when_the_wrong_password_is_given(client, signed_in):
    response = client.post("/accounts/reauthenticate/", {"password": "not the password"})

    assert response.status_code == 200
    assert client.post("/account/delete/").status_code == 302
    assert User.objects.filter(pk=signed_in.pk).exists()


def test_deleting_erases_every_module_and_the_account_and_signs_out(
    client, recently_confirmed, example_module
):
    example_module[recently_confirmed.pk] = "Please fix the streetlight"

    response = client.post("/account/delete/", follow=True)

    assert not User.objects.filter(pk=recently_confirmed.pk).exists()
    assert example_module == {}
    assert "Your account and your data have been deleted" in response.text
    assert not response.wsgi_request.user.is_authenticated


def test_deleting_keeps_the_audit_log_and_records_the_erasure_without_the_email(
    client, person, administrator
):
    person("administrator")  # Someone must be left to manage the site.
    record(actor=administrator, operation="action", action="core.edit_site", object_label="Home")
    client.force_login(administrator)
    confirm_password(client)

    client.post("/account/delete/")

    kept = AuditEntry.objects.get(action="core.edit_site")
    assert kept.actor_id == administrator.pk
    erasure = AuditEntry.objects.get(action="core.erase_account")
    assert erasure.object_label == f"person {administrator.public_id}"
    assert administrator.email not in json.dumps(
        list(AuditEntry.objects.exclude(pk=kept.pk).values()), default=str
    )


def test_deleting_changes_nothing_when_a_module_cannot_let_go(
    client, recently_confirmed, monkeypatch
):
    def refuse(user):
        raise ProtectedError("comments still point at the person", set())

    monkeypatch.setitem(
        registry._manifests,
        "stubborn",
        Manifest(app_label="stubborn", name="Stubborn", erase_personal_data=refuse),
    )

    response = client.post("/account/delete/", follow=True)

    assert User.objects.filter(pk=recently_confirmed.pk).exists()
    assert "We could not delete your account" in response.text


def test_deleting_the_last_administrators_account_is_refused_with_the_reason(client, administrator):
    client.force_login(administrator)
    confirm_password(client)

    response = client.post("/account/delete/", follow=True)

    assert User.objects.filter(pk=administrator.pk).exists()
    assert "We could not delete your account" in response.text
    assert "only administrator" in response.text
    assert "Give someone else the administrator role first" in response.text


def test_deleting_an_account_under_legal_hold_is_refused_with_the_reason(
    client, recently_confirmed
):
    User.objects.filter(pk=recently_confirmed.pk).update(
        legal_hold=True, legal_hold_reason="Claim 42"
    )

    response = client.post("/account/delete/", follow=True)

    assert User.objects.filter(pk=recently_confirmed.pk).exists()
    assert "must keep this account" in response.text
    assert "Claim 42" not in response.text  # the administrators' note stays theirs


@pytest.fixture
def single_sign_on_only(client, resident):
    resident.set_unusable_password()
    resident.save()
    client.force_login(resident)
    return resident


def _signed_in_at(client, person, when: float) -> None:
    """What allauth records in the session when someone signs in (here, through SSO)."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.flows.login import _AUTHENTICATION_METHODS_USER_SESSION_KEY

    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(person.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "socialaccount", "at": when}]
    session.save()


def test_delete_without_a_password_asks_to_sign_in_again_after_a_while(client, single_sign_on_only):
    _signed_in_at(client, single_sign_on_only, time.time() - 3600)

    page = client.get("/account/delete/")
    assert "Sign in again to delete your account" in page.text
    assert "_auth_user_id" in client.session  # a link alone signs nobody out
    response = client.post("/account/delete/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Faccount%2Fdelete%2F"
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(pk=single_sign_on_only.pk).exists()


def test_delete_without_a_password_goes_ahead_just_after_signing_in(client, single_sign_on_only):
    _signed_in_at(client, single_sign_on_only, time.time())

    assert "Are you sure" in client.get("/account/delete/").text
    client.post("/account/delete/")

    assert not User.objects.filter(pk=single_sign_on_only.pk).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_sign_in_again_page_meets_wcag_22_aa(page, live_server, client, resident):
    from tests.e2e.axe import assert_accessible
    from townhall.core.models import SiteSettings

    # Made here, or the first page would make it and its audit entry would stop the live
    # server's database being emptied after the test.
    SiteSettings.objects.create(council_name="Northbridge Borough Council")
    resident.set_unusable_password()
    resident.save()
    client.force_login(resident)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto("/account/delete/")

    page.get_by_role("heading", name="Sign in again to delete your account").wait_for()
    assert_accessible(page)
