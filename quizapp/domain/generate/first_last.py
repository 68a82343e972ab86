"""`first-last`: which of these events happened first, or last?

"Surely first" reads the bank's chronology: the spans the dates allow, narrowed by the narrative,
and the order `after` settles (the funeral after the death, both in August 1940).
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence
from itertools import chain

from quizapp.domain.bank import Event, Text

from .base import Kind, Question, Unsupported
from .common import (
    Distinct,
    in_time_order,
    in_turn,
    max_apart,
    mcq,
    min_options,
    outside_note,
    with_note,
)
from .index import Lazy, timeline

_PROMPTS = {
    "first": Text(ar="أيّ هذه الأحداث وقع أولًا؟", en="Which of these happened first?"),
    "last": Text(ar="أيّ هذه الأحداث وقع آخِرًا؟", en="Which of these happened last?"),
}
_WHICH = ("first", "last")


class FirstLast(Kind):
    """Which of these happened first (or last)?"""

    name = "first-last"
    label = Text(ar="أيّها وقع أولًا أو آخِرًا؟", en="Which came first or last?")

    def check(self) -> None:
        """:raise Unsupported: when too few events lie apart in time to fill the options."""
        if max_apart(self.bank) < min_options(self.settings):
            raise Unsupported(
                f"needs at least {min_options(self.settings)} events that do not overlap in time"
            )

    def subjects(self) -> Sequence[Hashable]:
        """Each event as the right answer, to "first" and to "last"."""
        events = self.bank.events
        return Lazy(2 * len(events), lambda i: (_WHICH[i % 2], events[i // 2].id))

    def about(self, ids: Sequence[str]) -> Sequence[Hashable]:
        """The events as the right answer, to "first" and to "last"."""
        return [(which, e) for e in ids for which in _WHICH]

    def subject_events(self, subject: Hashable) -> tuple[str, ...]:
        """The event that is the right answer."""
        return (subject[1],)  # type: ignore[index]

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """The event with others all after it (for "first") or all before it (for "last")."""
        which, event_id = subject  # type: ignore[misc]
        event = self.bank.event(event_id)
        chron = self.bank.chronology
        side = "after" if which == "first" else "before"  # where the other options lie
        want = self.settings.options - 1
        options = Distinct([event.title])
        chosen: list[Event] = []
        # The events the narrative puts right next to it (same dates, order settled), then the
        # events whose dates lie apart, nearest first.
        told = chron.followed_by(event.id) if which == "first" else chron.follows(event.id)
        nearby = [self.bank.event(i) for i in told]
        rng.shuffle(nearby)
        apart = timeline(self.bank).plausible_apart(event, rng, window=3 * want, side=side)
        for other in chain(nearby, apart):
            if len(chosen) == want:
                break
            sure = chron.before(event.id, other.id) if which == "first" else chron.before(other.id, event.id)
            # The options must also be in a sure order among themselves, or "last" could be two.
            if not sure or options.clashes(other.title):
                continue
            if any(not chron.ordered(other.id, c.id) for c in chosen):
                continue
            options.add(other.title)
            chosen.append(other)
        if len(options) < min_options(self.settings):
            return None
        in_order = in_time_order([event, *chosen], self.bank)
        return mcq(
            self.name,
            f"{self.name}:{which}:{event.id}",
            with_note(_PROMPTS[which], outside_note([event, *chosen], self.bank)),
            event.title,
            [o.title for o in chosen],
            rng=rng,
            option_events=[event.id, *(o.id for o in chosen)],
            explanation=in_turn(in_order, self.settings.style, self.bank),
        )
