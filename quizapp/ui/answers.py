"""Answers in words, read from a question's frozen snapshot: what the student answered and what was
right, for every type of question. The quiz's results, the reports and their CSV, and the printed
key write them the same way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext as _

from ..domain.answers import parse_number
from ..domain.dates import DEFAULT_STYLE, DateStyle, localize_digits

#: The types after Moodle's (issue 17): the quiz page, its review and the reports treat them here.
NEW_TYPES = ("multi", "truefalse", "numerical", "shortanswer", "matching")
#: Types whose answers may earn part of the mark (the reports show their mean credit).
PARTIAL_TYPES = ("ordering", "multi", "numerical", "shortanswer", "matching")


def tr(text: Mapping[str, str] | None, lang: str) -> str:
    """A {ar, en} text in a language, the other one when that one is empty."""
    if not text:
        return ""
    other = "en" if lang == "ar" else "ar"
    return text.get(lang) or text.get(other) or ""


def _at(texts: Sequence[Any], i: Any, lang: str) -> str:
    ok = isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(texts)
    return tr(texts[i], lang) if ok else ""


def truth_word(value: bool) -> str:
    """ "True" or "False" in the interface's language."""
    return _("True") if value else _("False")


def number_text(value: Any, lang: str, style: DateStyle = DEFAULT_STYLE) -> str:
    """A typed or accepted number as written (no grouping: 1937 is a year), in the style's digits."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return localize_digits(str(value), lang, style)


def arrow(lang: str) -> str:
    """The arrow from a stem to its answer, pointing the way the language reads."""
    return "←" if lang == "ar" else "→"


def _pair(items: Sequence[Any], k: int, options: Sequence[Any], c: Any, lang: str) -> str:
    """ "stem → answer" ("—" for no answer)."""
    return f"{_at(items, k, lang)} {arrow(lang)} {_at(options, c, lang) or '—'}"


def _joined(parts: Sequence[str], lang: str) -> str:
    return ("، " if lang == "ar" else "; ").join(p for p in parts if p)


def accepted_numbers(snap: Mapping[str, Any], lang: str, style: DateStyle = DEFAULT_STYLE) -> list[dict]:
    """A numerical question's accepted answers: text ("1937", "1937 ± 1") and credit in percent."""
    out = []
    for a in snap.get("answers") or ():
        text = number_text(a.get("value"), lang, style)
        if a.get("tolerance"):
            text = f"{text} ± {number_text(a['tolerance'], lang, style)}"
        out.append({"text": text, "percent": round(100 * float(a.get("fraction", 1.0)))})
    return out


def accepted_texts(snap: Mapping[str, Any], lang: str) -> list[dict]:
    """A short-answer question's accepted answers in a language (both when they differ), with credit."""
    out = []
    for a in snap.get("answers") or ():
        t = a.get("text") or {}
        shown = tr(t, lang)
        other = t.get("en" if lang == "ar" else "ar") or ""
        if other and other != shown:
            shown = f"{shown} / {other}"
        out.append({"text": shown, "percent": round(100 * float(a.get("fraction", 1.0)))})
    return out


def answer_text(snap: Mapping[str, Any], answer: Any, lang: str, style: DateStyle = DEFAULT_STYLE) -> str:
    """The student's answer in words ("" for none)."""
    if answer is None:
        return ""
    qtype = snap.get("type")
    if qtype == "mcq":
        return _at(snap.get("options") or [], answer, lang)
    if qtype == "ordering":
        return " | ".join(_at(snap.get("items") or [], i, lang) for i in answer or ())
    if qtype == "multi":
        return _joined([_at(snap.get("options") or [], i, lang) for i in answer or ()], lang)
    if qtype == "truefalse":
        return truth_word(bool(answer)) if isinstance(answer, bool) else ""
    if qtype == "numerical":
        value = answer if isinstance(answer, int | float) else parse_number(str(answer))
        return number_text(value, lang, style) if value is not None else str(answer)
    if qtype == "shortanswer":
        return str(answer)
    if qtype == "matching":
        items, options = snap.get("items") or [], snap.get("options") or []
        return _joined([_pair(items, k, options, c, lang) for k, c in enumerate(answer or ())], lang)
    return ""


def right_text(snap: Mapping[str, Any], lang: str, style: DateStyle = DEFAULT_STYLE) -> str:
    """The right answer in words: every option with credit, the truth, the first fully right value
    or text, or each stem with its answer."""
    qtype = snap.get("type")
    answer = snap.get("answer")
    if qtype == "mcq":
        return _at(snap.get("options") or [], answer, lang)
    if qtype == "ordering":
        return " | ".join(_at(snap.get("items") or [], i, lang) for i in answer or ())
    if qtype == "multi":
        return _joined([_at(snap.get("options") or [], i, lang) for i in answer or ()], lang)
    if qtype == "truefalse":
        return truth_word(bool(answer))
    if qtype == "numerical":
        full = [a for a in accepted_numbers(snap, lang, style) if a["percent"] >= 100]
        return full[0]["text"] if full else number_text(answer, lang, style)
    if qtype == "shortanswer":
        return tr(answer, lang) if isinstance(answer, Mapping) else str(answer or "")
    if qtype == "matching":
        items, options = snap.get("items") or [], snap.get("options") or []
        return _joined([_pair(items, k, options, c, lang) for k, c in enumerate(answer or ())], lang)
    return ""


def response_choices(snap: Mapping[str, Any], answer: Any, score: float, lang: str,
                     style: DateStyle = DEFAULT_STYLE) -> list[tuple[str, bool]]:  # fmt: skip
    """What one response counts for in a question's table of answers given: (text, right) pairs.

    multi: each option chosen (right when it carries credit); matching: each stem's choice
    ("stem → choice", right when it is the stem's answer); others: the answer in words, right when
    it earned the full mark.
    """
    qtype = snap.get("type")
    if qtype == "multi":
        options, fractions = snap.get("options") or [], snap.get("fractions") or []
        return [
            (_at(options, i, lang), isinstance(i, int) and 0 <= i < len(fractions) and fractions[i] > 0)
            for i in answer or ()
        ]
    if qtype == "matching":
        items, options, key = snap.get("items") or [], snap.get("options") or [], snap.get("answer") or []
        return [
            (_pair(items, k, options, c, lang), k < len(key) and c == key[k])
            for k, c in enumerate(answer or ())
        ]
    text = answer_text(snap, answer, lang, style)
    if qtype == "shortanswer":
        text = text.strip()
    return [(text, score >= 1.0)]
