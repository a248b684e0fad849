"""Participation's content stored in English and Welsh (django-modeltranslation, ADR 0060).

A question's options are not registered: they are also the values answers store and
tallies count, so `Question.choices` stays the English and `Question.choices_cy` holds
the Welsh labels line for line (see models.py).
"""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Budget,
    BudgetProject,
    Consultation,
    ConsultationDocument,
    Outcome,
    Proposal,
    ProposalProcess,
    Question,
    SurveyPage,
)


@register(Consultation)
class ConsultationTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "decision_title")
    required_languages = {"en-gb": ("title", "summary")}


@register(ConsultationDocument)
class ConsultationDocumentTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en-gb",)


@register(SurveyPage)
class SurveyPageTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en-gb",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "hint")
    required_languages = {"en-gb": ("text",)}


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("you_said", "we_did", "what_changed", "decision_title")
    required_languages = ("en-gb",)


@register(ProposalProcess)
class ProposalProcessTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en-gb": ("title",)}


@register(Proposal)
class ProposalTranslation(TranslationOptions):
    """A resident writes in the language of the page they use; the council may add the
    other language. Neither is required, so a proposal in Welsh alone is whole."""

    fields = ("title", "body", "council_response")


@register(Budget)
class BudgetTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en-gb": ("title",)}


@register(BudgetProject)
class BudgetProjectTranslation(TranslationOptions):
    """Residents propose projects in the language they use, as proposals."""

    fields = ("title", "description", "assessment_note")
