"""Forms for participatory budgets: creating one, proposing and reviewing projects,
loading the voter register and issuing postal codes. Money is typed in pounds and kept
in pence."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.core.forms import with_welsh

from . import integrations
from .models import Budget
from .services.budgeting import SKIPPABLE_PHASES

#: Largest register file we accept: about a million rows of the three columns.
MAX_REGISTER_BYTES = 40 * 1024 * 1024


def pounds_field(label, **options) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "invalid": _("Enter an amount in pounds, like 2500 or 2500.50"),
            "min_value": _("Enter an amount more than £0"),
            "max_decimal_places": _("Enter an amount to the nearest penny"),
        },
        **options,
    )


def pence(amount: Decimal) -> int:
    return int(amount * 100)


class BudgetForm(forms.Form):
    """A budget for the whole borough, or one budget per ward with its own amount."""

    AREA_BOROUGH = "borough"
    AREA_WARDS = "wards"

    title = forms.CharField(label=_("Title"), max_length=150)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=100,
        help_text=_("Lower-case letters, numbers and hyphens, like neighbourhood-fund-2027"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the money is for and who may vote. You can use Markdown."),
    )
    area = forms.ChoiceField(
        label=_("Area"),
        choices=[
            (AREA_BOROUGH, _("The whole borough")),
            (AREA_WARDS, _("Each ward, with its own amount")),
        ],
        widget=forms.RadioSelect,
    )
    total = pounds_field(
        _("Budget for the whole borough, in pounds"),
        required=False,
        help_text=_("Leave empty if each ward has its own amount"),
    )
    ballot_kind = forms.ChoiceField(
        label=_("Ballot"), choices=Budget.BallotKind.choices, widget=forms.RadioSelect
    )
    approvals_allowed = forms.IntegerField(
        label=_("Projects each voter may choose"),
        required=False,
        min_value=1,
        max_value=50,
        initial=3,
        help_text=_("Only for a ballot where voters choose up to a number of projects"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )
    skipped_phases = forms.MultipleChoiceField(
        label=_("Phases to skip"),
        required=False,
        choices=[(phase.value, phase.label) for phase in SKIPPABLE_PHASES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "If you skip proposals, the council adds the projects during the feasibility review"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["title", "description"])
        self.wards = integrations.ward_choices()
        for code, name in self.wards:
            self.fields[f"ward_{code}"] = pounds_field(
                _("%(ward)s, in pounds") % {"ward": name}, required=False
            )

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug == "new":
            raise forms.ValidationError(_("That address is used by another page. Choose another"))
        return slug

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("area") == self.AREA_BOROUGH and not cleaned.get("total"):
            self.add_error("total", _("Enter the budget for the whole borough"))
        if cleaned.get("area") == self.AREA_WARDS and not self.ward_amounts():
            self.add_error(None, _("Enter an amount for at least one ward"))
        return cleaned

    def ward_amounts(self) -> dict[str, int]:
        return {
            code: pence(self.cleaned_data[f"ward_{code}"])
            for code, _name in self.wards
            if self.cleaned_data.get(f"ward_{code}")
        }

    def service_arguments(self) -> dict:
        """The keyword arguments for budget_create (or budgets_create_per_ward)."""
        data = self.cleaned_data
        arguments = {
            "slug": data["slug"],
            "title": data["title"],
            "title_cy": data["title_cy"],
            "description": data["description"],
            "description_cy": data["description_cy"],
            "ballot_kind": data["ballot_kind"],
            "skipped_phases": data["skipped_phases"],
        }
        if data["approvals_allowed"]:
            arguments["approvals_allowed"] = data["approvals_allowed"]
        if data["area"] == self.AREA_WARDS:
            return {
                **arguments,
                "ward_amounts": self.ward_amounts(),
                "ward_names": dict(self.wards),
            }
        return {**arguments, "total_pence": pence(data["total"])}


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Name of the project"), max_length=150)
    description = forms.CharField(
        label=_("Describe the project"),
        max_length=5000,
        widget=forms.Textarea,
        help_text=_("What it is, where, and who it helps. Do not include personal details."),
    )
    cost = pounds_field(
        _("Roughly how much will it cost, in pounds?"),
        help_text=_("The council checks the cost during the feasibility review"),
    )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "cost_pence": pence(data["cost"]),
        }


class AssessForm(forms.Form):
    """The lead's feasibility review of one project (one form per project on the page)."""

    feasible = forms.TypedChoiceField(
        coerce=lambda value: value == "yes", choices=[("yes", "yes"), ("no", "no")]
    )
    note = forms.CharField(required=False, max_length=2000)
    cost = pounds_field(_("Cost in pounds"), required=False)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "feasible": data["feasible"],
            "note": data["note"],
            "cost_pence": pence(data["cost"]) if data["cost"] else None,
        }


class RegisterUploadForm(forms.Form):
    register = forms.FileField(
        label=_("Register or census extract (CSV)"),
        help_text=_(
            "Columns surname, postcode and date_of_birth (like 1980-05-31), saved as CSV "
            "in UTF-8 or Windows-1252"
        ),
    )

    def clean_register(self):
        upload = self.cleaned_data["register"]
        if upload.size > MAX_REGISTER_BYTES:
            raise forms.ValidationError(_("The file must be smaller than 40 MB"))
        return upload


class PostalCodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("How many codes?"),
        min_value=1,
        max_value=100_000,
        help_text=_("One for each letter you will post. Each code is good for one ballot."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
    )
