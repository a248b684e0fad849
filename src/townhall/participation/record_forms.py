"""Forms of a resident's record: asking for a copy of the answers by email, and for the
"come back later" link by email. Neither address is kept (services.records)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReceiptForm(forms.Form):
    """On "check your answers", for a resident who is not signed in (a signed-in one gets
    the copy at their account's address)."""

    email_me = forms.BooleanField(label=_("Email me a copy of my answers"), required=False)
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We use it only to send the copy, and do not keep it."),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com")
        },
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email_me") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the email address to send the copy to"))
        return cleaned

    @property
    def address(self) -> str:
        """The address to send the copy to, or "" when none was asked for."""
        return self.cleaned_data["email"] if self.cleaned_data.get("email_me") else ""


class ResumeLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We send the link once and do not keep your address."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the email address to send the link to"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
