"""Reads of the digital exclusion risk index: every small area's scores under the weights
in force, the nearest published help to each, and the gaps (ADR 0106).

A gap is a small area in the highest risk class with no published digital help within
walking distance: INCLUSION_RISK_WALKING_M metres (1,200 by default, about 15 minutes'
walk) in a straight line from the area's centroid.
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from townhall.core.selectors.geography import area_name, wards

from .models import Location, RiskImport, RiskWeights, SmallArea
from .risk_scoring import (
    CLASSES,
    COMPONENTS,
    INDICATORS,
    AreaScore,
    score_areas,
)
from .selectors import EARTH_RADIUS_M, published_services

#: The weights in force before an officer sets any: the three components count equally.
DEFAULT_WEIGHTS = {component: Decimal(1) for component in COMPONENTS}


@dataclass(frozen=True)
class AreaRisk:
    """One small area on the map and in the table."""

    code: str
    name: str
    name_cy: str
    ward_code: str
    ward_name: str
    geometry: dict
    centroid_latitude: float
    centroid_longitude: float
    score: AreaScore
    nearest_help_m: float | None
    nearest_help: str
    gap: bool

    @property
    def display_name(self) -> str:
        """The name in the current language: Welsh on a Welsh page when there is one."""
        return self.name_cy if self.name_cy and translation.get_language() == "cy" else self.name

    @property
    def name_lang(self) -> str:
        """ "en" when the name shown on a Welsh page is the English one, else ""."""
        return "en" if translation.get_language() == "cy" and not self.name_cy else ""

    @property
    def components(self) -> list[float | None]:
        return [self.score.components[component] for component in COMPONENTS]


@dataclass(frozen=True)
class RiskIndex:
    """The index as published: areas highest risk first, the gaps among them, the weights
    it was scored with and the imports it was made from."""

    areas: list[AreaRisk]
    weights: Any
    walking_m: int
    boundaries: RiskImport | None
    indicators: RiskImport | None
    help_points: list[dict]

    @property
    def gaps(self) -> list[AreaRisk]:
        return [area for area in self.areas if area.gap]

    @property
    def synthetic(self) -> bool:
        """Whether the scores come from made-up data (the demo council's)."""
        return any(
            found is not None and found.summary.get("synthetic")
            for found in (self.boundaries, self.indicators)
        )

    @property
    def classes(self) -> list[dict]:
        """The legend: each class from the highest risk, with its number of areas and the
        range of overall scores in it."""
        legend = []
        for number in range(CLASSES, 0, -1):
            scores = [a.score.overall for a in self.areas if a.score.risk_class == number]
            legend.append(
                {
                    "number": number,
                    "count": len(scores),
                    "low": min(scores) if scores else None,
                    "high": max(scores) if scores else None,
                }
            )
        return legend


@dataclass(frozen=True)
class Weights:
    """The weights in force: a stored version, or the default (version 0)."""

    version: int
    demography: Decimal
    broadband: Decimal
    deprivation: Decimal
    reason: str
    set_at: Any

    def as_dict(self) -> dict[str, Decimal]:
        return {component: getattr(self, component) for component in COMPONENTS}

    def share(self, component: str) -> float:
        """The component's share of the overall score when all three have a score."""
        total = sum(self.as_dict().values())
        return float(getattr(self, component) / total) if total else 0.0


def weights_in_force() -> Weights:
    """The newest version of the weights, or the default equal weights (version 0)."""
    found = RiskWeights.objects.order_by("-version").first()
    if found is None:
        return Weights(0, *DEFAULT_WEIGHTS.values(), reason="", set_at=None)
    return Weights(
        found.version,
        found.demography,
        found.broadband,
        found.deprivation,
        reason=found.reason,
        set_at=found.set_at,
    )


def weights_history():
    """Every version of the weights, newest first, with who set it."""
    return RiskWeights.objects.select_related("set_by").order_by("-version")


def risk_imports():
    """Every import of boundaries and indicators, newest first, with who made it."""
    return RiskImport.objects.select_related("imported_by").order_by("-imported_at", "-pk")


def _latest(kind: str) -> RiskImport | None:
    return RiskImport.objects.filter(kind=kind).order_by("-imported_at", "-pk").first()


def _help_points() -> list[dict]:
    """Each place where a published service is given, once, with its services' names."""
    points: dict[Any, dict] = {}
    rows = (
        Location.objects.filter(services_here__service__in=published_services())
        .values_list("pk", "name", "latitude", "longitude", "services_here__service__slug")
        .order_by("name", "pk")
    )
    for pk, name, latitude, longitude, slug in rows:
        points.setdefault(
            pk,
            {"name": name, "latitude": latitude, "longitude": longitude, "slug": slug},
        )
    return list(points.values())


def _nearest(latitude: float, longitude: float, points: list[dict]) -> tuple[float | None, str]:
    """The great-circle distance in metres to the nearest point, and its name."""
    best, name = None, ""
    phi1 = math.radians(latitude)
    for point in points:
        phi2 = math.radians(point["latitude"])
        dphi, dlambda = phi2 - phi1, math.radians(point["longitude"] - longitude)
        h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
        distance = 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))
        if best is None or distance < best:
            best, name = distance, point["name"]
    return best, name


def risk_index(*, ward_code: str = "") -> RiskIndex:
    """The index under the weights in force: every small area (or a ward's) highest risk
    first, each with its nearest published help and whether it is a gap. Scores are always
    computed across all the council's areas, so a ward's areas keep their borough rank."""
    weights = weights_in_force()
    rows = list(SmallArea.objects.order_by("code"))
    scores = {
        s.code: s for s in score_areas({a.code: a.indicators for a in rows}, weights.as_dict())
    }
    ward_names = {ward.code: area_name(ward) for ward in wards().only("code", "name", "name_cy")}
    points = _help_points()
    walking = settings.INCLUSION_RISK_WALKING_M
    areas = []
    for area in rows:
        if ward_code and area.ward_code != ward_code:
            continue
        score = scores[area.code]
        distance, nearest = _nearest(area.centroid_latitude, area.centroid_longitude, points)
        areas.append(
            AreaRisk(
                code=area.code,
                name=area.name,
                name_cy=area.name_cy,
                ward_code=area.ward_code,
                ward_name=ward_names.get(area.ward_code, ""),
                geometry=area.geometry,
                centroid_latitude=area.centroid_latitude,
                centroid_longitude=area.centroid_longitude,
                score=score,
                nearest_help_m=distance,
                nearest_help=nearest,
                gap=score.risk_class == CLASSES and (distance is None or distance > walking),
            )
        )
    areas.sort(key=lambda a: (a.score.rank is None, a.score.rank or 0, a.code))
    return RiskIndex(
        areas=areas,
        weights=weights,
        walking_m=walking,
        boundaries=_latest(RiskImport.Kind.BOUNDARIES),
        indicators=_latest(RiskImport.Kind.INDICATORS),
        help_points=points,
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def score_rows(index: RiskIndex | None = None) -> list[dict[str, Any]]:
    """One row per small area for the download and the open data catalogue: scores rounded
    to two places, a missing one empty (None), and the weights it was scored with."""
    index = index or risk_index()
    weights = index.weights
    return [
        {
            "lsoa_code": area.code,
            "lsoa_name": area.name,
            "lsoa_name_cy": area.name_cy,
            "ward_code": area.ward_code,
            "rank": area.score.rank,
            "risk_class": area.score.risk_class,
            "overall_score": _rounded(area.score.overall),
            **{f"{c}_score": _rounded(area.score.components[c]) for c in COMPONENTS},
            **{f"{i.code}_score": _rounded(area.score.indicators[i.code]) for i in INDICATORS},
            "missing_indicators": " ".join(area.score.missing),
            "nearest_help_m": None if area.nearest_help_m is None else round(area.nearest_help_m),
            "gap": area.gap,
            "weights_version": weights.version,
            **{f"weight_{c}": str(getattr(weights, c)) for c in COMPONENTS},
        }
        for area in index.areas
    ]


def score_document(index: RiskIndex | None = None) -> dict[str, Any]:
    """The scores as one JSON document: the areas' rows, the weights and the method, the
    indicators and where their values come from, and the licence."""
    index = index or risk_index()
    weights = index.weights
    return {
        "title": "Digital exclusion risk index",
        "licence": "OGL-UK-3.0",
        "licence_url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        "generated_at": timezone.now().isoformat(),
        "synthetic": index.synthetic,
        "weights": {
            "version": weights.version,
            "set_at": weights.set_at.isoformat() if weights.set_at else None,
            **{c: str(getattr(weights, c)) for c in COMPONENTS},
        },
        "method": (
            "Each indicator is rescaled from 0 to 10 across the council's small areas "
            "(min-max; average download speed is turned round); a component is the mean of "
            "its indicators that have a value; the overall score is the weighted mean of "
            "the components that have a value. Classes 1 to 5 are fifths of the areas by "
            "rank. A gap is an area in class 5 with no published digital help within "
            f"{index.walking_m} metres of its centroid."
        ),
        "walking_distance_m": index.walking_m,
        "indicators": [
            {
                "code": i.code,
                "component": i.component,
                "label": str(i.label),
                "unit": i.unit,
                "source": i.source,
                "higher_means_lower_risk": i.lower_is_worse,
            }
            for i in INDICATORS
        ],
        "indicator_import": (
            {
                "source": index.indicators.source,
                "imported_at": index.indicators.imported_at.isoformat(),
            }
            if index.indicators
            else None
        ),
        "areas": score_rows(index),
    }


def ward_risk(ward_code: str) -> RiskIndex | None:
    """The index for one ward's small areas, or None when it has none."""
    found = risk_index(ward_code=ward_code)
    return found if found.areas else None


def small_area_count() -> int:
    return SmallArea.objects.count()
