"""Citations: another module cites a dataset, or a saved filtered view of it, as evidence.

These are public services (see docs/modules/opendata.md). The citing module checks its
own permissions before calling; these functions only keep the record straight. Citing
the same view twice from the same place changes nothing.
"""

import hashlib
import json
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..ids import as_uuid
from ..models import Citation, Dataset, Resource


def view_key(
    resource_id: UUID | str | None, filters: dict | None, chart: dict | None = None
) -> str:
    """A stable key for "this resource with these filters" (the whole dataset when None),
    and this chart of it. A view with no chart keeps the key it had before charts."""
    view: dict[str, Any] = {"resource": str(resource_id or ""), "filters": filters or {}}
    if chart:
        view["chart"] = chart
    canonical = json.dumps(view, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def evidence_cite(
    *,
    dataset_id: UUID | str,
    resource_id: UUID | str | None = None,
    filters: dict[str, Any] | None = None,
    chart: dict[str, Any] | None = None,
    cited_by_app: str,
    cited_by_key: str,
    cited_by_title: str,
    cited_by_url: str = "",
) -> Citation:
    """Record that `cited_by_*` (say, decision 42) relies on a dataset or a view of it.

    Returns the citation; when the same place already cites the same view its title and
    address are refreshed instead. Raises ValidationError when the dataset or resource
    does not exist, or the resource is not part of the dataset.
    """
    dataset = Dataset.objects.filter(pk=as_uuid(dataset_id)).first()
    if dataset is None:
        raise ValidationError({"dataset_id": _("There is no dataset with this id.")})
    resource = None
    if resource_id is not None:
        resource = Resource.objects.filter(pk=as_uuid(resource_id), dataset=dataset).first()
        if resource is None:
            raise ValidationError({"resource_id": _("This dataset has no resource with this id.")})
    if filters and resource is None:
        raise ValidationError({"filters": _("Filters need a resource to apply to.")})
    chart = _checked_chart(chart, resource)
    citation, _created = Citation.objects.update_or_create(
        dataset=dataset,
        view_key=view_key(resource_id and resource.pk, filters, chart),
        cited_by_app=cited_by_app,
        cited_by_key=str(cited_by_key),
        defaults={
            "resource": resource,
            "filters": filters or {},
            "chart": chart,
            "cited_by_title": cited_by_title[:300],
            "cited_by_url": cited_by_url[:500],
        },
    )
    return citation


@transaction.atomic
def evidence_uncite(
    *,
    cited_by_app: str,
    cited_by_key: str,
    dataset_id: UUID | str | None = None,
    resource_id: UUID | str | None = None,
    filters: dict[str, Any] | None = None,
    chart: dict[str, Any] | None = None,
) -> int:
    """Withdraw citations made by one place; returns how many were removed.

    With only `cited_by_*`, every citation that place made goes (the decision was
    deleted); with `dataset_id` (and optionally `resource_id`, `filters` and `chart`) only
    that one.
    """
    citations = Citation.objects.filter(cited_by_app=cited_by_app, cited_by_key=str(cited_by_key))
    if dataset_id is not None:
        citations = citations.filter(
            dataset_id=as_uuid(dataset_id), view_key=view_key(as_uuid(resource_id), filters, chart)
        )
    removed, _details = citations.delete()
    return removed


def _checked_chart(chart: dict[str, Any] | None, resource: Resource | None) -> dict[str, str]:
    """A chart's settings as the preview's query string names them (see visuals.py), as
    text; ValidationError for a chart without a resource or with a setting it has not."""
    from ..visuals import CHART_FIELDS

    if not chart:
        return {}
    if resource is None:
        raise ValidationError({"chart": _("A chart needs a resource to draw.")})
    unknown = sorted(set(chart) - set(CHART_FIELDS))
    if unknown:
        raise ValidationError(
            {"chart": _("A chart has no setting called %(names)s.") % {"names": ", ".join(unknown)}}
        )
    return {name: str(chart[name]) for name in CHART_FIELDS if chart.get(name) not in ("", None)}
