"""The bank: dated events, the facts they carry, and hand-written questions, in two languages.

Plain frozen dataclasses, built by the bank file reader (bankfile.py), the teacher's forms and the
database layer alike. Content is data with one field per language; it never goes through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .dates import PartialDate

LANGS: tuple[str, ...] = ("ar", "en")
FACT_KINDS: tuple[str, ...] = ("who", "where", "what", "how-many")
QUESTION_TYPES: tuple[str, ...] = ("mcq", "ordering")


@dataclass(frozen=True, slots=True)
class Text:
    """One text in Arabic and English."""

    ar: str
    en: str

    def get(self, lang: str) -> str:
        """The text in a language ("ar" or "en")."""
        return self.ar if lang == "ar" else self.en

    def to_dict(self) -> dict[str, str]:
        """{"ar": ..., "en": ...}."""
        return {"ar": self.ar, "en": self.en}

    @classmethod
    def from_dict(cls, data: dict) -> Text:
        """Build from {"ar": ..., "en": ...}."""
        return cls(ar=data["ar"], en=data["en"])

    def missing(self) -> list[str]:
        """The languages whose text is empty."""
        return [lang for lang in LANGS if not self.get(lang).strip()]


@dataclass(frozen=True, slots=True)
class Fact:
    """A question the event answers: who, where, what, or how many.

    who / where / what carry `answer` (a Text) and Text distractors; how-many carries `number`
    and `unit` and numeric distractors.
    """

    kind: Literal["who", "where", "what", "how-many"]
    question: Text
    answer: Text | None = None
    number: int | float | None = None
    unit: Text | None = None
    distractors: tuple[Text, ...] | tuple[int | float, ...] = ()

    def to_dict(self) -> dict:
        """The fact as plain data, in the bank file's shape."""
        out: dict = {"kind": self.kind, "question": self.question.to_dict()}
        if self.kind == "how-many":
            out["number"] = self.number
            if self.unit is not None:
                out["unit"] = self.unit.to_dict()
            if self.distractors:
                out["distractors"] = list(self.distractors)
        else:
            out["answer"] = self.answer.to_dict() if self.answer else None
            if self.distractors:
                out["distractors"] = [d.to_dict() for d in self.distractors]  # type: ignore[union-attr]
        return out


@dataclass(frozen=True, slots=True)
class Event:
    """A dated happening, with the source sentence it rests on."""

    id: str
    date: PartialDate
    title: Text
    evidence: str = ""
    description: Text | None = None
    note: Text | None = None
    actors: tuple[Text, ...] = ()
    places: tuple[Text, ...] = ()
    tags: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()

    def to_dict(self) -> dict:
        """The event as plain data, in the bank file's shape (optional fields left out)."""
        out: dict = {"id": self.id, "date": self.date.iso(), "title": self.title.to_dict()}
        if self.description:
            out["description"] = self.description.to_dict()
        if self.note:
            out["note"] = self.note.to_dict()
        out["actors"] = [a.to_dict() for a in self.actors]
        out["places"] = [p.to_dict() for p in self.places]
        out["evidence"] = self.evidence
        if self.tags:
            out["tags"] = list(self.tags)
        out["facts"] = [f.to_dict() for f in self.facts]
        return out


@dataclass(frozen=True, slots=True)
class AuthoredQuestion:
    """A question a teacher wrote by hand.

    mcq: `options` with `answer` the index of the right one. ordering: `items` in the right order.
    """

    id: str
    type: Literal["mcq", "ordering"]
    prompt: Text
    options: tuple[Text, ...] = ()
    answer: int | None = None
    items: tuple[Text, ...] = ()
    explanation: Text | None = None
    events: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The question as plain data, in the bank file's shape."""
        out: dict = {"id": self.id, "type": self.type, "prompt": self.prompt.to_dict()}
        if self.type == "mcq":
            out["options"] = [
                {"text": o.to_dict(), "correct": i == self.answer} for i, o in enumerate(self.options)
            ]
        else:
            out["items"] = [i.to_dict() for i in self.items]
        if self.explanation:
            out["explanation"] = self.explanation.to_dict()
        if self.events:
            out["events"] = list(self.events)
        return out


@dataclass(frozen=True, slots=True)
class Source:
    """Where the bank's events come from: a title, and the text itself when the bank keeps it."""

    title: Text
    file: str | None = None
    lang: str = "ar"
    text: str | None = None

    def to_dict(self) -> dict:
        """The source as plain data (the text stays in its own file)."""
        out: dict = {"title": self.title.to_dict(), "lang": self.lang}
        if self.file:
            out["file"] = self.file
        return out


@dataclass(frozen=True, slots=True)
class Bank:
    """A bank of events and hand-written questions."""

    slug: str
    title: Text
    description: Text | None = None
    source: Source | None = None
    events: tuple[Event, ...] = ()
    questions: tuple[AuthoredQuestion, ...] = ()
    _by_id: dict[str, Event] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({e.id: e for e in self.events})

    def event(self, event_id: str) -> Event:
        """The event with this id. :raise KeyError: when there is none."""
        return self._by_id[event_id]

    def to_dict(self) -> dict:
        """The bank as plain data: the JSON export contract and the bank file's shape."""
        out: dict = {"slug": self.slug, "title": self.title.to_dict()}
        if self.description:
            out["description"] = self.description.to_dict()
        if self.source:
            out["source"] = self.source.to_dict()
        out["events"] = [e.to_dict() for e in self.events]
        out["questions"] = [q.to_dict() for q in self.questions]
        return out
