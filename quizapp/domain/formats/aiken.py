"""Aiken in: the plain format teachers write by hand, read as Moodle's qformat_aiken reads it.

    When did Trotsky arrive in Mexico?
    A) January 1937
    B. March 1940
    ANSWER: A

A line that is neither a choice (a capital letter, then `)` or `.`, then the text) nor an answer
(`ANSWER:` and the choice's letter) starts a question; the question's text is that one line. Lines
of fewer than two characters are passed over. As in Moodle, a question not finished (no ANSWER:
line) before the next begins, a choice or an answer outside a question, and a question of fewer
than two choices are reported and skipped; here a question left open at the end of the file is too
(Moodle drops it without a word), and so is an ANSWER: naming no choice. Texts are plain: Moodle
escapes them, so HTML stays as written, and `{mlang xx}` blocks (filter_multilang2) still work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..bank import AuthoredQuestion, Text
from ..messages import N_
from ..problems import Problem
from .moodle_common import (
    MAX_IMPORT_BYTES,
    MAX_OPTIONS,
    MoodleImport,
    Reader,
    _question_id,
    decoded,
    too_big,
)

_CHOICE = re.compile(r"[A-Z][).][ \t]?")


_ANSWER = re.compile(r"ANSWER:")


def looks_like_aiken(text: str | bytes, path: str = "") -> bool:
    """Whether a file is Aiken rather than GIFT: named .aiken, or it has an `ANSWER: X` line right
    after a choice line, and no more lines with a `{` than such answers (GIFT's answers are in
    braces; an Aiken file has none, bar a brace in some text)."""
    if path.lower().endswith(".aiken"):
        return True
    if isinstance(text, bytes):
        text = text.decode("utf-8", "ignore")
    answers = braces = 0
    previous = ""
    for raw in re.split(r"\r\n|\r|\n", text):
        line = raw.strip()
        if "{" in line:
            braces += 1
        if len(line) < 2:
            continue
        if _ANSWER.match(line) and _CHOICE.match(previous):
            answers += 1
        previous = line
    return answers > 0 and braces <= answers


@dataclass(slots=True)
class _Open:
    """A question being read: its line, its text and its choices (with their lines)."""

    line: int
    text: str
    choices: list[str] = field(default_factory=list)


def import_aiken(data: str | bytes, path: str = "<aiken>") -> MoodleImport:
    """The questions of an Aiken file, as single-answer multiple-choice questions.

    :raise BankFileError: when the file is too big, not UTF-8, or gives no question at all.
    """
    too_big(data, path, MAX_IMPORT_BYTES)
    text = decoded(data, path)
    reader = Reader(path)
    current: _Open | None = None

    def unfinished(at: int) -> None:
        assert current is not None
        reader.problem(
            current.line,
            N_('the question "%(text)s" has no ANSWER: line before line %(next)s: skipped'),
            text=_shown(current.text),
            next=at,
        )

    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = raw.strip()
        if len(line) < 2:
            continue
        if _CHOICE.match(line):
            if current is None:
                reader.problem(number, N_("a choice outside a question (no question text before it)"))
            else:
                current.choices.append(line[2:].strip())
        elif _ANSWER.match(line):
            if current is None:
                reader.problem(number, N_("an ANSWER: line outside a question"))
                continue
            _finish(reader, current, line[len("ANSWER:") :].strip()[:1], number)
            current = None
        else:
            if current is not None:
                unfinished(number)
            current = _Open(number, line)
    if current is not None:
        reader.problem(
            current.line,
            N_('the question "%(text)s" has no ANSWER: line before the end of the file: skipped'),
            text=_shown(current.text),
        )
    return reader.result([Problem(path, None, "", N_("no question found"))])


def _shown(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _finish(reader: Reader, q: _Open, letter: str, at: int) -> None:
    if not 2 <= len(q.choices) <= MAX_OPTIONS:
        reader.problem(
            q.line,
            N_("a multiple-choice question needs 2 to %(most)s answers, not %(count)s"),
            most=MAX_OPTIONS,
            count=len(q.choices),
        )
        return
    right = ord(letter) - ord("A") if letter else -1
    if not 0 <= right < len(q.choices):
        reader.problem(
            at,
            N_('"ANSWER: %(letter)s" names none of the %(count)s choices (A to %(last)s)'),
            letter=letter,
            count=len(q.choices),
            last=chr(ord("A") + len(q.choices) - 1),
        )
        return
    texts, plain, losses = reader.texts([("plain", q.text), *(("plain", c) for c in q.choices)])
    prompt, *options = texts
    assert prompt is not None
    question = AuthoredQuestion(
        id=_question_id(q.text, prompt, q.line, "aiken"),
        type="mcq",
        prompt=prompt,
        options=tuple(o for o in options if isinstance(o, Text)),
        answer=right,
    )
    reader.keep(question, q.line, plain, losses)
