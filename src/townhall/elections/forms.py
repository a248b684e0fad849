"""Staff forms for elections; the rules are the services'."""

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.core.forms import GovukDateInput
from townhall.core.text import single_line_text

from .importers import LAYOUTS
from .models import Councillor, Election


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


class ResultForm(forms.Form):
    """A ballot's count: the ballot's figures and a votes field per candidate
    (`votes_<pk>`), most recently entered figures as initial values."""

    electorate = forms.IntegerField(label=_("Electorate"), min_value=0)
    ballot_papers_issued = forms.IntegerField(
        label=_("Ballot papers issued"),
        min_value=0,
        help_text=_("The turnout is worked out from this and the electorate"),
    )
    rejected_ballots = forms.IntegerField(label=_("Rejected ballots"), min_value=0)

    def __init__(self, *args, ballot, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(ballot.candidates.all())
        for candidate in self.candidates:
            label = candidate.name + (f" ({candidate.party})" if candidate.party else "")
            self.fields[f"votes_{candidate.pk}"] = forms.IntegerField(
                label=_("Votes for %(candidate)s") % {"candidate": label},
                min_value=0,
                initial=candidate.votes,
            )

    def figures(self) -> dict:
        """The cleaned data as `services.ballot_result_record` takes it."""
        data = self.cleaned_data
        return {
            "electorate": data["electorate"],
            "ballot_papers_issued": data["ballot_papers_issued"],
            "rejected_ballots": data["rejected_ballots"],
            "votes": {c.pk: data[f"votes_{c.pk}"] for c in self.candidates},
        }


class ResultsImportForm(forms.Form):
    results = forms.FileField(
        label=_("Results file (CSV)"),
        help_text=_(
            "One row per candidate with ballot_paper_id, gss, person_name, votes_cast, "
            "total_electorate, num_turnout_reported and num_spoilt_ballots"
        ),
    )


class CouncillorForm(forms.Form):
    """Contacts, party and the end of the term of a serving councillor."""

    party = forms.CharField(
        label=_("Party"),
        max_length=200,
        required=False,
        validators=[single_line_text],
        help_text=_("Change it when the councillor changes party; leave blank for an independent"),
    )
    email = forms.EmailField(label=_("Email address"), required=False)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, required=False, validators=[single_line_text]
    )
    term_end = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=GovukDateInput,
        help_text=_("Change it when the councillor stands down before the end of their term"),
    )


class NewCouncillorForm(CouncillorForm):
    """A member no declared result made: the winner of a by-election, for instance."""

    ward_code = forms.ChoiceField(label=_("Ward"))
    name = forms.CharField(label=_("Name"), max_length=200, validators=[single_line_text])
    route = forms.ChoiceField(
        label=_("Elected at"), choices=Councillor.Route.choices, widget=forms.RadioSelect
    )
    term_start = forms.DateField(label=_("Term starts"), widget=GovukDateInput)
    field_order = ["ward_code", "name", "party", "route", "term_start", "term_end"]

    def __init__(self, *args, wards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward_code"].choices = [("", "")] + [(w.code, w.name) for w in wards]


class SurgeryForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=GovukDateInput)
    starts = forms.TimeField(label=_("Starts"), help_text=_("For example 18:30"))
    ends = forms.TimeField(label=_("Ends"), help_text=_("For example 20:00"))
    place = forms.CharField(label=_("Place"), max_length=255, validators=[single_line_text])
    place_cy = forms.CharField(
        label=_("Place in Welsh"), max_length=255, required=False, validators=[single_line_text]
    )

    def surgery(self) -> dict:
        """The cleaned data as `services.surgery_add` takes it, times in the council's zone."""
        data = self.cleaned_data
        return {
            "starts_at": timezone.make_aware(datetime.combine(data["day"], data["starts"])),
            "ends_at": timezone.make_aware(datetime.combine(data["day"], data["ends"])),
            "place": data["place"],
            "place_cy": data["place_cy"],
        }
