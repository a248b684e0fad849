"""Forms for market engagement events and for evaluation; the rules are the services',
which check everything again. Moments are typed as a date and a UK time."""

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.core.forms import GovukDateInput, with_welsh

from . import selectors
from .forms import _deadline
from .models import SCORE_SCALE, EngagementEvent
from .services.events import EVENT_TEXT

UK_TIME_HINT = _("UK time, 24-hour clock, like 09:30")
#: How many criteria the criteria page offers rows for (blank rows are left out).
CRITERIA_ROWS = 6


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), choices=EngagementEvent.Kind.choices)
    challenge = forms.ModelChoiceField(
        label=_("Challenge it is about (optional)"),
        queryset=selectors.challenge_choices(),
        required=False,
        help_text=_("Leave blank for an event about the council's market in general"),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea)
    venue = forms.CharField(
        label=_("Place (optional for an online event)"), widget=forms.Textarea, required=False
    )
    online_url = forms.URLField(label=_("Link to join online (optional)"), required=False)
    day = forms.DateField(label=_("Date of the event"), widget=GovukDateInput)
    start_time = forms.TimeField(label=_("Starts at"), initial=time(10, 0), help_text=UK_TIME_HINT)
    end_time = forms.TimeField(label=_("Ends at"), initial=time(12, 0), help_text=UK_TIME_HINT)
    deadline_day = forms.DateField(label=_("Registration closes on"), widget=GovukDateInput)
    deadline_time = forms.TimeField(
        label=_("Registration closes at"), initial=time(17, 0), help_text=UK_TIME_HINT
    )
    capacity = forms.IntegerField(label=_("Number of places"), min_value=1, max_value=10_000)
    attendees_per_supplier = forms.IntegerField(
        label=_("Most attendees per organisation"), min_value=1, max_value=10, initial=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, EVENT_TEXT)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        day = data.pop("day")
        data["starts_at"] = _deadline(day, data.pop("start_time"))
        data["ends_at"] = _deadline(day, data.pop("end_time"))
        data["registration_deadline"] = _deadline(
            data.pop("deadline_day"), data.pop("deadline_time")
        )
        return data


class RegistrationForm(forms.Form):
    attendees = forms.CharField(
        label=_("Who will attend?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

    def __init__(self, *args, most: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].help_text = _(
            "One full name a line, up to %(most)d people from your organisation"
        ) % {"most": most}

    def attendee_names(self) -> list[str]:
        return self.cleaned_data["attendees"].splitlines()


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Who attended?"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select each organisation that came; the others are recorded as absent"),
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (str(r.pk), f"{r.supplier.name} ({', '.join(r.attendee_names)})") for r in registrations
        ]


class MaterialsForm(forms.Form):
    slides = forms.FileField(label=_("Slides"), required=False, help_text=_("A PDF of up to 10 MB"))
    notes = forms.CharField(label=_("Notes of the event"), widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["notes"])


class CriteriaForm(forms.Form):
    """Up to CRITERIA_ROWS criteria, each a title (English and Welsh) and a weight."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(CRITERIA_ROWS):
            number = row + 1
            self.fields[f"title_{row}"] = forms.CharField(
                label=_("Criterion %(number)d") % {"number": number},
                max_length=200,
                required=False,
            )
            self.fields[f"title_cy_{row}"] = forms.CharField(
                label=_("Criterion %(number)d in Welsh") % {"number": number},
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"lang": "cy"}),
            )
            self.fields[f"weight_{row}"] = forms.IntegerField(
                label=_("Weight of criterion %(number)d (per cent)") % {"number": number},
                min_value=1,
                max_value=100,
                required=False,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            )

    def clean(self):
        data = super().clean()
        for row in range(CRITERIA_ROWS):
            title, weight = data.get(f"title_{row}"), data.get(f"weight_{row}")
            if title and weight is None:
                self.add_error(f"weight_{row}", _("Give this criterion a weight"))
            if weight is not None and not title:
                self.add_error(f"title_{row}", _("Name the criterion this weight is for"))
        return data

    def criteria(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "title": data[f"title_{row}"],
                "title_cy": data[f"title_cy_{row}"],
                "weight": data[f"weight_{row}"],
            }
            for row in range(CRITERIA_ROWS)
            if data.get(f"title_{row}")
        ]


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with any supplier that responded?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_(
            "For example a family member, friend or former employer at the supplier, or "
            "shares in it. If you have, you cannot score this challenge."
        ),
    )
    details = forms.CharField(
        label=_("If yes, what is the conflict?"), widget=forms.Textarea, required=False
    )


class ScoreForm(forms.Form):
    """A score from 0 to 5 and its reason for each of the challenge's criteria."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("Score for “%(criterion)s” (weight %(weight)d%%)")
                % {"criterion": criterion.title, "weight": criterion.weight},
                choices=[(str(value), str(value)) for value in SCORE_SCALE],
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
                help_text=_("0 is no evidence, 5 is excellent evidence"),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Reason for the score for “%(criterion)s”")
                % {"criterion": criterion.title},
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        data = self.cleaned_data
        return {c.pk: (data[f"score_{c.pk}"], data[f"comment_{c.pk}"]) for c in self.criteria}


class ModerationForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.TypedChoiceField(
        label=_("Agreed score"),
        choices=[(str(value), str(value)) for value in SCORE_SCALE],
        coerce=int,
    )
    reason = forms.CharField(
        label=_("Reason for the agreed score"), widget=forms.Textarea(attrs={"rows": 3})
    )
