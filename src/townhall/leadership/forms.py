"""Staff forms and the register's filters; the rules are the services' (services.py),
which check everything again."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from townhall.core.fields import PoundsField
from townhall.core.forms import GovukDateInput, with_welsh

from . import maturity, selectors, services
from .models import AgendaItem, BoardMeeting, Decision, Leader, Project, Rag


class LeaderForm(forms.Form):
    kind = forms.ChoiceField(label=_("Role"), choices=Leader.Kind.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=200)
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=200,
        help_text=_("For example Cabinet member for digital and customer services"),
    )
    directorate = forms.CharField(
        label=_("Directorate"),
        max_length=200,
        required=False,
        help_text=_("For a digital champion, the directorate they champion digital in"),
    )
    remit = forms.CharField(
        label=_("Remit"),
        widget=forms.Textarea,
        help_text=_("What they are responsible for, and the authority they have to change things"),
    )
    email = forms.EmailField(label=_("Contact email"), required=False)
    position = forms.IntegerField(
        label=_("Position in the list"),
        min_value=0,
        max_value=999,
        initial=0,
        required=False,
        help_text=_("Lower numbers come first within each role"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["job_title", "directorate", "remit"])


class PortfolioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["name"])


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("What was decided"), widget=forms.Textarea)
    maker = forms.ChoiceField(
        label=_("Decision maker"), choices=Decision.Maker.choices, widget=forms.RadioSelect
    )
    maker_name = forms.CharField(
        label=_("Name of the decision maker"),
        max_length=200,
        help_text=_("For example Cabinet, Planning committee or Director of Place"),
    )
    portfolio = forms.ModelChoiceField(label=_("Portfolio"), queryset=selectors.portfolios())
    decided_on = forms.DateField(
        label=_("Date of decision"),
        widget=GovukDateInput,
        help_text=_("For a forthcoming decision, the date it is due to be taken"),
    )
    key_decision = forms.BooleanField(
        label=_("This is a key decision"),
        required=False,
        help_text=_(
            "Significant spending or savings, or a significant effect on people in two or "
            "more wards"
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Decision.Status.choices)
    options = forms.CharField(label=_("Options considered"), widget=forms.Textarea)
    reasons = forms.CharField(label=_("Reasons for the decision"), widget=forms.Textarea)
    call_in_ends_on = forms.DateField(
        label=_("Call-in period ends"), widget=GovukDateInput, required=False
    )
    call_in = forms.CharField(
        label=_("Call-in"),
        widget=forms.Textarea,
        required=False,
        help_text=_("If the decision was called in: by whom, why and what happened"),
    )
    wards = forms.MultipleChoiceField(
        label=_("Wards affected"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when the decision affects the whole borough"),
    )
    data = forms.CharField(
        label=_("Data cited"),
        required=False,
        widget=forms.Textarea,
        help_text=_(
            "Links to datasets in the open data catalogue, or to a filtered view or chart of "
            "one of their tables, one a line"
        ),
    )
    consultations = forms.MultipleChoiceField(
        label=_("Consultations cited"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields = with_welsh(
            self.fields, ["title", "summary", "maker_name", "options", "reasons", "call_in"]
        )
        self.fields["portfolio"].queryset = selectors.portfolios()
        self.fields["wards"].choices = selectors.ward_choices()
        self.fields["consultations"].choices = selectors.consultation_choices()

    def clean_data(self) -> list[services.DataCited]:
        cited = []
        for line in self.cleaned_data["data"].splitlines():
            if line.strip():
                try:
                    cited.append(services.data_from_link(line, actor=self.actor))
                except services.DecisionInvalid as error:
                    raise forms.ValidationError(error.message) from None
        return cited

    def service_arguments(self) -> dict:
        """The cleaned values as decision_create and decision_edit take them."""
        data = dict(self.cleaned_data)
        ward_codes, consultation_ids = data.pop("wards"), data.pop("consultations")
        return {**data, "ward_codes": ward_codes, "consultation_ids": consultation_ids}


class DecisionFilterForm(forms.Form):
    """The register's filters, from the query string; an unknown value is an error."""

    portfolio = forms.ChoiceField(label=_("Portfolio"), required=False)
    maker = forms.ChoiceField(
        label=_("Decision maker"),
        required=False,
        choices=[("", _("Any decision maker")), *Decision.Maker.choices],
    )
    ward = forms.ChoiceField(label=_("Ward"), required=False)
    decided_from = forms.DateField(
        label=_("Decided on or after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example 2026-04-01"),
    )
    decided_to = forms.DateField(
        label=_("Decided on or before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example 2027-03-31"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portfolio"].choices = [
            ("", _("Any portfolio")),
            *((p.slug, p.name) for p in selectors.portfolios()),
        ]
        self.fields["ward"].choices = [("", _("Any ward")), *selectors.ward_choices()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("decided_from"), cleaned.get("decided_to")
        if start and end and start > end:
            self.add_error("decided_to", _("This date must be on or after the first date"))
        return cleaned

    def selector_arguments(self) -> dict:
        """The filters as selectors.public_decisions takes them."""
        data = self.cleaned_data
        return {
            "portfolio": selectors.portfolio_by_slug(data["portfolio"])
            if data.get("portfolio")
            else None,
            "maker": data.get("maker") or "",
            "ward_code": data.get("ward") or "",
            "decided_from": data.get("decided_from"),
            "decided_to": data.get("decided_to"),
        }


class BoardMeetingForm(forms.Form):
    meets_on = forms.DateField(label=_("Date"), widget=GovukDateInput)
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("For example Committee room 2, Town Hall, or Online"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=BoardMeeting.Status.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["place"])


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    position = forms.IntegerField(
        label=_("Position on the agenda"), min_value=1, max_value=99, initial=1
    )
    paper_file = forms.FileField(
        label=_("Paper"),
        required=False,
        help_text=_("A PDF. Uploading a new one replaces the paper."),
    )
    paper_url = forms.URLField(
        label=_("Link to the paper"),
        required=False,
        max_length=500,
        help_text=_("Instead of a file, where the paper is published elsewhere"),
    )
    exempt_paragraph = forms.TypedChoiceField(
        label=_("Exempt information"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Not exempt: the paper and minutes are public")),
            *(
                (value, _("Paragraph %(number)s: %(label)s") % {"number": value, "label": label})
                for value, label in AgendaItem.Exemption.choices
            ),
        ],
        help_text=_(
            "Schedule 12A to the Local Government Act 1972. Residents see only the title of "
            "an exempt item and its paragraph."
        ),
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea, required=False)
    decision = forms.ChoiceField(label=_("Decision in the register"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["title", "minutes"])
        self.fields["decision"].choices = [
            ("", _("None")),
            *selectors.decision_choices(),
        ]

    def service_arguments(self) -> dict:
        """The cleaned values as agenda_item_create and agenda_item_edit take them."""
        data = dict(self.cleaned_data)
        key = data.pop("decision")
        return {**data, "decision": selectors.decision_by_public_id(key) if key else None}


class BoardActionForm(forms.Form):
    what = forms.CharField(label=_("Action"), widget=forms.Textarea)
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=selectors.leaders(), empty_label=_("Choose a leader")
    )
    due_on = forms.DateField(label=_("Due date"), widget=GovukDateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["what"])
        self.fields["owner"].queryset = selectors.leaders()


class ActionFilterForm(forms.Form):
    """The tracker's filters, from the query string; an unknown value is an error."""

    owner = forms.ChoiceField(label=_("Owner"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            ("done", _("Done")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [
            ("", _("Anyone")),
            *((str(leader.public_id), leader.name) for leader in selectors.leaders()),
        ]

    def selector_arguments(self) -> dict:
        """The filters as selectors.action_tracker takes them."""
        owner = self.cleaned_data.get("owner")
        return {
            "owner": selectors.leader_by_public_id(owner) if owner else None,
            "status": self.cleaned_data.get("status") or "",
        }


class AssessmentStartForm(forms.Form):
    framework = forms.ChoiceField(label=_("Framework"), widget=forms.RadioSelect)
    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=GovukDateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [
            (framework.slug, str(framework)) for framework in selectors.maturity_frameworks()
        ]

    def service_arguments(self) -> dict:
        return {
            "framework": selectors.maturity_framework_by_slug(self.cleaned_data["framework"]),
            "assessed_on": self.cleaned_data["assessed_on"],
        }


class MaturityAnswerForm(forms.Form):
    """One self-assessed question: its level (each with the framework's descriptor as
    the hint) and the evidence for it."""

    level = forms.TypedChoiceField(label=_("Level"), coerce=int, widget=forms.RadioSelect)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea,
        help_text=_("What is in place that shows this level, and where a resident can see it"),
    )

    def __init__(self, *args, card, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].label = maturity.text(question["text"])
        self.fields["level"].choices = [
            (
                item["level"],
                f"{item['level']}. {maturity.text(item['name'])}: "
                f"{maturity.text(question['levels'][str(item['level'])])}",
            )
            for item in card.framework["levels"]
        ]


class ScorecardImportForm(forms.Form):
    """Another council's published scorecard file, and what it leaves out about the
    council (the file's own values are used where these are left empty)."""

    file = forms.FileField(
        label=_("Scorecard file"),
        help_text=_(
            "The JSON the council publishes at /api/v1/scorecard on its Townhall site, at most 1 MB"
        ),
    )
    council_name = forms.CharField(
        label=_("Council name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the name the file gives"),
    )
    gss_code = forms.CharField(
        label=_("ONS code"),
        max_length=9,
        required=False,
        help_text=_("For example E07000123; leave empty to use the file's"),
    )
    council_type = forms.ChoiceField(
        label=_("Type of council"),
        required=False,
        choices=[("", _("As the file says")), *selectors.COUNCIL_TYPES.choices],
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("As the file says")), *selectors.REGIONS.choices],
    )


class ComparisonFilterForm(forms.Form):
    """The comparison's filters and order, from the query string."""

    council_type = forms.ChoiceField(
        label=_("Type of council"),
        required=False,
        choices=[("", _("Any type")), *selectors.COUNCIL_TYPES.choices],
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("Any region")), *selectors.REGIONS.choices],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("total", _("Highest score first")), ("name", _("Council name"))],
    )

    def filters(self) -> dict[str, str]:
        """The valid filters given ("" for any), the default order when none is."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})  # an unbound form has none
        return {
            "council_type": data.get("council_type", ""),
            "region": data.get("region", ""),
            "sort": data.get("sort") or "total",
        }


# Strategy and roadmap ---------------------------------------------------------------------


def _text_field(label, *, long: bool = False, **options):
    if long:
        return forms.CharField(label=label, widget=forms.Textarea, **options)
    return forms.CharField(label=label, max_length=200, **options)


class ObjectiveForm(forms.Form):
    title = _text_field(_("Title"))
    description = _text_field(_("Description"), long=True)
    area = forms.ChoiceField(label=_("Area of the guide"), widget=forms.RadioSelect)
    portfolio = forms.ModelChoiceField(label=_("Portfolio"), queryset=selectors.portfolios())
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=selectors.leaders(),
        required=False,
        empty_label=_("No owner yet"),
        help_text=_("The leader responsible for meeting the objective"),
    )
    position = forms.IntegerField(
        label=_("Position in the list"), min_value=0, max_value=999, initial=0, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["title", "description"])
        self.fields["area"].choices = maturity.guide_area_choices()
        self.fields["portfolio"].queryset = selectors.portfolios()
        self.fields["owner"].queryset = selectors.leaders()


class ProgrammeForm(forms.Form):
    objective = forms.ModelChoiceField(label=_("Objective"), queryset=selectors.objectives())
    title = _text_field(_("Title"))
    description = _text_field(_("Description"), long=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["title", "description"])
        self.fields["objective"].queryset = selectors.objectives()


class ProjectForm(forms.Form):
    """A project's details; a new project's form adds its first RAG status."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=selectors.programmes())
    title = _text_field(_("Title"))
    description = _text_field(_("Description"), long=True)
    stage = forms.ChoiceField(
        label=_("Stage"), choices=Project.Stage.choices, widget=forms.RadioSelect
    )
    starts_on = forms.DateField(label=_("Start date"), widget=GovukDateInput)
    ends_on = forms.DateField(label=_("End date"), widget=GovukDateInput)
    budget_approved_pence = PoundsField(
        label=_("Budget approved"), help_text=_("In pounds, for example £1,250,000")
    )
    budget_spent_pence = PoundsField(
        label=_("Spent so far"),
        required=False,
        help_text=_("In pounds, for example £312,500.50. Leave empty if nothing is spent."),
    )
    published = forms.BooleanField(
        label=_("Publish the project on the roadmap"),
        required=False,
        help_text=_("A draft is seen only by staff and the portfolio's cabinet member"),
    )

    def __init__(self, *args, new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            self.fields.update(RagForm.base_fields_for_project())
        self.fields = with_welsh(self.fields, ["title", "description", "rag_reason"])
        self.fields["programme"].queryset = selectors.programmes()

    def clean_budget_spent_pence(self):
        return self.cleaned_data["budget_spent_pence"] or 0


class RagForm(forms.Form):
    rag = forms.ChoiceField(label=_("RAG status"), choices=Rag.choices, widget=forms.RadioSelect)
    reason = _text_field(
        _("Reason"),
        long=True,
        required=False,
        help_text=_("Required for amber and red: what has gone wrong and what is being done"),
    )
    recorded_on = forms.DateField(
        label=_("Date of the status"),
        widget=GovukDateInput,
        required=False,
        help_text=_("Leave empty for today"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["reason"])

    @classmethod
    def base_fields_for_project(cls) -> dict:
        """The status fields a new project's form asks for, named as project_create
        takes them."""
        return {
            "rag": copy.deepcopy(cls.base_fields["rag"]),
            "rag_reason": copy.deepcopy(cls.base_fields["reason"]),
        }


class BenefitForm(forms.Form):
    description = _text_field(
        _("Benefit"), help_text=_("For example Calls to the contact centre each month")
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("For example calls, %"))
    higher_is_better = forms.TypedChoiceField(
        label=_("Which way is better?"),
        choices=[("yes", _("A higher value")), ("no", _("A lower value"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    target_value = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2)
    target_on = forms.DateField(label=_("Target date"), widget=GovukDateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["description", "unit"])


class BenefitActualForm(forms.Form):
    actual_value = forms.DecimalField(label=_("Actual"), max_digits=14, decimal_places=2)
    measured_on = forms.DateField(label=_("Measured on"), widget=GovukDateInput)


class ServiceChangeForm(forms.Form):
    service = _text_field(_("Service"), help_text=_("For example Council tax"))
    change = _text_field(_("What changes"), long=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["service", "change"])


class CabinetMemberForm(forms.Form):
    cabinet_member = forms.ChoiceField(
        label=_("Cabinet member's account"),
        required=False,
        help_text=_("The councillor who sees this portfolio's dashboard when signed in"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cabinet_member"].choices = [
            ("", _("No account")),
            *selectors.councillor_choices(),
        ]


class CouncillorAccountForm(forms.Form):
    account = forms.ChoiceField(
        label=_("Councillor's account"),
        required=False,
        help_text=_("The account this councillor signs in with, to see their ward on their home"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", _("No account")), *selectors.councillor_choices()]
