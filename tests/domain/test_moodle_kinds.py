"""Every kind of question through Moodle's formats, field by field.

tests/domain/data/moodle/docs-kinds.gift holds the examples of Moodle's GIFT documentation
(docs.moodle.org/en/GIFT_format), one or two of each kind, and docs-kinds.xml the layouts of its
Moodle XML documentation (docs.moodle.org/en/Moodle_XML_format), both written out again by hand;
Aiken is Moodle's own error fixture (question/format/aiken/tests/fixtures/aiken_errors.txt) as its
test describes it. Then each kind goes out and comes back in both formats, unchanged.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.domain.bank import Accepted, AuthoredQuestion, Bank, Event, Pair, Text
from quizapp.domain.dates import PartialDate
from quizapp.domain.formats import add_moodle, import_moodle, moodle_format
from quizapp.domain.formats.aiken import import_aiken, looks_like_aiken
from quizapp.domain.formats.gift import export_gift, import_gift
from quizapp.domain.formats.moodle_common import read_text
from quizapp.domain.formats.moodle_xml import export_moodle_xml, import_moodle_xml
from quizapp.domain.problems import BankFileError
from quizapp.domain.validate import validate_bank

DATA = Path(__file__).parent / "data" / "moodle"


def t(text: str) -> Text:
    return Text(text, text)


# --- Moodle's documented examples ------------------------------------------------------------------


def test_the_gift_documentations_examples_of_every_kind() -> None:
    path = DATA / "docs-kinds.gift"
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(start: str) -> int:
        return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))

    result = import_gift(path.read_bytes(), "docs-kinds.gift")
    got = {q.id: q for q in result.questions}
    assert list(got) == [
        "tomb-mc", "entombed", "tomb-tf", "sun", "who-short", "two-plus-two", "capitals", "born",
        "pi-range", "born-twice", "feedback", "moodle",
    ]  # fmt: skip

    mc = got["tomb-mc"]  # its [id:] names it; its tags and its category are tags, event: a link
    assert (mc.type, mc.prompt, mc.answer) == ("mcq", t("Who's buried in Grant's tomb?"), 0)
    assert mc.options == tuple(map(t, ["Grant", "no one", "Napoleon", "Churchill", "Mother Teresa"]))
    assert (mc.tags, mc.events) == (("Grant/Tomb", "presidents"), ("grant-buried",))

    multi = got["entombed"]
    assert multi.type == "multi" and multi.answer is None
    assert multi.options == tuple(map(t, ["No one", "Grant", "Grant's wife", "Grant's father"]))
    assert multi.fractions == (-1.0, 0.5, 0.5, -1.0)

    assert (got["tomb-tf"].type, got["tomb-tf"].correct) == ("truefalse", False)
    sun = got["sun"]  # {T#shown to who answers wrong#shown to who answers right}
    assert (sun.correct, sun.explanation) == (True, t("Right: the east."))

    assert got["who-short"].answers == tuple(
        Accepted(1.0, text=t(a)) for a in ("Grant", "Ulysses S. Grant", "Ulysses Grant")
    )
    two = got["two-plus-two"]  # missing word: the blank stays in the text
    assert two.prompt == t("Two plus two equals _____.")
    assert two.answers == (Accepted(1.0, text=t("four")), Accepted(1.0, text=t("4")))

    capitals = got["capitals"]
    assert capitals.pairs == tuple(
        Pair(t(a), t(b))
        for a, b in [
            ("Canada", "Ottawa"),
            ("Italy", "Rome"),
            ("Japan", "Tokyo"),
            ("India", "New Delhi"),
        ]  # fmt: skip
    )
    assert capitals.explanation == t("It's good to know the capitals")

    assert got["born"].answers == (Accepted(1.0, value=1822, tolerance=5),)
    assert got["pi-range"].answers == (Accepted(1.0, value=3.1415, tolerance=0.0005),)  # {#3.141..3.142}
    assert got["born-twice"].answers == (
        Accepted(1.0, value=1822, tolerance=0, feedback=t("Correct! Full credit.")),
        Accepted(
            0.5, value=1822, tolerance=2, feedback=t("He was born in 1822. Half credit for being close.")
        ),
    )
    feedback = got["feedback"]
    assert (feedback.answer, feedback.explanation) == (2, t("Very good!"))

    moodle = got["moodle"]  # the ordering plugin's own example, in the right order
    assert moodle.type == "ordering" and [i.en for i in moodle.items] == [
        "Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment",
    ]  # fmt: skip

    assert [str(p) for p in result.problems] == [
        f"docs-kinds.gift:{line_of('Write a short')}: an essay question ({{}}) is not imported: skipped",
        f"docs-kinds.gift:{line_of('You can use')}: a description (no answers in {{ }}) is not a "
        "question: skipped",
    ]
    assert f"docs-kinds.gift:{line_of('::Feedback::')}: feedback on answers is dropped" in "\n".join(
        map(str, result.warnings)
    )
    assert not validate_bank(Bank("b", t("b"), events=(_event("grant-buried"),), questions=result.questions))


def test_the_xml_documentations_layouts_of_every_kind() -> None:
    path = DATA / "docs-kinds.xml"
    result = import_moodle_xml(path.read_bytes(), "docs-kinds.xml")
    mc, several, tf, short, numerical, matching = result.questions
    assert (mc.id, mc.type, mc.answer, mc.explanation) == ("mc-docs", "mcq", 0, t("Correct!"))
    assert mc.options == tuple(map(t, ["The correct answer", "A distractor", "Another distractor"]))
    assert (mc.tags, mc.events) == (("Docs/Kinds", "docs"), ("e1",))

    assert several.type == "multi" and several.fractions == (0.5, 0.5, -1.0)
    assert several.prompt == t("Which are primary colours?")
    assert (tf.type, tf.correct, tf.explanation) == ("truefalse", True, t("Correct!"))

    assert short.case_sensitive is True  # <usecase>1</usecase>
    assert short.answers == (
        Accepted(1.0, text=t("The correct answer"), feedback=t("Correct!")),
        Accepted(1.0, text=t("An alternative answer"), feedback=t("Correct!")),
        Accepted(0.5, text=t("Plat*")),
    )
    assert numerical.answers == (
        Accepted(1.0, value=23, tolerance=0, feedback=t("Feedback")),
        Accepted(0.5, value=23, tolerance=2),
    )
    assert matching.pairs == (
        Pair(t("This is the 1st item in the 1st pair."), t("This is the 2nd item in the 1st pair.")),
        Pair(t("This is the 1st item in the 2nd pair."), t("This is the 2nd item in the 2nd pair.")),
        Pair(None, t("A wrong answer")),  # an empty subquestion: an extra wrong answer
    )
    assert [p.message for p in result.problems] == [
        'question 7, "Essay", is skipped: an essay is not a question we can import',
        'question 8, "cloze", is skipped: a cloze (embedded answers) question is not a question we can '
        "import",
        'question 9, "About", is skipped: a description is not a question we can import',
    ]
    warnings = [str(w) for w in result.warnings]
    assert "docs-kinds.xml:20: formatting is dropped (the text is kept as plain text): <b>" in warnings
    assert "docs-kinds.xml:42: its units are dropped: only the number is asked for" in warnings


def test_aiken_as_moodles_own_fixture_tests_it() -> None:
    aiken = (
        "A question with too few answers\nA) Only answer\nANSWER: A\n\nA) Question not started\n\n"
        "ANSWER: Question not started\n\nA good question\nA) Correct\nB) Incorrect\nANSWER: A\n\n"
        "A question started but not finished\nA) Correct-ish\nB) Incorrect-ish\n\n"
        "A second good question\nA)Incorrect (No space)\nB)Correct (No space)\nANSWER: B\n\n"
        "A third good question with HTML chars such as > < &\nA) Correct (< > &)\nB) Incorrect (< > &)\n"
        "ANSWER: A"
    )
    assert looks_like_aiken(aiken) and moodle_format(aiken, "q.txt") == "aiken"
    result = import_aiken(aiken, "aiken.txt")
    good, second, third = result.questions
    assert (good.type, good.options, good.answer) == ("mcq", (t("Correct"), t("Incorrect")), 0)
    assert (second.options, second.answer) == ((t("Incorrect (No space)"), t("Correct (No space)")), 1)
    assert third.prompt == t("A third good question with HTML chars such as > < &")  # plain text
    assert third.options[0] == t("Correct (< > &)")
    assert [str(p) for p in result.problems] == [
        "aiken.txt:1: a multiple-choice question needs 2 to 50 answers, not 1",
        "aiken.txt:5: a choice outside a question (no question text before it)",
        "aiken.txt:7: an ANSWER: line outside a question",
        'aiken.txt:14: the question "A question started but not finished" has no ANSWER: line before '
        "line 18: skipped",
    ]
    with pytest.raises(BankFileError) as err:
        import_aiken("Q?\nA) a\nB) b\nANSWER: C\n\nR?\nA) x", "a.txt")
    assert [str(p) for p in err.value.problems] == [
        'a.txt:4: "ANSWER: C" names none of the 2 choices (A to B)',
        'a.txt:6: the question "R?" has no ANSWER: line before the end of the file: skipped',
    ]


def test_aiken_is_told_from_gift() -> None:
    assert moodle_format("Q? {=a ~b}\n") == "gift"
    assert moodle_format("Q?\nA) a\nB) b\nANSWER: A\n") == "aiken"
    assert moodle_format("Who? {=a ~b}\n\n// ANSWER: A\n") == "gift"
    assert moodle_format("anything", "q.aiken") == "aiken"
    assert moodle_format(b'<?xml version="1.0"?><quiz/>', "q.txt") == "moodle-xml"
    # A brace in one Aiken question's text does not make it GIFT.
    two = "What is {x}?\nA) a\nB) b\nANSWER: A\n\nQ2?\nA) c\nB) d\nANSWER: B\n"
    assert [q.prompt.en for q in import_moodle(two, "q.txt").questions] == ["What is {x}?", "Q2?"]


# --- what plain text cannot keep is named ----------------------------------------------------------


def test_images_files_links_and_formatting_are_named() -> None:
    html = (
        '<p>See <a href="https://example.org/doc">the <i>map</i></a>:</p>'
        '<p><img src="@@PLUGINFILE@@/map%20big.png" alt="map"> <audio src="speech.mp3"></audio></p>'
        '<a href="@@PLUGINFILE@@/notes.pdf">notes</a>'
    )
    text, found, losses = read_text("html", html)
    assert text == t("See the map:\n\nnotes") and not found
    assert losses.files == ["map big.png", "speech.mp3", "notes.pdf"]
    assert losses.links == ["https://example.org/doc"]
    assert losses.formatting == ["<i>"]
    gift = f"::q::[html]{html.replace('=', chr(92) + '=').replace(':', chr(92) + ':')}{{=a ~b}}"
    warnings = [w.message for w in import_gift(gift, "q.gift").warnings]
    assert warnings[:3] == [
        "images and other files are dropped (only the text is imported): map big.png, speech.mp3, notes.pdf",
        "links are dropped, their text is kept: https://example.org/doc",
        "formatting is dropped (the text is kept as plain text): <i>",
    ]


def test_markdown_as_moodle_shows_it() -> None:
    markdown = '# Title\n\n**Bold** and *it*\nwith [a link](https://x.org "t")'
    text, _, losses = read_text("markdown", markdown)
    assert text == t("Title\nBold and it with a link")
    assert losses.links == ["https://x.org"] and losses.formatting == ["**", "*", "#"]
    assert read_text("plain", "<b>as written</b>")[0] == t("<b>as written</b>")
    assert read_text("moodle", "one\ntwo <b>x</b>")[0] == t("one\ntwo x")


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("markdown", "[a](" * 100_000),
        ("markdown", "![a](" * 80_000),
        ("markdown", "__a" + " __" * 100_000),
        ("markdown", "[a](b (" * 60_000),
        ("html", "<a" + " " * 400_000),
        ("html", "<a href='" * 40_000),
    ],
)
def test_hostile_markup_is_read_in_linear_time(fmt: str, text: str) -> None:
    start = time.process_time()
    read_text(fmt, text)
    assert time.process_time() - start < 2


# --- every kind out and back in ---------------------------------------------------------------------


def _event(event_id: str) -> Event:
    return Event(id=event_id, date=PartialDate.parse("1937-01-09"), title=Text("حدث", "An event"))


KINDS = (
    AuthoredQuestion(
        "colours", "multi", Text("أيّها؟", "Which?"),
        options=(Text("أصفر", "yellow"), Text("بيج", "off-beige"), Text("أحمر", "red")),
        fractions=(0.5, 0.5, -1.0), explanation=Text("لأن", "Because"), events=("e1",),
        tags=("colours", "x y"),
    ),
    AuthoredQuestion("tf", "truefalse", Text("وصل في يناير.", "He arrived in January."), correct=True),
    AuthoredQuestion(
        "tf-no", "truefalse", Text("لا", "No."), correct=False, explanation=Text("بل", "Rather")
    ),
    AuthoredQuestion(
        "year", "numerical", Text("في أيّ سنة؟", "Which year?"),
        answers=(Accepted(1.0, value=1937, tolerance=0), Accepted(0.5, value=1937, tolerance=1,
                                                                   feedback=Text("قريب", "Close"))),
        events=("e1", "e2"),
    ),
    AuthoredQuestion(
        "city", "shortanswer", Text("أين؟", "Where?"),
        answers=(Accepted(1.0, text=Text("مكسيكو سيتي", "Mexico City")), Accepted(0.5, text=t("Coyoac*"))),
        case_sensitive=True,
    ),
    AuthoredQuestion(
        "match", "matching", Text("طابق", "Match"),
        pairs=(Pair(Text("لينين", "Lenin"), Text("روسيا", "Russia")), Pair(Text("ترو", "Trotsky"),
               Text("المكسيك", "Mexico")), Pair(None, Text("إسبانيا", "Spain"))),
    ),
    AuthoredQuestion(
        "order", "ordering", Text("رتّب {هذه}", "Order {these} #1"),
        items=(Text("أ#", "a}"), Text("ب\\", "b\\n"), Text("ج~=:", "c ####")),
    ),
    AuthoredQuestion(
        "one", "mcq", Text("من؟", "Who? 1+1=2"), options=(Text("أ", "a"), Text("ب", "b # c")), answer=1,
        tags=("Russia/1917",),
    ),
)  # fmt: skip
BANK = Bank("b", Text("بنك", "A bank"), events=(_event("e1"), _event("e2")), questions=KINDS)


def test_the_kinds_bank_is_valid() -> None:
    assert not validate_bank(BANK)


@pytest.mark.parametrize("export", [export_gift, export_moodle_xml])
def test_every_kind_comes_back_field_by_field(export) -> None:  # type: ignore[no-untyped-def]
    bank, result = add_moodle(replace(BANK, questions=()), export(BANK), "back")
    for sent, back in zip(BANK.questions, bank.questions, strict=True):
        for name in AuthoredQuestion.__dataclass_fields__:
            assert getattr(back, name) == getattr(sent, name), (sent.id, name)
    assert not result.problems and not result.warnings


def test_gift_writes_the_ordering_plugins_syntax_and_moodle_4s_id_and_tags() -> None:
    gift = export_gift(BANK, ordering_method="all_or_nothing")
    assert "// [id:colours] [tag:colours] [tag:x y] [tag:event:e1]" in gift
    assert "{>3 ALL VERTICAL ALL_OR_NOTHING SHOW none" in gift
    # The plugin reads its items raw: what GIFT would cut at is an HTML entity.
    assert '<span lang="en" class="multilang">a&#125;</span>' in gift
    assert "\t~%50%" in gift and "\t~%-100%" in gift and "{#\n\t=%100%1937:0" in gift
    assert "{TRUE" in gift and "{FALSE" in gift and " -> روسيا / Russia" in gift
    with pytest.raises(ValueError, match="longest_ordered_subset"):
        export_gift(BANK, ordering_method="longest_ordered_subset")  # Moodle's GIFT pattern misses it


def test_moodles_own_ordering_gift_export_is_read() -> None:
    # question/type/ordering/tests/fixtures/testexport.gift.txt, as the plugin writes it.
    gift = (
        "// question: 123  name: Moodle\n// [id:myid]\n"
        "::Moodle::[html]Put these words in order.{>2     none\n"
        "Modular\nObject\nOriented\nDynamic\nLearning\nEnvironment\n}\n"
    )
    q = import_gift(gift).questions[0]
    assert (q.id, q.type, len(q.items), q.items[0]) == ("myid", "ordering", 6, t("Modular"))
    warnings = [w.message for w in import_gift(gift).warnings]
    assert "Moodle shows a student 2 of its 6 items; all of them are imported" in warnings


def test_a_question_no_format_can_carry_is_left_out_with_a_comment() -> None:
    broken = AuthoredQuestion("empty", "numerical", t("How many?"), answers=())
    bank = Bank("b", t("b"), questions=(broken,))
    assert "// empty: left out, GIFT cannot carry this question (numerical)" in export_gift(bank)
    assert "<!-- empty: left out, Moodle XML cannot carry this question (numerical) -->" in (
        export_moodle_xml(bank)
    )


def test_links_to_events_the_bank_lacks_are_dropped_with_a_warning() -> None:
    bank, result = add_moodle(Bank("other", t("Other"), events=(_event("e1"),)), export_gift(BANK), "x.gift")
    assert bank.questions[0].events == ("e1",)
    assert bank.questions[3].events == ("e1",)
    assert [w.message for w in result.warnings] == [
        'question "year": its links to events this bank does not have are dropped: event:e2'
    ]
    assert not validate_bank(bank)


def test_strict_refuses_the_whole_file_on_any_skipped_question() -> None:
    gift = export_gift(BANK) + "\n\nEssay? {}\n"
    with pytest.raises(BankFileError) as err:
        add_moodle(replace(BANK, questions=()), gift, "x.gift", strict=True)
    assert [p.message for p in err.value.problems] == ["an essay question ({}) is not imported: skipped"]


# --- the command line -------------------------------------------------------------------------------


def test_bank_export_reads_the_bank_as_it_stands_in_the_database(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    extra = tmp_path / "extra.txt"
    extra.write_text("Who led the Red Army?\nA) Trotsky\nB) Franco\nANSWER: A\n", encoding="utf-8")
    result = runner.invoke(main, ["bank", "import-moodle", str(extra), "--bank", "trotsky"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["bank", "export", "trotsky", "--format", "gift"])
    assert result.exit_code == 0, result.output
    assert "::who-led-the-red-army::" in result.output  # in the database only, not in the file
    exported = import_gift(result.output).questions
    assert exported[-1].options == (t("Trotsky"), t("Franco"))


def test_import_moodle_exit_codes(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    nothing = tmp_path / "nothing.gift"
    nothing.write_text("Essay? {}\n\nJust text.\n", encoding="utf-8")
    result = runner.invoke(main, ["bank", "import-moodle", str(nothing), "--bank", "trotsky"])
    assert result.exit_code == 1 and "nothing imported" in result.output
    assert f"{nothing}:1: an essay question" in result.output
    some = tmp_path / "some.xml"
    some.write_bytes((DATA / "docs-kinds.xml").read_bytes())
    result = runner.invoke(main, ["bank", "import-moodle", str(some), "--bank", "trotsky", "--strict"])
    assert result.exit_code == 1 and "nothing imported" in result.output
    result = runner.invoke(main, ["bank", "import-moodle", str(some), "--bank", "trotsky"])
    assert result.exit_code == 0, result.output
    assert "imported 6 questions into trotsky (version 2); skipped 3" in result.output
    assert f'skipped: {some}:56: question 7, "Essay", is skipped' in result.output
    assert f"warning: {some}:42: its units are dropped" in result.output
    # --partial, from before importing what can be was the default, still works.
    result = runner.invoke(main, ["bank", "import-moodle", str(some), "--bank", "trotsky", "--partial"])
    assert result.exit_code == 0 and "(version 3)" in result.output
