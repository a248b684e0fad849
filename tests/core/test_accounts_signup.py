"""Signing up and in by email: verification, and bad input told apart without enumeration."""

import re
import time
from unittest import mock

import pytest
from allauth.account import app_settings as allauth_settings
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail, signing
from django.core.cache import cache

from tests.core.factories import PASSWORD, UserFactory
from townhall.core.models import SiteSettings, User
from townhall.core.selectors.site import forget_site_settings

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase"
LINK = re.compile(r"http://testserver(/accounts/confirm-email/[^/\s]+/)")


@pytest.fixture(autouse=True)
def council():
    SiteSettings.objects.all().delete()
    forget_site_settings()
    return SiteSettings.objects.create(council_name="Northbridge Borough Council")


def sign_up(client, email: str):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


def verification_link(message) -> str:
    return LINK.search(message.body).group(1)


def test_signup_sends_a_verification_email_naming_the_council(client):
    response = sign_up(client, "new.resident@example.org")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    [message] = mail.outbox
    assert message.to == ["new.resident@example.org"]
    assert message.subject == "Northbridge Borough Council: Confirm your email address"
    assert "an account with Northbridge Borough Council" in message.body
    assert LINK.search(message.body)


def test_signup_leaves_the_person_signed_out_until_they_verify(client):
    sign_up(client, "new.resident@example.org")

    assert client.get("/account/").status_code == 302
    assert not EmailAddress.objects.get(email="new.resident@example.org").verified


def test_check_your_email_page_explains_what_to_do_next(client):
    response = client.get(sign_up(client, "new.resident@example.org")["Location"])

    assert "Check your email" in response.text
    assert "sign in</a> with your email address and password" in response.text


def test_following_the_verification_link_and_confirming_signs_the_person_in(client):
    sign_up(client, "new.resident@example.org")
    link = verification_link(mail.outbox[0])

    page = client.get(link)
    assert "Confirm your email address" in page.text
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    assert EmailAddress.objects.get(email="new.resident@example.org").verified
    assert "new.resident@example.org" in client.get("/account/").text


def test_signup_with_an_existing_address_looks_the_same_and_emails_the_owner(client):
    owner = UserFactory(email="owner@example.org")
    fresh = sign_up(client, "someone.new@example.org")
    mail.outbox.clear()

    duplicate = sign_up(client, "owner@example.org")

    assert duplicate.status_code == fresh.status_code == 302
    assert duplicate["Location"] == fresh["Location"]
    [message] = mail.outbox
    assert message.to == [owner.email]
    assert message.subject == "Northbridge Borough Council: You already have an account"
    assert "An account with this email address already exists" in message.body
    assert User.objects.filter(email="owner@example.org").count() == 1


def work_done_by_signing_up(client, email: str) -> dict:
    """What a sign-up costs the server: the slow steps a timing attacker could measure."""
    mail.outbox.clear()
    with mock.patch.object(
        MD5PasswordHasher, "encode", autospec=True, side_effect=MD5PasswordHasher.encode
    ) as hashing:
        response = sign_up(client, email)
    return {
        "status": response.status_code,
        "password_hashes": hashing.call_count,
        "emails_sent": len(mail.outbox),
    }


def test_signup_does_the_same_work_whether_or_not_the_address_has_an_account(client):
    UserFactory(email="owner@example.org")

    new = work_done_by_signing_up(client, "someone.new@example.org")
    existing = work_done_by_signing_up(client, "owner@example.org")

    assert new == existing == {"status": 302, "password_hashes": 1, "emails_sent": 1}


def expired_key_for(address: EmailAddress) -> str:
    """A verification key exactly as allauth signs it, but made long enough ago to expire."""
    expire_days = allauth_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS

    class SignedDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - (expire_days + 1) * 86400)

    return SignedDaysAgo(salt=allauth_settings.SALT).sign_object(address.pk)


def test_an_expired_verification_link_says_so_and_how_to_get_a_new_one(client):
    sign_up(client, "late@example.org")
    address = EmailAddress.objects.get(email="late@example.org")

    response = client.get(f"/accounts/confirm-email/{expired_key_for(address)}/")

    assert response.status_code == 200
    assert "This link has expired or does not work" in response.text
    assert "Sign in to get a new link" in response.text
    assert not EmailAddress.objects.get(pk=address.pk).verified


def test_a_made_up_verification_link_gets_the_same_page(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")

    assert "This link has expired or does not work" in response.text


def test_signing_in_unverified_sends_a_new_verification_link(client):
    sign_up(client, "late@example.org")
    mail.outbox.clear()
    cache.clear()  # allauth sends one verification email per address every 3 minutes

    response = client.post(
        "/accounts/login/", {"login": "late@example.org", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    [message] = mail.outbox
    assert message.to == ["late@example.org"] and LINK.search(message.body)


def test_signing_in_with_the_right_password_goes_to_your_account(client, resident):
    response = client.post("/accounts/login/", {"login": resident.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/account/"


@pytest.mark.parametrize("email", ["known", "nobody@example.org"])
def test_a_wrong_password_gets_one_message_whether_or_not_the_account_exists(
    client, resident, email
):
    login = resident.email if email == "known" else email

    response = client.post("/accounts/login/", {"login": login, "password": "wrong password"})

    assert response.status_code == 200
    assert "Your email address or password is not right" in response.text
    assert 'class="govuk-error-summary"' in response.text
    assert "<title>Error: Sign in" in response.text


def test_sign_in_page_is_a_govuk_form(client):
    response = client.get("/accounts/login/")

    assert 'class="govuk-input"' in response.text
    assert 'for="id_login">Email address</label>' in response.text
    assert "placeholder" not in response.text


def test_sign_up_page_is_served_in_welsh_too(client):
    response = client.get("/cy/accounts/signup/")

    assert response.status_code == 200
    assert '<html lang="cy"' in response.text


def test_password_reset_looks_the_same_whether_or_not_the_account_exists(client, resident):
    known = client.post("/accounts/password/reset/", {"email": resident.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        resident.email: "Northbridge Borough Council: Reset your password",
        "nobody@example.org": "Northbridge Borough Council: Reset your password",
    }
    assert "There is no account with this email address" in mail.outbox[1].body


def test_a_used_or_broken_password_reset_link_says_so(client, resident):
    response = client.get("/accounts/password/reset/key/1-not-a-real-key/", follow=True)

    assert "This link has expired or does not work" in response.text
    assert "Get a new link" in response.text
