"""Learning that sticks: how well a student knows each event, and when to see it again.

A Leitner system: every event sits in a box; a right answer moves it up one box, a wrong one sends
it back to the first. Each box has its interval; an event is due once its interval has passed
since it was last seen. Events never seen are due at once. Mastery is the share of right answers
among the last few, so an old mistake fades once the student gets it right again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

#: Days to wait before an event in box n (1-based) is due again.
INTERVALS: tuple[int, ...] = (0, 1, 3, 7, 21)
RECENT = 5  # answers that count towards mastery
RIGHT = 1.0  # a mark this high counts as right; partial credit on ordering does not


@dataclass(frozen=True, slots=True)
class Answer:
    """One answered question about an event: when, and its mark in [0, 1]."""

    event: str
    at: dt.datetime
    score: float


@dataclass(frozen=True, slots=True)
class EventState:
    """Where an event stands for one student."""

    event: str
    box: int  # 0: never seen; 1..len(INTERVALS)
    seen: int
    right: int
    mastery: float | None  # share right among the last RECENT answers; None if never seen
    last_seen: dt.datetime | None
    due: dt.datetime | None  # None: due now (never seen)

    def is_due(self, now: dt.datetime) -> bool:
        """True when the event should be reviewed now."""
        return self.due is None or self.due <= now

    @property
    def level(self) -> str:
        """ "new", "learning", "known" or "mastered", for colours and words."""
        if self.mastery is None:
            return "new"
        if self.mastery >= 0.8 and self.box >= 4:
            return "mastered"
        if self.mastery >= 0.6 and self.box >= 2:  # a fresh mistake means: still learning
            return "known"
        return "learning"


def event_state(event: str, answers: Iterable[Answer]) -> EventState:
    """Replay one event's answers, oldest first, through the boxes."""
    history = sorted((a for a in answers if a.event == event), key=lambda a: a.at)
    box, right = 0, 0
    for a in history:
        if a.score >= RIGHT:
            right += 1
            box = min(box + 1, len(INTERVALS))
        else:
            box = 1
    if not history:
        return EventState(event, 0, 0, 0, None, None, None)
    recent = history[-RECENT:]
    mastery = sum(1 for a in recent if a.score >= RIGHT) / len(recent)
    last = history[-1].at
    due = last + dt.timedelta(days=INTERVALS[box - 1])
    return EventState(event, box, len(history), right, mastery, last, due)


def states(events: Iterable[str], answers: Iterable[Answer]) -> list[EventState]:
    """The state of each event, in the order given."""
    by_event: dict[str, list[Answer]] = {}
    for a in answers:
        by_event.setdefault(a.event, []).append(a)
    return [event_state(e, by_event.get(e, ())) for e in events]


def due_for_review(all_states: Iterable[EventState], now: dt.datetime, limit: int | None = None) -> list[str]:
    """Events to review now: missed ones first (lowest box), then the unseen, then the longest due."""
    due = [s for s in all_states if s.is_due(now)]
    # Seen-and-missed before unseen: a mistake is the best thing to learn from.
    due.sort(key=lambda s: (s.box == 0, s.box, s.due or now))
    ids = [s.event for s in due]
    return ids[:limit] if limit is not None else ids
