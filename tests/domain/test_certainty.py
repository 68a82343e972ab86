"""Certainty and provenance of dates: the span each allows, how it reads in both languages, how the
narrative narrows it, and what `quizapp bank validate` says about it."""

from __future__ import annotations

import datetime as dt

import pytest

from quizapp.domain.bank import Bank, Event, Text
from quizapp.domain.dates import EVER, DateStyle, Dating, PartialDate, Span, format_dating
from quizapp.domain.formats.bankfile import dump_bank, parse_bank
from quizapp.domain.problems import BankFileError

D = PartialDate.parse


def dating(date: str, certainty: str = "exact", margin: int = 0, end: str | None = None) -> Dating:
    return Dating(D(date), certainty, margin, D(end) if end else None)


# --- the span a date allows ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "start", "end"),
    [
        (dating("1932"), dt.date(1932, 1, 1), dt.date(1932, 12, 31)),
        (dating("1932", "by"), dt.date.min, dt.date(1932, 12, 31)),
        (dating("1939-03", "after"), dt.date(1939, 3, 1), dt.date.max),
        (dating("1299", "about", 5), dt.date(1294, 1, 1), dt.date(1304, 12, 31)),
        (dating("1936", "between", end="1937-06"), dt.date(1936, 1, 1), dt.date(1937, 6, 30)),
        (dating("1940-08-21"), dt.date(1940, 8, 21), dt.date(1940, 8, 21)),
    ],
)
def test_each_certainty_is_one_span(d: Dating, start: dt.date, end: dt.date) -> None:
    assert d.span == Span(start, end)


def test_spans_compare_as_sets_of_days() -> None:
    by_1932 = dating("1932", "by").span
    assert by_1932.overlaps(dating("1930").span)  # "by 1932" allows 1930
    assert by_1932.before(dating("1933").span)
    assert not by_1932.bounded and by_1932.one_year is None
    assert dating("1940-08").span.one_year == 1940
    assert dating("1936", "between", end="1937").span.one_year is None
    assert not EVER.bounded


# --- how it reads --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "en", "ar"),
    [
        (dating("1928"), "1928", "1928"),
        (dating("1932", "by"), "by 1932", "بحلول عام 1932"),
        (dating("1939-03", "after"), "after March 1939", "بعد مارس 1939"),
        (dating("1299", "about", 5), "about 1299", "نحو عام 1299"),
        (dating("1936", "between", end="1937"), "between 1936 and 1937", "بين عامَي 1936 و1937"),
        (
            dating("1939-03", "between", end="1940-05"),
            "between March 1939 and May 1940",
            "بين مارس 1939 ومايو 1940",
        ),
        (dating("1940-08-20", "by"), "by 20 August 1940", "بحلول 20 أغسطس 1940"),
    ],
)
def test_a_date_reads_with_its_certainty_in_both_languages(d: Dating, en: str, ar: str) -> None:
    assert format_dating(d, "en") == en
    assert format_dating(d, "ar") == ar


def test_the_arabic_reading_follows_the_style() -> None:
    style = DateStyle(arabic_months="lev", arabic_digits=True)
    assert format_dating(dating("1939-03", "after"), "ar", style) == "بعد آذار ١٩٣٩"
    assert format_dating(dating("1932", "by"), "ar", style) == "بحلول عام ١٩٣٢"


# --- the narrative narrows the spans ---------------------------------------------------------------


def event(id_: str, date: str, **kw: object) -> Event:
    return Event(id=id_, date=D(date), title=Text(f"ع {id_}", id_), **kw)  # type: ignore[arg-type]


def test_after_orders_events_the_dates_do_not() -> None:
    bank = Bank(
        slug="b",
        title=Text("ب", "b"),
        events=(
            event("death", "1940-08-21"),
            event("funeral", "1940-08", after=("death",)),
            event("burial", "1940-08", after=("funeral",)),
        ),
    )
    chron = bank.chronology
    assert chron.before("death", "funeral") and chron.before("death", "burial")  # through the chain
    assert not chron.before("funeral", "death")
    assert chron.span["funeral"] == Span(dt.date(1940, 8, 21), dt.date(1940, 8, 31))


def test_after_narrows_open_dates_from_both_sides() -> None:
    bank = Bank(
        slug="b",
        title=Text("ب", "b"),
        events=(
            event("attempt", "1939-03"),
            event("task", "1939-03", certainty="after", after=("attempt",)),
            event("raid", "1940-05-24", after=("task",)),
        ),
    )
    assert bank.chronology.span["task"] == Span(dt.date(1939, 3, 1), dt.date(1940, 5, 24))


def test_an_outside_date_counts_only_where_the_bank_allows_it() -> None:
    events = (
        event("revolution", "1917"),
        event("army", "1918", provenance="outside", note=Text("خارج", "outside"), after=("revolution",)),
    )
    strict = Bank(slug="b", title=Text("ب", "b"), events=events)
    assert not strict.chronology.usable["army"]
    assert strict.chronology.span["army"] == Span(dt.date(1917, 1, 1), dt.date.max)
    assert strict.chronology.before("revolution", "army")  # the narrative still places it
    allowed = Bank(slug="b", title=Text("ب", "b"), events=events, outside_dates=True)
    assert allowed.chronology.span["army"] == Span(dt.date(1918, 1, 1), dt.date(1918, 12, 31))


# --- the file format and its validation --------------------------------------------------------------

HEAD = """slug: b
title: {ar: ب, en: b}
events:
"""


def ev(id_: str, date: str, extra: str = "") -> str:
    return f'  - id: {id_}\n    date: "{date}"\n    title: {{ar: "ع {id_}", en: "{id_}"}}\n{extra}'


def problems(text: str) -> list[str]:
    try:
        parse_bank(text, "bank.yaml")
    except BankFileError as err:
        return [str(p) for p in err.problems]
    return []


def test_the_format_carries_certainty_provenance_and_order_both_ways() -> None:
    text = (
        HEAD
        + ev("a", "1939-03")
        + ev(
            "b",
            "1939-03",
            "    certainty: after\n    after: [a]\n    provenance: outside\n"
            "    note: {ar: من كتاب, en: from a book}\n"
            '    when: {ar: "متى؟", en: "When did b happen?"}\n',
        )
        + ev("c", "1299", "    certainty: about\n    margin: 5\n")
        + ev("d", "1936", '    certainty: between\n    end: "1937"\n')
    )
    text += "outside_dates: true\n"
    bank = parse_bank(text, "bank.yaml")
    b = bank.event("b")
    assert (b.certainty, b.provenance, b.after) == ("after", "outside", ("a",))
    assert b.when == Text("متى؟", "When did b happen?")
    assert bank.event("c").margin == 5 and bank.event("d").end == D("1937")
    assert bank.outside_dates
    assert parse_bank(dump_bank(bank), "again.yaml") == bank
    assert "certainty" not in bank.event("a").to_dict()  # the default is left out


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            ev("a", "1932", "    certainty: bye\n"),
            'bank.yaml:7: events[0].certainty: "bye" is not a certainty: use exact, by, after, about, '
            'or between (did you mean "by"?)',
        ),
        (
            ev("a", "1936", "    certainty: between\n"),
            'bank.yaml:4: events[0].end: a "between" date needs an end (end: YYYY, YYYY-MM or YYYY-MM-DD)',
        ),
        (
            ev("a", "1937", '    certainty: between\n    end: "1936"\n'),
            "bank.yaml:8: events[0].end: the end 1936 does not come after the date 1937",
        ),
        (
            ev("a", "1937", '    end: "1938"\n'),
            'bank.yaml:7: events[0].end: only a "between" date has an end (certainty: between)',
        ),
        (
            ev("a", "1299", "    certainty: about\n"),
            'bank.yaml:4: events[0].margin: an "about" date needs a margin in years (margin: 5)',
        ),
        (
            ev("a", "1299", "    certainty: about\n    margin: 2.5\n"),
            "bank.yaml:8: events[0].margin: the margin is a whole number of years, 1 or more, not 2.5",
        ),
        (
            ev("a", "1918", "    provenance: outside\n"),
            'bank.yaml:4: events[0].note: event "a": a date from outside the source needs a note saying '
            "where it comes from",
        ),
        (
            ev("a", "1918", "    provenance: elsewhere\n"),
            'bank.yaml:7: events[0].provenance: "elsewhere" is not a provenance: use source or outside',
        ),
        (
            ev("a", "1918", "    after: [b]\n"),
            'bank.yaml:7: events[0].after[0]: unknown event "b"',
        ),
        (
            ev("a", "1918", "    after: [a]\n"),
            "bank.yaml:7: events[0].after[0]: an event cannot come after itself",
        ),
    ],
)
def test_each_dating_problem_with_its_line(body: str, expected: str) -> None:
    assert problems(HEAD + body) == [expected]


def test_an_order_the_dates_contradict_is_refused_through_a_chain() -> None:
    text = HEAD + ev("a", "1940") + ev("b", "1939", "    certainty: by\n    after: [a]\n")
    assert problems(text) == [
        'bank.yaml:11: events[1].after[0]: comes after "a", whose date 1940 begins after this date 1939 ends'
    ]
    chain = HEAD + ev("a", "1940") + ev("b", "1930", "    certainty: after\n    after: [a]\n")
    chain += ev("c", "1939", "    after: [b]\n")
    assert problems(chain) == [
        'bank.yaml:15: events[2].after[0]: comes after "a", whose date 1940 begins after this date 1939 ends'
    ]


def test_a_cycle_is_named_once() -> None:
    text = HEAD + ev("a", "1940", "    after: [c]\n") + ev("b", "1940", "    after: [a]\n")
    text += ev("c", "1940", "    after: [b]\n")
    found = problems(text)
    assert len(found) == 1
    assert "come after one another in a circle" in found[0]
    assert all(name in found[0] for name in ("a", "b", "c"))


def test_problems_speak_arabic_through_the_catalog() -> None:
    from babel.messages.pofile import read_po

    from quizapp.domain.validate import validate_bank

    # The catalog as written (the lead compiles it at the end): each msgid to its Arabic.
    with open("quizapp/translations/ar/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)

    def gettext(msgid: str) -> str:
        message = catalog.get(msgid)
        return message.string if message is not None and message.string else msgid

    bank = Bank(
        slug="b",
        title=Text("ب", "b"),
        events=(event("a", "1937", certainty="between", end=D("1936")),),
    )
    (problem,) = validate_bank(bank)
    text = problem.render(gettext, "ar")
    assert "تاريخ النهاية" in text and "1936" in text


def test_overlapping_dates_the_narrative_orders_are_no_warning() -> None:
    from quizapp.domain.bankcheck import bank_warnings

    told = Bank(
        slug="b",
        title=Text("ب", "b"),
        events=(event("death", "1940-08-21"), event("funeral", "1940-08", after=("death",))),
    )
    assert [w.code for w in bank_warnings(told) if w.code == "same-date"] == []
    untold = Bank(
        slug="b", title=Text("ب", "b"), events=(event("death", "1940-08-21"), event("funeral", "1940-08"))
    )
    assert [w.events for w in bank_warnings(untold) if w.code == "same-date"] == [("funeral", "death")]


# --- the generators on every certainty ---------------------------------------------------------------


def _spread_bank() -> Bank:
    """Exact years around an "about", a "between", a "by" and an "after" date."""
    events = [event(f"y{y}", str(y)) for y in (1280, 1290, 1320, 1330, 1340, 1350, 1360, 1370)]
    events += [
        event("circa", "1299", certainty="about", margin=5),
        event("span", "1310", certainty="between", end=PartialDate(1312)),
        event("by", "1335", certainty="by", after=("y1330",)),
        event("after", "1355", certainty="after"),
    ]
    return Bank(slug="b", title=Text("ب", "b"), events=tuple(events))


def test_generators_ask_each_certainty_only_where_its_span_allows_one_answer() -> None:
    from quizapp.domain.generate import Settings, generate_quiz
    from quizapp.domain.generate.display import display_key

    bank = _spread_bank()
    seen: set[str] = set()
    for seed in range(120):
        for q in generate_quiz(bank, seed, Settings(count=30)).questions:
            seen.add(q.key)
            if q.kind == "event-date":
                subject = bank.event(q.key.split(":", 1)[1])
                allowed = subject.dating.span
                right = q.options[q.answer]  # type: ignore[index]
                assert right.en == format_dating(subject.dating, "en")
                for i, option in enumerate(q.options):
                    if i != q.answer:
                        year = int(option.en)
                        assert not allowed.overlaps(Span(dt.date(year, 1, 1), dt.date(year, 12, 31)))
            if q.kind == "date-event":
                subject = bank.event(q.events[q.answer])  # type: ignore[index]
                assert subject.certainty not in ("by", "after")  # "What happened by 1335?" has many answers
                for other in q.events:
                    if other != subject.id:
                        assert not bank.chronology.span[other].overlaps(subject.dating.span)
            if q.kind == "interval":
                assert not {"circa", "span", "by", "after"} & set(q.events)  # each allows several years
            assert display_key(q.prompt.en)
    assert {"event-date:circa", "event-date:span", "event-date:by", "event-date:after"} <= seen
    assert {"date-event:circa", "date-event:span"} <= seen
    assert not {"date-event:by", "date-event:after"} & seen


def test_about_and_between_read_well_in_what_happened() -> None:
    from quizapp.domain.generate import Settings, generate_quiz

    bank = _spread_bank()
    prompts = {
        q.key: q.prompt
        for seed in range(120)
        for q in generate_quiz(bank, seed, Settings(count=30, kinds=("date-event",))).questions
    }
    assert prompts["date-event:circa"] == Text("ماذا حدث نحو عام 1299؟", "What happened around 1299?")
    assert prompts["date-event:span"] == Text(
        "ماذا حدث بين عامَي 1310 و1312؟", "What happened between 1310 and 1312?"
    )
