"""The digital strategy and roadmap: objectives in the guide's six areas, programmes,
projects with their RAG history, budgets, benefits and services changed; and the link
from a portfolio to its cabinet member's account."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from townhall.core import audit, permissions, roles
from townhall.core.permissions import require

from .. import maturity
from ..models import (
    Benefit,
    Leader,
    Objective,
    Portfolio,
    Programme,
    Project,
    ProjectStatus,
    Rag,
    ServiceChange,
)
from ._common import (
    MANAGE_DECISIONS,
    MANAGE_ROADMAP,
    RoadmapInvalid,
    _set_translated,
    _unique_slug,
    _validated,
)

OBJECTIVE_TEXT = ("title", "description")
PROJECT_TEXT = ("title", "description")


def _both(fields: dict[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    return {name: fields.get(name, "") for base in names for name in (base, f"{base}_cy")}


# Objectives and programmes ---------------------------------------------------------------


def objective_save(
    *,
    actor: Any,
    objective: Objective | None = None,
    area: str,
    portfolio: Portfolio,
    owner: Leader | None = None,
    position: int = 0,
    **text: str,
) -> Objective:
    """Add an objective of the strategy (objective None) or change one. `text` holds title,
    description and their `_cy` twins; `area` is a key of the guide's six areas.

    Raises RoadmapInvalid for an area that is not one of the guide's, or missing English.
    """
    require(actor, MANAGE_ROADMAP)
    with transaction.atomic():
        if objective is not None:
            objective = Objective.objects.select_for_update().get(pk=objective.pk)
        else:
            objective = Objective()
        if area not in dict(maturity.guide_areas()):
            raise RoadmapInvalid(_("Choose one of the guide's six areas"), field="area")
        objective.area = area
        objective.portfolio = portfolio
        objective.owner = owner
        objective.position = position or 0
        _set_translated(objective, _both(text, OBJECTIVE_TEXT))
        _validated(objective, RoadmapInvalid)
        objective.save()
        return objective


def programme_save(
    *, actor: Any, programme: Programme | None = None, objective: Objective, **text: str
) -> Programme:
    """Add a programme meeting an objective (programme None) or change one; `text` holds
    title, description and their `_cy` twins."""
    require(actor, MANAGE_ROADMAP)
    with transaction.atomic():
        if programme is not None:
            programme = Programme.objects.select_for_update().get(pk=programme.pk)
        else:
            programme = Programme()
        programme.objective = objective
        _set_translated(programme, _both(text, OBJECTIVE_TEXT))
        _validated(programme, RoadmapInvalid)
        programme.save()
        return programme


# Projects --------------------------------------------------------------------------------


def project_create(
    *,
    actor: Any,
    programme: Programme,
    stage: str,
    starts_on: date,
    ends_on: date,
    rag: str,
    rag_reason: str = "",
    rag_reason_cy: str = "",
    budget_approved_pence: int = 0,
    budget_spent_pence: int = 0,
    published: bool = False,
    rag_recorded_on: date | None = None,
    **text: str,
) -> Project:
    """Add a project to a programme with its first RAG status (the start of its history,
    dated today unless `rag_recorded_on` says otherwise). `text` holds title, description
    and their `_cy` twins; money is in pence.

    Raises RoadmapInvalid for an end before the start, a negative amount, or an amber or
    red status without its reason.
    """
    require(actor, MANAGE_ROADMAP)
    with transaction.atomic():
        project = Project(programme=programme)
        _fill_project(
            project,
            stage=stage,
            starts_on=starts_on,
            ends_on=ends_on,
            budget_approved_pence=budget_approved_pence,
            budget_spent_pence=budget_spent_pence,
            published=published,
            text=text,
        )
        _set_rag(project, rag=rag, reason=rag_reason, reason_cy=rag_reason_cy)
        project.slug = _unique_slug(Project, project.title_en_gb, fallback="project")
        project.save()
        _record_status(project, rag_recorded_on or timezone.localdate())
        return project


def project_edit(
    *,
    actor: Any,
    project: Project,
    programme: Programme,
    stage: str,
    starts_on: date,
    ends_on: date,
    budget_approved_pence: int = 0,
    budget_spent_pence: int = 0,
    published: bool = False,
    **text: str,
) -> Project:
    """Change a project's details, stage, dates, budget or publication (its address
    stays; its RAG status changes only through project_rag_update, which keeps the
    history)."""
    require(actor, MANAGE_ROADMAP)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        project.programme = programme
        _fill_project(
            project,
            stage=stage,
            starts_on=starts_on,
            ends_on=ends_on,
            budget_approved_pence=budget_approved_pence,
            budget_spent_pence=budget_spent_pence,
            published=published,
            text=text,
        )
        project.save()
        return project


def _fill_project(
    project: Project,
    *,
    stage: str,
    starts_on: date,
    ends_on: date,
    budget_approved_pence: int,
    budget_spent_pence: int,
    published: bool,
    text: dict[str, str],
) -> None:
    project.stage = stage
    project.starts_on = starts_on
    project.ends_on = ends_on
    project.published = bool(published)
    _set_translated(project, _both(text, PROJECT_TEXT))
    if ends_on < starts_on:
        raise RoadmapInvalid(_("The end date must be on or after the start date"), field="ends_on")
    for name, amount in (
        ("budget_approved", budget_approved_pence),
        ("budget_spent", budget_spent_pence),
    ):
        if amount is None or amount < 0:
            raise RoadmapInvalid(_("Enter an amount of £0 or more"), field=name)
    project.budget_approved_pence = budget_approved_pence
    project.budget_spent_pence = budget_spent_pence
    _validated(project, RoadmapInvalid, exclude=["slug", "rag"])


def _set_rag(project: Project, *, rag: str, reason: str, reason_cy: str) -> None:
    if rag not in Rag.values:
        raise RoadmapInvalid(_("Choose red, amber or green"), field="rag")
    _set_translated(project, {"rag_reason": reason, "rag_reason_cy": reason_cy})
    if rag != Rag.GREEN and not project.rag_reason_en_gb:
        raise RoadmapInvalid(
            _("Say in English why the project is amber or red"), field="rag_reason"
        )
    project.rag = rag


def _record_status(project: Project, day: date) -> ProjectStatus:
    return ProjectStatus.objects.create(
        project=project,
        rag=project.rag,
        reason_en_gb=project.rag_reason_en_gb,
        reason_cy=project.rag_reason_cy,
        recorded_on=day,
    )


def project_rag_update(
    *,
    actor: Any,
    project: Project,
    rag: str,
    reason: str = "",
    reason_cy: str = "",
    recorded_on: date | None = None,
) -> Project:
    """Give a project a new RAG status with its reason (required for amber and red), on
    a day (today unless told); the status joins the project's history.

    Raises RoadmapInvalid for an amber or red status without a reason, or a day still to
    come or before the latest status already recorded.
    """
    require(actor, MANAGE_ROADMAP)
    recorded_on = recorded_on or timezone.localdate()
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        before = {"rag": project.rag, "reason": project.rag_reason_en_gb}
        latest = project.statuses.order_by("-recorded_on").first()
        if recorded_on > timezone.localdate():
            raise RoadmapInvalid(_("The date cannot be in the future"), field="recorded_on")
        if latest is not None and recorded_on < latest.recorded_on:
            raise RoadmapInvalid(
                _("The date must be on or after the latest status, %(day)s")
                % {"day": latest.recorded_on.strftime("%d/%m/%Y")},
                field="recorded_on",
            )
        _set_rag(project, rag=rag, reason=reason, reason_cy=reason_cy)
        project.save(update_fields=["rag", "rag_reason_en_gb", "rag_reason_cy", "updated_at"])
        _record_status(project, recorded_on)
        audit.record(
            actor=actor,
            operation="action",
            action="leadership.project_rag_update",
            instance=project,
            before=before,
            after={"rag": project.rag, "reason": project.rag_reason_en_gb},
        )
        return project


# Benefits and services changed -----------------------------------------------------------


def benefit_create(
    *,
    actor: Any,
    project: Project,
    target_value: Decimal,
    target_on: date,
    higher_is_better: bool = True,
    **text: str,
) -> Benefit:
    """Add a benefit a project is to deliver: `text` holds description, unit and their
    `_cy` twins; the target is a value in that unit by a day."""
    require(actor, MANAGE_ROADMAP)
    with transaction.atomic():
        benefit = Benefit(
            project=project,
            target_value=target_value,
            target_on=target_on,
            higher_is_better=bool(higher_is_better),
        )
        _set_translated(benefit, _both(text, ("description", "unit")))
        _validated(benefit, RoadmapInvalid)
        benefit.save()
        return benefit


def benefit_actual(
    *, actor: Any, benefit: Benefit, actual_value: Decimal, measured_on: date
) -> Benefit:
    """Record what a benefit measured on a day (the latest measurement replaces the one
    before; the audit log keeps them).

    Raises RoadmapInvalid for a day still to come.
    """
    require(actor, MANAGE_ROADMAP)
    if measured_on > timezone.localdate():
        raise RoadmapInvalid(_("The date cannot be in the future"), field="measured_on")
    with transaction.atomic():
        benefit = Benefit.objects.select_for_update().get(pk=benefit.pk)
        benefit.actual_value = actual_value
        benefit.measured_on = measured_on
        _validated(benefit, RoadmapInvalid)
        benefit.save(update_fields=["actual_value", "measured_on"])
        Project.objects.filter(pk=benefit.project_id).update(updated_at=timezone.now())
        return benefit


def service_change_add(*, actor: Any, project: Project, **text: str) -> ServiceChange:
    """Name a council service the project changes and how: `text` holds service, change
    and their `_cy` twins."""
    require(actor, MANAGE_ROADMAP)
    with transaction.atomic():
        change = ServiceChange(project=project)
        _set_translated(change, _both(text, ("service", "change")))
        _validated(change, RoadmapInvalid)
        change.save()
        return change


def service_change_remove(*, actor: Any, change: ServiceChange) -> None:
    require(actor, MANAGE_ROADMAP)
    with transaction.atomic():
        change.delete()


# The cabinet member's account ------------------------------------------------------------


def portfolio_cabinet_member(*, actor: Any, portfolio: Portfolio, member: Any) -> Portfolio:
    """Link a portfolio to the account of its cabinet member (None unlinks it), who then
    sees the portfolio's dashboard. Kept by those who keep the portfolios.

    Raises RoadmapInvalid for an account that is not an active councillor's.
    """
    require(actor, MANAGE_DECISIONS)
    if member is not None and (
        not member.is_active or roles.COUNCILLOR not in permissions.roles_of(member)
    ):
        raise RoadmapInvalid(
            _("Choose the account of a councillor who can sign in"), field="cabinet_member"
        )
    with transaction.atomic():
        portfolio = Portfolio.objects.select_for_update().get(pk=portfolio.pk)
        portfolio.cabinet_member = member
        portfolio.save(update_fields=["cabinet_member"])
        return portfolio
