"""Staff single sign-on through OpenID Connect, offered only when it is configured."""

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.internal.flows.login import complete_login
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore

from townhall.core import roles
from townhall.core.accounts.adapter import StaffSingleSignOnAdapter
from townhall.core.accounts.forms import StaffSignUpForm
from townhall.core.models import User
from townhall.core.permissions import roles_of

pytestmark = pytest.mark.django_db

OIDC = {
    "OIDC_SERVER_URL": "https://login.northbridge.example/",
    "OIDC_ALLOWED_EMAIL_DOMAINS": ["northbridge.example"],
    "SOCIALACCOUNT_PROVIDERS": {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "staff",
                    "name": "Northbridge staff sign-in",
                    "client_id": "townhall",
                    "secret": "not-used-here",
                    "settings": {"server_url": "https://login.northbridge.example/"},
                }
            ]
        }
    },
}


@pytest.fixture
def sso_configured(settings):
    for name, value in OIDC.items():
        setattr(settings, name, value)


@pytest.fixture
def sso_request(rf):
    request = rf.get("/accounts/oidc/staff/login/callback/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    request._messages = FallbackStorage(request)
    with context.request_context(request):
        yield request


def staff_sign_on(
    email: str, name: str = "Priya Officer", *, email_verified: bool | None = True
) -> SocialLogin:
    """What allauth's OpenID Connect provider builds from the identity provider's answer
    (its userinfo claims), before it is saved; `email_verified=None` leaves the claim out."""
    claims = {"sub": f"uid-{email}", "email": email, "name": name}
    if email_verified is not None:
        claims["email_verified"] = email_verified
    address = EmailAddress(email=email, verified=bool(email_verified), primary=True)
    account = SocialAccount(provider="staff", uid=claims["sub"], extra_data={"userinfo": claims})
    sociallogin = SocialLogin(user=User(), account=account, email_addresses=[address])
    StaffSingleSignOnAdapter().populate_user(None, sociallogin, {"email": email, "name": name})
    return sociallogin


def sign_on_through_allauth(request, email: str):
    """Hand allauth's login flow what the provider's callback would, and return its answer."""
    sociallogin = staff_sign_on(email)
    sociallogin.provider = sociallogin.account.get_provider(request)
    return complete_login(request, sociallogin)


def test_sso_sign_up_is_closed_when_oidc_is_not_configured(settings, sso_request):
    settings.OIDC_SERVER_URL = ""

    adapter = StaffSingleSignOnAdapter()

    assert not adapter.is_open_for_signup(sso_request, staff_sign_on("a@northbridge.example"))


@pytest.mark.parametrize("email", ["a@northbridge.example", "Priya.Officer@NorthBridge.Example"])
def test_sso_sign_up_is_open_to_the_councils_domains_whatever_their_case(
    sso_configured, sso_request, email
):
    adapter = StaffSingleSignOnAdapter()

    assert adapter.is_open_for_signup(sso_request, staff_sign_on(email))


@pytest.mark.parametrize(
    "email",
    [
        "someone@example.org",
        "someone@evil-northbridge.example",
        "someone@northbridge.example.evil.org",
        "someone@mail.northbridge.example",
        "northbridge.example@example.org",
        "",
    ],
)
def test_sso_refuses_an_address_outside_the_councils_domains(sso_configured, sso_request, email):
    adapter = StaffSingleSignOnAdapter()
    sociallogin = staff_sign_on(email)

    assert not adapter.is_open_for_signup(sso_request, sociallogin)
    with pytest.raises(ImmediateHttpResponse) as refusal:
        adapter.pre_social_login(sso_request, sociallogin)
    assert refusal.value.response.status_code == 403
    assert "Single sign-on is only for the council" in refusal.value.response.text


def test_sso_is_closed_to_everyone_until_the_councils_domains_are_set(
    sso_configured, settings, sso_request
):
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = []
    adapter = StaffSingleSignOnAdapter()
    sociallogin = staff_sign_on("a@northbridge.example")

    assert not adapter.is_open_for_signup(sso_request, sociallogin)
    with pytest.raises(ImmediateHttpResponse):
        adapter.pre_social_login(sso_request, sociallogin)


def test_sso_from_a_foreign_domain_creates_no_account_and_says_why(sso_configured, sso_request):
    response = sign_on_through_allauth(sso_request, "guest@example.org")

    assert response.status_code == 403
    assert "You cannot sign in with single sign-on" in response.text
    assert not User.objects.filter(email="guest@example.org").exists()


def test_sso_from_the_councils_domain_creates_a_staff_account(sso_configured, sso_request):
    response = sign_on_through_allauth(sso_request, "priya@northbridge.example")

    assert response.status_code == 302
    user = User.objects.get(email="priya@northbridge.example")
    assert user.is_staff
    assert EmailAddress.objects.get(user=user).verified


def test_sso_refuses_an_existing_account_once_its_domain_is_no_longer_allowed(
    sso_configured, settings, sso_request
):
    StaffSingleSignOnAdapter().save_user(sso_request, staff_sign_on("leaver@northbridge.example"))
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = ["southmoor.example"]

    response = sign_on_through_allauth(sso_request, "leaver@northbridge.example")

    assert response.status_code == 403
    assert not sso_request.user.is_authenticated


def test_staff_signing_on_become_staff_officers_with_a_verified_email(sso_configured, sso_request):
    sociallogin = staff_sign_on("priya@northbridge.example")

    user = StaffSingleSignOnAdapter().save_user(sso_request, sociallogin)

    user.refresh_from_db()
    assert user.is_staff
    assert user.display_name == "Priya Officer"
    assert not user.has_usable_password()
    assert roles_of(user) == {roles.OFFICER}
    assert EmailAddress.objects.get(user=user).verified


@pytest.mark.parametrize("email_verified", [False, None], ids=["unverified", "not-said"])
def test_sso_address_is_not_taken_as_confirmed_unless_the_provider_says_it_checked_it(
    sso_configured, sso_request, email_verified
):
    sociallogin = staff_sign_on("priya@northbridge.example", email_verified=email_verified)

    user = StaffSingleSignOnAdapter().save_user(sso_request, sociallogin)

    assert not EmailAddress.objects.get(user=user).verified


def test_sso_confirms_only_the_address_the_provider_claimed(sso_configured, sso_request):
    sociallogin = staff_sign_on("priya@northbridge.example")
    sociallogin.email_addresses.append(
        EmailAddress(email="priya@example.org", verified=True, primary=False)
    )

    user = StaffSingleSignOnAdapter().save_user(sso_request, sociallogin)

    confirmed = dict(EmailAddress.objects.filter(user=user).values_list("email", "verified"))
    assert confirmed == {"priya@northbridge.example": True, "priya@example.org": False}


def test_sso_address_typed_into_the_sign_up_form_is_not_taken_as_confirmed(
    sso_configured, sso_request
):
    sociallogin = staff_sign_on("priya@northbridge.example")
    sociallogin.email_addresses = []
    form = StaffSignUpForm(data={"email": "typed@northbridge.example"}, sociallogin=sociallogin)
    assert form.is_valid(), form.errors

    user = form.save(sso_request)

    assert not EmailAddress.objects.get(user=user, email="typed@northbridge.example").verified


def test_sso_sign_up_form_takes_only_an_address_at_the_councils_domains(
    sso_configured, sso_request
):
    sociallogin = staff_sign_on("priya@northbridge.example")
    sociallogin.email_addresses = []

    form = StaffSignUpForm(data={"email": "priya@example.org"}, sociallogin=sociallogin)

    assert not form.is_valid()
    assert form.errors["email"] == [
        "Enter your email address at the council, ending @northbridge.example"
    ]


def test_sso_roles_are_a_class_attribute_a_council_can_override(sso_configured, sso_request):
    class DataTeamSignOn(StaffSingleSignOnAdapter):
        default_roles = (roles.OFFICER, roles.DATA_PUBLISHER)

    user = DataTeamSignOn().save_user(sso_request, staff_sign_on("dev@northbridge.example"))

    assert roles_of(user) == {roles.OFFICER, roles.DATA_PUBLISHER}


def test_local_sign_up_does_not_make_anyone_staff(client):
    client.post(
        "/accounts/signup/",
        {
            "email": "resident@example.org",
            "password1": "a long passphrase",
            "password2": "a long passphrase",
        },
    )

    user = User.objects.get(email="resident@example.org")
    assert not user.is_staff
    assert roles_of(user) == set()


def test_sign_in_page_offers_sso_only_when_configured(client, settings):
    settings.OIDC_SERVER_URL = ""
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "Sign in with" not in client.get("/accounts/login/").text

    for name, value in OIDC.items():
        setattr(settings, name, value)
    page = client.get("/accounts/login/").text

    assert "Sign in with Northbridge staff sign-in" in page
    assert 'action="/accounts/oidc/staff/login/?process=login"' in page
