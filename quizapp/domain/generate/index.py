"""The bank's events in time, indexed once per bank, so a question costs the same in any bank.

No generator lists every event, pair or permutation: events surely before or after a date are a
prefix or a suffix of the events sorted by end or by start, found by bisection, and the candidates
a question needs are drawn from those ranges one at a time (`draws`). Building the index is the
only step that reads the whole bank; it is kept with the bank object (`timeline`, Bank.derived).
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from functools import cached_property
from itertools import islice

from quizapp.domain.bank import LANGS, Bank, Event, Text

from .display import display_key

#: How many candidates a question examines beyond the nearest ones before it gives up: far more
#: than any bank whose candidates are not nearly all alike needs, and a bound on the cost per
#: question in a bank of any size.
SEARCH_LIMIT = 256


def span(bank: Bank, event: Event) -> tuple[int, int]:
    """The days an event's date allows, as ordinals (first, last): its certainty's span narrowed
    by the narrative (Bank.chronology). Every comparison reads this."""
    days = bank.chronology.span[event.id]
    return days.start.toordinal(), days.end.toordinal()


def draws(n: int, rng: random.Random) -> Iterator[int]:
    """range(n) in a random order, drawn lazily: each index costs O(1) time and memory.

    Fisher-Yates over a sparse array: drawing k indices of a range of a billion keeps k entries.
    """
    moved: dict[int, int] = {}
    for i in range(n):
        j = rng.randrange(i, n)
        picked = moved.get(j, j)
        moved[j] = moved.pop(i, i)
        yield picked


class Lazy(Sequence):
    """A sequence of `size` items computed from their index when read: subjects never built whole."""

    def __init__(self, size: int, item: Callable[[int], Hashable]) -> None:
        self.size = size
        self.item = item

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> Hashable:  # type: ignore[override]
        if not 0 <= index < self.size:
            raise IndexError(index)
        return self.item(index)


def event_ids(bank: Bank) -> Lazy:
    """The ids of the bank's events, in its order, read by index."""
    events = bank.events
    return Lazy(len(events), lambda i: events[i].id)


class Rows(Sequence):
    """Rows of different lengths read as one sequence: row r holds `lengths[r]` items `item(r, k)`."""

    def __init__(self, lengths: Sequence[int], item: Callable[[int, int], Hashable]) -> None:
        self.offsets = [0]
        for length in lengths:
            self.offsets.append(self.offsets[-1] + length)
        self.item = item

    def __len__(self) -> int:
        return self.offsets[-1]

    def __getitem__(self, index: int) -> Hashable:  # type: ignore[override]
        if not 0 <= index < len(self):
            raise IndexError(index)
        row = bisect_right(self.offsets, index) - 1
        return self.item(row, index - self.offsets[row])


class Timeline:
    """A bank's events sorted by start and by end, with what the generators look up in them."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.events = bank.events
        self.spans = [span(bank, e) for e in self.events]
        self.position = {e.id: i for i, e in enumerate(self.events)}
        # Tuples sort in C: (start, end, position) and (end, start, position).
        by_start = sorted((s, e, i) for i, (s, e) in enumerate(self.spans))
        by_end = sorted((e, s, i) for i, (s, e) in enumerate(self.spans))
        self.by_start = [self.events[i] for _, _, i in by_start]
        self.starts = [s for s, _, _ in by_start]
        self._ends_by_start = [e for _, e, _ in by_start]
        self.by_end = [self.events[i] for _, _, i in by_end]
        self.ends = [e for e, _, _ in by_end]
        self._starts_by_end = [s for _, s, _ in by_end]
        self._kept: dict[str, object] = {}

    def kept(self, name: str, build: Callable[[], object]) -> object:
        """What a kind derives from the bank once (its subjects), built on first use."""
        if name not in self._kept:
            self._kept[name] = build()
        return self._kept[name]

    def span_of(self, event: Event) -> tuple[int, int]:
        """The event's span, as read when the index was built."""
        return self.spans[self.position[event.id]]

    @cached_property
    def max_apart(self) -> int:
        """The largest number of pairwise non-overlapping events (interval scheduling, greedy)."""
        count, last_end = 0, None
        for start, end in zip(self._starts_by_end, self.ends, strict=True):
            if last_end is None or start > last_end:
                count, last_end = count + 1, end
        return count

    @cached_property
    def years(self) -> tuple[int, int] | None:
        """The first and last calendar year of the bank's dates; None when it has no events."""
        if not self.events:
            return None
        return min(e.date.year for e in self.events), max(e.date.year for e in self.events)

    @cached_property
    def bounds(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day the bank's dates name (an open "by" or "after" aside); None
        when it has no events."""
        if not self.events:
            return None
        return min(e.date.start for e in self.events), max(e.date.end for e in self.events)

    @cached_property
    def _titles(self) -> Counter[tuple[str, str]]:
        return Counter((lang, display_key(e.title.get(lang))) for e in self.events for lang in LANGS)

    def title_shared(self, event: Event) -> bool:
        """True when another event's title reads the same in either language."""
        return any(self._titles[(lang, display_key(event.title.get(lang)))] > 1 for lang in LANGS)

    def in_order(self, event_ids: Sequence[str] | frozenset[str]) -> list[str]:
        """The ids of the bank's events among `event_ids`, in the bank's order."""
        return sorted((i for i in set(event_ids) if i in self.position), key=self.position.__getitem__)

    # --- events surely before or after a date ---------------------------------------------------

    def _ranges(self, event: Event, side: str) -> tuple[int, int]:
        """(how many events end before the event starts, index of the first that starts after it ends)."""
        first, last = self.span_of(event)
        before = bisect_left(self.ends, first) if side in ("both", "before") else 0
        after = bisect_right(self.starts, last) if side in ("both", "after") else len(self.events)
        return before, after

    def nearest_apart(self, event: Event, side: str = "both") -> Iterator[Event]:
        """Events surely before and/or after the event ("before", "after", "both"), nearest start
        first; the walk stops after SEARCH_LIMIT steps past events that overlap it."""
        first, last = self.span_of(event)
        n = len(self.events)
        after = bisect_right(self.starts, last) if side in ("both", "after") else n
        back = bisect_left(self.starts, first) - 1 if side in ("both", "before") else -1
        skipped = 0
        while after < n or back >= 0:
            # Events that start before this one may still end after it starts: those overlap it.
            while back >= 0 and self._ends_by_start[back] >= first:
                back -= 1
                skipped += 1
                if skipped > SEARCH_LIMIT:
                    back = -1
            if back < 0 and after >= n:
                return
            if after < n and (back < 0 or self.starts[after] - first <= first - self.starts[back]):
                yield self.by_start[after]
                after += 1
            else:
                yield self.by_start[back]
                back -= 1

    def nearest(self, event: Event) -> Iterator[Event]:
        """The other events, nearest start first, at most SEARCH_LIMIT: the same era first."""
        first = self.span_of(event)[0]
        n = len(self.events)
        after = bisect_left(self.starts, first)
        back = after - 1
        for _ in range(min(n, SEARCH_LIMIT + 1)):
            if after < n and (back < 0 or self.starts[after] - first <= first - self.starts[back]):
                other, after = self.by_start[after], after + 1
            elif back >= 0:
                other, back = self.by_start[back], back - 1
            else:
                return
            if other.id != event.id:
                yield other

    def random_apart(self, event: Event, rng: random.Random, side: str = "both") -> Iterator[Event]:
        """Events surely before and/or after the event, in a random order, each once."""
        before, after = self._ranges(event, side)
        n = len(self.events)
        for k in draws(before + n - after, rng):
            yield self.by_end[k] if k < before else self.by_start[after + k - before]

    def plausible_apart(
        self, event: Event, rng: random.Random, window: int, side: str = "both"
    ) -> Iterator[Event]:
        """The `window` nearest events apart from the event in random order, then others drawn at
        random (at most SEARCH_LIMIT), each once: plausible distractors first, variety after."""
        near = list(islice(self.nearest_apart(event, side), window))
        rng.shuffle(near)
        yield from near
        seen = {e.id for e in near}
        for other in islice(self.random_apart(event, rng, side), SEARCH_LIMIT + len(near)):
            if other.id not in seen:
                yield other

    def first_after_year(self, year: int) -> int:
        """The index in start order of the first event that starts in a later calendar year."""
        if year >= dt.MAXYEAR:
            return len(self.events)
        return bisect_left(self.starts, dt.date(year + 1, 1, 1).toordinal())

    def first_in_year(self, year: int) -> int:
        """The index in start order of the first event that starts in the year or later."""
        return bisect_left(self.starts, dt.date(year, 1, 1).toordinal())

    # --- the bank's people, places and answers --------------------------------------------------

    @cached_property
    def _answers(self) -> dict[str, list[tuple[str, Text]]]:
        out: dict[str, list[tuple[str, Text]]] = {"who": [], "where": [], "what": []}
        for e in self.events:
            out["who"].extend((e.id, a) for a in e.actors)
            out["where"].extend((e.id, p) for p in e.places)
            for f in e.facts:
                if f.kind in out and f.answer is not None:
                    out[f.kind].append((e.id, f.answer))
        return out

    def answers(self, kind: str) -> list[tuple[str, Text]]:
        """(event id, text) of every answer of a kind: who (actors too), where (places too), what."""
        return self._answers.get(kind, [])


def timeline(bank: Bank) -> Timeline:
    """The bank's timeline, built once per bank object and kept with it."""
    return bank.derived("timeline", Timeline)


def index_bank(bank: Bank) -> Timeline:
    """Build everything the generators look up in a bank now: where the app parses a bank (once
    per version), so that no question pays for it."""
    tl = timeline(bank)
    for name in ("max_apart", "years", "bounds", "_titles", "_answers"):
        getattr(tl, name)
    return tl
