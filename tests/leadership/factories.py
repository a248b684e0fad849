"""Digital leaders, portfolios, decisions, the board and the roadmap for tests; decisions
and projects made published unless told."""

from datetime import date

import factory

from tests.core.factories import AreaFactory, UserFactory
from townhall.elections.models import Councillor
from townhall.leadership.models import (
    AgendaItem,
    Benefit,
    BoardAction,
    BoardMeeting,
    CouncillorAccount,
    Decision,
    DecisionEvidence,
    DecisionWard,
    Leader,
    Objective,
    Portfolio,
    Programme,
    Project,
    ProjectStatus,
)


def OfficerFactory(**fields):
    """A member of staff holding the decisions officer role."""
    return UserFactory(roles=("decisions_officer",), is_staff=True, **fields)


class LeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leader

    kind = Leader.Kind.CHIEF_DIGITAL_OFFICER
    name = factory.Sequence(lambda n: f"Leader {n}")
    job_title = "Chief digital officer"
    remit = "Owns the digital strategy."


class PortfolioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Portfolio

    name = factory.Sequence(lambda n: f"Portfolio {n}")
    slug = factory.Sequence(lambda n: f"portfolio-{n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    """A published key decision of the cabinet, made on 1 June 2026."""

    class Meta:
        model = Decision

    slug = factory.Sequence(lambda n: f"decision-{n}")
    title = factory.Sequence(lambda n: f"Decision number {n}")
    summary = "Cabinet agreed the plan."
    maker = Decision.Maker.CABINET
    maker_name = "Cabinet"
    portfolio = factory.SubFactory(PortfolioFactory)
    decided_on = date(2026, 6, 1)
    key_decision = True
    options = "Do nothing; do something."
    reasons = "Something was needed."
    status = Decision.Status.MADE
    published = True


def in_wards(decision: Decision, *codes: str) -> Decision:
    DecisionWard.objects.bulk_create([DecisionWard(decision=decision, ward_code=c) for c in codes])
    return decision


def citing_dataset(decision: Decision, dataset_id) -> Decision:
    """The decision with a dataset among its evidence, as the services keep it (without
    open data's citation: use the services for that)."""
    DecisionEvidence.objects.create(
        decision=decision, kind=DecisionEvidence.Kind.DATASET, key=str(dataset_id)
    )
    return decision


class BoardMeetingFactory(factory.django.DjangoModelFactory):
    """A meeting of the board held on 1 June 2026."""

    class Meta:
        model = BoardMeeting

    slug = factory.Sequence(lambda n: f"2026-06-01-{n}")
    meets_on = date(2026, 6, 1)
    place = "Committee room 2"
    status = BoardMeeting.Status.HELD


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(BoardMeetingFactory)
    title = factory.Sequence(lambda n: f"Item {n}")


class BoardActionFactory(factory.django.DjangoModelFactory):
    """An open action of the 1 June 2026 meeting, due on 1 July 2026."""

    class Meta:
        model = BoardAction

    meeting = factory.SubFactory(BoardMeetingFactory)
    owner = factory.SubFactory(LeaderFactory)
    what = factory.Sequence(lambda n: f"Action {n}")
    due_on = date(2026, 7, 1)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    title = factory.Sequence(lambda n: f"Objective {n}")
    description = "What the strategy sets out to achieve."
    area = "leadership"
    portfolio = factory.SubFactory(PortfolioFactory)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Programme {n}")
    description = "Projects that meet the objective."


class ProjectFactory(factory.django.DjangoModelFactory):
    """A published green beta project from April 2026 to March 2027, £100,000 approved and
    £25,000 spent, with its first status in its history."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"project-{n}")
    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    description = "A piece of work."
    stage = Project.Stage.BETA
    rag = "green"
    starts_on = date(2026, 4, 1)
    ends_on = date(2027, 3, 31)
    budget_approved_pence = 10_000_000
    budget_spent_pence = 2_500_000
    published = True

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            ProjectStatus.objects.create(
                project=self,
                rag=self.rag,
                reason_en_gb=self.rag_reason_en_gb or "",
                recorded_on=date(2026, 4, 1),
            )


class BenefitFactory(factory.django.DjangoModelFactory):
    """A benefit aiming for 90% by March 2027, not measured yet."""

    class Meta:
        model = Benefit

    project = factory.SubFactory(ProjectFactory)
    description = factory.Sequence(lambda n: f"Benefit {n}")
    unit = "%"
    target_value = 90
    target_on = date(2027, 3, 31)


def serving_councillor(ward=None, **fields) -> Councillor:
    """Elections' councillor for `ward` (a new core ward unless given), serving since
    May 2023."""
    ward = ward or AreaFactory()
    fields = {
        "name": "Rhian Evans",
        "party": "Independent",
        "term_start": date(2023, 5, 5),
    } | fields
    return Councillor.objects.create(ward_code=ward.code, ward_name=ward.name, **fields)


def linked(account, councillor: Councillor):
    """The account linked to the councillor, as democratic services link it."""
    CouncillorAccount.objects.create(user=account, councillor_id=councillor.pk)
    return account
