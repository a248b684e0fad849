"""Forms of the analysis pages: choosing a cross-tab, filtering and bulk-coding free text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .analysis import Dimension


class CrosstabForm(forms.Form):
    """Rows and columns, sent by GET so the table has an address to bookmark and share."""

    rows = forms.ChoiceField(label=_("Rows"), error_messages={"required": _("Choose the rows")})
    columns = forms.ChoiceField(
        label=_("Columns"), error_messages={"required": _("Choose the columns")}
    )

    def __init__(self, *args, dimensions: list[Dimension], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = {dimension.key: dimension for dimension in dimensions}
        choices = [(dimension.key, dimension.label) for dimension in dimensions]
        self.fields["rows"].choices = self.fields["columns"].choices = choices
        self.fields["columns"].initial = dimensions[1].key

    def clean(self):
        data = super().clean()
        if data.get("rows") and data.get("rows") == data.get("columns"):
            self.add_error("columns", _("Choose something for the columns other than the rows"))
        return data

    def chosen(self) -> tuple[Dimension, Dimension]:
        return (
            self.dimensions[self.cleaned_data["rows"]],
            self.dimensions[self.cleaned_data["columns"]],
        )


class CodeFilterForm(forms.Form):
    code = forms.ChoiceField(label=_("Show"), required=False)

    def __init__(self, *args, codes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [
            ("", _("All answers")),
            (selectors.UNCODED, _("Answers with no code")),
            *((str(code.pk), f"{code.label} ({code.count})") for code in codes),
        ]

    def chosen_code(self) -> str:
        return self.cleaned_data["code"] if self.is_valid() else ""


class BulkCodeForm(forms.Form):
    """A code for the answers ticked on the page; the ticks are `answers` (their ids)."""

    answers = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": _("Select at least one answer to code")},
    )
    label = forms.CharField(
        label=_("Code to add to the selected answers"),
        help_text=_("Choose a code already used or type a new one"),
        max_length=100,
        error_messages={
            "required": _("Enter a code"),
            "max_length": _("Enter a code of 100 characters or fewer"),
        },
    )

    def __init__(self, *args, answer_ids: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answers"].choices = [(pk, pk) for pk in answer_ids]
        self.fields["answers"].error_messages["invalid_choice"] = _(
            "Some of the answers selected are not answers to this question"
        )
