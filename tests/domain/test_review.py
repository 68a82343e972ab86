"""The Leitner schedule and mastery by event."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.review import INTERVALS, Answer, due_for_review, event_state, states

T0 = dt.datetime(2026, 1, 1, 9, 0)


def day(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def test_an_unseen_event_is_new_and_due_now() -> None:
    s = event_state("lenin-dies", [])
    assert (s.box, s.seen, s.mastery, s.level) == (0, 0, None, "new")
    assert s.is_due(T0)


def test_right_answers_climb_the_boxes_and_wait_longer() -> None:
    answers = [Answer("e", day(0), 1.0), Answer("e", day(1), 1.0), Answer("e", day(4), 1.0)]
    s = event_state("e", answers)
    assert s.box == 3 and s.due == day(4 + INTERVALS[2])
    assert not s.is_due(day(5)) and s.is_due(day(4 + INTERVALS[2]))


def test_a_wrong_answer_sends_the_event_back_to_the_first_box() -> None:
    answers = [Answer("e", day(0), 1.0), Answer("e", day(1), 1.0), Answer("e", day(4), 0.0)]
    s = event_state("e", answers)
    assert s.box == 1 and s.due == day(4) and s.level == "learning"
    # Partial credit on an ordering question is not a right answer.
    assert event_state("e", [Answer("e", day(0), 0.8)]).box == 1


def test_order_of_the_history_does_not_matter_only_the_times() -> None:
    answers = [Answer("e", day(2), 0.0), Answer("e", day(0), 1.0), Answer("e", day(3), 1.0)]
    assert event_state("e", answers) == event_state("e", list(reversed(answers)))
    assert event_state("e", answers).box == 2


def test_mastery_forgets_old_mistakes() -> None:
    answers = [Answer("e", day(0), 0.0)] + [Answer("e", day(i), 1.0) for i in range(1, 6)]
    s = event_state("e", answers)
    assert s.mastery == 1.0 and s.right == 5 and s.seen == 6 and s.level == "mastered"


def test_due_list_puts_missed_events_before_new_ones() -> None:
    answers = [Answer("missed", day(0), 0.0), Answer("known", day(0), 1.0), Answer("known", day(1), 1.0)]
    all_states = states(["new", "missed", "known"], answers)
    assert due_for_review(all_states, day(1.5)) == ["missed", "new"]
    assert due_for_review(all_states, day(30)) == ["missed", "known", "new"]
    assert due_for_review(all_states, day(1.5), limit=1) == ["missed"]


@given(st.lists(st.tuples(st.integers(0, 60), st.floats(0, 1)), max_size=20))
def test_box_and_mastery_stay_in_range(history: list[tuple[int, float]]) -> None:
    s = event_state("e", [Answer("e", day(d), score) for d, score in history])
    assert 0 <= s.box <= len(INTERVALS)
    assert (s.mastery is None) == (not history)
    if s.mastery is not None:
        assert 0.0 <= s.mastery <= 1.0
    assert s.right <= s.seen == len(history)
