"""Forms of the directory: the resident's search, and the directory officer's forms (the
rules are the services')."""

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.core.fields import PostcodeForm
from townhall.core.forms import GovukDateInput
from townhall.core.text import single_line_text

from . import selectors
from .models import Organization, Service
from .services import LANGUAGES

DAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]


class FindHelpForm(PostcodeForm):
    """Postcode, the kind of help and whether it must be open now."""

    kind = forms.ChoiceField(label=_("What kind of help"), required=False)
    open_now = forms.BooleanField(label=_("Only show places open now"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any kind of help"))] + [
            (term.code, f"– {term.name}" if term.parent_id else term.name)
            for term in selectors.kinds_of_help()
        ]


def _text(label, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=200, validators=[single_line_text], **kwargs)


def _long(label, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 4}), **kwargs)


class OrganizationForm(forms.Form):
    name = _text(_("Name"))
    name_cy = _text(_("Name in Welsh"), required=False)
    description = _long(_("What the organisation does"))
    description_cy = _long(_("What the organisation does, in Welsh"), required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class ServiceForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organization.objects.order_by("name")
    )
    name = _text(_("Name"), help_text=_("For example Free Wi-Fi at Riverside Library"))
    name_cy = _text(_("Name in Welsh"), required=False)
    description = _long(_("What help it gives"))
    description_cy = _long(_("What help it gives, in Welsh"), required=False)
    terms = forms.ModelMultipleChoiceField(
        label=_("Kinds of help"),
        queryset=selectors.taxonomy_terms(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=Service.Status.choices)
    minimum_age = forms.IntegerField(label=_("Youngest age"), min_value=0, required=False)
    maximum_age = forms.IntegerField(label=_("Oldest age"), min_value=0, required=False)
    eligibility = _long(_("Who can use it"), required=False)
    eligibility_cy = _long(_("Who can use it, in Welsh"), required=False)
    cost = _text(_("What it costs"), required=False, help_text=_("For example Free"))
    cost_cy = _text(_("What it costs, in Welsh"), required=False)
    amount = forms.DecimalField(
        label=_("Amount in pounds"), required=False, min_value=0, decimal_places=2
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages the help is given in"),
        choices=list(LANGUAGES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    phone = _text(_("Telephone"), required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    published = forms.BooleanField(label=_("Published: residents can find it"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["terms"].label_from_instance = lambda term: term.name


class LocationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        help_text=_("Leave blank for a place several organisations use"),
    )
    name = _text(_("Name"), help_text=_("For example Riverside Library"))
    name_cy = _text(_("Name in Welsh"), required=False)
    address_1 = _text(_("Address"))
    city = _text(_("Town or city"))
    postcode = _text(_("Postcode"), help_text=_("For example NB1 1AA"))
    transportation = _long(_("How to get there"), required=False)
    transportation_cy = _long(_("How to get there, in Welsh"), required=False)


class PlaceForm(forms.Form):
    location = forms.ModelChoiceField(label=_("Place"), queryset=selectors.locations_for_staff())


class ScheduleForm(forms.Form):
    days = forms.MultipleChoiceField(
        label=_("Days"), choices=DAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.TimeField(label=_("Opens at"), help_text=_("For example 09:30"))
    closes_at = forms.TimeField(label=_("Closes at"), help_text=_("For example 17:00"))
    description = _text(_("Note"), required=False, help_text=_("For example Term time only"))
    description_cy = _text(_("Note in Welsh"), required=False)


class ClosureForm(forms.Form):
    valid_from = forms.DateField(label=_("Closed from"), widget=GovukDateInput)
    valid_to = forms.DateField(label=_("Closed until"), widget=GovukDateInput)
    description = _text(_("Reason"), required=False, help_text=_("For example Bank holiday"))
    description_cy = _text(_("Reason in Welsh"), required=False)


# Partners and the officer's review -------------------------------------------------------


class EntryChangeForm(forms.Form):
    """What a partner may change about a service: its text, contact and cost, and for each
    place its weekly hours (a field for each day, named "<place id>-<day>"), which holiday
    closures stay ("<place id>-keep") and a new one ("<place id>-closure_*"). The service
    checks every value (`services.partners.proposal_from`)."""

    description = _long(
        _("What help it gives"),
        error_messages={"required": _("Say what help the service gives")},
    )
    description_cy = _long(_("What help it gives, in Welsh"), required=False)
    eligibility = _long(_("Who can use it"), required=False)
    cost = _text(_("What it costs"), required=False, help_text=_("For example Free"))
    amount = forms.CharField(
        label=_("Amount in pounds"),
        max_length=12,
        required=False,
        help_text=_("For example 0 for free, or 2.50"),
    )
    phone = _text(_("Telephone"), required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args, details: dict, **kwargs) -> None:
        initial = {name: details[name] for name in self.base_fields if name in details}
        for place in details["places"]:
            for day, hours in place["hours"].items():
                initial[f"{place['id']}-{day}"] = hours
            initial[f"{place['id']}-keep"] = [
                str(position) for position in range(len(place["closures"]))
            ]
        super().__init__(*args, initial=initial, **kwargs)
        self.places = []
        for place in details["places"]:
            key = place["id"]
            for day, name in DAY_CHOICES:
                self.fields[f"{key}-{day}"] = forms.CharField(
                    label=name, max_length=60, required=False
                )
            closures = [
                (str(position), _closure_label(closure))
                for position, closure in enumerate(place["closures"])
            ]
            if closures:
                self.fields[f"{key}-keep"] = forms.MultipleChoiceField(
                    label=_("Holiday closures to keep"),
                    choices=closures,
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                    help_text=_("Untick a closure to remove it"),
                )
            self.fields[f"{key}-closure_from"] = forms.DateField(
                label=_("Closed from"), widget=GovukDateInput, required=False
            )
            self.fields[f"{key}-closure_to"] = forms.DateField(
                label=_("Closed until"), widget=GovukDateInput, required=False
            )
            self.fields[f"{key}-closure_reason"] = _text(
                _("Reason"), required=False, help_text=_("For example Bank holiday")
            )
            self.places.append(
                {
                    "name": place["name"],
                    "hours": [self[f"{key}-{day}"] for day, _name in DAY_CHOICES],
                    "keep": self[f"{key}-keep"] if closures else None,
                    "closure": [
                        self[f"{key}-closure_from"],
                        self[f"{key}-closure_to"],
                        self[f"{key}-closure_reason"],
                    ],
                }
            )
        self._place_ids = [place["id"] for place in details["places"]]
        self._closures_shown = {place["id"]: place["closures"] for place in details["places"]}
        self.entry_fields = [self[name] for name in self.base_fields]

    def proposal(self) -> dict:
        """The cleaned values as `services.partners.change_propose` takes them."""
        data = self.cleaned_data
        typed = {name: data.get(name) or "" for name in self.base_fields}
        typed["amount"] = data.get("amount") or ""
        typed["hours"], typed["closures_kept"], typed["closures_added"] = {}, {}, {}
        typed["closures_shown"] = self._closures_shown
        for key in self._place_ids:
            typed["hours"][key] = {day: data.get(f"{key}-{day}", "") for day, _n in DAY_CHOICES}
            if f"{key}-keep" in self.fields:
                typed["closures_kept"][key] = [int(p) for p in data.get(f"{key}-keep", [])]
            start, end = data.get(f"{key}-closure_from"), data.get(f"{key}-closure_to")
            if start or end:
                typed["closures_added"][key] = {
                    "from": start,
                    "to": end,
                    "reason": data.get(f"{key}-closure_reason", ""),
                }
        return typed


def _closure_label(closure: dict) -> str:
    text = _("%(first)s to %(last)s") % {"first": closure["from"], "last": closure["to"]}
    return f"{text} ({closure['reason']})" if closure.get("reason") else text


class RejectForm(forms.Form):
    reason = _long(
        _("Why is the change rejected?"),
        help_text=_("The partner reads this in the email and on their entry's page"),
        max_length=2000,
        error_messages={"required": _("Say why the change is rejected")},
    )


class PartnerAddForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the partner's account"),
        help_text=_("The partner must have created an account with this address"),
    )


class FeedImportForm(forms.Form):
    address = forms.URLField(
        label=_("The feed's address"),
        assume_scheme="https",
        max_length=300,
        help_text=_(
            "The address of its Open Referral UK API, often ending in /openreferral. Its "
            "records keep this as their source."
        ),
    )
    file = forms.FileField(
        label=_("Or upload its services"),
        required=False,
        help_text=_(
            "A JSON file of the feed's /services pages, up to 10 MB. Without one, the feed is "
            "read from its address."
        ),
    )
    publish = forms.TypedChoiceField(
        label=_("Imported services arrive"),
        choices=[("", _("As drafts, for you to check and publish")), ("on", _("Published"))],
        coerce=bool,
        widget=forms.RadioSelect,
        required=False,
        initial="",
    )
