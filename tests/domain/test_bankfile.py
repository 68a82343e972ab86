"""Bank files: reading, every validation problem with its line, hostile input, writing back, the CLI.

The cases edit one line of tests/domain/data/tiny.yaml (a valid bank) and expect the exact
`path:line: where: message` lines a teacher would read.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.domain.bank import AuthoredQuestion, Bank, Event, Fact, Source, Text
from quizapp.domain.dates import PartialDate
from quizapp.domain.formats import bankfile
from quizapp.domain.formats.bankfile import dump_bank, find_bank_file, load_bank, parse_bank, validate_file
from quizapp.domain.problems import BankFileError, Problem
from quizapp.domain.validate import validate_bank

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny.yaml"
BASE = TINY.read_text(encoding="utf-8")


def read_source(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def problems(text: str) -> list[str]:
    """The problems of a bank text as printed, read as `bank.yaml` beside the test data."""
    try:
        parse_bank(text, "bank.yaml", read_source)
    except BankFileError as err:
        return [str(p) for p in err.problems]
    return []


def edit(old: str, new: str) -> str:
    """BASE with one unique piece replaced."""
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


# --- a good bank --------------------------------------------------------------------------------


def test_tiny_bank_loads_into_the_dataclasses() -> None:
    bank = load_bank(TINY)
    assert bank.slug == "tiny"
    assert bank.title == Text("مصغر", "Tiny")
    assert bank.source is not None
    assert bank.source.file == "sources/tiny.ar.txt"
    assert bank.source.lang == "ar"
    assert bank.source.text == read_source("sources/tiny.ar.txt")
    lenin, expelled = bank.events
    assert lenin.id == "lenin-dies"
    assert lenin.date == PartialDate(1924, 1, 21)
    assert lenin.actors == (Text("فلاديمير لينين", "Vladimir Lenin"),)
    assert lenin.places == (Text("موسكو", "Moscow"),)
    who, age = lenin.facts
    assert who.kind == "who"
    assert who.answer == Text("لينين", "Lenin")
    assert who.distractors == (Text("ستالين", "Stalin"),)
    assert (age.kind, age.number, age.unit, age.distractors) == (
        "how-many",
        53,
        Text("سنة", "years"),
        (50, 60),
    )
    assert expelled.date == PartialDate(1929)
    assert expelled.facts == ()
    mcq, ordering = bank.questions
    assert (mcq.type, mcq.answer, mcq.events) == ("mcq", 0, ("lenin-dies",))
    assert mcq.options == (Text("لينين", "Lenin"), Text("ستالين", "Stalin"))
    assert ordering.type == "ordering"
    assert ordering.items == (Text("وفاة لينين", "Lenin dies"), Text("طرد تروتسكي", "Trotsky expelled"))
    assert bank.event("expelled") is expelled


def test_tiny_bank_is_valid() -> None:
    assert validate_file(TINY) == []
    assert problems(BASE) == []


def test_evidence_is_matched_across_runs_of_whitespace() -> None:
    # The source breaks this sentence over a line with an indent; the bank writes odd spacing too.
    assert "من\n    الاتحاد" in read_source("sources/tiny.ar.txt")
    assert problems(edit('"طُرد تروتسكي من الاتحاد', '"طُرد  تروتسكي\tمن الاتحاد')) == []


def test_unquoted_dates_and_numbers_as_text_are_read_as_written() -> None:
    bank = parse_bank(
        edit('date: "1924-01-21"', "date: 1924-01-21").replace('date: "1929"', "date: 1929"),
        "bank.yaml",
        read_source,
    )
    assert [e.date for e in bank.events] == [PartialDate(1924, 1, 21), PartialDate(1929)]
    bank = parse_bank(
        edit("en: Trotsky expelled}\n    evidence", "en: 1929}\n    evidence"), "b", read_source
    )
    assert bank.events[1].title.en == "1929"


# --- every problem, with its line -----------------------------------------------------------------

CASES = [
    # YAML syntax
    pytest.param(
        "en: Lenin dies}\n    actors",
        "en: Lenin dies}}\n    actors",
        ["bank.yaml:9: yaml: YAML syntax error: while parsing a block mapping, did not find expected key"],
        id="yaml-syntax",
    ),
    pytest.param(
        "  - id: expelled\n",
        "  - id: expelled\n\tdate: 1\n",
        [
            "bank.yaml:27: yaml: YAML syntax error: while scanning a plain scalar, "
            "found a tab character that violates indentation"
        ],
        id="yaml-tab",
    ),
    # unknown, missing, duplicate and mistyped fields
    pytest.param(
        "    places:\n",
        "    place:\n",
        ['bank.yaml:12: events[0].place: unknown field "place" (did you mean "places"?)'],
        id="unknown-field-close",
    ),
    pytest.param(
        "slug: tiny\n",
        "slug: tiny\ncolour: red\n",
        [
            'bank.yaml:2: colour: unknown field "colour" '
            "(allowed: slug, title, description, source, outside_dates, events, questions)"
        ],
        id="unknown-field-far",
    ),
    pytest.param(
        '    date: "1924-01-21"',
        '    dates: "1924-01-21"',
        [
            "bank.yaml:7: events[0].date: is required but missing",
            'bank.yaml:8: events[0].dates: unknown field "dates" (did you mean "date"?)',
        ],
        id="missing-and-misspelt",
    ),
    pytest.param(
        "    title: {ar: طرد تروتسكي, en: Trotsky expelled}\n",
        "",
        ["bank.yaml:26: events[1].title: is required but missing"],
        id="missing-title",
    ),
    pytest.param("slug: tiny\n", "", ["bank.yaml:1: slug: is required but missing"], id="missing-top-level"),
    pytest.param(
        "        number: 53\n",
        "        number: 53\n        number: 54\n",
        ['bank.yaml:24: events[0].facts[1].number: "number" is given twice (first on line 23)'],
        id="duplicate-key",
    ),
    pytest.param(
        "  title: {ar: نص قصير, en: A short text}",
        "  title: A short text",
        ['bank.yaml:4: source.title: expected {ar: ..., en: ...}, got a string ("A short text")'],
        id="string-for-text",
    ),
    pytest.param(
        "      - {ar: موسكو, en: Moscow}",
        "      - Moscow",
        ['bank.yaml:13: events[0].places[0]: expected {ar: ..., en: ...}, got a string ("Moscow")'],
        id="string-in-list-of-texts",
    ),
    pytest.param(
        "    places:\n      - {ar: موسكو, en: Moscow}\n",
        "    places: {ar: موسكو, en: Moscow}\n",
        ["bank.yaml:12: events[0].places: expected a list, got a mapping"],
        id="mapping-for-list",
    ),
    pytest.param(
        "  - id: expelled\n",
        "  - expelled\n  - id: expelled\n",
        ['bank.yaml:26: events[1]: expected a mapping, got a string ("expelled")'],
        id="string-for-event",
    ),
    pytest.param(
        "        number: 53",
        '        number: "53"',
        [
            "bank.yaml:23: events[0].facts[1].number: "
            'expected a number, got a string ("53"); write it without quotes'
        ],
        id="quoted-number",
    ),
    pytest.param(
        "        number: 53",
        "        number: true",
        ["bank.yaml:23: events[0].facts[1].number: expected a number, got true/false (true)"],
        id="bool-for-number",
    ),
    pytest.param(
        "        number: 53",
        "        number: .inf",
        ["bank.yaml:23: events[0].facts[1].number: .inf is not a finite number"],
        id="infinite-number",
    ),
    pytest.param(
        "        number: 53",
        "        number: !!binary NTM=",
        ['bank.yaml:23: events[0].facts[1].number: the YAML tag "!!binary" is not allowed in a bank file'],
        id="foreign-tag",
    ),
    pytest.param(
        "{text: {ar: لينين, en: Lenin}, correct: true}",
        "{text: {ar: لينين, en: Lenin}, correct: yes please}",
        [
            "bank.yaml:35: questions[0].options[0].correct: "
            'expected true or false, got a string ("yes please")'
        ],
        id="string-for-bool",
    ),
    # languages
    pytest.param(
        "title: {ar: وفاة لينين, en: Lenin dies}\n    actors",
        "title: {ar: وفاة لينين}\n    actors",
        ["bank.yaml:9: events[0].title.en: the English text is missing"],
        id="missing-language",
    ),
    pytest.param(
        "title: {ar: وفاة لينين, en: Lenin dies}\n    actors",
        'title: {ar: "  ", en: Lenin dies}\n    actors',
        ["bank.yaml:9: events[0].title.ar: the Arabic text is empty"],
        id="empty-language",
    ),
    pytest.param(
        "title: {ar: مصغر, en: Tiny}",
        "title: {ar: مصغر, en: Tiny, fr: Minuscule}",
        ['bank.yaml:2: title.fr: unknown field "fr" (allowed: ar, en)'],
        id="third-language",
    ),
    # dates
    pytest.param(
        '    date: "1924-01-21"',
        '    date: "1940-02-30"',
        ['bank.yaml:8: events[0].date: "1940-02-30" is not a date: day 30 is not in 1940-02'],
        id="impossible-day",
    ),
    pytest.param(
        '    date: "1929"',
        '    date: "1929-13"',
        ['bank.yaml:27: events[1].date: "1929-13" is not a date: month 13 is not between 1 and 12'],
        id="impossible-month",
    ),
    pytest.param(
        '    date: "1929"',
        '    date: "the following year"',
        [
            'bank.yaml:27: events[1].date: "the following year" is not a date '
            "(write YYYY, YYYY-MM or YYYY-MM-DD)"
        ],
        id="not-a-date",
    ),
    # ids
    pytest.param(
        "slug: tiny",
        "slug: Tiny Bank",
        [
            'bank.yaml:1: slug: "Tiny Bank" is not a valid slug: use lower-case letters, digits and '
            'hyphens (e.g. "tiny-bank")'
        ],
        id="bad-slug",
    ),
    pytest.param(
        "  - id: expelled",
        "  - id: Expelled!",
        [
            'bank.yaml:26: events[1].id: "Expelled!" is not a valid id: use lower-case letters, digits '
            'and hyphens (e.g. "expelled")'
        ],
        id="bad-event-id",
    ),
    pytest.param(
        "  - id: expelled",
        "  - id: lenin-dies",
        ['bank.yaml:26: events[1].id: duplicate event id "lenin-dies" (also events[0])'],
        id="duplicate-event-id",
    ),
    pytest.param(
        "  - id: order",
        "  - id: who-died",
        ['bank.yaml:38: questions[1].id: duplicate question id "who-died" (also questions[0])'],
        id="duplicate-question-id",
    ),
    # facts
    pytest.param(
        "      - kind: who",
        "      - kind: whom",
        [
            'bank.yaml:16: events[0].facts[0].kind: "whom" is not a fact kind: '
            'use who, where, what, or how-many (did you mean "who"?)'
        ],
        id="bad-fact-kind",
    ),
    pytest.param(
        "        number: 53\n",
        "",
        ["bank.yaml:21: events[0].facts[1].number: a how-many fact needs a number"],
        id="how-many-without-number",
    ),
    pytest.param(
        "        number: 53\n",
        "        number: 53\n        answer: {ar: ثلاثة وخمسون, en: fifty-three}\n",
        ["bank.yaml:24: events[0].facts[1].answer: a how-many fact takes a number, not an answer"],
        id="how-many-with-answer",
    ),
    pytest.param(
        "        answer: {ar: لينين, en: Lenin}\n",
        "",
        ["bank.yaml:16: events[0].facts[0].answer: a who fact needs an answer"],
        id="who-without-answer",
    ),
    pytest.param(
        "        answer: {ar: لينين, en: Lenin}\n",
        "        answer: {ar: لينين, en: Lenin}\n        number: 1\n",
        ["bank.yaml:19: events[0].facts[0].number: a who fact takes an answer, not a number"],
        id="who-with-number",
    ),
    pytest.param(
        "          - {ar: ستالين, en: Stalin}",
        "          - {ar: ستالين, en: LENIN}",
        [
            "bank.yaml:20: events[0].facts[0].distractors[0]: the distractor is the answer itself "
            "(same English text)"
        ],
        id="distractor-is-answer",
    ),
    pytest.param(
        "          - {ar: ستالين, en: Stalin}",
        "          - {ar: ستالين, en: Stalin}\n          - {ar: تروتسكي, en: stalin}",
        [
            "bank.yaml:21: events[0].facts[0].distractors[1]: "
            "the same English text as events[0].facts[0].distractors[0]"
        ],
        id="distractor-twice",
    ),
    pytest.param(
        "          - {ar: ستالين, en: Stalin}",
        "          - 5",
        [
            "bank.yaml:20: events[0].facts[0].distractors[0]: a who fact's distractors are texts {ar: "
            "..., en: ...}, not numbers"
        ],
        id="number-distractor-for-who",
    ),
    pytest.param(
        "          - {ar: ستالين, en: Stalin}",
        "          - Stalin",
        [
            "bank.yaml:20: events[0].facts[0].distractors[0]: expected {ar: ..., en: "
            '...}, got a string ("Stalin")'
        ],
        id="string-distractor",
    ),
    pytest.param(
        "distractors: [50, 60]",
        "distractors: [50, {ar: ستون, en: sixty}]",
        ["bank.yaml:25: events[0].facts[1].distractors[1]: a how-many fact's distractors are numbers"],
        id="text-distractor-for-how-many",
    ),
    pytest.param(
        "distractors: [50, 60]",
        "distractors: [50, 53.0]",
        ["bank.yaml:25: events[0].facts[1].distractors[1]: 53.0 is the answer itself"],
        id="number-distractor-is-answer",
    ),
    # evidence and source
    pytest.param(
        '"طُرد تروتسكي من الاتحاد السوفيتي"',
        '"طُرد تروتسكي من روسيا"',
        [
            'bank.yaml:29: events[1].evidence: event "expelled": the evidence is not found in the source '
            'text; it follows the source up to "…طُرد تروتسكي من ", then differs'
        ],
        id="evidence-not-in-source",
    ),
    pytest.param(
        '    evidence: "طُرد تروتسكي من الاتحاد السوفيتي"\n',
        "",
        ['bank.yaml:26: events[1].evidence: event "expelled" has no evidence: quote the source\'s sentence'],
        id="evidence-missing",
    ),
    pytest.param(
        "  file: sources/tiny.ar.txt",
        "  file: ../../tiny.ar.txt",
        ['bank.yaml:5: source.file: "../../tiny.ar.txt" must be a relative path inside the bank\'s folder'],
        id="source-outside-folder",
    ),
    pytest.param(
        "  file: sources/tiny.ar.txt",
        "  file: /etc/passwd",
        ['bank.yaml:5: source.file: "/etc/passwd" must be a relative path inside the bank\'s folder'],
        id="source-absolute",
    ),
    pytest.param(
        "  file: sources/tiny.ar.txt",
        "  file: sources/tiny.ar.txt\n  lang: fr",
        ['bank.yaml:6: source.lang: "fr" is not a language: use ar or en'],
        id="source-lang",
    ),
    # hand-written questions
    pytest.param(
        "{text: {ar: لينين, en: Lenin}, correct: true}",
        "{text: {ar: لينين, en: Lenin}}",
        ["bank.yaml:34: questions[0].options: no option is marked correct: mark exactly one (correct: true)"],
        id="mcq-no-right-answer",
    ),
    pytest.param(
        "{text: {ar: ستالين, en: Stalin}}",
        "{text: {ar: ستالين, en: Stalin}, correct: true}",
        [
            "bank.yaml:34: questions[0].options: 2 options are marked correct (options[0], options[1]): "
            "mark exactly one"
        ],
        id="mcq-two-right-answers",
    ),
    pytest.param(
        "      - {text: {ar: ستالين, en: Stalin}}\n",
        "",
        ["bank.yaml:34: questions[0].options: a multiple-choice question needs 2 options or more, it has 1"],
        id="mcq-one-option",
    ),
    pytest.param(
        "{text: {ar: ستالين, en: Stalin}}",
        "{text: {ar: ستالين, en: lenin}}",
        ["bank.yaml:36: questions[0].options[1]: the same English text as questions[0].options[0]"],
        id="mcq-duplicate-option",
    ),
    pytest.param(
        "    type: mcq",
        "    type: quiz",
        [
            'bank.yaml:32: questions[0].type: "quiz" is not a question type: use mcq, ordering, multi, '
            "truefalse, numerical, shortanswer, or matching"
        ],
        id="bad-question-type-far",
    ),
    pytest.param(
        "    type: ordering",
        "    type: sorting",
        [
            'bank.yaml:39: questions[1].type: "sorting" is not a question type: use mcq, ordering, multi, '
            'truefalse, numerical, shortanswer, or matching (did you mean "ordering"?)'
        ],
        id="bad-question-type",
    ),
    pytest.param(
        "      - {ar: طرد تروتسكي, en: Trotsky expelled}\n",
        "",
        ["bank.yaml:41: questions[1].items: an ordering question needs at least 2 items, it has 1"],
        id="ordering-one-item",
    ),
    pytest.param(
        "    events: [lenin-dies]",
        "    events: [lenin-died]",
        ['bank.yaml:37: questions[0].events[0]: unknown event "lenin-died" (did you mean "lenin-dies"?)'],
        id="unknown-event",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_each_problem_with_its_line_and_message(old: str, new: str, expected: list[str]) -> None:
    assert problems(edit(old, new)) == expected


def test_every_problem_is_reported_in_one_pass_in_line_order() -> None:
    text = (
        BASE.replace("slug: tiny", "slug: Tiny")
        .replace('date: "1924-01-21"', 'date: "1924-02-30"')
        .replace("  - id: expelled", "  - id: lenin-dies")
        .replace("{text: {ar: لينين, en: Lenin}, correct: true}", "{text: {ar: لينين, en: Lenin}}")
    )
    found = problems(text)
    assert [p.split(": ")[0] for p in found] == [
        "bank.yaml:1",
        "bank.yaml:8",
        "bank.yaml:26",
        "bank.yaml:34",
    ]


def test_a_missing_language_is_not_also_reported_empty() -> None:
    # The reader puts "" in place of the missing text; the content rules must not report it again.
    assert problems(edit("en: Lenin dies}\n    actors", "}\n    actors".replace("}", "en: }"))) == [
        "bank.yaml:9: events[0].title.en: the English text is empty"
    ]
    assert problems(edit("ar: وفاة لينين, en: Lenin dies}\n    actors", "en: Lenin dies}\n    actors")) == [
        "bank.yaml:9: events[0].title.ar: the Arabic text is missing"
    ]


def test_a_source_file_that_is_not_there(tmp_path: Path) -> None:
    bank = tmp_path / "bank.yaml"
    bank.write_text(edit("sources/tiny.ar.txt", "sources/nowhere.txt"), encoding="utf-8")
    looked = tmp_path / "sources" / "nowhere.txt"
    assert [str(p) for p in validate_file(bank)] == [
        f'{bank}:5: source.file: source file "sources/nowhere.txt" not found (looked for {looked})'
    ]


def test_whole_file_problems() -> None:
    assert problems("- a\n- b\n") == [
        "bank.yaml:1: bank: expected a mapping (slug: ..., title: ..., events: ...), got a list"
    ]
    assert problems("") == ["bank.yaml:1: file: the file is empty"]
    assert problems("# only a comment\n") == ["bank.yaml:1: file: the file is empty"]
    assert problems("slug: a\n---\nslug: b\n") == [
        "bank.yaml:2: yaml: YAML syntax error: expected a single document in the stream, "
        "but found another document"
    ]


def test_file_level_problems(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    assert [str(p) for p in validate_file(missing)] == [f"{missing}:1: file: no such file"]
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(b"slug: x\ntitle: caf\xe9\n")
    assert [str(p) for p in validate_file(latin1)] == [f"{latin1}:2: file: not UTF-8 text"]


def test_problem_str_and_error() -> None:
    p = Problem("questions/trotsky.yaml", 48, "events[3].date", '"1940-02-30" is not a date')
    assert str(p) == 'questions/trotsky.yaml:48: events[3].date: "1940-02-30" is not a date'
    assert str(Problem("", None, "slug", "the slug is empty")) == "slug: the slug is empty"
    err = BankFileError([p, p])
    assert err.problems == [p, p]
    assert str(err) == f"{p}\n{p}"


def test_load_bank_raises_with_all_problems(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text("slug: x\n", encoding="utf-8")
    with pytest.raises(BankFileError) as caught:
        load_bank(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:1: title: is required but missing"]


# --- the rules without a file (the teacher's forms) ---------------------------------------------


def test_validate_bank_works_on_a_bank_built_in_code() -> None:
    t = Text("نص", "text")
    bank = Bank(
        slug="forms",
        title=Text("", "Forms"),
        source=Source(title=t, text="the only sentence."),
        events=(
            Event(id="a", date=PartialDate(1917), title=t, evidence="the only   sentence"),
            Event(id="a", date=PartialDate(1918), title=t, evidence="another sentence"),
        ),
        questions=(
            AuthoredQuestion(id="q", type="mcq", prompt=t, options=(t, Text("ب", "b")), answer=None),
            AuthoredQuestion(id="o", type="ordering", prompt=t, items=(t,), events=("b",)),
        ),
    )
    assert [str(p) for p in validate_bank(bank)] == [
        "title.ar: the Arabic text is empty",
        'events[1].id: duplicate event id "a" (also events[0])',
        'events[1].evidence: event "a": the evidence is not found in the source text',
        "questions[0].options: no option is marked correct: mark exactly one (correct: true)",
        "questions[1].items: an ordering question needs at least 2 items, it has 1",
        'questions[1].events[0]: unknown event "b"',
    ]


def test_validate_bank_checks_fact_shapes_a_form_could_send() -> None:
    t = Text("نص", "text")
    facts = (
        Fact(kind="how-many", question=t, number=True),  # type: ignore[arg-type]
        Fact(kind="how-many", question=t, number=float("nan")),
        Fact(kind="where", question=t, answer=t, unit=t),
    )
    bank = Bank(slug="f", title=t, events=(Event(id="e", date=PartialDate(1917), title=t, facts=facts),))
    assert [str(p) for p in validate_bank(bank)] == [
        "events[0].facts[0].number: True is not a number",
        "events[0].facts[1].number: nan is not a number",
        "events[0].facts[2].unit: a where fact has no unit",
    ]


# --- hostile input --------------------------------------------------------------------------------

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.fixture(params=["libyaml", "pure-python"])
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml and with PyYAML's pure-Python loader (the fallback)."""
    if request.param == "libyaml":
        if not getattr(yaml, "__with_libyaml__", False):
            pytest.skip("libyaml is not installed")
        monkeypatch.setattr(bankfile, "_YAMLLoader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(bankfile, "_YAMLLoader", yaml.SafeLoader)
    return request.param


def _no_compose(*args: object, **kwargs: object) -> None:
    raise AssertionError("the node graph must not be built")


def test_alias_bomb_is_refused_before_composing(yaml_loader: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml, "compose", _no_compose)
    start = time.perf_counter()
    assert problems(BILLION_LAUGHS) == [
        "bank.yaml:1: yaml: anchors and aliases (&name, *name) are not allowed in a bank file: refused"
    ]
    assert time.perf_counter() - start < 1


def test_any_anchor_is_refused_even_a_harmless_one(yaml_loader: str) -> None:
    text = edit("  title: {ar: نص قصير, en: A short text}", "  title: &t {ar: نص قصير, en: A short text}")
    assert problems(text) == [
        "bank.yaml:4: yaml: anchors and aliases (&name, *name) are not allowed in a bank file: refused"
    ]


@pytest.mark.parametrize("flow", [True, False])
def test_deep_nesting_is_refused_before_composing(
    yaml_loader: str, monkeypatch: pytest.MonkeyPatch, flow: bool
) -> None:
    monkeypatch.setattr(yaml, "compose", _no_compose)
    depth = bankfile.MAX_DEPTH + 5
    text = "a: " + "[" * depth + "]" * depth if flow else "".join(f"{'  ' * i}k{i}:\n" for i in range(depth))
    # flow: all on line 1; block: level n opens on line n, so the first level too many is refused
    line = 1 if flow else bankfile.MAX_DEPTH + 1
    assert problems(text) == [
        f"bank.yaml:{line}: yaml: nested more than {bankfile.MAX_DEPTH} levels deep: refused"
    ]


def test_a_deeply_nested_flood_is_refused_fast() -> None:
    start = time.perf_counter()
    assert problems("[" * 500_000 + "]" * 500_000)[0].startswith("bank.yaml:1: yaml: ")
    assert time.perf_counter() - start < 2


def test_a_50_mb_file_is_refused_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB by size, nothing written
    monkeypatch.setattr(Path, "read_bytes", _no_compose)
    monkeypatch.setattr(Path, "read_text", _no_compose)
    assert [str(p) for p in validate_file(huge)] == [
        f"{huge}:1: file: the file is 52,428,800 bytes, over the limit of 1,048,576: "
        f"refused without reading it"
    ]
    with pytest.raises(BankFileError):
        load_bank(huge)


def test_a_50_mb_string_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml, "parse", _no_compose)
    start = time.perf_counter()
    found = problems("slug: x\n" + "#" * (50 * 1024 * 1024))
    assert len(found) == 1
    assert "over the limit of 1,048,576: refused" in found[0]
    assert time.perf_counter() - start < 2


def test_the_size_limit_is_on_utf8_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    size = len(BASE.encode("utf-8"))
    monkeypatch.setattr(bankfile, "MAX_BANK_BYTES", size)
    assert problems(BASE) == []
    monkeypatch.setattr(bankfile, "MAX_BANK_BYTES", size - 1)
    assert problems(BASE) == [
        f"bank.yaml:1: file: the file is {size:,} bytes, over the limit of {size - 1:,}: "
        f"refused without reading it"
    ]


# --- writing back ----------------------------------------------------------------------------------


def test_dump_round_trips_the_tiny_bank() -> None:
    bank = load_bank(TINY)
    text = dump_bank(bank)
    assert parse_bank(text, str(TINY)) == bank
    assert "وفاة لينين" in text  # allow_unicode: Arabic as Arabic, not \u escapes
    assert "title: {ar: مصغر, en: Tiny}" in text
    assert (
        "      - {text: {ar: لينين, en: Lenin}, correct: true}\n      - {text: {ar: ستالين, en: Stalin}}\n"
        in text
    )
    assert "distractors: [50, 60]" in text


def test_dump_keeps_the_readable_key_order() -> None:
    text = dump_bank(load_bank(TINY))
    top = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert top == ["slug", "title", "source", "events", "questions"]
    event_keys = [line.strip().split(":")[0] for line in text.split("  - id: expelled\n")[1].splitlines()[:6]]
    assert event_keys == ["date", "title", "actors", "places", "evidence", "facts"]


slugs = st.from_regex(r"[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}", fullmatch=True)
words = st.text(min_size=1, max_size=12).filter(str.strip)
texts = st.builds(Text, ar=words, en=words)
numbers = st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=False, allow_infinity=False))
dates = st.builds(
    PartialDate.from_date, st.dates(min_value=PartialDate(1).start), st.sampled_from(["year", "month", "day"])
)
text_facts = st.builds(
    Fact,
    kind=st.sampled_from(["who", "where", "what"]),
    question=texts,
    answer=texts,
    distractors=st.lists(texts, max_size=3).map(tuple),
)
number_facts = st.builds(
    Fact,
    kind=st.just("how-many"),
    question=texts,
    number=numbers,
    unit=st.none() | texts,
    distractors=st.lists(numbers, max_size=3, unique=True).map(tuple),
)


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    with_source = draw(st.booleans())
    events = draw(
        st.lists(
            st.builds(
                Event,
                id=slugs,
                date=dates,
                title=texts,
                evidence=words if with_source else st.just("") | words,
                description=st.none() | texts,
                note=st.none() | texts,
                actors=st.lists(texts, max_size=2).map(tuple),
                places=st.lists(texts, max_size=2).map(tuple),
                tags=st.lists(words, max_size=2).map(tuple),
                facts=st.lists(text_facts | number_facts, max_size=2).map(tuple),
            ),
            max_size=4,
            unique_by=lambda e: e.id,
        )
    )
    ids = [e.id for e in events]
    refs = st.lists(st.sampled_from(ids), max_size=2).map(tuple) if ids else st.just(())
    mcq = st.lists(texts, min_size=2, max_size=4).flatmap(
        lambda options: st.builds(
            AuthoredQuestion,
            id=slugs,
            type=st.just("mcq"),
            prompt=texts,
            options=st.just(tuple(options)),
            answer=st.integers(0, len(options) - 1),
            explanation=st.none() | texts,
            events=refs,
        )
    )
    ordering = st.builds(
        AuthoredQuestion,
        id=slugs,
        type=st.just("ordering"),
        prompt=texts,
        items=st.lists(texts, min_size=2, max_size=4).map(tuple),
        events=refs,
    )
    source = None
    if with_source:
        source = draw(
            st.builds(
                Source,
                title=texts,
                file=st.just("src.txt"),
                lang=st.sampled_from(["ar", "en"]),
                text=st.just("\n".join(e.evidence for e in events)),
            )
        )
    bank = Bank(
        slug=draw(slugs),
        title=draw(texts),
        description=draw(st.none() | texts),
        source=source,
        events=tuple(events),
        questions=tuple(draw(st.lists(mcq | ordering, max_size=3, unique_by=lambda q: q.id))),
    )
    assume(not validate_bank(bank))
    return bank


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(banks())
def test_dump_then_parse_gives_the_same_bank(bank: Bank) -> None:
    def loader(name: str) -> str:
        assert bank.source is not None
        assert name == bank.source.file
        return bank.source.text or ""

    assert parse_bank(dump_bank(bank), "gen.yaml", loader) == bank


# --- the command line -------------------------------------------------------------------------------


def test_cli_validate_a_good_bank_prints_nothing_and_exits_0() -> None:
    result = CliRunner().invoke(main, ["bank", "validate", str(TINY)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == "ok: 1 bank file valid\n"


def test_cli_validate_prints_one_line_per_problem_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        edit('date: "1924-01-21"', 'date: "1940-02-30"').replace(
            "sources/tiny.ar.txt", str(TINY.parent / "x")
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["bank", "validate", str(TINY), str(bad)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f'{bad}:5: source.file: "{TINY.parent / "x"}" must be a relative path inside the bank\'s folder',
        f'{bad}:8: events[0].date: "1940-02-30" is not a date: day 30 is not in 1940-02',
    ]


def test_cli_validate_a_folder_checks_every_yaml_in_it(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text("slug: one\n", encoding="utf-8")
    (tmp_path / "two.yaml").write_text("slug: two\ntitle: {ar: ب, en: b}\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not: [a bank", encoding="utf-8")
    result = CliRunner().invoke(main, ["bank", "validate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"{tmp_path / 'one.yaml'}:1: title: is required but missing"]
    (tmp_path / "one.yaml").unlink()
    result = CliRunner().invoke(main, ["bank", "validate", str(tmp_path)])
    assert (result.exit_code, result.stdout) == (0, "")


def test_cli_validate_needs_a_path() -> None:
    assert CliRunner().invoke(main, ["bank", "validate"]).exit_code == 2


def test_cli_export_json_by_path() -> None:
    result = CliRunner().invoke(main, ["bank", "export", str(TINY), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"en": "Lenin dies"' in result.stdout and '"ar": "وفاة لينين"' in result.stdout  # ensure_ascii off
    data = json.loads(result.stdout)
    assert list(data) == ["slug", "title", "source", "events", "questions"]
    assert data["slug"] == "tiny"
    lenin = data["events"][0]
    assert {"id", "date", "title", "actors", "places", "evidence", "facts"} <= set(lenin)
    assert (lenin["id"], lenin["date"]) == ("lenin-dies", "1924-01-21")
    assert lenin["actors"] == [{"ar": "فلاديمير لينين", "en": "Vladimir Lenin"}]
    assert lenin["facts"][1] == {
        "kind": "how-many",
        "question": {"ar": "كم كان عمره؟", "en": "How old was he?"},
        "number": 53,
        "unit": {"ar": "سنة", "en": "years"},
        "distractors": [50, 60],
    }
    assert data["questions"][0]["options"][0] == {"text": {"ar": "لينين", "en": "Lenin"}, "correct": True}


def test_cli_export_yaml_reads_back() -> None:
    result = CliRunner().invoke(main, ["bank", "export", str(TINY), "--format", "yaml"])
    assert result.exit_code == 0, result.output
    assert parse_bank(result.stdout, str(TINY)) == load_bank(TINY)


def test_cli_export_an_invalid_bank_fails_with_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: bad\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["bank", "export", str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{bad}:1: title: is required but missing\n"


def test_cli_export_rejects_an_unknown_format() -> None:
    result = CliRunner().invoke(main, ["bank", "export", str(TINY), "--format", "pdf"])
    assert result.exit_code == 2


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    """A questions folder holding the tiny bank under another file name, and a broken file."""
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "tiny.ar.txt").write_text(read_source("sources/tiny.ar.txt"), encoding="utf-8")
    (tmp_path / "a-first.yaml").write_text("slug: [not, closed\n", encoding="utf-8")
    (tmp_path / "small-bank.yaml").write_text(BASE, encoding="utf-8")
    return tmp_path


def test_find_bank_file_scans_the_folder_for_the_slug(questions_dir: Path) -> None:
    assert find_bank_file(questions_dir, "tiny") == questions_dir / "small-bank.yaml"
    assert find_bank_file(questions_dir, "nope") is None
    assert find_bank_file(questions_dir / "missing", "tiny") is None


def test_cli_export_by_slug_uses_the_configured_questions_dir(questions_dir: Path) -> None:
    from quizapp import create_app

    app = create_app({"TESTING": True, "QUESTIONS_DIR": str(questions_dir)})
    runner = app.test_cli_runner()
    result = runner.invoke(main, ["bank", "export", "tiny"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["slug"] == "tiny"
    result = runner.invoke(main, ["bank", "export", "nope"])
    assert result.exit_code == 1
    assert f'no bank with slug "nope" in {questions_dir}' in result.stderr
