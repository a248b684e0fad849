from django.utils.translation import gettext_lazy as _

from townhall.core.module import ModuleConfig


class NewsConfig(ModuleConfig):
    """News: the council's updates, in English and Welsh, as pages, feeds and emails."""

    name = "townhall.news"
    label = "news"
    verbose_name = _("News")
