"""Staff single sign-on through OpenID Connect, offered only when it is configured."""

import pytest
from allauth.account.models import EmailAddress
from allauth.core import context
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore

from townhall.core import roles
from townhall.core.accounts.adapter import StaffSingleSignOnAdapter
from townhall.core.models import User
from townhall.core.permissions import roles_of

pytestmark = pytest.mark.django_db

OIDC = {
    "OIDC_SERVER_URL": "https://login.northbridge.example/",
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
    with context.request_context(request):
        yield request


def staff_sign_on(email: str, name: str = "Priya Officer") -> SocialLogin:
    """What allauth builds from the identity provider's answer, before it is saved."""
    address = EmailAddress(email=email, verified=False, primary=True)
    account = SocialAccount(provider="staff", uid=f"uid-{email}", extra_data={"email": email})
    sociallogin = SocialLogin(user=User(), account=account, email_addresses=[address])
    StaffSingleSignOnAdapter().populate_user(None, sociallogin, {"email": email, "name": name})
    return sociallogin


def test_sso_sign_up_is_closed_when_oidc_is_not_configured(settings, sso_request):
    settings.OIDC_SERVER_URL = ""

    adapter = StaffSingleSignOnAdapter()

    assert not adapter.is_open_for_signup(sso_request, staff_sign_on("a@northbridge.example"))


def test_sso_sign_up_is_open_when_oidc_is_configured(sso_configured, sso_request):
    adapter = StaffSingleSignOnAdapter()

    assert adapter.is_open_for_signup(sso_request, staff_sign_on("a@northbridge.example"))


def test_staff_signing_on_become_staff_officers_with_a_verified_email(sso_configured, sso_request):
    sociallogin = staff_sign_on("priya@northbridge.example")

    user = StaffSingleSignOnAdapter().save_user(sso_request, sociallogin)

    user.refresh_from_db()
    assert user.is_staff
    assert user.display_name == "Priya Officer"
    assert not user.has_usable_password()
    assert roles_of(user) == {roles.OFFICER}
    assert EmailAddress.objects.get(user=user).verified


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
