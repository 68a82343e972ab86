"""Drawings several blueprints put on their pages, as data for an inline SVG: the timeline of a bank's
or a quiz's events (quiz results, a bank's page, explore), and a student's scores over time (their
quizzes page, a student's report)."""

from __future__ import annotations

import functools
from typing import Any

from flask_babel import format_date

from ..domain.dates import PartialDate, format_number, format_percent
from ..models import Attempt


def _tr(text: dict | None, lang: str) -> str:
    return (text or {}).get(lang, "")


SAME_PLACE = 3  # SVG units: events this close share one label on the timeline
LABEL_GAP_MIN = 4  # SVG units of blank between two labels in one row


def _in_time(a: tuple[int, int, int, Any], b: tuple[int, int, int, Any]) -> int:
    """Earlier first; two dates that overlap ("August 1940" and "20 August 1940") keep the order they
    were given in (a bank's narrative order, which its table follows), not month before day. Each
    is (given order, first day, last day, event), the days as ordinals, computed once an event."""
    i, a_start, a_end, _ = a
    j, b_start, b_end, _ = b
    if a_end < b_start:
        return -1
    if b_end < a_start:
        return 1
    return i - j


@functools.lru_cache(maxsize=4096)
def _days(iso: str | int) -> tuple[int, int]:
    """The first and last day (ordinals) of a partial ISO date, read once a process for each text: a
    bank's dates are few, and its pages draw them again and again. :raise ValueError: not a date."""
    d = PartialDate.parse(iso)
    return d.start.toordinal(), d.end.toordinal()


def timeline(events: list[dict[str, Any]], lang: str, width: int = 640) -> dict[str, Any] | None:
    """Events placed on a horizontal line by date, for an inline SVG; right to left in Arabic."""
    dated = []
    for c in events:
        try:
            start, end = _days(c["date"])
        except (KeyError, ValueError, TypeError):
            continue
        dated.append((len(dated), start, end, c))
    if len(dated) < 1:
        return None
    dated.sort(key=functools.cmp_to_key(_in_time))
    first = dated[0][1]
    last = dated[-1][2]
    span = max(1, last - first)
    margin = 48  # room for the first and last dates written at the ends
    points = []
    for i, (_, start, end, c) in enumerate(dated):
        mid = (start + end) / 2
        x = margin + (width - 2 * margin) * (mid - first) / span
        if lang == "ar":
            x = width - x  # time runs right to left, as the page reads
        points.append(
            {
                "x": round(x, 1),
                "label": _tr(c.get("title"), lang),
                "date": _tr(c.get("date_text"), lang),
                "n": format_number(i + 1, lang),
                "level": c.get("level", ""),
                "level_label": c.get("level_label", ""),
                "hijri": c.get("hijri", ""),
            }
        )
    labels = timeline_labels(points, lang)
    height = 54 + (max(lb["row"] for lb in labels) + 1) * 18
    return {
        "width": width,
        "height": height,
        "points": points,
        "labels": labels,
        "start": points[0],
        "end": points[-1],
    }


def label_width(text: str) -> float:
    """Roughly how wide a timeline number is, in SVG units (11px digits)."""
    return 7.0 * len(text) + 6.0


def timeline_labels(points: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """The numbers under the timeline: events at one place share a label ("11–16"); labels go in
    the first row where they touch no other."""
    xs = [p["x"] for p in points]
    clusters: list[list[int]] = []
    for i, x in enumerate(xs):
        if clusters and abs(x - xs[clusters[-1][0]]) <= SAME_PLACE:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    labels: list[dict[str, Any]] = []
    rows: list[list[tuple[float, float]]] = []  # per row, the (x, width) of its labels
    for members in clusters:
        first, last = points[members[0]], points[members[-1]]
        text = first["n"] if len(members) == 1 else f"{first['n']}–{last['n']}"
        x = round(sum([xs[i] for i in members]) / len(members), 1)
        w = label_width(text)
        row = len(rows)  # a new row, unless one has room (plain loops: a page draws this at each view)
        for r, placed in enumerate(rows):
            for px, pw in placed:
                if abs(x - px) < (w + pw) / 2 + LABEL_GAP_MIN:
                    break
            else:
                row = r
                break
        if row == len(rows):
            rows.append([])
        rows[row].append((x, w))
        labels.append({"x": x, "row": row, "text": text, "width": w})
    return labels


def scores_chart(attempts: list[Attempt], lang: str, width: int = 640, height: int = 220) -> dict[str, Any]:
    """Scores (percent) over time, oldest first and mirrored in Arabic: one line for teachers'
    quizzes and one for practice, kept apart; each point names its quiz and date (its <title>),
    and the first and last dates stand under the axis."""
    n = len(attempts)
    pad, foot = 60, 36
    series: dict[str, list[dict[str, Any]]] = {"quiz": [], "practice": []}
    for i, a in enumerate(attempts):
        pct = 100.0 * (a.score or 0.0) / a.max_score if a.max_score else 0.0
        x = pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)
        if lang == "ar":
            x = width - x
        y = height - foot - (height - foot - 16) * pct / 100.0
        kind = "practice" if a.quiz.practice else "quiz"
        series[kind].append(
            {
                "kind": kind,
                "x": round(x, 1),
                "y": round(y, 1),
                "percent": format_percent(pct, lang),
                "when": format_date(a.finished_at or a.started_at, "medium", rebase=False),
                "quiz": a.quiz.title(lang),
            }
        )
    # oldest first: the x of time runs right to left in Arabic
    points = sorted(series["quiz"] + series["practice"], key=lambda p: p["x"], reverse=lang == "ar")
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "base": height - foot,
        "top": 16,
        "points": points,
        "first": points[0] if points else None,
        "last": points[-1] if len(points) > 1 else None,
        "lines": {k: " ".join(f"{p['x']},{p['y']}" for p in v) for k, v in series.items() if v},
        "series": {k: v for k, v in series.items() if v},
    }
