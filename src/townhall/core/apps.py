from django.utils.translation import gettext_lazy as _

from .module import ModuleConfig


class CoreConfig(ModuleConfig):
    """The shared platform: layout, accounts, audit, search, geography, tasks and the demo."""

    name = "townhall.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        super().ready()
        from . import audit, checks

        audit.connect_signals()
        checks.register()
