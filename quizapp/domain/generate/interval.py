"""`interval`: how many years separate the years of two events (calendar years)?"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Hashable, Sequence

from quizapp.domain.bank import Event, Text

from .base import Kind, Question, Unsupported
from .common import Distinct, date_text, mcq, min_options, number_text, quoted, same_display
from .index import Rows, timeline


def full_years_sure(a: Event, b: Event) -> bool:
    """True when B surely falls on or after the anniversary of A in B's year.

    Then the years elapsed equal the calendar-year difference whatever the exact days, so the
    number one less than the answer cannot be read as true.
    """
    a_end = a.date.end
    try:
        anniversary = a_end.replace(year=b.date.start.year)
    except ValueError:  # 29 February
        anniversary = dt.date(b.date.start.year, 3, 1)
    return anniversary <= b.date.start


class Interval(Kind):
    """How many years separate the year of <A> from the year of <B>?"""

    name = "interval"
    label = Text(ar="كم سنة بين حدثين؟", en="How many years between two events?")

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
        answer = b.date.year - a.date.year
        style = self.settings.style
        near = [answer + k for k in (1, -1, 2, -2, 3, -3, 4, 5, 6)]
        if not full_years_sure(a, b):
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
        qa, qb = quoted(a.title), quoted(b.title)
        da, db = date_text(a.date, style), date_text(b.date, style)
        years = number_text(answer, style)
        return mcq(
            self.name,
            f"{self.name}:{a.id}:{b.id}",
            Text(
                ar=f"كم سنة تفصل بين عام {qa.ar} وعام {qb.ar}؟",
                en=f"How many years separate the year of {qa.en} from the year of {qb.en}?",
            ),
            years,
            options.texts[1:],
            rng=rng,
            events=(a.id, b.id),
            explanation=Text(
                ar=f"{a.title.ar}: {da.ar}؛ {b.title.ar}: {db.ar}؛ الفرق بين السنتين {years.ar}.",
                en=f"{a.title.en}: {da.en}; {b.title.en}: {db.en}; {years.en} years apart.",
            ),
        )
