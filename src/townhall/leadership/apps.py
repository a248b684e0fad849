from django.utils.translation import gettext_lazy as _

from townhall.core.module import ModuleConfig


class LeadershipConfig(ModuleConfig):
    """Digital leadership: who leads digital here, and the register of decisions and their
    evidence."""

    name = "townhall.leadership"
    label = "leadership"
    verbose_name = _("Digital leadership")
