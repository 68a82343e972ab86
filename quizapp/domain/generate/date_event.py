"""`date-event`: what happened on a date? Options are the titles of events."""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence

from quizapp.domain.bank import Event, Text

from .base import Kind, Question, Unsupported
from .common import (
    Distinct,
    dating_text,
    in_dating,
    max_apart,
    mcq,
    min_options,
    outside_note,
    states_own_date,
    with_note,
)
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
        """Name the event of a date among events clearly before or after what the date states.

        Not asked of a date "by" or "after" another (many events fit "What happened by 1932?"), of
        a date the bank may not use, or of an event whose title states its date.
        """
        event = self.bank.event(str(subject))
        style = self.settings.style
        chron = self.bank.chronology
        if event.certainty in ("by", "after") or not chron.usable[event.id] or states_own_date(event, style):
            return None
        stated = event.dating.span  # what the question says: every other option lies outside it
        want = self.settings.options - 1
        options = Distinct([event.title])
        chosen: list[Event] = []
        # Only events surely before or after: an event of 1917 is no wrong answer for 1917-03.
        for other in timeline(self.bank).plausible_apart(event, rng, window=2 * want):
            if len(chosen) == want:
                break
            if not chron.span[other.id].overlaps(stated) and options.add(other.title):
                chosen.append(other)
        if len(options) < min_options(self.settings):
            return None
        when = in_dating(event.dating, style)
        date = dating_text(event.dating, style)
        prompt = Text(ar=f"ماذا حدث {when.ar}؟", en=f"What happened {when.en}?")
        return mcq(
            self.name,
            f"{self.name}:{event.id}",
            with_note(prompt, outside_note([event, *chosen], self.bank)),
            event.title,
            [o.title for o in chosen],
            rng=rng,
            option_events=[event.id, *(o.id for o in chosen)],
            explanation=Text(ar=f"{event.title.ar}: {date.ar}.", en=f"{event.title.en}: {date.en}."),
        )
