"""Bank files: read, validate and write the YAML format documented in questions/README.md.

Problems come as `path:line: where: message`, all of them in one pass. Each message is an English
msgid marked N_ with its parameters apart (messages.py), so the web layer shows it in the teacher's
language while the command line prints the English (problems.py). The rules about content
(ids, one right answer, evidence found in the source, ...) live in `validate_bank` (validate.py),
which needs only a Bank, so the teacher's forms reuse it; the file reader adds the rules about the
file (YAML syntax, unknown, missing and mistyped fields, dates, numbers) and maps every problem's
`where` (`events[3].date`) to a line through the YAML nodes it walked.

Bank files may come from strangers (an import form), so the reader refuses at once a file that is
too big, too deep, or uses anchors and aliases, and never builds Python objects through a YAML
constructor: it reads the composed node graph itself.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path, PurePosixPath, PureWindowsPath

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..bank import LANGS, AuthoredQuestion, Bank, Event, Fact, Source, Text
from ..dates import PartialDate
from ..limits import MAX_BANK_BYTES
from ..messages import N_, Choices, Message
from ..problems import LANG_NAMES, WHERE_FILE, WHERE_ROOT, WHERE_YAML, BankFileError, Problem
from ..validate import closest, validate_bank

#: A source text bigger than this is not read.
MAX_SOURCE_BYTES = 8 * 1024 * 1024
#: The format nests 8 levels deep (events > facts > distractors > ar); deeper is hostile or a mistake.
MAX_DEPTH = 20


SourceLoader = Callable[[str], str]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


# --- reading the file ------------------------------------------------------------------------------


class _Refused(Exception):
    """The YAML is refused before it becomes a node graph."""

    def __init__(self, line: int, template: str, **params: object) -> None:
        super().__init__(template)
        self.line = line
        self.template = template
        self.params = params


# libyaml when present: it composes a big bank ~7x faster than the pure-Python loader.
_YAMLLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENERS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSERS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _guard(text: str) -> None:
    """Refuse anchors, aliases and deep nesting from the event stream, before any node exists.

    An alias makes the node graph share subtrees that any walk expands exponentially ("billion
    laughs"), and the composer recurses once per level: both are stopped here, at no cost.
    :raise _Refused: at the first offending event.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_YAMLLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(
                event.start_mark.line + 1,
                N_("anchors and aliases (&name, *name) are not allowed in a bank file: refused"),
            )
        if isinstance(event, _OPENERS):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(
                    event.start_mark.line + 1,
                    N_("nested more than %(depth)s levels deep: refused"),
                    depth=MAX_DEPTH,
                )
        elif isinstance(event, _CLOSERS):
            depth -= 1


def _compose(text: str, path: str) -> tuple[Node | None, list[Problem]]:
    """The YAML node graph of a bank file, or the problem that stopped it."""
    size = len(text.encode("utf-8", "surrogatepass")) if len(text) <= MAX_BANK_BYTES else len(text)
    if size > MAX_BANK_BYTES:
        return None, [too_big(path, size)]
    try:
        _guard(text)
        root = yaml.compose(text, Loader=_YAMLLoader)
    except _Refused as err:
        return None, [Problem(path, err.line, WHERE_YAML, err.template, err.params)]
    # PyYAML's own words stay English, in a translated frame: they quote the file's syntax.
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        what = ", ".join(str(p) for p in (err.context, err.problem) if p)
        line = mark.line + 1 if mark else 1
        return None, [Problem(path, line, WHERE_YAML, N_("YAML syntax error: %(detail)s"), {"detail": what})]
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        detail = {"detail": err.reason}
        return None, [Problem(path, line, WHERE_YAML, N_("not readable as YAML: %(detail)s"), detail)]
    except yaml.YAMLError as err:  # no mark: rare, but never let it escape as a crash
        return None, [Problem(path, 1, WHERE_YAML, N_("YAML error: %(detail)s"), {"detail": str(err)})]
    if root is None:
        return None, [Problem(path, 1, WHERE_FILE, N_("the file is empty"))]
    return root, []


def too_big(path: str, size: int) -> Problem:
    """The problem of a file over MAX_BANK_BYTES, refused before it is read."""
    return Problem(
        path,
        1,
        WHERE_FILE,
        N_("the file is %(size)s bytes, over the limit of %(limit)s: refused without reading it"),
        {"size": f"{size:,}", "limit": f"{MAX_BANK_BYTES:,}"},
    )


def _describe(node: Node) -> Message:
    """What a node is, as "expected X, got Y" names it."""
    if isinstance(node, MappingNode):
        return Message(N_("a mapping"))
    if isinstance(node, SequenceNode):
        return Message(N_("a list"))
    tag = node.tag.removeprefix(_TAG)
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
}
_OPTION = {"text": True, "correct": False}
_NO_TEXT = Text("", "")


class _Reader:
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
            else {_TAG + ("map" if isinstance(node, MappingNode) else "seq")}
        )
        if node.tag not in allowed:
            tag = node.tag.replace(_TAG, "!!")
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
        if node is None or (isinstance(node, ScalarNode) and node.tag == _TAG + "null"):
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
        return "" if node.tag == _TAG + "null" else node.value

    def number(self, node: Node, where: str) -> int | float | None:
        """An int or float, written without quotes."""
        if not self.tag_ok(node, where):
            return None
        if isinstance(node, ScalarNode) and node.tag in (_TAG + "int", _TAG + "float"):
            constructor = SafeConstructor()
            value = (
                constructor.construct_yaml_int(node)
                if node.tag == _TAG + "int"
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
        if isinstance(node, ScalarNode) and node.tag == _TAG + "bool":
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
        options: list[Text] = []
        correct: list[int] = []
        for ow, item in self.sequence(f.get("options"), f"{w}.options"):
            o = self.mapping(
                item,
                ow,
                _OPTION,
                expected=N_("expected an option {text: {ar: ..., en: ...}, correct: true}, got %(got)s"),
            )
            options.append(self.text(o.get("text"), f"{ow}.text") if o else _NO_TEXT)
            flag = self.boolean(o["correct"], f"{ow}.correct") if o and "correct" in o else False
            if flag:
                correct.append(len(options) - 1)
            elif flag is None:  # unreadable: "no option is marked correct" would only echo it
                self.muted.add(f"{w}.options")
        if len(correct) > 1:
            self.fail(
                f"{w}.options",
                None,
                N_("%(count)s options are marked correct (%(marked)s): mark exactly one"),
                broken=False,
                count=len(correct),
                marked=Choices(tuple(f"options[{i}]" for i in correct), style="standard-narrow"),
            )
        return AuthoredQuestion(
            id=self.string(f.get("id"), f"{w}.id"),
            type=self.string(f.get("type"), f"{w}.type"),  # type: ignore[arg-type]
            prompt=self.text(f.get("prompt"), f"{w}.prompt"),
            options=tuple(options),
            answer=correct[0] if correct else None,
            items=self.texts(f.get("items"), f"{w}.items"),
            explanation=self.optional_text(f.get("explanation"), f"{w}.explanation"),
            events=self.strings(f.get("events"), f"{w}.events"),
        )


_NUMBER_TAGS = {_TAG + "int", _TAG + "float"}


def _read(text: str, path: str, source_loader: SourceLoader | None) -> tuple[Bank | None, list[Problem]]:
    """A bank and every problem found in its text; the bank is a best effort when there are any."""
    root, problems = _compose(text, path)
    if root is None:
        return None, problems
    return _read_root(root, path, source_loader)


def _read_root(
    root: Node, path: str, source_loader: SourceLoader | None, rules: bool = True
) -> tuple[Bank, list[Problem]]:
    """The bank of a node graph, and every problem found in it (with `rules`, validate_bank's too)."""
    reader = _Reader(path, source_loader or _file_loader(Path(path).parent))
    bank = reader.bank(root)
    problems = reader.problems + [
        replace(p, path=path, line=reader.line_of(p.where))
        for p in (validate_bank(bank) if rules else ())
        if not reader.is_broken(p.where) and p.where not in reader.muted
    ]
    problems.sort(key=lambda p: p.line or 0)  # stable: the order of the walk within a line
    return bank, problems


def _file_loader(folder: Path) -> SourceLoader:
    """Reads a source text relative to the bank file's folder."""

    def load(name: str) -> str:
        target = folder / name
        if target.stat().st_size > MAX_SOURCE_BYTES:
            limit = f"{MAX_SOURCE_BYTES:,}"
            raise ValueError(Message(N_("over the limit of %(limit)s bytes"), {"limit": limit}))
        return target.read_text(encoding="utf-8-sig")

    return load


def _read_file(path: str | Path) -> tuple[Bank | None, list[Problem]]:
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BANK_BYTES:  # refused before a byte of it is read
            return None, [too_big(name, size)]
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return None, [Problem(name, 1, WHERE_FILE, N_("no such file"))]
    except OSError as err:
        detail = {"detail": err.strerror or str(err)}
        return None, [Problem(name, 1, WHERE_FILE, N_("cannot be read: %(detail)s"), detail)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return None, [Problem(name, line, WHERE_FILE, N_("not UTF-8 text"))]
    return _read(text, name, None)


def parse_bank(text: str, path: str = "<string>", source_loader: SourceLoader | None = None) -> Bank:
    """Read a bank from YAML text; the source file is read relative to `path`'s folder unless
    `source_loader(file) -> text` is given. :raise BankFileError: with every problem found."""
    bank, problems = _read(text, path, source_loader)
    if problems or bank is None:
        raise BankFileError(problems)
    return bank


def read_stored(data: dict, path: str, source_loader: SourceLoader) -> Bank:
    """Read back a bank the site keeps: `data` is its document (Bank.to_dict, as stored).

    The same reader as a bank file's, but no file and no rules: the document was checked against
    the rules and the limits on its way in, and is read back whatever its size and whatever rules
    came since (limits.py: a bank stored before a limit was lowered, or a rule added, still
    opens). Its nodes are built straight from the data, without the text of a YAML parser (a
    third of the time). :raise BankFileError: when the document is not a bank at all.
    """
    bank, problems = _read_root(_node(data), path, source_loader, rules=False)
    if problems:
        raise BankFileError(problems)
    return bank


_NOWHERE = yaml.Mark(name="stored", index=0, line=0, column=0, buffer=None, pointer=None)


def _node(data: object, keys: dict[str, ScalarNode] | None = None) -> Node:
    """The node graph the YAML composer builds from the JSON of `data`, built directly (a key's
    node is made once and shared: the reader never changes a node)."""
    m = _NOWHERE
    keys = {} if keys is None else keys
    if isinstance(data, dict):
        pairs = []
        for k, v in data.items():
            key = keys.get(k)
            if key is None:
                key = keys[k] = ScalarNode(_TAG + "str", str(k), m, m, '"')
            pairs.append((key, _node(v, keys)))
        return MappingNode(_TAG + "map", pairs, m, m)
    if isinstance(data, list):
        return SequenceNode(_TAG + "seq", [_node(v, keys) for v in data], m, m)
    if data is None:
        return ScalarNode(_TAG + "null", "null", m, m)
    if isinstance(data, bool):
        return ScalarNode(_TAG + "bool", "true" if data else "false", m, m)
    if isinstance(data, int):
        return ScalarNode(_TAG + "int", str(data), m, m)
    if isinstance(data, float):
        return ScalarNode(_TAG + "float", repr(data), m, m)
    return ScalarNode(_TAG + "str", str(data), m, m, '"')


def load_bank(path: str | Path) -> Bank:
    """Read a bank file. :raise BankFileError: with every problem found."""
    bank, problems = _read_file(path)
    if problems or bank is None:
        raise BankFileError(problems)
    return bank


def validate_file(path: str | Path) -> list[Problem]:
    """Every problem of a bank file, in line order; empty when the bank is valid."""
    return _read_file(path)[1]


def bank_files(path: str | Path) -> list[Path]:
    """The bank files a path names: itself, or every *.yaml in a folder."""
    p = Path(path)
    return sorted(p.glob("*.yaml")) if p.is_dir() else [p]


def read_slug(path: str | Path) -> str | None:
    """The slug a bank file declares, read cheaply (no validation); None when it has none."""
    try:
        if Path(path).stat().st_size > MAX_BANK_BYTES:
            return None
        root, _ = _compose(Path(path).read_text(encoding="utf-8-sig"), str(path))
    except (OSError, UnicodeDecodeError):
        return None
    if not isinstance(root, MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == "slug" and isinstance(value, ScalarNode):
            return value.value
    return None


def find_bank_file(folder: str | Path, slug: str) -> Path | None:
    """The bank file in a folder whose slug is `slug` (`<slug>.yaml` is tried first)."""
    files = bank_files(folder) if Path(folder).is_dir() else []
    files.sort(key=lambda p: p.stem != slug)
    return next((p for p in files if read_slug(p) == slug), None)


# --- writing ---------------------------------------------------------------------------------------


class _FlowDict(dict):
    """A mapping written on one line, as bank files write {ar: ..., en: ...}."""


class _FlowList(list):
    """A list written on one line, as bank files write [3, 5, 10]."""


class _Dumper(yaml.SafeDumper):
    """Indents a list under its key, as questions/README.md does."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # PyYAML writes NEL (U+0085) raw inside a quoted scalar and reads it back folded into a space;
    # double quotes escape it (and the Unicode line and paragraph separators) as \N, \L, \P.
    style = '"' if any(c in data for c in "\x85\u2028\u2029") else None
    return dumper.represent_scalar(_TAG + "str", data, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(
    _FlowDict, lambda dumper, data: dumper.represent_mapping(_TAG + "map", data, flow_style=True)
)
_Dumper.add_representer(
    _FlowList, lambda dumper, data: dumper.represent_sequence(_TAG + "seq", data, flow_style=True)
)


def _readable(data: object) -> object:
    """Bank.to_dict() dressed for a person: texts, options and lists of scalars on one line."""
    if isinstance(data, dict):
        if set(data) == set(LANGS):
            return _FlowDict(data)
        if set(data) == set(_OPTION):  # an mcq option: the README writes only `correct: true`
            option = {"text": _FlowDict(data["text"])} | ({"correct": True} if data["correct"] else {})
            return _FlowDict(option)
        return {k: _readable(v) for k, v in data.items()}
    if isinstance(data, list):
        if data and not any(isinstance(v, dict | list) for v in data):
            return _FlowList(data)
        return [_readable(v) for v in data]
    return data


def dump_bank(bank: Bank) -> str:
    """The bank as a bank file (YAML, the format of questions/README.md); parse_bank reads it back."""
    return yaml.dump(
        _readable(bank.to_dict()),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


def bank_json(bank: Bank) -> str:
    """The bank in the JSON export contract."""
    return json.dumps(bank.to_dict(), ensure_ascii=False, indent=2)
