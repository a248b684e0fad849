"""Officers' forms for changing a survey's questions and pages (see survey_views.py).

Each carries `seen`, the fingerprint of the question or page as the form showed it, so
that the service can refuse a save over someone else's change.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.core.forms import with_welsh

from .models import Question, SurveyPage
from .services import fingerprint


class QuestionEditForm(forms.Form):
    """Every field of a question, each existing option in a field of its own (so that
    rewording one cannot be mistaken for removing another) and new options to add."""

    seen = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("Question"), max_length=500)
    hint = forms.CharField(label=_("Hint"), max_length=500, required=False)
    kind = forms.ChoiceField(
        label=_("Type of answer"), choices=Question.Kind.choices, widget=forms.RadioSelect
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def __init__(self, *args, question: Question, **kwargs):
        initial = {
            "seen": fingerprint(question),
            "text": question.text_en_gb,
            "text_cy": question.text_cy,
            "hint": question.hint_en_gb,
            "hint_cy": question.hint_cy,
            "kind": question.kind,
            "required": question.required,
        }
        welsh = question.choices_cy if len(question.choices_cy) == len(question.choices) else []
        for number, choice in enumerate(question.choices, start=1):
            initial[f"option_{number}"] = choice
            initial[f"option_{number}_cy"] = welsh[number - 1] if welsh else ""
        super().__init__(*args, initial=initial, **kwargs)
        self.option_count = len(question.choices)
        for number in range(1, self.option_count + 1):
            self.fields[f"option_{number}"] = forms.CharField(
                label=_("Option %(number)s") % {"number": number}, max_length=255
            )
        self.fields["new_choices"] = forms.CharField(
            label=_("Add options"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("For choice, scale and ranking questions: one new option on each line"),
        )
        options = [f"option_{number}" for number in range(1, self.option_count + 1)]
        self.fields = with_welsh(self.fields, ["text", "hint", *options, "new_choices"])
        self.fields["new_choices_cy"].help_text = _("One on each line, in the same order")

    def service_fields(self) -> dict:
        """The cleaned data as `question_update` takes it."""
        data = self.cleaned_data
        numbers = range(1, self.option_count + 1)
        new = [line for line in data["new_choices"].splitlines() if line.strip()]
        new_cy = [line for line in data["new_choices_cy"].splitlines() if line.strip()]
        return {
            "seen": data["seen"],
            "kind": data["kind"],
            "text": data["text"],
            "text_cy": data["text_cy"],
            "hint": data["hint"],
            "hint_cy": data["hint_cy"],
            "required": data["required"],
            "choices": [data[f"option_{n}"] for n in numbers] + new,
            "choices_cy": [data[f"option_{n}_cy"] for n in numbers] + new_cy,
        }


class PageEditForm(forms.Form):
    seen = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Page title"), max_length=200)

    def __init__(self, *args, page: SurveyPage, **kwargs):
        initial = {"seen": fingerprint(page), "title": page.title_en_gb, "title_cy": page.title_cy}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields = with_welsh(self.fields, ["title"])
