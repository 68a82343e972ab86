"""The bank: dated events, the facts they carry, and hand-written questions, in two languages.

Plain frozen dataclasses, built by the bank file reader (bankfile.py), the teacher's forms and the
database layer alike. Content is data with one field per language; it never goes through gettext.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from .dates import EVER, Dating, PartialDate, Span

_T = TypeVar("_T")

LANGS: tuple[str, ...] = ("ar", "en")
FACT_KINDS: tuple[str, ...] = ("who", "where", "what", "how-many")
#: The types of hand-written (and generated) questions: Moodle's multichoice (single answer),
#: ordering, multichoice with several right answers ("multi"), truefalse, numerical, shortanswer and
#: match ("matching"). See AuthoredQuestion for the fields each uses.
QUESTION_TYPES: tuple[str, ...] = (
    "mcq",
    "ordering",
    "multi",
    "truefalse",
    "numerical",
    "shortanswer",
    "matching",
)


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
    """A dated happening, with the source sentence it rests on.

    `date` is the date as stated; `certainty` (with `margin` for "about", `end` for "between")
    says what it allows (see dates.Dating); `provenance` says whether it comes from the source
    ("source": the evidence quotes it) or from outside it ("outside": the note says from where).
    `after` names the events the narrative puts before this one, where their dates alone do not
    (the funeral after the death, both in August 1940).
    """

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
    certainty: str = "exact"
    margin: int | None = None
    end: PartialDate | None = None
    provenance: str = "source"
    after: tuple[str, ...] = ()
    #: The event's own "when?" question ("When did Trotsky arrive in Mexico?"); without it the
    #: question is built around the title.
    when: Text | None = None
    #: The evidence put into the bank's other language (English for an Arabic source), shown beside
    #: the quote on pages in that language; the quote itself stays the source's words.
    evidence_translation: str = ""

    @property
    def dating(self) -> Dating:
        """The stated date with its certainty."""
        margin = self.margin if isinstance(self.margin, int) and not isinstance(self.margin, bool) else 0
        return Dating(self.date, self.certainty, margin, self.end)

    def to_dict(self) -> dict:
        """The event as plain data, in the bank file's shape (optional fields left out)."""
        out: dict = {"id": self.id, "date": self.date.iso()}
        if self.certainty != "exact":
            out["certainty"] = self.certainty
        if self.margin is not None:
            out["margin"] = self.margin
        if self.end is not None:
            out["end"] = self.end.iso()
        if self.provenance != "source":
            out["provenance"] = self.provenance
        if self.after:
            out["after"] = list(self.after)
        out["title"] = self.title.to_dict()
        if self.when:
            out["when"] = self.when.to_dict()
        if self.description:
            out["description"] = self.description.to_dict()
        if self.note:
            out["note"] = self.note.to_dict()
        out["actors"] = [a.to_dict() for a in self.actors]
        out["places"] = [p.to_dict() for p in self.places]
        out["evidence"] = self.evidence
        if self.evidence_translation:
            out["evidence_translation"] = self.evidence_translation
        if self.tags:
            out["tags"] = list(self.tags)
        out["facts"] = [f.to_dict() for f in self.facts]
        return out


@dataclass(frozen=True, slots=True)
class Accepted:
    """One accepted answer of a numerical or short-answer question, with the credit it earns.

    numerical: `value` and `tolerance` (absolute: value ± tolerance is accepted, Moodle's nominal
    tolerance). shortanswer: `text`, matched in either language after normalisation (see
    answers.normalise); a `*` in it matches any run of characters, as in Moodle. `fraction` is the
    credit in [0, 1]; the first accepted answer that matches gives its credit (Moodle's rule).
    """

    fraction: float = 1.0
    text: Text | None = None
    value: int | float | None = None
    tolerance: int | float = 0
    feedback: Text | None = None

    def to_dict(self) -> dict:
        """{"value": 1937, "tolerance": 0, "fraction": 1.0} or {"text": {...}, "fraction": 1.0}."""
        out: dict = {}
        if self.text is not None:
            out["text"] = self.text.to_dict()
        if self.value is not None:
            out["value"] = self.value
            out["tolerance"] = self.tolerance
        out["fraction"] = self.fraction
        if self.feedback:
            out["feedback"] = self.feedback.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Accepted:
        """Read back what to_dict wrote."""
        return cls(
            fraction=data.get("fraction", 1.0),
            text=Text.from_dict(data["text"]) if data.get("text") is not None else None,
            value=data.get("value"),
            tolerance=data.get("tolerance", 0) or 0,
            feedback=Text.from_dict(data["feedback"]) if data.get("feedback") else None,
        )


@dataclass(frozen=True, slots=True)
class Pair:
    """One pair of a matching question: a stem (`left`) and its answer (`right`).

    A pair without a stem (left None) adds a wrong answer to choose from, as Moodle's match does
    with a subquestion whose text is empty.
    """

    left: Text | None
    right: Text

    def to_dict(self) -> dict:
        """{"left": {...}, "right": {...}}; no "left" for an extra wrong answer."""
        out: dict = {}
        if self.left is not None:
            out["left"] = self.left.to_dict()
        out["right"] = self.right.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Pair:
        """Read back what to_dict wrote."""
        left = data.get("left")
        return cls(left=Text.from_dict(left) if left else None, right=Text.from_dict(data["right"]))


@dataclass(frozen=True, slots=True)
class AuthoredQuestion:
    """A question a teacher wrote by hand.

    mcq: `options` with `answer` the index of the right one. ordering: `items` in the right order.
    multi: `options` with `fractions` aligned to them (Moodle's multi-answer: each in [-1, 1], the
    positive ones adding up to 1, negative ones penalties). truefalse: `prompt` is the statement,
    `correct` says whether it is true. numerical and shortanswer: `answers`, the accepted answers
    (Accepted) in the order they are tried; shortanswer compares case only with `case_sensitive`.
    matching: `pairs` (Pair), stems with their answers, in the order written.
    `tags` are free labels (Moodle's categories and tags land here).
    """

    id: str
    type: Literal["mcq", "ordering", "multi", "truefalse", "numerical", "shortanswer", "matching"]
    prompt: Text
    options: tuple[Text, ...] = ()
    answer: int | None = None
    items: tuple[Text, ...] = ()
    explanation: Text | None = None
    events: tuple[str, ...] = ()
    fractions: tuple[float, ...] = ()
    correct: bool | None = None
    answers: tuple[Accepted, ...] = ()
    case_sensitive: bool = False
    pairs: tuple[Pair, ...] = ()
    tags: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The question as plain data, in the bank file's shape."""
        out: dict = {"id": self.id, "type": self.type, "prompt": self.prompt.to_dict()}
        if self.type == "mcq":
            out["options"] = [
                {"text": o.to_dict(), "correct": i == self.answer} for i, o in enumerate(self.options)
            ]
        elif self.type == "multi":
            fractions = list(self.fractions) + [0.0] * (len(self.options) - len(self.fractions))
            out["options"] = [
                {"text": o.to_dict(), "fraction": f} for o, f in zip(self.options, fractions, strict=False)
            ]
        elif self.type == "truefalse":
            out["correct"] = self.correct
        elif self.type in ("numerical", "shortanswer"):
            out["answers"] = [a.to_dict() for a in self.answers]
            if self.type == "shortanswer" and self.case_sensitive:
                out["case_sensitive"] = True
        elif self.type == "matching":
            out["pairs"] = [p.to_dict() for p in self.pairs]
        else:
            out["items"] = [i.to_dict() for i in self.items]
        if self.explanation:
            out["explanation"] = self.explanation.to_dict()
        if self.events:
            out["events"] = list(self.events)
        if self.tags:
            out["tags"] = list(self.tags)
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
    #: Whether questions may use dates from outside the source (provenance "outside"); they then
    #: say so. Without it such an event is asked about only where the narrative places it.
    outside_dates: bool = False
    _by_id: dict[str, Event] = field(default_factory=dict, init=False, repr=False, compare=False)
    _memo: dict[str, object] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({e.id: e for e in self.events})

    def event(self, event_id: str) -> Event:
        """The event with this id. :raise KeyError: when there is none."""
        return self._by_id[event_id]

    @property
    def chronology(self) -> Chronology:
        """What each event's date allows and which events surely come before which (built once)."""
        return self.derived("chronology", Chronology)

    def derived(self, name: str, build: Callable[[Bank], _T]) -> _T:
        """What readers derive from the bank once (its chronology, the generators' timeline),
        kept with it for as long as it lives; a replace()d bank starts afresh."""
        found = self._memo.get(name)
        if found is None:
            found = self._memo[name] = build(self)
        return found  # type: ignore[return-value]

    def to_dict(self) -> dict:
        """The bank as plain data: the JSON export contract and the bank file's shape."""
        out: dict = {"slug": self.slug, "title": self.title.to_dict()}
        if self.description:
            out["description"] = self.description.to_dict()
        if self.source:
            out["source"] = self.source.to_dict()
        if self.outside_dates:
            out["outside_dates"] = True
        out["events"] = [e.to_dict() for e in self.events]
        out["questions"] = [q.to_dict() for q in self.questions]
        return out


#: How many events a search along `after` visits before it gives up (see Chronology.before).
CHAIN_LIMIT = 256


class Chronology:
    """The bank's events in time: each one's span, and which surely comes before which.

    An event's span is what its stated date allows (its certainty), or every day when the date
    may not be used (from outside the source, in a bank that does not allow such dates); the
    narrative then narrows it: an event `after` another starts no earlier than the other starts,
    and the other ends no later than it ends. A comes before B when A's span ends before B's
    begins, or when the narrative puts B after A (through any chain of `after`). An `after` that
    names no event, or closes a cycle, is ignored here (the validator reports it).
    """

    def __init__(self, bank: Bank) -> None:
        ids = {e.id for e in bank.events}
        self.usable: dict[str, bool] = {
            e.id: e.provenance != "outside" or bank.outside_dates for e in bank.events
        }
        #: The span each event's stated date allows (every day when the date is not usable).
        self.stated: dict[str, Span] = {
            e.id: e.dating.span if self.usable[e.id] else EVER for e in bank.events
        }
        self._after: dict[str, tuple[str, ...]] = {
            e.id: tuple(dict.fromkeys(p for p in e.after if p in ids and p != e.id)) for e in bank.events
        }
        #: Each cycle of `after` found: (event, the event it names that closes it, the loop's ids).
        self.cycles: list[tuple[str, str, list[str]]] = []
        #: Every event after those it follows (cycles broken).
        self.order = order = self._topological()
        self._later: dict[str, list[str]] = {i: [] for i in ids}
        for i in order:
            for p in self._after[i]:
                self._later[p].append(i)
        self.span: dict[str, Span] = dict(self.stated)
        for i in order:  # starts move forward along the narrative
            for p in self._after[i]:
                s = self.span[i]
                start = max(s.start, self.span[p].start)
                if start <= s.end:
                    self.span[i] = Span(start, s.end)
        for i in reversed(order):  # ends move back against it
            for p in self._after[i]:
                s = self.span[p]
                end = min(s.end, self.span[i].end)
                if end >= s.start:
                    self.span[p] = Span(s.start, end)

    def _topological(self) -> list[str]:
        """Event ids, each after those it follows; edges on a cycle are dropped."""
        state: dict[str, int] = {}
        order: list[str] = []
        for root in self._after:
            if root in state:
                continue
            stack = [(root, iter(self._after[root]))]
            state[root] = 1
            while stack:
                node, preds = stack[-1]
                for p in preds:
                    if state.get(p) == 1:  # a cycle: note it, and forget this edge
                        path = [n for n, _ in stack]
                        self.cycles.append((node, p, path[path.index(p) :] + [p]))
                        self._after[node] = tuple(x for x in self._after[node] if x != p)
                    elif p not in state:
                        state[p] = 1
                        stack.append((p, iter(self._after[p])))
                        break
                else:
                    stack.pop()
                    state[node] = 2
                    order.append(node)
        return order

    def follows(self, event_id: str) -> tuple[str, ...]:
        """The events this one comes right after, as its `after` names them (known, no cycle)."""
        return self._after.get(event_id, ())

    def followed_by(self, event_id: str) -> tuple[str, ...]:
        """The events that name this one in their `after`."""
        return tuple(self._later.get(event_id, ()))

    def before(self, a: str, b: str) -> bool:
        """True when event `a` surely comes before event `b`: its span ends before b's begins, or
        a chain of `after` leads from a to b (looked for only where the spans allow it, and at most
        CHAIN_LIMIT events deep: a longer chain counts as no order, never a false one)."""
        sa, sb = self.span[a], self.span[b]
        if sa.before(sb):
            return True
        if sb.start < sa.start or sb.end < sa.end:  # narrowed spans: b cannot follow a
            return False
        seen: set[str] = set()
        todo = [a]
        while todo and len(seen) < CHAIN_LIMIT:
            for n in self._later[todo.pop()]:
                if n == b:
                    return True
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return False

    def ordered(self, a: str, b: str) -> bool:
        """True when one of the two surely comes before the other."""
        return self.before(a, b) or self.before(b, a)
