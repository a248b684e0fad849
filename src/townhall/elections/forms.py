"""Staff forms for elections; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.core.forms import GovukDateInput
from townhall.core.text import single_line_text

from .importers import LAYOUTS
from .models import Election


class ElectionForm(forms.Form):
    organisation = forms.SlugField(
        label=_("Organisation"),
        max_length=60,
        help_text=_("The council as Democracy Club's identifiers name it, like northbridge"),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        validators=[single_line_text],
        help_text=_("For example Northbridge local elections 2027"),
    )
    name_cy = forms.CharField(
        label=_("Name in Welsh"), max_length=200, required=False, validators=[single_line_text]
    )
    nation = forms.ChoiceField(label=_("Nation"), choices=Election.Nation.choices)
    poll_date = forms.DateField(label=_("Polling day"), widget=GovukDateInput)
    notice_of_election = forms.DateField(label=_("Notice of election"), widget=GovukDateInput)
    registration_deadline = forms.DateField(label=_("Registration deadline"), widget=GovukDateInput)
    postal_vote_deadline = forms.DateField(
        label=_("Postal vote application deadline"), widget=GovukDateInput
    )
    proxy_vote_deadline = forms.DateField(
        label=_("Proxy vote application deadline"), widget=GovukDateInput
    )


class CandidateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, validators=[single_line_text])
    party = forms.CharField(
        label=_("Party"),
        max_length=200,
        required=False,
        validators=[single_line_text],
        help_text=_("Leave blank for an independent candidate"),
    )
    statement = forms.CharField(label=_("Statement"), required=False, widget=forms.Textarea)
    statement_cy = forms.CharField(
        label=_("Statement in Welsh"), required=False, widget=forms.Textarea
    )


class PollingImportForm(forms.Form):
    layout = forms.ChoiceField(
        label=_("Electoral management system"),
        choices=[("", _("Recognise it from the file"))]
        + [(slug, layout.label) for slug, layout in LAYOUTS.items()],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The import can tell each system's export by its columns"),
    )
    addresses = forms.FileField(
        label=_("Addresses file"),
        help_text=_(
            "Every address on the register with its UPRN and polling station: CSV, or the "
            "JSON file FCS ElectionsPro exports for Democracy Club"
        ),
    )
    stations = forms.FileField(
        label=_("Stations file (CSV)"),
        required=False,
        help_text=_("Only for systems that export stations separately, like Democracy Counts"),
    )

    def clean(self):
        cleaned = super().clean()
        layout = LAYOUTS.get(cleaned.get("layout", ""))
        if layout and layout.separate_stations and not cleaned.get("stations"):
            self.add_error("stations", _("Choose the stations file this system exports"))
        return cleaned


class DistrictsImportForm(forms.Form):
    boundaries = forms.FileField(
        label=_("District boundaries (GeoJSON)"),
        help_text=_(
            "A FeatureCollection with one Polygon or MultiPolygon for each polling district, "
            "in longitude and latitude (WGS84)"
        ),
    )
    code_property = forms.CharField(
        label=_("Property holding the district's reference"),
        initial="code",
        max_length=100,
        validators=[single_line_text],
    )
    name_property = forms.CharField(
        label=_("Property holding the district's name"),
        initial="name",
        max_length=100,
        validators=[single_line_text],
    )
    station_property = forms.CharField(
        label=_("Property holding the district's polling station reference"),
        initial="station",
        max_length=100,
        validators=[single_line_text],
        help_text=_("Leave as it is when the file names no station"),
    )


class AccessibilityForm(forms.Form):
    accessibility = forms.CharField(
        label=_("Access details"),
        required=False,
        widget=forms.Textarea,
        help_text=_(
            "For example step-free entrance, disabled parking, hearing loop, tactile voting device"
        ),
    )
    accessibility_cy = forms.CharField(
        label=_("Access details in Welsh"), required=False, widget=forms.Textarea
    )
