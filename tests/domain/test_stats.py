"""Item analysis checked against hand-worked numbers and textbook formulas, never against itself."""

from __future__ import annotations

import math
import random
import statistics
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.domain.stats import histogram, item_statistics, summary

# Four attempts on three slots (max marks 1, 1, 2), worked by hand:
#   attempt  s1 s2 s3  total
#   A        1  1  2   4
#   B        1  0  1   2
#   C        0  1  0   1
#   D        0  0  1   1
# Totals: mean 2, median 1.5; deviations 2, 0, -1, -1 give sums of powers 6, 6, 18.
#   sd = sqrt(6 / 3) = sqrt 2; m2 = 1.5, m3 = 1.5, m4 = 4.5; k2 = 4 * 1.5 / 3 = 2,
#   k3 = 16 * 1.5 / (3 * 2) = 4, skewness = 4 / 2^1.5 = sqrt 2,
#   k4 = 16 * (5 * 4.5 - 3 * 3 * 1.5^2) / (3 * 2 * 1) = 6, kurtosis = 6 / 2^2 = 1.5.
# Slot variances 1/3, 1/3, 2/3 sum to 4/3: cic = 100 * 3/2 * (1 - (4/3) / 2) = 50,
#   error ratio = 100 * sqrt(0.5), standard error = sqrt(0.5) * sqrt 2 = 1.
# Slot 1: x = 1 1 0 0, rest = 3 1 1 1; cov = 1/3, var x = 1/3, var rest = 1;
#   DI = 100 * (1/3) / sqrt(1/3) = 100 / sqrt 3; sorted x 0 0 1 1 against sorted rest 1 1 1 3
#   gives covmax = 1/3, so DE = 100.
# Slot 2: x = 1 0 1 0, rest = 3 2 0 1; cov = 0, so DI = DE = 0 (covmax = 2/3).
# Slot 3: x = 2 1 0 1, rest = 2 1 1 0; cov = 1/3, both variances 2/3: DI = 50;
#   sorted 0 1 1 2 against sorted 0 1 1 2 gives covmax = 2/3, DE = 50.
HAND_MARKS = [[1, 1, 2], [1, 0, 1], [0, 1, 0], [0, 0, 1]]
HAND_MAX = [1, 1, 2]


def test_hand_worked_questions() -> None:
    questions = item_statistics(HAND_MARKS, HAND_MAX)["questions"]
    expected = [
        {"facility": 50, "mean": 0.5, "sd": math.sqrt(1 / 3), "di": 100 / math.sqrt(3), "de": 100},
        {"facility": 50, "mean": 0.5, "sd": math.sqrt(1 / 3), "di": 0, "de": 0},
        {"facility": 50, "mean": 1.0, "sd": math.sqrt(2 / 3), "di": 50, "de": 50},
    ]
    assert len(questions) == 3
    for got, want, max_mark in zip(questions, expected, HAND_MAX, strict=True):
        assert got["max_mark"] == max_mark
        assert got["facility"] == pytest.approx(want["facility"])
        assert got["mean"] == pytest.approx(want["mean"])
        assert got["sd"] == pytest.approx(want["sd"])
        assert got["discrimination_index"] == pytest.approx(want["di"], abs=1e-9)
        assert got["discriminative_efficiency"] == pytest.approx(want["de"], abs=1e-9)


def test_hand_worked_test() -> None:
    test = item_statistics(HAND_MARKS, HAND_MAX)["test"]
    assert test["n"] == 4
    assert test["mean"] == pytest.approx(2)
    assert test["median"] == pytest.approx(1.5)
    assert test["sd"] == pytest.approx(math.sqrt(2))
    assert test["skewness"] == pytest.approx(math.sqrt(2))
    assert test["kurtosis"] == pytest.approx(1.5)
    assert test["cic"] == pytest.approx(50)
    assert test["error_ratio"] == pytest.approx(100 * math.sqrt(0.5))
    assert test["standard_error"] == pytest.approx(1)


# Five attempts, slot 2 answered right by everyone, slot 3 in half marks; worked by hand:
#   s1: 1 1 1 0 0      s2: 1 1 1 1 1      s3: 1 .5 0 .5 0
#   totals: 3, 2.5, 2, 1.5, 1 -> mean 2, median 2, deviations 1 .5 0 -.5 -1, sum of squares 2.5,
#   sd = sqrt(2.5 / 4); the deviations are symmetric, so skewness = 0.
#   m2 = 0.5, m4 = (1 + 1/16 + 1/16 + 1) / 5 = 0.425; k2 = 5 * 0.5 / 4 = 0.625;
#   k4 = 25 * (6 * 0.425 - 3 * 4 * 0.25) / (4 * 3 * 2) = 25 * (-0.45) / 24 = -0.46875;
#   kurtosis = -0.46875 / 0.625^2 = -1.2.
# Slot 1: var = 0.3; rest = s2 + s3 = 2 1.5 1 1.5 1, mean 1.4, var = 0.175;
#   cov = (0.4*0.6 + 0.4*0.1 + 0.4*-0.4 - 0.6*0.1 - 0.6*-0.4) / 4 = 0.3 / 4 = 0.075;
#   DI = 100 * 0.075 / sqrt(0.3 * 0.175); sorted x 0 0 1 1 1 with sorted rest 1 1 1.5 1.5 2:
#   covmax = (-0.6*-0.4 * 2 + 0.4*0.1 * 2 + 0.4*0.6) / 4 = 0.8 / 4 = 0.2, DE = 37.5.
# Slot 2: facility 100, sd 0, no DI or DE.
# Slot 3: mean 0.4, var = (0.36 + 0.01 + 0.16 + 0.01 + 0.16) / 4 = 0.175; sum of slot variances
#   0.3 + 0 + 0.175 = 0.475; cic = 100 * 3/2 * (1 - 0.475 / 0.625) = 36.
FIVE_MARKS = [[1, 1, 1], [1, 1, 0.5], [1, 1, 0], [0, 1, 0.5], [0, 1, 0]]
FIVE_MAX = [1, 1, 1]


def test_hand_worked_with_a_slot_everyone_got_right() -> None:
    result = item_statistics(FIVE_MARKS, FIVE_MAX)
    s1, s2, s3 = result["questions"]
    assert s1["facility"] == pytest.approx(60)
    assert s1["sd"] == pytest.approx(math.sqrt(0.3))
    assert s1["discrimination_index"] == pytest.approx(7.5 / math.sqrt(0.3 * 0.175))
    assert s1["discriminative_efficiency"] == pytest.approx(37.5)
    assert s2["facility"] == pytest.approx(100)
    assert s2["sd"] == 0
    assert s2["discrimination_index"] is None
    assert s2["discriminative_efficiency"] is None
    assert s3["facility"] == pytest.approx(40)
    assert s3["sd"] == pytest.approx(math.sqrt(0.175))
    test = result["test"]
    assert test["mean"] == pytest.approx(2)
    assert test["median"] == pytest.approx(2)
    assert test["sd"] == pytest.approx(math.sqrt(2.5 / 4))
    assert test["skewness"] == pytest.approx(0, abs=1e-12)
    assert test["kurtosis"] == pytest.approx(-1.2)
    assert test["cic"] == pytest.approx(36)
    assert test["error_ratio"] == pytest.approx(80)
    assert test["standard_error"] == pytest.approx(0.8 * math.sqrt(2.5 / 4))


def test_one_attempt_leaves_spread_empty() -> None:
    result = item_statistics([[1, 0.5]], [1, 1])
    q1, q2 = result["questions"]
    assert q1["facility"] == pytest.approx(100)
    assert q2["facility"] == pytest.approx(50)
    for q in (q1, q2):
        assert q["sd"] is None
        assert q["discrimination_index"] is None
        assert q["discriminative_efficiency"] is None
    test = result["test"]
    assert test["n"] == 1
    assert test["mean"] == pytest.approx(1.5)
    assert test["median"] == pytest.approx(1.5)
    for key in ("sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error"):
        assert test[key] is None, key


def test_two_and_three_attempts_follow_moodle_thresholds() -> None:
    two = item_statistics([[1, 0], [0, 1]], [1, 1])["test"]
    assert two["sd"] == pytest.approx(0)  # totals 1 and 1
    assert two["skewness"] is None
    assert two["cic"] is None
    two_spread = item_statistics([[1, 1], [0, 0]], [1, 1])["test"]
    assert two_spread["sd"] == pytest.approx(math.sqrt(2))
    # Moodle computes skewness and the CIC only from three attempts on, kurtosis from four.
    assert two_spread["skewness"] is None
    assert two_spread["cic"] is None
    three = item_statistics([[1, 1], [0, 0], [1, 0]], [1, 1])["test"]
    assert three["skewness"] is not None
    assert three["cic"] is not None
    assert three["kurtosis"] is None


def test_equal_totals_leave_shape_and_reliability_empty() -> None:
    result = item_statistics([[1, 0], [0, 1], [1, 0], [0, 1]], [1, 1])
    test = result["test"]
    assert test["sd"] == 0
    for key in ("skewness", "kurtosis", "cic", "error_ratio", "standard_error"):
        assert test[key] is None, key
    # Each slot's rest is the other slot, perfectly anti-correlated with it.
    for q in result["questions"]:
        assert q["discrimination_index"] == pytest.approx(-100)


def test_single_slot_has_no_rest_and_no_cic() -> None:
    result = item_statistics([[1], [0], [0.5], [1]], [1])
    (q,) = result["questions"]
    assert q["discrimination_index"] is None
    assert q["discriminative_efficiency"] is None
    assert result["test"]["cic"] is None
    assert result["test"]["skewness"] is not None


def test_no_attempts() -> None:
    result = item_statistics([], [1, 2])
    assert [q["facility"] for q in result["questions"]] == [None, None]
    assert result["test"]["n"] == 0
    assert result["test"]["mean"] is None


def test_zero_max_mark_has_no_facility() -> None:
    (q,) = item_statistics([[0], [0]], [0])["questions"]
    assert q["facility"] is None
    assert q["sd"] == 0


def test_ragged_attempt_is_rejected() -> None:
    with pytest.raises(ValueError, match="attempt 2"):
        item_statistics([[1, 0], [1]], [1, 1])


# Marks in quarters keep sums and scaled values exact in binary, so a scaled or reordered data set
# has exactly the same constant columns as the original.
@st.composite
def quiz_marks(draw: st.DrawFn, min_attempts: int = 1) -> tuple[list[list[float]], list[float]]:
    slots = draw(st.integers(1, 5))
    max_marks = [float(m) for m in draw(st.lists(st.integers(1, 4), min_size=slots, max_size=slots))]
    attempts = draw(st.integers(min_attempts, 8))
    marks = [[draw(st.integers(0, int(4 * m))) / 4 for m in max_marks] for _ in range(attempts)]
    return marks, max_marks


def _close(a: Any, b: Any, rel: float = 1e-9, abs_: float = 1e-9) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


PERCENT_KEYS = ("facility", "discrimination_index", "discriminative_efficiency")
TEST_RATIO_KEYS = ("skewness", "kurtosis", "cic", "error_ratio")


@settings(max_examples=150, deadline=None)
@given(data=quiz_marks(), order=st.randoms(use_true_random=False))
def test_reordering_attempts_changes_nothing(
    data: tuple[list[list[float]], list[float]], order: random.Random
) -> None:
    marks, max_marks = data
    shuffled = list(marks)
    order.shuffle(shuffled)
    before, after = item_statistics(marks, max_marks), item_statistics(shuffled, max_marks)
    for q1, q2 in zip(before["questions"], after["questions"], strict=True):
        assert q1.keys() == q2.keys()
        assert all(_close(q1[k], q2[k]) for k in q1), (q1, q2)
    assert all(_close(before["test"][k], after["test"][k]) for k in before["test"])


@settings(max_examples=150, deadline=None)
@given(data=quiz_marks())
def test_percentages_stay_in_range(data: tuple[list[list[float]], list[float]]) -> None:
    result = item_statistics(*data)
    for q in result["questions"]:
        assert 0 <= q["facility"] <= 100
        if q["discrimination_index"] is not None:
            assert -100 <= q["discrimination_index"] <= 100
        if q["discriminative_efficiency"] is not None:
            assert q["discriminative_efficiency"] <= 100
    test = result["test"]
    if test["cic"] is not None:
        assert test["cic"] <= 100 + 1e-9
        assert test["error_ratio"] >= 0


@settings(max_examples=150, deadline=None)
@given(data=quiz_marks(), factor=st.sampled_from([0.5, 2.0, 3.0, 10.0]))
def test_scaling_marks_keeps_percentages(data: tuple[list[list[float]], list[float]], factor: float) -> None:
    marks, max_marks = data
    base = item_statistics(marks, max_marks)
    scaled = item_statistics([[m * factor for m in a] for a in marks], [m * factor for m in max_marks])
    for q1, q2 in zip(base["questions"], scaled["questions"], strict=True):
        for key in PERCENT_KEYS:
            assert _close(q1[key], q2[key], abs_=1e-7), key
        assert _close(None if q1["sd"] is None else q1["sd"] * factor, q2["sd"])
    for key in TEST_RATIO_KEYS:
        assert _close(base["test"][key], scaled["test"][key], abs_=1e-7), key
    for key in ("mean", "median", "sd", "standard_error"):
        value = base["test"][key]
        assert _close(None if value is None else value * factor, scaled["test"][key]), key


@settings(max_examples=150, deadline=None)
@given(data=quiz_marks(min_attempts=4))
def test_agrees_with_textbook_formulas(data: tuple[list[list[float]], list[float]]) -> None:
    """Cross-check against the statistics module and the textbook forms of each statistic."""
    marks, max_marks = data
    result = item_statistics(marks, max_marks)
    n, p = len(marks), len(max_marks)
    totals = [sum(a) for a in marks]
    columns = [[a[i] for a in marks] for i in range(p)]
    for i, (column, q) in enumerate(zip(columns, result["questions"], strict=True)):
        assert q["facility"] == pytest.approx(100 * statistics.fmean(column) / max_marks[i])
        assert q["sd"] == pytest.approx(statistics.stdev(column))
        rest = [t - x for t, x in zip(totals, column, strict=True)]
        if len(set(column)) > 1 and len(set(rest)) > 1:
            r = statistics.correlation(column, rest)
            assert q["discrimination_index"] == pytest.approx(100 * r, abs=1e-7)
            best = statistics.covariance(sorted(column), sorted(rest))
            de = 100 * statistics.covariance(column, rest) / best
            assert q["discriminative_efficiency"] == pytest.approx(de, abs=1e-7)
        else:
            assert q["discrimination_index"] is None
            assert q["discriminative_efficiency"] is None
    test = result["test"]
    assert test["mean"] == pytest.approx(statistics.fmean(totals))
    assert test["median"] == pytest.approx(statistics.median(totals))
    assert test["sd"] == pytest.approx(statistics.stdev(totals))
    if len(set(totals)) == 1:
        assert test["skewness"] is None
        assert test["cic"] is None
        return
    # Adjusted Fisher-Pearson skewness G1 and sample excess kurtosis G2 (Excel's SKEW and KURT).
    mean = statistics.fmean(totals)
    m2 = sum((t - mean) ** 2 for t in totals) / n
    m3 = sum((t - mean) ** 3 for t in totals) / n
    m4 = sum((t - mean) ** 4 for t in totals) / n
    g1 = m3 / m2**1.5
    g2 = m4 / m2**2 - 3
    assert test["skewness"] == pytest.approx(math.sqrt(n * (n - 1)) / (n - 2) * g1, abs=1e-7)
    assert test["kurtosis"] == pytest.approx((n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6), abs=1e-7)
    if p == 1:
        assert test["cic"] is None
        return
    alpha = p / (p - 1) * (1 - sum(statistics.variance(c) for c in columns) / statistics.variance(totals))
    assert test["cic"] == pytest.approx(100 * alpha, abs=1e-7)
    assert test["error_ratio"] == pytest.approx(100 * math.sqrt(max(0.0, 1 - alpha)), abs=1e-6)
    assert test["standard_error"] == pytest.approx(
        math.sqrt(max(0.0, 1 - alpha)) * statistics.stdev(totals), abs=1e-6
    )


def test_summary() -> None:
    # 2, 4, 4, 5, 10: mean 5, median 4, squared deviations 9 1 1 0 25 = 36, sd = sqrt(36 / 4) = 3.
    assert summary([10, 4, 2, 5, 4]) == {
        "n": 5,
        "mean": pytest.approx(5),
        "median": 4,
        "sd": pytest.approx(3),
        "min": 2,
        "max": 10,
    }


def test_summary_of_one_and_none() -> None:
    one = summary([7.5])
    assert (one["n"], one["mean"], one["median"], one["sd"], one["min"], one["max"]) == (
        1,
        7.5,
        7.5,
        None,
        7.5,
        7.5,
    )
    assert summary([]) == {"n": 0, "mean": None, "median": None, "sd": None, "min": None, "max": None}


def test_histogram_edges() -> None:
    # Bins of 10 over 0..100: 0 and 9.99 in the first, 10 starts the second, 100 closes the last.
    scores = [0, 9.99, 10, 55, 90, 99.9, 100]
    assert histogram(scores) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 3]


def test_histogram_ignores_out_of_range_and_custom_bins() -> None:
    assert histogram([-1, 0, 1, 2, 3, 4, 5], bins=2, lo=0, hi=4) == [2, 3]


def test_histogram_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="bins"):
        histogram([1], bins=0)
    with pytest.raises(ValueError, match="lo"):
        histogram([1], lo=5, hi=5)


@given(st.lists(st.integers(0, 100)), st.sampled_from([1, 4, 5, 10, 20]))
def test_histogram_matches_naive_edges(scores: list[int], bins: int) -> None:
    width = 100 // bins
    expected = [
        sum(1 for s in scores if width * i <= s < width * (i + 1) or (i == bins - 1 and s == 100))
        for i in range(bins)
    ]
    assert histogram([float(s) for s in scores], bins=bins) == expected
    assert sum(expected) == len(scores)
