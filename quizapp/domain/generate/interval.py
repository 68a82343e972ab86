"""`interval`: how many years passed between two events (the difference of their calendar years)?

Asked only when each event's span (its certainty, narrowed by the narrative) lies within one
calendar year: "by 1932" could be 1929 or 1932, and the answer with it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Hashable, Sequence

from quizapp.domain.bank import Text
from quizapp.domain.dates import Span

from .base import Kind, Question, Unsupported
from .common import (
    Distinct,
    dating_text,
    in_sentence,
    mcq,
    min_options,
    number_text,
    outside_note,
    same_display,
    with_note,
)
from .index import Rows, timeline


def full_years_sure(a: Span, b: Span) -> bool:
    """True when B surely falls on or after the anniversary of A in B's year.

    Then the years elapsed equal the calendar-year difference whatever the exact days, so the
    number one less than the answer cannot be read as true.
    """
    try:
        anniversary = a.end.replace(year=b.start.year)
    except ValueError:  # 29 February
        anniversary = dt.date(b.start.year, 3, 1)
    return anniversary <= b.start


class Interval(Kind):
    """How many years separate the year of <A> from the year of <B>?"""

    name = "interval"
    label = Text(ar="كم سنةً مرّت بين حدثين؟", en="How many years passed between two events?")

    def check(self) -> None:
        """:raise Unsupported: when no two events lie at least a calendar year apart."""
        years = timeline(self.bank).years
        if years is None or years[0] == years[1]:
            raise Unsupported("needs two events at least a year apart")

    def subjects(self) -> Sequence[Hashable]:
        """Each pair (A, B) with B in a later calendar year than A (so A is before B): A in the
        bank's order, B among the events that start from the next year on, read by index."""
        tl = timeline(self.bank)
        events = self.bank.events

        def build() -> Rows:
            first = {y: tl.first_after_year(y) for y in {e.date.year for e in events}}
            firsts = [first[e.date.year] for e in events]
            return Rows(
                [len(events) - i for i in firsts],
                lambda row, k: (events[row].id, tl.by_start[firsts[row] + k].id),
            )

        return tl.kept("interval", build)  # type: ignore[return-value]

    def about(self, ids: Sequence[str]) -> Sequence[Hashable]:
        """The pairs with one of these events, as A or as B."""
        tl = timeline(self.bank)
        n = len(self.bank.events)
        rows: list[tuple[str, int, int]] = []  # (event id, first index in start order, count)
        for event_id in ids:
            year = self.bank.event(event_id).date.year
            later = tl.first_after_year(year)
            rows.append((event_id, later, n - later))  # the event as A
            rows.append((event_id, 0, tl.first_in_year(year)))  # the event as B

        def pair(row: int, k: int) -> tuple[str, str]:
            event_id, first, _ = rows[row]
            other = tl.by_start[first + k].id
            return (event_id, other) if row % 2 == 0 else (other, event_id)

        return Rows([count for _, _, count in rows], pair)

    def subject_events(self, subject: Hashable) -> tuple[str, ...]:
        """Both events."""
        return tuple(subject)  # type: ignore[arg-type]

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """Ask the calendar-year difference; options are nearby whole numbers."""
        a, b = (self.bank.event(i) for i in subject)  # type: ignore[union-attr]
        if same_display(a.title, b.title):
            return None
        chron = self.bank.chronology
        sa, sb = chron.span[a.id], chron.span[b.id]
        year_a, year_b = sa.one_year, sb.one_year
        if year_a is None or year_b is None or year_b <= year_a:
            return None  # a date that allows two years, or no sure order of years
        answer = year_b - year_a
        style = self.settings.style
        near = [answer + k for k in (1, -1, 2, -2, 3, -3, 4, 5, 6)]
        if not full_years_sure(sa, sb):
            near.remove(answer - 1)  # "4 years" would also be true of 1924-12 .. 1929-01
        # Zero is a poor distractor ("0 years after"), kept only as a last resort.
        near = [n for n in near if n > 0] + [n for n in near if n == 0]
        first, rest = near[:4], near[4:]
        options = Distinct([number_text(answer, style)])
        for n in rng.sample(first, len(first)) + rest:
            if len(options) == self.settings.options:
                break
            options.add(number_text(n, style))
        if len(options) < min_options(self.settings):
            return None
        qa, qb = in_sentence(a.title), in_sentence(b.title)
        da, db = dating_text(a.dating, style), dating_text(b.dating, style)
        years = number_text(answer, style)
        prompt = Text(
            ar=f"كم سنةً مرّت بين {qa.ar} و{qb.ar}؟",
            en=f"How many years passed between {qa.en} and {qb.en}?",
        )
        return mcq(
            self.name,
            f"{self.name}:{a.id}:{b.id}",
            with_note(prompt, outside_note([a, b], self.bank)),
            years,
            options.texts[1:],
            rng=rng,
            events=(a.id, b.id),
            explanation=Text(
                ar=f"{a.title.ar}: {da.ar}؛ {b.title.ar}: {db.ar}؛ الفرق بين السنتين: {years.ar}.",
                en=f"{a.title.en}: {da.en}; {b.title.en}: {db.en}; {years.en} years apart.",
            ),
        )
