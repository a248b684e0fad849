"""Writes to the digital exclusion risk index: importing small area boundaries and
indicators, and setting the components' weights. Each checks the officer's permission
(`inclusion.manage_risk_index`), runs in one transaction, keeps a record of the import or
a new version of the weights, and writes the audit log with what changed. `actor` None
is the operator's command or the demo, which no gate stands in front of (as core's
geography imports).
"""

import contextlib
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from townhall.core import audit
from townhall.core.permissions import require
from townhall.core.selectors.geography import area_containing

from .manifest import MANAGE_RISK_INDEX
from .models import RiskImport, RiskWeights, SmallArea
from .risk_imports import ImportRefused, boundaries_read, indicators_read
from .risk_scoring import COMPONENTS, WeightsInvalid, weights_check

__all__ = [
    "ImportRefused",
    "WeightsInvalid",
    "risk_indicators_import",
    "risk_weights_set",
    "small_areas_import",
]


def _audited_as(actor):
    """A page's request already names the actor (and its address); a command does not."""
    return contextlib.nullcontext() if audit.current_actor() else audit.acting_as(actor)


def _check(actor: Any) -> None:
    if actor is not None:
        require(actor, MANAGE_RISK_INDEX)


def _source(source: str, file_name: str) -> str:
    return " ".join((source or "").split())[:300] or file_name[:300] or _("Not described")


def small_areas_import(
    *, actor: Any, data: bytes, file_name: str = "", source: str = "", synthetic: bool = False
) -> RiskImport:
    """Replace the council's small areas with those of a GeoJSON file of LSOA boundaries.

    All or nothing: raises ImportRefused listing every bad feature and stores nothing. An
    area already stored keeps its indicators; one not in the file is removed. Each area's
    ward is the ward containing a point inside it (core's geography).
    """
    _check(actor)
    rows = boundaries_read(data)
    with transaction.atomic(), _audited_as(actor):
        stored = {area.code: area for area in SmallArea.objects.all()}
        codes = {row.code for row in rows}
        removed = sorted(stored.keys() - codes)
        SmallArea.objects.filter(code__in=removed).delete()
        created = updated = 0
        for row in rows:
            ward = area_containing(row.inside_longitude, row.inside_latitude)
            fields = {
                "name": row.name,
                "name_cy": row.name_cy,
                "ward_code": ward.code if ward else "",
                "geometry": row.geometry,
                "centroid_latitude": row.centroid_latitude,
                "centroid_longitude": row.centroid_longitude,
            }
            area = stored.get(row.code)
            if area is None:
                SmallArea.objects.create(code=row.code, **fields)
                created += 1
            else:
                for name, value in fields.items():
                    setattr(area, name, value)
                area.save()
                updated += 1
        record = RiskImport.objects.create(
            kind=RiskImport.Kind.BOUNDARIES,
            source=_source(source, file_name),
            file_name=file_name[:200],
            imported_by=actor if getattr(actor, "pk", None) else None,
            rows=len(rows),
            summary={
                "created": created,
                "updated": updated,
                "removed": removed,
                "synthetic": synthetic,
            },
        )
        audit.record(
            actor=actor,
            operation="action",
            action=MANAGE_RISK_INDEX,
            instance=record,
            after={"rows": len(rows), "created": created, "updated": updated, "removed": removed},
        )
    return record


def risk_indicators_import(
    *, actor: Any, data: bytes, file_name: str = "", source: str = "", synthetic: bool = False
) -> RiskImport:
    """Set the indicators a CSV has columns for, for every small area (one row each).

    All or nothing: raises ImportRefused listing every bad row (unknown or repeated codes,
    values that are not numbers or out of range) and stores nothing. The indicators the
    file has columns for are replaced in every area: an area absent from the file, or a
    blank cell, leaves that indicator missing; indicators without a column keep their
    values. The audit log holds each changed area's values before and after.
    """
    _check(actor)
    areas = {area.code: area for area in SmallArea.objects.all()}
    found = indicators_read(data, known=set(areas))
    changes: dict[str, dict[str, Any]] = {}
    with transaction.atomic(), _audited_as(actor):
        changed = []
        for code, area in areas.items():
            before = dict(area.indicators)
            after = {k: v for k, v in before.items() if k not in found.columns}
            after |= {k: v for k, v in found.values.get(code, {}).items() if v is not None}
            if after != before:
                area.indicators = after
                changed.append(area)
                changes[code] = {"before": before, "after": after}
        SmallArea.objects.bulk_update(changed, ["indicators"])
        record = RiskImport.objects.create(
            kind=RiskImport.Kind.INDICATORS,
            source=_source(source, file_name),
            file_name=file_name[:200],
            imported_by=actor if getattr(actor, "pk", None) else None,
            rows=found.rows,
            summary={
                "indicators": found.columns,
                "ignored_columns": found.ignored,
                "absent_areas": found.absent,
                "changed_areas": len(changed),
                "synthetic": synthetic,
            },
        )
        audit.record(
            actor=actor,
            operation="action",
            action=MANAGE_RISK_INDEX,
            instance=record,
            before={code: change["before"] for code, change in changes.items()},
            after={code: change["after"] for code, change in changes.items()},
        )
    return record


def risk_weights_set(
    *,
    actor: Any,
    demography: Decimal | float,
    broadband: Decimal | float,
    deprivation: Decimal | float,
    reason: str = "",
) -> RiskWeights:
    """A new version of the components' weights, in force from now; raises WeightsInvalid
    (nothing stored) for a negative weight, one over 100, or all of them 0."""
    _check(actor)
    weights = weights_check(
        {"demography": demography, "broadband": broadband, "deprivation": deprivation}
    )
    with transaction.atomic(), _audited_as(actor):
        previous = RiskWeights.objects.select_for_update().order_by("-version").first()
        version = (RiskWeights.objects.aggregate(last=Max("version"))["last"] or 0) + 1
        saved = RiskWeights.objects.create(
            version=version,
            reason=" ".join(reason.split())[:300],
            set_by=actor if getattr(actor, "pk", None) else None,
            **weights,
        )
        audit.record(
            actor=actor,
            operation="action",
            action=MANAGE_RISK_INDEX,
            instance=saved,
            before={c: str(getattr(previous, c)) for c in COMPONENTS} if previous else None,
            after={c: str(weights[c]) for c in COMPONENTS} | {"version": version},
        )
    return saved
