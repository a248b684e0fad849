"""The administration site: open to administrators, superusers and the audit log's readers.

Kept apart from admin.py so that settings can name the AdminConfig without importing models.
Entry is decided by the permission gate (core.permissions), not by Django's model
permissions, so that roles stay the one source of who may do what.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

#: Actions that let a member of staff into the administration site at all.
ADMIN_ENTRY_ACTIONS = ("core.edit_site", "core.manage_people", "core.view_audit_log")


class TownhallAdminSite(admin.AdminSite):
    site_header = _("Townhall administration")
    site_title = _("Townhall administration")
    index_title = _("Administration")

    def has_permission(self, request) -> bool:
        """Active staff who may edit the site, manage people or read the audit log."""
        from .permissions import can

        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return any(can(user, action) for action in ADMIN_ENTRY_ACTIONS)


class TownhallAdminConfig(AdminConfig):
    default_site = "townhall.core.admin_site.TownhallAdminSite"
