"""What every question kind shares: the generated Question, the settings, and the kind registry."""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from quizapp.domain.bank import Bank, Text
from quizapp.domain.dates import DEFAULT_STYLE, DateStyle


@dataclass(frozen=True, slots=True)
class Question:
    """A question as shown to a student, in both languages, with its key.

    mcq: `options` and `answer`, the index of the right option; `events` are the events the
    question rests on, aligned with `options` when the options are events (date-event, first-last).
    ordering: `items` in the order shown and `answer`, the indices of `items` from earliest to
    latest; `events` is then aligned with `items`.
    """

    kind: str
    type: Literal["mcq", "ordering"]
    prompt: Text
    answer: int | tuple[int, ...]
    options: tuple[Text, ...] = ()
    items: tuple[Text, ...] = ()
    events: tuple[str, ...] = ()
    explanation: Text | None = None
    key: str = ""
    # The events the question tests knowledge of (per-event mastery and reports): the subject's
    # events; for ordering, every item's. Distractor events are in `events` but not here.
    about: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """Both languages, as stored in an attempt's snapshot."""
        out: dict = {
            "kind": self.kind,
            "type": self.type,
            "key": self.key,
            "prompt": self.prompt.to_dict(),
            "events": list(self.events),
            "about": list(self.about),
        }
        if self.type == "mcq":
            out["options"] = [o.to_dict() for o in self.options]
            out["answer"] = self.answer
        else:
            out["items"] = [i.to_dict() for i in self.items]
            out["answer"] = list(self.answer)  # type: ignore[arg-type]
        if self.explanation:
            out["explanation"] = self.explanation.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        """Read back what to_dict wrote."""
        is_mcq = data["type"] == "mcq"
        return cls(
            kind=data["kind"],
            type=data["type"],
            key=data.get("key", ""),
            prompt=Text.from_dict(data["prompt"]),
            events=tuple(data.get("events", ())),
            about=tuple(data.get("about", ())),
            options=tuple(Text.from_dict(o) for o in data.get("options", ())),
            items=tuple(Text.from_dict(i) for i in data.get("items", ())),
            answer=data["answer"] if is_mcq else tuple(data["answer"]),
            explanation=Text.from_dict(data["explanation"]) if data.get("explanation") else None,
        )

    def to_json_line(self, lang: str) -> dict:
        """One language, in the `quizapp generate` contract."""
        out: dict = {"kind": self.kind, "type": self.type, "lang": lang, "prompt": self.prompt.get(lang)}
        if self.type == "mcq":
            out["options"] = [o.get(lang) for o in self.options]
            out["answer"] = self.answer
        else:
            out["items"] = [i.get(lang) for i in self.items]
            out["answer"] = list(self.answer)  # type: ignore[arg-type]
        out["events"] = list(self.events)
        return out


@dataclass(frozen=True, slots=True)
class Settings:
    """What a quiz asks of the generators."""

    count: int = 10
    kinds: tuple[str, ...] | None = None  # None: every kind the bank supports
    options: int = 4  # options per multiple-choice question
    ordering_min: int = 3
    ordering_max: int = 5
    style: DateStyle = field(default=DEFAULT_STYLE)
    focus: tuple[str, ...] | None = None  # only questions about these events (review mode)


class Unsupported(Exception):
    """The bank cannot support a kind of question; the message says why."""


class Kind:
    """A kind of generated question. Subclasses register themselves by `name`.

    `subjects` lists what questions of the kind could be about (event ids, facts, pairs ...), in
    a stable order, as a sequence the quiz reads by index (it may be computed per index, never
    built whole: the pairs of 20,000 events are 200 million); `make` builds one question about a
    subject, or returns None when the bank cannot make that question unambiguous. Neither may cost
    more than a few lookups in a big bank: see index.py.
    """

    name: ClassVar[str] = ""
    type: ClassVar[Literal["mcq", "ordering"]] = "mcq"
    label: ClassVar[Text] = Text(ar="", en="")  # the kind's name, for teachers choosing kinds
    registry: ClassVar[dict[str, type[Kind]]] = {}

    def __init_subclass__(cls, **kw: object) -> None:
        super().__init_subclass__(**kw)
        if cls.name:
            Kind.registry[cls.name] = cls

    def __init__(self, bank: Bank, settings: Settings) -> None:
        self.bank = bank
        self.settings = settings

    def check(self) -> None:
        """:raise Unsupported: when the bank cannot support this kind at all."""

    def subjects(self) -> Sequence[Hashable]:
        """What questions of this kind could be about, in a stable order."""
        raise NotImplementedError

    def about(self, ids: Sequence[str]) -> Sequence[Hashable]:
        """The subjects about any of these events (ids of the bank's, in its order)."""
        wanted = set(ids)
        return [s for s in self.subjects() if wanted.intersection(self.subject_events(s))]

    def make(self, subject: Hashable, rng: random.Random) -> Question | None:
        """One question about a subject, or None when it would be ambiguous."""
        raise NotImplementedError

    def subject_events(self, subject: Hashable) -> tuple[str, ...]:
        """The event ids a subject is surely about, so a quiz can spread over the bank."""
        return ()


def shuffled(items: Iterable, rng: random.Random) -> list:
    """A shuffled copy."""
    out = list(items)
    rng.shuffle(out)
    return out
