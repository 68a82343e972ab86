"""Quiz assembly: kinds mixed round by round, events spread, everything drawn from one seed."""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace

from quizapp.domain.bank import Bank

from .base import Kind, Question, Settings, Unsupported, shuffled
from .index import SEARCH_LIMIT, draws, timeline

#: The kinds of generated questions, in a stable order (every module registers one).
KINDS: tuple[str, ...] = (
    "event-date",
    "date-event",
    "first-last",
    "interval",
    "fact",
    "ordering",
    "authored",
)
#: Kinds a quiz asks for only when its settings name them (issue 17): a quiz without a list of
#: kinds, and every attempt already made, keeps the mix above.
EXTRA_KINDS: tuple[str, ...] = ("tf-date", "year-typed", "match-dates")
#: Every kind, in a stable order.
ALL_KINDS: tuple[str, ...] = KINDS + EXTRA_KINDS


@dataclass(slots=True)
class Quiz:
    """The questions of a quiz, and the kinds asked for that the bank could not support."""

    questions: list[Question] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # kind -> why it was not used


def check_settings(settings: Settings) -> None:
    """:raise ValueError: when the settings cannot make a sound quiz."""
    if settings.count < 0:
        raise ValueError("count must not be negative")
    if settings.options < 2:
        raise ValueError("a multiple-choice question needs at least 2 options")
    if not 2 <= settings.ordering_min <= settings.ordering_max:
        raise ValueError("ordering needs 2 <= ordering_min <= ordering_max")


def _kinds(bank: Bank, settings: Settings, names: tuple[str, ...]) -> tuple[dict[str, Kind], dict[str, str]]:
    """The usable kinds, and the reason each other one is not."""
    usable: dict[str, Kind] = {}
    skipped: dict[str, str] = {}
    for name in names:
        cls = Kind.registry.get(name)
        if cls is None:
            skipped[name] = f"unknown kind (known: {', '.join(ALL_KINDS)})"
            continue
        kind = cls(bank, settings)
        try:
            kind.check()
        except Unsupported as err:
            skipped[name] = str(err)
            continue
        usable[name] = kind
    return usable, skipped


def available_kinds(bank: Bank, settings: Settings = Settings()) -> dict[str, str | None]:  # noqa: B008
    """Every kind (ALL_KINDS), mapped to None when the bank supports it, else to the reason it does not."""
    usable, skipped = _kinds(bank, settings, ALL_KINDS)
    return {name: None if name in usable else skipped[name] for name in ALL_KINDS}


class _Queue:
    """A kind's subjects in a random order, drawn one at a time (never listed or shuffled whole);
    those about events already asked wait in `later`, for when no fresh one is left."""

    def __init__(self, subjects: Sequence[Hashable], rng: random.Random) -> None:
        self.subjects = subjects
        self.order = draws(len(subjects), rng)
        self.drained = False
        self.later: deque[Hashable] = deque()


def _next(
    kind: Kind, queue: _Queue, used_keys: set[str], used_events: set[str], rng: random.Random
) -> tuple[Question, Hashable] | None:
    """The next question of a kind, about unused events while any are left; None when exhausted.

    A subject is tried once (make() says once whether the bank can ask it). In a bank where most
    subjects fail (a pathological one), the kind gives up after SEARCH_LIMIT fruitless subjects.
    """
    fruitless = 0
    while not queue.drained and fruitless < SEARCH_LIMIT:
        index = next(queue.order, None)
        if index is None:
            queue.drained = True
            break
        subject = queue.subjects[index]
        if any(e in used_events for e in kind.subject_events(subject)):
            queue.later.append(subject)
            fruitless += 1
            continue
        question = kind.make(subject, rng)
        if question is not None and question.key not in used_keys:
            return question, subject
        fruitless += 1
    while queue.later and fruitless < 2 * SEARCH_LIMIT:
        subject = queue.later.popleft()
        question = kind.make(subject, rng)
        if question is not None and question.key not in used_keys:
            return question, subject
        fruitless += 1
    return None


def generate_quiz(bank: Bank, seed: int | str, settings: Settings = Settings()) -> Quiz:  # noqa: B008
    """A quiz drawn from the bank: the same bank, settings and seed always give the same quiz.

    :raise ValueError: when the settings are unsound or the seed is neither str nor int.
    """
    check_settings(settings)
    if isinstance(seed, bool) or not isinstance(seed, int | str):
        raise ValueError("the seed must be a str or an int")
    # A str seed goes through SHA-512 in random.Random: stable across runs and machines,
    # unlike hash(). Nothing below iterates a set.
    rng = random.Random(f"{seed}")
    names = tuple(dict.fromkeys(settings.kinds)) if settings.kinds is not None else KINDS
    kinds, skipped = _kinds(bank, settings, names)
    focus = timeline(bank).in_order(settings.focus) if settings.focus is not None else None
    queues = {
        name: _Queue(kind.subjects() if focus is None else kind.about(focus), rng)
        for name, kind in kinds.items()
    }
    made = dict.fromkeys(kinds, 0)
    questions: list[Question] = []
    used_keys: set[str] = set()
    used_events: set[str] = set()
    active = list(kinds)
    while len(questions) < settings.count and active:
        # A fresh random order each round mixes the kinds without runs of one kind.
        for name in shuffled(active, rng):
            if len(questions) >= settings.count:
                break
            found = _next(kinds[name], queues[name], used_keys, used_events, rng)
            if found is None:
                active.remove(name)
                continue
            question, subject = found
            whole = question.type == "ordering" or question.kind == "match-dates"  # every item is asked
            about = question.events if whole else kinds[name].subject_events(subject)
            question = replace(question, about=tuple(dict.fromkeys(about)))
            questions.append(question)
            made[name] += 1
            used_keys.add(question.key)
            # What a question is about, not its distractors, counts as used.
            used_events.update(kinds[name].subject_events(subject))
    for name, count in made.items():
        if count == 0 and settings.count > 0 and name not in active:
            skipped[name] = "the bank cannot make any question of this kind unambiguous"
    return Quiz(questions=questions, skipped=skipped)
