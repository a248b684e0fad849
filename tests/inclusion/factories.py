"""The directory of digital help for tests: published services at places near Northbridge."""

from datetime import time

import factory

from tests.core.factories import UserFactory
from townhall.inclusion import taxonomy
from townhall.inclusion.models import (
    Accessibility,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

#: Where PostcodeFactory puts its postcodes.
LATITUDE, LONGITUDE = 53.05, -1.55


def DirectoryOfficerFactory(**fields):
    """A member of staff holding the directory officer role."""
    return UserFactory(roles=("directory_officer",), is_staff=True, **fields)


def term(code: str) -> TaxonomyTerm:
    """A term of the taxonomy of digital help: loaded by the migrations, and again here
    after a transactional test (a browser test) has emptied the tables."""
    found = TaxonomyTerm.objects.filter(code=code).first()
    if found is None:
        taxonomy.load(Taxonomy, TaxonomyTerm)
        found = TaxonomyTerm.objects.get(code=code)
    return found


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_en_gb = factory.Sequence(lambda n: f"Northbridge group {n}")
    description_en_gb = "A voluntary group helping people get online."
    email = "hello@example.org"
    website = "https://example.org/"


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published, free, active service; `terms=["free-wifi"]` gives its kinds of help."""

    class Meta:
        model = Service
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    slug = factory.Sequence(lambda n: f"help-{n}")
    name_en_gb = factory.Sequence(lambda n: f"Digital help {n}")
    description_en_gb = "Come and get help with your phone, tablet or laptop."
    state = Service.State.PUBLISHED

    @factory.post_generation
    def terms(self, create, extracted, **kwargs):
        for code in extracted or ():
            self.terms.add(term(code))


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name_en_gb = factory.Sequence(lambda n: f"Community centre {n}")
    address_1 = factory.Sequence(lambda n: f"{n + 1} High Street")
    city = "Northbridge"
    postal_code = "NB1 1AA"
    latitude = LATITUDE
    longitude = LONGITUDE


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory)


class ScheduleFactory(factory.django.DjangoModelFactory):
    """Open Monday to Friday, nine to five."""

    class Meta:
        model = Schedule

    service_at_location = factory.SubFactory(ServiceAtLocationFactory)
    byday = "MO,TU,WE,TH,FR"
    opens_at = time(9)
    closes_at = time(17)


def full_service(**fields) -> Service:
    """A published service with one of every related record, at one place with hours."""
    service = ServiceFactory(terms=["free-wifi", "skills-foundation"], **fields)
    place = ServiceAtLocationFactory(service=service)
    ScheduleFactory(service_at_location=place)
    Accessibility.objects.create(location=place.location, description_en_gb="Step-free access")
    contact = Contact.objects.create(service=service, name="Sam Patel", title="Digital champion")
    Phone.objects.create(service=service, contact=contact, number="01632 960000")
    CostOption.objects.create(service=service, option_en_gb="Free", amount=0)
    Language.objects.create(service=service, name_en_gb="Welsh", code="cy")
    return service


def PartnerFactory(*organizations, **fields):
    """An account holding the directory partner role, keeping these organisations' entries."""
    from townhall.inclusion.models import Partnership

    user = UserFactory(roles=("directory_partner",), **fields)
    for organization in organizations:
        Partnership.objects.create(user=user, organization=organization)
    return user
