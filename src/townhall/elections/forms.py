"""Staff forms for elections; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.core.forms import GovukDateInput
from townhall.core.text import single_line_text

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
