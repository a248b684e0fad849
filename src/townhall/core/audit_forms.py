"""The audit log's filters, a GET form that works without JavaScript."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import GovukDateInput
from .models import AuditEntry
from .selectors.audit import AuditFilters, object_types
from .text import single_line_text


class _AnyTypeField(forms.ChoiceField):
    """A list of the types in the log that accepts any type of up to 100 characters."""

    def valid_value(self, value) -> bool:
        return len(str(value)) <= AuditEntry._meta.get_field("object_type").max_length


class AuditFilterForm(forms.Form):
    """Who, type of thing, operation, a date range (UK days, inclusive) and a search.

    Every field is optional. The type of thing is a list of the types in the log, but any
    value is accepted (the list is cached, and an address may name a type it lacks).
    """

    who = forms.CharField(
        label=_("Who"),
        help_text=_("Part of the email address recorded, or “system”"),
        max_length=254,
        required=False,
        validators=[single_line_text],
    )
    type = _AnyTypeField(label=_("Type of thing"), required=False)
    operation = forms.ChoiceField(label=_("Operation"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        help_text=_("For example, 17 3 2024"),
        required=False,
        widget=GovukDateInput,
    )
    date_to = forms.DateField(
        label=_("To"),
        help_text=_("For example, 31 3 2024"),
        required=False,
        widget=GovukDateInput,
    )
    q = forms.CharField(
        label=_("Identifier or name of the thing"),
        max_length=255,
        required=False,
        validators=[single_line_text],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operation"].choices = [
            ("", _("Any operation")),
            *AuditEntry.Operation.choices,
        ]
        types = object_types()
        chosen = (self.data.get("type") or "").strip()
        if chosen and chosen not in {value for value, _label in types}:
            types.append((chosen, chosen))
        self.fields["type"].choices = [("", _("Any type")), *types]
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = _("Enter a real date, like 17 3 2024")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to", _("The “to” date must be the same as or after the “from” date")
            )
        return data

    def filters(self) -> AuditFilters:
        """The filters a person asked for, leaving out any field they got wrong."""
        data = getattr(self, "cleaned_data", {})
        return AuditFilters(
            who=(data.get("who") or "").strip(),
            object_type=(data.get("type") or "").strip(),
            operation=data.get("operation") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            search=(data.get("q") or "").strip(),
        )
