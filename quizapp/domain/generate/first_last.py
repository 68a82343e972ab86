"""`first-last`: which of these events happened first, or last?"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence

from quizapp.domain.bank import Event, Text

from .base import Kind, Question, Unsupported
from .common import Distinct, dated, joined, max_apart, mcq, min_options
from .index import Lazy, timeline

_PROMPTS = {
    "first": Text(ar="أيّ هذه الأحداث وقع أولًا؟", en="Which of these happened first?"),
    "last": Text(ar="أيّ هذه الأحداث وقع أخيرًا؟", en="Which of these happened last?"),
}
_WHICH = ("first", "last")


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
        side = "after" if which == "first" else "before"  # where the other options lie
        want = self.settings.options - 1
        options = Distinct([event.title])
        chosen: list[Event] = []
        for other in timeline(self.bank).plausible_apart(event, rng, window=3 * want, side=side):
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
