"""GIFT out and in (see the package's docstring for how Moodle's reader is followed)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..bank import AuthoredQuestion, Bank, Text
from ..generate import Question
from ..messages import N_, Choices
from ..problems import BankFileError, Problem
from .moodle_common import (
    FALSE,
    MAX_GIFT_BYTES,
    MAX_NAME,
    MAX_OPTIONS,
    TRUE,
    MoodleImport,
    _category,
    _outgoing,
    _question_id,
    _refused,
    _unique,
)
from .multilang import multilang, split_multilang

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


# While a question is taken apart, an escaped special character stands in as a private-use
# character, as Moodle's reader uses placeholders; a file may not contain these characters itself.
_HOLD = {char: chr(0x10FF00 + ord(char)) for char in _GIFT_SPECIAL + "\n"}


_UNHOLD = str.maketrans({v: k for k, v in _HOLD.items()})


_HELD = re.compile("[\U0010ff00-\U0010ffff]")


_TRIM = " \t\n\r\0\x0b"  # what PHP's trim() removes


_WEIGHT = re.compile(r"%-*[0-9]{1,2}\.?[0-9]*%")  # Moodle's answer weight, e.g. ~%50%


_FORMATS = ("moodle", "html", "plain", "markdown")


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
