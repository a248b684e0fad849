"""Elections' content stored in English and Welsh (django-modeltranslation, ADR 0060)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Candidate, Election, PollingStation, Surgery


@register(Election)
class ElectionTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"en-gb": ("name",)}


@register(Candidate)
class CandidateTranslation(TranslationOptions):
    fields = ("statement",)


@register(PollingStation)
class PollingStationTranslation(TranslationOptions):
    fields = ("accessibility",)


@register(Surgery)
class SurgeryTranslation(TranslationOptions):
    fields = ("place",)
