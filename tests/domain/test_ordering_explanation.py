"""What a student is told of an ordering answer: the credit in the method's terms, and marks that
never say more than the method counts (issue 13: two ✓ beside a 33 % answer)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quizapp.domain.scoring import ORDERING_METHODS, explain_ordering, ordering_points

answers = st.integers(min_value=2, max_value=8).flatmap(
    lambda n: st.tuples(st.permutations(range(n)), st.just(list(range(n))))
)


def test_the_issues_answer_no_item_in_its_place_shows_no_tick_and_one_pair_of_three():
    # A B C answered B C A: only the pair B-C is in order. The old marks ticked B and C.
    exp = explain_ordering(list("BCA"), list("ABC"))
    assert (exp.points, exp.possible, exp.percent, exp.unit) == (1, 3, 33, "pairs")
    assert [m.right for m in exp.marks] == [False, False, False]
    assert [(m.item, m.score, m.max_score) for m in exp.marks] == [("B", 1, 2), ("C", 1, 2), ("A", 0, 2)]
    assert exp.wrong_pairs == [("B", "A"), ("C", "A")]


def test_four_of_six_pairs():
    exp = explain_ordering(list("BADC"), list("ABCD"))
    assert (exp.points, exp.possible, exp.percent) == (4, 6, 67)
    assert exp.wrong_pairs == [("B", "A"), ("D", "C")]


def test_all_or_nothing_judges_no_item_alone():
    exp = explain_ordering(list("ACB"), list("ABC"), "all_or_nothing")
    assert (exp.points, exp.unit) == (0, "order")
    assert all(m.right is None for m in exp.marks)  # A is in place, but that earns nothing
    assert explain_ordering(list("ABC"), list("ABC"), "all_or_nothing").percent == 100


def test_each_method_has_its_unit():
    units = {m: explain_ordering(list("AB"), list("AB"), m).unit for m in ORDERING_METHODS}
    assert units["absolute_position"] == "items" and units["relative_one_previous_and_next"] == "neighbours"
    assert set(units.values()) <= {"pairs", "items", "neighbours", "points", "order"}


@given(answers)
def test_under_pairs_a_tick_means_every_pair_of_the_item_counts(pair):
    response, correct = pair
    exp = explain_ordering(response, correct)
    wrong_items = {x for p in exp.wrong_pairs for x in p}
    for m in exp.marks:
        assert m.right == (m.item not in wrong_items)
    assert len(exp.wrong_pairs) == exp.possible - exp.points
    assert sum(m.score for m in exp.marks) == 2 * exp.points


@given(answers, st.sampled_from(ORDERING_METHODS))
def test_the_explanation_is_the_score(pair, method):
    response, correct = pair
    exp = explain_ordering(response, correct, method)
    assert (exp.points, exp.possible) == ordering_points(response, correct, method)
    assert [m.item for m in exp.marks] == list(response)
    if method not in ("pairs", "all_or_nothing"):  # the items' points are the credit
        assert sum(m.score for m in exp.marks) == exp.points
    if method != "pairs":
        assert exp.wrong_pairs == []
