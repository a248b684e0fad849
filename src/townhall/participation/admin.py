from django.contrib import admin

from .models import Consultation, PreElectionPeriod


@admin.register(PreElectionPeriod)
class PreElectionPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    """Read-only here: consultations change through their pages, which apply the rules."""

    list_display = ["title", "state", "opens_at", "closes_at"]
    list_filter = ["state"]
    search_fields = ["title", "slug"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
