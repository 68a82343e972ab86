"""From raw expressions to dated items: Hijri dates merged, ranges joined, context resolved.

The "context" is the date the text is talking about: the last explicit date that moves the story
on. A date in brackets, after "since"/"منذ" or after "born"/"ولد" looks back and does not move it,
so "on 26 July" after "the king, born in 1920, ... in 1952" takes 1952, not 1920.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from quizapp.domain.dates import PartialDate
from quizapp.domain.hijri import from_hijri

from .common import Found, make_date

#: What may stand between a Gregorian date and the Hijri one beside it: "1924 م / 1342 هـ".
_HIJRI_GAP = re.compile(r"^[\s/()\[\]\-–—،,:]*(?:الموافق(?:ة)?\s*(?:ل)?|i\.e\.|or)?[\s/()\[\]\-–—،,:]*$")
_RANGE_GAP = {
    "ar": re.compile(r"^\s*(?:م\s*)?(?:إلى|الى|حتى|و|-|–|—)\s*(?:(?:ال)?(?:عام|سنة)\s*)?$"),
    "en": re.compile(r"^\s*(?:to|until|till|and|through|-|–|—)\s*$"),
}
RANGE_LEAD = {
    "ar": re.compile(r"(?:^|[\s،,(])[وف]?(?:من|بين)\s+(?:(?:ال)?(?:عام|سنة|عامي|سنتي)\s*)?$"),
    "en": re.compile(r"(?i)(?:^|\W)(?:from|between)\s+(?:the\s+)?$"),
}
#: A relative phrase right before an explicit date is its paraphrase: "the next day, 21 August".
_APPOSITION = re.compile(r"^[\s،,]*(?:on|في)?\s*$")


@dataclass(frozen=True, slots=True)
class Item:
    """A resolved date expression, ready to become a proposal."""

    start: int
    end: int
    date: PartialDate
    relative: bool = False
    range_end: PartialDate | None = None
    decade: bool = False
    hijri: str | None = None
    certainty: str = "exact"
    certainty_end: PartialDate | None = None
    margin: int = 0


def sentence_index(spans: list[tuple[int, int]], position: int) -> int:
    """The index of the sentence holding a character position (-1 if between sentences)."""
    i = bisect.bisect_right(spans, (position, float("inf"))) - 1
    return i if i >= 0 and spans[i][0] <= position < spans[i][1] else -1


def hijri_alone(found: Found) -> Found | None:
    """A Hijri date with no Gregorian date beside it, as the Gregorian date it converts to.

    A day is a day; a Hijri month or year straddles two Gregorian ones, so it is proposed as
    "between" the first and the last (Umm al-Qura inside its table, the arithmetical calendar
    before it: see hijri.py). None when the Hijri date does not exist.
    """
    parts = [int(p) for p in (found.hijri or "").split("-")]
    try:
        first, last = from_hijri(*parts)
    except (ValueError, TypeError):
        return None
    if len(parts) == 3:
        date, end = PartialDate(first.year, first.month, first.day), None
    elif len(parts) == 2:
        date, end = PartialDate(first.year, first.month), PartialDate(last.year, last.month)
    else:
        date, end = PartialDate(first.year), PartialDate(last.year)
    if end == date:
        end = None
    return replace(
        found, kind="date", date=date, certainty="between" if end else "exact", certainty_end=end,
        sets_context=True,
    )  # fmt: skip


def attach_hijri(text: str, found: list[Found], sentences: list[tuple[int, int]]) -> list[Found]:
    """Give each Hijri date to the Gregorian date beside it; a Hijri date alone is converted.

    A Hijri date alone in a sentence that also gives its Gregorian day (further away) is dropped:
    it is the same event told twice.
    """
    out = [f for f in found if f.kind != "hijri"]
    alone_at: list[Found] = []
    by_sentence: dict[int, list[int]] = {}
    for i, f in enumerate(out):
        if f.kind == "date":
            by_sentence.setdefault(sentence_index(sentences, f.start), []).append(i)
    for h in (f for f in found if f.kind == "hijri"):
        best = None
        for i in by_sentence.get(sentence_index(sentences, h.start), ()):
            g = out[i]
            gap = text[g.end : h.start] if g.end <= h.start else text[h.end : g.start]
            if len(gap) <= 20 and _HIJRI_GAP.match(gap) and (best is None or len(gap) < best[1]):
                best = (i, len(gap))
        if best is not None and out[best[0]].hijri is None:
            # "سنة 92 هـ (711 م)": the bracketed year is the event's date, not an aside.
            out[best[0]] = replace(out[best[0]], hijri=h.hijri, sets_context=True)
        elif best is None and (alone := hijri_alone(h)) is not None and alone.date is not None:
            told = (out[i].date for i in by_sentence.get(sentence_index(sentences, h.start), ()))
            if not any(g is not None and g.overlaps(alone.date) for g in told):
                alone_at.append(alone)
    return sorted(out + alone_at, key=lambda f: f.start)


def join_ranges(text: str, found: list[Found], lang: str) -> list[Found]:
    """Join "from <date> to <date>" (or "<date> - <date>") into one range."""
    out: list[Found] = []
    for item in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == item.kind == "date"
            and prev.range_end is None
            and item.range_end is None
            and not prev.decade
            and not item.decade
            and prev.date is not None
            and item.date is not None
            and prev.date.end < item.date.start
            and _RANGE_GAP[lang].match(text[prev.end : item.start])
            and (
                text[prev.end : item.start].strip() in "-–—"
                or RANGE_LEAD[lang].search(text[max(0, prev.start - 25) : prev.start])
            )
        ):
            out[-1] = replace(prev, end=item.end, range_end=item.date)
            continue
        out.append(item)
    return out


def _shift(base: PartialDate, unit: str, delta: int) -> PartialDate | None:
    """The base moved by `delta` units, at the unit's precision; None when the base is too coarse."""
    if unit == "year":
        return make_date(base.year + delta)
    if unit == "month":
        if base.month is None:
            return None
        return PartialDate(base.year, base.month).shifted(months=delta)
    if base.day is None:
        return None
    return base.shifted(days=delta)


def _looks_back(text: str, f: Found, context: PartialDate | None, sentences: list[tuple[int, int]]) -> bool:
    """True for an earlier date told inside a sentence about later things: "returned to Warsaw,
    the capital of the lands Russia held in 1914, on 10 November" (1918) stays in 1918. An
    earlier date that opens its sentence ("In 1914, ...") moves the story back."""
    if context is None or f.date is None or not f.date.end < context.start:
        return False
    at = sentence_index(sentences, f.start)
    opening = text[sentences[at][0] : f.start] if at >= 0 else ""
    return len(opening.split()) > 2


def resolve(text: str, found: list[Found], sentences: list[tuple[int, int]]) -> list[Item]:
    """Fill missing years and resolve relative phrases against the date in context."""
    items: list[Item] = []
    kinds: list[str] = []
    context: PartialDate | None = None
    spanned = False
    for f in found:
        if f.kind == "date" and f.date is not None:
            items.append(
                Item(f.start, f.end, f.date, False, f.range_end, f.decade, f.hijri)
                if f.certainty == "exact"
                else Item(
                    f.start,
                    f.end,
                    f.date,
                    hijri=f.hijri,
                    certainty=f.certainty,
                    certainty_end=f.certainty_end,
                )
            )
            kinds.append("date")
            # After a range ("the war lasted from 1914 to 1918") the story goes back inside it.
            if f.sets_context and (spanned or not _looks_back(text, f, context, sentences)):
                context, spanned = f.range_end or f.date, f.range_end is not None
            continue
        if context is None:
            continue
        if f.kind == "noyear":
            date = make_date(context.year + f.delta, f.month, f.day)
        else:
            date = _shift(context, f.unit or "year", f.delta)
        if date is None:
            continue
        items.append(Item(f.start, f.end, date, True))
        kinds.append(f.kind)
        # "two years before": the story looks back and stays where it was.
        if f.sets_context and f.delta >= 0:
            context, spanned = date, False
    return _drop_echoes(text, items, kinds, sentences)


def _drop_echoes(
    text: str, items: list[Item], kinds: list[str], sentences: list[tuple[int, int]]
) -> list[Item]:
    """Drop a resolved date that an explicit date after it restates, and an explicit date repeated."""
    keep: list[tuple[Item, str, int]] = []
    where = [sentence_index(sentences, item.start) for item in items]
    members: dict[int, list[int]] = {}
    for i, sentence in enumerate(where):
        members.setdefault(sentence, []).append(i)
    kept: dict[int, list[tuple[Item, str]]] = {}
    for i, item in enumerate(items):
        sentence = where[i]
        if kinds[i] == "relative":
            # "the next day ... on 21 August 1940": the explicit date that follows restates it.
            later = [items[j] for j in members[sentence] if j > i and kinds[j] in ("date", "noyear")]
            if any(o.date.overlaps(item.date) for o in later):
                continue
            if later and _APPOSITION.match(text[item.end : later[0].start]):
                continue
        # The same date written twice in one sentence is one event; "the same year" after a date
        # is another event in that year, so only repeats of the same kind count.
        twin = any(
            k.date == item.date and k.range_end == item.range_end and kind == kinds[i]
            for k, kind in kept.get(sentence, ())
        )
        if not twin:
            keep.append((item, kinds[i], sentence))
            kept.setdefault(sentence, []).append((item, kinds[i]))
    return [item for item, _, _ in keep]
