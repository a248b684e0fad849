"""The AppConfig every Townhall module uses: it registers the module's manifest."""

from importlib import import_module

from django.apps import AppConfig

from .registry import registry


class ModuleConfig(AppConfig):
    """Registers `<module>.manifest.MANIFEST` with the platform registry on start-up."""

    default_auto_field = "django.db.models.BigAutoField"
    # Each module's apps.py imports this class too; Django picks an app's config only when
    # exactly one candidate is left, so the base opts out and every subclass opts in.
    default = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    def ready(self) -> None:
        registry.register(import_module(f"{self.name}.manifest").MANIFEST)
