"""How django-allauth fits Townhall: residents sign up by email; staff come through SSO."""

import math

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
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


def provider_claims(sociallogin) -> dict:
    """What the identity provider said about the person: its userinfo answer, else the ID
    token's claims (as allauth's OpenID Connect provider stores them), else the raw data."""
    data = sociallogin.account.extra_data or {}
    return data.get("userinfo") or data.get("id_token") or data


def claimed_email(sociallogin) -> str:
    """The address the identity provider gave, lower-cased; "" when it gave none."""
    return str(provider_claims(sociallogin).get("email") or "").strip().lower()


def claims_verified_email(sociallogin) -> bool:
    """True only when the provider says in so many words that it checked the address."""
    verified = provider_claims(sociallogin).get("email_verified")
    return verified is True or str(verified).lower() == "true"


def is_allowed_staff_email(email: str) -> bool:
    """True when the address's domain is exactly one of OIDC_ALLOWED_EMAIL_DOMAINS.

    The list is empty until the council sets it, and then nobody may use single sign-on:
    a provider may sign in people from outside the council (guests, other tenants).
    """
    allowed = {
        domain.strip().lower() for domain in getattr(settings, "OIDC_ALLOWED_EMAIL_DOMAINS", [])
    }
    local, at, domain = email.rpartition("@")
    return bool(local and at and domain.lower() in allowed)


class StaffSingleSignOnAdapter(DefaultSocialAccountAdapter):
    """Single sign-on is for the council's staff, and only when OIDC is configured.

    Only people whose address, as the identity provider gives it, is at one of the
    council's domains (OIDC_ALLOWED_EMAIL_DOMAINS) may sign up or sign in this way; anyone
    else is shown a page saying so. A new account is marked staff and given
    `default_roles` (an administrator adds more).

    The address is taken as confirmed only when it is the provider's own claim and the
    provider says it checked it (`email_verified` true). Otherwise, including when the
    provider does not say (Microsoft Entra ID often does not), Townhall sends its usual
    confirmation email before the first sign-in: the conservative choice, because an
    unchecked claim is only what someone typed into the provider. Addresses typed into
    allauth's sign-up form are never taken as confirmed.
    """

    default_roles: tuple[str, ...] = (roles.OFFICER,)

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return bool(settings.OIDC_SERVER_URL) and is_allowed_staff_email(claimed_email(sociallogin))

    def pre_social_login(self, request, sociallogin) -> None:
        """Refuse anyone whose address is not at one of the council's domains, before
        allauth signs them in or up (so an existing account cannot use SSO either)."""
        if not is_allowed_staff_email(claimed_email(sociallogin)):
            response = render(request, "socialaccount/not_allowed.html", status=403)
            raise ImmediateHttpResponse(response)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.display_name = (data.get("name") or "").strip()[:150]
        user.is_staff = True
        return user

    def save_user(self, request, sociallogin, form=None):
        from ..services.accounts import account_grant_roles

        claimed = claimed_email(sociallogin)
        vouched_for = claims_verified_email(sociallogin)
        for address in sociallogin.email_addresses:
            address.verified = vouched_for and address.email.strip().lower() == claimed
        sociallogin.user.is_staff = True
        user = super().save_user(request, sociallogin, form)
        account_grant_roles(user=user, role_slugs=self.default_roles)
        return user
