"""Participation in the admin site, entered through the permission gate (ADR 0010)."""

from django.contrib import admin

from townhall.core.admin import GatedModelAdmin, ReadOnlyModelAdmin

from .models import Consultation, PreElectionPeriod


@admin.register(PreElectionPeriod)
class PreElectionPeriodAdmin(GatedModelAdmin):
    """Consultation leads keep the pre-election periods that hold back publishing."""

    view_action = "participation.manage_consultation"
    edit_action = "participation.manage_consultation"
    list_display = ["name", "starts_on", "ends_on"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyModelAdmin):
    """Read-only here: consultations change through their pages, which apply the rules."""

    view_action = "participation.manage_consultation"
    list_display = ["title", "state", "opens_at", "closes_at"]
    list_filter = ["state"]
    search_fields = ["title", "slug"]
