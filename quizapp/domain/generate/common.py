"""Helpers the question kinds share: display texts, distinct options, plausible picks."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from functools import lru_cache

from quizapp.domain.bank import LANGS, Bank, Event, Text
from quizapp.domain.dates import DateStyle, PartialDate, format_number, format_partial

from .base import Question, Settings, shuffled
from .index import timeline

_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u200b"), None)


def display_key(text: str) -> str:
    """What a reader sees as the same option: case, spacing and direction marks ignored."""
    return " ".join(text.translate(_MARKS).split()).casefold()


@lru_cache(maxsize=4096)
def date_text(date: PartialDate, style: DateStyle) -> Text:
    """A date formatted for both languages."""
    return Text(ar=format_partial(date, "ar", style), en=format_partial(date, "en", style))


@lru_cache(maxsize=4096)
def number_text(value: int | float, style: DateStyle) -> Text:
    """A number formatted for both languages."""
    return Text(ar=format_number(value, "ar", style), en=format_number(value, "en", style))


class Distinct:
    """Collects texts that stay pairwise distinct as displayed in every language."""

    def __init__(self, first: Iterable[Text] = ()) -> None:
        self.texts: list[Text] = []
        self._seen: dict[str, set[str]] = {lang: set() for lang in LANGS}
        for text in first:
            self.add(text)

    def clashes(self, text: Text) -> bool:
        """True when the text reads like one already taken, in either language, or is empty."""
        return any(
            not display_key(text.get(lang)) or display_key(text.get(lang)) in self._seen[lang]
            for lang in LANGS
        )

    def add(self, text: Text, *, force: bool = False) -> bool:
        """Take the text unless it clashes (or always, with force); say whether it was taken."""
        if self.clashes(text) and not force:
            return False
        for lang in LANGS:
            self._seen[lang].add(display_key(text.get(lang)))
        self.texts.append(text)
        return True

    def __len__(self) -> int:
        return len(self.texts)


def same_display(a: Text, b: Text) -> bool:
    """True when two texts read the same in either language."""
    return any(display_key(a.get(lang)) == display_key(b.get(lang)) for lang in LANGS)


def min_options(settings: Settings) -> int:
    """The fewest options a multiple-choice question may show: all asked for, down to three."""
    return max(2, min(3, settings.options))


def mcq(
    kind: str,
    key: str,
    prompt: Text,
    right: Text,
    wrong: Sequence[Text],
    *,
    rng: random.Random,
    events: Sequence[str] = (),
    option_events: Sequence[str] = (),
    explanation: Text | None = None,
) -> Question:
    """A multiple-choice question with the right option at a random place.

    When the options are events, `option_events` (right one first, like `right, *wrong`) gives
    their ids; the question's `events` then follow the options as shown.
    """
    options = [right, *wrong]
    order = shuffled(range(len(options)), rng)
    if option_events:
        events = [option_events[i] for i in order]
    return Question(
        kind=kind,
        type="mcq",
        prompt=prompt,
        options=tuple(options[i] for i in order),
        answer=order.index(0),
        events=tuple(events),
        explanation=explanation,
        key=key,
    )


def unsorted_order(n: int, rng: random.Random) -> list[int]:
    """A random permutation of range(n) that is not the identity when n >= 2."""
    order = shuffled(range(n), rng)
    if n >= 2 and order == sorted(order):
        # Rotating by one breaks the identity without a retry loop.
        order = order[1:] + order[:1]
    return order


def pairwise_apart(events: Sequence[Event]) -> bool:
    """True when no two of the events overlap in time."""
    return all(not a.date.overlaps(b.date) for i, a in enumerate(events) for b in events[i + 1 :])


def max_apart(bank: Bank) -> int:
    """The largest number of pairwise non-overlapping events (interval scheduling, greedy)."""
    return timeline(bank).max_apart


def quoted(text: Text) -> Text:
    """The text in the quotation marks of each language."""
    return Text(ar=f"«{text.ar}»", en=f"“{text.en}”")


def joined(parts: Sequence[Text], sep_ar: str = "، ", sep_en: str = "; ", end: str = "") -> Text:
    """Texts joined per language."""
    return Text(ar=sep_ar.join(p.ar for p in parts) + end, en=sep_en.join(p.en for p in parts) + end)


def dated(event: Event, style: DateStyle) -> Text:
    """ "Lenin dies (21 January 1924)" in both languages."""
    when = date_text(event.date, style)
    return Text(ar=f"{event.title.ar} ({when.ar})", en=f"{event.title.en} ({when.en})")


def in_date(date: PartialDate, style: DateStyle) -> Text:
    """ "on 21 August 1940", "in January 1937", "in 1928" and their Arabic."""
    when = date_text(date, style)
    if date.precision == "year":
        return Text(ar=f"في عام {when.ar}", en=f"in {when.en}")
    if date.precision == "month":
        return Text(ar=f"في {when.ar}", en=f"in {when.en}")
    return Text(ar=f"في {when.ar}", en=f"on {when.en}")
