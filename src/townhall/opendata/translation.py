"""Open data's metadata stored in English and Welsh (django-modeltranslation, ADR 0060)."""

from modeltranslation.translator import TranslationOptions, register

from .models import ColumnDescription, Dataset, Organisation, Resource, Theme


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en-gb",)


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en-gb",)


@register(Dataset)
class DatasetTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ("en-gb",)


@register(Resource)
class ResourceTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en-gb",)


@register(ColumnDescription)
class ColumnDescriptionTranslation(TranslationOptions):
    fields = ("title", "description")
