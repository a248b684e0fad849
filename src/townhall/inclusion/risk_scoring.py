"""The arithmetic of the digital exclusion risk index, in pure functions (ADR 0105).

Following Greater Manchester's Digital Exclusion Risk Index (DERI): eleven indicators in
three components. Each indicator is rescaled from 0 to 10 across the council's small areas
(min-max: the area with the lowest value scores 0, the highest 10), turned round where a
higher value means a lower risk (average download speed); a component's score is the mean
of its indicators' scores; the overall score is the weighted mean of the three
components' scores, with weights an officer sets.

Missing values are dealt with explicitly, never as zeros:

- an indicator an area has no value for is left out of its component's mean;
- a component none of whose indicators has a value is left out of the overall score, and
  the weights of the components that remain are used as they stand (a weighted mean over
  what is there), so the score stays between 0 and 10;
- an area with no component at all has no overall score, no rank and no class.

An indicator whose value is the same in every area that has it tells the areas nothing
apart: it scores 0 everywhere.

Nothing here touches the database; the selectors feed it stored values and weights.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

#: The lowest and highest score anything may have.
LOW, HIGH = 0.0, 10.0
#: How many classes the map and the gap finder divide the areas into.
CLASSES = 5

DEMOGRAPHY, BROADBAND, DEPRIVATION = "demography", "broadband", "deprivation"
COMPONENTS = (DEMOGRAPHY, BROADBAND, DEPRIVATION)
COMPONENT_LABELS = {
    DEMOGRAPHY: _("Demography"),
    BROADBAND: _("Broadband"),
    DEPRIVATION: _("Deprivation"),
}


@dataclass(frozen=True)
class Indicator:
    """One indicator: its code (a column of the scores' download), the component it
    belongs to, what it measures, its unit, whether a higher value means a lower risk,
    and the column names an officer's spreadsheet may give it."""

    code: str
    component: str
    label: object
    unit: str
    source: str
    lower_is_worse: bool = False
    aliases: tuple[str, ...] = field(default=())

    @property
    def is_percentage(self) -> bool:
        return self.unit == "percent"


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "aged_65_plus",
        DEMOGRAPHY,
        _("People aged 65 and over"),
        "percent",
        "ONS Census 2021, TS007A",
        aliases=("age_65_plus", "aged_65_and_over", "over_65", "pct_65_plus", "65_plus"),
    ),
    Indicator(
        "aged_75_plus",
        DEMOGRAPHY,
        _("People aged 75 and over"),
        "percent",
        "ONS Census 2021, TS007A",
        aliases=("age_75_plus", "aged_75_and_over", "over_75", "pct_75_plus", "75_plus"),
    ),
    Indicator(
        "activities_limited",
        DEMOGRAPHY,
        _("Day-to-day activities limited a lot or a little"),
        "percent",
        "ONS Census 2021, TS038",
        aliases=("day_to_day_activities_limited", "disability", "limited_activities"),
    ),
    Indicator(
        "social_grade_de",
        DEMOGRAPHY,
        _("Households in approximated social grade DE"),
        "percent",
        "ONS Census 2021, TS062",
        aliases=("social_grade_d_e", "grade_de", "de"),
    ),
    Indicator(
        "no_30mbps",
        BROADBAND,
        _("Premises unable to get 30 Mbit/s"),
        "percent",
        "Ofcom Connected Nations",
        aliases=("unable_30mbps", "premises_unable_to_get_30mbps", "below_30mbps", "no_sfbb"),
    ),
    Indicator(
        "under_10mbps",
        BROADBAND,
        _("Connections receiving under 10 Mbit/s"),
        "percent",
        "Ofcom Connected Nations",
        aliases=("connections_under_10mbps", "below_10mbps", "less_than_10mbps"),
    ),
    Indicator(
        "average_download",
        BROADBAND,
        _("Average download speed (Mbit/s)"),
        "mbps",
        "Ofcom Connected Nations",
        lower_is_worse=True,
        aliases=("average_download_speed", "avg_download_speed", "avg_download", "download_speed"),
    ),
    Indicator(
        "pension_credit",
        DEPRIVATION,
        _("Pension Credit claimants"),
        "rate",
        "DWP Stat-Xplore",
        aliases=("pension_credit_rate", "pension_credit_claimants", "pc_claimants"),
    ),
    Indicator(
        "no_qualifications",
        DEPRIVATION,
        _("People aged 16 and over with no qualifications"),
        "percent",
        "ONS Census 2021, TS067",
        aliases=("no_quals", "no_qualification", "without_qualifications"),
    ),
    Indicator(
        "claimant_rate",
        DEPRIVATION,
        _("Claimant count rate"),
        "percent",
        "DWP claimant count (Nomis)",
        aliases=("claimant_count", "claimant_count_rate", "claimants"),
    ),
    Indicator(
        "imd_score",
        DEPRIVATION,
        _("Index of Multiple Deprivation score"),
        "score",
        "English Indices of Deprivation 2019 / Welsh Index of Multiple Deprivation",
        aliases=("imd", "imd_2019_score", "index_of_multiple_deprivation_score", "wimd_score"),
    ),
)
INDICATORS_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}

#: The columns of the scores' download (CSV and JSON alike).
SCORE_FIELDS = (
    "lsoa_code",
    "lsoa_name",
    "lsoa_name_cy",
    "ward_code",
    "rank",
    "risk_class",
    "overall_score",
    *(f"{component}_score" for component in COMPONENTS),
    *(f"{indicator.code}_score" for indicator in INDICATORS),
    "missing_indicators",
    "nearest_help_m",
    "gap",
    "weights_version",
    *(f"weight_{component}" for component in COMPONENTS),
)


class WeightsInvalid(ValueError):
    """Weights the index cannot use: the message says why, for the officer."""


def weights_check(weights: Mapping[str, Decimal | float]) -> dict[str, Decimal]:
    """The weights of the three components as Decimals, checked: each is given, a number,
    at least 0 and at most 100, and they are not all 0. Raises WeightsInvalid otherwise."""
    checked = {}
    for component in COMPONENTS:
        if weights.get(component) is None:
            raise WeightsInvalid(_("Give a weight for every component"))
        try:
            value = Decimal(str(weights[component]))
        except ArithmeticError:
            raise WeightsInvalid(_("A weight must be a number")) from None
        if not value.is_finite():
            raise WeightsInvalid(_("A weight must be a number"))
        if value < 0:
            raise WeightsInvalid(_("A weight cannot be less than 0"))
        if value > 100:
            raise WeightsInvalid(_("A weight cannot be more than 100"))
        checked[component] = value
    if not any(checked.values()):
        raise WeightsInvalid(_("At least one weight must be more than 0"))
    return checked


def rescale(values: Mapping[str, float | None], *, invert: bool = False) -> dict[str, float | None]:
    """Each value rescaled from 0 (the lowest) to 10 (the highest) across the areas, keyed
    as given; with `invert`, 10 for the lowest and 0 for the highest. A missing value
    (None) stays missing; when every present value is the same, each scores 0."""
    present = [value for value in values.values() if value is not None]
    if not present:
        return dict.fromkeys(values)
    low, high = min(present), max(present)
    rescaled: dict[str, float | None] = {}
    for key, value in values.items():
        if value is None:
            rescaled[key] = None
        elif high == low:
            rescaled[key] = LOW
        else:
            score = HIGH * (value - low) / (high - low)
            score = HIGH - score if invert else score
            rescaled[key] = min(HIGH, max(LOW, score))
    return rescaled


def mean_of_present(scores: Iterable[float | None]) -> float | None:
    """The mean of the scores that are there, or None when none is."""
    present = [score for score in scores if score is not None]
    return sum(present) / len(present) if present else None


def overall_score(
    components: Mapping[str, float | None], weights: Mapping[str, Decimal | float]
) -> float | None:
    """The weighted mean of the components' scores that are there; None when none is, or
    when every component that is there has weight 0."""
    total = weighed = 0.0
    for component in COMPONENTS:
        score, weight = components.get(component), float(weights[component])
        if score is None or weight == 0:
            continue
        total += weight * score
        weighed += weight
    if weighed == 0:
        return None
    return min(HIGH, max(LOW, total / weighed))


def classes(scores: Mapping[str, float | None], count: int = CLASSES) -> dict[str, int | None]:
    """Each area's class from 1 (lowest risk) to `count` (highest) by its rank: the fifth
    of the areas with the highest scores is class 5, and so on. Areas with the same score
    share the class of the first of them, so a class may hold more or fewer than a fifth.
    An area with no score has no class."""
    ranked = sorted((score for score in scores.values() if score is not None), reverse=True)
    first: dict[float, int] = {}
    for position, score in enumerate(ranked):
        first.setdefault(score, position)
    total = len(ranked)
    return {
        key: None if score is None else count - (count * first[score]) // total
        for key, score in scores.items()
    }


def ranks(scores: Mapping[str, float | None]) -> dict[str, int | None]:
    """Each area's rank, 1 for the highest risk; equal scores share a rank ("1, 2, 2, 4")."""
    ranked = sorted((score for score in scores.values() if score is not None), reverse=True)
    first: dict[float, int] = {}
    for position, score in enumerate(ranked, start=1):
        first.setdefault(score, position)
    return {key: None if score is None else first[score] for key, score in scores.items()}


@dataclass(frozen=True)
class AreaScore:
    """One area's scores: each indicator's (0-10), each component's, the overall score,
    its rank and class, and the indicators it had no value for."""

    code: str
    indicators: dict[str, float | None]
    components: dict[str, float | None]
    overall: float | None
    rank: int | None
    risk_class: int | None
    missing: tuple[str, ...]


def score_areas(
    raw: Mapping[str, Mapping[str, float | None]], weights: Mapping[str, Decimal | float]
) -> list[AreaScore]:
    """Every area's scores from its raw indicator values ({area code: {indicator code:
    value}}), highest risk first (areas without a score last, by code)."""
    weights = weights_check(weights)
    codes = list(raw)
    rescaled = {
        indicator.code: rescale(
            {code: raw[code].get(indicator.code) for code in codes},
            invert=indicator.lower_is_worse,
        )
        for indicator in INDICATORS
    }
    components = {
        code: {
            component: mean_of_present(
                rescaled[indicator.code][code]
                for indicator in INDICATORS
                if indicator.component == component
            )
            for component in COMPONENTS
        }
        for code in codes
    }
    overall = {code: overall_score(components[code], weights) for code in codes}
    rank, risk_class = ranks(overall), classes(overall)
    scores = [
        AreaScore(
            code=code,
            indicators={indicator.code: rescaled[indicator.code][code] for indicator in INDICATORS},
            components=components[code],
            overall=overall[code],
            rank=rank[code],
            risk_class=risk_class[code],
            missing=tuple(
                indicator.code for indicator in INDICATORS if raw[code].get(indicator.code) is None
            ),
        )
        for code in codes
    ]
    return sorted(scores, key=lambda score: (score.rank is None, score.rank or 0, score.code))
