"""Scoring checked against hand-worked examples, Moodle's own test cases and independent definitions."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.domain.bank import Text
from quizapp.domain.generate.base import Question
from quizapp.domain.scoring import (
    METHOD_LABELS,
    ORDERING_METHODS,
    ItemMark,
    ordering_item_marks,
    ordering_points,
    score,
    score_mcq,
    score_ordering,
)

MOODLE_NINE = (
    "all_or_nothing",
    "absolute_position",
    "relative_to_correct",
    "relative_next_exclude_last",
    "relative_next_include_last",
    "relative_one_previous_and_next",
    "relative_all_previous_and_next",
    "longest_ordered_subset",
    "longest_contiguous_subset",
)

# --- multiple choice -------------------------------------------------------------------------------


def test_mcq_right_wrong_and_blank():
    assert score_mcq(2, 2) == 1.0
    assert score_mcq(0, 2) == 0.0
    assert score_mcq(None, 0) == 0.0  # no answer is not option 0


def test_mcq_refuses_a_non_index():
    with pytest.raises(ValueError, match="option index"):
        score_mcq(True, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="option index"):
        score_mcq("2", 2)  # type: ignore[arg-type]


# --- the methods table -----------------------------------------------------------------------------


def test_methods_are_ours_and_moodles_nine_each_with_a_label():
    assert ORDERING_METHODS[0] == "pairs"
    assert set(ORDERING_METHODS) == {"pairs", *MOODLE_NINE}
    assert len(ORDERING_METHODS) == 10
    assert set(METHOD_LABELS) == set(ORDERING_METHODS)
    assert all(label.strip() for label in METHOD_LABELS.values())


# --- hand-worked: correct A B C D E, answer A C B E D ----------------------------------------------
#
# p (each answered item's correct index) = 0 2 1 4 3: two neighbour swaps, B<->C and D<->E.
# pairs: 10 pairs, wrong ones C-B and E-D                                     -> 8/10
# all_or_nothing: not the exact order                                         -> 0/5
# absolute_position: only A is in its place                                  -> 1/5
# relative_to_correct: 4 points an item, less its distance: A 4, C 3, B 3, E 3, D 3 -> 16/20
# relative_next_exclude_last: A->B? A->C no; B->C? B->E no; C->D? C->B no; D->E? D is last, no -> 0/4
# relative_next_include_last: the same, and E->nothing? E->D no               -> 0/5
# relative_one_previous_and_next (want prev/next; got prev/next):
#   A (-/B; -/C) 1, C (B/D; A/B) 0, B (A/C; C/E) 0, E (D/-; B/D) 0, D (C/E; E/-) 0 -> 1/10
# relative_all_previous_and_next: A 4, C 3 (B wrongly after), B 3, E 3, D 3   -> 16/20
# longest_ordered_subset: A C E (or A B D) has 3 items                        -> 3/5
# longest_contiguous_subset: consecutive chains A-B (B after A), C-D (D after C), E alone -> 2/5
ABCDE = list("ABCDE")
SWAPPED = list("ACBED")

HAND_WORKED = {
    "pairs": (8, 10),
    "all_or_nothing": (0, 5),
    "absolute_position": (1, 5),
    "relative_to_correct": (16, 20),
    "relative_next_exclude_last": (0, 4),
    "relative_next_include_last": (0, 5),
    "relative_one_previous_and_next": (1, 10),
    "relative_all_previous_and_next": (16, 20),
    "longest_ordered_subset": (3, 5),
    "longest_contiguous_subset": (2, 5),
}


@pytest.mark.parametrize("method", ORDERING_METHODS)
def test_hand_worked_two_swaps(method):
    points, possible = HAND_WORKED[method]
    assert ordering_points(SWAPPED, ABCDE, method) == (points, possible)
    assert score_ordering(SWAPPED, ABCDE, method) == points / possible


# The marks for the same answer, item by item in the answer's order A C B E D (None: not judged).
HAND_WORKED_MARKS = {
    "pairs": [True, False, False, False, False],  # only A is in order with every other item
    "all_or_nothing": [None, None, None, None, None],  # only the whole order is judged
    "absolute_position": [True, False, False, False, False],
    "relative_to_correct": [True, False, False, False, False],
    "relative_next_exclude_last": [False, False, False, None, False],  # E is last in the key
    "relative_next_include_last": [False, False, False, False, False],
    "relative_one_previous_and_next": [False, False, False, False, False],  # A has one of two
    "relative_all_previous_and_next": [True, False, False, False, False],
    "longest_ordered_subset": [True, True, False, True, False],
    "longest_contiguous_subset": [True, False, True, False, False],  # A, B: the chain found first
}


@pytest.mark.parametrize("method", ORDERING_METHODS)
def test_hand_worked_marks(method):
    marks = ordering_item_marks(SWAPPED, ABCDE, method)
    assert [m.item for m in marks] == SWAPPED
    assert [m.right for m in marks] == HAND_WORKED_MARKS[method]


def test_hand_worked_partial_item_scores():
    # relative_to_correct: C is one place off, 3 of 4 points.
    c = ordering_item_marks(SWAPPED, ABCDE, "relative_to_correct")[1]
    assert (c.item, c.score, c.max_score, c.fraction) == ("C", 3, 4, 0.75)
    # relative_one_previous_and_next: A has nothing before it, as it should, but C after it: 1 of 2.
    a = ordering_item_marks(SWAPPED, ABCDE, "relative_one_previous_and_next")[0]
    assert (a.score, a.max_score, a.right) == (1, 2, False)
    # relative_next_exclude_last: E has no successor to check; it carries no points at all.
    e = ordering_item_marks(SWAPPED, ABCDE, "relative_next_exclude_last")[3]
    assert (e.item, e.score, e.max_score, e.right, e.fraction) == ("E", 0, 0, None, None)


# --- Moodle's own examples ---------------------------------------------------------------------------
# The item set of Moodle's tests: "Modular Object Oriented Dynamic Learning Environment".
MOODLE = ["Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment"]
M, OB, OR, D, L, E = MOODLE

# Moodle's acceptance test (question/type/ordering/tests/behat) drags the items to
# E L Or D Ob M and expects these marks out of 2: p = 5 4 2 3 1 0.
#   all_or_nothing 0; absolute_position Or, D in place: 2/6 (0.67 of 2);
#   relative_to_correct: 5 points an item less its distance: E 0, L 2, Or 5, D 5, Ob 2, M 0 = 14/30 (0.93);
#   relative_next_exclude_last: only Or->D: 1/5 (0.40); include_last: 1/6 (0.33);
#   relative_one_previous_and_next: Or's next and D's previous: 2/12 (0.33);
#   relative_all_previous_and_next: only the pair Or-D is in order: 2/30 (0.13);
#   longest_ordered_subset: Or D, 2/6 (0.67); longest_contiguous_subset: Or D, 2/6 (0.67).
BEHAT_ANSWER = [E, L, OR, D, OB, M]
BEHAT = {
    "pairs": (1, 15),
    "all_or_nothing": (0, 6),
    "absolute_position": (2, 6),
    "relative_to_correct": (14, 30),
    "relative_next_exclude_last": (1, 5),
    "relative_next_include_last": (1, 6),
    "relative_one_previous_and_next": (2, 12),
    "relative_all_previous_and_next": (2, 30),
    "longest_ordered_subset": (2, 6),
    "longest_contiguous_subset": (2, 6),
}


@pytest.mark.parametrize("method", ORDERING_METHODS)
def test_moodle_acceptance_example(method):
    assert ordering_points(BEHAT_ANSWER, MOODLE, method) == BEHAT[method]


def test_moodle_acceptance_example_item_counts():
    # Moodle reports "Correct items: 2, Partially correct items: 2, Incorrect items: 2" for
    # relative_to_correct, and "Partially correct items: 2, Incorrect items: 4" for one prev/next.
    def counts(method):
        fractions = [m.fraction for m in ordering_item_marks(BEHAT_ANSWER, MOODLE, method)]
        return (
            sum(f == 1 for f in fractions),
            sum(0 < f < 1 for f in fractions),  # type: ignore[operator]
            sum(f == 0 for f in fractions),
        )

    assert counts("relative_to_correct") == (2, 2, 2)
    assert counts("relative_one_previous_and_next") == (0, 2, 4)
    assert counts("relative_all_previous_and_next") == (0, 2, 4)


# Moodle's unit tests (question/type/ordering/tests/question_test.php), each re-worked by hand:
MOODLE_UNIT = [
    # E Ob Or D L M: Ob, Or, D, L in place; Ob->Or, Or->D, D->L right, L->E not, M->Ob not (M last).
    ([E, OB, OR, D, L, M], "absolute_position", (4, 6)),
    ([E, OB, OR, D, L, M], "relative_next_exclude_last", (3, 5)),
    ([E, OB, OR, D, L, M], "relative_next_include_last", (3, 6)),  # E is not last
    # Or Ob D L E M: D->L and L->E right.
    ([OR, OB, D, L, E, M], "relative_next_exclude_last", (2, 5)),
    ([OR, OB, D, L, E, M], "absolute_position", (1, 6)),  # only L
    # ... one prev/next: D's next L, L's prev D and next E, E's prev L.
    ([OR, OB, D, L, E, M], "relative_one_previous_and_next", (4, 12)),
    # ... p = 2 1 3 4 5 0: ordered pairs 3 + 3 + 2 + 1 = 9 of 15.
    ([OR, OB, D, L, E, M], "relative_all_previous_and_next", (18, 30)),
    ([OR, OB, D, L, E, M], "all_or_nothing", (0, 6)),
    # Ob Or D L E M: M moved from first to last. p = 1 2 3 4 5 0.
    ([OB, OR, D, L, E, M], "relative_all_previous_and_next", (20, 30)),  # 10 pairs of 15
    ([OB, OR, D, L, E, M], "longest_ordered_subset", (5, 6)),
    ([OB, OR, D, L, E, M], "longest_contiguous_subset", (5, 6)),
    ([OB, OR, D, L, E, M], "relative_to_correct", (20, 30)),  # five items 1 off (4 each), M 5 off
    # Reversed: relative_to_correct gives 0 + 2 + 4 + 4 + 2 + 0 = 12 of 30 ("very generous").
    (MOODLE[::-1], "relative_to_correct", (12, 30)),
]


@pytest.mark.parametrize(("answer", "method", "expected"), MOODLE_UNIT)
def test_moodle_unit_examples(answer, method, expected):
    assert ordering_points(answer, MOODLE, method) == expected


def test_moodle_num_parts_right_relative_to_correct():
    # D M Ob Or L E: D 3 places off (2 of 5), M Ob Or 1 off (4 of 5), L E in place.
    marks = ordering_item_marks([D, M, OB, OR, L, E], MOODLE, "relative_to_correct")
    assert [(m.score, m.max_score) for m in marks] == [(2, 5), (4, 5), (4, 5), (4, 5), (5, 5), (5, 5)]


def test_moodle_all_previous_and_next_item_details():
    # M Ob Or L D E: only the pair D-L is reversed, costing D and L a point each: 28 of 30.
    marks = ordering_item_marks([M, OB, OR, L, D, E], MOODLE, "relative_all_previous_and_next")
    assert [m.score for m in marks] == [5, 5, 5, 4, 4, 5]
    assert ordering_points([M, OB, OR, L, D, E], MOODLE, "relative_all_previous_and_next") == (28, 30)


# --- the subset methods in detail --------------------------------------------------------------------


def test_contiguous_subset_need_not_be_adjacent_in_the_answer():
    # Moodle's code extends a chain by the next item of the key wherever it stands later on:
    # A C B -> A ... B is a chain of two, though C stands between them.
    assert ordering_points(list("ACB"), list("ABC"), "longest_contiguous_subset") == (2, 3)
    marks = ordering_item_marks(list("ACB"), list("ABC"), "longest_contiguous_subset")
    assert [m.right for m in marks] == [True, False, True]


def test_contiguous_subset_needs_consecutive_items():
    # A C E B D (key A..E): the ordered subsets A C E and A B D have 3 items, but the longest
    # chains of consecutive items are A-B (B stands after A) and C-D: 2 items.
    assert ordering_points(list("ACEBD"), ABCDE, "longest_ordered_subset") == (3, 5)
    assert ordering_points(list("ACEBD"), ABCDE, "longest_contiguous_subset") == (2, 5)
    # E A C B D: chains A-B, C-D (2 each), E alone; ordered subsets A C D, A B D (3).
    assert ordering_points(list("EACBD"), ABCDE, "longest_contiguous_subset") == (2, 5)
    # D E A B C: chains A-B-C (3) and D-E (2); the longer wins though it starts later.
    assert ordering_points(list("DEABC"), ABCDE, "longest_contiguous_subset") == (3, 5)
    marks = ordering_item_marks(list("DEABC"), ABCDE, "longest_contiguous_subset")
    assert [m.right for m in marks] == [False, False, True, True, True]


def test_ordered_subset_ties_go_to_the_leftmost():
    # B A D C: A D, A C, B D, B C are all ordered pairs; Moodle marks the one found first, B D.
    marks = ordering_item_marks(list("BADC"), list("ABCD"), "longest_ordered_subset")
    assert [m.right for m in marks] == [True, False, True, False]
    assert ordering_points(list("BADC"), list("ABCD"), "longest_ordered_subset") == (2, 4)


def test_single_item_subset_scores_nothing():
    # Reversed: every ordered subset has one item, which Moodle ignores: 0, not 1/n.
    for method in ("longest_ordered_subset", "longest_contiguous_subset"):
        marks = ordering_item_marks(list("DCBA"), list("ABCD"), method)
        assert [m.right for m in marks] == [False] * 4
    assert score_ordering(list("DCBA"), list("ABCD"), "longest_ordered_subset") == 0.0


def test_pairs_marks_count_each_items_pairs():
    # B C D E A: 6 of 10 pairs are in order. B, C, D and E are each in order with 3 of the 4
    # others (A should come before each): no item is all right, and A has no pair right.
    marks = ordering_item_marks(list("BCDEA"), ABCDE)
    assert [(m.score, m.max_score) for m in marks] == [(3, 4), (3, 4), (3, 4), (3, 4), (0, 4)]
    assert [m.right for m in marks] == [False] * 5
    assert score_ordering(list("BCDEA"), ABCDE) == 6 / 10


# --- the reversed order, and n = 2 -----------------------------------------------------------------


def _reversed_expected(method: str, n: int) -> float:
    """What each method gives the reversed order of n items, reasoned from its definition."""
    if method == "absolute_position":
        return (n % 2) / n  # only the middle item of an odd list stays in place
    if method == "relative_to_correct":
        # item i lands at n-1-i, |n-1-2i| places off
        return sum((n - 1) - abs(n - 1 - 2 * i) for i in range(n)) / (n * (n - 1))
    # Every other method: no successor, neighbour, pair or ordered subset of 2 survives.
    return 0.0


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7])
@pytest.mark.parametrize("method", ORDERING_METHODS)
def test_reversed_order(method, n):
    key = list(range(n))
    assert score_ordering(key[::-1], key, method) == pytest.approx(_reversed_expected(method, n))


def test_reversed_relative_to_correct_small_cases():
    # n = 3: C B A -> 0 + 2 + 0 of 6; n = 4: D C B A -> 0 + 2 + 2 + 0 of 12.
    assert ordering_points(list("CBA"), list("ABC"), "relative_to_correct") == (2, 6)
    assert ordering_points(list("DCBA"), list("ABCD"), "relative_to_correct") == (4, 12)


@pytest.mark.parametrize("method", ORDERING_METHODS)
def test_two_items(method):
    # Possible points for [A, B]: exclude_last checks only A->B; one prev/next 4 neighbours;
    # relative_to_correct and all prev/next 1 point per item; pairs one pair; others 2 items.
    possible = {
        "pairs": 1,
        "relative_next_exclude_last": 1,
        "relative_one_previous_and_next": 4,
    }.get(method, 2)
    assert ordering_points(["A", "B"], ["A", "B"], method) == (possible, possible)
    assert ordering_points(["B", "A"], ["A", "B"], method) == (0, possible)


def test_three_items_one_neighbour_swap():
    # B A C against A B C, by hand:
    # pairs: B-A wrong, A-C and B-C right: 2/3. absolute: C: 1/3. relative_to_correct: 1+1+2 = 4/6.
    # exclude_last: A->B? A->C no; B->C? B->A no: 0/2. include_last: + C last: 1/3.
    # one prev/next: B (A/C; -/A) 0, A (-/B; B/C) 0, C (B/-; A/-) 1: 1/6.
    # longest ordered: A C or B C: 2/3; contiguous: A-B? B stands before A; B-C yes: 2/3.
    key, answer = list("ABC"), list("BAC")
    assert ordering_points(answer, key, "pairs") == (2, 3)
    assert ordering_points(answer, key, "absolute_position") == (1, 3)
    assert ordering_points(answer, key, "relative_to_correct") == (4, 6)
    assert ordering_points(answer, key, "relative_next_exclude_last") == (0, 2)
    assert ordering_points(answer, key, "relative_next_include_last") == (1, 3)
    assert ordering_points(answer, key, "relative_one_previous_and_next") == (1, 6)
    assert ordering_points(answer, key, "longest_ordered_subset") == (2, 3)
    assert ordering_points(answer, key, "longest_contiguous_subset") == (2, 3)
    assert [m.right for m in ordering_item_marks(answer, key, "longest_contiguous_subset")] == [
        True,
        False,
        True,
    ]


# --- errors ----------------------------------------------------------------------------------------


def test_unknown_method():
    with pytest.raises(ValueError, match="unknown ordering method 'kendall'"):
        score_ordering([0, 1], [0, 1], "kendall")
    with pytest.raises(ValueError, match="unknown ordering method"):
        ordering_item_marks([0, 1], [0, 1], "Pairs")


@pytest.mark.parametrize(
    ("response", "correct", "message"),
    [
        ([0, 1], [0, 1, 2], "has 2 items, the correct order 3"),
        ([0, 1, 3], [0, 1, 2], r"holds item\(s\) 3 not in the correct order and lacks 2"),
        (["a", "b"], [0, 1], r"holds item\(s\) 'a', 'b'"),
        ([0, 0, 1], [0, 1, 2], r"the response repeats item\(s\) 0"),
        ([0, 1, 2], [0, 1, 1], r"the correct order repeats item\(s\) 1"),
        ([0], [0], "at least 2 items"),
        ([], [], "at least 2 items"),
        ("ab", "ab", "not a string"),
    ],
)
def test_mismatched_lists(response, correct, message):
    for method in ("pairs", "all_or_nothing"):
        with pytest.raises(ValueError, match=message):
            score_ordering(response, correct, method)
    with pytest.raises(ValueError, match=message):
        ordering_item_marks(response, correct)


# --- score(): a generated question ----------------------------------------------------------------


def _t(s: str) -> Text:
    return Text(ar=s, en=s)


MCQ = Question(
    kind="event-date",
    type="mcq",
    prompt=_t("When?"),
    answer=2,
    options=(_t("1917"), _t("1924"), _t("1929"), _t("1940")),
    events=("exile",),
)
# Items as shown: 0 "exile" (1929), 1 "revolution" (1917), 2 "death" (1940); earliest first: 1 0 2.
ORDERING = Question(
    kind="ordering",
    type="ordering",
    prompt=_t("Order"),
    answer=(1, 0, 2),
    items=(_t("exile"), _t("revolution"), _t("death")),
    events=("exile", "revolution", "death"),
)


@pytest.mark.parametrize("as_dict", [False, True])
def test_score_dispatch(as_dict):
    mcq = MCQ.to_dict() if as_dict else MCQ
    ordering = ORDERING.to_dict() if as_dict else ORDERING
    assert score(mcq, 2) == 1.0
    assert score(mcq, 3) == 0.0
    assert score(mcq, None) == 0.0
    assert score(ordering, [1, 0, 2]) == 1.0
    assert score(ordering, None) == 0.0
    # 0 1 2 against 1 0 2: pairs 0-2 and 1-2 right, 1-0 wrong.
    assert score(ordering, [0, 1, 2]) == 2 / 3
    assert score(ordering, [0, 1, 2], method="all_or_nothing") == 0.0
    assert score(ordering, [0, 1, 2], method="absolute_position") == 1 / 3


def test_score_reads_the_json_line_too():
    line = ORDERING.to_json_line("ar")
    assert score(line, [2, 0, 1]) == 0.0  # the reverse of 1 0 2
    assert score(MCQ.to_json_line("en"), 2) == 1.0


def test_score_rejects_bad_responses():
    with pytest.raises(ValueError, match="option 4 does not exist"):
        score(MCQ, 4)
    with pytest.raises(ValueError, match="option -1 does not exist"):
        score(MCQ, -1)
    with pytest.raises(ValueError, match="has 2 items"):
        score(ORDERING, [1, 0])
    with pytest.raises(ValueError, match="unknown ordering method"):
        score(ORDERING, [1, 0, 2], method="nope")
    with pytest.raises(ValueError, match="unknown question type 'essay'"):
        score({"type": "essay", "answer": 0}, 1)


# --- properties ------------------------------------------------------------------------------------

permutations = st.integers(min_value=2, max_value=8).flatmap(
    lambda n: st.tuples(st.permutations(range(n)), st.permutations(range(n)))
)
methods = st.sampled_from(ORDERING_METHODS)


@settings(max_examples=300, deadline=None)
@given(permutations, methods)
def test_score_is_a_share(pair, method):
    response, correct = pair
    points, possible = ordering_points(response, correct, method)
    assert 0 <= points <= possible
    assert score_ordering(response, correct, method) == points / possible


@given(st.integers(min_value=2, max_value=9).flatmap(lambda n: st.permutations(range(n))), methods)
def test_the_correct_order_scores_one_and_every_item_stands_right(correct, method):
    assert score_ordering(correct, correct, method) == 1.0
    rights = [m.right for m in ordering_item_marks(correct, correct, method)]
    assert all(r is not False for r in rights)
    # exclude_last leaves one item unjudged (the key's last); all_or_nothing judges none alone.
    unjudged = {"relative_next_exclude_last": 1, "all_or_nothing": len(correct)}.get(method, 0)
    assert rights.count(None) == unjudged


@given(permutations)
def test_all_or_nothing_is_one_exactly_when_equal(pair):
    response, correct = pair
    assert score_ordering(response, correct, "all_or_nothing") == (1.0 if response == correct else 0.0)


@given(st.integers(min_value=2, max_value=12).flatmap(lambda n: st.permutations(range(n))))
def test_pairs_of_the_reversed_order_is_zero(correct):
    assert score_ordering(correct[::-1], correct) == 0.0


@given(st.integers(min_value=2, max_value=10).flatmap(lambda n: st.permutations(range(n))), st.data())
def test_pairs_one_neighbour_swap_loses_one_pair(correct, data):
    i = data.draw(st.integers(min_value=0, max_value=len(correct) - 2))
    response = list(correct)
    response[i], response[i + 1] = response[i + 1], response[i]
    assert ordering_points(response, correct) == (math.comb(len(correct), 2) - 1, math.comb(len(correct), 2))


@settings(max_examples=200)
@given(permutations, methods, st.data())
def test_renaming_the_items_changes_nothing(pair, method, data):
    response, correct = pair
    names = data.draw(
        st.lists(st.text(min_size=1, max_size=3), min_size=len(correct), max_size=len(correct), unique=True)
    )
    rename = dict(zip(range(len(correct)), names, strict=True))
    renamed_response = [rename[x] for x in response]
    renamed_correct = [rename[x] for x in correct]
    assert score_ordering(renamed_response, renamed_correct, method) == score_ordering(
        response, correct, method
    )
    marks = ordering_item_marks(response, correct, method)
    renamed = ordering_item_marks(renamed_response, renamed_correct, method)
    assert [(rename[m.item], m.score, m.max_score) for m in marks] == [
        (m.item, m.score, m.max_score) for m in renamed
    ]


@given(permutations)
def test_pairs_equals_relative_all_previous_and_next(pair):
    # Each ordered pair earns a point for each of its two items out of n-1 each.
    response, correct = pair
    assert score_ordering(response, correct, "pairs") == score_ordering(
        response, correct, "relative_all_previous_and_next"
    )


def _brute_longest(p: list[int], consecutive: bool) -> int:
    """The longest ordered (or consecutive) subsequence of p, by trying every subset."""
    for size in range(len(p), 1, -1):
        for chosen in itertools.combinations(p, size):
            steps = [b - a for a, b in itertools.pairwise(chosen)]
            if all(s == 1 if consecutive else s > 0 for s in steps):
                return size
    return 0  # a single item does not count


@settings(max_examples=200)
@given(st.integers(min_value=2, max_value=7).flatmap(lambda n: st.permutations(range(n))))
def test_subset_methods_match_brute_force(response):
    correct = sorted(response)
    n = len(correct)
    for method, consecutive in (("longest_ordered_subset", False), ("longest_contiguous_subset", True)):
        length = _brute_longest(list(response), consecutive)
        assert ordering_points(response, correct, method) == (length, n)
        # The marked items are that subset: as many as the points, and in the right order.
        marked = [m.item for m in ordering_item_marks(response, correct, method) if m.right]
        assert len(marked) == length
        steps = [b - a for a, b in itertools.pairwise(marked)]
        assert all(s == 1 if consecutive else s > 0 for s in steps)


@given(permutations, methods)
def test_item_points_add_up_to_the_score(pair, method):
    # The items' points are the question's points (twice them under pairs; none alone under
    # all_or_nothing).
    response, correct = pair
    marks = ordering_item_marks(response, correct, method)
    points, possible = ordering_points(response, correct, method)
    if method == "pairs":  # each pair counts for both its items
        assert sum(m.score for m in marks) == 2 * points
        assert sum(m.max_score for m in marks) == 2 * possible
    elif method == "all_or_nothing":
        assert all(m.right is None for m in marks)
    else:
        assert sum(m.score for m in marks) == points
        assert sum(m.max_score for m in marks) == possible
    assert all(isinstance(m, ItemMark) and 0 <= m.score <= m.max_score for m in marks)


@given(permutations)
def test_absolute_position_marks_are_the_items_in_place(pair):
    response, correct = pair
    marks = ordering_item_marks(response, correct, "absolute_position")
    assert [m.right for m in marks] == [r == c for r, c in zip(response, correct, strict=True)]
