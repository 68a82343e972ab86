"""Moodle's formats: GIFT and Moodle XML out, and both back in.

Both languages travel in Moodle's multi-language form, which its "Multi-language content" filter
shows in the reader's language: `<span lang="ar" class="multilang">…</span><span lang="en"
class="multilang">…</span>`. A text is therefore HTML (`[html]` in GIFT, `format="html"` in XML):
our plain texts are HTML-escaped and their line breaks become `<br>`, and reading back undoes both.
Reading also understands the other filter's form, `{mlang ar}…{mlang}{mlang en}…{mlang}`
(filter_multilang2).

GIFT is read as Moodle's own reader (question/format/gift/format.php) reads it, quirks included:
questions are separated by blank lines; `//` starts a comment line; `\\~ \\= \\# \\{ \\} \\: \\\\` and
`\\n` are escapes; the first `{` and the first `}` delimit the answers; the kind of question follows
from the answers (`~` anywhere: multiple choice; `T`/`F`: true/false; ...). Only multiple choice
with exactly one right answer and true/false become questions here; everything else is reported as
`path:line: message` and skipped. Messages are English msgids with their parameters apart
(messages.py), shown in the teacher's language on the web.

Ordering questions go to Moodle XML in the format of the ordering plugin (qtype_ordering, part of
Moodle since 4.4): its grading methods by the names its XML import reads (`MOODLE_GRADING`).

Moodle XML is read as Moodle's qformat_xml reads it, through xmlread (no DTD, so no entity):
`multichoice` with one right answer (fraction 100) and `truefalse` become multiple choice,
`ordering` an ordering question with its answers in the right order, `category` entries are noted.
A question of any other type, or one that lets students choose several answers, is skipped with a
warning that names it (its type says plainly what it is, unlike GIFT's braces); a question of a
type read here that cannot be imported is a problem, as in GIFT. `import_moodle` tells the two
formats apart.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from .bank import LANGS, AuthoredQuestion, Bank, Text
from .bankfile import MAX_BANK_BYTES, SLUG_RE, BankFileError, Problem, validate_bank
from .generate import KINDS, Question, Settings, generate_quiz
from .messages import N_, Choices, Message
from .scoring import ORDERING_METHODS
from .xmlread import XmlDocument, XmlRefused, parse_xml

#: A GIFT file bigger than this is refused before it is read.
MAX_GIFT_BYTES = MAX_BANK_BYTES

#: A Moodle XML file bigger than this is refused before it is read.
MAX_XML_BYTES = MAX_BANK_BYTES

#: The most a caller reads of a file that may be either.
MAX_IMPORT_BYTES = max(MAX_GIFT_BYTES, MAX_XML_BYTES)

#: Our ordering methods -> the qtype_ordering `gradingtype` names its XML import accepts
#: (its numeric codes, -1 to 7, in comments). `pairs` has no name there, but Moodle's
#: RELATIVE_ALL_PREVIOUS_AND_NEXT counts every pair twice, once from each item, so it gives
#: exactly the same score.
MOODLE_GRADING: dict[str, str] = {
    "pairs": "RELATIVE_ALL_PREVIOUS_AND_NEXT",  # 4
    "all_or_nothing": "ALL_OR_NOTHING",  # -1
    "absolute_position": "ABSOLUTE_POSITION",  # 0
    "relative_next_exclude_last": "RELATIVE_NEXT_EXCLUDE_LAST",  # 1
    "relative_next_include_last": "RELATIVE_NEXT_INCLUDE_LAST",  # 2
    "relative_one_previous_and_next": "RELATIVE_ONE_PREVIOUS_AND_NEXT",  # 3
    "relative_all_previous_and_next": "RELATIVE_ALL_PREVIOUS_AND_NEXT",  # 4
    "longest_ordered_subset": "LONGEST_ORDERED_SUBSET",  # 5
    "longest_contiguous_subset": "LONGEST_CONTIGUOUS_SUBSET",  # 6
    "relative_to_correct": "RELATIVE_TO_CORRECT",  # 7
}

#: The two options of a GIFT true/false question.
TRUE = Text(ar="صح", en="True")
FALSE = Text(ar="خطأ", en="False")

#: The most answers a multiple-choice question may have (more is a mistake, or hostile).
MAX_OPTIONS = 50

#: Moodle's longest question name.
MAX_NAME = 255


# --- multilang ------------------------------------------------------------------------------------


def multilang(text: Text) -> str:
    """Both languages as Moodle's multilang spans; the texts HTML-escaped, line breaks as <br>."""
    return "".join(
        f'<span lang="{lang}" class="multilang">{_to_html(text.get(lang))}</span>' for lang in LANGS
    )


def _to_html(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return html.escape(text, quote=False).replace("\n", "<br>")


_SPAN = re.compile(r"<span\b([^<>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""([A-Za-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CLOSE = "</span>"
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _span_lang(attributes: str) -> str | None:
    """The lang of a multilang span's attributes; None when it is some other span."""
    attrs = {m[1].lower(): m[2] if m[2] is not None else m[3] for m in _ATTR.finditer(attributes)}
    if "multilang" not in attrs.get("class", "").split() or not attrs.get("lang"):
        return None
    return attrs["lang"].strip().lower()


def _lang_blocks(text: str) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """Moodle's "lang blocks": two or more multilang spans apart only by whitespace.

    (start, end, [(lang, content), ...]) each; a span's content ends at the first </span>, as in
    Moodle's filter. One pass: every search starts past the previous block.
    """
    blocks = []
    pos = 0
    while m := _SPAN.search(text, pos):
        lang = _span_lang(m[1])
        if lang is None:
            pos = m.end()
            continue
        close = text.find(_CLOSE, m.end())
        if close == -1:
            break
        spans = [(lang, text[m.end() : close])]
        end = close + len(_CLOSE)
        while True:
            k = end
            while k < len(text) and text[k] in " \t\r\n":
                k += 1
            nxt = _SPAN.match(text, k)
            other = _span_lang(nxt[1]) if nxt else None
            close = text.find(_CLOSE, nxt.end()) if nxt and other else -1
            if close == -1:
                break
            spans.append((other, text[nxt.end() : close]))  # type: ignore[arg-type, union-attr]
            end = close + len(_CLOSE)
        if len(spans) >= 2:
            blocks.append((m.start(), end, spans))
        pos = end
    return blocks


def _pick(spans: list[tuple[str, str]], lang: str) -> str:
    """As the filter does: the spans in the language, else in a variant of it, else the first."""
    for match in (lambda code: code == lang, lambda code: re.split(r"[_-]", code)[0] == lang):
        chosen = [content for code, content in spans if match(code)]
        if chosen:
            return "".join(chosen)
    return spans[0][1]


_MLANG_OPEN = re.compile(r"\{\s*mlang\s+([a-z0-9_-]+(?:\s*,\s*[a-z0-9_-]+)*)\s*\}", re.IGNORECASE)
_MLANG_CLOSE = re.compile(r"\{\s*mlang\s*\}", re.IGNORECASE)


def _mlang_blocks(text: str) -> list[tuple[int, int, list[str], str]]:
    """filter_multilang2's blocks, `{mlang xx,yy}…{mlang}`: (start, end, languages, content) each.

    A block ends at the first {mlang} after it opens, as the filter's lazy pattern does; an opening
    without its end is text. One pass: every search starts past the previous block.
    """
    blocks = []
    pos = 0
    while m := _MLANG_OPEN.search(text, pos):
        close = _MLANG_CLOSE.search(text, m.end())
        if close is None:
            break
        langs = [code.strip().lower().replace("-", "_") for code in m[1].split(",")]
        blocks.append((m.start(), close.end(), langs, text[m.end() : close.start()]))
        pos = close.end()
    return blocks


def _mlang_pick(text: str, blocks: list[tuple[int, int, list[str], str]], lang: str) -> str:
    """As filter_multilang2 shows it: the blocks in the language (or a variant), else the `other`
    blocks; every other block is dropped."""

    def shown(wanted: str) -> tuple[str, bool]:
        parts, pos, hit = [], 0, False
        for start, end, langs, content in blocks:
            match = any(code == wanted or code.split("_")[0] == wanted for code in langs)
            parts += [text[pos:start], content if match else ""]
            hit, pos = hit or match, end
        parts.append(text[pos:])
        return "".join(parts), hit

    out, hit = shown(lang)
    return out if hit else shown("other")[0]


def split_multilang(markup: str, is_html: bool = True) -> tuple[Text, bool]:
    """The Arabic and English a text shows through Moodle's filters, as plain text.

    Both forms are read: multilang spans and `{mlang xx}…{mlang}` blocks. Returns (text, found):
    `found` is False when the text has neither, and then both languages get the same text. With
    `is_html`, tags are dropped (<br> kept as a line break) and entities decoded.
    """
    mlang = _mlang_blocks(markup)
    spans: dict[str, list] = {}
    out = []
    for lang in LANGS:
        text = _mlang_pick(markup, mlang, lang) if mlang else markup
        if text not in spans:
            spans[text] = _lang_blocks(text)
        parts, pos = [], 0
        for start, end, block in spans[text]:
            parts += [text[pos:start], _pick(block, lang)]
            pos = end
        parts.append(text[pos:])
        shown = "".join(parts)
        if is_html:
            shown = html.unescape(_TAG.sub("", _BR.sub("\n", shown)))
        out.append(shown.strip())
    return Text(ar=out[0], en=out[1]), bool(mlang) or any(spans.values())


# --- what is exported -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Out:
    """A question on its way out: `choices` are an mcq's options or the items in the right order."""

    name: str
    type: str
    prompt: Text
    choices: tuple[Text, ...]
    right: int = 0
    explanation: Text | None = None


def _outgoing(bank: Bank, questions: Iterable[Question] | None) -> list[_Out]:
    """The bank's hand-written questions, then the generated ones, each usable one once."""
    out = []
    for q in bank.questions:
        if q.type == "mcq" and q.answer is not None and 0 <= q.answer < len(q.options):
            out.append(_Out(q.id, "mcq", q.prompt, q.options, q.answer, q.explanation))
        elif q.type == "ordering" and len(q.items) >= 2:
            out.append(_Out(q.id, "ordering", q.prompt, q.items, explanation=q.explanation))
    for g in questions or ():
        name = g.key or g.kind
        if g.type == "mcq":
            out.append(_Out(name, "mcq", g.prompt, g.options, int(g.answer), g.explanation))  # type: ignore[arg-type]
        else:
            ordered = tuple(g.items[i] for i in g.answer)  # type: ignore[union-attr]
            out.append(_Out(name, "ordering", g.prompt, ordered, explanation=g.explanation))
    return out


def generated_questions(bank: Bank, count: int, seed: int | str = 1) -> list[Question]:
    """Questions generated from the bank's events (not its hand-written ones), to export with them.

    :raise ValueError: when count is negative.
    """
    kinds = tuple(k for k in KINDS if k != "authored")
    return list(generate_quiz(bank, seed, Settings(count=count, kinds=kinds)).questions)


def _category(bank: Bank) -> str:
    """The category path Moodle creates: the title in both languages, `/` doubled as Moodle wants."""
    en, ar = (" ".join(t.split()) for t in (bank.title.en, bank.title.ar))
    title = en if en == ar else f"{en} — {ar}"
    return "$course$/top/" + title[:200].replace("/", "//")  # Moodle keeps 255 characters


# --- GIFT out -------------------------------------------------------------------------------------

_GIFT_SPECIAL = "~=#{}:"


def gift_escape(text: str) -> str:
    """Text made literal in GIFT: a backslash before ~ = # { } : and itself; line breaks as \\n."""
    text = text.replace("\\", "\\\\")
    for char in _GIFT_SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def export_gift(bank: Bank, questions: Iterable[Question] | None = None) -> str:
    """The bank's multiple-choice questions (and generated ones, if given) as a GIFT file.

    Ordering questions are left out (GIFT has none in core Moodle): Moodle XML carries them. Each
    question is named after its id (or key), its explanation becomes the general feedback (####).
    """
    lines = [f"// quizapp bank: {bank.slug}", f"$CATEGORY: {_category(bank)}", ""]
    for q in _outgoing(bank, questions):
        if q.type != "mcq":
            continue
        name = gift_escape(q.name[:MAX_NAME])
        lines.append(f"// {name}")
        lines.append(f"::{name}::[html]{gift_escape(multilang(q.prompt))}{{")
        for i, option in enumerate(q.choices):
            lines.append(f"\t{'=' if i == q.right else '~'}{gift_escape(multilang(option))}")
        if q.explanation:
            lines.append(f"\t####{gift_escape(multilang(q.explanation))}")
        lines += ["}", ""]
    return "\n".join(lines)


# --- Moodle XML out -------------------------------------------------------------------------------

# XML 1.0 cannot carry these characters at all, escaped or not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = _NOT_XML.sub("", text)
    return el


def _formatted(parent: ET.Element, tag: str, markup: str, **attrs: str) -> ET.Element:
    el = _sub(parent, tag, format="html", **attrs)
    _sub(el, "text", markup)
    return el


def _head(quiz: ET.Element, q: _Out, qtype: str) -> ET.Element:
    el = _sub(quiz, "question", type=qtype)
    _sub(_sub(el, "name"), "text", q.name[:MAX_NAME])
    _formatted(el, "questiontext", multilang(q.prompt))
    _formatted(el, "generalfeedback", multilang(q.explanation) if q.explanation else "")
    _sub(el, "defaultgrade", "1")
    _sub(el, "penalty", "0.3333333")
    _sub(el, "hidden", "0")
    return el


def _combined_feedback(el: ET.Element) -> None:
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _formatted(el, tag, "")


def export_moodle_xml(
    bank: Bank,
    questions: Iterable[Question] | None = None,
    ordering_method: str = "relative_next_exclude_last",
) -> str:
    """The bank's questions (and generated ones, if given) as a Moodle XML file.

    Multiple choice: one right answer (fraction 100, the others 0), answers shuffled. Ordering: the
    ordering plugin's question, items in the right order, graded by `ordering_method` (one of
    scoring.ORDERING_METHODS; the default is the plugin's). A category question comes first.
    :raise ValueError: on an unknown ordering method.
    """
    if ordering_method not in MOODLE_GRADING:
        known = ", ".join(ORDERING_METHODS)
        raise ValueError(f"unknown ordering method {ordering_method!r}; known: {known}")
    quiz = ET.Element("quiz")
    category = _sub(quiz, "question", type="category")
    _sub(_sub(category, "category"), "text", _category(bank))
    _formatted(category, "info", multilang(bank.description) if bank.description else "")
    for q in _outgoing(bank, questions):
        if q.type == "mcq":
            el = _head(quiz, q, "multichoice")
            _sub(el, "single", "true")
            _sub(el, "shuffleanswers", "true")
            _sub(el, "answernumbering", "abc")
            _sub(el, "showstandardinstruction", "0")
            _combined_feedback(el)
            for i, option in enumerate(q.choices):
                answer = _formatted(el, "answer", multilang(option), fraction="100" if i == q.right else "0")
                _formatted(answer, "feedback", "")
        else:
            el = _head(quiz, q, "ordering")
            _sub(el, "layouttype", "VERTICAL")
            _sub(el, "selecttype", "ALL")
            _sub(el, "selectcount", str(len(q.choices)))
            _sub(el, "gradingtype", MOODLE_GRADING[ordering_method])
            _sub(el, "showgrading", "SHOW")
            _sub(el, "numberingstyle", "none")
            _combined_feedback(el)
            _sub(el, "shownumcorrect", "1")
            # The plugin keeps the right order in `fraction` (1, 2, 3, ...), as its own export does.
            for position, item in enumerate(q.choices, start=1):
                _formatted(el, "answer", multilang(item), fraction=str(position))
    ET.indent(quiz, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


# --- GIFT in --------------------------------------------------------------------------------------

# While a question is taken apart, an escaped special character stands in as a private-use
# character, as Moodle's reader uses placeholders; a file may not contain these characters itself.
_HOLD = {char: chr(0x10FF00 + ord(char)) for char in _GIFT_SPECIAL + "\n"}
_UNHOLD = str.maketrans({v: k for k, v in _HOLD.items()})
_HELD = re.compile("[\U0010ff00-\U0010ffff]")
_TRIM = " \t\n\r\0\x0b"  # what PHP's trim() removes
_WEIGHT = re.compile(r"%-*[0-9]{1,2}\.?[0-9]*%")  # Moodle's answer weight, e.g. ~%50%
_FORMATS = ("moodle", "html", "plain", "markdown")


@dataclass(frozen=True, slots=True)
class MoodleImport:
    """What a GIFT or Moodle XML file gave.

    `problems`: the questions that cannot be imported, and why; `warnings`: caveats about questions
    imported (a weight or a feedback dropped, no multilang spans) and, in Moodle XML, the questions
    of other types skipped; `categories`: the categories met ($CATEGORY: lines, category entries).
    """

    questions: tuple[AuthoredQuestion, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    categories: tuple[str, ...] = ()


#: The name of MoodleImport from when only GIFT was read.
GiftImport = MoodleImport


_ESCAPE = re.compile(r"\\[\\~=#{}:n]")
_ESCAPED = {"\\\\": "\\", "\\n": _HOLD["\n"]} | {"\\" + c: _HOLD[c] for c in _GIFT_SPECIAL}


def _hold(line: str) -> str:
    """One line with its escapes replaced by placeholders (and \\\\ by a backslash), left to right."""
    return _ESCAPE.sub(lambda m: _ESCAPED[m[0]], line)


@dataclass(slots=True)
class _Block:
    """A question's lines joined (comments blanked, escapes held), and where each line starts."""

    text: str
    starts: list[int]
    lines: list[int]

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]


def _blocks(text: str) -> list[_Block]:
    """The file cut at blank lines, as Moodle does."""
    out: list[_Block] = []
    parts: list[str] = []
    starts: list[int] = []
    numbers: list[int] = []
    size = 0
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = raw.strip(_TRIM)
        if not line:
            if parts:
                out.append(_Block("\n".join(parts), starts, numbers))
                parts, starts, numbers, size = [], [], [], 0
            continue
        if line.startswith("//"):
            line = " "
        starts.append(size)
        numbers.append(number)
        parts.append(_hold(line))
        size += len(parts[-1]) + 1
    if parts:
        out.append(_Block("\n".join(parts), starts, numbers))
    return out


def _unhold(text: str) -> str:
    return text.translate(_UNHOLD)


def _with_format(text: str, default: str) -> tuple[str, str]:
    """A leading [html] / [moodle] / [plain] / [markdown] marker taken off: (format, text)."""
    text = text.strip(_TRIM)
    if text.startswith("["):
        end = text.find("]")
        if end != -1 and text[1:end] in _FORMATS:
            return text[1:end], text[end + 1 :]
    return default, text


@dataclass(frozen=True, slots=True)
class _Raw:
    """One question as cut out of its block: texts still hold their escapes as placeholders."""

    block: _Block
    line: int
    name: str
    fmt: str  # the question text's format, the default of its other texts
    stem: str
    general: str  # the general feedback (after ####)
    answers: str  # between { and }
    offset: int  # of `answers` in the block's text


@dataclass(slots=True)
class _Reader:
    path: str
    questions: list[AuthoredQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def problem(self, line: int, template: str, **params: object) -> None:
        self.problems.append(Problem(self.path, line, "", template, params))

    def warn(self, line: int, template: str, **params: object) -> None:
        self.warnings.append(Problem(self.path, line, "", template, params))

    def block(self, b: _Block) -> None:
        text = b.text
        if not text.strip(_TRIM):
            return  # only comments
        i = len(text) - len(text.lstrip(_TRIM))
        line = b.line_at(i)
        if text.startswith("$CATEGORY:", i):
            first, _, rest = text[i + len("$CATEGORY:") :].partition("\n")
            self.categories.append(_unhold(first).strip())
            if rest.strip(_TRIM):
                where = b.line_at(text.find("\n", i) + 1)
                self.problem(where, N_("a question right after $CATEGORY: needs a blank line before it"))
            return
        name = ""
        if text.startswith("::", i):
            end = text.find("::", i + 2)
            if end == -1:
                i += 2  # Moodle drops the "::" and names the question after its text
            else:
                name = _unhold(text[i + 2 : end]).strip()
                i = end + 2
        start, finish = text.find("{", i), text.find("}", i)
        if start == -1 and finish == -1:
            self.problem(line, N_("no answers in { }: a description, not a question (skipped)"))
            return
        if start == -1 or finish == -1 or finish < start:
            self.problem(
                line, N_("a { without its } or a } without its {: write \\{ or \\} for a brace in text")
            )
            return
        extra = [p for p in (text.find("{", finish + 1), text.find("}", finish + 1)) if p != -1]
        if extra:
            self.problem(
                b.line_at(min(extra)), N_("a second { } in one question: put a blank line between questions")
            )
            return
        # Answers in mid-sentence leave a blank in the text (Moodle's "missing word" format).
        after = text[finish + 1 :]
        stem = text[i:start] + ("_____" + after if after.strip(_TRIM) else "")
        answers = text[start + 1 : finish]
        general = ""
        if (cut := answers.rfind("####")) != -1:
            general, answers = answers[cut + 4 :], answers[:cut]
        fmt, stem = _with_format(stem, "moodle")
        self.question(_Raw(b, line, name, fmt, stem, general, answers, start + 1))

    def question(self, q: _Raw) -> None:
        body = q.answers.strip(_TRIM)
        refused = None  # a whole sentence per kind, for the translators
        if body.startswith(">"):
            refused = N_(
                "an ordering question (the ordering plugin's {>...}) is not imported: "
                "only multiple choice and true/false are"
            )
        elif not body:
            refused = N_("an essay question ({}) is not imported: only multiple choice and true/false are")
        elif body.startswith("#"):
            refused = N_(
                "a numerical question ({#...}) is not imported: only multiple choice and true/false are"
            )
        elif "~" not in body:
            if "=" in body and "->" in body:
                refused = N_(
                    "a matching question (=...->...) is not imported: only multiple choice and true/false are"
                )
            else:
                cut = body.find("#")
                verdict = body[:cut].strip(_TRIM) if cut > 0 else body
                if verdict in ("T", "TRUE", "F", "FALSE"):
                    self.true_false(q, body, verdict in ("T", "TRUE"))
                    return
                refused = N_(
                    "a short-answer question (mark the wrong answers with ~ for multiple choice) "
                    "is not imported: only multiple choice and true/false are"
                )
        if refused:
            self.problem(q.line, refused)
            return
        self.multiple_choice(q)

    def multiple_choice(self, q: _Raw) -> None:
        # Each answer starts at a ~ or an = (which it keeps), as Moodle splits them; text before
        # the first one is an answer too when it is not blank.
        answers = q.answers
        cuts = [k for k, char in enumerate(answers) if char in "~="]
        pieces = [(0, answers[: cuts[0]])] if answers[: cuts[0]].strip(_TRIM) else []
        ends = [*cuts[1:], len(answers)]
        pieces += [(k, answers[k + (answers[k] == "~") : end]) for k, end in zip(cuts, ends, strict=True)]
        if not 2 <= len(pieces) <= MAX_OPTIONS:
            self.problem(
                q.line,
                N_("a multiple-choice question needs 2 to %(most)s answers, not %(count)s"),
                most=MAX_OPTIONS,
                count=len(pieces),
            )
            return
        options, weights, feedback, lines = [], [], [], []
        for k, raw in pieces:
            piece = raw.strip(_TRIM)
            if piece.startswith("="):
                weight, piece = 1.0, piece[1:]
            elif m := _WEIGHT.match(piece):
                # As Moodle reads it: the whole number between the two % signs ("100", "-33.3").
                number = m[0][1:-1]
                sign = -1 if number.startswith("-") else 1
                weight, piece = sign * float(number.lstrip("-")) / 100, piece[m.end() :]
            else:
                weight = 0.0
            text, _, note = piece.partition("#")
            options.append(_with_format(text, q.fmt))
            feedback.append(_with_format(note, q.fmt))
            weights.append(weight)
            lines.append(q.block.line_at(q.offset + k))
        right = [n for n, w in enumerate(weights) if w == 1]
        if len(right) != 1:
            partial = tuple(f"{w * 100:g}%" for w in weights if 0 < w < 1)
            if right:
                self.problem(
                    q.line,
                    N_("%(count)s answers are right: a question here has exactly one (= or ~%%100%%)"),
                    count=len(right),
                )
            elif partial:
                self.problem(
                    q.line,
                    N_(
                        "no answer is right: mark one with = (or ~%%100%%); "
                        "a partial weight (%(weights)s) does not make an answer right"
                    ),
                    weights=Choices(partial, style="standard-narrow"),
                )
            else:
                self.problem(q.line, N_("no answer is right: mark one with = (or ~%%100%%)"))
            return
        for n, w in enumerate(weights):
            if w not in (0, 1):
                self.warn(
                    lines[n],
                    N_("answer %(number)s: its weight %(weight)s is dropped, it counts as wrong"),
                    number=n + 1,
                    weight=f"{w * 100:g}%",
                )
        self.add(q, options, right[0], self.explanation(q, feedback, right[0]))

    def true_false(self, q: _Raw, body: str, is_true: bool) -> None:
        # {T#feedback when answered wrong#feedback when answered right}
        parts = [*body.split("#", 2), "", ""][:3]
        wrong, right = _with_format(parts[1], q.fmt), _with_format(parts[2], q.fmt)
        answer = 0 if is_true else 1
        feedback = [right, wrong] if is_true else [wrong, right]
        self.add(q, [TRUE, FALSE], answer, self.explanation(q, feedback, answer))

    def explanation(self, q: _Raw, feedback: list[tuple[str, str]], answer: int) -> tuple[str, str] | None:
        """The general feedback, else the right answer's: our questions have one explanation."""
        kept = _with_format(q.general, q.fmt)
        if not kept[1].strip(_TRIM):
            kept = feedback[answer]
        if any(f[1].strip(_TRIM) for f in feedback if f is not kept):
            self.warn(
                q.line,
                N_(
                    "feedback on answers is dropped: a question keeps one explanation, "
                    "the general feedback (####) or else the right answer's"
                ),
            )
        return kept if kept[1].strip(_TRIM) else None

    def add(
        self,
        q: _Raw,
        options: Sequence[tuple[str, str] | Text],
        answer: int,
        explanation: tuple[str, str] | None,
    ) -> None:
        plain = False
        texts: list[Text | None] = []
        for part in ((q.fmt, q.stem), *options, explanation):
            if part is None or isinstance(part, Text):
                texts.append(part)
                continue
            fmt, markup = part
            text, found = split_multilang(_unhold(markup), is_html=fmt in ("html", "moodle"))
            texts.append(text)
            plain = plain or not found
        prompt, *opts, expl = texts
        assert prompt is not None
        question = AuthoredQuestion(
            id=_question_id(q.name, prompt, q.line),
            type="mcq",
            prompt=prompt,
            options=tuple(o for o in opts if o is not None),
            answer=answer,
            explanation=expl,
        )
        found = _refused(question, self.path, q.line)
        self.problems += found
        if found:
            return
        if plain:
            self.warn(q.line, N_("no multilang spans: the same text serves Arabic and English"))
        self.questions.append(question)


def _in_question(where: str) -> str:
    """A where-path of the one-question bank an imported question is checked in, made the question's."""
    return where.replace("questions[0].", "")


def _refused(question: AuthoredQuestion, path: str, line: int | None) -> list[Problem]:
    """What the bank's rules find wrong with an imported question, at its line in the file."""
    found = validate_bank(Bank(slug="import", title=Text("import", "import"), questions=(question,)))
    out = []
    for p in found:
        # The bank's where-paths, as the file has them: options[1], not questions[0].options[1].
        params = {k: _in_question(v) if isinstance(v, str) else v for k, v in p.params.items()}
        out.append(replace(p, path=path, line=line, where=_in_question(p.where), params=params))
    return out


def _slug(text: str, words: int = 8) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]
    return "-".join(parts)[:60].strip("-")


def _question_id(name: str, prompt: Text, line: int | None, fmt: str = "gift") -> str:
    """A slug from the question's name, else from its English text, else from its line."""
    slug = _slug(name) or _slug(prompt.en, words=6)
    return slug if SLUG_RE.match(slug) else f"{fmt}-{line or 0}"


def import_gift(text: str | bytes, path: str = "<gift>") -> MoodleImport:
    """The multiple-choice and true/false questions of a GIFT file, as hand-written questions.

    Questions that cannot be imported are skipped and listed in `problems` (`path:line: message`).
    :raise BankFileError: when the file is too big, not UTF-8, holds private-use characters, or
        gives no question at all (its problems then say why).
    """
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_GIFT_BYTES:
        template = N_("the file is too big (%(size)s bytes; at most %(limit)s KB)")
        params = {"size": size, "limit": MAX_GIFT_BYTES // 1024}
        raise BankFileError([Problem(path, None, "", template, params)])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            # The codec's words stay English, in a translated frame.
            template, params = N_("not UTF-8 text: %(detail)s"), {"detail": err.reason}
            raise BankFileError([Problem(path, None, "", template, params)]) from None
    text = text.removeprefix("\ufeff")
    if m := _HELD.search(text):
        line = text.count("\n", 0, m.start()) + 1
        template = N_("the character U+%(code)s (private use) is not allowed")
        raise BankFileError([Problem(path, line, "", template, {"code": f"{ord(m[0]):04X}"})])
    reader = _Reader(path)
    for b in _blocks(text):
        reader.block(b)
    # Ids unique within the file: a repeated name gets -2, -3, ...
    questions = _unique(reader.questions, set())
    if not questions:
        problems = reader.problems or [Problem(path, None, "", N_("no question found"))]
        raise BankFileError(problems)
    return MoodleImport(
        tuple(questions), tuple(reader.problems), tuple(reader.warnings), tuple(reader.categories)
    )


def _unique(questions: Iterable[AuthoredQuestion], taken: set[str]) -> list[AuthoredQuestion]:
    out = []
    tried: dict[str, int] = {}  # the last suffix tried per id, so that many repeats stay linear
    for q in questions:
        qid, n = q.id, tried.get(q.id, 1)
        while qid in taken:
            n += 1
            qid = f"{q.id}-{n}"
        tried[q.id] = n
        taken.add(qid)
        out.append(q if qid == q.id else replace(q, id=qid))
    return out


def merge_questions(bank: Bank, questions: Iterable[AuthoredQuestion]) -> Bank:
    """The bank with the questions added after its own; an id already taken gets -2, -3, ..."""
    added = _unique(questions, {q.id for q in bank.questions})
    return replace(bank, questions=bank.questions + tuple(added))


# --- Moodle XML in --------------------------------------------------------------------------------

#: Moodle's text formats (qformat_xml's names) that are HTML; plain_text, markdown and wiki_like
#: are not.
_XML_HTML = ("html", "moodle_auto_format")
#: The end of a block of HTML: the text goes on on a new line.
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|tr|blockquote|pre)\s*>", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: The longest question name a warning quotes, and the longest value a problem does.
_NAME_SHOWN = 80
_VALUE_SHOWN = 20


def _drop_comments(markup: str) -> str:
    """HTML comments taken out (an unclosed one runs to the end); one pass."""
    if "<!--" not in markup:
        return markup
    parts, pos = [], 0
    while (start := markup.find("<!--", pos)) != -1:
        parts.append(markup[pos:start])
        end = markup.find("-->", start + 4)
        pos = len(markup) if end == -1 else end + 3
    parts.append(markup[pos:])
    return "".join(parts)


def xml_text(fmt: str, markup: str) -> tuple[Text, bool]:
    """A Moodle XML text in its format, as Arabic and English plain text: (text, found).

    HTML as a browser shows it: a line break in the source is a space (but in Moodle's own auto
    format, where it is a break), a paragraph or other block ends a line, tags and comments go.
    Other formats keep their text as written. `found` as in split_multilang.
    """
    if fmt not in _XML_HTML:
        return split_multilang(markup, is_html=False)
    if fmt == "html":
        markup = _LINE_BREAK.sub(" ", markup)
    pieces = _BLOCK_END.split(_drop_comments(markup))
    if len(pieces) > 1:
        markup = "\n".join(piece.strip(" \t\r\n") for piece in pieces)
    return split_multilang(markup)


def _text_of(el: ET.Element | None) -> str:
    """The character data of an element's <text> child (markup written as elements is dropped)."""
    text = None if el is None else el.find("text")
    return "" if text is None else "".join(text.itertext())


def _fraction(answer: ET.Element) -> float | None:
    """An answer's fraction, as Moodle writes it ("100", "-33.33333", "100.0000000"; 0 when it has
    none); None when it is not a number."""
    try:
        value = float(answer.get("fraction", "0"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


#: A text on its way in: (format, markup).
_Marked = tuple[str, str]


@dataclass(slots=True)
class _XmlReader:
    path: str
    doc: XmlDocument
    questions: list[AuthoredQuestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def problem(self, el: ET.Element, template: str, **params: object) -> None:
        self.problems.append(Problem(self.path, self.doc.line(el), "", template, params))

    def warn(self, el: ET.Element, template: str, **params: object) -> None:
        self.warnings.append(Problem(self.path, self.doc.line(el), "", template, params))

    def marked(self, el: ET.Element | None, default: str) -> _Marked:
        """A formatted element's text and its format (the question text's when it names none)."""
        fmt = default if el is None else (el.get("format") or default).strip().lower()
        return fmt, _text_of(el)

    def question(self, el: ET.Element) -> None:
        qtype = (el.get("type") or "").strip()
        if qtype == "category":
            category = " ".join(_text_of(el.find("category")).split())
            if category:
                self.categories.append(category)
            return
        fmt, stem = self.marked(el.find("questiontext"), "html")
        name = _text_of(el.find("name")).strip()
        # A name is plain text, but may hold multilang spans; without one, the question's text.
        names, _ = xml_text("html", name) if name else xml_text(fmt, stem)
        shown = " / ".join(dict.fromkeys(n for n in (names.en, names.ar) if n))
        shown = shown if len(shown) <= _NAME_SHOWN else shown[: _NAME_SHOWN - 1] + "…"
        label = shown or Message(N_("(no name)"))
        if qtype == "multichoice":
            self.multichoice(el, fmt, stem, names.en, label)
        elif qtype == "truefalse":
            self.truefalse(el, fmt, stem, names.en)
        elif qtype == "ordering":
            self.ordering(el, fmt, stem, names.en)
        else:
            self.warn(
                el,
                N_(
                    'question "%(name)s" is skipped: its type (%(type)s) is not imported, '
                    "only multiple choice, true/false and ordering are"
                ),
                name=label,
                type=qtype or "?",
            )

    def answers(self, el: ET.Element) -> tuple[list[ET.Element], list[float]] | None:
        """The answers and their fractions; None (and a problem) when a fraction is no number."""
        answers = el.findall("answer")
        fractions = []
        for n, answer in enumerate(answers, start=1):
            fraction = _fraction(answer)
            if fraction is None:
                value = answer.get("fraction", "")
                value = value if len(value) <= _VALUE_SHOWN else value[: _VALUE_SHOWN - 1] + "…"
                self.problem(
                    answer,
                    N_('answer %(number)s: its fraction "%(value)s" is not a number'),
                    number=n,
                    value=value,
                )
                return None
            fractions.append(fraction)
        return answers, fractions

    def multichoice(self, el: ET.Element, fmt: str, stem: str, name: str, label: str | Message) -> None:
        single = el.findtext("single")
        if single is not None and single.strip() in ("false", "0", ""):  # as Moodle's trans_single
            self.warn(
                el,
                N_(
                    'question "%(name)s" is skipped: it lets students choose several answers, '
                    "and a multiple-choice question here has one right answer"
                ),
                name=label,
            )
            return
        read = self.answers(el)
        if read is None:
            return
        answers, fractions = read
        if not 2 <= len(answers) <= MAX_OPTIONS:
            self.problem(
                el,
                N_("a multiple-choice question needs 2 to %(most)s answers, not %(count)s"),
                most=MAX_OPTIONS,
                count=len(answers),
            )
            return
        right = [n for n, f in enumerate(fractions) if abs(f - 100) < 1e-6]
        if len(right) > 1:
            self.warn(
                el,
                N_(
                    'question "%(name)s" is skipped: %(count)s of its answers are right, '
                    "and a multiple-choice question here has one right answer"
                ),
                name=label,
                count=len(right),
            )
            return
        if not right:
            self.problem(el, N_("no answer has the full grade (fraction 100): one answer must be right"))
            return
        for n, (answer, f) in enumerate(zip(answers, fractions, strict=True)):
            if n != right[0] and f != 0:
                self.warn(
                    answer,
                    N_("answer %(number)s: its weight %(weight)s is dropped, it counts as wrong"),
                    number=n + 1,
                    weight=f"{f:g}%",
                )
        options = [self.marked(a, fmt) for a in answers]
        feedback = [self.marked(a.find("feedback"), fmt) for a in answers]
        explanation = self.explanation(el, fmt, feedback, right[0])
        self.add(el, name, "mcq", stem=(fmt, stem), choices=options, answer=right[0], explanation=explanation)

    def truefalse(self, el: ET.Element, fmt: str, stem: str, name: str) -> None:
        read = self.answers(el)
        if read is None:
            return
        answers, fractions = read
        if not answers:
            self.problem(el, N_("a true/false question needs its answers, true and false"))
            return
        # As Moodle reads it: the answer "true" (else the first) is right when its fraction is
        # 100, the answer "false" when its fraction is not; the last answer read decides.
        is_true = True
        feedback: dict[bool, _Marked] = {True: (fmt, ""), False: (fmt, "")}
        for n, (answer, f) in enumerate(zip(answers, fractions, strict=True)):
            word = _text_of(answer).strip()
            says_true = word == "true" if word in ("true", "false") else n == 0
            is_true = (f == 100) if says_true else (f != 100)
            feedback[says_true] = self.marked(answer.find("feedback"), fmt)
        answer = 0 if is_true else 1
        explanation = self.explanation(el, fmt, [feedback[True], feedback[False]], answer)
        self.add(
            el, name, "mcq", stem=(fmt, stem), choices=[TRUE, FALSE], answer=answer, explanation=explanation
        )

    def ordering(self, el: ET.Element, fmt: str, stem: str, name: str) -> None:
        # The plugin reads its answers in the right order (their fractions are only positions).
        answers = el.findall("answer")
        if not 2 <= len(answers) <= MAX_OPTIONS:
            self.problem(
                el,
                N_("an ordering question needs 2 to %(most)s items, not %(count)s"),
                most=MAX_OPTIONS,
                count=len(answers),
            )
            return
        select = (el.findtext("selecttype") or "ALL").strip().upper()
        count = (el.findtext("selectcount") or "").strip()
        if select not in ("ALL", "EXACT", "0") and count.isdigit() and 2 <= int(count) < len(answers):
            self.warn(
                el,
                N_("Moodle shows a student %(count)s of its %(total)s items; all of them are imported"),
                count=int(count),
                total=len(answers),
            )
        feedback = [self.marked(a.find("feedback"), fmt) for a in answers]
        explanation = self.explanation(el, fmt, feedback, None)
        items = [self.marked(a, fmt) for a in answers]
        self.add(el, name, "ordering", stem=(fmt, stem), choices=items, answer=None, explanation=explanation)

    def explanation(
        self, el: ET.Element, fmt: str, feedback: list[_Marked], right: int | None
    ) -> _Marked | None:
        """The general feedback, else the right answer's: our questions have one explanation."""
        kept = self.marked(el.find("generalfeedback"), fmt)
        if not kept[1].strip() and right is not None:
            kept = feedback[right]
        if any(f[1].strip() for f in feedback if f is not kept):
            self.warn(
                el,
                N_(
                    "feedback on answers is dropped: a question keeps one explanation, "
                    "the general feedback or else the right answer's"
                ),
            )
        return kept if kept[1].strip() else None

    def add(
        self,
        el: ET.Element,
        name: str,
        qtype: str,
        *,
        stem: _Marked,
        choices: Sequence[_Marked | Text],
        answer: int | None,
        explanation: _Marked | None,
    ) -> None:
        plain = False
        texts: list[Text | None] = []
        for part in (stem, *choices, explanation):
            if part is None or isinstance(part, Text):
                texts.append(part)
                continue
            text, found = xml_text(*part)
            texts.append(text)
            plain = plain or not found
        prompt, *rest, expl = texts
        assert prompt is not None
        line = self.doc.line(el)
        chosen = tuple(t for t in rest if t is not None)
        question = AuthoredQuestion(
            id=_question_id(name, prompt, line, "moodle"),
            type="mcq" if qtype == "mcq" else "ordering",
            prompt=prompt,
            options=chosen if qtype == "mcq" else (),
            answer=answer,
            items=chosen if qtype == "ordering" else (),
            explanation=expl,
        )
        found = _refused(question, self.path, line)
        self.problems += found
        if found:
            return
        if next(el.iter("file"), None) is not None:
            self.warn(el, N_("its images and other files are dropped: only the text is imported"))
        if plain:
            self.warn(el, N_("no multilang spans: the same text serves Arabic and English"))
        self.questions.append(question)


def import_moodle_xml(data: str | bytes, path: str = "<moodle-xml>") -> MoodleImport:
    """The multiple-choice, true/false and ordering questions of a Moodle XML file.

    Questions of other types are skipped with a warning; questions of these types that cannot be
    imported are listed in `problems` (`path:line: message`).
    :raise BankFileError: when the file is too big, not well-formed XML, declares a DTD (entities,
        a billion laughs), is not a Moodle XML quiz, or gives no question at all (its problems and
        warnings then say why).
    """
    size = len(data.encode("utf-8") if isinstance(data, str) else data)
    if size > MAX_XML_BYTES:
        template = N_("the file is too big (%(size)s bytes; at most %(limit)s KB)")
        params = {"size": size, "limit": MAX_XML_BYTES // 1024}
        raise BankFileError([Problem(path, None, "", template, params)])
    try:
        doc = parse_xml(data)
    except XmlRefused as err:
        if err.forbidden:
            template, params = N_("a DOCTYPE or an entity is not allowed in a Moodle XML file"), {}
        else:
            template, params = N_("not well-formed XML: %(detail)s"), {"detail": err.detail}
        raise BankFileError([Problem(path, err.line, "", template, params)]) from None
    if doc.root.tag != "quiz":
        template = N_("not a Moodle XML file: its top element is <%(tag)s>, not <quiz>")
        raise BankFileError([Problem(path, doc.line(doc.root), "", template, {"tag": doc.root.tag})])
    reader = _XmlReader(path, doc)
    for el in doc.root.findall("question"):
        reader.question(el)
    questions = _unique(reader.questions, set())
    if not questions:
        found = sorted((*reader.problems, *reader.warnings), key=lambda p: p.line or 0)
        raise BankFileError(found or [Problem(path, None, "", N_("no question found"))])
    return MoodleImport(
        tuple(questions), tuple(reader.problems), tuple(reader.warnings), tuple(reader.categories)
    )


# --- either format, into a bank --------------------------------------------------------------------


def is_moodle_xml(data: str | bytes, path: str = "") -> bool:
    """Whether a file is Moodle XML rather than GIFT: it begins as XML does, or its name ends in .xml."""
    head = data[:1024]
    start = (head.decode("utf-8", "ignore") if isinstance(head, bytes) else head).lstrip("\ufeff \t\r\n")
    return start.lower().startswith(("<?xml", "<quiz")) or path.lower().endswith(".xml")


def import_moodle(data: str | bytes, path: str = "<moodle>") -> MoodleImport:
    """The questions of a GIFT or a Moodle XML file, told apart by is_moodle_xml.

    :raise BankFileError: as import_gift or import_moodle_xml.
    """
    return import_moodle_xml(data, path) if is_moodle_xml(data, path) else import_gift(data, path)


def add_moodle(
    bank: Bank, data: str | bytes, path: str = "<moodle>", partial: bool = False
) -> tuple[Bank, MoodleImport]:
    """The bank with a GIFT or Moodle XML file's questions added, and what the file gave.

    :raise BankFileError: when any question cannot be imported (unless `partial`: then only when
        none can), or when the file itself is refused (see import_gift, import_moodle_xml).
    """
    result = import_moodle(data, path)
    if result.problems and not partial:
        raise BankFileError(list(result.problems))
    return merge_questions(bank, result.questions), result
