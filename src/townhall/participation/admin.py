"""Participation in the admin site, entered through the permission gate (ADR 0010)."""

from django.contrib import admin

from townhall.core.admin import ReadOnlyModelAdmin

from .models import Consultation


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyModelAdmin):
    """Read-only here: consultations change through their pages, which apply the rules."""

    view_action = "participation.manage_consultation"
    list_display = ["title", "state", "opens_at", "closes_at"]
    list_filter = ["state"]
    search_fields = ["title", "slug"]
