from django.utils.translation import gettext_lazy as _

from townhall.core.module import ModuleConfig


class InclusionConfig(ModuleConfig):
    """Digital inclusion: the directory of digital help (Open Referral UK)."""

    name = "townhall.inclusion"
    label = "inclusion"
    verbose_name = _("Digital inclusion")
