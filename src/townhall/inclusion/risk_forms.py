"""The risk index officer's forms: an import (a file and where it came from) and the
weights. The rules are the services'; these only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

#: The largest file an officer may upload (LSOA boundaries of a large county, generalised).
MAX_UPLOAD_BYTES = 50 * 1024**2


class RiskImportForm(forms.Form):
    file = forms.FileField(label=_("File"))
    source = forms.CharField(
        label=_("Where the data comes from"),
        help_text=_("For example: ONS LSOA boundaries (December 2021), generalised clipped"),
        max_length=300,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 50 MB"))
        return upload


def _weight(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-4"}),
    )


class RiskWeightsForm(forms.Form):
    demography = _weight(_("Demography"))
    broadband = _weight(_("Broadband"))
    deprivation = _weight(_("Deprivation"))
    reason = forms.CharField(
        label=_("Why you are changing them"),
        help_text=_("Published with the weights"),
        max_length=300,
        required=False,
    )
