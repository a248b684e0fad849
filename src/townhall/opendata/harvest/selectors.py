"""Reads for the harvest pages."""

from typing import Any

from django.db.models import Count, Max, QuerySet

from townhall.core.permissions import can

from ..models import HarvestRun, HarvestSource

RUNS_SHOWN = 20


def harvest_sources(user: Any) -> QuerySet[HarvestSource]:
    """Every source with its number of harvested datasets and its last run (none for
    someone who may not manage harvests)."""
    if not can(user, "opendata.manage_harvest_sources"):
        return HarvestSource.objects.none()
    return (
        HarvestSource.objects.select_related("publisher")
        .annotate(dataset_count=Count("datasets", distinct=True), last_run=Max("runs__created_at"))
        .order_by("title")
    )


def harvest_runs(source: HarvestSource) -> QuerySet[HarvestRun]:
    """The source's latest runs, newest first."""
    return source.runs.select_related("requested_by").order_by("-created_at")[:RUNS_SHOWN]
