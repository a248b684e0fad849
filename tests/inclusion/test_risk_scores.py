"""The arithmetic of the digital exclusion risk index, as Greater Manchester's DERI does it:
each indicator rescaled 0 to 10 across the council's areas, components the mean of their
indicators, the overall score a weighted mean of the components."""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from townhall.inclusion.risk_scoring import (
    COMPONENTS,
    INDICATORS,
    WeightsInvalid,
    classes,
    mean_of_present,
    overall_score,
    ranks,
    rescale,
    score_areas,
    weights_check,
)

#: The machine is shared: slow generation is not a failure of the arithmetic.
relaxed = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
keys = st.integers(min_value=0, max_value=40).map(str)
EQUAL = {"demography": 1, "broadband": 1, "deprivation": 1}
values = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
maybe = st.one_of(st.none(), values)
weights = st.fixed_dictionaries(
    {c: st.decimals(min_value=0, max_value=100, places=2) for c in COMPONENTS}
).filter(lambda w: any(w.values()))


def test_rescale_gives_the_lowest_0_and_the_highest_10():
    assert rescale({"a": 5, "b": 10, "c": 15}) == {"a": 0.0, "b": 5.0, "c": 10.0}


def test_rescale_inverted_gives_the_highest_0():
    assert rescale({"a": 5, "b": 10, "c": 15}, invert=True) == {"a": 10.0, "b": 5.0, "c": 0.0}


def test_rescale_keeps_a_missing_value_missing_and_ignores_it_for_the_range():
    assert rescale({"a": 1, "b": None, "c": 3}) == {"a": 0.0, "b": None, "c": 10.0}


def test_rescale_scores_0_everywhere_when_every_value_is_the_same():
    assert rescale({"a": 7, "b": 7}) == {"a": 0.0, "b": 0.0}


@relaxed
@given(st.dictionaries(keys, maybe, max_size=30), st.booleans())
def test_rescaled_scores_are_always_between_0_and_10(found, invert):
    for score in rescale(found, invert=invert).values():
        assert score is None or 0 <= score <= 10


@relaxed
@given(st.dictionaries(keys, values, min_size=2, max_size=30))
def test_inverting_turns_each_score_round(found):
    plain, inverted = rescale(found), rescale(found, invert=True)
    if len(set(found.values())) > 1:
        for key in found:
            assert plain[key] + inverted[key] == pytest.approx(10)


@relaxed
@given(st.dictionaries(keys, values, min_size=2, max_size=30))
def test_rescaling_keeps_the_order_of_the_areas(found):
    scored = rescale(found)
    for a in found:
        for b in found:
            if found[a] < found[b]:
                assert scored[a] <= scored[b]


@relaxed
@given(st.dictionaries(keys, values, min_size=2, max_size=20))
def test_rescaling_does_not_care_whether_a_column_is_percentages_or_proportions(found):
    as_proportions = {key: value / 100 for key, value in found.items()}
    for key, score in rescale(found).items():
        assert rescale(as_proportions)[key] == pytest.approx(score, abs=1e-6)


def test_a_component_is_the_mean_of_the_indicators_that_have_a_value():
    assert mean_of_present([2.0, None, 4.0]) == 3.0
    assert mean_of_present([None, None]) is None


def test_the_overall_score_is_the_weighted_mean_of_the_components():
    components = {"demography": 10.0, "broadband": 0.0, "deprivation": 4.0}
    assert overall_score(components, EQUAL) == pytest.approx(14 / 3)
    assert overall_score(components, {"demography": 2, "broadband": 0, "deprivation": 2}) == 7.0


def test_a_missing_component_is_left_out_and_the_others_weights_stand():
    components = {"demography": 8.0, "broadband": None, "deprivation": 2.0}
    assert overall_score(components, {"demography": 3, "broadband": 5, "deprivation": 1}) == (
        pytest.approx((3 * 8 + 2) / 4)
    )


def test_an_area_with_only_zero_weighted_components_has_no_overall_score():
    components = {"demography": None, "broadband": 5.0, "deprivation": None}
    assert overall_score(components, {"demography": 1, "broadband": 0, "deprivation": 1}) is None


@relaxed
@given(
    st.fixed_dictionaries({c: st.one_of(st.none(), st.floats(0, 10)) for c in COMPONENTS}), weights
)
def test_the_overall_score_is_always_between_0_and_10(components, chosen):
    score = overall_score(components, chosen)
    assert score is None or 0 <= score <= 10


@pytest.mark.parametrize(
    ("given_weights", "message"),
    [
        ({"demography": -1, "broadband": 1, "deprivation": 1}, "less than 0"),
        ({"demography": 0, "broadband": 0, "deprivation": 0}, "more than 0"),
        ({"demography": 101, "broadband": 1, "deprivation": 1}, "more than 100"),
        ({"demography": 1, "broadband": 1}, "every component"),
        ({"demography": "NaN", "broadband": 1, "deprivation": 1}, "number"),
    ],
)
def test_weights_are_refused_when_negative_all_zero_too_large_or_missing(given_weights, message):
    with pytest.raises(WeightsInvalid, match=message):
        weights_check(given_weights)


def test_weights_are_kept_as_decimals():
    assert weights_check({"demography": 1.5, "broadband": 0, "deprivation": 2}) == {
        "demography": Decimal("1.5"),
        "broadband": Decimal("0"),
        "deprivation": Decimal("2"),
    }


def test_classes_split_the_areas_into_fifths_by_rank_highest_risk_class_5():
    scores = {str(n): float(n) for n in range(10)}
    found = classes(scores)
    assert [found[str(n)] for n in range(10)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_equal_scores_share_a_class_and_a_rank_and_no_score_has_neither():
    scores = {"a": 9.0, "b": 9.0, "c": 1.0, "d": None}
    assert classes(scores) == {"a": 5, "b": 5, "c": 2, "d": None}
    assert ranks(scores) == {"a": 1, "b": 1, "c": 3, "d": None}


def _raw(area_values):
    return {code: dict.fromkeys((i.code for i in INDICATORS), value) for code, value in area_values}


def test_score_areas_puts_the_highest_risk_first_and_turns_download_speed_round():
    raw = _raw([("low", 1.0), ("high", 9.0)])
    raw["low"]["average_download"], raw["high"]["average_download"] = 100.0, 10.0

    scored = score_areas(raw, EQUAL)

    assert [s.code for s in scored] == ["high", "low"]
    assert scored[0].indicators["average_download"] == 10.0
    assert scored[0].overall == 10.0 and scored[1].overall == 0.0
    assert scored[0].rank == 1 and scored[0].risk_class == 5


def test_score_areas_says_which_indicators_an_area_was_missing():
    raw = _raw([("a", 1.0), ("b", 2.0)])
    del raw["a"]["imd_score"]

    scored = {s.code: s for s in score_areas(raw, EQUAL)}

    assert scored["a"].missing == ("imd_score",)
    assert scored["a"].components["deprivation"] == 0.0


def test_an_area_with_no_indicators_has_no_score_and_comes_last():
    raw = _raw([("a", 1.0), ("b", 2.0)]) | {"c": {}}

    scored = score_areas(raw, EQUAL)

    assert scored[-1].code == "c"
    assert scored[-1].overall is None and scored[-1].rank is None and scored[-1].risk_class is None


@relaxed
@given(
    st.dictionaries(
        st.sampled_from([f"E01{n:06d}" for n in range(12)]),
        st.fixed_dictionaries({}, optional={i.code: maybe for i in INDICATORS}),
        min_size=1,
    ),
    weights,
)
def test_every_score_is_always_between_0_and_10(raw, chosen):
    for scored in score_areas(raw, chosen):
        for value in [scored.overall, *scored.components.values(), *scored.indicators.values()]:
            assert value is None or 0 <= value <= 10


def test_changing_the_weights_changes_the_order():
    raw = _raw([("old", 0.0), ("slow", 0.0)])
    raw["old"] |= {"aged_65_plus": 40.0, "aged_75_plus": 20.0}
    raw["slow"] |= {"no_30mbps": 40.0, "under_10mbps": 20.0}

    by_age = score_areas(raw, {"demography": 5, "broadband": 1, "deprivation": 1})
    by_broadband = score_areas(raw, {"demography": 1, "broadband": 5, "deprivation": 1})

    assert by_age[0].code == "old"
    assert by_broadband[0].code == "slow"
