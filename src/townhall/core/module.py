"""The AppConfig every Townhall module uses: it registers the module's manifest."""

from importlib import import_module

from django.apps import AppConfig

from .registry import registry


class ModuleConfig(AppConfig):
    """Registers `<module>.manifest.MANIFEST` with the platform registry on start-up."""

    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        registry.register(import_module(f"{self.name}.manifest").MANIFEST)
