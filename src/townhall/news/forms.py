"""Editors' forms; the rules are the services' (services.py), which check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.core.forms import GovukDateInput, with_welsh

from . import selectors
from .models import SocialAccount

MARKDOWN_HINT = _(
    "Leave a blank line between paragraphs. You can use Markdown: ## for a heading, - for a "
    "list, [words](https://…) for a link. HTML is removed."
)


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        help_text=_("One sentence, shown in lists, feeds and emails"),
    )
    body = forms.CharField(label=_("Update"), widget=forms.Textarea, help_text=MARKDOWN_HINT)
    services = forms.ModelMultipleChoiceField(
        label=_("Services"),
        queryset=selectors.services(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wards = forms.MultipleChoiceField(
        label=_("Wards"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when the update is about the whole borough"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["title", "summary", "body"])
        self.fields["services"].queryset = selectors.services()
        self.fields["wards"].choices = selectors.ward_choices()

    def service_arguments(self) -> dict:
        """The cleaned values as update_create and update_edit take them."""
        data = self.cleaned_data
        return {
            "title_en": data["title"],
            "title_cy": data["title_cy"],
            "summary_en": data["summary"],
            "summary_cy": data["summary_cy"],
            "body_en": data["body"],
            "body_cy": data["body_cy"],
            "services": data["services"],
            "ward_codes": data["wards"],
        }


class PublishForm(forms.Form):
    published_at = forms.DateField(
        label=_("Publish date"),
        widget=GovukDateInput,
        required=False,
        help_text=_("Leave empty to publish now. For an older announcement, give its date."),
    )


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["name"])


class SocialAccountForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Network"), choices=SocialAccount.Kind.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("Staff see it, for example Council on Mastodon"),
    )
    server = forms.CharField(
        label=_("Server address"),
        required=False,
        max_length=200,
        help_text=_(
            "Mastodon: the account's server, like https://mastodon.social. Bluesky: leave empty."
        ),
    )
    handle = forms.CharField(
        label=_("Handle"),
        required=False,
        max_length=200,
        help_text=_("Bluesky: the account's handle, like northbridge.bsky.social"),
    )
    secret = forms.CharField(
        label=_("Access token or app password"),
        required=False,
        widget=forms.PasswordInput,
        help_text=_(
            "Mastodon: an access token with the write:statuses scope. Bluesky: an app "
            "password. It is stored encrypted and never shown again."
        ),
    )


class FediverseForm(forms.Form):
    handle = forms.CharField(
        label=_("Handle"),
        max_length=31,
        help_text=_(
            "People find the council in the fediverse as @handle@this site's address. "
            "Lower-case letters, digits and underscores, up to 30."
        ),
    )
