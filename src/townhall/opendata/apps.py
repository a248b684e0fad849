from django.utils.translation import gettext_lazy as _

from townhall.core.module import ModuleConfig


class OpenDataConfig(ModuleConfig):
    """The data catalogue, resource previews, publishing and the CKAN-compatible API."""

    name = "townhall.opendata"
    label = "opendata"
    verbose_name = _("Open data")
