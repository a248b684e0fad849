"""Participation in the admin site, entered through the permission gate (ADR 0010)."""

from django.contrib import admin

from townhall.core.admin import ReadOnlyModelAdmin

from .models import Consultation, PreElectionPeriod


@admin.register(PreElectionPeriod)
class PreElectionPeriodAdmin(ReadOnlyModelAdmin):
    """Read-only here: periods change through their pages under /consultations/manage/
    pre-election-periods/, whose services refuse overlaps and silent releases."""

    view_action = "participation.manage_consultation"
    list_display = ["name", "starts_on", "ends_on"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyModelAdmin):
    """Read-only here: consultations change through their pages, which apply the rules."""

    view_action = "participation.manage_consultation"
    list_display = ["title", "state", "opens_at", "closes_at"]
    list_filter = ["state"]
    search_fields = ["title", "slug"]
