"""Generation on big banks: the same soundness as on small ones, no step that lists every pair or
permutation, and memory that stays flat. Timings are the bench's (tests/bench/generate_speed.py);
here only what could break: every question sound, reproducible, and what the index finds exact.
"""

from __future__ import annotations

import random
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.bank import Bank
from quizapp.domain.generate import KINDS, Kind, Settings, generate_quiz
from quizapp.domain.generate.index import draws, timeline
from tests.bench.generate_speed import PREVIEW_COUNT, PRINT_COUNT, synthetic_bank
from tests.domain.strategies import banks
from tests.domain.test_generate import PROPS, assert_sound


@pytest.fixture(scope="module")
def big() -> Bank:
    return synthetic_bank(20_000)


@pytest.mark.parametrize("size", [4_000, 20_000])
def test_a_big_bank_gives_sound_mixed_reproducible_quizzes(size: int) -> None:
    bank = synthetic_bank(size, seed=size)
    for seed, count in (("practice", 10), ("preview", PREVIEW_COUNT), ("print", PRINT_COUNT)):
        settings = Settings(count=count)
        quiz = generate_quiz(bank, seed, settings)
        assert len(quiz.questions) == count and quiz.skipped == {}
        for q in quiz.questions:
            assert_sound(bank, q, settings)
        assert len({q.key for q in quiz.questions}) == count
        assert len({q.kind for q in quiz.questions}) >= 5
        again = generate_quiz(synthetic_bank(size, seed=size), seed, settings)  # another object
        assert [q.to_dict() for q in again.questions] == [q.to_dict() for q in quiz.questions]


def test_every_kind_alone_fills_a_quiz_on_a_big_bank(big: Bank) -> None:
    for kind in KINDS:
        settings = Settings(count=PRINT_COUNT, kinds=(kind,))
        quiz = generate_quiz(big, kind, settings)
        want = min(PRINT_COUNT, len(big.questions)) if kind == "authored" else PRINT_COUNT
        assert len(quiz.questions) == want, kind
        for q in quiz.questions:
            assert_sound(big, q, settings)


def test_interval_subjects_are_never_listed(big: Bank) -> None:
    subjects = Kind.registry["interval"](big, Settings()).subjects()
    assert not isinstance(subjects, list | tuple)
    assert len(subjects) > 100_000_000  # every pair a year apart: read by index, never built
    for i in random.Random(1).sample(range(len(subjects)), 200):
        a, b = (big.event(e) for e in subjects[i])
        assert a.date.before(b.date) and b.date.year > a.date.year


def test_memory_stays_flat_from_20_events_to_20_000(big: Bank) -> None:
    small = synthetic_bank(20)
    peaks = {}
    for name, bank in (("small", small), ("big", big)):
        generate_quiz(bank, "warm", Settings(count=PRINT_COUNT))  # the index, built once per bank
        tracemalloc.start()
        generate_quiz(bank, "measured", Settings(count=PRINT_COUNT))
        peaks[name] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    # What a quiz costs beyond the index does not grow with the bank (pairs of 20,000 events
    # would be gigabytes; a list of every event's id alone would be over 1 MB).
    assert peaks["big"] < 1_000_000, peaks
    assert peaks["big"] < 4 * peaks["small"] + 200_000, peaks


def test_focus_on_a_big_bank_asks_only_about_the_chosen_events(big: Bank) -> None:
    focus = ("e17", "e4242", "e19999")
    quiz = generate_quiz(big, "review", Settings(count=10, focus=focus))
    assert quiz.questions
    for q in quiz.questions:
        assert set(q.about) & set(focus), q.key
        assert_sound(big, q, Settings(count=10))


# --- the index against the definitions it replaces -------------------------------------------------


@given(n=st.integers(0, 300), seed=st.integers(0, 2**32))
def test_draws_is_a_permutation_and_reproducible(n: int, seed: int) -> None:
    drawn = list(draws(n, random.Random(seed)))
    assert sorted(drawn) == list(range(n))
    assert drawn == list(draws(n, random.Random(seed)))


@PROPS
@given(
    bank=banks(min_events=1, max_events=25),
    seed=st.integers(0, 2**32),
    side=st.sampled_from(["both", "before", "after"]),
)
def test_apart_finds_exactly_the_events_surely_before_or_after(bank: Bank, seed: int, side: str) -> None:
    tl = timeline(bank)
    for event in bank.events:
        want = {
            o.id
            for o in bank.events
            if (side != "after" and o.date.before(event.date))
            or (side != "before" and event.date.before(o.date))
        }
        near = [o.id for o in tl.nearest_apart(event, side)]
        assert sorted(near) == sorted(want)
        distances = [abs(bank.event(i).date.start.toordinal() - event.date.start.toordinal()) for i in near]
        assert distances == sorted(distances)  # nearest start first
        drawn = [o.id for o in tl.random_apart(event, random.Random(seed), side)]
        assert sorted(drawn) == sorted(want)
        plausible = [o.id for o in tl.plausible_apart(event, random.Random(seed), window=3, side=side)]
        assert sorted(plausible) == sorted(want)


@PROPS
@given(bank=banks(max_events=25), data=st.data())
def test_interval_pairs_are_exactly_the_pairs_a_year_apart(bank: Bank, data: st.DataObject) -> None:
    kind = Kind.registry["interval"](bank, Settings())
    want = {
        (a.id, b.id)
        for a in bank.events
        for b in bank.events
        if a.date.before(b.date) and b.date.year > a.date.year
    }
    subjects = kind.subjects()
    assert len(subjects) == len(want) and set(subjects) == want  # each pair once
    ids = data.draw(st.lists(st.sampled_from([e.id for e in bank.events]), max_size=3)) if bank.events else []
    about = set(kind.about(timeline(bank).in_order(ids)))
    assert about == {p for p in want if set(p) & set(ids)}
