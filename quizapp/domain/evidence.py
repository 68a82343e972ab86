"""Where each event's evidence stands in the bank's source text, for highlighting it there."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .bank import Event


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the source text, and the events whose evidence covers it (empty: plain text)."""

    text: str
    events: tuple[str, ...] = ()


def find_evidence(source: str, evidence: str) -> tuple[int, int] | None:
    """The span of the evidence in the source, white space matched loosely; None when absent."""
    words = evidence.split()
    if not words:
        return None
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, source)
    return (m.start(), m.end()) if m else None


def segments(source: str, events: Iterable[Event]) -> list[Segment]:
    """The source cut into runs, each run marked with the events whose evidence covers it."""
    spans: list[tuple[int, int, str]] = []
    for event in events:
        found = find_evidence(source, event.evidence)
        if found:
            spans.append((found[0], found[1], event.id))
    cuts = sorted({0, len(source), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Segment] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = tuple(eid for s, e, eid in spans if s <= start and end <= e)
        text = source[start:end]
        if out and out[-1].events == covering:
            out[-1] = Segment(out[-1].text + text, covering)
        else:
            out.append(Segment(text, covering))
    return out
