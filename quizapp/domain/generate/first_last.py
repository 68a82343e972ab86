"""`first-last`: which of these events happened first, or last?"""

from __future__ import annotations

import random
from collections.abc import Hashable

from quizapp.domain.bank import Event, Text

from .base import Kind, Question, Unsupported
from .common import Distinct, dated, joined, max_apart, mcq, min_options, plausible

_PROMPTS = {
    "first": Text(ar="أيّ هذه الأحداث وقع أولًا؟", en="Which of these happened first?"),
    "last": Text(ar="أيّ هذه الأحداث وقع أخيرًا؟", en="Which of these happened last?"),
}


class FirstLast(Kind):
    """Which of these happened first (or last)?"""

    name = "first-last"
    label = Text(ar="أيّها وقع أولًا أو أخيرًا؟", en="Which came first or last?")

    def check(self) -> None:
        """:raise Unsupported: when too few events lie apart in time to fill the options."""
        if max_apart(self.bank) < min_options(self.settings):
            raise Unsupported(
                f"needs at least {min_options(self.settings)} events that do not overlap in time"
            )

    def subjects(self) -> list[Hashable]:
        """Each event as the right answer, to "first" and to "last"."""
        return [(which, e.id) for e in self.bank.events for which in ("first", "last")]

    def subject_events(self, subject: Hashable) -> tuple[str, ...]:
        """The event that is the right answer."""
        return (subject[1],)  # type: ignore[index]

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """The event with others all after it (for "first") or all before it (for "last")."""
        which, event_id = subject  # type: ignore[misc]
        event = self.bank.event(event_id)
        if which == "first":
            others = [o for o in self.bank.events if event.date.before(o.date)]
        else:
            others = [o for o in self.bank.events if o.date.before(event.date)]

        def distance(o: Event) -> tuple[int, str]:
            return (abs((o.date.start - event.date.start).days), o.id)

        want = self.settings.options - 1
        options = Distinct([event.title])
        chosen: list[Event] = []
        for other in plausible(others, distance, rng, window=3 * want):
            if len(chosen) == want:
                break
            # The options must also lie apart from each other, or "last" could be two of them.
            if any(other.date.overlaps(c.date) for c in chosen) or options.clashes(other.title):
                continue
            options.add(other.title)
            chosen.append(other)
        if len(options) < min_options(self.settings):
            return None
        in_order = sorted([event, *chosen], key=lambda e: e.date.sort_key())
        return mcq(
            self.name,
            f"{self.name}:{which}:{event.id}",
            _PROMPTS[which],
            event.title,
            [o.title for o in chosen],
            rng=rng,
            option_events=[event.id, *(o.id for o in chosen)],
            explanation=joined(
                [dated(e, self.settings.style) for e in in_order], "، ثم ", ", then ", end="."
            ),
        )
