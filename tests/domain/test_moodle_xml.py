"""Moodle XML in: our own export read back, a file as Moodle 4 writes it, each rule on its own, and
hostile files (not XML, entities, sizes, patterns that could make the reader slow).

tests/domain/data/moodle/moodle-export.xml is a question bank as Moodle exports it: a category, the
every type read here (multilang spans, {mlang} blocks, an image) and one of each type skipped.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizapp.domain.bank import AuthoredQuestion, Bank, Text
from quizapp.domain.formats import add_moodle, import_moodle, is_moodle_xml
from quizapp.domain.formats.bankfile import load_bank
from quizapp.domain.formats.gift import export_gift
from quizapp.domain.formats.moodle_common import MAX_XML_BYTES, generated_questions
from quizapp.domain.formats.moodle_xml import export_moodle_xml, import_moodle_xml, xml_text
from quizapp.domain.formats.multilang import multilang, split_multilang
from quizapp.domain.problems import BankFileError
from quizapp.domain.validate import validate_bank

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data" / "moodle"
TROTSKY = load_bank(ROOT / "questions" / "trotsky.yaml")


def quiz(*questions: str) -> str:
    """A Moodle XML file of these <question> elements, one line each after the first two."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def ml(ar: str, en: str) -> str:
    """A multilang pair as XML text: the spans escaped, as Moodle writes them outside CDATA."""
    return multilang(Text(ar, en)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mc(name: str, answers: str, single: str = "true", extra: str = "") -> str:
    """A multichoice question: `answers` are written `fraction:text|...`, each text the same in
    both languages (in multilang spans, unless it has its own)."""
    parts = []
    for answer in answers.split("|"):
        fraction, _, text = answer.partition(":")
        text = text if "span" in text else ml(text, text)
        parts.append(f'<answer fraction="{fraction}"><text>{text}</text></answer>')
    return (
        f'<question type="multichoice"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text>{ml("سؤال؟", "Question?")}</text></questiontext>'
        f"<single>{single}</single>{extra}{''.join(parts)}</question>"
    )


def one(xml: str) -> AuthoredQuestion:
    """The single question a file gives, with no problem."""
    result = import_moodle_xml(xml, "q.xml")
    assert not result.problems, result.problems
    assert len(result.questions) == 1
    return result.questions[0]


def refused(xml: str | bytes, path: str = "q.xml") -> list[str]:
    """What a file is refused for, as printed."""
    with pytest.raises(BankFileError) as err:
        import_moodle_xml(xml, path)
    return [str(p) for p in err.value.problems]


def warnings_of(xml: str) -> list[str]:
    return [str(p) for p in import_moodle_xml(xml, "q.xml").warnings]


def problems_of(xml: str) -> list[str]:
    try:
        return [str(p) for p in import_moodle_xml(xml, "q.xml").problems]
    except BankFileError as err:
        return [str(p) for p in err.problems]


# --- our own export, read back --------------------------------------------------------------------


def test_the_trotsky_banks_questions_come_back() -> None:
    bank, result = add_moodle(replace(TROTSKY, questions=()), export_moodle_xml(TROTSKY), "trotsky.xml")
    assert bank.questions == TROTSKY.questions  # their links to events too
    assert {q.type for q in result.questions} == {"mcq", "ordering"}
    assert not result.problems and not result.warnings
    assert result.categories[0].startswith("$course$/top/Leon Trotsky")


def test_generated_questions_come_back_in_their_right_order() -> None:
    generated = generated_questions(TROTSKY, 16, seed="5")
    assert {g.type for g in generated} == {"mcq", "ordering"}
    result = import_moodle_xml(export_moodle_xml(TROTSKY, generated))
    back = result.questions[len(TROTSKY.questions) :]
    assert len(back) == len(generated)
    for q, g in zip(back, generated, strict=True):
        assert q.prompt == g.prompt
        if g.type == "mcq":
            assert (q.options, q.answer) == (g.options, g.answer)
        else:
            assert q.items == tuple(g.items[i] for i in g.answer)  # type: ignore[union-attr]


_MARKUP = "<>&\"'{}~=#:;/\\%[]_-\n\t \u200f"
_ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةءأإآى" + "ًٌٍَُِّْ" + "٠١٢٣"
texts = st.text(alphabet=_MARKUP + _ARABIC + "abcXYZ019", min_size=1, max_size=25).map(str.strip).filter(bool)
pairs = st.builds(Text, ar=texts, en=texts)
ids = st.from_regex(r"\A[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}\Z")


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    """Hand-written questions of both types, every text drawn with markup characters in it."""
    questions = []
    for qid in draw(st.lists(ids, min_size=1, max_size=4, unique=True)):
        choices = tuple(draw(st.lists(pairs, min_size=2, max_size=5)))
        explanation = draw(st.none() | pairs)
        if draw(st.booleans()):
            answer = draw(st.integers(0, len(choices) - 1))
            q = AuthoredQuestion(
                qid, "mcq", draw(pairs), options=choices, answer=answer, explanation=explanation
            )
        else:
            q = AuthoredQuestion(qid, "ordering", draw(pairs), items=choices, explanation=explanation)
        questions.append(q)
    bank = Bank(slug="b", title=Text("بنك", "A bank"), questions=tuple(questions))
    assume(not validate_bank(bank))  # e.g. two options that read the same
    return bank


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(banks())
def test_round_trip_keeps_every_text_in_both_languages(bank: Bank) -> None:
    kept, result = add_moodle(replace(bank, questions=()), export_moodle_xml(bank))
    assert kept.questions == bank.questions
    assert not result.problems and not result.warnings


# --- a file as Moodle writes it --------------------------------------------------------------------


def test_a_moodle_export() -> None:
    path = DATA / "moodle-export.xml"
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(name: str) -> int:
        """The line of the <question> element whose name is on the line after next."""
        return next(n for n, line in enumerate(lines, start=1) if f"<text>{name}</text>" in line) - 2

    result = import_moodle_xml(path.read_bytes(), "moodle-export.xml")
    assert result.categories == ("$course$/top/Default for History/Russia 1917–1940",)
    exile, calendar, order, bolsheviks, cities, assassin, year = result.questions
    assert exile.id == "exile-start" and exile.type == "mcq"
    assert exile.prompt == Text(
        "أين بدأ نفي تروتسكي خارج الاتحاد السوفيتي؟", "Where did Trotsky's exile abroad begin?"
    )
    assert exile.options == (Text("تركيا", "Turkey"), Text("فرنسا", "France"), Text("النرويج", "Norway"))
    assert exile.answer == 0
    # Two paragraphs, two lines; the line break between them in the source is no third.
    assert exile.explanation == Text(
        "نُفي إلى تركيا عام 1929.\nإلى جزيرة برينكيبو.",
        "He was exiled to Turkey in 1929:\nto the island of Prinkipo.",
    )
    # {mlang} blocks, `other` for the language without its own.
    assert calendar.id == "calendar"
    assert calendar.prompt == Text(
        "كانت روسيا تستعمل التقويم الغريغوري عام 1917.", "Russia used the Gregorian calendar in 1917."
    )
    assert calendar.type == "truefalse" and calendar.correct is False
    assert calendar.explanation == Text("كانت تستعمل اليولياني.", "It used the Julian one.")
    assert order.type == "ordering" and order.id == "exile-in-order"
    assert [i.en for i in order.items] == ["Alma-Ata", "Turkey", "France", "Mexico"]
    assert order.prompt == Text("رتّب محطات النفي.", "Put the places of exile in order.")

    assert bolsheviks.type == "multi" and sum(f for f in bolsheviks.fractions if f > 0) == pytest.approx(1)
    assert cities.type == "matching" and len(cities.pairs) >= 2
    assert assassin.type == "shortanswer" and assassin.answers
    assert year.type == "numerical" and year.answers[0].value == 1940
    assert {q.tags for q in result.questions} == {("Default for History/Russia 1917–1940",)}

    plain = "no multilang spans: the same text serves Arabic and English"
    assert [str(w) for w in result.warnings] == [
        "moodle-export.xml:56: answer 3: its partial weight -33.3333% is dropped (one right answer, "
        "fraction 100): it counts as wrong",
        f"moodle-export.xml:{line_of('Calendar')}: feedback on answers is dropped: a question keeps one "
        "explanation, the general feedback or else the right answer's",
        f"moodle-export.xml:{line_of('Exile in order')}: images and other files are dropped (only the text "
        "is imported): map.png",
        f"moodle-export.xml:{line_of('Who were Bolsheviks?')}: {plain}",
        f"moodle-export.xml:{line_of('Cities and countries')}: {plain}",
        f"moodle-export.xml:{line_of('Assassin')}: {plain}",
        f"moodle-export.xml:{line_of('Year of death')}: {plain}",
    ]
    assert lines[55].strip() == '<answer fraction="-33.33333" format="html">'
    essay = line_of("{mlang ar}مقالة{mlang}{mlang en}Essay{mlang}")
    assert [str(p) for p in result.problems] == [
        f'moodle-export.xml:{essay}: question 7, "Essay / مقالة", is skipped: an essay is not a question '
        "we can import",
        f'moodle-export.xml:{line_of("Cloze")}: question 8, "Cloze", is skipped: a cloze (embedded '
        "answers) question is not a question we can import",
        f'moodle-export.xml:{line_of("About this quiz")}: question 10, "About this quiz", is skipped: '
        "a description is not a question we can import",
    ]


def test_a_file_of_skipped_questions_only_is_refused_with_every_reason() -> None:
    xml = quiz(
        '<question type="category"><category><text>$course$/top</text></category></question>',
        '<question type="essay"><name><text>Why?</text></name></question>',
        '<question type="calculated"><name><text>Sum</text></name></question>',
    )
    assert refused(xml) == [
        'q.xml:4: question 1, "Why?", is skipped: an essay is not a question we can import',
        'q.xml:5: question 2, "Sum", is skipped: its type (calculated) is not imported',
    ]
    assert refused(quiz()) == ["q.xml: no question found"]
    assert refused(quiz('<question type="category"><category><text>x</text></category></question>')) == [
        "q.xml: no question found"
    ]


# --- multiple choice, true/false, ordering: one rule each -------------------------------------------


def test_the_answer_with_fraction_100_is_the_right_one() -> None:
    q = one(quiz(mc("q", "0:a|100.0000000:b|0:c")))
    assert [o.en for o in q.options] == ["a", "b", "c"] and q.answer == 1
    assert q.prompt == Text("سؤال؟", "Question?")
    # <single> missing is true, as in Moodle.
    assert one(quiz(mc("q", "100:a|0:b").replace("<single>true</single>", ""))).answer == 0


@pytest.mark.parametrize("single", ["false", "0", ""])
def test_several_answers_allowed_is_a_several_right_question_with_its_fractions(single: str) -> None:
    xml = quiz(mc("pick", "50:a|50:b|-100:c", single=single), mc("ok", "100:a|0:b"))
    result = import_moodle_xml(xml, "q.xml")
    assert [(q.id, q.type) for q in result.questions] == [("pick", "multi"), ("ok", "mcq")]
    assert result.questions[0].fractions == (0.5, 0.5, -1.0)
    assert not result.problems


def test_two_right_answers_or_none_in_a_single_answer_question_are_problems() -> None:
    xml = quiz(mc("two", "100:a|100:b|0:c"), mc("none", "50:a|0:b"), mc("ok", "100:a|0:b"))
    result = import_moodle_xml(xml, "q.xml")
    assert [q.id for q in result.questions] == ["ok"]
    hint = (
        "answers have the full grade (fraction 100) in a single-answer question: one must; for several "
        "right answers that all must be chosen, set <single>false</single> and give each its share"
    )
    assert [str(p) for p in result.problems] == [f"q.xml:3: 2 {hint}", f"q.xml:4: 0 {hint}"]


def test_partial_and_negative_weights_are_dropped_with_a_warning_on_their_line() -> None:
    xml = quiz(mc("w", "100:a|50:b|-25:c|0:d").replace("<answer", "\n<answer"))
    assert one(xml).answer == 0
    assert warnings_of(xml) == [
        "q.xml:5: answer 2: its partial weight 50% is dropped (one right answer, fraction 100): "
        "it counts as wrong",
        "q.xml:6: answer 3: its partial weight -25% is dropped (one right answer, fraction 100): "
        "it counts as wrong",
    ]


def test_a_fraction_that_is_no_number_and_a_wrong_count_of_answers_are_problems() -> None:
    assert problems_of(quiz(mc("f", "100:a|half:b"))) == [
        'q.xml:3: answer 2: its fraction "half" is not a number'
    ]
    assert problems_of(quiz(mc("f", "100:a|nan:b")))[0].endswith('its fraction "nan" is not a number')
    long = quiz(mc("f", "100:a|0:b").replace('"0"', '"' + "9" * 100 + 'x"'))
    assert problems_of(long) == [f'q.xml:3: answer 2: its fraction "{"9" * 19}…" is not a number']
    assert problems_of(quiz(mc("one", "100:a"))) == [
        "q.xml:3: a multiple-choice question needs 2 to 50 answers, not 1"
    ]
    many = "|".join(f"0:{n}" for n in range(50))
    assert problems_of(quiz(mc("many", f"100:x|{many}"))) == [
        "q.xml:3: a multiple-choice question needs 2 to 50 answers, not 51"
    ]


def test_the_bank_rules_check_each_question() -> None:
    assert problems_of(quiz(mc("same", "100:Lenin|0: lenin "))) == [
        "q.xml:3: options[1]: the same Arabic text as options[0]"
    ]


def test_general_feedback_else_the_right_answers_is_the_explanation() -> None:
    right = '<answer fraction="100"><text>a</text><feedback><text>Yes, a.</text></feedback></answer>'
    wrong = '<answer fraction="0"><text>b</text><feedback><text>No.</text></feedback></answer>'
    head = (
        '<question type="multichoice"><name><text>f</text></name><questiontext><text>Q?</text></questiontext>'
    )
    assert one(
        quiz(head + right + '<answer fraction="0"><text>b</text></answer></question>')
    ).explanation == Text("Yes, a.", "Yes, a.")
    general = "<generalfeedback><text>Because.</text></generalfeedback>"
    xml = quiz(head + general + right + wrong + "</question>")
    assert one(xml).explanation == Text("Because.", "Because.")
    assert "feedback on answers is dropped" in warnings_of(xml)[0]


@pytest.mark.parametrize(
    ("true_fraction", "false_fraction", "answer"),
    [("100", "0", True), ("0", "100", False), ("100.0000000", "0", True)],
)
def test_true_false(true_fraction: str, false_fraction: str, answer: bool) -> None:
    xml = quiz(
        '<question type="truefalse"><name><text>tf</text></name>'
        "<questiontext><text>The sun rises in the east.</text></questiontext>"
        f'<answer fraction="{true_fraction}"><text>true</text></answer>'
        f'<answer fraction="{false_fraction}"><text>false</text></answer></question>'
    )
    q = one(xml)
    assert (q.type, q.correct, q.id) == ("truefalse", answer, "tf")


def test_true_false_answers_in_another_language_are_read_in_order_as_moodle_does() -> None:
    xml = quiz(
        '<question type="truefalse"><name><text>tf</text></name><questiontext><text>Q.</text></questiontext>'
        '<answer fraction="0"><text>صح</text></answer>'
        '<answer fraction="100"><text>خطأ</text></answer></question>'
    )
    assert one(xml).correct is False
    no_answers = quiz('<question type="truefalse"><questiontext><text>Q.</text></questiontext></question>')
    assert refused(no_answers) == ["q.xml:3: a true/false question needs its answers, true and false"]


def ordering(answers: list[str], extra: str = "") -> str:
    items = "".join(f'<answer fraction="{n}"><text>{a}</text></answer>' for n, a in enumerate(answers, 1))
    return (
        '<question type="ordering"><name><text>order</text></name>'
        f"<questiontext><text>{ml('رتّب', 'Put in order')}</text></questiontext>{extra}{items}</question>"
    )


def test_ordering_items_are_read_in_the_order_of_the_file() -> None:
    # The plugin reads its answers in the file's order: their fractions are not read.
    xml = quiz(ordering([ml("أ", "a"), ml("ب", "b"), ml("ج", "c")]).replace('fraction="1"', 'fraction="9"'))
    q = one(xml)
    assert q.type == "ordering" and q.items == (Text("أ", "a"), Text("ب", "b"), Text("ج", "c"))
    assert q.options == () and q.answer is None


def test_ordering_rules() -> None:
    assert problems_of(quiz(ordering(["a"]))) == ["q.xml:3: an ordering question needs 2 to 50 items, not 1"]
    assert problems_of(quiz(ordering(["a", "b", "a"]))) == [
        "q.xml:3: items[2]: the same Arabic text as items[0]"
    ]
    subset = "<selecttype>RANDOM</selecttype><selectcount>3</selectcount>"
    assert (
        "Moodle shows a student 3 of its 5 items; all of them are imported"
        in warnings_of(quiz(ordering([ml(c, c) for c in "abcde"], subset)))[0]
    )
    assert not warnings_of(quiz(ordering([ml(c, c) for c in "abc"], subset)))


# --- texts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "markup", "shown"),
    [
        ("html", "<p>One\ntwo</p>\n<p>three</p>", "One two\nthree"),
        ("html", "One<br>two<br />three", "One\ntwo\nthree"),
        ("html", "<p>3 &lt; 5 &amp;&nbsp;6</p><!-- <p>hidden</p> -->", "3 < 5 &\xa06"),
        ("moodle_auto_format", "One\ntwo", "One\ntwo"),
        ("plain_text", "<b>3</b> &lt; 5", "<b>3</b> &lt; 5"),
        ("markdown", "**bold** <i>x</i>", "bold x"),
    ],
)
def test_formats(fmt: str, markup: str, shown: str) -> None:
    assert xml_text(fmt, markup) == (Text(shown, shown), False)


def test_both_multilang_forms() -> None:
    spans = '<span lang="ar" class="multilang">نعم</span> <span lang="en_us" class="multilang">Yes</span>'
    assert xml_text("html", spans) == (Text("نعم", "Yes"), True)
    assert split_multilang("{mlang en}Yes{mlang}{mlang ar}نعم{mlang}!") == (Text("نعم!", "Yes!"), True)
    assert split_multilang("{ MLANG en,fr }Yes{ mlang }{mlang ar_sa}نعم{mlang}") == (Text("نعم", "Yes"), True)
    # Nothing in a language and no `other`: nothing, as the filter shows it.
    assert split_multilang("{mlang fr}Oui{mlang}") == (Text("", ""), True)
    assert split_multilang("{mlang en}Yes{mlang}{mlang other}Autre{mlang}") == (Text("Autre", "Yes"), True)
    # An opening without its end is text.
    assert split_multilang("{mlang en}Yes") == (Text("{mlang en}Yes", "{mlang en}Yes"), False)


def test_gift_reads_mlang_blocks_too() -> None:
    gift = "::m::[html]\\{mlang ar\\}سؤال؟\\{mlang\\}\\{mlang en\\}Question?\\{mlang\\}{=a ~b}"
    result = import_moodle(gift, "m.gift")
    assert result.questions[0].prompt == Text("سؤال؟", "Question?")


def test_a_text_without_multilang_serves_both_languages_with_a_warning() -> None:
    xml = quiz(
        '<question type="multichoice"><name><text>p</text></name><questiontext><text>Q?</text></questiontext>'
        '<answer fraction="100"><text>a</text></answer>'
        '<answer fraction="0"><text>b</text></answer></question>'
    )
    assert one(xml).prompt == Text("Q?", "Q?")
    assert warnings_of(xml) == ["q.xml:3: no multilang spans: the same text serves Arabic and English"]


def test_names_become_ids() -> None:
    xml = quiz(*(mc(name, "100:a|0:b") for name in ("Battle of Hastings (1066)", "", "q", "q")))
    assert [q.id for q in import_moodle_xml(xml).questions] == [
        "battle-of-hastings-1066",
        "question",
        "q",
        "q-2",
    ]
    arabic = quiz(mc("معركة", "100:a|0:b").replace(ml("سؤال؟", "Question?"), "متى؟"))
    assert one(arabic).id == "moodle-3"  # nothing Latin to make a slug from: the line


# --- which format ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "path", "xml"),
    [
        (b'<?xml version="1.0"?><quiz/>', "q.txt", True),
        ("\ufeff  \n<quiz></quiz>", "", True),
        (b"\xef\xbb\xbf<QUIZ>", "q.gift", True),
        ("Q? {=a ~b}", "questions.XML", True),
        ("Q? {=a ~b}", "questions.gift", False),
        (b"// <quiz>\nQ? {=a ~b}", "q.txt", False),
    ],
)
def test_is_moodle_xml(data: str | bytes, path: str, xml: bool) -> None:
    assert is_moodle_xml(data, path) is xml


def test_import_moodle_reads_either_and_add_moodle_adds_what_it_can_unless_strict() -> None:
    assert len(import_moodle(export_gift(TROTSKY), "t.gift").questions) == 4
    assert len(import_moodle(export_moodle_xml(TROTSKY), "t.txt").questions) == 4
    xml = quiz(mc("ok", "100:a|0:b"), mc("none", "0:a|0:b"), '<question type="essay"/>')
    with pytest.raises(BankFileError, match="q.xml:4: 0 answers have the full grade"):
        add_moodle(TROTSKY, xml, "q.xml", strict=True)
    bank, result = add_moodle(TROTSKY, xml, "q.xml")
    assert [q.id for q in bank.questions] == [q.id for q in TROTSKY.questions] + ["ok"]
    assert len(result.problems) == 2  # the one with no right answer, and the essay
    assert not validate_bank(bank)
    # Skipped questions alone do not stop the import.
    bank, _ = add_moodle(TROTSKY, quiz(mc("ok", "100:a|0:b"), '<question type="essay"/>'), "q.xml")
    assert bank.questions[-1].id == "ok"


# --- hostile or broken files ----------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="truefalse"><questiontext><text>&lol9;</text></questiontext></question></quiz>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext><text>&secret;</text></questiontext></question></quiz>
"""


def test_entities_are_refused_before_they_expand() -> None:
    assert refused(BILLION_LAUGHS, "lol.xml") == [
        "lol.xml:2: a DOCTYPE or an entity is not allowed in a Moodle XML file"
    ]
    assert refused(EXTERNAL_ENTITY, "xxe.xml") == [
        "xxe.xml:2: a DOCTYPE or an entity is not allowed in a Moodle XML file"
    ]
    plain_doctype = '<?xml version="1.0"?>\n\n<!DOCTYPE quiz>\n<quiz/>'
    assert refused(plain_doctype) == ["q.xml:3: a DOCTYPE or an entity is not allowed in a Moodle XML file"]


def test_a_file_of_too_many_elements_is_refused_where_it_passes_the_limit() -> None:
    from quizapp.domain.xmlread import MAX_ELEMENTS

    deep = "<quiz>\n" + "<a>" * MAX_ELEMENTS + "\n<a>" + "</a>" * (MAX_ELEMENTS + 1) + "</quiz>"
    assert refused(deep) == [f"q.xml:2: the file has more than {MAX_ELEMENTS:,} elements: refused"]
    # Up to the limit, the file is read (and then judged as Moodle XML: no question in it).
    shallow = "<quiz>" + "<a/>" * (MAX_ELEMENTS - 1) + "</quiz>"
    assert "elements" not in " ".join(refused(shallow))


@pytest.mark.parametrize(
    ("xml", "problem"),
    [
        ("<quiz>\n<question type='truefalse'>\n</quiz>", "q.xml:3: not well-formed XML: mismatched tag"),
        ("<quiz>\n<question>&nbsp;</question></quiz>", "q.xml:2: not well-formed XML: undefined entity"),
        ("", "q.xml:1: not well-formed XML: no element found"),
        ("Q? {=a ~b}", "q.xml:1: not well-formed XML: syntax error"),
        ("<quiz/>\n<quiz/>", "q.xml:2: not well-formed XML: junk after document element"),
        (b"<quiz>\n\xff</quiz>", "q.xml:2: not well-formed XML: not well-formed (invalid token)"),
        (
            "\n<questions><question/></questions>",
            "q.xml:2: not a Moodle XML file: its top element is <questions>, not <quiz>",
        ),
    ],
)
def test_files_that_are_not_moodle_xml_are_refused_with_their_line(xml: str | bytes, problem: str) -> None:
    assert refused(xml) == [problem]


def test_a_file_too_big_is_refused_before_reading() -> None:
    assert refused(b" " * (MAX_XML_BYTES + 1), "big.xml") == [
        f"big.xml: the file is too big ({MAX_XML_BYTES + 1} bytes; at most {MAX_XML_BYTES // 1024} KB)"
    ]


def test_an_encoding_the_file_declares_is_read() -> None:
    xml = (
        quiz(mc("café", "100:été|0:hiver"))
        .replace("UTF-8", "ISO-8859-1")
        .replace(ml("سؤال؟", "Question?"), "Q?")
    )
    q = one(xml.encode("latin-1"))
    assert q.id == "cafe" and q.options[0] == Text("été", "été")


def hostile() -> list[str]:
    big = MAX_XML_BYTES - 400
    # Each text in a question that is read through (a true/false question), as its prompt.
    text = (
        "<question type='truefalse'><questiontext format='html'><text>{}</text></questiontext>"
        "<answer fraction='100'><text>true</text></answer><answer fraction='0'><text>false</text></answer>"
        "</question>"
    )
    return [
        quiz(text.format("{mlang en}" * (big // 10))),  # openings without their end
        quiz(text.format("{mlang " + "a," * (big // 2 - 10))),
        quiz(text.format("{mlang en}x{mlang}" * (big // 20))),
        quiz(text.format("&lt;!--" * (big // 7))),  # comments without their end
        quiz(text.format("&lt;span lang='ar' class='multilang'&gt;" * (big // 45))),
        quiz(text.format("&lt;/p" + " " * (big - 20))),
        quiz(text.format("{" + " " * (big - 20))),
        quiz("<a>" * (big // 7) + "</a>" * (big // 7)),  # deep nesting
        quiz(mc("f", "100:a|0:b").replace('"0"', '"' + "1" * (big - 300) + 'x"')),
        quiz('<question type="essay"><name><text>e</text></name></question>' * (big // 70)),
    ]


@pytest.mark.parametrize("xml", hostile(), ids=range(len(hostile())))
def test_hostile_files_never_crash(xml: str) -> None:
    assert len(xml.encode()) <= MAX_XML_BYTES
    with contextlib.suppress(BankFileError):
        import_moodle_xml(xml, "h.xml")


def megabyte_xml() -> str:
    """A Moodle XML file of multiple-choice questions just under the size limit."""
    question = mc("q", f"100:{ml('أ', 'a')}|0:{ml('ب', 'b')}") + "\n"
    return quiz(question * ((MAX_XML_BYTES - 100) // len(question.encode())))


def test_a_megabyte_of_questions_is_read_whole() -> None:
    assert len(import_moodle_xml(megabyte_xml()).questions) > 1000


# --- the command line ------------------------------------------------------------------------------


def test_bank_import_moodle_into_the_database(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from quizapp.banks import to_domain
    from quizapp.cli import main
    from quizapp.extensions import db
    from quizapp.models import Bank as BankRow

    def version() -> int:
        with app.app_context():
            return db.session.scalar(select(BankRow.version).where(BankRow.slug == "trotsky"))

    runner = app.test_cli_runner()
    bad = tmp_path / "bad.xml"
    bad.write_text(quiz(mc("new-q", "100:a|0:b"), mc("none", "0:a|0:b"), '<question type="essay"/>'), "utf-8")
    result = runner.invoke(main, ["bank", "import-moodle", str(bad), "--bank", "trotsky", "--strict"])
    assert result.exit_code == 1
    assert f"{bad}:4: 0 answers have the full grade (fraction 100)" in result.output
    assert version() == 1
    result = runner.invoke(main, ["bank", "import-moodle", str(bad), "--bank", "trotsky"])
    assert result.exit_code == 0, result.output
    assert f'skipped: {bad}:5: question 3, "(no name)", is skipped: an essay' in result.output
    assert "imported 1 question into trotsky (version 2); skipped 2" in result.output
    # Its old name reads Moodle XML too; a file without the .xml name is told by its content.
    good = tmp_path / "export.txt"
    good.write_text(export_moodle_xml(TROTSKY), encoding="utf-8")
    result = runner.invoke(main, ["bank", "import-gift", str(good), "--bank", "trotsky"])
    assert "imported 4 questions into trotsky (version 3)" in result.output, result.output
    with app.app_context():
        row = db.session.scalar(select(BankRow).where(BankRow.slug == "trotsky"))
        ids = [q.id for q in to_domain(row).questions]
    assert ids[-5:] == ["new-q"] + [f"{q.id}-2" for q in TROTSKY.questions]
    broken = tmp_path / "broken.xml"
    broken.write_text(BILLION_LAUGHS, encoding="utf-8")
    result = runner.invoke(main, ["bank", "import-moodle", str(broken), "--bank", "trotsky"])
    assert result.exit_code == 1
    assert f"{broken}:2: a DOCTYPE or an entity is not allowed in a Moodle XML file" in result.output
    assert version() == 3
