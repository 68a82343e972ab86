"""Moodle's formats: GIFT out and back in (as Moodle reads GIFT), Moodle XML out for the ordering plugin.

GIFT snippets are written by hand, one feature each; tests/domain/data/moodle/ holds a file of the
examples in Moodle's GIFT documentation and a bilingual file as a teacher would write it.
"""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import replace
from pathlib import Path

import defusedxml.ElementTree as DET
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.domain.bank import AuthoredQuestion, Bank, Text
from quizapp.domain.formats import EXPORT_FORMATS, add_moodle
from quizapp.domain.formats.bankfile import load_bank
from quizapp.domain.formats.gift import export_gift, gift_escape, import_gift
from quizapp.domain.formats.moodle_common import (
    FALSE,
    MAX_GIFT_BYTES,
    MOODLE_GRADING,
    TRUE,
    generated_questions,
    merge_questions,
)
from quizapp.domain.formats.moodle_xml import export_moodle_xml
from quizapp.domain.formats.multilang import multilang, split_multilang
from quizapp.domain.generate import Question
from quizapp.domain.problems import BankFileError
from quizapp.domain.scoring import ORDERING_METHODS, score_ordering
from quizapp.domain.validate import validate_bank

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "data" / "moodle"
TROTSKY = load_bank(ROOT / "questions" / "trotsky.yaml")


def ml(ar: str, en: str) -> str:
    """A multilang pair as a teacher writes it in GIFT (the = of the attributes escaped)."""
    return gift_escape(multilang(Text(ar, en)))


def one(gift: str) -> AuthoredQuestion:
    """The single question a GIFT text gives, with no problem."""
    result = import_gift(gift, "t.gift")
    assert not result.problems, result.problems
    assert len(result.questions) == 1
    return result.questions[0]


def problems_of(gift: str) -> list[str]:
    """Every problem a GIFT text reports, as printed."""
    try:
        result = import_gift(gift, "t.gift")
    except BankFileError as err:
        return [str(p) for p in err.problems]
    return [str(p) for p in result.problems]


def warnings_of(gift: str) -> list[str]:
    return [str(p) for p in import_gift(gift, "t.gift").warnings]


def mcq(qid: str, prompt: Text, options: list[Text], answer: int = 0, explanation: Text | None = None):
    return AuthoredQuestion(
        id=qid, type="mcq", prompt=prompt, options=tuple(options), answer=answer, explanation=explanation
    )


def bank_with(*questions: AuthoredQuestion) -> Bank:
    return Bank(slug="b", title=Text("بنك", "A bank"), questions=questions)


# --- GIFT out and back ----------------------------------------------------------------------------


def test_export_gift_of_the_trotsky_bank_reads_back_the_same_questions() -> None:
    gift = export_gift(TROTSKY)
    # Into the bank's events (the links to them kept); the bank's own category is no tag there.
    bank, result = add_moodle(replace(TROTSKY, questions=()), gift)
    assert bank.questions == TROTSKY.questions
    assert not result.problems and not result.warnings
    assert result.categories == (
        "$course$/top/Leon Trotsky: from revolution to assassination (1917–1940) — "
        "ليون تروتسكي: من الثورة إلى الاغتيال (1917–1940)",
    )


def test_export_gift_writes_what_moodle_reads() -> None:
    q = mcq("q-1", Text("كم؟ {x}", "How many? 1+1=2"), [Text("اثنان", "two"), Text("ثلاثة", "3 # three")])
    gift = export_gift(bank_with(replace(q, explanation=Text("لأن", "Because: sums"))))
    assert gift.split("\n") == [
        "// quizapp bank: b",
        "$CATEGORY: $course$/top/A bank — بنك",
        "",
        "// q-1",
        "// [id:q-1]",
        '::q-1::[html]<span lang\\="ar" class\\="multilang">كم؟ \\{x\\}</span>'
        '<span lang\\="en" class\\="multilang">How many? 1+1\\=2</span>{',
        '\t=<span lang\\="ar" class\\="multilang">اثنان</span>'
        '<span lang\\="en" class\\="multilang">two</span>',
        '\t~<span lang\\="ar" class\\="multilang">ثلاثة</span>'
        '<span lang\\="en" class\\="multilang">3 \\# three</span>',
        '\t####<span lang\\="ar" class\\="multilang">لأن</span>'
        '<span lang\\="en" class\\="multilang">Because\\: sums</span>',
        "}",
        "",
    ]


def test_export_gift_adds_generated_questions_ordering_among_them() -> None:
    generated = generated_questions(TROTSKY, 12, seed="7")
    assert {q.type for q in generated} == {"mcq", "ordering"}
    assert not any(q.kind == "authored" for q in generated)
    result = import_gift(export_gift(TROTSKY, generated))
    wanted = generated
    imported = result.questions[len(TROTSKY.questions) :]
    assert [(q.prompt, q.options, q.answer) for q in imported if q.type == "mcq"] == [
        (g.prompt, g.options, g.answer) for g in wanted if g.type == "mcq"
    ]
    assert [q.items for q in imported if q.type == "ordering"] == [
        tuple(g.items[i] for i in g.answer) for g in wanted if g.type == "ordering"  # type: ignore[union-attr]
    ]
    # Each keeps the events it tests, as `event:<id>` tags.
    assert [q.events for q in imported] == [tuple(g.about) for g in wanted]
    # Names come from the keys ("date-event:trotsky-dies"), ids are their slugs.
    dashed = [g.key.replace(":", "-").replace(",", "-") for g in wanted]
    assert all(key.startswith(q.id) for q, key in zip(imported, dashed, strict=True))  # long ones cut


_SPECIAL = "~=#{}:\\%[]<>&;/\"'_-\n\t \u200f"
_ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهويةءأإآى" + "ًٌٍَُِّْ" + "٠١٢٣"
texts = (
    st.text(alphabet=_SPECIAL + _ARABIC + "abcXYZ019", min_size=1, max_size=25).map(str.strip).filter(bool)
)
pairs = st.builds(Text, ar=texts, en=texts)
ids = st.from_regex(r"\A[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}\Z")


@st.composite
def mcq_banks(draw: st.DrawFn) -> Bank:
    questions = []
    for qid in draw(st.lists(ids, min_size=1, max_size=4, unique=True)):
        options = draw(st.lists(pairs, min_size=2, max_size=5))
        answer = draw(st.integers(0, len(options) - 1))
        questions.append(mcq(qid, draw(pairs), options, answer, draw(st.none() | pairs)))
    bank = bank_with(*questions)
    assume(not validate_bank(bank))  # e.g. two options that read the same
    return bank


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mcq_banks())
def test_gift_round_trip_keeps_every_text_in_both_languages(bank: Bank) -> None:
    kept, result = add_moodle(replace(bank, questions=()), export_gift(bank))
    assert kept.questions == bank.questions
    assert not result.problems and not result.warnings


@given(texts)
def test_multilang_reads_back(text: str) -> None:
    pair = Text(ar=text[::-1], en=text)
    assert split_multilang(multilang(pair)) == (pair, True)


# --- GIFT in: one feature each ---------------------------------------------------------------------


def test_right_and_wrong_answers_across_lines() -> None:
    q = one("Japanese characters originally came from what country? {\n ~India\n =China\n ~Korea\n ~Egypt}")
    assert [o.en for o in q.options] == ["India", "China", "Korea", "Egypt"]
    assert q.answer == 1
    assert q.prompt == Text(
        "Japanese characters originally came from what country?",
        "Japanese characters originally came from what country?",
    )


def test_comments_are_skipped_wherever_they_stand() -> None:
    gift = "// a header\n\n// before\n::c::Q? {\n// among the answers\n=a\n  // indented\n~b\n}\n// after\n"
    q = one(gift)
    assert q.id == "c" and [o.en for o in q.options] == ["a", "b"]


def test_a_comment_only_block_is_no_question() -> None:
    assert problems_of("// nothing\n// here\n") == ["t.gift: no question found"]


def test_the_title_becomes_the_id() -> None:
    assert one("::Battle of Hastings (1066)::When? {=1066 ~1215}").id == "battle-of-hastings-1066"
    assert one("When did the battle of Hastings take place, in England? {=1066 ~1215}").id == (
        "when-did-the-battle-of-hastings"
    )
    assert one("::معركة::متى؟ {=1066 ~1215}").id == "gift-1"  # nothing Latin to make a slug from


def test_an_unclosed_title_is_part_of_the_text_as_in_moodle() -> None:
    assert one("::Who died? {=Lenin ~Stalin}").prompt.en == "Who died?"


def test_repeated_titles_get_distinct_ids() -> None:
    result = import_gift("::q::A? {=a ~b}\n\n::q::B? {=a ~b}\n\n::Q::C? {=a ~b}")
    assert [q.id for q in result.questions] == ["q", "q-2", "q-3"]


@pytest.mark.parametrize(
    ("escaped", "plain"),
    [
        ("\\~", "~"),
        ("\\=", "="),
        ("\\#", "#"),
        ("\\{", "{"),
        ("\\}", "}"),
        ("\\:", ":"),
        ("a\\nb", "a\nb"),
        ("\\\\", "\\"),
        ("\\\\\\:", "\\:"),
        ("\\x", "\\x"),  # not an escape: kept as written
    ],
)
def test_escapes(escaped: str, plain: str) -> None:
    q = one(f"::e::[plain]Text {escaped} end{{=right {escaped} end ~wrong}}")
    assert q.prompt.en == f"Text {plain} end"
    assert q.options[0].en == f"right {plain} end"


def test_gift_escape_is_what_the_reader_undoes() -> None:
    assert gift_escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"


def test_an_unescaped_equals_sign_starts_an_answer_as_in_moodle() -> None:
    q = one("Q? {~1+1=2 ~3}")
    assert [o.en for o in q.options] == ["1+1", "2", "3"] and q.answer == 1


@pytest.mark.parametrize(
    ("marker", "prompt"),
    [
        ("[html]", "Is 3 < 5 & 6 > 4?"),  # tags dropped, entities decoded
        ("[moodle]", "Is 3 < 5 & 6 > 4?"),  # Moodle's own format is HTML too
        ("", "Is 3 < 5 & 6 > 4?"),  # and the default
        ("[plain]", "Is <b>3</b> &lt; 5 &amp; 6 > 4?"),
        ("[markdown]", "Is 3 < 5 & 6 > 4?"),  # Markdown holds HTML as it is
    ],
)
def test_format_markers(marker: str, prompt: str) -> None:
    q = one(f"{marker}Is <b>3</b> &lt; 5 &amp; 6 > 4?{{=yes ~no}}")
    assert q.prompt.en == prompt


def test_an_unknown_format_marker_stays_in_the_text() -> None:
    assert one("[latex]Q? {=a ~b}").prompt.en == "[latex]Q?"
    assert one("[htmlQ? {=a ~b}").prompt.en == "[htmlQ?"


def test_html_line_breaks_become_line_breaks() -> None:
    assert one("[html]One<br>two<br/>three{=a ~b}").prompt.en == "One\ntwo\nthree"


def test_general_feedback_is_the_explanation() -> None:
    q = one("Q? {=a ~b ####Because\\: reasons.}")
    assert q.explanation == Text("Because: reasons.", "Because: reasons.")


def test_the_right_answers_feedback_is_the_explanation_when_there_is_no_general_one() -> None:
    gift = "Q? {=a #Yes, a. ~b}"
    assert one(gift).explanation == Text("Yes, a.", "Yes, a.")
    assert not [w for w in warnings_of(gift) if "feedback" in w]


def test_feedback_on_wrong_answers_is_dropped_with_a_warning() -> None:
    gift = "// c\n::q::Q? {\n=a #Yes\n~b #No\n####General\n}"
    assert one(gift).explanation == Text("General", "General")
    assert (
        "t.gift:2: feedback on answers is dropped: a question keeps one explanation, "
        "the general feedback (####) or else the right answer's"
    ) in warnings_of(gift)


def test_without_an_equals_sign_several_answers_may_be_chosen_as_in_moodle() -> None:
    q = one("Q? {~%100%a ~b ~%0%c}")
    assert q.type == "multi" and q.fractions == (1.0, 0.0, 0.0)
    assert [o.en for o in q.options] == ["a", "b", "c"]


def test_a_partial_weight_beside_the_right_answer_is_dropped_with_a_warning() -> None:
    gift = "Q? {\n=a\n~%50%b\n~%-33.3%c\n}"
    q = one(gift)
    assert q.answer == 0 and [o.en for o in q.options] == ["a", "b", "c"]
    assert warnings_of(gift)[:2] == [
        "t.gift:3: answer 2: its partial weight 50% is dropped (one right answer, marked =): "
        "it counts as wrong",
        "t.gift:4: answer 3: its partial weight -33.3% is dropped (one right answer, marked =): "
        "it counts as wrong",
    ]


def test_a_weight_moodle_does_not_read_stays_in_the_text() -> None:
    # Moodle's pattern takes 1 or 2 digits, a dot, more digits: "%100.0%" is not a weight.
    assert one("Q? {=a ~%100.0%b ~%x%c}").options[1:] == (Text("%100.0%b", "%100.0%b"), Text("%x%c", "%x%c"))


def test_partial_weights_make_a_several_right_question_never_a_single_answer_one() -> None:
    gift = "\n\nWho is entombed? {\n~%50%Grant\n~%50%His wife\n~%-100%No one\n}"
    q = one(gift)
    assert (q.type, q.fractions, q.answer) == ("multi", (0.5, 0.5, -1.0), None)
    # Weights that do not add up are the bank's rule, Moodle's too; nothing says "mark one with =".
    found = problems_of("Q? {~%50%a ~%25%b ~c}")
    assert found == ["t.gift:1: options: the positive fractions add up to 0.75: they must add up to 1"]
    nothing = problems_of("Q? {~a ~b}")[0]
    assert "~%50%" in nothing and "add up to 100%" in nothing


def test_two_equals_signs_in_a_single_answer_question_are_refused() -> None:
    assert problems_of("Q? {=a =b ~c}") == [
        "t.gift:1: 2 answers are marked right with = in a single-answer question: mark one; "
        "for several right answers that all must be chosen, give each its share (~%50%) and no ="
    ]
    assert problems_of("Q? {=a ~%100%b ~c}")[0].startswith("t.gift:1: 2 answers are marked right")


def test_one_answer_is_not_enough_and_too_many_is_too_many() -> None:
    assert problems_of("Q? {~a}") == ["t.gift:1: a multiple-choice question needs 2 to 50 answers, not 1"]
    many = " ".join(f"~{n}" for n in range(49))
    assert len(one(f"Q? {{=x {many}}}").options) == 50
    assert problems_of(f"Q? {{=x ~y {many}}}") == [
        "t.gift:1: a multiple-choice question needs 2 to 50 answers, not 51"
    ]


def test_options_that_read_the_same_are_refused_by_the_bank_rules() -> None:
    assert problems_of("Q? {=Lenin ~ lenin }") == ["t.gift:1: options[1]: the same Arabic text as options[0]"]
    assert problems_of("Q? {=a ~}") == [
        "t.gift:1: options[1].ar: the Arabic text is empty",
        "t.gift:1: options[1].en: the English text is empty",
    ]


def test_categories_are_recorded() -> None:
    result = import_gift("$CATEGORY: $course$/top/History\n\nQ? {=a ~b}\n\n$CATEGORY: Other\n")
    assert result.categories == ("$course$/top/History", "Other")
    assert len(result.questions) == 1


def test_a_question_glued_to_its_category_is_a_problem() -> None:
    assert problems_of("$CATEGORY: History\nQ? {=a ~b}\n\nR? {=a ~b}")[0] == (
        "t.gift:2: a question right after $CATEGORY: needs a blank line before it"
    )


def test_blank_lines_separate_questions_and_lines_are_counted() -> None:
    gift = "A? {=a ~b}\n\n\n  \t\nB? {\n=a\n~b\n}\n\nC? {=a}\n"
    result = import_gift(gift, "t.gift")
    assert [q.prompt.en for q in result.questions] == ["A?", "B?", "C?"]
    assert [q.type for q in result.questions] == ["mcq", "mcq", "shortanswer"]
    assert not result.problems


def test_crlf_line_ends() -> None:
    result = import_gift("A? {\r\n=a\r\n~b\r\n}\r\n\r\nB? {=a ~b}\r\n")
    assert [q.prompt.en for q in result.questions] == ["A?", "B?"]


def test_missing_word_format_leaves_a_blank() -> None:
    q = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert q.prompt.en == "Grant is _____ in Grant's tomb." and q.answer == 1


@pytest.mark.parametrize(("answer", "right"), [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)])
def test_true_false_is_a_true_or_false_question(answer: str, right: bool) -> None:
    q = one(f"::tf::The sun rises in the east.{{{answer}}}")
    assert (q.type, q.correct, q.id, q.options) == ("truefalse", right, "tf", ())
    assert (Text("صح", "True"), Text("خطأ", "False")) == (TRUE, FALSE)


def test_true_false_feedback() -> None:
    # {F#shown to who answers wrong#shown to who answers right}
    gift = "Russia used the Gregorian calendar in 1917.{F#No.#Right: the Julian one.}"
    q = one(gift)
    assert q.correct is False and q.explanation == Text("Right: the Julian one.", "Right: the Julian one.")
    assert any("feedback on answers is dropped" in w for w in warnings_of(gift))
    assert one("X.{TRUE####General.}").explanation == Text("General.", "General.")


def test_lower_case_true_is_a_short_answer_as_in_moodle() -> None:
    q = one("X.{true}")
    assert q.type == "shortanswer" and q.answers[0].text == Text("true", "true")


def test_multilang_spans_give_each_language_its_text() -> None:
    q = one(f"::m::[html]{ml('سؤال؟', 'Question?')}{{={ml('نعم', 'Yes')} ~{ml('لا', 'No')}}}")
    assert q.prompt == Text("سؤال؟", "Question?")
    assert q.options == (Text("نعم", "Yes"), Text("لا", "No"))


def test_multilang_as_moodle_filters_it() -> None:
    spans = (
        '1917: <span class="multilang" lang="en">Revolution</span>\n'
        '<span lang="ar_sa" class="multilang">ثورة</span> (<b>1</b>)'
    )
    assert split_multilang(spans) == (Text("1917: ثورة (1)", "1917: Revolution (1)"), True)
    # A block without the reader's language shows its first span; a lone span is no block.
    assert split_multilang(
        '<span lang="fr" class="multilang">Oui</span><span lang="de" class="multilang">Ja</span>'
    ) == (Text("Oui", "Oui"), True)
    assert split_multilang('<span lang="en" class="multilang">Yes</span>') == (Text("Yes", "Yes"), False)
    assert split_multilang('<span lang="en">Yes</span><span lang="ar">نعم</span>') == (
        Text("Yesنعم", "Yesنعم"),
        False,
    )


def test_text_without_multilang_serves_both_languages_with_a_warning() -> None:
    gift = f"\n::plain::When? {{={ml('1917', '1917')} ~1918}}"
    q = one(gift)
    assert q.prompt == Text("When?", "When?") and q.options[1] == Text("1918", "1918")
    assert warnings_of(gift) == ["t.gift:2: no multilang spans: the same text serves Arabic and English"]


@pytest.mark.parametrize(
    ("gift", "kind"),
    [
        ("::Q3:: Two plus {=two =2} equals four.", "shortanswer"),
        ("Match. { =cat -> cat food =dog -> dog food }", "matching"),
        ("When was Grant born?{#1822:5}", "numerical"),
        ("Order. {>3 ALL VERTICAL ABSOLUTE_POSITION SHOW none\na\nb\nc}", "ordering"),
        ("Who? {~%50%a ~%50%b ~%-100%c}", "multi"),
        ("True? {T}", "truefalse"),
    ],
)
def test_every_kind_we_have_is_imported(gift: str, kind: str) -> None:
    result = import_gift(f"// first\nQ? {{=a ~b}}\n\n{gift}", "t.gift")
    assert not result.problems
    assert [q.type for q in result.questions] == ["mcq", kind]


@pytest.mark.parametrize(
    ("gift", "message"),
    [
        ("Write an essay. {}", "an essay question ({}) is not imported: skipped"),
        ("Just a description.", "a description (no answers in { }) is not a question: skipped"),
        ("Cloze {=a ~b} and {=c ~d}", "a second { } in one question (a cloze question?): skipped"),
    ],
)
def test_essays_descriptions_and_cloze_are_skipped_with_their_line(gift: str, message: str) -> None:
    found = problems_of(f"// first\nQ? {{=a ~b}}\n\n{gift}")
    assert len(found) == 1 and found[0].startswith(f"t.gift:4: {message}")


def test_descriptions_and_broken_braces_are_reported() -> None:
    gift = "Q? {=a ~b}\n\nJust a description.\n\nBroken {=a ~b\n\nAlso } broken {\n\nTwo {=a ~b} and {=c ~d}"
    result = import_gift(gift, "t.gift")
    assert [str(p) for p in result.problems] == [
        "t.gift:3: a description (no answers in { }) is not a question: skipped",
        "t.gift:5: a { without its } or a } without its {: write \\{ or \\} for a brace in text",
        "t.gift:7: a { without its } or a } without its {: write \\{ or \\} for a brace in text",
        "t.gift:9: a second { } in one question (a cloze question?): skipped; "
        "put a blank line between questions",
    ]
    assert len(result.questions) == 1


def test_nothing_importable_raises_with_every_problem() -> None:
    with pytest.raises(BankFileError) as err:
        import_gift("\n\nQ? {}\n\nR? {#x}", "t.gift")
    assert [str(p) for p in err.value.problems] == [
        "t.gift:3: an essay question ({}) is not imported: skipped",
        't.gift:5: "x" is not a number, a number:tolerance or min..max',
    ]
    assert problems_of("") == ["t.gift: no question found"]


def test_the_examples_of_moodles_documentation() -> None:
    path = DATA / "docs-examples.gift"
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(start: str) -> int:
        return next(n for n, line in enumerate(lines, start=1) if line.startswith(start))

    result = import_gift(path.read_bytes(), "docs-examples.gift")
    assert result.categories == ("$course$/top/GIFT examples",)
    got = {q.id: q for q in result.questions}
    assert list(got) == [
        "grants-tomb",
        "grant-is-in-grant-s-tomb",
        "q1",
        "q2",
        "q3",
        "q4",
        "q5",
        "what-two-people-are-entombed-in",
        "the-american-holiday-of-thanksgiving-is",
    ]
    assert {q.tags for q in result.questions} == {("GIFT examples",)}  # the category, as a tag
    assert [o.en for o in got["grants-tomb"].options] == [
        "Grant",
        "No one",
        "Napoleon",
        "Churchill",
        "Mother Teresa",
    ]
    assert got["grants-tomb"].answer == 0 and got["grants-tomb"].explanation is None
    assert got["q1"].prompt.en == "1+1=2" and got["q1"].correct is True
    assert got["q2"].explanation == Text("right; good!", "right; good!")
    assert got["the-american-holiday-of-thanksgiving-is"].prompt.en == (
        "The American holiday of Thanksgiving is celebrated on the _____ Thursday of November."
    )
    assert [a.text for a in got["q3"].answers] == [Text("two", "two"), Text("2", "2")]
    assert [(p.left, p.right) for p in got["q4"].pairs] == [
        (Text("cat", "cat"), Text("cat food", "cat food")),
        (Text("dog", "dog"), Text("dog food", "dog food")),
    ]
    assert [(a.value, a.tolerance, a.fraction) for a in got["q5"].answers] == [(3, 2, 1.0)]
    assert got["what-two-people-are-entombed-in"].fractions == (-1.0, 0.5, 0.5, -1.0)
    assert [(p.line, p.message) for p in result.problems] == [
        (line_of("Write a short"), "an essay question ({}) is not imported: skipped")
    ]


def test_a_bilingual_file() -> None:
    result = import_gift((DATA / "bilingual.gift").read_text(encoding="utf-8"), "bilingual.gift")
    exile, calendar = result.questions
    assert exile.id == "exile-start"
    assert exile.prompt == Text(
        "أين بدأ نفي تروتسكي خارج الاتحاد السوفيتي؟", "Where did Trotsky's exile abroad begin?"
    )
    assert exile.options == (Text("تركيا", "Turkey"), Text("فرنسا", "France"), Text("النرويج", "Norway"))
    assert exile.explanation == Text("نُفي إلى تركيا عام 1929.", "He was exiled to Turkey in 1929: Prinkipo.")
    assert calendar.prompt.ar == "كانت روسيا تستعمل التقويم الغريغوري عام 1917."  # lang="ar_sa"
    assert calendar.correct is False and calendar.explanation == Text(
        "كانت تستعمل اليولياني.", "It used the Julian one."
    )
    assert [str(w) for w in result.warnings] == [
        "bilingual.gift:10: answer 3: its partial weight 25% is dropped (one right answer, marked =): "
        "it counts as wrong",
        "bilingual.gift:14: feedback on answers is dropped: a question keeps one explanation, "
        "the general feedback (####) or else the right answer's",
    ]


# --- hostile input ---------------------------------------------------------------------------------


def test_a_file_too_big_is_refused_before_reading() -> None:
    with pytest.raises(BankFileError) as err:
        import_gift(b"x" * (MAX_GIFT_BYTES + 1), "big.gift")
    assert str(err.value).startswith("big.gift: the file is too big")


def test_bytes_that_are_not_utf8_are_refused() -> None:
    with pytest.raises(BankFileError, match="not UTF-8 text"):
        import_gift(b"Q? {=\xff ~b}", "t.gift")
    assert len(import_gift("\ufeffQ? {=a ~b}".encode()).questions) == 1  # a BOM is fine


def test_the_placeholder_characters_are_refused() -> None:
    with pytest.raises(BankFileError, match="t.gift:2: the character U\\+10FF7E"):
        import_gift("A? {=a ~b}\nB \U0010ff7e? {=a ~b}", "t.gift")


#: GIFT built to be slow or to crash a reader (tests/bench/import_speed.py times them).
HOSTILE_GIFT = [
    "Q? {~%--50%a =b}",
    "Q? {" + "~" * 5000 + "=b}",
    "::" * 1000,
    "{" * 1000 + "}" * 1000,
    "[html" * 1000 + "{=a ~b}",
    '<span lang="ar" class="multilang">' * 20000 + "{=a ~b}",
    ('<span lang="ar" class="multilang">a</span>' * 2 + "\\n") * 3000 + "{=a ~b}",
    "Q? {=a ~b}\n" + "\\" * 100_000,
]


@pytest.mark.parametrize("gift", HOSTILE_GIFT)
def test_hostile_gift_never_crashes(gift: str) -> None:
    with contextlib.suppress(BankFileError):
        import_gift(gift, "t.gift")


def megabyte_gift() -> str:
    """A GIFT file of multiple-choice questions just under the size limit."""
    question = f"::q::[html]{ml('سؤال {1}', 'Question {1}')}{{={ml('أ', 'a')} ~{ml('ب', 'b')}}}\n\n"
    return question * (MAX_GIFT_BYTES // len(question.encode()))


def test_a_megabyte_of_questions_is_read_whole() -> None:
    assert len(import_gift(megabyte_gift()).questions) > 1000


# --- into a bank -----------------------------------------------------------------------------------


def test_merge_questions_renames_ids_already_taken() -> None:
    bank = bank_with(mcq("q", Text("أ؟", "A?"), [Text("أ", "a"), Text("ب", "b")]))
    new = [
        mcq("q", Text("ب؟", "B?"), [Text("أ", "a"), Text("ب", "b")]),
        mcq("r", Text("ج؟", "C?"), [Text("أ", "a"), Text("ب", "b")]),
    ]
    merged = merge_questions(bank, new)
    assert [q.id for q in merged.questions] == ["q", "q-2", "r"]
    assert not validate_bank(merged)


def test_add_moodle_adds_what_it_can_and_refuses_all_when_strict() -> None:
    gift = "::q::A? {=a ~b}\n\nB? {}"
    with pytest.raises(BankFileError, match="t.gift:3: an essay question"):
        add_moodle(TROTSKY, gift, "t.gift", strict=True)
    bank, result = add_moodle(TROTSKY, gift, "t.gift")
    assert [q.id for q in bank.questions] == [q.id for q in TROTSKY.questions] + ["q"]
    assert len(result.problems) == 1
    assert not validate_bank(bank)


# --- Moodle XML ------------------------------------------------------------------------------------

#: What qtype_ordering's XML import accepts (question/type/ordering/questiontype.php).
PLUGIN_LAYOUTS = {"VERTICAL", "HORIZONTAL"}
PLUGIN_SELECT = {"ALL", "RANDOM", "CONTIGUOUS"}
PLUGIN_GRADING = {
    "ALL_OR_NOTHING",
    "ABSOLUTE_POSITION",
    "RELATIVE_NEXT_EXCLUDE_LAST",
    "RELATIVE_NEXT_INCLUDE_LAST",
    "RELATIVE_ONE_PREVIOUS_AND_NEXT",
    "RELATIVE_ALL_PREVIOUS_AND_NEXT",
    "LONGEST_ORDERED_SUBSET",
    "LONGEST_CONTIGUOUS_SUBSET",
    "RELATIVE_TO_CORRECT",
}
PLUGIN_NUMBERING = {"none", "123", "abc", "ABCD", "iii", "IIII"}


def texts_of(el) -> Text:  # type: ignore[no-untyped-def]
    """A formatted element's text, split back into its two languages."""
    assert el.get("format") == "html"
    text, found = split_multilang(el.findtext("text") or "")
    assert found
    return text


def test_moodle_xml_of_the_trotsky_bank() -> None:
    root = DET.fromstring(export_moodle_xml(TROTSKY).encode())
    assert root.tag == "quiz"
    category, *questions = root.findall("question")
    assert category.get("type") == "category"
    assert category.findtext("category/text", "").startswith("$course$/top/Leon Trotsky")
    assert texts_of(category.find("info")) == TROTSKY.description
    assert [q.get("type") for q in questions] == ["multichoice", "multichoice", "ordering", "ordering"]
    for el, q in zip(questions, TROTSKY.questions, strict=True):
        assert el.findtext("name/text") == q.id
        assert texts_of(el.find("questiontext")) == q.prompt
        if q.explanation:
            assert texts_of(el.find("generalfeedback")) == q.explanation
        else:
            assert not el.findtext("generalfeedback/text")
        answers = el.findall("answer")
        if q.type == "mcq":
            assert el.findtext("single") == "true" and el.findtext("shuffleanswers") == "true"
            assert [texts_of(a) for a in answers] == list(q.options)
            assert [a.get("fraction") for a in answers] == [
                "100" if i == q.answer else "0" for i in range(len(answers))
            ]
        else:
            assert [texts_of(a) for a in answers] == list(q.items)  # the right order
            assert [a.get("fraction") for a in answers] == [str(i) for i in range(1, len(answers) + 1)]


@pytest.mark.parametrize("method", ORDERING_METHODS)
def test_moodle_xml_ordering_is_what_the_plugin_reads(method: str) -> None:
    root = DET.fromstring(export_moodle_xml(TROTSKY, ordering_method=method))
    orderings = [q for q in root.findall("question") if q.get("type") == "ordering"]
    assert orderings
    for el in orderings:
        tags = [child.tag for child in el]
        assert tags[:6] == ["name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden"]
        assert el.findtext("layouttype") in PLUGIN_LAYOUTS
        assert el.findtext("selecttype") == "ALL"
        assert int(el.findtext("selectcount", "")) == len(el.findall("answer")) >= 2
        assert el.findtext("gradingtype") == MOODLE_GRADING[method] in PLUGIN_GRADING
        assert el.findtext("showgrading") in {"SHOW", "HIDE"}
        assert el.findtext("numberingstyle") in PLUGIN_NUMBERING
        for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
            assert el.find(tag).get("format") == "html"


def test_every_ordering_method_has_its_moodle_name() -> None:
    assert set(MOODLE_GRADING) == set(ORDERING_METHODS)
    assert set(MOODLE_GRADING.values()) == PLUGIN_GRADING
    # Each name is ours in capitals, but `pairs`, which Moodle grades as all previous and next.
    for ours, theirs in MOODLE_GRADING.items():
        assert theirs == ("RELATIVE_ALL_PREVIOUS_AND_NEXT" if ours == "pairs" else ours.upper())


def test_pairs_scores_as_moodles_all_previous_and_next() -> None:
    for n in (2, 3, 5):
        right = list(range(n))
        for answer in itertools.permutations(right):
            assert score_ordering(list(answer), right, "pairs") == pytest.approx(
                score_ordering(list(answer), right, "relative_all_previous_and_next")
            )


def test_moodle_xml_refuses_an_unknown_method() -> None:
    with pytest.raises(ValueError, match="unknown ordering method 'kendall'"):
        export_moodle_xml(TROTSKY, ordering_method="kendall")


def test_moodle_xml_with_generated_questions_keeps_the_right_order() -> None:
    generated = generated_questions(TROTSKY, 10, seed="3")
    root = DET.fromstring(export_moodle_xml(TROTSKY, generated))
    els = root.findall("question")[1 + len(TROTSKY.questions) :]
    assert len(els) == len(generated)
    for el, g in zip(els, generated, strict=True):
        assert el.findtext("name/text") == g.key
        answers = [texts_of(a) for a in el.findall("answer")]
        if g.type == "ordering":
            assert answers == [g.items[i] for i in g.answer]  # type: ignore[union-attr]
            ids = [g.events[i] for i in g.answer]  # type: ignore[union-attr]
            # Each surely before the next: dates apart, or the narrative's order (after: ...).
            assert all(TROTSKY.chronology.before(a, b) for a, b in itertools.pairwise(ids))
        else:
            assert answers == list(g.options)


def test_moodle_xml_survives_hostile_text() -> None:
    nasty = Text("]]><!-- \x00\x07 <script>&amp;", '</text></question><question type="x">\ud800')
    q = mcq("n", nasty, [nasty, Text("ب", "b")])
    root = DET.fromstring(export_moodle_xml(bank_with(q)))
    el = root.findall("question")[1]
    assert len(root.findall("question")) == 2
    assert texts_of(el.find("questiontext")) == Text(
        "]]><!--  <script>&amp;", '</text></question><question type="x">'
    )


def test_an_ordering_question_from_generate() -> None:
    g = Question(
        kind="ordering",
        type="ordering",
        prompt=Text("رتّب", "Order"),
        answer=(2, 0, 1),
        items=(Text("ب", "b"), Text("ج", "c"), Text("أ", "a")),
        key="ordering:x",
    )
    root = DET.fromstring(export_moodle_xml(bank_with(), [g], ordering_method="all_or_nothing"))
    el = root.findall("question")[1]
    assert [texts_of(a).en for a in el.findall("answer")] == ["a", "b", "c"]
    assert el.findtext("gradingtype") == "ALL_OR_NOTHING"
    assert el.findtext("generalfeedback/text") in (None, "")


# --- the command line ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_bank_export_for_moodle(fmt: str) -> None:
    assert {"gift", "moodle-xml"} <= set(EXPORT_FORMATS)
    result = CliRunner().invoke(
        main, ["bank", "export", str(ROOT / "questions" / "trotsky.yaml"), "--format", fmt]
    )
    assert result.exit_code == 0, result.output
    if fmt == "gift":
        assert result.output == export_gift(TROTSKY) + ("" if export_gift(TROTSKY).endswith("\n") else "\n")
        assert len(import_gift(result.output).questions) == len(TROTSKY.questions)
    else:
        assert DET.fromstring(result.output.encode()).tag == "quiz"


def test_bank_import_gift_into_the_database(app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from quizapp.banks import to_domain
    from quizapp.extensions import db
    from quizapp.models import Bank as BankRow

    runner = app.test_cli_runner()
    bad = tmp_path / "bad.gift"
    bad.write_text("::new-q::A? {=a ~b}\n\nB? {}\n", encoding="utf-8")
    result = runner.invoke(main, ["bank", "import-gift", str(bad), "--bank", "trotsky", "--strict"])
    assert result.exit_code == 1
    assert f"{bad}:3: an essay question" in result.output and "nothing imported" in result.output
    with app.app_context():
        row = db.session.scalar(select(BankRow).where(BankRow.slug == "trotsky"))
        assert row.version == 1

    result = runner.invoke(main, ["bank", "import-gift", str(bad), "--bank", "trotsky"])
    assert result.exit_code == 0, result.output
    assert f"skipped: {bad}:3: an essay question" in result.output
    assert "imported 1 question into trotsky (version 2); skipped 1" in result.output
    good = tmp_path / "good.gift"
    good.write_text(export_gift(TROTSKY), encoding="utf-8")
    result = runner.invoke(main, ["bank", "import-gift", str(good), "--bank", "trotsky"])
    count = len(TROTSKY.questions)
    assert f"imported {count} questions into trotsky (version 3)" in result.output
    with app.app_context():
        row = db.session.scalar(select(BankRow).where(BankRow.slug == "trotsky"))
        ids = [q.id for q in to_domain(row).questions]
    assert ids == [q.id for q in TROTSKY.questions] + ["new-q"] + [f"{q.id}-2" for q in TROTSKY.questions]

    result = runner.invoke(main, ["bank", "import-gift", str(good), "--bank", "nope"])
    assert result.exit_code == 1 and 'no bank with slug "nope"' in result.output
