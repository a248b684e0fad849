"""Core's content stored in English and Welsh (django-modeltranslation, ADR 0060)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Page


@register(Page)
class PageTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("en-gb",)
