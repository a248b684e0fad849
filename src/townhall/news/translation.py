"""News content stored in English and Welsh (django-modeltranslation, ADR 0060)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Service, Update


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = {"en-gb": ("name",)}


@register(Update)
class UpdateTranslation(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = {"en-gb": ("title", "summary", "body")}
