"""How django-allauth fits Townhall: residents sign up by email; staff come through SSO."""

import math

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import roles
from ..ratelimit import allauth_action_retry_after
from ..selectors.site import council_name


class AccountAdapter(DefaultAccountAdapter):
    """Residents and suppliers sign up with an email address and verify it.

    Every email names the council (its subject and its text), and the messages a person
    reads on a failed sign-in never say whether an account exists.
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("Your email address or password is not right"),
        "unknown_email": _("Enter the email address you signed up with"),
    }

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth's refusal after too many failed sign-ins, saying when to try again."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as refusal:
            key = self._get_login_attempts_cache_key(request, **credentials)
            wait = allauth_action_retry_after(request, action="login_failed", key=key) or 60
            minutes = math.ceil(wait / 60)
            message = ngettext(
                "You have tried to sign in too many times. Try again in %(minutes)d minute.",
                "You have tried to sign in too many times. Try again in %(minutes)d minutes.",
                minutes,
            ) % {"minutes": minutes}
            raise ValidationError(message, code="too_many_login_attempts") from refusal

    def format_email_subject(self, subject: str) -> str:
        return f"{council_name()}: {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {"council_name": council_name(), **context})


class StaffSingleSignOnAdapter(DefaultSocialAccountAdapter):
    """Single sign-on is for the council's staff, and only when OIDC is configured.

    Whoever the council's identity provider signs in is a member of staff: the new
    account is marked staff and given `default_roles` (an administrator adds more).
    The provider is the council's own, so the email address it vouches for is taken
    as verified rather than sending a verification email to a colleague.
    """

    default_roles: tuple[str, ...] = (roles.OFFICER,)

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return bool(settings.OIDC_SERVER_URL)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.display_name = (data.get("name") or "").strip()[:150]
        user.is_staff = True
        return user

    def save_user(self, request, sociallogin, form=None):
        from ..services.accounts import account_grant_roles

        for address in sociallogin.email_addresses:
            address.verified = True
        sociallogin.user.is_staff = True
        user = super().save_user(request, sociallogin, form)
        account_grant_roles(user=user, role_slugs=self.default_roles)
        return user
