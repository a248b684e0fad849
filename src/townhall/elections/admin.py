"""Elections in the admin site, read-only, entered through the permission gate (ADR 0010):
officers work from their pages under /elections/manage/, whose services apply the rules."""

from django.contrib import admin

from townhall.core.admin import ReadOnlyModelAdmin

from .models import Election, PollingStation


@admin.register(Election)
class ElectionAdmin(ReadOnlyModelAdmin):
    view_action = "elections.manage_elections"
    list_display = ["identifier", "name", "poll_date", "voter_id"]


@admin.register(PollingStation)
class PollingStationAdmin(ReadOnlyModelAdmin):
    view_action = "elections.import_polling_stations"
    list_display = ["council_id", "address", "postcode"]
    search_fields = ["council_id", "address", "postcode"]
