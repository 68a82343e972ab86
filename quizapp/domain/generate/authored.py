"""`authored`: the bank's hand-written questions, options, items or stems shuffled."""

from __future__ import annotations

import random
from collections.abc import Hashable

from quizapp.domain.bank import AuthoredQuestion, Text

from .base import Kind, Question, Unsupported
from .common import Distinct, mcq, same_display, shuffled, unsorted_order

#: How far the positive fractions of a multi question may stray from 1 (validate.py's slack).
_SLACK = 0.001


class Authored(Kind):
    """A teacher's own questions, of every type (mcq, ordering, multi, truefalse, numerical,
    shortanswer, matching)."""

    name = "authored"
    label = Text(ar="أسئلة المعلّم", en="The teacher's questions")

    def check(self) -> None:
        """:raise Unsupported: when the bank has no hand-written questions."""
        if not self.bank.questions:
            raise Unsupported("the bank has no hand-written questions")

    def subjects(self) -> list[Hashable]:
        """The index of every hand-written question."""
        return list(range(len(self.bank.questions)))

    def subject_events(self, subject: Hashable) -> tuple[str, ...]:
        """The events the question names."""
        return self.bank.questions[subject].events  # type: ignore[index]

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """The question with its options (or items) shuffled; None when it is malformed."""
        q: AuthoredQuestion = self.bank.questions[subject]  # type: ignore[index]
        key = f"{self.name}:{q.id}"
        if q.type in _NEW:
            return _NEW[q.type](self.name, key, q, rng)
        if q.type == "mcq":
            texts = Distinct(q.options)
            if len(texts) != len(q.options) or len(q.options) < 2:
                return None  # two options that read the same: no single right answer
            if q.answer is None or not 0 <= q.answer < len(q.options):
                return None
            wrong = [o for i, o in enumerate(q.options) if i != q.answer]
            return mcq(
                self.name,
                key,
                q.prompt,
                q.options[q.answer],
                wrong,
                rng=rng,
                events=q.events,
                explanation=q.explanation,
            )
        texts = Distinct(q.items)
        if len(texts) != len(q.items) or len(q.items) < 2:
            return None
        shown_order = unsorted_order(len(q.items), rng)
        return Question(
            kind=self.name,
            type="ordering",
            prompt=q.prompt,
            items=tuple(q.items[i] for i in shown_order),
            answer=tuple(shown_order.index(i) for i in range(len(q.items))),
            events=q.events,
            explanation=q.explanation,
            key=key,
        )


def _base(kind: str, key: str, q: AuthoredQuestion, qtype: str, **fields: object) -> Question:
    return Question(
        kind=kind, type=qtype, prompt=q.prompt, events=q.events, explanation=q.explanation, key=key, **fields
    )  # type: ignore[arg-type]


def _multi(kind: str, key: str, q: AuthoredQuestion, rng: random.Random) -> Question | None:
    """Options shuffled with their fractions; None unless they read apart and the positive
    fractions add up to 1."""
    fractions = tuple(q.fractions) + (0.0,) * (len(q.options) - len(q.fractions))
    if len(Distinct(q.options)) != len(q.options) or len(q.options) < 2:
        return None
    if abs(sum(f for f in fractions if f > 0) - 1) > _SLACK or any(not -1 <= f <= 1 for f in fractions):
        return None
    order = shuffled(range(len(q.options)), rng)
    shown = tuple(fractions[i] for i in order)
    return _base(
        kind, key, q, "multi",
        options=tuple(q.options[i] for i in order),
        fractions=shown,
        answer=tuple(i for i, f in enumerate(shown) if f > 0),
    )  # fmt: skip


def _truefalse(kind: str, key: str, q: AuthoredQuestion, rng: random.Random) -> Question | None:
    if q.correct is None:
        return None
    return _base(kind, key, q, "truefalse", answer=bool(q.correct))


def _typed(kind: str, key: str, q: AuthoredQuestion, rng: random.Random) -> Question | None:
    """numerical and shortanswer: the accepted answers as written; the first with full credit is
    the one shown as right."""
    full = [a for a in q.answers if a.fraction >= 1]
    if not full:
        return None
    if q.type == "numerical":
        if any(a.value is None for a in q.answers):
            return None
        return _base(kind, key, q, "numerical", answers=q.answers, answer=full[0].value)
    if any(a.text is None for a in q.answers):
        return None
    return _base(
        kind, key, q, "shortanswer", answers=q.answers, case_sensitive=q.case_sensitive, answer=full[0].text
    )


def _matching(kind: str, key: str, q: AuthoredQuestion, rng: random.Random) -> Question | None:
    """Stems shuffled; the answers to choose from are the distinct right texts, shuffled."""
    stems = [p for p in q.pairs if p.left is not None]
    if len(stems) < 2 or len(Distinct(p.left for p in stems)) != len(stems):  # type: ignore[misc]
        return None
    choices: list[Text] = []
    for p in q.pairs:
        if not any(same_display(p.right, c) for c in choices):
            choices.append(p.right)
    order = unsorted_order(len(stems), rng)
    shown_stems = [stems[i] for i in order]
    shown_choices = shuffled(choices, rng)
    answer = []
    for p in shown_stems:
        answer.append(next(i for i, c in enumerate(shown_choices) if same_display(p.right, c)))
    return _base(
        kind, key, q, "matching",
        items=tuple(p.left for p in shown_stems),  # type: ignore[misc]
        options=tuple(shown_choices),
        answer=tuple(answer),
    )  # fmt: skip


_NEW = {
    "multi": _multi,
    "truefalse": _truefalse,
    "numerical": _typed,
    "shortanswer": _typed,
    "matching": _matching,
}
