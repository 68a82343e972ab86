"""`event-date`: when did an event happen? Options are dates at the event's precision.

The key shows the date with its certainty ("by 1932"); every wrong option lies outside the span the
key states, so none is also true ("1930" is no wrong answer to "by 1932").
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Hashable, Iterator, Sequence

from quizapp.domain.bank import Event, Text
from quizapp.domain.dates import PartialDate, Precision, span_of

from .base import Kind, Question, Unsupported
from .common import (
    Distinct,
    date_text,
    dating_text,
    in_sentence,
    mcq,
    min_options,
    outside_note,
    states_own_date,
    with_note,
)
from .index import event_ids, timeline

#: Offsets (years, months, days) for nearby dates, nearest first, per precision.
_NEARBY: dict[str, list[tuple[int, int, int]]] = {
    "year": [(k, 0, 0) for k in (1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6)],
    "month": [(0, k, 0) for k in (1, -1, 2, -2, 3, -3, 4, -4)] + [(1, 0, 0), (-1, 0, 0), (0, 6, 0)],
    "day": [(0, 0, k) for k in (1, -1, 2, -2, 3, -3, 7, -7)] + [(0, 1, 0), (0, -1, 0), (1, 0, 0), (-1, 0, 0)],
}


def at_precision(date: PartialDate, precision: Precision, like: PartialDate) -> PartialDate:
    """The date cut down (or filled in from `like`) to a precision."""
    if precision == "year":
        return PartialDate(date.year)
    month = date.month if date.month is not None else like.month
    if precision == "month":
        return PartialDate(date.year, month)
    day = date.day if date.day is not None else like.day
    last = calendar.monthrange(date.year, month)[1]  # type: ignore[arg-type]
    return PartialDate(date.year, month, min(day, last))  # type: ignore[type-var]


class OnEvents(Kind):
    """A kind whose subjects are the bank's events, each asked about on its own date."""

    def check(self) -> None:
        """:raise Unsupported: when the bank has no events."""
        if not self.bank.events:
            raise Unsupported("the bank has no events")

    def subjects(self) -> Sequence[Hashable]:
        """Every event."""
        return event_ids(self.bank)

    def about(self, ids: Sequence[str]) -> Sequence[Hashable]:
        """The events themselves."""
        return list(ids)

    def subject_events(self, subject: Hashable) -> tuple[str, ...]:
        """The event asked about."""
        return (str(subject),)

    def askable(self, event: Event) -> bool:
        """True when a question may name the event and rest on its date: no other event bears its
        title (two right answers), the bank may use its date (not from outside the source), and
        its title does not state the date."""
        return (
            not timeline(self.bank).title_shared(event)
            and self.bank.chronology.usable[event.id]
            and not states_own_date(event, self.settings.style)
        )


class EventDate(OnEvents):
    """When did <event> happen?"""

    name = "event-date"
    label = Text(ar="متى وقع الحدث؟", en="When did it happen?")

    def distractor_dates(self, event: Event, rng: random.Random) -> Iterator[PartialDate]:
        """Wrong dates at the event's precision: the bank's own first, then nearby ones."""
        right = event.date
        precision = right.precision
        tl = timeline(self.bank)
        seen: set[str] = set()
        for other in tl.plausible_apart(event, rng, window=2 * (self.settings.options - 1)):
            cand = at_precision(other.date, precision, right)
            if not cand.overlaps(right) and cand.iso() not in seen:
                seen.add(cand.iso())
                yield cand
        lo, hi = tl.bounds or (right.start, right.end)
        outside = []
        for years, months, days in _NEARBY[precision]:
            cand = right.shifted(years=years, months=months, days=days)
            if cand is None or cand.overlaps(right) or cand.iso() in seen:
                continue
            if lo <= cand.start and cand.end <= hi:
                yield cand
            else:
                outside.append(cand)
        yield from outside
        yield from _beyond(event)

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """Ask for the event's date; None when another event bears the same title, when the title
        states the date, or when the bank may not use the date (from outside the source)."""
        event = self.bank.event(str(subject))
        style = self.settings.style
        if not self.askable(event):
            return None
        stated = event.dating.span  # what the key says: no wrong option may fall inside it
        right = dating_text(event.dating, style)
        options = Distinct([right])
        for cand in self.distractor_dates(event, rng):
            if len(options) == self.settings.options:
                break
            if not span_of(cand).overlaps(stated):
                options.add(date_text(cand, style))
        if len(options) < min_options(self.settings):
            return None
        title = in_sentence(event.title)
        prompt = event.when or Text(ar=f"ما تاريخ {title.ar}؟", en=f"When did {title.en} take place?")
        return mcq(
            self.name,
            f"{self.name}:{event.id}",
            with_note(prompt, outside_note([event], self.bank)),
            right,
            options.texts[1:],
            rng=rng,
            events=(event.id,),
            explanation=Text(ar=f"{event.title.ar}: {right.ar}.", en=f"{event.title.en}: {right.en}."),
        )


def _beyond(event: Event) -> Iterator[PartialDate]:
    """Dates at the event's precision just outside the span its date states, nearest first: for
    "about 1299" (5 years) 1293 and 1305, for "by 1932" 1933 onwards."""
    date, span = event.date, event.dating.span
    precision = date.precision
    low = PartialDate.from_date(span.start, precision) if span.start.year > 1 else None
    high = PartialDate.from_date(span.end, precision) if span.end.year < 9999 else None
    unit = {"year": "years", "month": "months", "day": "days"}[precision]
    for k in range(1, 7):
        for edge, sign in ((high, 1), (low, -1)):
            cand = edge.shifted(**{unit: sign * k}) if edge is not None else None
            if cand is not None:
                yield cand
