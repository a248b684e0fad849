"""People are shown by the name they chose, never by their email address."""

import pytest
from django.urls import reverse

from townhall.core.accounts.names import needs_display_name

pytestmark = pytest.mark.django_db


def test_a_person_is_shown_by_their_display_name(person):
    assert str(person(display_name="Rhian Evans", email="rhian.evans@example.org")) == "Rhian Evans"


def test_a_person_without_a_display_name_is_never_shown_by_their_email(person):
    nameless = person(display_name="", email="jo.bloggs@example.org")

    for shown in (str(nameless), nameless.get_short_name(), nameless.get_full_name()):
        assert "jo.bloggs" not in shown
        assert shown == "Unnamed person"


def test_a_person_without_a_display_name_needs_one_and_anonymous_visitors_do_not(person):
    from django.contrib.auth.models import AnonymousUser

    assert needs_display_name(person(display_name="  "))
    assert not needs_display_name(person(display_name="Jo"))
    assert not needs_display_name(AnonymousUser())


def test_choosing_a_display_name_goes_back_to_where_the_person_was(client, person):
    nameless = person(display_name="")
    client.force_login(nameless)

    response = client.post(
        reverse("core:display_name"),
        {"display_name": " Jo B ", "next": "/consultations/proposals/"},
    )

    assert response["Location"] == "/consultations/proposals/"
    nameless.refresh_from_db()
    assert nameless.display_name == "Jo B"


def test_the_display_name_page_never_sends_people_to_another_site(client, person):
    client.force_login(person(display_name=""))

    response = client.post(
        reverse("core:display_name"), {"display_name": "Jo", "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("core:account")


def test_an_empty_display_name_gets_a_govuk_error(client, person):
    client.force_login(person(display_name=""))

    page = client.post(reverse("core:display_name"), {"display_name": "", "next": "/"})

    assert page.status_code == 200
    assert "Enter the name to show with what you write" in page.text
    assert 'class="govuk-error-summary"' in page.text


def test_the_display_name_page_is_served_in_welsh(client, person):
    client.force_login(person(display_name=""))

    page = client.get("/cy/account/name/")

    assert page.status_code == 200
    assert "Pa enw" in page.text


def test_signing_in_without_a_display_name_names_the_person_to_themselves_by_email(client, person):
    from tests.core.factories import PASSWORD

    nameless = person(display_name="", email="only.me@example.org")

    page = client.post(
        reverse("account_login"), {"login": nameless.email, "password": PASSWORD}, follow=True
    )

    assert "You are signed in as only.me@example.org" in page.text
