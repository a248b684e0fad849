"""Services and updates for tests, in any state of their lifecycle."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.core.factories import UserFactory
from townhall.news.models import Service, Update, UpdateWard


def EditorFactory(**fields):
    """A member of staff holding the news editor role."""
    return UserFactory(roles=("news_editor",), is_staff=True, **fields)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    slug = factory.Sequence(lambda n: f"service-{n}")
    name_en_gb = factory.Sequence(lambda n: f"Service {n}")


class UpdateFactory(factory.django.DjangoModelFactory):
    """A published update (published yesterday) unless told otherwise; `ward_codes` tags it."""

    class Meta:
        model = Update
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"update-{n}")
    title_en_gb = factory.Sequence(lambda n: f"Update number {n}")
    summary_en_gb = "What changed, in a sentence."
    body_en_gb = "We changed **something**."
    state = Update.State.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))

    class Params:
        draft = factory.Trait(state=Update.State.DRAFT, published_at=None)
        archived = factory.Trait(state=Update.State.ARCHIVED)

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if create and extracted:
            self.services.set(extracted)

    @factory.post_generation
    def ward_codes(self, create, extracted, **kwargs):
        if create and extracted:
            UpdateWard.objects.bulk_create(
                [UpdateWard(update=self, ward_code=code) for code in extracted]
            )
