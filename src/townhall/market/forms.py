"""Forms for suppliers and the procurement team; the rules are the services', which check
everything again. Money is typed in pounds and handed on in pence; deadlines are typed as a
date and a time in the UK and handed on as moments."""

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.core.forms import GovukDateInput, with_welsh
from townhall.core.selectors import geography

from . import selectors, services
from .models import CAPABILITIES, Procurement


class PoundsField(forms.CharField):
    """An amount in pounds ("£50,000", "1250.50"), cleaned to integer pence."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return services.pence_from_pounds(text)
        except ValueError as problem:
            raise forms.ValidationError(str(problem), code="money") from None

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"£{value // 100:,}" + (f".{value % 100:02d}" if value % 100 else "")
        return value


def _ward_choices():
    return [(ward.code, ward.name) for ward in geography.wards()]


def _deadline(day, at: time | None):
    if day is None or at is None:
        return None
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


class ChallengeFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Open for responses")), ("closed", _("Closed"))],
    )
    capability = forms.ChoiceField(
        label=_("Capability needed"), required=False, choices=[("", _("Any")), *CAPABILITIES]
    )


class SupplierForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=200)
    company_number = forms.CharField(
        label=_("Companies House number (optional)"),
        max_length=12,
        required=False,
        help_text=_("8 characters, like 01234567 or SC123456"),
    )
    sme = forms.BooleanField(
        label=_("We are a small or medium-sized enterprise (fewer than 250 staff)"),
        required=False,
    )
    voluntary_sector = forms.BooleanField(
        label=_("We are a voluntary, community or social enterprise organisation"),
        required=False,
    )
    capabilities = forms.MultipleChoiceField(
        label=_("What can you offer?"),
        choices=CAPABILITIES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply"),
    )
    areas_served = forms.MultipleChoiceField(
        label=_("Which wards do you work in? (optional)"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave blank if you work across the whole borough"),
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact email"))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas_served"].choices = _ward_choices()
        if editing:
            del self.fields["company_number"]


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea,
        max_length=2000,
        help_text=_(
            "Only the council sees who asked. If it answers, it publishes the question "
            "reworded without anything that identifies you, with its answer, to everyone."
        ),
    )


class ResponseForm(forms.Form):
    summary = forms.CharField(
        label=_("Your proposal or expression of interest"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=10000,
        help_text=_("How you would approach the problem, and your experience of similar work"),
    )
    attachment = forms.FileField(
        label=_("Supporting document (optional)"),
        required=False,
        help_text=_("A PDF of up to 10 MB"),
    )


class ChallengeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    service_area = forms.CharField(label=_("Service area"), max_length=200)
    problem = forms.CharField(label=_("The problem"), widget=forms.Textarea)
    affected = forms.CharField(label=_("Who it affects"), widget=forms.Textarea)
    outcomes = forms.CharField(label=_("Outcomes sought"), widget=forms.Textarea)
    constraints = forms.CharField(label=_("Constraints"), widget=forms.Textarea, required=False)
    timeline = forms.CharField(label=_("Timeline"), widget=forms.Textarea, required=False)
    market_questions = forms.CharField(
        label=_("Questions for the market"), widget=forms.Textarea, required=False
    )
    capabilities = forms.MultipleChoiceField(
        label=_("Capabilities needed"),
        choices=CAPABILITIES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    budget_min_pence = PoundsField(
        label=_("Lowest budget (optional)"),
        required=False,
        help_text=_("In pounds, like £50,000"),
    )
    budget_max_pence = PoundsField(
        label=_("Highest budget (optional)"),
        required=False,
        help_text=_("In pounds, like £120,000"),
    )
    questions_deadline_day = forms.DateField(
        label=_("Deadline for questions"), widget=GovukDateInput
    )
    questions_deadline_time = forms.TimeField(
        label=_("Time questions close"),
        initial=time(17, 0),
        help_text=_("UK time, 24-hour clock, like 17:00"),
    )
    response_deadline_day = forms.DateField(
        label=_("Deadline for responses"), widget=GovukDateInput
    )
    response_deadline_time = forms.TimeField(
        label=_("Time responses close"),
        initial=time(17, 0),
        help_text=_("UK time, 24-hour clock, like 17:00"),
    )
    dataset_ids = forms.MultipleChoiceField(
        label=_("Open data suppliers can use as evidence"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dataset_ids"].choices = selectors.dataset_choices()
        self.fields = with_welsh(self.fields, services.CHALLENGE_TEXT)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("questions_deadline", "response_deadline"):
            data[name] = _deadline(data.pop(f"{name}_day"), data.pop(f"{name}_time"))
        return data


class AnswerForm(forms.Form):
    published_question = forms.CharField(
        label=_("The question as everyone will read it"),
        widget=forms.Textarea,
        help_text=_("Take out anything that names or points to the supplier who asked"),
    )
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea)
    publish = forms.BooleanField(
        label=_("Publish the question and answer to everyone now"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["published_question", "answer"])


class ProcurementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea)
    service_area = forms.CharField(label=_("Service area"), max_length=200)
    estimated_value_pence = PoundsField(
        label=_("Estimated value"), help_text=_("In pounds, like £250,000")
    )
    route = forms.ChoiceField(label=_("Procurement route"), choices=Procurement.Route.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Procurement.Status.choices)
    tender_publication_on = forms.DateField(
        label=_("Tender to be published"), widget=GovukDateInput
    )
    contract_start_on = forms.DateField(label=_("Contract starts"), widget=GovukDateInput)
    contract_end_on = forms.DateField(label=_("Contract ends"), widget=GovukDateInput)
    challenge = forms.ModelChoiceField(
        label=_("Challenge it follows (optional)"),
        queryset=selectors.challenge_choices(),
        required=False,
    )
    uk2_omitted_reason = forms.CharField(
        label=_("Why no preliminary market engagement notice was published (if none was)"),
        help_text=_(
            "Needed to start tendering when the challenge this follows was published to "
            "suppliers without a UK2 notice; the tender notice will include it"
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, services.PROCUREMENT_TEXT)


class ContractForm(forms.Form):
    supplier = forms.ModelChoiceField(label=_("Supplier"), queryset=selectors.suppliers())
    title = forms.CharField(label=_("Title of the contract"), max_length=200)
    value_pence = PoundsField(label=_("Contract value"), help_text=_("In pounds, like £48,500"))
    awarded_on = forms.DateField(label=_("Date awarded"), widget=GovukDateInput)
    start_on = forms.DateField(label=_("Contract starts"), widget=GovukDateInput)
    end_on = forms.DateField(label=_("Contract ends"), widget=GovukDateInput)
    competed = forms.BooleanField(
        label=_("Awarded after an invitation to quote or tender"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["title"])


class MarketEngagementNoticeForm(forms.Form):
    """What a UK2 preliminary market engagement notice says (regulation 17)."""

    purpose = forms.CharField(
        label=_("What the engagement is for"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The need you are exploring and what you want to learn from suppliers"),
    )
    participation = forms.CharField(
        label=_("How suppliers take part"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: read the challenge, ask questions, come to the supplier day"),
    )
    engagement_start_on = forms.DateField(label=_("Engagement starts"), widget=GovukDateInput)
    engagement_end_on = forms.DateField(label=_("Engagement ends"), widget=GovukDateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["purpose", "participation"])
