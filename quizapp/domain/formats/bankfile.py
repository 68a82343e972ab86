"""Bank files: read, validate and write the YAML format documented in questions/README.md.

Problems come as `path:line: where: message`, all of them in one pass. Each message is an English
msgid marked N_ with its parameters apart (messages.py), so the web layer shows it in the teacher's
language while the command line prints the English (problems.py). The rules about content
(ids, one right answer, evidence found in the source, ...) live in `validate_bank` (validate.py),
which needs only a Bank, so the teacher's forms reuse it; the file reader adds the rules about the
file (YAML syntax, unknown, missing and mistyped fields, dates, numbers) and maps every problem's
`where` (`events[3].date`) to a line through the YAML nodes it walked (bankfile_reader.py).

Bank files may come from strangers (an import form), so the reader refuses at once a file that is
too big, too deep, or uses anchors and aliases, and never builds Python objects through a YAML
constructor: it reads the composed node graph itself.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..bank import LANGS, Bank
from ..limits import MAX_BANK_BYTES
from ..messages import N_, Message
from ..problems import WHERE_FILE, WHERE_YAML, BankFileError, Problem
from ..validate import validate_bank
from .bankfile_reader import MAX_SOURCE_BYTES, OPTION_FIELDS, YAML_TAG, Reader, SourceLoader

#: The format nests 8 levels deep (events > facts > distractors > ar); deeper is hostile or a mistake.
MAX_DEPTH = 20


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
    reader = Reader(path, source_loader or _file_loader(Path(path).parent))
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
                key = keys[k] = ScalarNode(YAML_TAG + "str", str(k), m, m, '"')
            pairs.append((key, _node(v, keys)))
        return MappingNode(YAML_TAG + "map", pairs, m, m)
    if isinstance(data, list):
        return SequenceNode(YAML_TAG + "seq", [_node(v, keys) for v in data], m, m)
    if data is None:
        return ScalarNode(YAML_TAG + "null", "null", m, m)
    if isinstance(data, bool):
        return ScalarNode(YAML_TAG + "bool", "true" if data else "false", m, m)
    if isinstance(data, int):
        return ScalarNode(YAML_TAG + "int", str(data), m, m)
    if isinstance(data, float):
        return ScalarNode(YAML_TAG + "float", repr(data), m, m)
    return ScalarNode(YAML_TAG + "str", str(data), m, m, '"')


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
    return dumper.represent_scalar(YAML_TAG + "str", data, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(
    _FlowDict, lambda dumper, data: dumper.represent_mapping(YAML_TAG + "map", data, flow_style=True)
)
_Dumper.add_representer(
    _FlowList, lambda dumper, data: dumper.represent_sequence(YAML_TAG + "seq", data, flow_style=True)
)


def _readable(data: object) -> object:
    """Bank.to_dict() dressed for a person: texts, options and lists of scalars on one line."""
    if isinstance(data, dict):
        if set(data) == set(LANGS):
            return _FlowDict(data)
        if set(data) == set(OPTION_FIELDS):  # an mcq option: the README writes only `correct: true`
            option = {"text": _FlowDict(data["text"])} | ({"correct": True} if data["correct"] else {})
            return _FlowDict(option)
        if set(data) == {"text", "fraction"} and isinstance(data["text"], dict):  # a multi option
            return _FlowDict({"text": _FlowDict(data["text"]), "fraction": data["fraction"]})
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
