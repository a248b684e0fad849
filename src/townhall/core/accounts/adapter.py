"""How django-allauth fits Townhall: residents sign up by email; staff come through SSO."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Residents and suppliers sign up with an email address and verify it."""


class StaffSingleSignOnAdapter(DefaultSocialAccountAdapter):
    """Single sign-on is for the council's staff: only when OIDC is configured."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return bool(settings.OIDC_SERVER_URL)
