"""`date-event`: what happened on a date? Options are the titles of events."""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence

from quizapp.domain.bank import Event, Text

from .base import Kind, Question, Unsupported
from .common import Distinct, date_text, in_date, max_apart, mcq, min_options
from .index import event_ids, timeline


class DateEvent(Kind):
    """What happened on <date>?"""

    name = "date-event"
    label = Text(ar="ماذا حدث في هذا التاريخ؟", en="What happened on this date?")

    def check(self) -> None:
        """:raise Unsupported: when too few events lie apart in time to fill the options."""
        if max_apart(self.bank) < min_options(self.settings):
            raise Unsupported(
                f"needs at least {min_options(self.settings)} events that do not overlap in time"
            )

    def subjects(self) -> Sequence[Hashable]:
        """Every event."""
        return event_ids(self.bank)

    def about(self, ids: Sequence[str]) -> Sequence[Hashable]:
        """The events themselves."""
        return list(ids)

    def subject_events(self, subject: Hashable) -> tuple[str, ...]:
        """The event whose date is asked about."""
        return (str(subject),)

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """Name the event of a date among events clearly before or after it."""
        event = self.bank.event(str(subject))
        want = self.settings.options - 1
        options = Distinct([event.title])
        chosen: list[Event] = []
        # Only events surely before or after: an event of 1917 is no wrong answer for 1917-03.
        for other in timeline(self.bank).plausible_apart(event, rng, window=2 * want):
            if len(chosen) == want:
                break
            if options.add(other.title):
                chosen.append(other)
        if len(options) < min_options(self.settings):
            return None
        when = in_date(event.date, self.settings.style)
        date = date_text(event.date, self.settings.style)
        return mcq(
            self.name,
            f"{self.name}:{event.id}",
            Text(ar=f"ماذا حدث {when.ar}؟", en=f"What happened {when.en}?"),
            event.title,
            [o.title for o in chosen],
            rng=rng,
            option_events=[event.id, *(o.id for o in chosen)],
            explanation=Text(ar=f"{event.title.ar}: {date.ar}.", en=f"{event.title.en}: {date.en}."),
        )
