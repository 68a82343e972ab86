"""What every question kind shares: the generated Question, the settings, and the kind registry."""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from quizapp.domain.bank import Accepted, Bank, Text
from quizapp.domain.dates import DEFAULT_STYLE, DateStyle


@dataclass(frozen=True, slots=True)
class Question:
    """A question as shown to a student, in both languages, with its key.

    mcq: `options` and `answer`, the index of the right option; `events` are the events the
    question rests on, aligned with `options` when the options are events (date-event, first-last).
    ordering: `items` in the order shown and `answer`, the indices of `items` from earliest to
    latest; `events` is then aligned with `items`.
    multi: `options`, `fractions` aligned with them, `answer` the indices with a positive fraction.
    truefalse: `prompt` is the statement, `answer` True or False. numerical: `answers` (Accepted
    values with tolerances), `answer` the first fully right value. shortanswer: `answers` (Accepted
    texts), `case_sensitive`, `answer` the first fully right text (a Text). matching: `items` are
    the stems, `options` the answers to choose from (each once), `answer` the index in `options`
    of each stem's answer; `events` is aligned with `items` when the stems are events.
    """

    kind: str
    type: Literal["mcq", "ordering", "multi", "truefalse", "numerical", "shortanswer", "matching"]
    prompt: Text
    answer: int | tuple[int, ...] | bool | float | Text
    options: tuple[Text, ...] = ()
    items: tuple[Text, ...] = ()
    events: tuple[str, ...] = ()
    explanation: Text | None = None
    key: str = ""
    # The events the question tests knowledge of (per-event mastery and reports): the subject's
    # events; for ordering, every item's. Distractor events are in `events` but not here.
    about: tuple[str, ...] = ()
    fractions: tuple[float, ...] = ()
    answers: tuple[Accepted, ...] = ()
    case_sensitive: bool = False

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
        elif self.type == "ordering":
            out["items"] = [i.to_dict() for i in self.items]
            out["answer"] = list(self.answer)  # type: ignore[arg-type]
        else:
            out.update(_new_kind_fields(self))
        if self.explanation:
            out["explanation"] = self.explanation.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Question:
        """Read back what to_dict wrote."""
        if data["type"] not in ("mcq", "ordering"):
            return _new_kind_from_dict(cls, data)
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
        elif self.type == "ordering":
            out["items"] = [i.get(lang) for i in self.items]
            out["answer"] = list(self.answer)  # type: ignore[arg-type]
        else:
            data = _new_kind_fields(self)
            for name in ("options", "items"):
                if name in data:
                    out[name] = [t[lang] for t in data[name]]
            if "answers" in data:
                out["answers"] = [
                    {**a, "text": a["text"][lang]} if "text" in a else a for a in data["answers"]
                ]
            if "fractions" in data:
                out["fractions"] = data["fractions"]
            answer = data["answer"]
            out["answer"] = answer[lang] if isinstance(answer, dict) else answer
        out["events"] = list(self.events)
        return out


def _new_kind_fields(q: Question) -> dict:
    """The snapshot fields of multi, truefalse, numerical, shortanswer and matching questions."""
    out: dict = {}
    if q.type == "multi":
        out["options"] = [o.to_dict() for o in q.options]
        out["fractions"] = list(q.fractions)
        out["answer"] = list(q.answer)  # type: ignore[arg-type]
    elif q.type == "truefalse":
        out["answer"] = bool(q.answer)
    elif q.type == "numerical":
        out["answers"] = [a.to_dict() for a in q.answers]
        out["answer"] = q.answer
    elif q.type == "shortanswer":
        out["answers"] = [a.to_dict() for a in q.answers]
        out["case_sensitive"] = q.case_sensitive
        out["answer"] = q.answer.to_dict() if isinstance(q.answer, Text) else q.answer
    elif q.type == "matching":
        out["items"] = [i.to_dict() for i in q.items]
        out["options"] = [o.to_dict() for o in q.options]
        out["answer"] = list(q.answer)  # type: ignore[arg-type]
    return out


def _new_kind_from_dict(cls: type[Question], data: dict) -> Question:
    qtype = data["type"]
    answer = data["answer"]
    if qtype in ("multi", "matching"):
        answer = tuple(answer)
    elif qtype == "shortanswer" and isinstance(answer, dict):
        answer = Text.from_dict(answer)
    return cls(
        kind=data["kind"],
        type=qtype,
        key=data.get("key", ""),
        prompt=Text.from_dict(data["prompt"]),
        events=tuple(data.get("events", ())),
        about=tuple(data.get("about", ())),
        options=tuple(Text.from_dict(o) for o in data.get("options", ())),
        items=tuple(Text.from_dict(i) for i in data.get("items", ())),
        answer=answer,
        explanation=Text.from_dict(data["explanation"]) if data.get("explanation") else None,
        fractions=tuple(data.get("fractions", ())),
        answers=tuple(Accepted.from_dict(a) for a in data.get("answers", ())),
        case_sensitive=bool(data.get("case_sensitive", False)),
    )


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
    type: ClassVar[str] = "mcq"
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
