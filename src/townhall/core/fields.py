"""Form fields other modules reuse. `PostcodeField` accepts any spacing and case;
`PoundsField` an amount of money written as people write it, kept in pence."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .formats import pounds
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


#: An amount as people write it: an optional £, digits grouped in threes by commas or not
#: grouped at all, and up to two decimal places.
_POUNDS = re.compile(r"£?\s*(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<pence>\d+))?")


class PoundsField(forms.CharField):
    """An amount in pounds ("£1,250,000.00", "1250000", "£12.5"), cleaned to whole pence
    (an int); each way it can be wrong has its own message."""

    default_error_messages = {
        "invalid": _("Enter an amount in pounds, like £1,250,000 or 1250000.50"),
        "pennies": _("Enter the amount to the nearest penny"),
        "negative": _("Enter an amount of £0 or more"),
        "too_large": _("Enter an amount less than £10,000,000,000"),
    }
    LIMIT_PENCE = 10_000_000_000 * 100

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("spellcheck", "false")
        self.widget.attrs.setdefault("class", "govuk-input--width-10")

    def prepare_value(self, value):
        if isinstance(value, int):
            return pounds(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        text = text.replace(" ", "")
        if text.startswith("-") or text.startswith("£-"):
            raise ValidationError(self.error_messages["negative"], code="negative")
        found = _POUNDS.fullmatch(text)
        if not found:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if found["pence"] and len(found["pence"].rstrip("0")) > 2:
            raise ValidationError(self.error_messages["pennies"], code="pennies")
        try:
            amount = Decimal(found["number"].replace(",", "") + "." + (found["pence"] or "0"))
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        pence = int(amount * 100)
        if pence >= self.LIMIT_PENCE:
            raise ValidationError(self.error_messages["too_large"], code="too_large")
        return pence
