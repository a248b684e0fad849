"""Market content stored in English and Welsh (django-modeltranslation, ADR 0060)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Challenge,
    Contract,
    EngagementEvent,
    EvaluationCriterion,
    Notice,
    Procurement,
    Question,
)


@register(Challenge)
class ChallengeTranslation(TranslationOptions):
    fields = (
        "title",
        "service_area",
        "problem",
        "affected",
        "outcomes",
        "constraints",
        "timeline",
        "market_questions",
    )
    required_languages = {"en-gb": ("title", "service_area", "problem", "affected", "outcomes")}


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("published_question", "answer")


@register(Procurement)
class ProcurementTranslation(TranslationOptions):
    fields = ("title", "description", "service_area")
    required_languages = {"en-gb": ("title", "description", "service_area")}


@register(Contract)
class ContractTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = {"en-gb": ("title",)}


@register(Notice)
class NoticeTranslation(TranslationOptions):
    fields = ("purpose", "participation")


@register(EngagementEvent)
class EngagementEventTranslation(TranslationOptions):
    fields = ("title", "description", "venue", "notes")
    required_languages = {"en-gb": ("title", "description")}


@register(EvaluationCriterion)
class EvaluationCriterionTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en-gb": ("title",)}
