"""Moodle's item analysis from grouped counts, so that the database does the counting.

quizapp.domain.stats computes the statistics from one list of marks per attempt. A report on a
large quiz would have to load every response for that; instead the report queries GROUP BY
(slot, mark, attempt total) and COUNT(*), and the functions here give the same numbers from those
counts: every statistic there is a sum over attempts, and a sum over attempts is a sum over distinct
values times their counts. Discriminative efficiency pairs the sorted marks with the sorted rests;
sorted runs of equal values pair up run by run, so that too needs only the counts.

Pure Python (no Flask, no SQLAlchemy), like the domain; tests/web/test_reports.py checks every
number against quizapp.domain.stats on the same data.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from ..domain.stats import histogram, statistics_from_moments

#: Attempt totals minus a mark are rounded to this many decimals, so that floating-point noise
#: (2.3333333 - 0.3333333 = 2.0000000000000004) does not make a constant rest look variable.
REST_DECIMALS = 12

Counts = Mapping[float, int]


def _n(counts: Counts) -> int:
    return sum(counts.values())


def _mean(counts: Counts) -> float:
    return math.fsum(v * c for v, c in counts.items()) / _n(counts)


def _moment(counts: Counts, mean: float, power: int) -> float:
    return math.fsum(c * (v - mean) ** power for v, c in counts.items())


def _constant(counts: Counts) -> bool:
    return sum(1 for c in counts.values() if c) <= 1


def _median(counts: Counts) -> float:
    """The median as statistics.median gives it: the middle value, or the mean of the two middle."""
    n = _n(counts)
    wanted = {(n - 1) // 2, n // 2}
    found: dict[int, float] = {}
    seen = 0
    for value in sorted(counts):
        count = counts[value]
        for rank in wanted:
            if seen <= rank < seen + count:
                found[rank] = value
        seen += count
    low, high = found[(n - 1) // 2], found[n // 2]
    return low if low == high else (low + high) / 2


def summary(counts: Counts) -> dict[str, Any]:
    """quizapp.domain.stats.summary of the scores that `counts` (value -> how many) describes."""
    n = _n(counts)
    if n == 0:
        return {"n": 0, "mean": None, "median": None, "sd": None, "min": None, "max": None}
    mean = _mean(counts)
    present = [v for v, c in counts.items() if c]
    return {
        "n": n,
        "mean": mean,
        "median": _median(counts),
        "sd": math.sqrt(_moment(counts, mean, 2) / (n - 1)) if n > 1 else None,
        "min": min(present),
        "max": max(present),
    }


def weighted_histogram(counts: Counts, bins: int = 10, lo: float = 0.0, hi: float = 100.0) -> list[int]:
    """quizapp.domain.stats.histogram of the scores that `counts` describes (the same bin edges)."""
    total = [0] * bins
    for value, count in counts.items():
        for i, hit in enumerate(histogram([value], bins, lo, hi)):
            total[i] += hit * count
    return total


def _covmax(xs: Counts, ys: Counts, mean_x: float, mean_y: float) -> float:
    """sum((x_(i) - mean x)(y_(i) - mean y)) over the sorted x paired with the sorted y."""
    x_runs = sorted((v, c) for v, c in xs.items() if c)
    y_runs = sorted((v, c) for v, c in ys.items() if c)
    x_end, y_end = len(x_runs), len(y_runs)
    i = j = 0
    x, left_x = x_runs[0]
    y, left_y = y_runs[0]
    parts = []
    while True:  # until either side runs out (both do at once: each sums to the attempts)
        k = min(left_x, left_y)
        parts.append(k * (x - mean_x) * (y - mean_y))
        left_x -= k
        left_y -= k
        if left_x == 0:
            i += 1
            if i == x_end:
                break
            x, left_x = x_runs[i]
        if left_y == 0:
            j += 1
            if j == y_end:
                break
            y, left_y = y_runs[j]
    return math.fsum(parts)


def slot_statistics(pairs: Mapping[tuple[float, float], int], max_mark: float) -> dict[str, Any]:
    """One slot's (or question's) statistics from counts of (mark, rest of the attempt's total).

    The same keys and values as each entry of quizapp.domain.stats.item_statistics()["questions"],
    plus `n`, the number of attempts counted. (A report computes this for each of its questions:
    the counts per mark and per rest are plain dicts, each sum an exact math.fsum, so the figures
    are those of the Counters and helpers above, in a fraction of their time.)
    """
    xs: dict[float, int] = {}
    ys: dict[float, int] = {}
    n = 0
    for (x, y), c in pairs.items():
        n += c
        xs[x] = xs.get(x, 0) + c
        ys[y] = ys.get(y, 0) + c
    result: dict[str, Any] = {
        "n": n,
        "max_mark": max_mark,
        "mean": None,
        "facility": None,
        "sd": None,
        "discrimination_index": None,
        "discriminative_efficiency": None,
    }
    if n == 0:
        return result
    mean_x = math.fsum([v * c for v, c in xs.items()]) / n
    result["mean"] = mean_x
    if max_mark != 0:
        result["facility"] = 100 * mean_x / max_mark
    if n < 2:
        return result
    var_x = math.fsum([c * (v - mean_x) ** 2 for v, c in xs.items()]) / (n - 1)
    result["sd"] = math.sqrt(var_x)
    if _constant(xs) or _constant(ys):
        return result
    mean_y = math.fsum([v * c for v, c in ys.items()]) / n
    var_y = math.fsum([c * (v - mean_y) ** 2 for v, c in ys.items()]) / (n - 1)
    cov = math.fsum([c * (x - mean_x) * (y - mean_y) for (x, y), c in pairs.items()]) / (n - 1)
    cov_max = _covmax(xs, ys, mean_x, mean_y) / (n - 1)
    result["discrimination_index"] = max(-100.0, min(100.0, 100 * cov / math.sqrt(var_x * var_y)))
    result["discriminative_efficiency"] = min(100.0, 100 * cov / cov_max)
    return result


def quiz_statistics(totals: Counts, slots: int, sum_of_mark_variance: float) -> dict[str, Any]:
    """The test's statistics from counts of attempt totals: quizapp.domain.stats's "test" dict."""
    n = _n(totals)
    mean = _mean(totals) if n else 0.0
    return statistics_from_moments(
        n=n,
        mean=mean,
        median=_median(totals) if n else None,
        central_sums=[_moment(totals, mean, k) for k in (2, 3, 4)],
        constant=_constant(totals) if n else True,
        slots=slots,
        sum_of_mark_variance=sum_of_mark_variance,
    )


def rest(total: float, mark: float) -> float:
    """The rest of an attempt's total once a mark is taken out, rounded past floating-point noise."""
    return round(total - mark, REST_DECIMALS)


def item_statistics(rows: Iterable[tuple[int, float, float, int]], max_marks: list[float]) -> dict[str, Any]:
    """quizapp.domain.stats.item_statistics from rows (slot, mark, attempt total, count).

    Slots are 0 .. len(max_marks) - 1; every counted attempt must have a mark on every slot (the
    caller counts only attempts with all their questions). The totals are read from slot 0's rows.
    """
    per_slot: list[dict[tuple[float, float], int]] = [{} for _ in max_marks]
    totals: Counter[float] = Counter()
    for slot, mark, total, count in rows:
        pairs = per_slot[slot]
        pair = (mark, round(total - mark, REST_DECIMALS))  # rest(total, mark)
        pairs[pair] = pairs.get(pair, 0) + count
        if slot == 0:
            totals[total] += count
    questions = [slot_statistics(pairs, m) for pairs, m in zip(per_slot, max_marks, strict=True)]
    sum_of_mark_variance = math.fsum(q["sd"] ** 2 for q in questions if q["sd"] is not None)
    return {"questions": questions, "test": quiz_statistics(totals, len(max_marks), sum_of_mark_variance)}
