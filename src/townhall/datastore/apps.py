from django.utils.translation import gettext_lazy as _

from townhall.core.module import ModuleConfig


class DataStoreConfig(ModuleConfig):
    """The engine behind open data's table previews, downloads and query APIs."""

    name = "townhall.datastore"
    label = "datastore"
    verbose_name = _("DataStore")

    def ready(self) -> None:
        super().ready()
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import _backends, _grants, checks  # noqa: F401 - checks register themselves

        connection_created.connect(_backends.attach_own_file, dispatch_uid="datastore-attach")
        post_migrate.connect(_grants.after_migrate, sender=self, dispatch_uid="datastore-grants")
