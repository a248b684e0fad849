"""Forms for publishers (datasets, resources, uploads, column types, tokens) and the
resource preview's chart chooser. Rendered as GOV.UK markup by core's form renderer.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.core.forms import GovukDateInput, with_welsh
from townhall.core.text import multi_line_text, single_line_text

from .licences import LICENCE_CHOICES
from .models import Dataset, Organisation, Resource, Theme
from .services import COLUMN_TYPES

LINK_FORMATS = [
    (value, label) for value, label in Resource.Format.choices if value != Resource.Format.OTHER
]


def _transparency_choices() -> list[tuple[str, str]]:
    """The Local Government Transparency Code's mandated datasets."""
    from .transparency import kind_choices

    return list(kind_choices())


class DatasetForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the data is, where it comes from and its limits. You can use Markdown."),
    )
    publisher = forms.ModelChoiceField(
        label=_("Publisher"), queryset=Organisation.objects.order_by("title"), empty_label=None
    )
    licence = forms.ChoiceField(label=_("Licence"), choices=LICENCE_CHOICES)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=500,
        help_text=_("Separate keywords with commas, for example: budget, spending"),
    )
    update_frequency = forms.ChoiceField(
        label=_("How often is it updated?"), choices=Dataset.Frequency.choices
    )
    temporal_start = forms.DateField(
        label=_("Covers from"),
        required=False,
        widget=GovukDateInput,
        help_text=_("For example, 1 4 2024"),
    )
    temporal_end = forms.DateField(
        label=_("Covers to"),
        required=False,
        widget=GovukDateInput,
        help_text=_("For example, 31 3 2025"),
    )
    spatial_coverage = forms.CharField(
        label=_("Area covered"),
        required=False,
        max_length=200,
        help_text=_("For example, the whole borough, or a ward"),
    )
    spatial_area_code = forms.CharField(
        label=_("Area code"), required=False, max_length=20, help_text=_("An ONS code, if known")
    )
    contact_name = forms.CharField(label=_("Contact name"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    transparency_code = forms.ChoiceField(
        label=_("Transparency Code dataset"),
        required=False,
        help_text=_("Choose one if this dataset meets a Local Government Transparency Code duty"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["title", "description"])
        self.fields["transparency_code"].choices = [
            ("", _("None")),
            *_transparency_choices(),
        ]

    def clean_keywords(self) -> list[str]:
        return [word.strip() for word in self.cleaned_data["keywords"].split(",") if word.strip()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("temporal_start"), cleaned.get("temporal_end")
        if start and end and end < start:
            self.add_error(
                "temporal_end", _("The end of the period must be on or after its start.")
            )
        return cleaned

    @classmethod
    def initial_for(cls, dataset: Dataset) -> dict:
        return {
            "title": dataset.title_en_gb,
            "title_cy": dataset.title_cy,
            "description": dataset.description_en_gb,
            "description_cy": dataset.description_cy,
            "publisher": dataset.publisher_id,
            "licence": dataset.licence,
            "themes": list(dataset.themes.all()),
            "keywords": ", ".join(keyword.name for keyword in dataset.keywords.all()),
            "update_frequency": dataset.update_frequency,
            "temporal_start": dataset.temporal_start,
            "temporal_end": dataset.temporal_end,
            "spatial_coverage": dataset.spatial_coverage,
            "spatial_area_code": dataset.spatial_area_code,
            "contact_name": dataset.contact_name,
            "contact_email": dataset.contact_email,
            "transparency_code": dataset.transparency_code,
        }


class UploadForm(forms.Form):
    """A new file resource, or (with `new_version=True`) a new version of one."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Leave blank to use the file name"),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV, TSV, XLSX, JSON, GeoJSON or PDF"),
        error_messages={"required": _("Select a file"), "empty": _("The selected file is empty")},
    )

    def __init__(self, *args, new_version: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if new_version:
            del self.fields["name"]
            del self.fields["description"]
        else:
            self.fields = with_welsh(self.fields, ["name", "description"])


class LinkForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    url = forms.URLField(label=_("Link"), max_length=1000, assume_scheme="https")
    format = forms.ChoiceField(label=_("Format"), choices=LINK_FORMATS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["name", "description"])


class ColumnTypesForm(forms.Form):
    """One type choice per column; blank keeps the type the DataStore inferred."""

    def __init__(self, *args, columns: list[dict], current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [("", _("As inferred")), *[(kind, kind) for kind in COLUMN_TYPES]]
        for index, column in enumerate(columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column["id"],
                required=False,
                choices=choices,
                initial=current.get(column["id"], ""),
                help_text=_("Inferred: %(type)s") % {"type": column.get("type", "text")},
            )

    def column_types(self) -> dict[str, str]:
        return {
            column["id"]: self.cleaned_data.get(f"column_{index}") or ""
            for index, column in enumerate(self.columns)
            if self.cleaned_data.get(f"column_{index}")
        }


class DataDictionaryForm(forms.Form):
    """Each column's title, description and unit, in English and Welsh: the resource's
    data dictionary. Fields are named `<n>-title` and so on, n the column's position."""

    NAMES = ("title", "title_cy", "description", "description_cy", "unit")

    def __init__(self, *args, columns: list[dict], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        for index, column in enumerate(columns):
            entry = current.get(column["id"])
            fields = {
                "title": forms.CharField(
                    label=_("Title"),
                    max_length=200,
                    required=False,
                    validators=[single_line_text],
                    help_text=_("A plain name, if the column’s own is short or coded"),
                ),
                "description": forms.CharField(
                    label=_("Description"),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    validators=[multi_line_text],
                    help_text=_("What the column holds, and anything a reader should know"),
                ),
            }
            fields = with_welsh(fields, ["title", "description"])
            fields["unit"] = forms.CharField(
                label=_("Unit"),
                max_length=50,
                required=False,
                validators=[single_line_text],
                help_text=_("For example: tonnes, people, %. Write £ for money in pounds."),
            )
            for name, field in fields.items():
                field.initial = _entry_value(entry, name)
                self.fields[f"{index}-{name}"] = field

    def groups(self) -> list[tuple[dict, list]]:
        """(column, its bound fields), for a fieldset per column."""
        return [
            (column, [self[f"{index}-{name}"] for name in self.NAMES])
            for index, column in enumerate(self.columns)
        ]

    def entries(self) -> dict[str, dict[str, str]]:
        """{column name: {title, title_cy, description, description_cy, unit}}."""
        return {
            column["id"]: {
                name: self.cleaned_data.get(f"{index}-{name}", "") for name in self.NAMES
            }
            for index, column in enumerate(self.columns)
        }


def _entry_value(entry, name: str) -> str:
    if entry is None:
        return ""
    # The English text lives in modeltranslation's `_en_gb` columns.
    stored = {"title": "title_en_gb", "description": "description_en_gb"}.get(name, name)
    return getattr(entry, stored) or ""


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Say what will use it, for example: nightly spending upload"),
    )


class ChartForm(forms.Form):
    """What the resource preview's chart shows: an aggregate of a column of numbers over
    every matching row, per category or per period of a date column. Its fields are the
    chart's address (the query string), so a chart can be shared and cited."""

    KIND_CHOICES = [("bar", _("Bar chart")), ("line", _("Line chart"))]
    AGGREGATE_CHOICES = [
        ("sum", _("Total")),
        ("count", _("Number of rows")),
        ("avg", _("Average")),
        ("min", _("Lowest")),
        ("max", _("Highest")),
    ]
    PERIOD_CHOICES = [
        ("", _("Each value (the largest groups, then the rest as “Other”)")),
        ("day", _("Day")),
        ("week", _("Week")),
        ("month", _("Month")),
        ("quarter", _("Quarter")),
        ("year", _("Year")),
    ]
    TOP_CHOICES = [("5", "5"), ("10", "10"), ("20", "20"), ("50", "50")]

    chart = forms.ChoiceField(label=_("Chart type"), choices=KIND_CHOICES, required=False)
    x = forms.ChoiceField(label=_("Group by"), required=False)
    period = forms.ChoiceField(
        label=_("Group dates by"),
        choices=PERIOD_CHOICES,
        required=False,
        help_text=_("For a column of dates."),
    )
    top = forms.TypedChoiceField(
        label=_("Number of groups to show"),
        choices=TOP_CHOICES,
        coerce=int,
        required=False,
        empty_value=10,
    )
    agg = forms.ChoiceField(label=_("Show"), choices=AGGREGATE_CHOICES, required=False)
    y = forms.ChoiceField(
        label=_("Of the column"),
        required=False,
        help_text=_("Not needed for the number of rows."),
    )

    def __init__(self, *args, columns: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("top"):
            # The preview's form is always bound (to its query string): show ten at first.
            self.data = self.data.copy()
            self.data["top"] = "10"
        self.columns = {column["id"]: column for column in columns}
        self.types = {name: column.get("type") for name, column in self.columns.items()}
        names = [(column["id"], column["id"]) for column in columns]
        numeric = [
            (column["id"], column["id"])
            for column in columns
            if column.get("type") in ("integer", "decimal", "number", "float")
        ]
        self.fields["x"].choices = [("", _("Choose a column")), *names]
        self.fields["y"].choices = [("", _("Choose a column")), *numeric]

    def clean(self):
        data = super().clean()
        data["agg"] = data.get("agg") or "sum"
        if data.get("period") and self.types.get(data.get("x")) not in ("date", "datetime"):
            self.add_error("period", _("Group by a column of dates to group by a period."))
        if data.get("x") and data["agg"] != "count" and not data.get("y"):
            self.add_error("y", _("Choose the column of numbers to show."))
        return data


class ThemeForm(forms.Form):
    """A theme's names and description in English and Welsh; its short name only when it
    is added (it is fixed after that: see services/groupings.py)."""

    title = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"),
        max_length=100,
        required=False,
        help_text=_(
            "Used in web addresses and the CKAN API; it cannot be changed later. Lower-case "
            "letters, numbers and hyphens. Leave blank to make one from the name."
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, adding: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not adding:
            del self.fields["slug"]
        self.fields = with_welsh(self.fields, ["title", "description"])

    def service_values(self) -> dict[str, str]:
        """The cleaned values named as the groupings services take them."""
        return {name: value for name, value in self.cleaned_data.items() if name != "slug"}

    @staticmethod
    def initial_for(row) -> dict[str, str]:
        return {
            "title": row.title_en_gb,
            "title_cy": row.title_cy or "",
            "description": row.description_en_gb or "",
            "description_cy": row.description_cy or "",
        }


class PublisherForm(ThemeForm):
    """A publisher: as a theme, with a contact email address and a web page."""

    email = forms.EmailField(
        label=_("Contact email"),
        required=False,
        help_text=_("Shown in the DCAT catalogue as the publisher's address"),
    )
    url = forms.URLField(label=_("Web page"), required=False, max_length=200, assume_scheme="https")

    @staticmethod
    def initial_for(row) -> dict[str, str]:
        return {**ThemeForm.initial_for(row), "email": row.email, "url": row.url}
