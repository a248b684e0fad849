from django.utils.translation import gettext_lazy as _

from townhall.core.module import ModuleConfig


class MarketConfig(ModuleConfig):
    """Market engagement: the council's challenges, suppliers and their expressions of
    interest, clarification questions, the procurement pipeline and open contracting data."""

    name = "townhall.market"
    label = "market"
    verbose_name = _("Market engagement")
