"""Account forms: allauth's, in GOV.UK words, and the "Your account" details form.

allauth's forms keep their behaviour; these subclasses only change what a person reads
(labels and hints in sentence case, as the GOV.UK Design System asks). They are wired
in through settings.ACCOUNT_FORMS and SOCIALACCOUNT_FORMS.
"""

from allauth.account import forms as allauth_forms
from allauth.socialaccount import forms as social_forms
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from ..forms import AssistedFields
from ..models import Frequency
from ..text import single_line_text

EMAIL_LABEL = _("Email address")


def password_hint() -> str:
    """The password rules as one plain sentence for a hint, from the configured validators."""
    return " ".join(str(text) for text in password_validation.password_validators_help_texts())


def relabel(form: forms.Form, labels: dict[str, str], hints: dict[str, str] | None = None) -> None:
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
    for name, hint in (hints or {}).items():
        if name in form.fields:
            form.fields[name].help_text = hint


class SignInForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        relabel(
            self,
            {
                "login": EMAIL_LABEL,
                "password": _("Password"),
                "remember": _("Keep me signed in on this device"),
            },
        )


class SignUpForm(allauth_forms.SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        relabel(
            self,
            {
                "email": EMAIL_LABEL,
                "password1": _("Create a password"),
                "password2": _("Type your password again"),
            },
            {
                "email": _("We will send you an email to check it is yours."),
                "password1": password_hint(),
            },
        )

    def try_save(self, request):
        """Sign the person up, or email the owner of an address that already has an account.

        Both answers look the same (ACCOUNT_PREVENT_ENUMERATION), and both send one email
        the same way (the adapter's send_mail). They must also take the same time: a new
        account costs a password hash, by design the slowest step, so an existing address
        pays for one too and its answer cannot be told apart by how long it took.
        """
        if self.account_already_exists:
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        relabel(self, {"email": EMAIL_LABEL})


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        relabel(
            self,
            {"password1": _("New password"), "password2": _("Type your new password again")},
            {"password1": password_hint()},
        )


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        relabel(
            self,
            {
                "oldpassword": _("Current password"),
                "password1": _("New password"),
                "password2": _("Type your new password again"),
            },
            {"oldpassword": "", "password1": password_hint()},
        )


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        relabel(
            self,
            {"password1": _("Create a password"), "password2": _("Type your password again")},
            {"password1": password_hint()},
        )


class AddEmailForm(allauth_forms.AddEmailForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        relabel(
            self,
            {"email": EMAIL_LABEL},
            {"email": _("We will send you an email to check it is yours.")},
        )


class StaffSignUpForm(social_forms.SignupForm):
    """allauth's form for single sign-on when it needs an address the identity provider
    did not give (or one already in use): the address typed must be at one of the
    council's domains, as the provider's own must be."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        relabel(self, {"email": EMAIL_LABEL})

    def clean_email(self):
        from .adapter import is_allowed_staff_email

        email = super().clean_email()
        if not is_allowed_staff_email(email):
            raise forms.ValidationError(
                _("Enter your email address at the council, ending %(domains)s")
                % {
                    "domains": get_text_list(
                        [f"@{domain}" for domain in settings.OIDC_ALLOWED_EMAIL_DOMAINS], _("or")
                    )
                }
            )
        return email


class AccountDetailsForm(forms.Form):
    """The details a person may change on "Your account"."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=150,
        required=False,
        help_text=_("The name shown beside things you write in public, such as comments."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Which language should we write to you in?"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )


class DisplayNameForm(forms.Form):
    """The name a person chooses before their first public contribution."""

    display_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_(
            "We show it beside your proposals and comments. It can be your first name, your "
            "full name or another name you are known by. We never show your email address."
        ),
        error_messages={"required": _("Enter the name to show with what you write")},
    )


def role_choices() -> list[tuple[str, str]]:
    from ..registry import registry

    return [(role.slug, role.name) for role in registry.roles().values()]


class PersonRolesForm(forms.Form):
    """What an administrator changes about a person on the People pages."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=role_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.TypedChoiceField(
        label=_("Can they sign in?"),
        choices=[
            ("true", _("Active: they can sign in")),
            ("false", _("Deactivated: they cannot sign in")),
        ],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )


class PersonDetailsForm(forms.Form):
    """A person's name and sign-in address, corrected by an administrator."""

    email = forms.EmailField(
        label=EMAIL_LABEL,
        help_text=_("They sign in with this address from now on; the old one stops working."),
    )
    display_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        validators=[single_line_text],
        help_text=_("The name shown beside what they do and write."),
    )


class LegalHoldForm(forms.Form):
    """Whether a person's records must be kept, and why (person_update checks the reason)."""

    legal_hold = forms.TypedChoiceField(
        label=_("Must the council keep this person's records?"),
        choices=[
            ("true", _("Yes: they are under legal hold and cannot be deleted")),
            ("false", _("No: they may be deleted, by themselves or by an administrator")),
        ],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
    )
    legal_hold_reason = forms.CharField(
        label=_("Why must they be kept?"),
        help_text=_("For example, the reference of the claim or request that needs them."),
        max_length=300,
        required=False,
        validators=[single_line_text],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("legal_hold") and not cleaned.get("legal_hold_reason", "").strip():
            self.add_error("legal_hold_reason", _("Say why this person's records must be kept."))
        if cleaned.get("legal_hold") is False:
            cleaned["legal_hold_reason"] = ""
        return cleaned


class PersonAddForm(forms.Form):
    """A person added by an administrator: they sign in by email link, reset or SSO."""

    email = forms.EmailField(label=EMAIL_LABEL)
    display_name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("The name shown beside what they do and write."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=role_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class NotificationPreferenceForm(forms.Form):
    """How often a signed-in person hears about everything they follow."""

    frequency = forms.ChoiceField(
        label=_("How often should we email you about what you follow?"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
    )


class SubscribeForm(forms.Form):
    """An email address alone, to follow something without an account."""

    email = forms.EmailField(
        label=EMAIL_LABEL,
        help_text=_("We will send a link to this address: the emails start when you open it."),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class AssistedSubscribeForm(AssistedFields, SubscribeForm):
    """The resident's email address, and how they contacted the council, for staff
    following something on a resident's behalf (ADR 0107)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("The resident's email address")
        email.help_text = _(
            "We will send the resident a link: the emails start when they open it. "
            "Never enter your own address."
        )
        email.error_messages["required"] = _("Enter the resident's email address")
