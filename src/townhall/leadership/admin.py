"""Leadership in the admin site, read-only, entered through the permission gate (ADR 0010):
staff work from /leadership/manage/, whose services apply the rules."""

from django.contrib import admin

from townhall.core.admin import ReadOnlyModelAdmin

from .models import Decision, Leader


@admin.register(Leader)
class LeaderAdmin(ReadOnlyModelAdmin):
    view_action = "leadership.manage_leaders"
    list_display = ["name", "kind", "position"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyModelAdmin):
    view_action = "leadership.manage_decisions"
    list_display = ["title", "decided_on", "maker", "status", "published"]
    search_fields = ["title", "slug"]
