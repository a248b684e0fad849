"""The directory's content stored in English and Welsh (django-modeltranslation, ADR 0060)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Accessibility,
    CostOption,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)


@register(Taxonomy)
class TaxonomyTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en-gb": ("name", "description")}


@register(TaxonomyTerm)
class TaxonomyTermTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en-gb": ("name", "description")}


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en-gb": ("name", "description")}


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description", "eligibility", "alert")
    required_languages = {"en-gb": ("name", "description")}


@register(Location)
class LocationTranslation(TranslationOptions):
    fields = ("name", "description", "transportation")
    required_languages = {"en-gb": ("name",)}


@register(Accessibility)
class AccessibilityTranslation(TranslationOptions):
    fields = ("description", "details")
    required_languages = {"en-gb": ("description",)}


@register(ServiceAtLocation)
class ServiceAtLocationTranslation(TranslationOptions):
    fields = ("description",)


@register(Schedule)
class ScheduleTranslation(TranslationOptions):
    fields = ("description",)


@register(CostOption)
class CostOptionTranslation(TranslationOptions):
    fields = ("option", "amount_description")
    required_languages = {"en-gb": ("option",)}


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name", "note")
    required_languages = {"en-gb": ("name",)}
