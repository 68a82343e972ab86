"""`authored`: the bank's hand-written questions, options or items shuffled."""

from __future__ import annotations

import random
from collections.abc import Hashable

from quizapp.domain.bank import AuthoredQuestion, Text

from .base import Kind, Question, Unsupported
from .common import Distinct, mcq, unsorted_order


class Authored(Kind):
    """A teacher's own multiple-choice and ordering questions."""

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
