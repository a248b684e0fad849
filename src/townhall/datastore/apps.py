from django.utils.translation import gettext_lazy as _

from townhall.core.module import ModuleConfig


class DataStoreConfig(ModuleConfig):
    """The engine behind open data's table previews, downloads and query APIs."""

    name = "townhall.datastore"
    label = "datastore"
    verbose_name = _("DataStore")
