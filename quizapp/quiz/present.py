"""What the quiz pages show, computed from an attempt's frozen snapshots (never from the bank)."""

from __future__ import annotations

from typing import Any

from flask_babel import format_datetime

from ..attempts import option_token, time_is_up
from ..domain.dates import PartialDate, format_number
from ..domain.scoring import ordering_item_marks
from ..i18n import hijri_of
from ..models import Attempt, AttemptQuestion, utcnow


def _tr(text: dict | None, lang: str) -> str:
    return (text or {}).get(lang, "")


def question_view(attempt: Attempt, q: AttemptQuestion, lang: str) -> dict[str, Any]:
    """The question in a language, its options' tokens, and, once answered, its feedback."""
    snap = q.snapshot
    view: dict[str, Any] = {"type": snap["type"], "prompt": _tr(snap["prompt"], lang), "lang": lang}
    answered = q.response is not None
    show_key = answered and attempt.settings.get("feedback") == "immediate"
    if snap["type"] == "mcq":
        chosen = q.response.answer if answered else None
        view["options"] = [
            {
                "token": option_token(attempt, q.position, i),
                "text": _tr(o, lang),
                "chosen": chosen == i,
                "right": show_key and i == snap["answer"],
            }
            for i, o in enumerate(snap["options"])
        ]
    else:
        view["items"] = [
            {"token": option_token(attempt, q.position, i), "text": _tr(it, lang)}
            for i, it in enumerate(snap["items"])
        ]
        if answered:
            view["response_items"] = ordering_review(q, lang)
            if show_key:
                view["correct_items"] = [_tr(snap["items"][i], lang) for i in snap["answer"]]
    view["answered"] = answered
    view["show_key"] = show_key
    if answered:
        view["score"] = q.response.score  # type: ignore[union-attr]
    if show_key:
        view["explanation"] = _tr(snap.get("explanation"), lang)
        view["context"] = [
            {
                "title": _tr(c.get("title"), lang),
                "date": _tr(c.get("date_text"), lang),
                "evidence": c.get("evidence", ""),
                "evidence_lang": c.get("evidence_lang", ""),
                "hijri": hijri_of(c.get("date"), lang, attempt.quiz.bank.show_hijri),
            }
            for c in snap.get("context", [])
            if c.get("title")
        ]
    if attempt.deadline and not attempt.finished:
        left = (attempt.deadline - utcnow()).total_seconds()
        view["seconds_left"] = max(0, int(left))
        view["time_up"] = time_is_up(attempt)
    return view


def ordering_review(q: AttemptQuestion, lang: str) -> list[dict[str, Any]]:
    """The student's order, each item marked right or not by the attempt's grading method."""
    snap = q.snapshot
    if q.response is None or not q.response.answer:
        return []
    response = q.response.answer
    method = q.attempt.settings.get("ordering_method", "pairs")
    marks = ordering_item_marks(response, snap["answer"], method)
    return [{"text": _tr(snap["items"][m.item], lang), "right": m.right} for m in marks]


def mcq_answer_text(q: AttemptQuestion, lang: str) -> str:
    """The option the student chose, or an empty string."""
    if q.response is None or q.response.answer is None:
        return ""
    return _tr(q.snapshot["options"][q.response.answer], lang)


def results_view(attempt: Attempt, lang: str) -> dict[str, Any]:
    """Everything the results page shows."""
    show_key = attempt.settings.get("feedback") != "never"
    rows = []
    events: dict[str, dict[str, Any]] = {}
    for q in attempt.questions:
        snap = q.snapshot
        row: dict[str, Any] = {
            "number": q.position + 1,
            "type": snap["type"],
            "prompt": _tr(snap["prompt"], lang),
            "score": q.response.score if q.response else 0.0,
            "answered": q.response is not None,
        }
        if snap["type"] == "mcq":
            row["answer"] = mcq_answer_text(q, lang)
            row["right"] = _tr(snap["options"][snap["answer"]], lang)
        else:
            row["items"] = ordering_review(q, lang) if q.response else []
            row["right_items"] = [_tr(snap["items"][i], lang) for i in snap["answer"]]
        rows.append(row)
        for c in snap.get("context", []):
            if c.get("date") and c["id"] not in events:
                events[c["id"]] = {**c, "hijri": hijri_of(c["date"], lang, attempt.quiz.bank.show_hijri)}
    score = attempt.score or 0.0
    percent = 100.0 * score / attempt.max_score if attempt.max_score else 0.0
    return {
        "content_lang": lang,  # the questions' language, which may not be the page's
        "rows": rows,
        "show_key": show_key,
        "score": score,
        "percent": percent,
        "timeline": timeline(list(events.values()), lang),
    }


SAME_PLACE = 3  # SVG units: events this close share one label on the timeline
LABEL_GAP_MIN = 4  # SVG units of blank between two labels in one row


def timeline(events: list[dict[str, Any]], lang: str, width: int = 640) -> dict[str, Any] | None:
    """Events placed on a horizontal line by date, for an inline SVG; right to left in Arabic."""
    dated = []
    for c in events:
        try:
            d = PartialDate.parse(c["date"])
        except (KeyError, ValueError):
            continue
        dated.append((d, c))
    if len(dated) < 1:
        return None
    dated.sort(key=lambda pair: pair[0].sort_key())
    first = dated[0][0].start.toordinal()
    last = dated[-1][0].end.toordinal()
    span = max(1, last - first)
    margin = 48  # room for the first and last dates written at the ends
    points = []
    for i, (d, c) in enumerate(dated):
        mid = (d.start.toordinal() + d.end.toordinal()) / 2
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
    clusters: list[list[int]] = []
    for i, p in enumerate(points):
        if clusters and abs(p["x"] - points[clusters[-1][0]]["x"]) <= SAME_PLACE:
            clusters[-1].append(i)
        else:
            clusters.append([i])
    labels: list[dict[str, Any]] = []
    rows: list[list[tuple[float, float]]] = []  # per row, the (x, width) of its labels
    for members in clusters:
        first, last = points[members[0]], points[members[-1]]
        text = first["n"] if len(members) == 1 else f"{first['n']}–{last['n']}"
        x = round(sum(points[i]["x"] for i in members) / len(members), 1)
        w = label_width(text)
        row = next(
            (
                r
                for r, placed in enumerate(rows)
                if all(abs(x - px) >= (w + pw) / 2 + LABEL_GAP_MIN for px, pw in placed)
            ),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append((x, w))
        labels.append({"x": x, "row": row, "text": text, "width": w})
    return labels


def scores_chart(attempts: list[Attempt], lang: str, width: int = 640, height: int = 200) -> dict[str, Any]:
    """Scores (percent) over time as points of a line chart, oldest first; mirrored in Arabic."""
    points = []
    n = len(attempts)
    pad = 32
    for i, a in enumerate(attempts):
        pct = 100.0 * (a.score or 0.0) / a.max_score if a.max_score else 0.0
        x = pad + (width - 2 * pad) * (i / (n - 1) if n > 1 else 0.5)
        if lang == "ar":
            x = width - x
        y = height - pad - (height - 2 * pad) * pct / 100.0
        points.append(
            {
                "x": round(x, 1),
                "y": round(y, 1),
                "percent": format_number(round(pct), lang),
                "when": format_datetime(a.finished_at or a.started_at, "medium", rebase=False),
                "quiz": a.quiz.title(lang),
            }
        )
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "points": points,
        "path": " ".join(f"{p['x']},{p['y']}" for p in points),
    }
