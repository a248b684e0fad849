"""Django forms rendered as GOV.UK Design System components.

`GovukFormRenderer` is the project's FORM_RENDERER, so `{{ form }}` in any template gives
GOV.UK markup: a form group per field with its label (or fieldset and legend), hint,
inline error message and the error modifier classes, and `aria-describedby` tying the
control to its hint and error. Modules write ordinary Django forms; nothing here needs
to be imported except `GovukDateInput`, the day/month/year date input GOV.UK recommends
for dates people know (a date of birth, say).

The matching error summary is a template: `{% include "components/error_summary.html"
with form=form %}` at the top of the page.
"""

import copy
import secrets
from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .assisted import Channel

#: GOV.UK's class for each kind of single control, and its error modifier.
CONTROL_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
}

DATE_PARTS = (("day", _("Day"), 2), ("month", _("Month"), 2), ("year", _("Year"), 4))


class GovukDateInput(forms.MultiWidget):
    """Three boxes, day, month and year, that a DateField reads as one date.

    Incomplete or impossible dates reach the field as "year-month-day" text that does
    not parse, so the field's own "Enter a valid date" error shows and what the person
    typed is put back in the boxes.
    """

    use_fieldset = True

    def __init__(self, attrs=None):
        boxes = {
            part: forms.TextInput(attrs={"inputmode": "numeric"}) for part, _label, _w in DATE_PARTS
        }
        super().__init__(boxes, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") >= 2:
            year, month, day = value.split("-", 2)
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (
            (data.get(f"{name}_{part}") or "").strip() for part, _label, _w in DATE_PARTS
        )
        if not (day or month or year):
            return None
        return f"{year}-{month}-{day}"

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""


class GovukBoundField(BoundField):
    """A bound field that knows which GOV.UK component it is and how to draw it."""

    @property
    def govuk_kind(self) -> str:
        """The component: input, textarea, select, file, radios, checkboxes, checkbox or date."""
        widget = self.field.widget
        if isinstance(widget, GovukDateInput):
            return "date"
        if isinstance(widget, forms.CheckboxSelectMultiple):
            return "checkboxes"
        if isinstance(widget, forms.RadioSelect):
            return "radios"
        if isinstance(widget, forms.CheckboxInput):
            return "checkbox"
        if isinstance(widget, forms.Select):
            return "select"
        if isinstance(widget, forms.Textarea):
            return "textarea"
        if isinstance(widget, forms.FileInput):
            return "file"
        return "input"

    @property
    def govuk_hint_id(self) -> str:
        return f"{self.auto_id}_helptext"

    @property
    def govuk_error_id(self) -> str:
        return f"{self.auto_id}_error"

    @property
    def govuk_anchor_id(self) -> str:
        """The id the error summary links to: the first control a person can act on."""
        if self.govuk_kind in ("radios", "checkboxes"):
            return f"{self.auto_id}_0"
        return self.id_for_label or self.auto_id

    @property
    def govuk_optional(self) -> bool:
        """Whether to add "(optional)" to the label; a lone checkbox never says it."""
        return not self.field.required and self.govuk_kind != "checkbox"

    def govuk_control(self) -> str:
        """The one control (input, textarea, select, file upload, checkbox) with GOV.UK classes."""
        block, error_modifier = CONTROL_CLASSES[self.govuk_kind]
        classes = [block, self.field.widget.attrs.get("class", "")]
        if self.errors and error_modifier:
            classes.append(error_modifier)
        attrs = {"class": " ".join(name for name in classes if name), "placeholder": False}
        input_type = self.field.widget.attrs.get(
            "type", getattr(self.field.widget, "input_type", "")
        )
        if input_type in ("email", "password"):
            attrs["spellcheck"] = "false"
        if input_type == "email" and not self.field.widget.attrs.get("autocomplete"):
            attrs["autocomplete"] = "email"
        return self.as_widget(attrs=attrs)

    def govuk_options(self) -> list[dict]:
        """The radios' or checkboxes' items: id, name, value, label and whether chosen."""
        return [
            {
                "id": option.data["attrs"].get("id", ""),
                "name": option.data["name"],
                "value": option.data["value"],
                "label": option.choice_label,
                "checked": option.data["selected"],
            }
            for option in self.subwidgets
        ]

    def govuk_date_parts(self) -> list[dict]:
        """The day, month and year boxes of a date input, with what was typed in each."""
        values = self.field.widget.decompress(self.value())
        return [
            {
                "id": f"{self.auto_id}_{part}",
                "name": f"{self.html_name}_{part}",
                "label": label,
                "value": "" if value is None else value,
                "width": width,
            }
            for (part, label, width), value in zip(DATE_PARTS, values, strict=True)
        ]


class GovukFormRenderer(DjangoTemplates):
    """The project's form renderer (settings.FORM_RENDERER): GOV.UK markup for every form."""

    form_template_name = "components/forms/form.html"
    field_template_name = "components/forms/field.html"
    bound_field_class = GovukBoundField


def _in_welsh(label) -> str:
    return gettext("%(field)s in Welsh") % {"field": label}


def with_welsh(fields: dict[str, forms.Field], names: Iterable[str]) -> dict[str, forms.Field]:
    """`fields` with a Welsh field just after each named one (`title` gets `title_cy`),
    so staff see and write both languages together (ADR 0060).

    The Welsh field is the English one's twin, optional, labelled "… in Welsh" and marked
    `lang="cy"`; the English control is marked `lang="en"`, since officers may be using
    the Welsh interface. Call it in a form's `__init__`: `self.fields = with_welsh(...)`.
    """
    names = set(names)
    ordered: dict[str, forms.Field] = {}
    for name, field in fields.items():
        ordered[name] = field
        if name not in names:
            continue
        welsh = copy.deepcopy(field)
        welsh.required = False
        welsh.label = lazy(_in_welsh, str)(field.label)
        welsh.widget.attrs["lang"] = "cy"
        field.widget.attrs["lang"] = "en"
        ordered[f"{name}_cy"] = welsh
    return ordered


def label_welsh_columns(fields: dict[str, forms.Field], model: Any) -> None:
    """For a ModelForm of `model` listing a translated field's language columns
    (`title_en_gb`, `title_cy`) side by side: label them "Title" and "Title in Welsh"
    (not the library's "title [en-gb]") and mark them as `with_welsh` does."""
    for name, welsh in fields.items():
        base = name.removesuffix("_cy")
        english = fields.get(f"{base}_en_gb")
        if not name.endswith("_cy") or english is None:
            continue
        english.label = lazy(capfirst, str)(model._meta.get_field(base).verbose_name)
        welsh.required = False
        welsh.label = lazy(_in_welsh, str)(english.label)
        welsh.widget.attrs["lang"] = "cy"
        english.widget.attrs["lang"] = "en"


def english_names(values: dict[str, Any]) -> dict[str, Any]:
    """A ModelForm's cleaned values with `title_en_gb` named `title`, as services take the
    English (the Welsh keeps its `_cy` name)."""
    return {name.removesuffix("_en_gb"): value for name, value in values.items()}


class AssistedFields(forms.Form):
    """What assisted mode adds to a resident's form (ADR 0107): how the resident reached
    the council, asked first, and a hidden key that makes a second send of the same page
    store nothing twice. Put it first among a form's bases:
    `class AssistedSubscribeForm(AssistedFields, SubscribeForm)`."""

    field_order = ["channel"]

    channel = forms.ChoiceField(
        label=_("How did the resident contact the council?"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how the resident contacted the council")},
    )
    # Random, as the form makes it: a made-up key could name another submission.
    idempotency_key = forms.RegexField(
        regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", secrets.token_hex(16))
