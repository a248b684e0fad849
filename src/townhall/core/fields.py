"""Form fields other modules reuse. `PostcodeField` accepts any spacing and case."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services.geography import MalformedPostcode, normalise_postcode


class PostcodeField(forms.CharField):
    """A UK postcode, cleaned to its standard form ("nb11aa" -> "NB1 1AA").

    It checks the format only; call core.services.geography.find_by_postcode to check the
    postcode exists and is in the council's area.
    """

    default_error_messages = {
        "required": _("Enter a postcode"),
        "malformed_postcode": MalformedPostcode.message,
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Postcode"))
        kwargs.setdefault("max_length", 16)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "postal-code")
        self.widget.attrs.setdefault("spellcheck", "false")
        self.widget.attrs.setdefault("class", "govuk-input--width-10")

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return text
        try:
            return normalise_postcode(text)
        except MalformedPostcode:
            raise ValidationError(
                self.error_messages["malformed_postcode"], code="malformed_postcode"
            ) from None


class KnownChoicesField(forms.MultipleChoiceField):
    """Ignores values it does not know instead of refusing the whole form.

    An old bookmark may filter by a kind of content a module no longer has; the search
    should still run over the kinds that remain.
    """

    def clean(self, value):
        known = {str(choice) for choice, _label in self.choices}
        return super().clean([item for item in (value or []) if item in known])


class SearchForm(forms.Form):
    """The site search box and the filter by kind of content (checkboxes, no JavaScript).

    The search page draws these controls itself: a search box and a filter are never
    "(optional)", which the GOV.UK renderer would add to an optional field's label.
    """

    q = forms.CharField(label=_("Search this site"), required=False, strip=True)
    kind = KnownChoicesField(
        label=_("Type of content"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, kinds: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = sorted(kinds.items(), key=lambda item: str(item[1]))


class PostcodeForm(forms.Form):
    postcode = PostcodeField(help_text=_("For example, NB1 1AA"))
