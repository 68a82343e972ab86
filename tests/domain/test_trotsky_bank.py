"""The Trotsky bank, checked the way a history teacher would check it against its source text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.bank import Bank, Event, Fact, Text
from quizapp.domain.dates import PartialDate, format_partial, month_names
from quizapp.domain.formats.bankfile import load_bank, validate_file

ROOT = Path(__file__).resolve().parents[2]
BANK_FILE = ROOT / "questions" / "trotsky.yaml"
SOURCE_FILE = ROOT / "questions" / "sources" / "trotsky.ar.txt"

# Arabic letters proper (U+0621..U+064A), plus the extended letters; not the Arabic comma,
# digits or marks, which an English text may legitimately avoid or carry by accident.
ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF]")
_MONTHS = month_names("ar")
# A date as the source writes it: "21 يناير 1924", "يناير 1937", "عام 1928", "1917".
_DATE = re.compile(
    r"(?:(?P<d>\d{1,2})\s+)?(?:(?P<m>"
    + "|".join(map(re.escape, _MONTHS))
    + r")\s+)?(?<!\d)(?P<y>\d{4})(?!\d)"
)
# Events whose sentence names an earlier date they follow ("after the attempt of March 1939").
FOLLOWS = {"nkvd-given-the-task": PartialDate(1939, 3)}
# Read with plain YAML so that a broken bank fails its tests, with the validator's message,
# rather than their collection.
RAW = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
EVENT_IDS = [e["id"] for e in RAW["events"]]
# Small numbers the source writes out in words, not digits.
NUMBER_WORDS = {3: "ثلاث", 5: "خمس"}


def squash(text: str) -> str:
    """Collapse runs of whitespace, as the validator does."""
    return " ".join(text.split())


def dates_in(text: str) -> list[PartialDate]:
    """Every explicit date written in an Arabic text, at the precision it is written."""
    found = []
    for m in _DATE.finditer(text):
        month = _MONTHS[m["m"]] if m["m"] else None
        day = int(m["d"]) if m["d"] and month else None
        found.append(PartialDate(int(m["y"]), month, day))
    return found


def texts(bank: Bank) -> Iterator[tuple[str, Text]]:
    """Every text a student or teacher reads, with where it is."""
    yield "title", bank.title
    if bank.description:
        yield "description", bank.description
    if bank.source:
        yield "source.title", bank.source.title
    for e in bank.events:
        yield f"{e.id}.title", e.title
        for name in ("description", "note"):
            if getattr(e, name) is not None:
                yield f"{e.id}.{name}", getattr(e, name)
        for i, t in enumerate(e.actors):
            yield f"{e.id}.actors[{i}]", t
        for i, t in enumerate(e.places):
            yield f"{e.id}.places[{i}]", t
        for i, f in enumerate(e.facts):
            yield f"{e.id}.facts[{i}].question", f.question
            for name in ("answer", "unit"):
                if getattr(f, name) is not None:
                    yield f"{e.id}.facts[{i}].{name}", getattr(f, name)
            for j, d in enumerate(f.distractors):
                if isinstance(d, Text):
                    yield f"{e.id}.facts[{i}].distractors[{j}]", d
    for q in bank.questions:
        yield f"{q.id}.prompt", q.prompt
        for i, t in enumerate(q.options):
            yield f"{q.id}.options[{i}]", t
        for i, t in enumerate(q.items):
            yield f"{q.id}.items[{i}]", t
        if q.explanation:
            yield f"{q.id}.explanation", q.explanation


def facts(bank: Bank) -> Iterator[tuple[Event, Fact]]:
    """Every fact with the event it belongs to."""
    for e in bank.events:
        for f in e.facts:
            yield e, f


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(BANK_FILE)


@pytest.fixture(scope="module")
def source() -> str:
    return squash(SOURCE_FILE.read_text(encoding="utf-8"))


def fact_answers(bank: Bank, event_id: str, kind: str) -> list[str]:
    """The English answers (or numbers, as text) of an event's facts of one kind."""
    return [
        str(f.number) if f.kind == "how-many" else f.answer.en  # type: ignore[union-attr]
        for f in bank.event(event_id).facts
        if f.kind == kind
    ]


# --- the file as a whole ------------------------------------------------------------------


def test_the_validator_finds_no_problem() -> None:
    assert [str(problem) for problem in validate_file(BANK_FILE)] == []


def test_the_bank_names_its_arabic_source(bank: Bank) -> None:
    assert bank.slug == "trotsky"
    assert bank.source is not None
    assert bank.source.file == "sources/trotsky.ar.txt"
    assert bank.source.lang == "ar"


def test_the_bank_spans_the_revolution_to_the_funeral(bank: Bank) -> None:
    dates = [e.date for e in bank.events]
    assert min(d.start for d in dates).year == 1917
    death = bank.event("trotsky-dies").date
    assert not bank.event("funeral").date.before(death)
    assert max(d.end for d in dates) >= death.end
    assert 14 <= len(bank.events) <= 20
    assert sum(len(e.facts) for e in bank.events) >= 20


def test_events_read_in_chronological_order(bank: Bank) -> None:
    for earlier, later in zip(bank.events, bank.events[1:], strict=False):
        assert not later.date.before(earlier.date), f"{later.id} comes before {earlier.id}"


def test_every_date_the_source_gives_is_an_event(bank: Bank, source: str) -> None:
    given = {d.iso() for d in dates_in(source)}
    assert given >= {"1917", "1924-01-21", "1928", "1932", "1937-01", "1939-03", "1940-05-24"}
    assert given - {e.date.iso() for e in bank.events} == set()


# --- evidence and dates -------------------------------------------------------------------


@pytest.mark.parametrize("event_id", EVENT_IDS)
def test_evidence_is_the_sources_own_words(source: str, event_id: str) -> None:
    # Checked on the raw file, independently of the loader's own check.
    evidence = next(e for e in RAW["events"] if e["id"] == event_id)["evidence"]
    assert evidence.strip()
    assert squash(evidence) in source


def test_no_two_events_rest_on_the_same_words(bank: Bank) -> None:
    evidence = [squash(e.evidence) for e in bank.events]
    assert len(set(evidence)) == len(evidence)
    titles = [e.title.en.casefold() for e in bank.events] + [e.title.ar for e in bank.events]
    assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("event_id", EVENT_IDS)
def test_a_date_written_in_the_evidence_is_the_events_date(bank: Bank, event_id: str) -> None:
    event = bank.event(event_id)
    written = dates_in(event.evidence)
    if event_id in FOLLOWS:
        anchor = FOLLOWS[event_id]
        assert written == [anchor]
        assert not event.date.before(anchor)
        assert event.date.year == anchor.year  # "after March 1939" gives no licence to move the year
    elif written:
        assert {d.iso() for d in written} == {event.date.iso()}


@pytest.mark.parametrize("event_id", EVENT_IDS)
def test_a_date_not_written_in_the_evidence_is_explained(bank: Bank, event_id: str) -> None:
    event = bank.event(event_id)
    if dates_in(event.evidence) == [event.date]:
        return
    assert event.note is not None, f"{event_id} is dated {event.date} without saying how"
    assert event.note.missing() == []
    assert str(event.date.year) in event.note.en
    assert str(event.date.year) in event.note.ar


def test_key_dates(bank: Bank) -> None:
    assert bank.event("lenin-dies").date == PartialDate(1924, 1, 21)
    assert bank.event("trotsky-dies").date == PartialDate(1940, 8, 21)
    assert bank.event("ice-axe-attack").date == PartialDate(1940, 8, 20)
    assert bank.event("ice-axe-attack").date.before(bank.event("trotsky-dies").date)
    assert bank.event("raid-on-residence").date == PartialDate(1940, 5, 24)
    assert bank.event("arrives-in-mexico").date == PartialDate(1937, 1)
    assert bank.event("exile-to-kazakhstan").date == PartialDate(1928)


def test_the_revolutions_keep_the_year_the_source_gives(bank: Bank) -> None:
    for event_id, month_en, month_ar in [
        ("october-revolution", "November", "نوفمبر"),
        ("tsar-abdicates", "March", "مارس"),
    ]:
        event = bank.event(event_id)
        assert event.date == PartialDate(1917)
        assert month_en in event.note.en and "Julian" in event.note.en
        assert month_ar in event.note.ar and "اليولياني" in event.note.ar


def test_the_following_year_is_resolved_to_1929(bank: Bank) -> None:
    event = bank.event("expelled-from-soviet-union")
    assert event.date == PartialDate(1929)
    assert "وفي العام التالي" in event.evidence
    assert "following year" in event.note.en and "1928" in event.note.en
    assert "العام التالي" in event.note.ar and "1928" in event.note.ar
    assert event.date == bank.event("exile-to-kazakhstan").date.shifted(years=1)


def test_citizenship_is_lost_by_1932(bank: Bank) -> None:
    event = bank.event("stripped-of-citizenship")
    assert event.date == PartialDate(1932)
    assert "بحلول عام 1932" in event.evidence
    assert "by 1932" in event.note.en
    assert "بحلول عام 1932" in event.note.ar


def test_the_march_1939_attempt_is_flagged_as_the_sources_claim(bank: Bank) -> None:
    event = bank.event("failed-attempt-1939")
    assert event.date == PartialDate(1939, 3)
    assert "24 May 1940" in event.note.en
    assert "24 مايو 1940" in event.note.ar
    assert "uncertain" in event.tags


def test_the_funeral_follows_the_death_within_august_1940(bank: Bank) -> None:
    death = bank.event("trotsky-dies").date
    for event_id in ("funeral", "lying-in-state"):
        event = bank.event(event_id)
        assert event.date == PartialDate(1940, 8)
        assert event.date.overlaps(death)
        assert "August 1940" in event.note.en
        assert "أغسطس 1940" in event.note.ar


def test_the_red_army_year_is_owned_up_to(bank: Bank) -> None:
    event = bank.event("red-army-founded")
    assert dates_in(event.evidence) == []
    assert "not from the source" in event.note.en
    assert "لا من النص" in event.note.ar


# --- both languages -----------------------------------------------------------------------


def test_every_text_is_written_in_both_languages(bank: Bank) -> None:
    for where, text in texts(bank):
        assert text.missing() == [], f"{where} lacks {text.missing()}"
        assert ARABIC_LETTER.search(text.ar), f"{where}: Arabic text without Arabic: {text.ar!r}"
        assert not ARABIC_LETTER.search(text.en), f"{where}: English text with Arabic: {text.en!r}"


def test_titles_are_short(bank: Bank) -> None:
    for e in bank.events:
        assert len(e.title.en.split()) <= 7, e.title.en
        assert len(e.title.ar.split()) <= 7, e.title.ar


def test_the_sources_typos_stay_in_the_evidence_only(bank: Bank) -> None:
    typos = ["ميركادر", "مفوضية العشب", "بتصفيةه"]
    for where, text in texts(bank):
        # A note may quote the source's typo, between guillemets, to explain it.
        own_words = re.sub(r"«[^»]*»", "", text.ar) if where.endswith(".note") else text.ar
        for typo in typos:
            assert typo not in own_words, f"{where} copies the source's typo {typo!r}"
    mercader = Text(ar="رامون ميركادير", en="Ramón Mercader")
    assert mercader in bank.event("ice-axe-attack").actors
    assert mercader in bank.event("mercader-seized").actors
    assert "ميركادر" in bank.event("ice-axe-attack").evidence


def test_every_place_is_named_by_the_source(bank: Bank, source: str) -> None:
    for e in bank.events:
        for place in e.places:
            assert place.ar in source, f"{e.id}: {place.en} is not in the source"


def test_coyoacan_appears_only_in_a_note(bank: Bank) -> None:
    for where, text in texts(bank):
        if "Coyoac" in text.en or "كويواكان" in text.ar:
            assert where.endswith(".note"), where
            assert "names neither" in text.en


# --- facts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_id", "kind", "answer"),
    [
        ("ice-axe-attack", "who", "Ramón Mercader"),
        ("ice-axe-attack", "what", "An ice axe"),
        ("ice-axe-attack", "what", "Feeding his rabbits"),
        ("ice-axe-attack", "what", "The parietal bone"),
        ("ice-axe-attack", "what", "A Spanish communist"),
        ("ice-axe-attack", "how-many", "7"),
        ("trotsky-dies", "how-many", "60"),
        ("lying-in-state", "how-many", "300000"),
        ("lying-in-state", "where", "Mexico City"),
        ("nkvd-given-the-task", "how-many", "3"),
        ("exile-to-kazakhstan", "where", "Kazakhstan"),
        ("expelled-from-soviet-union", "where", "Turkey"),
        ("arrives-in-mexico", "where", "Mexico"),
        ("red-army-founded", "who", "Leon Trotsky"),
        ("red-army-founded", "how-many", "5"),
        ("lenin-dies", "who", "Joseph Stalin"),
        ("raid-on-residence", "who", "Agents of the NKVD"),
        ("raid-on-residence", "who", "Joseph Stalin"),
        ("mercader-seized", "who", "Trotsky's guards"),
    ],
)
def test_the_facts_the_text_gives(bank: Bank, event_id: str, kind: str, answer: str) -> None:
    assert answer in fact_answers(bank, event_id, kind)


def test_numbers_are_the_sources_numbers(bank: Bank, source: str) -> None:
    exile = next(q for q in bank.questions if q.id == "exile-route")
    for event, fact in facts(bank):
        if fact.kind != "how-many":
            continue
        number = int(fact.number)  # type: ignore[arg-type]
        if event.id == "arrives-in-mexico":
            assert number == len(exile.items)  # a count of the countries the source lists
            continue
        in_digits = re.search(rf"(?<!\d){number}(?!\d)", source)
        written = in_digits is not None or NUMBER_WORDS.get(number, "\0") in source
        assert written, f"{event.id}: {number} is not in the source"
        assert fact.unit is not None and fact.unit.missing() == []


def test_the_wound_and_the_mourners_in_the_sources_words(bank: Bank, source: str) -> None:
    assert "7 سنتيمترات" in source and "العظم الجداري" in source
    assert "حوالي 300000 شخص" in bank.event("lying-in-state").evidence
    assert "60 عامًا" in bank.event("trotsky-dies").evidence
    assert "ثلاث قنوات تجسس" in source


def test_distractors_are_wrong_and_distinct(bank: Bank) -> None:
    for event, fact in facts(bank):
        where = f"{event.id}: {fact.question.en}"
        if fact.kind == "how-many":
            assert fact.number not in fact.distractors, where
            assert len(set(fact.distractors)) == len(fact.distractors) >= 3, where
            assert all(d > 0 for d in fact.distractors), where  # type: ignore[operator]
            continue
        assert fact.answer is not None
        assert len(fact.distractors) >= 3, where
        for lang in ("ar", "en"):
            shown = [fact.answer.get(lang).casefold()] + [d.get(lang).casefold() for d in fact.distractors]  # type: ignore[union-attr]
            assert len(set(shown)) == len(shown), f"{where} ({lang})"


def test_no_distractor_names_someone_or_somewhere_of_the_same_event(bank: Bank) -> None:
    for event, fact in facts(bank):
        named = {t.en.casefold() for t in event.actors + event.places}
        if fact.kind in ("who", "where"):
            for d in fact.distractors:
                assert d.en.casefold() not in named, f"{event.id}: {d.en} is also true"  # type: ignore[union-attr]


def test_a_where_answer_is_a_place_of_its_event(bank: Bank) -> None:
    for event, fact in facts(bank):
        if fact.kind == "where":
            assert fact.answer in event.places, f"{event.id}: {fact.answer}"


def test_weapon_distractors_avoid_the_ice_pick_confusion(bank: Bank) -> None:
    weapon = next(f for f in bank.event("ice-axe-attack").facts if f.answer and f.answer.en == "An ice axe")
    # Popular accounts call the weapon an ice pick: offering it as wrong would be unfair.
    assert all("ice" not in d.en.casefold() for d in weapon.distractors)  # type: ignore[union-attr]


# --- hand-written questions ---------------------------------------------------------------


def test_the_exile_route_follows_the_source(bank: Bank) -> None:
    exile = next(q for q in bank.questions if q.id == "exile-route")
    assert exile.type == "ordering"
    assert [t.en for t in exile.items] == ["Turkey", "France", "Norway", "Mexico"]
    sentence = bank.event("arrives-in-mexico").evidence  # "... بين تركيا وفرنسا. والنرويج ... المكسيك."
    positions = [sentence.index(t.ar.removeprefix("ال")) for t in exile.items]
    assert positions == sorted(positions)


def test_the_stages_of_the_fall_are_in_date_order(bank: Bank) -> None:
    stages = next(q for q in bank.questions if q.id == "stages-of-the-fall")
    assert stages.type == "ordering"
    assert len(stages.events) == len(stages.items) >= 3
    dates = [bank.event(i).date for i in stages.events]
    for earlier, later in zip(dates, dates[1:], strict=False):
        assert earlier.before(later)
    for item, event_id in zip(stages.items, stages.events, strict=True):
        assert item.ar and item.en and bank.event(event_id)


def test_multiple_choice_questions_have_one_right_answer_and_an_explanation(bank: Bank) -> None:
    mcqs = [q for q in bank.questions if q.type == "mcq"]
    assert len(mcqs) >= 2
    for q in mcqs:
        assert q.answer is not None and 0 <= q.answer < len(q.options)
        assert len({o.en for o in q.options}) == len(q.options) >= 3
        assert q.explanation is not None and q.explanation.missing() == []
        for event_id in q.events:
            assert bank.event(event_id)


def test_the_calendar_question_is_keyed_to_the_julian_calendar(bank: Bank) -> None:
    q = next(q for q in bank.questions if q.id == "julian-calendar")
    assert q.options[q.answer].en == "The Julian calendar"  # type: ignore[index]
    assert "November" in q.prompt.en and "نوفمبر" in q.prompt.ar


# --- the date reader these checks rely on -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("بعد وفاة فلاديمير لينين في 21 يناير 1924 ، تمكن", ["1924-01-21"]),
        ("قبل أن تهبط خلال يناير 1937 في المكسيك.", ["1937-01"]),
        ("بعد ثورة فبراير ، عاشت روسيا خلال عام 1917 على أثر ثورة", ["1917"]),
        ("وسُحبت جنسيته بحلول عام 1932.", ["1932"]),
        ("جاء حوالي 300000 شخص", []),
        ("قبل أن يخترق دماغه 7 سنتيمترات", []),
    ],
)
def test_dates_in_reads_the_sources_dates(text: str, expected: list[str]) -> None:
    assert [d.iso() for d in dates_in(text)] == expected


@given(
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31)),
    st.sampled_from(["year", "month", "day"]),
)
def test_dates_in_reads_back_any_arabic_date(day: dt.date, precision: str) -> None:
    date = PartialDate.from_date(day, precision)  # type: ignore[arg-type]
    sentence = f"وفي {format_partial(date, 'ar')} ، حدث ما حدث."
    assert dates_in(sentence) == [date]
