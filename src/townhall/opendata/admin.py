"""Open data in the admin, to read only: datasets are edited on the publishing pages
(/data/publish/), publishers and themes on theirs (/data/publish/publishers/ and
/data/publish/themes/), where the rules and the audit apply."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from townhall.core.admin import ReadOnlyModelAdmin

from .models import ApiToken, Citation, Dataset, HarvestRun, HarvestSource, Organisation, Theme


class CatalogueAdmin(TranslationAdmin, ReadOnlyModelAdmin):
    """Each translated field is shown in English and Welsh, one after the other (ADR 0060).
    Read only: the staff pages change them (opendata.manage_catalogue)."""

    view_action = "opendata.edit_dataset"


@admin.register(Organisation)
class OrganisationAdmin(CatalogueAdmin):
    list_display = ("title", "slug", "email")
    search_fields = ("title", "slug")


@admin.register(Theme)
class ThemeAdmin(CatalogueAdmin):
    list_display = ("title", "slug")
    search_fields = ("title", "slug")


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyModelAdmin):
    view_action = "opendata.edit_dataset"
    list_display = ("title", "publisher", "status", "transparency_code", "last_updated")
    list_filter = ("status", "publisher", "update_frequency")
    search_fields = ("title", "slug")


@admin.register(Citation)
class CitationAdmin(ReadOnlyModelAdmin):
    view_action = "opendata.edit_dataset"
    list_display = ("cited_by_title", "dataset", "cited_by_app", "created_at")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin):
    view_action = "core.manage_people"
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    exclude = ("token_hash",)


@admin.register(HarvestSource)
class HarvestSourceAdmin(ReadOnlyModelAdmin):
    """Read only: sources are added and run from Manage → Harvest sources."""

    view_action = "opendata.manage_harvest_sources"
    list_display = ("title", "kind", "url", "publisher", "schedule", "last_success_at")


@admin.register(HarvestRun)
class HarvestRunAdmin(ReadOnlyModelAdmin):
    view_action = "opendata.manage_harvest_sources"
    list_display = ("source", "status", "full", "created_at", "finished_at")
    list_filter = ("status",)
