"""Live class mode's pure parts: points for right and fast answers, ranks, nicknames."""

from __future__ import annotations

import pytest

from quizapp.domain.live import fold, nickname_problem, points, ranking


def test_points_reward_right_answers_and_speed() -> None:
    assert points(1.0, 0, 20_000) == 1000
    assert points(1.0, 10_000, 20_000) == 750
    assert points(1.0, 20_000, 20_000) == 500  # right at the last moment: half
    assert points(0.0, 0, 20_000) == 0  # wrong: nothing, however fast
    assert points(0.5, 0, 20_000) == 500  # an ordering's partial credit
    assert points(1.0, 99_000, 20_000) == 500  # never below half for a right answer
    assert points(1.0, -5, 20_000) == 1000


def test_equal_points_share_a_rank() -> None:
    rows = ranking([("b", 10), ("a", 30), ("c", 10), ("d", 0)])
    assert rows == [(1, "a", 30), (2, "b", 10), (2, "c", 10), (4, "d", 0)]


@pytest.mark.parametrize("name", ["Ali", "Sara 2", "محمد", "Dickens", "Sussex", "ليلى"])
def test_decent_nicknames_pass(name: str) -> None:
    assert nickname_problem(name) is None


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 21, "long"),
        ("ab\u202ecd", "characters"),  # a bidi override would reverse the projector's text
        ("zero\u200bwidth", "characters"),
        ("fuck", "indecent"),
        ("F U C K", "indecent"),
        ("sh1t", "indecent"),
        ("xXbitchXx", "indecent"),
        ("dick", "indecent"),
        ("كلب", "indecent"),
        ("شَرْمُوطة", "indecent"),  # short vowels do not hide a word
    ],
)
def test_bad_nicknames_are_refused(name: str, why: str) -> None:
    assert nickname_problem(name) == why


def test_folded_nicknames_compare_alike() -> None:
    assert fold(" ALI ") == fold("ali") == fold("Ali")
    assert fold("أحمد") == fold("احمد") == fold("أَحْمَد")
