import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils.text import slugify

from townhall.core.models import User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    """A person who has signed up and verified their email address."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create:
            return
        for role in extracted or ():
            self.groups.add(Group.objects.get(name=role))
        self.save()
        EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def square(west: float, south: float, size: float) -> dict:
    """A GeoJSON Polygon: the square of `size` degrees whose south-west corner is given."""
    east, north = west + size, south + size
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


class AreaFactory(factory.django.DjangoModelFactory):
    """A ward: by default a 0.1 degree square near Northbridge's made-up position."""

    class Meta:
        model = "core.Area"

    code = factory.Sequence(lambda n: f"E05{n:06d}")
    name = factory.Sequence(lambda n: f"Ward {n}")
    slug = factory.LazyAttribute(lambda area: slugify(area.name))
    kind = "ward"
    geometry = factory.LazyFunction(lambda: square(-1.6, 53.0, 0.1))
    min_lon = factory.LazyAttribute(lambda area: _bounds(area.geometry)[0])
    min_lat = factory.LazyAttribute(lambda area: _bounds(area.geometry)[1])
    max_lon = factory.LazyAttribute(lambda area: _bounds(area.geometry)[2])
    max_lat = factory.LazyAttribute(lambda area: _bounds(area.geometry)[3])


def _bounds(geometry: dict) -> tuple[float, float, float, float]:
    from shapely.geometry import shape

    return shape(geometry).bounds


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "core.Postcode"
        django_get_or_create = ("postcode",)

    postcode = factory.Sequence(lambda n: f"NB{n % 9 + 1} {n % 10}AB")
    latitude = 53.05
    longitude = -1.55
    local_authority_code = "E07999999"
    ward_code = ""


class TaskProgressFactory(factory.django.DjangoModelFactory):
    """Long-running work that has got part of the way."""

    class Meta:
        model = "core.TaskProgress"

    key = factory.Sequence(lambda n: f"import:{n}")
    label = factory.Sequence(lambda n: f"Importing file {n}")
    state = "running"
    done = 45
    total = 100
