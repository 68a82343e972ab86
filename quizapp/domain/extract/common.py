"""What the language finders hand to the resolver: raw date expressions found in a text.

A finder only reads; it never decides what an expression means beside its neighbours. The resolver
(resolver.py) fills in missing years, resolves relative phrases, merges Hijri dates into their
Gregorian neighbour and drops what is not an event.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from quizapp.domain.dates import PartialDate

Kind = Literal["date", "noyear", "relative", "hijri"]
Unit = Literal["year", "month", "day"]


@dataclass(frozen=True, slots=True)
class Found:
    """One date expression at [start, end) of the text, as read by a language finder."""

    start: int
    end: int
    kind: Kind
    date: PartialDate | None = None
    #: For "noyear": the month and day waiting for the year the text is talking about.
    month: int | None = None
    day: int | None = None
    #: For a range: its last date (the first is `date`).
    range_end: PartialDate | None = None
    decade: bool = False
    #: For "relative": the unit and how many of them after (or before) the date in context.
    unit: Unit | None = None
    delta: int = 0
    #: For "hijri": the Hijri date as partial ISO ("1359-07-17").
    hijri: str | None = None
    #: False for dates that do not move the story on: "since 1805", "born in 1920", "(1914-1918)".
    sets_context: bool = True
    #: What the date allows (dates.CERTAINTIES), when the finder already knows: a Hijri month
    #: alone covers two Gregorian months, "between" its first and `certainty_end`.
    certainty: str = "exact"
    certainty_end: PartialDate | None = None


def make_date(year: int, month: int | None = None, day: int | None = None) -> PartialDate | None:
    """A PartialDate, or None when the parts are not a real date (31 February, year 0)."""
    try:
        return PartialDate(year, month, day)
    except ValueError:
        return None


def alternation(words: list[str] | tuple[str, ...] | dict[str, int]) -> str:
    """A regex alternation of words, longest first, spaces inside a name matching any space."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def wordset(text: str) -> frozenset[str]:
    """The words of a space-separated list, as a set."""
    return frozenset(text.split())


def wordlist(text: str, sep: str) -> list[str]:
    """The items of a `sep`-separated list (names may hold spaces)."""
    return text.split(sep)


def squash(text: str) -> str:
    """Collapse runs of whitespace, so "كانون   الثاني" looks up like "كانون الثاني"."""
    return " ".join(text.split())


def pick(found: list[Found]) -> list[Found]:
    """Keep the longest of overlapping expressions (ties: the earlier), in text order."""
    taken = bytearray(max((f.end for f in found), default=0))
    chosen: list[Found] = []
    for item in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if 1 not in taken[item.start : item.end]:
            taken[item.start : item.end] = b"\x01" * (item.end - item.start)
            chosen.append(item)
    return sorted(chosen, key=lambda f: f.start)


def coordinated(
    text: str, found: list[Found], pattern: re.Pattern[str], is_count: Callable[[int], bool]
) -> list[Found]:
    """The years joined to a year found: "in 1979 and 1983", «عامي 1979 و1983» (each later than
    the one before it, by less than a century), each a date of its own."""
    out: list[Found] = []
    for f in found:
        if f.kind != "date" or f.date is None or f.date.precision != "year" or f.range_end or f.decade:
            continue
        last, end = f.date.year, f.end
        while (
            (m := pattern.match(text, end)) and last < int(m["y"]) < last + 100 and not is_count(m.end("y"))
        ):
            last, end = int(m["y"]), m.end("x")
            out.append(Found(m.start("x"), end, "date", make_date(last), sets_context=f.sets_context))
    return out


def expand_short_year(first: int, second: str) -> int:
    """The end year of "1914-18": two digits borrow the century of the start; 0 if they cannot."""
    if len(second) <= 2:
        value = (first // 100) * 100 + int(second)
        # "1940-08" is a month, not a range that runs into 2008.
        return value if value > first >= 100 else 0
    return int(second)
