"""Suppliers, challenges, questions, responses, procurements and contracts for tests.
Challenges are published with deadlines ahead unless told."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from tests.core.factories import UserFactory
from townhall.market.models import (
    Challenge,
    Contract,
    EngagementEvent,
    EvaluationCriterion,
    EventRegistration,
    ExpressionOfInterest,
    Procurement,
    Question,
    Supplier,
)


def OfficerFactory(**fields):
    """A member of staff holding the procurement officer role."""
    return UserFactory(roles=("procurement_officer",), is_staff=True, **fields)


class SupplierFactory(factory.django.DjangoModelFactory):
    """A registered organisation whose account holds the supplier role."""

    class Meta:
        model = Supplier

    account = factory.SubFactory(UserFactory, roles=("supplier",))
    name = factory.Sequence(lambda n: f"Supplier {n} Ltd")
    company_number = factory.Sequence(lambda n: f"{n:08d}")
    sme = True
    capabilities = factory.LazyFunction(lambda: ["data"])
    contact_name = "Sam Supplier"
    contact_email = factory.Sequence(lambda n: f"bids{n}@supplier.example")


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge

    slug = factory.Sequence(lambda n: f"challenge-{n}")
    title = factory.Sequence(lambda n: f"Challenge number {n}")
    service_area = "Environment and Waste"
    problem = "Bins are missed."
    affected = "Households."
    outcomes = "Fewer missed bins."
    capabilities = factory.LazyFunction(lambda: ["waste"])
    budget_min_pence = 5_000_000
    budget_max_pence = 15_000_000
    questions_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    response_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    status = Challenge.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    challenge = factory.SubFactory(ChallengeFactory)
    supplier = factory.SubFactory(SupplierFactory)
    text = "Can we see the data by round?"


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpressionOfInterest

    challenge = factory.SubFactory(ChallengeFactory)
    supplier = factory.SubFactory(SupplierFactory)
    summary = "We would run a pilot."


class ProcurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procurement

    title = factory.Sequence(lambda n: f"Procurement {n}")
    description = "Route optimisation software."
    service_area = "Environment and Waste"
    estimated_value_pence = 25_000_000
    route = Procurement.Route.OPEN
    tender_publication_on = date(2027, 1, 15)
    contract_start_on = date(2027, 4, 1)
    contract_end_on = date(2029, 3, 31)


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    procurement = factory.SubFactory(ProcurementFactory, status=Procurement.Status.AWARDED)
    supplier = factory.SubFactory(SupplierFactory)
    title = "Route optimisation"
    value_pence = 4_850_000
    awarded_on = date(2026, 11, 2)
    start_on = date(2027, 1, 1)
    end_on = date(2028, 12, 31)
    competed = True


class EventFactory(factory.django.DjangoModelFactory):
    """A published supplier day a fortnight ahead, registration open for ten days."""

    class Meta:
        model = EngagementEvent

    challenge = factory.SubFactory(ChallengeFactory)
    kind = EngagementEvent.Kind.SUPPLIER_DAY
    title = "Missed bins supplier day"
    description = "Hear the problem from the crews and ask questions."
    venue = "Northbridge Town Hall, Market Square"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=3))
    registration_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    capacity = 10
    attendees_per_supplier = 2
    published_at = factory.LazyFunction(timezone.now)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRegistration

    event = factory.SubFactory(EventFactory)
    supplier = factory.SubFactory(SupplierFactory)
    attendee_names = factory.LazyFunction(lambda: ["Ana Jones"])
    status = EventRegistration.Status.CONFIRMED


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationCriterion

    challenge = factory.SubFactory(ChallengeFactory)
    title = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 50
