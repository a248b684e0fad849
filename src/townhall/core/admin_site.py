"""The administration site: the operators' console, open to active superusers only.

Officers do every task from their pages under Manage (ADR 0011); inside the admin, each
screen still asks the permission gate (core.permissions, ADR 0010), not Django's model
permissions. Kept apart from admin.py so that settings can name the AdminConfig without
importing models.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class TownhallAdminSite(admin.AdminSite):
    site_header = _("Townhall administration")
    site_title = _("Townhall administration")
    index_title = _("Administration")

    def has_permission(self, request) -> bool:
        """Active superusers: officers work from Manage instead (ADR 0011)."""
        user = request.user
        return bool(user.is_active and user.is_superuser)


class TownhallAdminConfig(AdminConfig):
    default_site = "townhall.core.admin_site.TownhallAdminSite"
