"""Platform datasets: the open data other modules declare in their manifests, catalogued.

Each `OpenDataExport` becomes a published dataset whose two resources (CSV and JSON) are
generated from the module's rows when someone downloads them, so they are never stale.
Running the sync again updates titles and descriptions and adds new exports; it never
touches datasets publishers made themselves.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from townhall.core.registry import OpenDataExport, registry
from townhall.core.selectors.site import council_name
from townhall.core.services.search import search_index_update

from ..models import Dataset, Organisation, Resource

PLATFORM_PUBLISHER = "platform"


def export_by_slug(slug: str) -> OpenDataExport | None:
    return next((export for export in registry.open_data() if export.slug == slug), None)


@transaction.atomic
def platform_datasets_sync() -> list[Dataset]:
    """Create or refresh one published dataset per registered export; returns them."""
    publisher, _created = Organisation.objects.get_or_create(
        slug=PLATFORM_PUBLISHER,
        defaults={"title": council_name(), "description": "Data published by the platform."},
    )
    datasets = []
    for export in registry.open_data():
        dataset = Dataset.objects.filter(platform_export=export.slug).first()
        if dataset is None:
            dataset = Dataset(platform_export=export.slug, slug=_free_slug(export.slug))
        dataset.title = str(export.title)
        dataset.description = str(export.description)
        dataset.publisher = publisher
        dataset.licence = export.licence
        dataset.update_frequency = export.frequency
        dataset.transparency_code = export.transparency_code
        dataset.status = Dataset.Status.PUBLISHED
        dataset.published_at = dataset.published_at or timezone.now()
        dataset.last_updated = timezone.now()
        dataset.save()
        for position, extension in enumerate(("csv", "json")):
            Resource.objects.update_or_create(
                dataset=dataset,
                format=Resource.Format.CSV if extension == "csv" else Resource.Format.JSON,
                defaults={
                    "name": f"{dataset.title} ({extension.upper()})",
                    "url": reverse("opendata:platform_download", args=[export.slug, extension]),
                    "position": position,
                },
            )
        search_index_update("dataset", dataset)
        datasets.append(dataset)
    return datasets


def _free_slug(slug: str) -> str:
    from .catalogue import unique_slug

    return unique_slug(Dataset, slug, fallback="platform-data")
