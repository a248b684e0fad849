"""Leadership's content stored in English and Welsh (django-modeltranslation, ADR 0060)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    AgendaItem,
    Benefit,
    BoardAction,
    BoardMeeting,
    Decision,
    Leader,
    Objective,
    Portfolio,
    Programme,
    Project,
    ProjectStatus,
    ServiceChange,
)


@register(Leader)
class LeaderTranslation(TranslationOptions):
    fields = ("job_title", "directorate", "remit")
    required_languages = {"en-gb": ("job_title", "remit")}


@register(Portfolio)
class PortfolioTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"en-gb": ("name",)}


@register(Decision)
class DecisionTranslation(TranslationOptions):
    fields = ("title", "summary", "maker_name", "options", "reasons", "call_in")
    required_languages = {"en-gb": ("title", "summary", "maker_name", "options", "reasons")}


@register(BoardMeeting)
class BoardMeetingTranslation(TranslationOptions):
    fields = ("place",)
    required_languages = {"en-gb": ("place",)}


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "minutes")
    required_languages = {"en-gb": ("title",)}


@register(BoardAction)
class BoardActionTranslation(TranslationOptions):
    fields = ("what",)
    required_languages = {"en-gb": ("what",)}


@register(Objective)
class ObjectiveTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en-gb": ("title", "description")}


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"en-gb": ("title", "description")}


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "description", "rag_reason")
    required_languages = {"en-gb": ("title", "description")}


@register(ProjectStatus)
class ProjectStatusTranslation(TranslationOptions):
    fields = ("reason",)


@register(Benefit)
class BenefitTranslation(TranslationOptions):
    fields = ("description", "unit")
    required_languages = {"en-gb": ("description", "unit")}


@register(ServiceChange)
class ServiceChangeTranslation(TranslationOptions):
    fields = ("service", "change")
    required_languages = {"en-gb": ("service", "change")}
