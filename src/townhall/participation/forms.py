"""Forms: officers' consultation and survey builder forms, and residents' survey pages.

A survey page's form is built from its questions (`SurveyPageForm`); each question kind
maps to one Django field and to a JSON-safe value kept in the resident's draft.
"""

import secrets
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import filetype
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from townhall.core.fields import PostcodeField
from townhall.core.forms import (
    AssistedFields,
    GovukDateInput,
    english_names,
    label_welsh_columns,
    with_welsh,
)
from townhall.core.languages import CONTENT_DEFAULT, in_language
from townhall.core.templatetags.townhall import translated as translated_html

from . import integrations
from .models import (
    Consultation,
    ConsultationDocument,
    Proposal,
    ProposalProcess,
    Question,
    SurveyPage,
    answer_files_storage,
)
from .services.budgeting import voter_code_is_well_formed, voter_code_normalise

Kind = Question.Kind

#: Longest answers we keep, in characters: generous for a person, far short of abuse.
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 10_000
#: File uploads: what we accept (by the file's content, not its name) and how large.
UPLOAD_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
#: Addresses under /consultations/ that pages of the site already use, and under
#: /consultations/manage/ ("new"), where a consultation's own
#: staff pages would otherwise be hidden.
RESERVED_SLUGS = frozenset(
    {
        "manage",
        "outcomes",
        "proposals",
        "notifications",
        "moderation",
        "budgets",
        "new",
    }
)
#: Addresses under /consultations/proposals/ that its pages already use.
PROCESS_RESERVED_SLUGS = frozenset({"new"})
UPLOAD_EXTENSIONS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png"}


def max_upload_bytes() -> int:
    return getattr(settings, "PARTICIPATION_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)


def _london_datetime(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


# Officers' forms ---------------------------------------------------------------------------


class AddressAndDatesMixin:
    """An address (slug) the site's own paths have not taken, and dates that run forwards.

    Forms set `reserved_slugs`; their `opens_on`/`closes_on` fields may be left empty.
    """

    reserved_slugs: frozenset[str] = frozenset()

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in self.reserved_slugs:
            raise forms.ValidationError(_("Choose another address: this one is used by the site"))
        return slug

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The closing date must be on or after the opening date"))
        return cleaned


class ConsultationForm(AddressAndDatesMixin, forms.ModelForm):
    reserved_slugs = RESERVED_SLUGS

    opens_on = forms.DateField(label=_("Opening date"), widget=GovukDateInput)
    closes_on = forms.DateField(
        label=_("Closing date"),
        widget=GovukDateInput,
        help_text=_("The consultation closes at 11:59pm on this day"),
    )
    ward_codes = forms.MultipleChoiceField(
        label=_("Wards affected"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty when the proposal affects the whole borough"),
    )

    class Meta:
        model = Consultation
        # Each translated field as its English and Welsh columns, side by side (ADR 0060).
        fields = [
            "title_en_gb",
            "title_cy",
            "slug",
            "summary_en_gb",
            "summary_cy",
            "description_en_gb",
            "description_cy",
            "service_area",
            "ward_codes",
            "response_mode",
            "decision_title_en_gb",
            "decision_title_cy",
            "decision_url",
        ]
        widgets = {
            "response_mode": forms.RadioSelect,
            "summary_en_gb": forms.Textarea(attrs={"rows": 3}),
            "summary_cy": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "slug": _("Lower case letters, numbers and hyphens, for example library-services"),
            "description_en_gb": _("You can use Markdown"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_welsh_columns(self.fields, Consultation)
        self.fields["ward_codes"].choices = integrations.ward_choices()
        if self.instance.pk:
            self.initial.setdefault("opens_on", timezone.localdate(self.instance.opens_at))
            self.initial.setdefault("closes_on", timezone.localdate(self.instance.closes_at))

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as the consultation services take them."""
        fields = english_names({name: self.cleaned_data[name] for name in self.Meta.fields})
        fields["opens_at"] = _london_datetime(self.cleaned_data["opens_on"], time.min)
        fields["closes_at"] = _london_datetime(self.cleaned_data["closes_on"], time(23, 59, 59))
        return fields


class ConsultationWelshForm(forms.ModelForm):
    """A consultation's Welsh alone, each field under the English it translates."""

    class Meta:
        model = Consultation
        fields = ["title_cy", "summary_cy", "description_cy", "decision_title_cy"]
        widgets = {"summary_cy": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            english = name.removesuffix("_cy")
            field.label = lazy(_in_welsh_label, str)(Consultation, english)
            text = in_language(self.instance, english, CONTENT_DEFAULT)
            field.help_text = format_html('<span lang="en">{}</span>', text) if text else ""
            field.widget.attrs["lang"] = "cy"


def _in_welsh_label(model, field: str) -> str:
    return gettext("%(field)s in Welsh") % {
        "field": capfirst(model._meta.get_field(field).verbose_name)
    }


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Version"), choices=ConsultationDocument.Kind.choices, widget=forms.RadioSelect
    )
    url = forms.URLField(label=_("Link to the document"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["title"])


class DatasetForm(forms.Form):
    dataset_slug = forms.SlugField(
        label=_("Dataset"),
        help_text=_("The dataset's address in the data catalogue, like spend-over-500"),
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False)


class OpenForm(forms.Form):
    acknowledge_pre_election = forms.BooleanField(
        label=_("I have checked with the elections team and still want to open it"),
        required=False,
    )


class SurveyPageTitleForm(forms.Form):
    title = forms.CharField(label=_("Page title"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["title"])


class QuestionForm(forms.Form):
    page = forms.ModelChoiceField(
        label=_("Page"), queryset=SurveyPage.objects.none(), empty_label=None
    )
    text = forms.CharField(label=_("Question"), max_length=500)
    hint = forms.CharField(label=_("Hint"), max_length=500, required=False)
    kind = forms.ChoiceField(
        label=_("Type of answer"), choices=Kind.choices, widget=forms.RadioSelect
    )
    choices = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For choice, scale and ranking questions: one option on each line"),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    condition_question = forms.ModelChoiceField(
        label=_("Show this question only when the answer to"),
        queryset=Question.objects.none(),
        required=False,
        empty_label=_("(always show it)"),
    )
    condition_value = forms.CharField(label=_("is"), max_length=255, required=False)

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["text", "hint", "choices"])
        self.fields["choices_cy"].help_text = _("One on each line, in the same order")
        self.fields["page"].queryset = consultation.pages.order_by("position", "pk")
        self.fields["condition_question"].queryset = consultation.questions.filter(
            kind__in=(Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE, Kind.SCALE)
        )

    def option_lines(self, name: str = "choices") -> list[str]:
        return (self.cleaned_data.get(name) or "").splitlines()


class OutcomeForm(forms.Form):
    you_said = forms.CharField(
        label=_("You said"), widget=forms.Textarea, help_text=_("What residents told us")
    )
    we_did = forms.CharField(
        label=_("We did"), widget=forms.Textarea, help_text=_("What the council decided")
    )
    what_changed = forms.CharField(
        label=_("What changed because of the consultation"), widget=forms.Textarea
    )
    decision_title = forms.CharField(label=_("Decision informed"), max_length=300)
    decision_url = forms.URLField(
        label=_("Link to the decision"), required=False, assume_scheme="https"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(
            self.fields, ["you_said", "we_did", "what_changed", "decision_title"]
        )


class TagForm(forms.Form):
    labels = forms.CharField(
        label=_("Codes"),
        required=False,
        max_length=1000,
        help_text=_("Separate codes with commas, for example opening hours, parking"),
    )

    def label_list(self) -> list[str]:
        return self.cleaned_data["labels"].split(",")


# Residents' survey pages ---------------------------------------------------------------


class RankingWidget(forms.MultiWidget):
    """One select per option (1 = most important); works without JavaScript."""

    template_name = "participation/widgets/ranking.html"

    def __init__(self, options: list[str], labels: list[str] | None = None):
        ranks = [("", _("Choose a rank"))] + [(str(n), str(n)) for n in range(1, len(options) + 1)]
        self.options = options
        self.labels = labels or options
        super().__init__([forms.Select(choices=ranks) for _option in options])

    def decompress(self, value):
        if not value:
            return [None] * len(self.options)
        return [
            str(value.index(option) + 1) if option in value else None for option in self.options
        ]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            subwidget["option"] = label
        return context


class RankingField(forms.MultiValueField):
    """The options in the order the resident ranked them."""

    def __init__(self, options: list[str], labels: list[str] | None = None, **kwargs):
        self.options = options
        fields = [forms.CharField(required=False) for _option in options]
        super().__init__(
            fields, widget=RankingWidget(options, labels), require_all_fields=False, **kwargs
        )

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return []
        try:
            ranks = [int(rank) for rank in data_list]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Give every option a rank")) from None
        if sorted(ranks) != list(range(1, len(self.options) + 1)):
            raise forms.ValidationError(_("Give each option a different rank, from 1 upwards"))
        return [option for _rank, option in sorted(zip(ranks, self.options, strict=True))]


class SniffedFileField(forms.FileField):
    """A PDF, JPEG or PNG whose content matches its name, no larger than the limit."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or not hasattr(upload, "read"):
            return upload
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file must be smaller than %(size)s MB") % {"size": limit // (1024 * 1024)}
            )
        head = upload.read(262)
        upload.seek(0)
        sniffed = filetype.guess(head)
        named = UPLOAD_EXTENSIONS.get(upload.name.rsplit(".", 1)[-1].lower())
        if sniffed is None or sniffed.extension not in UPLOAD_TYPES or sniffed.extension != named:
            raise forms.ValidationError(_("The file must be a PDF, JPG or PNG"))
        upload.sniffed_extension = sniffed.extension
        return upload


def option_labels(question: Question) -> list[str]:
    """Each option as the page shows it: in Welsh on a Welsh page when the officer wrote
    the Welsh options, otherwise as written, marked `lang="en"` on a Welsh page. The
    value an answer stores is always the English option."""
    welsh = question.choices_cy if len(question.choices_cy) == len(question.choices) else []
    if get_language() != "cy":
        return list(question.choices)
    if welsh:
        return list(welsh)
    return [format_html('<span lang="en">{}</span>', option) for option in question.choices]


def survey_field(question: Question, *, assisted: bool = False) -> forms.Field:
    """The form field for a question. Staff recording a paper response may leave any blank."""
    required = question.required and not assisted
    common = {
        "label": translated_html(question, "text"),
        "help_text": translated_html(question, "hint"),
        "required": required,
    }
    labels = option_labels(question)
    options = list(zip(question.choices, labels, strict=True))
    limit = {"max_length": _("Your answer must be %(limit_value)d characters or fewer")}
    match question.kind:
        case Kind.SHORT_TEXT:
            return forms.CharField(max_length=SHORT_TEXT_MAX, error_messages=limit, **common)
        case Kind.LONG_TEXT:
            return forms.CharField(
                max_length=LONG_TEXT_MAX, widget=forms.Textarea, error_messages=limit, **common
            )
        case Kind.SINGLE_CHOICE | Kind.SCALE:
            return forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
        case Kind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=options, widget=forms.CheckboxSelectMultiple, **common
            )
        case Kind.RANKING:
            field = RankingField(question.choices, labels, **common)
            field.is_ranking = True
            return field
        case Kind.NUMBER:
            return forms.DecimalField(
                max_digits=15,
                decimal_places=4,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                **common,
            )
        case Kind.DATE:
            return forms.DateField(widget=GovukDateInput, **common)
        case Kind.POSTCODE:
            return PostcodeField(**common)
        case Kind.FILE:
            return SniffedFileField(**common)
    raise ValueError(f"Unknown question kind {question.kind}")


def to_stored(question: Question, value: Any) -> Any:
    """A cleaned value as JSON-safe data for the draft (an upload is saved, its name kept)."""
    if value in (None, "", []):
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if question.kind == Kind.FILE:
        name = f"participation/answers/{secrets.token_hex(16)}.{value.sniffed_extension}"
        return answer_files_storage().save(name, value)
    return value


def from_stored(question: Question, value: Any) -> Any:
    if value is None:
        return None
    if question.kind == Kind.DATE:
        return date.fromisoformat(value)
    return value


class SurveyPageForm(forms.Form):
    """The questions of one survey page that the resident's earlier answers call for."""

    def __init__(
        self, *args, questions: list[Question], stored: dict, assisted: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.questions = {f"q{question.pk}": question for question in questions}
        for name, question in self.questions.items():
            self.fields[name] = survey_field(question, assisted=assisted)
            if question.kind != Kind.FILE:
                self.initial[name] = from_stored(question, stored.get(str(question.pk)))

    def stored_answers(self, stored: dict) -> dict[str, Any]:
        """{question id: JSON-safe value}; a file question left empty keeps an earlier upload."""
        answers = {}
        for name, question in self.questions.items():
            value = to_stored(question, self.cleaned_data.get(name))
            if value is None and question.kind == Kind.FILE:
                value = stored.get(str(question.pk))
            answers[str(question.pk)] = value
        return answers


class AssistedResponseForm(AssistedFields, SurveyPageForm):
    """Every question of the survey on one form, for staff completing a response for a
    resident who phoned, wrote or called in: core's assisted fields (the channel, and a
    key against a double send) and the day it was received (ADR 0108)."""

    received_on = forms.DateField(label=_("Date received"), widget=GovukDateInput)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, questions=questions, stored={}, assisted=True, **kwargs)
        self.order_fields(["channel", "received_on"])

    def received_at(self) -> datetime:
        return _london_datetime(self.cleaned_data["received_on"], time(12))


# Proposals -------------------------------------------------------------------------------


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title of your proposal"), max_length=150)
    body = forms.CharField(
        label=_("Your proposal"),
        max_length=5000,
        widget=forms.Textarea,
        help_text=_("What should change, and why? Do not include personal details."),
    )


class ProposalProcessForm(AddressAndDatesMixin, forms.Form):
    """A lead opening a call for residents' ideas."""

    reserved_slugs = PROCESS_RESERVED_SLUGS

    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("Like Ideas for our parks")
    )
    slug = forms.SlugField(
        label=_("Address"),
        max_length=100,
        help_text=_("Lower case letters, numbers and hyphens, for example parks-ideas"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What ideas you are asking for, and what happens to them. You can use Markdown"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["title", "description"])

    moderation = forms.ChoiceField(
        label=_("Moderation"),
        choices=ProposalProcess.Moderation.choices,
        widget=forms.RadioSelect,
        initial=ProposalProcess.Moderation.POST,
    )
    opens_on = forms.DateField(
        label=_("Opening date"),
        widget=GovukDateInput,
        required=False,
        help_text=_("Leave empty to open it now"),
    )
    closes_on = forms.DateField(
        label=_("Closing date"),
        widget=GovukDateInput,
        required=False,
        help_text=_("It closes at 11:59pm on this day. Leave empty to keep it open"),
    )

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "title_cy": data["title_cy"],
            "slug": data["slug"],
            "description": data["description"],
            "description_cy": data["description_cy"],
            "moderation": data["moderation"],
            "opens_at": data["opens_on"] and _london_datetime(data["opens_on"], time.min),
            "closes_at": data["closes_on"]
            and _london_datetime(data["closes_on"], time(23, 59, 59)),
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ProposalResponseForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=Proposal.Status.choices, widget=forms.RadioSelect
    )
    response = forms.CharField(
        label=_("The council's response"),
        required=False,
        widget=forms.Textarea,
        help_text=_("Needed when the proposal is not taken forward: say why"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = with_welsh(self.fields, ["response"])


class VerifyVoterForm(forms.Form):
    """Either the code posted to the household, or the details on the electoral register."""

    code = forms.CharField(
        label=_("Code from your letter"),
        help_text=_("For example, K7QF-3MZP-X9TD"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    surname = forms.CharField(label=_("Surname"), max_length=100, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=16, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=GovukDateInput, required=False)

    def clean_code(self) -> str:
        """The code in the spelling that is checked; one that could never have been issued is
        refused here, without using up an attempt."""
        code = voter_code_normalise(self.cleaned_data["code"])
        if code and not voter_code_is_well_formed(code):
            raise forms.ValidationError(
                _("Enter the code from your letter: 12 letters and numbers, like K7QF-3MZP-X9TD")
            )
        return code

    def clean(self):
        cleaned = super().clean()
        register = (
            cleaned.get("surname") and cleaned.get("postcode") and cleaned.get("date_of_birth")
        )
        if not cleaned.get("code") and not register and "code" not in self.errors:
            raise forms.ValidationError(
                _("Enter the code from your letter, or your surname, postcode and date of birth")
            )
        return cleaned

    def verification(self) -> dict[str, str]:
        if self.cleaned_data["code"]:
            return {"code": self.cleaned_data["code"]}
        return {
            "surname": self.cleaned_data["surname"],
            "postcode": self.cleaned_data["postcode"],
            "date_of_birth": self.cleaned_data["date_of_birth"].isoformat(),
        }
