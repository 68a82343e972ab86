"""The kinds after Moodle's (issue 17): multi-answer, true/false, numerical, short answer, matching.

Scoring follows Moodle's rules; typed answers are read in any digits and compared as readers see
them; the kinds generated from events ask only what the source settles, judged here against the
truth table written by hand from the source (test_trotsky_questions.ALLOWED).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

import pytest

from quizapp.domain.answers import normalise, parse_number, text_matches
from quizapp.domain.bank import Accepted, AuthoredQuestion, Bank, Event, Pair, Text
from quizapp.domain.dates import PartialDate
from quizapp.domain.formats.bankfile import dump_bank, load_bank, parse_bank
from quizapp.domain.generate import ALL_KINDS, EXTRA_KINDS, KINDS, Question, Settings, generate_quiz
from quizapp.domain.scoring import (
    score,
    score_matching,
    score_multi,
    score_numerical,
    score_shortanswer,
    score_truefalse,
)
from quizapp.domain.validate import validate_bank
from tests.domain.test_trotsky_questions import ALLOWED, BANK_FILE


def T(en: str, ar: str | None = None) -> Text:
    return Text(ar=ar if ar is not None else f"{en} ع", en=en)


# --- scoring ---------------------------------------------------------------------------------------


def test_multi_sums_fractions_and_clamps_like_moodle() -> None:
    # Moodle's documented GIFT example: ~%50%yellow ~%50%off-beige ~%-100%red
    fractions = [0.5, 0.5, -1.0]
    assert score_multi([0, 1], fractions) == 1.0
    assert score_multi([0], fractions) == 0.5
    assert score_multi([0, 2], fractions) == 0.0  # 0.5 - 1, clamped at 0
    assert score_multi([0, 1, 2], fractions) == 0.0  # choosing everything pays every penalty
    assert score_multi([1, 1], fractions) == 0.5  # an option chosen twice counts once
    assert score_multi([], fractions) == 0.0 and score_multi(None, fractions) == 0.0
    thirds = [1 / 3, 1 / 3, 1 / 3, -0.5]
    assert score_multi([0, 1, 2], thirds) == 1.0  # 0.99999… is full credit
    with pytest.raises(ValueError):
        score_multi([3], fractions)
    with pytest.raises(ValueError):
        score_multi(1, fractions)  # type: ignore[arg-type]


def test_truefalse() -> None:
    assert score_truefalse(True, True) == 1.0 and score_truefalse(False, True) == 0.0
    assert score_truefalse(None, False) == 0.0 and score_truefalse(False, False) == 1.0
    with pytest.raises(ValueError):
        score_truefalse("true", True)  # type: ignore[arg-type]


def test_numerical_first_matching_answer_within_tolerance() -> None:
    answers = [Accepted(value=1937), Accepted(value=1937, tolerance=2, fraction=0.5)]
    assert score_numerical(1937, answers) == 1.0
    assert score_numerical(1939, answers) == 0.5  # |1939 - 1937| <= 2
    assert score_numerical(1940, answers) == 0.0
    assert score_numerical("١٩٣٧", answers) == 1.0 and score_numerical("۱۹۳۸", answers) == 0.5
    assert score_numerical("nineteen", answers) == 0.0 and score_numerical(None, answers) == 0.0
    # Moodle tries answers in order: a 50% answer written first wins over a later 100% one.
    assert score_numerical(1937, list(reversed(answers))) == 0.5
    assert score_numerical(2.5, [{"value": 2.0, "tolerance": 0.5, "fraction": 1.0}]) == 1.0


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1937", 1937),
        ("١٩٣٧", 1937),
        ("۱۹۳۷", 1937),
        (" 1937 ", 1937),
        ("1,937", 1937),
        ("-12.5", -12.5),
        ("١٢٫٥", 12.5),
        ("12,5", 12.5),
        ("", None),
        ("19 37x", None),
        ("1e400", None),
        ("inf", None),
    ],
)
def test_numbers_in_any_digits(typed: str, number: float | None) -> None:
    assert parse_number(typed) == number


def test_arabic_normalisation() -> None:
    assert normalise("أَحْمَد") == normalise("احمد")  # diacritics, hamza on alef
    assert normalise("إسطنبول") == normalise("اسطنبول") and normalise("آسيا") == normalise("اسيا")
    assert normalise("مدرسة") == normalise("مدرسه")  # ta marbuta and ha
    assert normalise("مصطفى") == normalise("مصطفي")  # alef maqsura and ya
    assert normalise("مكـــة") == normalise("مكة")  # tatweel
    assert normalise("  Mexico   City ") == "mexico city"
    assert normalise("Mexico", case_sensitive=True) != normalise("mexico", case_sensitive=True)


def test_shortanswer_accepts_either_language_normalised_and_wildcards() -> None:
    answers = [
        Accepted(text=Text(ar="مكسيكو سيتي", en="Mexico City")),
        Accepted(text=Text(ar="", en="Coyoac*"), fraction=0.5),
    ]
    assert score_shortanswer("mexico city", answers) == 1.0
    assert score_shortanswer("مَكْسِيكُو سيتي", answers) == 1.0
    assert score_shortanswer("Coyoacán", answers) == 0.5
    assert score_shortanswer("Moscow", answers) == 0.0
    assert score_shortanswer("", answers) == 0.0 and score_shortanswer(None, answers) == 0.0
    assert score_shortanswer("mexico city", answers, case_sensitive=True) == 0.0
    assert text_matches("a*b", "a\\*b") and not text_matches("axb", "a\\*b")


def test_matching_share_of_stems() -> None:
    assert score_matching([0, 1, 2], [0, 1, 2]) == 1.0
    assert score_matching([1, 0, 2], [0, 1, 2]) == pytest.approx(1 / 3)
    assert score_matching([0, None, None], [0, 1, 2]) == pytest.approx(1 / 3)
    assert score_matching(None, [0, 1]) == 0.0
    with pytest.raises(ValueError):
        score_matching([0], [0, 1])


def test_score_dispatches_on_snapshots() -> None:
    q = Question(
        kind="x", type="multi", prompt=T("p"), answer=(0,), options=(T("a"), T("b")), fractions=(1.0, -1.0)
    )
    snap = q.to_dict()
    assert score(snap, [0]) == 1.0 and score(snap, [0, 1]) == 0.0
    assert Question.from_dict(snap) == q
    tf = Question(kind="x", type="truefalse", prompt=T("p"), answer=False)
    assert score(tf.to_dict(), False) == 1.0 and Question.from_dict(tf.to_dict()) == tf
    sa = Question(
        kind="x", type="shortanswer", prompt=T("p"), answer=T("Paris"), answers=(Accepted(text=T("Paris")),)
    )
    assert score(sa.to_dict(), "paris") == 1.0 and Question.from_dict(sa.to_dict()) == sa
    assert sa.to_json_line("en")["answer"] == "Paris"


# --- hand-written questions in the bank file ------------------------------------------------------

NEW_QUESTIONS = (
    AuthoredQuestion(
        id="colours", type="multi", prompt=T("Which?"), options=(T("yellow"), T("off-beige"), T("red")),
        fractions=(0.5, 0.5, -1.0), tags=("moodle/colours",),
    ),
    AuthoredQuestion(id="tf", type="truefalse", prompt=T("Trotsky reached Mexico in 1937."), correct=True),
    AuthoredQuestion(
        id="year", type="numerical", prompt=T("Year?"),
        answers=(Accepted(value=1937), Accepted(value=1937, tolerance=1, fraction=0.5)),
    ),
    AuthoredQuestion(
        id="city", type="shortanswer", prompt=T("City?"),
        answers=(
            Accepted(text=Text(ar="مكسيكو سيتي", en="Mexico City")),
            Accepted(text=Text("", "Coyoac*"), fraction=0.5),
        ),
    ),
    AuthoredQuestion(
        id="match", type="matching", prompt=T("Match"),
        pairs=(Pair(T("Lenin"), T("Russia")), Pair(T("Trotsky"), T("Mexico")), Pair(None, T("Spain"))),
    ),
)  # fmt: skip


def _bank(questions: tuple[AuthoredQuestion, ...] = NEW_QUESTIONS) -> Bank:
    return Bank(slug="kinds", title=T("Kinds"), questions=questions)


def test_new_types_round_trip_through_the_bank_file_and_validate() -> None:
    bank = _bank()
    again = parse_bank(dump_bank(bank))
    assert again.questions == NEW_QUESTIONS
    assert validate_bank(again) == []


@pytest.mark.parametrize(
    ("question", "where"),
    [
        (replace(NEW_QUESTIONS[0], fractions=(0.5, 0.4, -1.0)), "questions[0].options"),
        (replace(NEW_QUESTIONS[0], fractions=(0.5, 0.5, -2.0)), "questions[0].options[2].fraction"),
        (replace(NEW_QUESTIONS[1], correct=None), "questions[0].correct"),
        (replace(NEW_QUESTIONS[2], answers=(Accepted(value=1937, fraction=0.5),)), "questions[0].answers"),
        (replace(NEW_QUESTIONS[2], answers=()), "questions[0].answers"),
        (replace(NEW_QUESTIONS[3], answers=(Accepted(text=Text("", "")),)), "questions[0].answers[0].text"),
        (replace(NEW_QUESTIONS[4], pairs=(Pair(T("a"), T("b")), Pair(None, T("c")))), "questions[0].pairs"),
    ],
)
def test_validation_of_new_types(question: AuthoredQuestion, where: str) -> None:
    assert where in [p.where for p in validate_bank(_bank((question,)))]


def test_multi_with_several_correct_flags_shares_the_credit() -> None:
    text = dump_bank(_bank((NEW_QUESTIONS[0],))).replace("fraction: 0.5", "correct: true")
    text = text.replace(", fraction: -1.0", "")
    assert parse_bank(text).questions[0].fractions == (0.5, 0.5, 0.0)


def test_authored_questions_of_new_types_are_asked_and_scored() -> None:
    quiz = generate_quiz(_bank(), "s", Settings(count=5))
    by_type = {q.type: q for q in quiz.questions}
    assert set(by_type) == {"multi", "truefalse", "numerical", "shortanswer", "matching"}
    multi = by_type["multi"]
    right = [i for i, f in enumerate(multi.fractions) if f > 0]
    assert score(multi, right) == 1.0 and sorted(multi.answer) == right  # type: ignore[arg-type]
    assert score(by_type["truefalse"], True) == 1.0
    assert score(by_type["numerical"], "١٩٣٨") == 0.5
    assert score(by_type["shortanswer"], "Coyoacán") == 0.5
    match = by_type["matching"]
    assert len(match.items) == 2 and len(match.options) == 3  # the extra wrong answer offered
    assert score(match, list(match.answer)) == 1.0  # type: ignore[arg-type]
    for q in quiz.questions:
        assert Question.from_dict(q.to_dict()) == q


# --- generated from events ------------------------------------------------------------------------

TROTSKY = load_bank(BANK_FILE)
SEEDS = range(150)


def _allowed(event_id: str) -> tuple[dt.date, dt.date]:
    return ALLOWED[event_id]


def test_default_mix_unchanged_new_kinds_opt_in() -> None:
    assert set(EXTRA_KINDS).isdisjoint(KINDS) and ALL_KINDS == KINDS + EXTRA_KINDS
    for seed in range(20):
        kinds = {q.kind for q in generate_quiz(TROTSKY, seed, Settings(count=15)).questions}
        assert kinds.isdisjoint(EXTRA_KINDS)


def test_true_false_statements_are_settled_by_the_source() -> None:
    seen = {True: 0, False: 0}
    for seed in SEEDS:
        for q in generate_quiz(TROTSKY, seed, Settings(count=8, kinds=("tf-date",))).questions:
            (event_id,) = q.events
            lo, hi = _allowed(event_id)
            stated = q.key.split(":")[2]
            assert q.answer == (stated == "true")
            if stated == "true":
                date = TROTSKY.event(event_id).date
                # the statement's date holds every day the source allows
                assert date.start <= lo and hi <= date.end, q.prompt.en
            else:
                date = PartialDate.parse(q.key.split(":", 3)[3])
                assert date.end < lo or date.start > hi, q.prompt.en  # surely false
            seen[bool(q.answer)] += 1
    assert seen[True] > 50 and seen[False] > 50


def test_typed_years_are_the_only_year_the_source_allows() -> None:
    asked = set()
    for seed in SEEDS:
        for q in generate_quiz(TROTSKY, seed, Settings(count=8, kinds=("year-typed",))).questions:
            (event_id,) = q.events
            lo, hi = _allowed(event_id)
            assert lo.year == hi.year == q.answer
            assert score(q, str(q.answer)) == 1.0 and score(q, q.answer + 1) == 0.0  # type: ignore[operator]
            asked.add(event_id)
    assert "stripped-of-citizenship" not in asked and "nkvd-given-the-task" not in asked  # by / after
    assert "red-army-founded" not in asked  # a date from outside the source
    assert len(asked) >= 8


def test_matching_dates_have_one_right_pairing() -> None:
    for seed in SEEDS:
        for q in generate_quiz(TROTSKY, seed, Settings(count=4, kinds=("match-dates",))).questions:
            assert 3 <= len(q.items) == len(q.options) <= 5 and len(set(q.answer)) == len(q.items)  # type: ignore[arg-type]
            spans = [_allowed(e) for e in q.events]
            # no two events may share a day the source allows them: each date fits one event only
            for i, (a_lo, a_hi) in enumerate(spans):
                for b_lo, b_hi in spans[i + 1 :]:
                    assert a_hi < b_lo or b_hi < a_lo, q.key
            assert set(q.about) == set(q.events)


def test_new_kinds_stay_cheap_on_a_big_bank() -> None:
    events = tuple(
        Event(id=f"e{i}", date=PartialDate(1000 + i // 12, i % 12 + 1), title=T(f"Event {i}"), evidence="")
        for i in range(20_000)
    )
    bank = Bank(slug="big", title=T("Big"), events=events)
    start = time.perf_counter()
    quiz = generate_quiz(bank, "seed", Settings(count=30, kinds=EXTRA_KINDS))
    assert len(quiz.questions) == 30
    assert time.perf_counter() - start < 10
