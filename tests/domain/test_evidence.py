"""Evidence located in the source text, for the explore page's highlights."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.bank import Event, Text
from quizapp.domain.dates import PartialDate
from quizapp.domain.evidence import find_evidence, segments
from quizapp.domain.formats.bankfile import load_bank

ROOT = Path(__file__).resolve().parents[2]


def ev(eid: str, evidence: str) -> Event:
    return Event(id=eid, date=PartialDate(1940), title=Text("ع", "e"), evidence=evidence)


def test_loose_white_space_still_finds_the_sentence() -> None:
    assert find_evidence("a  b\nc d", "b c") == (3, 6)
    assert find_evidence("abc", "x") is None
    assert find_evidence("abc", "   ") is None


def test_segments_join_back_to_the_source_and_mark_overlaps() -> None:
    source = "one two three four five"
    parts = segments(source, [ev("a", "two three"), ev("b", "three four"), ev("c", "missing")])
    assert "".join(p.text for p in parts) == source
    assert [(p.text, p.events) for p in parts] == [
        ("one ", ()),
        ("two ", ("a",)),
        ("three", ("a", "b")),
        (" four", ("b",)),
        (" five", ()),
    ]


def test_every_event_of_the_first_bank_is_highlighted_in_its_source() -> None:
    bank = load_bank(ROOT / "questions" / "trotsky.yaml")
    parts = segments(bank.source.text, bank.events)
    marked = {e for p in parts for e in p.events}
    assert marked == {e.id for e in bank.events}
    assert "".join(p.text for p in parts) == bank.source.text


@given(st.text(min_size=1, max_size=60), st.data())
def test_segments_always_rebuild_the_source(source: str, data: st.DataObject) -> None:
    n = len(source)
    picks = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=4))
    events = [ev(f"e{i}", source[min(a, b) : max(a, b)]) for i, (a, b) in enumerate(picks)]
    assert "".join(p.text for p in segments(source, events)) == source
