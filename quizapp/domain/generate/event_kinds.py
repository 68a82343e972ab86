"""Three kinds after Moodle's question types, generated from events and opt-in per quiz:

- `tf-date` (truefalse): "Trotsky's arrival in Mexico took place in January 1937." True or false?
  The false statement moves the date to one outside every day the source allows the event.
- `year-typed` (numerical): "In which year did the October Revolution take place?", typed.
- `match-dates` (matching): match these events to their dates.

Each asks only about what event-date may ask about (an event whose title no other event shares,
whose date the bank may use and whose title does not state it); true-or-false and year questions
only where the source settles the answer: an exact date for a statement, a date whose every
allowed day lies in one calendar year for a year. A matching question's events have stated
spans pairwise apart, so no date could belong to two of its events.
"""

from __future__ import annotations

import random
from collections.abc import Hashable
from itertools import islice

from quizapp.domain.bank import Accepted, Text
from quizapp.domain.dates import span_of

from .base import Question, Unsupported
from .common import (
    Distinct,
    date_text,
    dating_text,
    in_date,
    in_sentence,
    in_time_order,
    in_turn,
    max_apart,
    outside_note,
    shuffled,
    unsorted_order,
    with_note,
)
from .event_date import EventDate, OnEvents
from .index import SEARCH_LIMIT, timeline

#: The fewest and most events a generated matching question pairs with their dates.
MATCH_MIN, MATCH_MAX = 3, 5


class TrueFalseDate(OnEvents):
    """<event> took place <date>: true or false?"""

    name = "tf-date"
    type = "truefalse"
    label = Text(ar="صواب أم خطأ: تاريخ الحدث", en="True or false: the event's date")

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """A true statement, or a false one whose date lies outside every day the source allows
        the event; None unless the event is askable and its date exact at its precision."""
        event = self.bank.event(str(subject))
        if not self.askable(event) or not event.dating.exact:
            return None
        style = self.settings.style
        stated = event.dating.span
        right = date_text(event.date, style)
        shown, truth = event.date, True
        if rng.random() < 0.5:
            wrong = EventDate(self.bank, self.settings).distractor_dates(event, rng)
            for cand in islice(wrong, SEARCH_LIMIT):
                if not span_of(cand).overlaps(stated) and date_text(cand, style) != right:
                    shown, truth = cand, False
                    break
        when = in_date(shown, style)
        statement = Text(ar=f"{event.title.ar} {when.ar}.", en=f"{event.title.en} took place {when.en}.")
        verdict = "true" if truth else f"false:{shown.iso()}"
        return Question(
            kind=self.name,
            type="truefalse",
            prompt=with_note(statement, outside_note([event], self.bank)),
            answer=truth,
            events=(event.id,),
            explanation=Text(ar=f"{event.title.ar}: {right.ar}.", en=f"{event.title.en}: {right.en}."),
            key=f"{self.name}:{event.id}:{verdict}",
        )


class YearTyped(OnEvents):
    """In which year did <event> take place? (typed)"""

    name = "year-typed"
    type = "numerical"
    label = Text(ar="اكتب السنة", en="Type the year")

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """The event's year, exactly; None unless every day its date allows lies in one year."""
        event = self.bank.event(str(subject))
        year = event.dating.span.one_year
        if year is None or not self.askable(event):
            return None
        title = in_sentence(event.title)
        right = dating_text(event.dating, self.settings.style)
        prompt = Text(
            ar=f"ما السنة التي شهدت {event.title.ar}؟",
            en=f"In which year did {title.en} take place?",
        )
        return Question(
            kind=self.name,
            type="numerical",
            prompt=with_note(prompt, outside_note([event], self.bank)),
            answer=year,
            answers=(Accepted(value=year, tolerance=0, fraction=1.0),),
            events=(event.id,),
            explanation=Text(ar=f"{event.title.ar}: {right.ar}.", en=f"{event.title.en}: {right.en}."),
            key=f"{self.name}:{event.id}",
        )


class MatchDates(OnEvents):
    """Match these events to their dates."""

    name = "match-dates"
    type = "matching"
    label = Text(ar="صِل الأحداث بتواريخها", en="Match the events to their dates")

    def check(self) -> None:
        """:raise Unsupported: when fewer than MATCH_MIN events lie pairwise apart in time."""
        super().check()
        if max_apart(self.bank) < MATCH_MIN:
            raise Unsupported(f"needs at least {MATCH_MIN} events that do not overlap in time")

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """The event and others near it in time, each askable, their stated spans pairwise apart
        and their dates reading apart; None when fewer than MATCH_MIN are found."""
        anchor = self.bank.event(str(subject))
        if not self.askable(anchor):
            return None
        style = self.settings.style
        size = min(MATCH_MAX, max(MATCH_MIN, self.settings.options))
        chosen = [anchor]
        titles = Distinct([anchor.title])
        dates = Distinct([dating_text(anchor.dating, style)])
        spans = [anchor.dating.span]
        nearby = timeline(self.bank).plausible_apart(anchor, rng, window=2 * size)
        for other in islice(nearby, SEARCH_LIMIT):
            if len(chosen) == size:
                break
            span = other.dating.span
            when = dating_text(other.dating, style)
            if any(span.overlaps(s) for s in spans) or titles.clashes(other.title) or dates.clashes(when):
                continue
            if not self.askable(other):
                continue
            chosen.append(other)
            titles.add(other.title)
            dates.add(when)
            spans.append(span)
        if len(chosen) < MATCH_MIN:
            return None
        shown = [chosen[i] for i in unsorted_order(len(chosen), rng)]
        choice_order = shuffled(range(len(chosen)), rng)
        choices = [dating_text(chosen[i].dating, style) for i in choice_order]
        answer = tuple(choice_order.index(chosen.index(e)) for e in shown)
        ordered = in_time_order(chosen, self.bank)
        return Question(
            kind=self.name,
            type="matching",
            prompt=with_note(
                Text(ar="صِل كلّ حدث بتاريخه.", en="Match each event to its date."),
                outside_note(ordered, self.bank),
            ),
            items=tuple(e.title for e in shown),
            options=tuple(choices),
            answer=answer,
            events=tuple(e.id for e in shown),
            explanation=in_turn(ordered, style, self.bank),
            key=f"{self.name}:" + ",".join(sorted(e.id for e in chosen)),
        )
