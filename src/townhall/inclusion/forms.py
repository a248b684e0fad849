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
