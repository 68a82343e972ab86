"""`ordering`: put 3 to 6 events, each surely before or after every other, in chronological order
(their spans apart, or their order settled by the narrative)."""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence
from itertools import chain, islice

from quizapp.domain.bank import Event, Text

from .base import Kind, Question, Unsupported
from .common import Distinct, in_time_order, in_turn, max_apart, outside_note, unsorted_order, with_note
from .index import SEARCH_LIMIT, draws, event_ids


class Ordering(Kind):
    """Put these events in chronological order."""

    name = "ordering"
    type = "ordering"
    label = Text(ar="رتّب الأحداث", en="Put the events in order")

    def check(self) -> None:
        """:raise Unsupported: when fewer than ordering_min events lie pairwise apart in time."""
        if max_apart(self.bank) < self.settings.ordering_min:
            raise Unsupported(
                f"needs at least {self.settings.ordering_min} events that do not overlap in time"
            )

    def subjects(self) -> Sequence[Hashable]:
        """Each event as the one the ordering is built around."""
        return event_ids(self.bank)

    def about(self, ids: Sequence[str]) -> Sequence[Hashable]:
        """The events themselves."""
        return list(ids)

    def subject_events(self, subject: Hashable) -> tuple[str, ...]:
        """The event the ordering is built around."""
        return (str(subject),)

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """The event and others each surely before or after every other, shown shuffled: first the
        events the narrative puts right next to it, then others drawn at random."""
        anchor = self.bank.event(str(subject))
        chron = self.bank.chronology
        lo, hi = self.settings.ordering_min, self.settings.ordering_max
        size = rng.randint(lo, max(lo, hi))
        titles = Distinct([anchor.title])
        chosen: list[Event] = [anchor]
        events = self.bank.events
        told = [self.bank.event(i) for i in (*chron.follows(anchor.id), *chron.followed_by(anchor.id))]
        rng.shuffle(told)
        drawn = (events[index] for index in islice(draws(len(events), rng), SEARCH_LIMIT))
        for other in chain(told, drawn):
            if len(chosen) == size:
                break
            if any(not chron.ordered(other.id, c.id) for c in chosen) or titles.clashes(other.title):
                continue
            titles.add(other.title)
            chosen.append(other)
        if len(chosen) < lo:
            return None
        in_order = in_time_order(chosen, self.bank)
        shown_order = unsorted_order(len(in_order), rng)  # never shown already in order
        shown = [in_order[i] for i in shown_order]
        earliest_first = [shown_order.index(i) for i in range(len(in_order))]
        return Question(
            kind=self.name,
            type="ordering",
            prompt=with_note(
                Text(
                    ar="رتّب الأحداث التالية من الأقدم إلى الأحدث.",
                    en="Put these events in chronological order, earliest first.",
                ),
                outside_note(in_order, self.bank),
            ),
            items=tuple(e.title for e in shown),
            answer=tuple(earliest_first),
            events=tuple(e.id for e in shown),
            explanation=in_turn(in_order, self.settings.style, self.bank),
            key=f"{self.name}:" + ",".join(sorted(e.id for e in chosen)),
        )
