"""The bank file's YAML, read node by node into a Bank (`Reader`): unknown, missing and mistyped
fields, dates and numbers, each problem at its line; then the rules on a Bank (validate.py), their
problems mapped to lines through the nodes walked. bankfile.py composes the nodes, safely, and
calls it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import PurePosixPath, PureWindowsPath

from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..bank import Accepted, AuthoredQuestion, Bank, Event, Fact, Pair, Source, Text
from ..dates import PartialDate
from ..messages import N_, Choices, Message
from ..problems import LANG_NAMES, WHERE_ROOT, Problem
from ..validate import closest

#: A source text bigger than this is not read.
MAX_SOURCE_BYTES = 8 * 1024 * 1024

#: Reads a source text by the name a bank file gives it.
SourceLoader = Callable[[str], str]

YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


def _describe(node: Node) -> Message:
    """What a node is, as "expected X, got Y" names it."""
    if isinstance(node, MappingNode):
        return Message(N_("a mapping"))
    if isinstance(node, SequenceNode):
        return Message(N_("a list"))
    tag = node.tag.removeprefix(YAML_TAG)
    if tag == "null":
        return Message(N_("nothing"))
    if tag == "bool":
        return Message(N_("true/false (%(value)s)"), {"value": node.value})
    if tag in ("int", "float"):
        return Message(N_("a number (%(value)s)"), {"value": node.value})
    return Message(N_('a string ("%(value)s")'), {"value": _short(node.value)})


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _not_a_date(text: str) -> tuple[str, dict[str, object]]:
    """Why PartialDate.parse refused a text, as (template, params): its own checks, in words a
    catalog can translate (its ValueError speaks English only)."""
    m = _DATE.match(text.strip())
    if not m:
        return N_('"%(value)s" is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)'), {"value": text}
    year, month, day = (int(g) if g else None for g in m.groups())
    assert year is not None
    if year < 1:
        return N_('"%(value)s" is not a date: year %(year)s is out of range'), {"value": text, "year": year}
    if month is not None and not 1 <= month <= 12:
        return N_('"%(value)s" is not a date: month %(month)s is not between 1 and 12'), {
            "value": text,
            "month": month,
        }
    if day is None:  # parse refused it for a reason of its own: say what a date looks like
        return N_('"%(value)s" is not a date (write YYYY, YYYY-MM or YYYY-MM-DD)'), {"value": text}
    return N_('"%(value)s" is not a date: day %(day)s is not in %(month)s'), {
        "value": text,
        "day": day,
        "month": f"{year}-{month:02d}",
    }


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parent(where: str) -> str:
    if where.endswith("]"):
        return where[: where.rindex("[")]
    return where[: where.rindex(".")] if "." in where else ""


_TEXT = {"ar": True, "en": True}
_ROOT = {
    "slug": True,
    "title": True,
    "description": False,
    "source": False,
    "outside_dates": False,
    "events": False,
    "questions": False,
}
_SOURCE = {"title": True, "file": False, "lang": False}
_EVENT = {
    "id": True,
    "date": True,
    "certainty": False,
    "margin": False,
    "end": False,
    "provenance": False,
    "after": False,
    "title": True,
    "when": False,
    "description": False,
    "note": False,
    "actors": False,
    "places": False,
    "evidence": False,
    "evidence_translation": False,
    "tags": False,
    "facts": False,
}
_FACT = {
    "kind": True,
    "question": True,
    "answer": False,
    "number": False,
    "unit": False,
    "distractors": False,
}
_QUESTION = {
    "id": True,
    "type": True,
    "prompt": True,
    "options": False,
    "items": False,
    "explanation": False,
    "events": False,
    "correct": False,
    "answers": False,
    "case_sensitive": False,
    "pairs": False,
    "tags": False,
}
OPTION_FIELDS = {"text": True, "correct": False}
#: An option as read: mcq options say `correct`, multi options their `fraction` (in [-1, 1]).
_OPTION = {"text": True, "correct": False, "fraction": False}
_ACCEPTED = {"text": False, "value": False, "tolerance": False, "fraction": False, "feedback": False}
_PAIR = {"left": False, "right": True}
_NO_TEXT = Text("", "")


class Reader:
    """Walks a bank's node graph into a Bank, noting problems and the line of every `where`."""

    def __init__(self, path: str, source_loader: SourceLoader) -> None:
        self.path = path
        self.source_loader = source_loader
        self.problems: list[Problem] = []
        self.lines: dict[str, int] = {}
        # wheres whose value was unusable and replaced by a placeholder: the content rules say
        # nothing more about them (a missing "en" is not also an empty one).
        self.broken: set[str] = set()
        # wheres (exact) whose content problem would only echo one already reported.
        self.muted: set[str] = set()

    # - bookkeeping

    def fail(
        self, where: str, node: Node | None, template: str, *, broken: bool = True, **params: object
    ) -> None:
        line = node.start_mark.line + 1 if node is not None else self.line_of(where)
        self.problems.append(Problem(self.path, line, where or WHERE_ROOT, template, params))
        if broken:
            self.broken.add(where)

    def line_of(self, where: str) -> int:
        """The line of a where-path, or of its nearest ancestor the file has."""
        while where not in self.lines:
            if not where:
                return 1
            where = _parent(where)
        return self.lines[where]

    def is_broken(self, where: str) -> bool:
        """True when the where-path or an ancestor was already reported unusable."""
        while where not in self.broken:
            if not where:
                return False
            where = _parent(where)
        return True

    # - shapes

    def tag_ok(self, node: Node, where: str) -> bool:
        allowed = (
            _SCALAR_TAGS
            if isinstance(node, ScalarNode)
            else {YAML_TAG + ("map" if isinstance(node, MappingNode) else "seq")}
        )
        if node.tag not in allowed:
            tag = node.tag.replace(YAML_TAG, "!!")
            self.fail(where, node, N_('the YAML tag "%(tag)s" is not allowed in a bank file'), tag=tag)
            return False
        return True

    def mapping(
        self,
        node: Node,
        where: str,
        spec: dict[str, bool],
        expected: str = N_("expected a mapping, got %(got)s"),
    ) -> dict[str, Node] | None:
        """The mapping's values by key, after checking its keys against `spec` (name: required).

        `expected` is the message when the node is no mapping ("expected ..., got %(got)s").
        """
        if not isinstance(node, MappingNode):
            self.fail(where, node, expected, got=_describe(node))
            return None
        if not self.tag_ok(node, where):
            return None
        out: dict[str, Node] = {}
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.fail(where, key, N_("a key must be a plain name"))
                continue
            name, sub = key.value, f"{where}.{key.value}" if where else key.value
            if name in out:
                first = self.lines.get(sub)
                self.fail(
                    sub,
                    key,
                    N_('"%(name)s" is given twice (first on line %(first)s)'),
                    name=name,
                    first=first,
                )
            elif name not in spec:
                if close := closest(name, list(spec)):
                    template = N_('unknown field "%(name)s" (did you mean "%(close)s"?)')
                    self.fail(sub, key, template, name=name, close=close)
                else:
                    allowed = Choices(tuple(spec), style="standard-narrow")
                    template = N_('unknown field "%(name)s" (allowed: %(allowed)s)')
                    self.fail(sub, key, template, name=name, allowed=allowed)
            else:
                self.lines[sub] = key.start_mark.line + 1
                out[name] = value
        for name, required in spec.items():
            if required and name not in out:
                sub = f"{where}.{name}" if where else name
                if spec is _TEXT:
                    self.fail(sub, None, N_("the %(language)s text is missing"), language=LANG_NAMES[name])
                else:
                    self.fail(sub, None, N_("is required but missing"))
        return out

    def sequence(self, node: Node | None, where: str) -> list[tuple[str, Node]]:
        """The items of a list with their where-paths; nothing (`facts:`) is an empty list."""
        if node is None or (isinstance(node, ScalarNode) and node.tag == YAML_TAG + "null"):
            return []
        if not isinstance(node, SequenceNode):
            self.fail(where, node, N_("expected a list, got %(got)s"), got=_describe(node))
            return []
        if not self.tag_ok(node, where):
            return []
        items = []
        for i, item in enumerate(node.value):
            self.lines[f"{where}[{i}]"] = item.start_mark.line + 1
            items.append((f"{where}[{i}]", item))
        return items

    def string(self, node: Node | None, where: str) -> str:
        """A scalar's text as written (`en: 1917` is "1917"); nothing is ""."""
        if node is None:
            return ""
        if not isinstance(node, ScalarNode):
            self.fail(where, node, N_("expected a string, got %(got)s"), got=_describe(node))
            return ""
        if not self.tag_ok(node, where):
            return ""
        return "" if node.tag == YAML_TAG + "null" else node.value

    def number(self, node: Node, where: str) -> int | float | None:
        """An int or float, written without quotes."""
        if not self.tag_ok(node, where):
            return None
        if isinstance(node, ScalarNode) and node.tag in (YAML_TAG + "int", YAML_TAG + "float"):
            constructor = SafeConstructor()
            value = (
                constructor.construct_yaml_int(node)
                if node.tag == YAML_TAG + "int"
                else constructor.construct_yaml_float(node)
            )
            if math.isfinite(value):
                return value
            self.fail(where, node, N_("%(value)s is not a finite number"), value=node.value)
            return None
        if isinstance(node, ScalarNode) and node.style:
            self.fail(
                where,
                node,
                N_("expected a number, got %(got)s; write it without quotes"),
                got=_describe(node),
            )
        else:
            self.fail(where, node, N_("expected a number, got %(got)s"), got=_describe(node))
        return None

    def boolean(self, node: Node, where: str) -> bool | None:
        """true or false; None when it is neither."""
        if not self.tag_ok(node, where):
            return None
        if isinstance(node, ScalarNode) and node.tag == YAML_TAG + "bool":
            return bool(SafeConstructor().construct_yaml_bool(node))
        self.fail(where, node, N_("expected true or false, got %(got)s"), got=_describe(node))
        return None

    def text(self, node: Node | None, where: str) -> Text:
        """{ar: ..., en: ...}."""
        if node is None:
            return _NO_TEXT
        fields = self.mapping(node, where, _TEXT, expected=N_("expected {ar: ..., en: ...}, got %(got)s"))
        if fields is None:
            return _NO_TEXT
        return Text(
            ar=self.string(fields.get("ar"), f"{where}.ar"), en=self.string(fields.get("en"), f"{where}.en")
        )

    def optional_text(self, node: Node | None, where: str) -> Text | None:
        return None if node is None else self.text(node, where)

    def texts(self, node: Node | None, where: str) -> tuple[Text, ...]:
        return tuple(self.text(item, w) for w, item in self.sequence(node, where))

    def strings(self, node: Node | None, where: str) -> tuple[str, ...]:
        return tuple(self.string(item, w) for w, item in self.sequence(node, where))

    def date(self, node: Node, where: str) -> PartialDate:
        # The text as written: an unquoted 1940-08-21 resolves to a timestamp, 1917 to an int.
        if isinstance(node, ScalarNode):
            text = self.string(node, where)
            try:
                return PartialDate.parse(text)
            except ValueError:
                template, params = _not_a_date(text)
                self.fail(where, node, template, **params)
        else:
            self.fail(
                where, node, N_('expected a date such as "1940-08-21", got %(got)s'), got=_describe(node)
            )
        return PartialDate(1)

    # - the bank

    def bank(self, root: Node) -> Bank:
        self.lines[""] = root.start_mark.line + 1
        f = self.mapping(
            root,
            "",
            _ROOT,
            expected=N_("expected a mapping (slug: ..., title: ..., events: ...), got %(got)s"),
        )
        if f is None:
            self.broken.add("")
            return Bank(slug="", title=_NO_TEXT)
        return Bank(
            slug=self.string(f.get("slug"), "slug"),
            title=self.text(f.get("title"), "title"),
            description=self.optional_text(f.get("description"), "description"),
            source=self.source(f["source"], "source") if "source" in f else None,
            outside_dates="outside_dates" in f and bool(self.boolean(f["outside_dates"], "outside_dates")),
            events=tuple(self.event(item, w) for w, item in self.sequence(f.get("events"), "events")),
            questions=tuple(
                self.question(item, w) for w, item in self.sequence(f.get("questions"), "questions")
            ),
        )

    def source(self, node: Node, where: str) -> Source:
        f = self.mapping(node, where, _SOURCE)
        if f is None:
            return Source(title=_NO_TEXT)
        file = self.string(f["file"], f"{where}.file") if "file" in f else None
        text = self.source_text(file, f["file"], f"{where}.file") if file else None
        return Source(
            title=self.text(f.get("title"), f"{where}.title"),
            file=file,
            lang=self.string(f["lang"], f"{where}.lang") if "lang" in f else "ar",
            text=text,
        )

    def source_text(self, file: str, node: Node, where: str) -> str | None:
        # The file is named by a bank that may come from a stranger: never read outside its folder.
        if any(p.is_absolute() or ".." in p.parts for p in (PurePosixPath(file), PureWindowsPath(file))):
            self.fail(
                where, node, N_('"%(file)s" must be a relative path inside the bank\'s folder'), file=file
            )
            return None
        try:
            return self.source_loader(file)
        except FileNotFoundError as err:
            if err.filename:
                template = N_('source file "%(file)s" not found (looked for %(looked)s)')
                self.fail(where, node, template, file=file, looked=err.filename)
            else:
                self.fail(where, node, N_('source file "%(file)s" not found'), file=file)
        except UnicodeDecodeError:
            self.fail(where, node, N_('source file "%(file)s" is not UTF-8 text'), file=file)
        except OSError as err:
            detail = err.strerror or str(err)  # the system's words: English, in a translated frame
            self.fail(
                where, node, N_('source file "%(file)s" cannot be read: %(detail)s'), file=file, detail=detail
            )
        except ValueError as err:
            # A loader may say why in a Message (ours: the size limit), else in plain words.
            detail = err.args[0] if err.args and isinstance(err.args[0], Message) else str(err)
            self.fail(where, node, N_('source file "%(file)s": %(detail)s'), file=file, detail=detail)
        return None

    def event(self, node: Node, w: str) -> Event:
        f = self.mapping(node, w, _EVENT)
        if f is None:
            return Event(id="", date=PartialDate(1), title=_NO_TEXT)
        return Event(
            id=self.string(f.get("id"), f"{w}.id"),
            date=self.date(f["date"], f"{w}.date") if "date" in f else PartialDate(1),
            certainty=self.string(f["certainty"], f"{w}.certainty") if "certainty" in f else "exact",
            margin=self.number(f["margin"], f"{w}.margin") if "margin" in f else None,  # type: ignore[arg-type]
            end=self.date(f["end"], f"{w}.end") if "end" in f else None,
            provenance=self.string(f["provenance"], f"{w}.provenance") if "provenance" in f else "source",
            after=self.strings(f.get("after"), f"{w}.after"),
            title=self.text(f.get("title"), f"{w}.title"),
            when=self.optional_text(f.get("when"), f"{w}.when"),
            description=self.optional_text(f.get("description"), f"{w}.description"),
            note=self.optional_text(f.get("note"), f"{w}.note"),
            actors=self.texts(f.get("actors"), f"{w}.actors"),
            places=self.texts(f.get("places"), f"{w}.places"),
            evidence=self.string(f.get("evidence"), f"{w}.evidence"),
            evidence_translation=self.string(f.get("evidence_translation"), f"{w}.evidence_translation"),
            tags=self.strings(f.get("tags"), f"{w}.tags"),
            facts=tuple(self.fact(item, fw) for fw, item in self.sequence(f.get("facts"), f"{w}.facts")),
        )

    def fact(self, node: Node, w: str) -> Fact:
        f = self.mapping(node, w, _FACT)
        if f is None:
            return Fact(kind="what", question=_NO_TEXT, answer=_NO_TEXT)
        kind = self.string(f.get("kind"), f"{w}.kind")
        distractors: list = []
        for dw, item in self.sequence(f.get("distractors"), f"{w}.distractors"):
            # Read by shape; whether the shape suits the kind is a content rule (validate_bank).
            if isinstance(item, MappingNode):
                distractors.append(self.text(item, dw))
            elif kind == "how-many" or (isinstance(item, ScalarNode) and item.tag in _NUMBER_TAGS):
                if (value := self.number(item, dw)) is not None:
                    distractors.append(value)
            else:
                self.fail(dw, item, N_("expected {ar: ..., en: ...}, got %(got)s"), got=_describe(item))
        return Fact(
            kind=kind,  # type: ignore[arg-type]
            question=self.text(f.get("question"), f"{w}.question"),
            answer=self.optional_text(f.get("answer"), f"{w}.answer"),
            number=self.number(f["number"], f"{w}.number") if "number" in f else None,
            unit=self.optional_text(f.get("unit"), f"{w}.unit"),
            distractors=tuple(distractors),
        )

    def question(self, node: Node, w: str) -> AuthoredQuestion:
        f = self.mapping(node, w, _QUESTION)
        if f is None:
            return AuthoredQuestion(id="", type="ordering", prompt=_NO_TEXT, items=(_NO_TEXT, _NO_TEXT))
        qtype = self.string(f.get("type"), f"{w}.type")
        options: list[Text] = []
        fractions: list[float] = []
        correct: list[int] = []
        for ow, item in self.sequence(f.get("options"), f"{w}.options"):
            o = self.mapping(
                item,
                ow,
                _OPTION,
                expected=N_("expected an option {text: {ar: ..., en: ...}, correct: true}, got %(got)s"),
            )
            options.append(self.text(o.get("text"), f"{ow}.text") if o else _NO_TEXT)
            fraction = self.number(o["fraction"], f"{ow}.fraction") if o and "fraction" in o else None
            fractions.append(float(fraction) if fraction is not None else 0.0)
            flag = self.boolean(o["correct"], f"{ow}.correct") if o and "correct" in o else False
            if flag:
                correct.append(len(options) - 1)
            elif flag is None:  # unreadable: "no option is marked correct" would only echo it
                self.muted.add(f"{w}.options")
        if len(correct) > 1 and qtype != "multi":
            self.fail(
                f"{w}.options",
                None,
                N_("%(count)s options are marked correct (%(marked)s): mark exactly one"),
                broken=False,
                count=len(correct),
                marked=Choices(tuple(f"options[{i}]" for i in correct), style="standard-narrow"),
            )
        if qtype == "multi" and correct and not any(fractions):
            # `correct: true` on several options of a multi question: equal shares of the credit.
            fractions = [1 / len(correct) if i in correct else 0.0 for i in range(len(options))]
        truth = self.boolean(f["correct"], f"{w}.correct") if "correct" in f else None
        case = self.boolean(f["case_sensitive"], f"{w}.case_sensitive") if "case_sensitive" in f else None
        return AuthoredQuestion(
            id=self.string(f.get("id"), f"{w}.id"),
            type=qtype,  # type: ignore[arg-type]
            prompt=self.text(f.get("prompt"), f"{w}.prompt"),
            options=tuple(options),
            answer=correct[0] if correct and qtype != "multi" else None,
            items=self.texts(f.get("items"), f"{w}.items"),
            explanation=self.optional_text(f.get("explanation"), f"{w}.explanation"),
            events=self.strings(f.get("events"), f"{w}.events"),
            fractions=tuple(fractions) if qtype == "multi" else (),
            correct=truth,
            answers=tuple(
                self.accepted(item, aw) for aw, item in self.sequence(f.get("answers"), f"{w}.answers")
            ),
            case_sensitive=bool(case),
            pairs=tuple(self.pair(item, pw) for pw, item in self.sequence(f.get("pairs"), f"{w}.pairs")),
            tags=self.strings(f.get("tags"), f"{w}.tags"),
        )

    def accepted(self, node: Node, w: str) -> Accepted:
        f = self.mapping(node, w, _ACCEPTED)
        if f is None:
            return Accepted(text=_NO_TEXT)
        value = self.number(f["value"], f"{w}.value") if "value" in f else None
        tolerance = self.number(f["tolerance"], f"{w}.tolerance") if "tolerance" in f else 0
        fraction = self.number(f["fraction"], f"{w}.fraction") if "fraction" in f else 1.0
        return Accepted(
            fraction=float(fraction) if fraction is not None else 0.0,
            text=self.optional_text(f.get("text"), f"{w}.text"),
            value=value,
            tolerance=tolerance if tolerance is not None else 0,
            feedback=self.optional_text(f.get("feedback"), f"{w}.feedback"),
        )

    def pair(self, node: Node, w: str) -> Pair:
        f = self.mapping(node, w, _PAIR)
        if f is None:
            return Pair(left=_NO_TEXT, right=_NO_TEXT)
        return Pair(
            left=self.optional_text(f.get("left"), f"{w}.left"), right=self.text(f.get("right"), f"{w}.right")
        )


_NUMBER_TAGS = {YAML_TAG + "int", YAML_TAG + "float"}
