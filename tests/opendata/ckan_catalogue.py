"""A catalogue shaped like the Northbridge demo's, built in a few queries for search tests.

Seventeen published datasets from four departments, in three themes, with keywords,
resources in several formats, two licences and one change time each (an hour apart,
counted back from a fixed NOW); a draft and an archived dataset that no search may show.
Built without the services (no audit entries, no uploads), so it is quick to make; the
`shared_catalogue` fixture makes it once for a whole test module, inside a transaction it
rolls back at the end (each test's own transaction is a savepoint within it).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from townhall.opendata.models import Dataset, Keyword, Resource

from .factories import DatasetFactory, LinkResourceFactory, OrganisationFactory, ThemeFactory

NOW = datetime(2026, 12, 5, 12, 0, 0, tzinfo=UTC)

#: name: (publisher, themes, keywords, formats, licence, created days ago, modified hours ago)
DATASETS = {
    "spending-over-500": ("finance", ["money"], ["spending", "transparency"], ["CSV"], "OGL-UK-3.0", 400, 1),
    "budget-2026": ("finance", ["money"], ["budget"], ["CSV", "PDF"], "OGL-UK-3.0", 300, 2),
    "council-tax-bands": ("finance", ["money"], ["tax"], ["XLSX"], "OGL-UK-3.0", 250, 3),
    "procurement-card": ("finance", ["money"], ["spending"], ["CSV"], "OGL-UK-3.0", 200, 4),
    "grants-to-charities": ("finance", ["money", "community"], ["grants", "transparency"], ["CSV"], "OGL-UK-3.0", 150, 5),
    "tree-survey": ("parks", ["environment"], ["trees"], ["GeoJSON"], "CC-BY-4.0", 100, 6),
    "allotments": ("parks", ["environment", "community"], ["allotments"], ["CSV"], "CC-BY-4.0", 90, 7),
    "playgrounds": ("parks", ["community"], ["play"], ["GeoJSON", "CSV"], "OGL-UK-3.0", 80, 8),
    "park-visitors": ("parks", ["environment"], ["visitors"], ["JSON"], "OGL-UK-3.0", 70, 9),
    "recycling-rates": ("waste", ["environment"], ["recycling"], ["CSV"], "OGL-UK-3.0", 60, 10),
    "bin-collections": ("waste", ["environment"], ["bins"], ["CSV", "JSON"], "OGL-UK-3.0", 50, 11),
    "fly-tipping": ("waste", ["environment", "community"], ["fly-tipping"], ["CSV"], "CC-BY-4.0", 40, 12),
    "street-cleaning": ("waste", [], ["streets"], ["PDF"], "OGL-UK-3.0", 30, 13),
    "polling-stations": ("democracy", ["community"], ["elections"], ["CSV"], "OGL-UK-3.0", 20, 14),
    "councillors": ("democracy", ["community"], ["councillors"], ["JSON"], "OGL-UK-3.0", 15, 15),
    "election-results": ("democracy", [], ["elections", "results"], ["CSV"], "OGL-UK-3.0", 10, 16),
    "ward-boundaries": ("democracy", [], ["wards"], ["GeoJSON"], "OGL-UK-3.0", 5, 17),
}  # fmt: skip


@dataclass
class Catalogue:
    datasets: dict[str, Dataset]
    hidden: dict[str, Dataset]

    def public_names(self) -> set[str]:
        return set(self.datasets)

    def modified_hours_ago(self, name: str) -> int:
        return DATASETS[name][6]


def build() -> Catalogue:
    organisations = {
        slug: OrganisationFactory(slug=slug, title=slug.title())
        for slug in ("finance", "parks", "waste", "democracy")
    }
    themes = {
        slug: ThemeFactory(slug=slug, title=slug.title())
        for slug in ("money", "environment", "community")
    }
    keywords = {}
    datasets = {}
    for name, (org, theme_names, tags, formats, licence, created, modified) in DATASETS.items():
        dataset = DatasetFactory(
            published=True,
            slug=name,
            title=name.replace("-", " ").capitalize(),
            publisher=organisations[org],
            licence=licence,
            themes=[themes[theme] for theme in theme_names],
        )
        for tag in tags:
            if tag not in keywords:
                keywords[tag] = Keyword.objects.create(name=tag)
        dataset.keywords.set([keywords[tag] for tag in tags])
        for position, resource_format in enumerate(formats):
            LinkResourceFactory(dataset=dataset, format=resource_format, position=position)
        Dataset.objects.filter(pk=dataset.pk).update(
            created_at=NOW - timedelta(days=created), updated_at=NOW - timedelta(hours=modified)
        )
        datasets[name] = dataset
    hidden = {
        "draft-plans": DatasetFactory(slug="draft-plans", publisher=organisations["finance"]),
        "old-spending": DatasetFactory(
            slug="old-spending", publisher=organisations["finance"], status="archived"
        ),
    }
    Dataset.objects.filter(pk__in=[d.pk for d in hidden.values()]).update(updated_at=NOW)
    assert Resource.objects.count() >= len(DATASETS)
    return Catalogue(datasets=datasets, hidden=hidden)


@pytest.fixture(scope="module")
def shared_catalogue(django_db_setup, django_db_blocker):
    """The catalogue, built once per module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)
