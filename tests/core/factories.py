import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

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
