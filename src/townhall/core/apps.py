from django.utils.translation import gettext_lazy as _

from .module import ModuleConfig


class CoreConfig(ModuleConfig):
    """The shared platform: layout, accounts, audit, search, geography, tasks and the demo."""

    name = "townhall.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        super().ready()
        from django.db.models.signals import post_migrate

        from . import audit, checks, roles

        audit.connect_signals()
        checks.register()
        post_migrate.connect(roles.sync_role_groups, sender=self, dispatch_uid="townhall.roles")
