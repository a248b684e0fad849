"""Catalogue objects for tests, and helpers to upload files through the real services."""

import io

import factory

from townhall.opendata import services
from townhall.opendata.models import Dataset, Organisation, Resource, Theme


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class DatasetFactory(factory.django.DjangoModelFactory):
    """A draft dataset; DatasetFactory(published=True) for a published one."""

    class Meta:
        model = Dataset
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Dataset {n}")
    slug = factory.Sequence(lambda n: f"dataset-{n}")
    description = "Some **data** about the borough."
    publisher = factory.SubFactory(OrganisationFactory)

    class Params:
        published = factory.Trait(
            status=Dataset.Status.PUBLISHED,
            published_at=factory.Faker("date_time_this_year", tzinfo=__import__("datetime").UTC),
        )

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class LinkResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    dataset = factory.SubFactory(DatasetFactory)
    name = factory.Sequence(lambda n: f"Link {n}")
    format = Resource.Format.HTML
    url = "https://example.org/data"


SAMPLE_CSV = (
    "Ward,Year,Households,Recycling rate\n"
    "Abbey,2023,4200,41.5\n"
    "Castle,2023,3900,38.2\n"
    "Riverside,2023,5100,45.0\n"
    "Abbey,2024,4250,43.1\n"
    "Castle,2024,3950,39.9\n"
    "Riverside,2024,5150,47.3\n"
)


def upload(actor, dataset, content: str | bytes = SAMPLE_CSV, filename="recycling.csv", **options):
    """Upload a file through resource_upload, loading it into the DataStore at once."""
    data = content.encode() if isinstance(content, str) else content
    options.setdefault("ingest", "now")
    return services.resource_upload(
        actor=actor, dataset=dataset, content=io.BytesIO(data), filename=filename, **options
    )
