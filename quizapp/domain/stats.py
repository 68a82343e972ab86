"""Score statistics for the reports: Moodle's item analysis, and small summaries for quiz pages.

`item_statistics` follows Moodle's quiz statistics report (question/classes/statistics/questions/
calculator.php and mod/quiz/report/statistics/classes/calculator.php, described on the Moodle page
"Quiz statistics calculations"), so a teacher who knows Moodle's numbers reads ours the same way.
Every variance divides by n - 1, as Moodle's do. Where Moodle shows an empty cell (too few
attempts, a variance of zero, a division by zero) the value here is None.

Sums go through math.fsum, so the result does not depend on the order of the attempts, and a
variance is taken as zero exactly when all values are equal rather than by comparing a float with
0: floating-point noise must not turn an empty cell into a huge or meaningless number.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _constant(values: Sequence[float]) -> bool:
    return min(values) == max(values)


def _clamp(value: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, value))


def _slot_statistics(marks: Sequence[float], rest: Sequence[float], max_mark: float) -> dict[str, Any]:
    """Moodle's statistics of one slot, given its marks and each attempt's mark on the other slots.

    With n attempts, x the marks on this slot and y the rest of each attempt's total (total - x):

    - facility = 100 * mean(x) / max_mark;
    - sd = sqrt(sum((x - mean x)^2) / (n - 1)), in marks (Moodle's table divides it by max_mark);
    - discrimination index = 100 * cov(x, y) / sqrt(var(x) * var(y)), the correlation of the slot
      with the rest of the test;
    - discriminative efficiency = 100 * cov(x, y) / covmax, where covmax pairs the sorted x with
      the sorted y: sum((x_(i) - mean x)(y_(i) - mean y)) / (n - 1), the largest covariance these
      two distributions of marks allow.
    """
    n = len(marks)
    result: dict[str, Any] = {
        "max_mark": max_mark,
        "mean": None,
        "facility": None,
        "sd": None,
        "discrimination_index": None,
        "discriminative_efficiency": None,
    }
    if n == 0:
        return result
    mean_x = _mean(marks)
    result["mean"] = mean_x
    if max_mark != 0:
        result["facility"] = 100 * mean_x / max_mark
    if n < 2:
        return result
    mean_y = _mean(rest)
    dx = [x - mean_x for x in marks]
    dy = [y - mean_y for y in rest]
    var_x = math.fsum(d * d for d in dx) / (n - 1)
    result["sd"] = math.sqrt(var_x)
    # Moodle leaves both cells empty when var(x) * var(y) or covmax is zero; by Chebyshev's sum
    # inequality covmax is zero exactly when x or y is constant, the same condition.
    if _constant(marks) or _constant(rest):
        return result
    var_y = math.fsum(d * d for d in dy) / (n - 1)
    cov = math.fsum(a * b for a, b in zip(dx, dy, strict=True)) / (n - 1)
    cov_max = math.fsum(
        (x - mean_x) * (y - mean_y) for x, y in zip(sorted(marks), sorted(rest), strict=True)
    ) / (n - 1)
    # A correlation is within [-100, 100]; the clamp only removes rounding past the bounds.
    result["discrimination_index"] = _clamp(100 * cov / math.sqrt(var_x * var_y), -100.0, 100.0)
    # covmax is the largest covariance any pairing allows, so the efficiency is at most 100; it has
    # no lower bound of -100 (a skewed slot can anti-correlate more than it can correlate).
    result["discriminative_efficiency"] = min(100.0, 100 * cov / cov_max)
    return result


def _test_statistics(totals: Sequence[float], slots: int, sum_of_mark_variance: float) -> dict[str, Any]:
    """Moodle's statistics of the attempt totals, with p slots and the sum of the slots' variances.

    With n attempts, d = total - mean and m_k = sum(d^k) / n:

    - sd = sqrt(sum(d^2) / (n - 1)), when n > 1;
    - k2 = n m2 / (n - 1), k3 = n^2 m3 / ((n - 1)(n - 2)),
      k4 = n^2 ((n + 1) m4 - 3 (n - 1) m2^2) / ((n - 1)(n - 2)(n - 3));
    - skewness = k3 / k2^(3/2), when n > 2 and k2 != 0;
    - kurtosis = k4 / k2^2 (excess kurtosis), when n > 3 and k2 != 0;
    - cic = 100 * p / (p - 1) * (1 - sum of slot variances / k2) (Cronbach's alpha as a
      percentage), when n > 2, k2 != 0 and p > 1;
    - error_ratio = 100 * sqrt(1 - cic / 100), standard_error = error_ratio / 100 * sd.
    """
    n = len(totals)
    mean = _mean(totals) if n else 0.0
    d = [t - mean for t in totals]
    return statistics_from_moments(
        n=n,
        mean=mean,
        median=statistics.median(totals) if n else None,
        central_sums=[math.fsum(x**k for x in d) for k in (2, 3, 4)],
        constant=_constant(totals) if n else True,
        slots=slots,
        sum_of_mark_variance=sum_of_mark_variance,
    )


def statistics_from_moments(
    *,
    n: int,
    mean: float,
    median: float | None,
    central_sums: Sequence[float],
    constant: bool,
    slots: int,
    sum_of_mark_variance: float,
) -> dict[str, Any]:
    """The test's statistics from n, mean, median and the sums of d^2, d^3, d^4 (d = total - mean).

    The formulas are _test_statistics's; the reports compute the same sums from SQL counts.
    """
    result: dict[str, Any] = {
        "n": n,
        "mean": None,
        "median": None,
        "sd": None,
        "skewness": None,
        "kurtosis": None,
        "cic": None,
        "error_ratio": None,
        "standard_error": None,
    }
    if n == 0:
        return result
    result["mean"] = mean
    result["median"] = median
    if n < 2:
        return result
    power2, power3, power4 = central_sums
    sd = math.sqrt(power2 / (n - 1))
    result["sd"] = sd
    # Moodle computes skewness, kurtosis and the CIC only from three attempts on.
    if n < 3 or constant:
        return result
    m2 = power2 / n
    m3 = power3 / n
    m4 = power4 / n
    k2 = n * m2 / (n - 1)
    k3 = n * n * m3 / ((n - 1) * (n - 2))
    result["skewness"] = k3 / k2**1.5
    if n > 3:
        k4 = n * n * ((n + 1) * m4 - 3 * (n - 1) * m2 * m2) / ((n - 1) * (n - 2) * (n - 3))
        result["kurtosis"] = k4 / (k2 * k2)
    if slots > 1:
        cic = 100 * slots / (slots - 1) * (1 - sum_of_mark_variance / k2)
        result["cic"] = cic
        # var(total) <= p * sum of slot variances, so 1 - cic/100 >= 0 but for rounding.
        error_ratio = 100 * math.sqrt(max(0.0, 1 - cic / 100))
        result["error_ratio"] = error_ratio
        result["standard_error"] = error_ratio / 100 * sd
    return result


def item_statistics(marks: list[list[float]], max_marks: list[float]) -> dict[str, Any]:
    """Moodle's item analysis of a quiz: per-slot statistics in slot order, and the test's.

    `marks` holds one list per attempt with the mark of each slot; `max_marks` the maximum mark of
    each slot. Returns {"questions": [...], "test": {...}}; each question dict has max_mark, mean
    (in marks), facility (%), sd (in marks), discrimination_index (%) and
    discriminative_efficiency (%); the test dict has n, mean, median, sd, standard_error (in marks),
    skewness, kurtosis, cic (%) and error_ratio (%). Raises ValueError when an attempt has not one
    mark per slot.
    """
    slots = len(max_marks)
    for number, attempt in enumerate(marks, start=1):
        if len(attempt) != slots:
            raise ValueError(f"attempt {number} has {len(attempt)} marks for {slots} slots")
    totals = [math.fsum(attempt) for attempt in marks]
    questions = []
    for slot, max_mark in enumerate(max_marks):
        column = [attempt[slot] for attempt in marks]
        # The rest is summed from the other slots, not total - mark, so that equal rests stay
        # exactly equal and a constant rest is seen as constant.
        rest = [math.fsum(m for i, m in enumerate(attempt) if i != slot) for attempt in marks]
        questions.append(_slot_statistics(column, rest, max_mark))
    sum_of_mark_variance = math.fsum(q["sd"] ** 2 for q in questions if q["sd"] is not None)
    return {"questions": questions, "test": _test_statistics(totals, slots, sum_of_mark_variance)}


def summary(scores: list[float]) -> dict[str, Any]:
    """Count, mean, median, sample standard deviation (n - 1), minimum and maximum of scores."""
    n = len(scores)
    if n == 0:
        return {"n": 0, "mean": None, "median": None, "sd": None, "min": None, "max": None}
    mean = _mean(scores)
    sd = math.sqrt(math.fsum((s - mean) ** 2 for s in scores) / (n - 1)) if n > 1 else None
    return {
        "n": n,
        "mean": mean,
        "median": statistics.median(scores),
        "sd": sd,
        "min": min(scores),
        "max": max(scores),
    }


def histogram(scores: list[float], bins: int = 10, lo: float = 0.0, hi: float = 100.0) -> list[int]:
    """Counts of scores in `bins` equal bins over [lo, hi]; each bin is [a, b), the last [a, b].

    Scores outside [lo, hi] are not counted. Raises ValueError unless bins >= 1 and lo < hi.
    """
    if bins < 1:
        raise ValueError("bins must be at least 1")
    if not lo < hi:
        raise ValueError("lo must be less than hi")
    counts = [0] * bins
    for score in scores:
        if not lo <= score <= hi:
            continue
        # Multiplying before dividing keeps whole-number edges exact (30 * 10 / 100 == 3).
        index = math.floor((score - lo) * bins / (hi - lo))
        counts[min(index, bins - 1)] += 1
    return counts
