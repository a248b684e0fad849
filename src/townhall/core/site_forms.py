"""Forms of the administrators' pages for the council's pages, site settings and areas.

They only collect and check what was typed; core.services.site saves it (and checks
again, so a form is never the only guard).
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .branding import MAX_LOGO_BYTES
from .forms import english_names, label_welsh_columns
from .models import Area, Page, SiteSettings
from .services.site import SITE_SETTINGS_FIELDS
from .text import multi_line_text, single_line_text

MARKDOWN_HINT = _(
    "You can use Markdown: a blank line between paragraphs, ## for a heading, - for a "
    "list item, [words](https://example.org) for a link and | for a table. HTML is removed."
)


def _plain_text(fields: dict[str, forms.Field], *, lines=(), paragraphs=()) -> None:
    for name in lines:
        fields[name].validators.append(single_line_text)
    for name in paragraphs:
        fields[name].validators.append(multi_line_text)


class PageForm(forms.ModelForm):
    """A council page: its address and footer place, and its title and body in English and
    Welsh, each Welsh field just after the English it translates."""

    class Meta:
        model = Page
        fields = [
            "title_en_gb",
            "title_cy",
            "slug",
            "body_en_gb",
            "body_cy",
            "show_in_footer",
            "footer_order",
        ]
        labels = {"slug": _("Address"), "footer_order": _("Place in the footer")}
        help_texts = {
            "slug": _(
                "Lower case letters, numbers and hyphens, for example parking-permits. "
                "The page will be at /parking-permits/ and in Welsh at /cy/parking-permits/."
            ),
            "body_en_gb": MARKDOWN_HINT,
            "footer_order": _("Pages with smaller numbers come first, for example 10 before 20."),
        }
        widgets = {
            "body_en_gb": forms.Textarea(attrs={"rows": 15}),
            "body_cy": forms.Textarea(attrs={"rows": 15}),
            "footer_order": forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        }

    def __init__(self, *args, slug_locked: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        label_welsh_columns(self.fields, Page)
        self.fields["title_en_gb"].required = True
        self.fields["body_en_gb"].required = True
        self.fields["show_in_footer"].label = _("Show a link to this page in every page's footer")
        self.fields["show_in_footer"].help_text = ""
        self.fields["slug"].widget.attrs.update(
            {"spellcheck": "false", "autocapitalize": "none", "class": "govuk-input--width-20"}
        )
        _plain_text(
            self.fields,
            lines=("title_en_gb", "title_cy"),
            paragraphs=("body_en_gb", "body_cy"),
        )
        if slug_locked:
            slug = self.fields["slug"]
            slug.disabled = True
            slug.help_text = _(
                "The site links to this page by its address, so the address cannot be changed."
            )

    def _post_clean(self) -> None:
        """Leave the model's checks to page_create and page_update, which run them on the
        stored page (and say clearly when an address is taken)."""

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as page_create and page_update take them."""
        return english_names({name: self.cleaned_data[name] for name in self.Meta.fields})


class SiteSettingsForm(forms.ModelForm):
    """The council's identity, in the admin's groups (see `groups`)."""

    remove_logo = forms.BooleanField(
        label=_("Remove the logo and show the council's name alone"), required=False
    )

    #: The headings of the page's fieldsets and the fields under each.
    groups = (
        (_("Council"), ("council_name", "council_name_cy", "service_name", "phase")),
        (_("Look"), ("logo", "remove_logo", "brand_colour")),
        (_("Contact"), ("feedback_url", "contact_email", "contact_phone", "contact_address")),
        (_("Geography"), ("local_authority_code",)),
    )

    class Meta:
        model = SiteSettings
        fields = list(SITE_SETTINGS_FIELDS)
        labels = {
            "council_name": _("Council name"),
            "council_name_cy": _("Council name in Welsh"),
            "service_name": _("Service name"),
            "phase": _("Phase"),
            "logo": _("Upload a new logo"),
            "brand_colour": _("Brand colour"),
            "feedback_url": _("Feedback link"),
            "contact_email": _("Contact email address"),
            "contact_phone": _("Contact telephone number"),
            "contact_address": _("Postal address"),
            "local_authority_code": _("Local authority code"),
        }
        help_texts = {
            "service_name": _("Shown in the header beside the council's name."),
            "phase": _("Alpha and beta show a banner asking for feedback."),
            "logo": _("An SVG or PNG file of 1 MB or less, shown in the header."),
            "brand_colour": _(
                "# followed by six hexadecimal digits, like #1d4f91. It must be dark enough "
                "for white text on it to be read easily (a contrast of at least 4.5 to 1)."
            ),
            "feedback_url": _("The address of a feedback form, starting https://"),
        }
        widgets = {
            "phase": forms.RadioSelect,
            "logo": forms.FileInput(attrs={"accept": ".svg,.png,image/svg+xml,image/png"}),
            "brand_colour": forms.TextInput(
                attrs={"class": "govuk-input--width-7", "spellcheck": "false"}
            ),
            "contact_address": forms.Textarea(attrs={"rows": 4}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "local_authority_code": forms.TextInput(
                attrs={"class": "govuk-input--width-10", "spellcheck": "false"}
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council_name_cy"].widget.attrs["lang"] = "cy"
        self.fields["council_name"].widget.attrs["lang"] = "en"
        if not self.instance.logo:
            del self.fields["remove_logo"]
        _plain_text(
            self.fields,
            lines=(
                "council_name",
                "council_name_cy",
                "service_name",
                "contact_phone",
                "local_authority_code",
            ),
            paragraphs=("contact_address",),
        )

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > MAX_LOGO_BYTES:
            raise forms.ValidationError(_("The logo must be 1 MB or smaller."))
        return logo

    def fieldsets(self) -> list[tuple[Any, list]]:
        """The bound fields under each heading, for the template."""
        return [
            (heading, [self[name] for name in names if name in self.fields])
            for heading, names in self.groups
        ]

    def changes(self) -> dict[str, Any]:
        """What site_settings_update takes: every field, the logo only when it changes."""
        changes = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "logo"}
        if self.files.get("logo"):
            changes["logo"] = self.cleaned_data["logo"]
        elif self.cleaned_data.get("remove_logo"):
            changes["logo"] = ""
        return changes


class AreaNameForm(forms.Form):
    """An area's name in English and Welsh; its code, kind and boundary come from imports."""

    name = forms.CharField(
        label=_("Name"), max_length=200, validators=[single_line_text], strip=True
    )
    name_cy = forms.CharField(
        label=_("Name in Welsh"),
        max_length=200,
        required=False,
        validators=[single_line_text],
        strip=True,
        help_text=_("Leave empty when the name is the same in Welsh."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["lang"] = "en"
        self.fields["name_cy"].widget.attrs["lang"] = "cy"

    @classmethod
    def for_area(cls, area: Area, data=None) -> "AreaNameForm":
        return cls(data, initial={"name": area.name, "name_cy": area.name_cy})
