"""bank_warnings: what a teacher can act on in a valid bank."""

from __future__ import annotations

from quizapp.domain.bank import Bank, Event, Fact, Text
from quizapp.domain.bankcheck import bank_warnings, looks_missing
from quizapp.domain.dates import PartialDate
from quizapp.domain.formats.bankfile import load_bank
from quizapp.domain.validate import validate_bank
from tests.conftest import ROOT


def event(eid: str, date: str, title: Text | None = None, facts: tuple[Fact, ...] = ()) -> Event:
    return Event(
        id=eid, date=PartialDate.parse(date), title=title or Text(f"حدث {eid}", f"Event {eid}"), facts=facts
    )


def codes(bank: Bank) -> list[str]:
    return [w.code for w in bank_warnings(bank)]


def test_a_text_in_the_wrong_script_counts_as_missing() -> None:
    assert looks_missing(Text("Lenin dies", "Lenin dies"), "ar")
    assert looks_missing(Text("وفاة لينين", "وفاة لينين"), "en")
    assert not looks_missing(Text("وفاة لينين NKVD", "Lenin dies"), "ar")
    assert not looks_missing(Text("1917", "1917"), "ar")  # no letters: nothing to judge
    bank = Bank("b", Text("ب", "B"), events=(event("a", "1917", Text("Copied English", "Copied English")),))
    (w,) = [w for w in bank_warnings(bank) if w.code == "missing-language"]
    assert w.params == {"event": "a", "field": "title", "lang": "ar"} and w.events == ("a",)
    assert validate_bank(bank) == []  # valid, yet worth a look


def test_overlapping_dates_are_grouped_and_too_few_apart_for_ordering() -> None:
    bank = Bank("b", Text("ب", "B"), events=(event("y", "1917"), event("m", "1917-10"), event("z", "1920")))
    warnings = bank_warnings(bank)
    same = [w for w in warnings if w.code == "same-date"]
    assert [w.events for w in same] == [("y", "m")]
    assert same[0].params["dates"] == ["1917", "1917-10"]
    (few,) = [w for w in warnings if w.code == "few-events-for-ordering"]
    assert few.params == {"have": 2, "need": 3}
    apart = Bank("b", Text("ب", "B"), events=(event("a", "1917"), event("b", "1918"), event("c", "1919")))
    assert codes(apart) == []


def test_facts_with_too_few_distractors() -> None:
    who = Fact(
        "who", Text("من؟", "Who?"), answer=Text("لينين", "Lenin"), distractors=(Text("ستالين", "Stalin"),)
    )
    many = Fact("how-many", Text("كم؟", "How many?"), number=7)
    bank = Bank("b", Text("ب", "B"), events=(event("a", "1917", facts=(who, many)),))
    (w,) = [w for w in bank_warnings(bank) if w.code == "few-distractors"]
    assert w.params == {"event": "a", "fact": 1, "have": 1, "need": 3, "usable": False}
    # Another event's people fill the options in: the fact is asked, still worth a look.
    other = Event(
        id="b",
        date=PartialDate(1918),
        title=Text("ب", "B"),
        actors=(Text("تروتسكي", "Trotsky"), Text("كامينيف", "Kamenev")),
    )
    bank = Bank("b", Text("ب", "B"), events=(event("a", "1917", facts=(who,)), other))
    (w,) = [w for w in bank_warnings(bank) if w.code == "few-distractors"]
    assert w.params["usable"] is True


def test_the_trotsky_bank_has_only_its_known_overlaps() -> None:
    bank = load_bank(ROOT / "questions" / "trotsky.yaml")
    assert set(codes(bank)) == {"same-date"}
