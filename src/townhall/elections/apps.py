from django.utils.translation import gettext_lazy as _

from townhall.core.module import ModuleConfig


class ElectionsConfig(ModuleConfig):
    """Elections, ballots, candidates and where to vote, with Democracy Club's identifiers."""

    name = "townhall.elections"
    label = "elections"
    verbose_name = _("Elections")
