"""Grading: multiple choice is right or wrong; ordering earns partial credit by one of ten methods.

An ordering answer is compared with the correct order item by item. Every method below sees only
`p`, where `p[j]` is the correct index (0 = earliest) of the item the student put at position `j`;
so the ids themselves never matter, and renaming them changes nothing.

`pairs` is our default: the share of the n(n-1)/2 pairs of items that the student put in the right
relative order. The nine others are those of Moodle's ordering question (qtype_ordering, by Gordon
Bateson), computed as its `grade_response` computes them, including its quirks:

- a score is points / possible points, and both are whole numbers (`ordering_points`);
- under `relative_next_exclude_last` the item that comes last in the correct order is not judged;
- under `relative_one_previous_and_next` "nothing before" and "nothing after" count as neighbours:
  an item that is first in both orders has its previous neighbour right;
- the subset methods ignore a "subset" of one item, so the reversed order scores 0 and not 1/n;
- `longest_contiguous_subset` means items consecutive in the correct order (B, C, D) that keep
  their relative order in the answer; other items may stand between them. Moodle's help text says
  "contiguous", but its code does not ask the items to be adjacent in the answer, and neither do we.

Moodle gives 0/0 = 0 for some methods with a single item; an ordering of fewer than two items is no
question at all, so it is refused here (ValueError) instead.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .answers import parse_number, text_matches
from .bank import Accepted, Text
from .generate.base import Question
from .messages import N_

ORDERING_METHODS: tuple[str, ...] = (
    "pairs",
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

#: Short English descriptions for a teacher choosing a method; the web layer translates them.
METHOD_LABELS: dict[str, str] = {
    "pairs": N_("Share of item pairs in the right relative order"),
    "all_or_nothing": N_("Full marks for the exact order only, otherwise zero"),
    "absolute_position": N_("Share of items in their exact position"),
    "relative_to_correct": N_("Items earn less the farther they are from their position"),
    "relative_next_exclude_last": N_("Items followed by the right next item (last item not checked)"),
    "relative_next_include_last": N_("Items followed by the right next item (the last by nothing)"),
    "relative_one_previous_and_next": N_("Items with the right item just before and just after"),
    "relative_all_previous_and_next": N_("Items with the right items before and after them"),
    "longest_ordered_subset": N_("Longest set of items in the right order, gaps allowed"),
    "longest_contiguous_subset": N_("Longest run of consecutive items in the right order"),
}

MIN_ORDERING_ITEMS = 2


@dataclass(frozen=True, slots=True)
class ItemMark:
    """How one item of an answer fared: `score` out of `max_score` points.

    `max_score` is 0 when the method does not judge the item: the item that is last in the correct
    order under `relative_next_exclude_last`, and every item under `all_or_nothing` (which judges
    the whole order only); `right` is then None.
    """

    item: Hashable
    score: int
    max_score: int

    @property
    def right(self) -> bool | None:
        """True when the item earned all its points; None when the method does not judge it."""
        if self.max_score == 0:
            return None
        return self.score == self.max_score

    @property
    def fraction(self) -> float | None:
        """The item's points as a share of its possible points; None when not judged."""
        if self.max_score == 0:
            return None
        return self.score / self.max_score


@dataclass(frozen=True, slots=True)
class _Grade:
    points: int
    possible: int
    items: list[tuple[int, int]]  # (score, max_score) per answer position


# --- multiple choice -------------------------------------------------------------------------------


def score_mcq(chosen: int | None, answer: int) -> float:
    """1.0 for the right option, 0.0 for a wrong one or no answer (None)."""
    if chosen is None:
        return 0.0
    if isinstance(chosen, bool) or not isinstance(chosen, int):
        raise ValueError(f"a multiple-choice answer is an option index, not {chosen!r}")
    return 1.0 if chosen == answer else 0.0


# --- the kinds after Moodle's: multi, truefalse, numerical, shortanswer, matching ------------------


def score_multi(chosen: Sequence[int] | None, fractions: Sequence[float]) -> float:
    """Moodle's multi-answer multichoice: the sum of the chosen options' fractions (negative ones
    are penalties), clamped to [0, 1]. Choosing every option earns the positive fractions and pays
    every penalty. `chosen` holds option indices (each counted once); None or [] scores 0.

    :raise ValueError: an index that is not an option, or a response that is not a list of them.
    """
    if not chosen:
        return 0.0
    if isinstance(chosen, str | bytes | bool | int):
        raise ValueError(f"a multi-answer response is a list of option indices, not {chosen!r}")
    total = 0.0
    for index in dict.fromkeys(chosen):
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(fractions):
            raise ValueError(f"option {index!r} does not exist: the question has {len(fractions)}")
        total += float(fractions[index])
    return min(1.0, max(0.0, round(total, 9)))


def score_truefalse(response: bool | None, answer: bool) -> float:
    """1.0 when the response (True for "true") is the answer, 0.0 otherwise or for no answer."""
    if response is None:
        return 0.0
    if not isinstance(response, bool):
        raise ValueError(f"a true-or-false answer is true or false, not {response!r}")
    return 1.0 if response == bool(answer) else 0.0


def _accepted(answers: Sequence[Accepted | Mapping[str, Any]]) -> list[Accepted]:
    return [a if isinstance(a, Accepted) else Accepted.from_dict(dict(a)) for a in answers]


def matching_answer(response: Any, answers: Sequence[Accepted | Mapping[str, Any]], numeric: bool,
                    case_sensitive: bool = False) -> int | None:  # fmt: skip
    """The index of the first accepted answer the response matches (Moodle tries them in order),
    or None. numeric: the response is a number (or the text of one, in any digits) within an
    answer's tolerance; else a text matched after normalisation (answers.text_matches)."""
    if response is None:
        return None
    accepted = _accepted(answers)
    if numeric:
        value = response if isinstance(response, int | float) and not isinstance(response, bool) else None
        if value is None and isinstance(response, str):
            value = parse_number(response)
        if value is None:
            return None
        for i, a in enumerate(accepted):
            if a.value is not None and abs(value - a.value) <= abs(a.tolerance) + 1e-9 * max(1, abs(a.value)):
                return i
        return None
    if not isinstance(response, str):
        raise ValueError(f"a short answer is a text, not {response!r}")
    for i, a in enumerate(accepted):
        texts = (a.text.ar, a.text.en) if a.text is not None else ()
        if any(t and text_matches(response, t, case_sensitive) for t in texts):
            return i
    return None


def score_numerical(
    response: int | float | str | None, answers: Sequence[Accepted | Mapping[str, Any]]
) -> float:
    """Moodle's numerical: the fraction of the first accepted answer within whose tolerance the
    number falls (|response - value| <= tolerance); 0 when none, or for no answer."""
    found = matching_answer(response, answers, numeric=True)
    return float(_accepted(answers)[found].fraction) if found is not None else 0.0


def score_shortanswer(
    response: str | None, answers: Sequence[Accepted | Mapping[str, Any]], case_sensitive: bool = False
) -> float:
    """Moodle's shortanswer: the fraction of the first accepted answer the text matches (in either
    language, normalised: see answers.normalise); 0 when none, or for no answer."""
    if response is None or (isinstance(response, str) and not response.strip()):
        return 0.0
    found = matching_answer(response, answers, numeric=False, case_sensitive=case_sensitive)
    return float(_accepted(answers)[found].fraction) if found is not None else 0.0


def matching_marks(response: Sequence[int | None] | None, answer: Sequence[int]) -> list[bool]:
    """For each stem, whether the response chose its answer."""
    if response is None:
        return [False] * len(answer)
    if isinstance(response, str | bytes) or len(response) != len(answer):
        raise ValueError(f"a matching response has one choice per stem ({len(answer)}), not {response!r}")
    return [
        r is not None and not isinstance(r, bool) and r == a for r, a in zip(response, answer, strict=True)
    ]


def score_matching(response: Sequence[int | None] | None, answer: Sequence[int]) -> float:
    """Moodle's match: the share of stems matched to their answer (a stem left empty is wrong)."""
    if not answer:
        return 0.0
    return sum(matching_marks(response, answer)) / len(answer)


def right_text(answer: Any, lang: str) -> str:
    """A shortanswer snapshot's shown answer in a language (the other when that one is empty)."""
    if isinstance(answer, Text):
        answer = answer.to_dict()
    if isinstance(answer, Mapping):
        return answer.get(lang) or answer.get("en" if lang == "ar" else "ar") or ""
    return str(answer)


# --- ordering: the methods, each a function of p ---------------------------------------------------


def _absolute_items(p: Sequence[int]) -> list[tuple[int, int]]:
    return [(int(c == j), 1) for j, c in enumerate(p)]


def _all_or_nothing(p: Sequence[int]) -> _Grade:
    """n/n when every item is in its position, else 0/n. No item is judged on its own: a mark per
    item would tell of a credit the method never gives."""
    n = len(p)
    exact = all(c == j for j, c in enumerate(p))
    return _Grade(n if exact else 0, n, [(0, 0)] * n)


def _absolute_position(p: Sequence[int]) -> _Grade:
    """#{j : p[j] = j} / n: one point per item in its exact position."""
    items = _absolute_items(p)
    return _Grade(sum(s for s, _ in items), len(p), items)


def _relative_to_correct(p: Sequence[int]) -> _Grade:
    """sum_j ((n-1) - |p[j] - j|) / (n(n-1)): n-1 points an item, less one per place it is off.

    Moodle clamps an item's points at 0, but a distance is never above n-1, so the clamp never
    bites. The reversed order is not 0: its middle items are close to their places.
    """
    n = len(p)
    items = [(max(0, (n - 1) - abs(c - j)), n - 1) for j, c in enumerate(p)]
    return _Grade(sum(s for s, _ in items), n * (n - 1), items)


def _relative_next_exclude_last(p: Sequence[int]) -> _Grade:
    """#{i < n-1 : item i is directly followed by item i+1} / (n-1).

    The item that is last in the correct order has nothing to be followed by: it is not judged
    (0 of 0 points), wherever it stands.
    """
    n = len(p)
    items = []
    for j, c in enumerate(p):
        if c == n - 1:
            items.append((0, 0))
        else:
            followed = p[j + 1] if j + 1 < n else None
            items.append((int(followed == c + 1), 1))
    return _Grade(sum(s for s, _ in items), n - 1, items)


def _relative_next_include_last(p: Sequence[int]) -> _Grade:
    """#{i : item i is directly followed by item i+1, or by nothing when i = n-1} / n."""
    n = len(p)
    # "Followed by nothing" is written as n, which is also item n-1's "next" in the correct order.
    items = [(int((p[j + 1] if j + 1 < n else n) == c + 1), 1) for j, c in enumerate(p)]
    return _Grade(sum(s for s, _ in items), n, items)


def _relative_one_previous_and_next(p: Sequence[int]) -> _Grade:
    """sum_i ([prev(i) right] + [next(i) right]) / 2n, "nothing" counting as a neighbour.

    Item i's previous neighbour should be i-1 (nothing for the first) and its next i+1 (nothing
    for the last); each that matches the answer's is one point, two points an item.
    """
    n = len(p)
    items = []
    for j, c in enumerate(p):
        before = p[j - 1] if j > 0 else -1  # -1: nothing before, which item 0 expects
        after = p[j + 1] if j + 1 < n else n  # n: nothing after, which item n-1 expects
        items.append((int(before == c - 1) + int(after == c + 1), 2))
    return _Grade(sum(s for s, _ in items), 2 * n, items)


def _relative_all_previous_and_next(p: Sequence[int]) -> _Grade:
    """sum_i (#items rightly before i + #items rightly after i) / (n(n-1)).

    Each item has n-1 points: one for each other item on its correct side. A pair in the right
    order earns a point for each of its two items, so this always equals `pairs`.
    """
    n = len(p)
    items = []
    for j, c in enumerate(p):
        before = sum(1 for k in range(j) if p[k] < c)
        after = sum(1 for k in range(j + 1, n) if p[k] > c)
        items.append((before + after, n - 1))
    return _Grade(sum(s for s, _ in items), n * (n - 1), items)


def _longest_increasing(p: Sequence[int]) -> list[int]:
    """The answer positions of a longest increasing subsequence of p, the leftmost one.

    "Leftmost" is the smallest sequence of positions in lexicographic order, which is the subset
    Moodle finds first when it searches from left to right.
    """
    n = len(p)
    # longest[j]: the length of the longest increasing run of p that starts at position j.
    longest = [1] * n
    for j in range(n - 1, -1, -1):
        for k in range(j + 1, n):
            if p[k] > p[j] and longest[k] + 1 > longest[j]:
                longest[j] = longest[k] + 1
    need = max(longest)
    chosen: list[int] = []
    for j in range(n):
        if longest[j] == need and (not chosen or p[j] > p[chosen[-1]]):
            chosen.append(j)
            need -= 1
            if need == 0:
                break
    return chosen


def _longest_consecutive(p: Sequence[int]) -> list[int]:
    """The answer positions of the longest chain i, i+1, i+2, ... whose items keep that order.

    Each item belongs to exactly one chain: it continues item i-1's chain when it stands after
    item i-1, and starts a chain otherwise. Among the longest, the chain that starts leftmost.
    """
    where = {c: j for j, c in enumerate(p)}
    best: list[int] = []
    start_of_best = len(p)
    for first in range(len(p)):
        if first > 0 and where[first - 1] < where[first]:
            continue  # not a chain's first item
        chain = [where[first]]
        nxt = first + 1
        while nxt in where and where[nxt] > chain[-1]:
            chain.append(where[nxt])
            nxt += 1
        if len(chain) > len(best) or (len(chain) == len(best) and chain[0] < start_of_best):
            best, start_of_best = chain, chain[0]
    return best


def _subset_grade(p: Sequence[int], subset: list[int]) -> _Grade:
    if len(subset) < MIN_ORDERING_ITEMS:
        subset = []  # Moodle ignores single-item subsets
    chosen = set(subset)
    items = [(int(j in chosen), 1) for j in range(len(p))]
    return _Grade(len(subset), len(p), items)


def _longest_ordered_subset(p: Sequence[int]) -> _Grade:
    """L / n, L the length of the longest subsequence of the answer in correct relative order.

    That is the longest increasing subsequence of p, gaps allowed; L = 1 counts as 0 (Moodle
    ignores a subset of one item), so the reversed order scores 0. Its items are marked right.
    """
    return _subset_grade(p, _longest_increasing(p))


def _longest_contiguous_subset(p: Sequence[int]) -> _Grade:
    """L / n, L the length of the longest run of consecutive items i, i+1, ..., i+L-1 that the
    answer keeps in that order (others may stand between them); L = 1 counts as 0.
    """
    return _subset_grade(p, _longest_consecutive(p))


def _pairs(p: Sequence[int]) -> _Grade:
    """#{j < k : p[j] < p[k]} / (n(n-1)/2): the share of item pairs in the right relative order.

    The reversed order scores 0; one swap of neighbours loses one pair of n(n-1)/2. Each item is
    marked with the pairs it belongs to: how many of the n-1 others stand on its right side. So an
    item stands right only when every pair it is in counts, and the items' points add up to twice
    the pairs counted (each pair has two items): no mark says more than the pair count.
    """
    n = len(p)
    points = sum(1 for j in range(n) for k in range(j + 1, n) if p[j] < p[k])
    return _Grade(points, n * (n - 1) // 2, _relative_all_previous_and_next(p).items)


_METHODS: dict[str, Callable[[Sequence[int]], _Grade]] = {
    "pairs": _pairs,
    "all_or_nothing": _all_or_nothing,
    "absolute_position": _absolute_position,
    "relative_to_correct": _relative_to_correct,
    "relative_next_exclude_last": _relative_next_exclude_last,
    "relative_next_include_last": _relative_next_include_last,
    "relative_one_previous_and_next": _relative_one_previous_and_next,
    "relative_all_previous_and_next": _relative_all_previous_and_next,
    "longest_ordered_subset": _longest_ordered_subset,
    "longest_contiguous_subset": _longest_contiguous_subset,
}


# --- ordering: the public face ---------------------------------------------------------------------


def _duplicates(items: Sequence[Hashable]) -> list[Hashable]:
    seen: set[Hashable] = set()
    dups: list[Hashable] = []
    for item in items:
        if item in seen and item not in dups:
            dups.append(item)
        seen.add(item)
    return dups


def _positions(response: Sequence[Hashable], correct: Sequence[Hashable]) -> list[int]:
    """p: the correct index of each item of the response, after checking the two lists match."""
    if isinstance(response, str | bytes) or isinstance(correct, str | bytes):
        raise ValueError("an ordering is a list of item ids, not a string")
    response, correct = list(response), list(correct)
    if len(correct) < MIN_ORDERING_ITEMS:
        raise ValueError(f"an ordering needs at least {MIN_ORDERING_ITEMS} items, got {len(correct)}")
    for name, seq in (("correct order", correct), ("response", response)):
        dups = _duplicates(seq)
        if dups:
            raise ValueError(f"the {name} repeats item(s) {', '.join(map(repr, dups))}")
    if len(response) != len(correct):
        raise ValueError(f"the response has {len(response)} items, the correct order {len(correct)}")
    index = {item: i for i, item in enumerate(correct)}
    unknown = [item for item in response if item not in index]
    if unknown:
        missing = [item for item in correct if item not in set(response)]
        raise ValueError(
            f"the response holds item(s) {', '.join(map(repr, unknown))} not in the correct order"
            f" and lacks {', '.join(map(repr, missing))}"
        )
    return [index[item] for item in response]


def _grade(response: Sequence[Hashable], correct: Sequence[Hashable], method: str) -> _Grade:
    grade = _METHODS.get(method) if isinstance(method, str) else None
    if grade is None:
        raise ValueError(f"unknown ordering method {method!r}; known: {', '.join(ORDERING_METHODS)}")
    return grade(_positions(response, correct))


def ordering_points(
    response: Sequence[Hashable], correct: Sequence[Hashable], method: str = "pairs"
) -> tuple[int, int]:
    """(points, possible points) of an ordering answer, as Moodle's "grade details" show them."""
    g = _grade(response, correct, method)
    return g.points, g.possible


def score_ordering(response: Sequence[Hashable], correct: Sequence[Hashable], method: str = "pairs") -> float:
    """The score in [0, 1] of an ordering answer; both lists hold the same ids, earliest first.

    :raise ValueError: unknown method; lists of other lengths or items, repeated items, or fewer
        than two items.
    """
    g = _grade(response, correct, method)
    return g.points / g.possible


def ordering_item_marks(
    response: Sequence[Hashable], correct: Sequence[Hashable], method: str = "pairs"
) -> list[ItemMark]:
    """For the review page, one mark per item of the response, in the response's order.

    all_or_nothing: no item is judged (max_score 0). absolute_position: the item is in its exact
    position. relative_to_correct:
    n-1 points less its distance from its position. relative_next_*: the item is followed by its
    right successor (nothing, for the last under include_last; not judged under exclude_last).
    relative_one_previous_and_next: its two neighbours, a point each. relative_all_previous_and_next
    and pairs: a point for each other item on its correct side. longest_*_subset: the item belongs
    to the longest (leftmost) ordered or contiguous subset, when that subset has two items or more.
    """
    g = _grade(response, correct, method)
    return [ItemMark(item, s, m) for item, (s, m) in zip(response, g.items, strict=True)]


@dataclass(frozen=True, slots=True)
class OrderingExplanation:
    """What a student is told of an ordering answer's credit, true to the grading method.

    `points` of `possible` is the method's own count (pairs, items, neighbours or points, see
    `unit`); `marks` judge each item of the answer only as far as the method counts it; under
    `pairs`, `wrong_pairs` names the pairs that cost points, each as (placed first, placed second).
    """

    method: str
    points: int
    possible: int
    marks: list[ItemMark]
    wrong_pairs: list[tuple[Hashable, Hashable]]

    @property
    def score(self) -> float:
        """The credit in [0, 1]."""
        return self.points / self.possible

    @property
    def percent(self) -> int:
        """The credit in whole percent, as shown."""
        return round(100 * self.points / self.possible)

    @property
    def unit(self) -> str:
        """What `points` counts: "pairs", "items", "neighbours", "points" or "order" (all or nothing)."""
        return _UNITS[self.method]


_UNITS = {
    "pairs": "pairs",
    "all_or_nothing": "order",
    "absolute_position": "items",
    "relative_to_correct": "points",
    "relative_next_exclude_last": "items",
    "relative_next_include_last": "items",
    "relative_one_previous_and_next": "neighbours",
    "relative_all_previous_and_next": "points",
    "longest_ordered_subset": "items",
    "longest_contiguous_subset": "items",
}


def explain_ordering(
    response: Sequence[Hashable], correct: Sequence[Hashable], method: str = "pairs"
) -> OrderingExplanation:
    """The credit of an ordering answer in the terms of its method, with each item's marks.

    :raise ValueError: as score_ordering.
    """
    g = _grade(response, correct, method)
    marks = [ItemMark(item, s, m) for item, (s, m) in zip(response, g.items, strict=True)]
    wrong: list[tuple[Hashable, Hashable]] = []
    if method == "pairs":
        rank = {item: i for i, item in enumerate(correct)}
        wrong = [(a, b) for j, a in enumerate(response) for b in list(response)[j + 1 :] if rank[a] > rank[b]]
    return OrderingExplanation(method, g.points, g.possible, marks, wrong)


# --- any question ----------------------------------------------------------------------------------


def score(question: Question | Mapping[str, Any], response: Any, method: str = "pairs") -> float:
    """The score in [0, 1] of a response to a generated question (a Question or its dict).

    mcq: the response is the chosen option's index. ordering: the indices of `items` in the order
    the student put them, earliest first, graded by `method`. multi: the chosen options' indices.
    truefalse: true or false. numerical: the number typed. shortanswer: the text typed. matching:
    for each stem (in `items`' order) the index in `options` of the answer chosen, or None. None
    (no answer) scores 0.
    """
    if isinstance(question, Question):
        qtype, answer, n_options = question.type, question.answer, len(question.options)
    else:
        qtype, answer, n_options = question["type"], question["answer"], len(question.get("options", ()))
    if response is None:
        return 0.0
    if qtype not in ("mcq", "ordering"):
        return _score_new_kind(question, qtype, answer, response)
    if qtype == "mcq":
        if not isinstance(answer, int):
            raise ValueError(f"a multiple-choice key is an option index, not {answer!r}")
        is_index = isinstance(response, int) and not isinstance(response, bool)
        if is_index and n_options and not 0 <= response < n_options:
            raise ValueError(f"option {response} does not exist: the question has {n_options}")
        return score_mcq(response, answer)
    if qtype == "ordering":
        return score_ordering(response, answer, method)  # type: ignore[arg-type]
    raise ValueError(f"unknown question type {qtype!r}")


def _score_new_kind(question: Question | Mapping[str, Any], qtype: str, answer: Any, response: Any) -> float:
    def field(name: str) -> Any:
        if isinstance(question, Question):
            return getattr(question, name)
        return question.get(name, ())

    if qtype == "multi":
        return score_multi(response, field("fractions"))
    if qtype == "truefalse":
        return score_truefalse(response, bool(answer))
    if qtype == "numerical":
        return score_numerical(response, field("answers"))
    if qtype == "shortanswer":
        return score_shortanswer(response, field("answers"), bool(field("case_sensitive")))
    if qtype == "matching":
        return score_matching(response, list(answer))
    raise ValueError(f"unknown question type {qtype!r}")
