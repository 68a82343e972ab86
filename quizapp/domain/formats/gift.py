"""GIFT out and in (see the package's docstring for how Moodle's reader is followed).

Every kind of question both ways: multiple choice with one right answer (`=`) or several (`~%50%`,
penalties `~%-100%`), true/false (`{T}`), numerical (`{#1937:0}`, `{#1936..1938}`, several answers
`{#=1937:0 =%50%1937:2}`), short answer (`{=a =b}`), matching (`{=a -> b}`) and ordering in the
ordering plugin's syntax (`{>N ALL VERTICAL grading SHOW none` and one item a line). A question's
id and tags travel in the comment before it, as Moodle 4 writes and reads them: `// [id:q-1]
[tag:event:trotsky-arrives]`.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..bank import Accepted, AuthoredQuestion, Bank, Pair, Text
from ..generate import Question
from ..messages import N_
from ..problems import BankFileError, Problem
from .moodle_common import (
    MAX_GIFT_BYTES,
    MAX_NAME,
    MAX_OPTIONS,
    MOODLE_GRADING,
    Marked,
    MoodleImport,
    Reader,
    _category,
    _outgoing,
    _question_id,
    carriable,
    category_tag,
    decoded,
    event_tags,
    join_pair,
    merge_answers,
    split_pair,
    too_big,
)
from .multilang import multilang

_GIFT_SPECIAL = "~=#{}:"


def gift_escape(text: str) -> str:
    """Text made literal in GIFT: a backslash before ~ = # { } : and itself; line breaks as \\n."""
    text = text.replace("\\", "\\\\")
    for char in _GIFT_SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _ml(text: Text) -> str:
    return gift_escape(multilang(text))


def _item(text: Text) -> str:
    """An ordering item on its one line: the plugin reads it raw (no GIFT escapes), so the
    characters GIFT would cut at (a brace, ####) or read as an escape are written as HTML entities,
    which Moodle's format shows as the characters."""
    return multilang(text).translate(_ITEM_ENTITIES)


_ITEM_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "\\{}#"})


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _percent(fraction: float) -> str:
    """A fraction as GIFT's weight: 0.5 -> 50, 0.3333333 -> 33.33333 (Moodle keeps 7 decimals)."""
    return f"{round(fraction * 100, 5):g}"


def _tags_comment(q: AuthoredQuestion) -> str:
    """Moodle 4's comment for a question's idnumber and tags (a ] in them escaped)."""

    def esc(value: str) -> str:
        return " ".join(value.split()).replace("]", "\\]")

    parts = [f"[id:{esc(q.id)}]", *(f"[tag:{esc(t)}]" for t in event_tags(q, case_tag=True))]
    return "// " + " ".join(parts)


def export_gift(
    bank: Bank,
    questions: Iterable[Question] | None = None,
    ordering_method: str = "relative_next_exclude_last",
) -> str:
    """The bank's questions (and generated ones, if given) as a GIFT file, every kind.

    Each question is named after its id (or key), its explanation is the general feedback (####),
    its id and tags (its events as `event:<id>`) are in the comment before it. Ordering questions
    are graded by `ordering_method` (see moodle_xml.export_moodle_xml). A question GIFT cannot
    carry is written as a comment saying why: nothing is left out in silence.
    """
    if ordering_method not in MOODLE_GRADING:
        raise ValueError(f"unknown ordering method {ordering_method!r}")
    if ordering_method == "longest_ordered_subset":
        # The plugin's GIFT pattern joins "REL" and "LONGEST_ORDERED_SUBSET" into one word, so it
        # never matches, and the name would be read as the first item.
        raise ValueError("Moodle's GIFT reader cannot read longest_ordered_subset: use Moodle XML")
    grading = MOODLE_GRADING[ordering_method]
    lines = [f"// quizapp bank: {bank.slug}", f"$CATEGORY: {_category(bank)}", ""]
    for out in _outgoing(bank, questions):
        q = out.question
        name = gift_escape(" ".join(out.name[:MAX_NAME].split()))
        body = _gift_answers(q, grading)
        if body is None:
            lines += [f"// {name}: left out, GIFT cannot carry this question ({q.type})", ""]
            continue
        lines.append(f"// {name}")
        lines.append(_tags_comment(q))
        lines.append(f"::{name}::[html]{_ml(q.prompt)}{{{body[0]}")
        lines += [f"\t{line}" for line in body[1:]]
        if q.explanation:
            lines.append(f"\t####{_ml(q.explanation)}")
        lines += ["}", ""]
    return "\n".join(lines)


def _gift_answers(q: AuthoredQuestion, grading: str) -> list[str] | None:
    """What goes between the braces: the text right after `{`, then one line per answer."""
    if not carriable(q):
        return None
    if q.type == "mcq" and q.answer is not None and 0 <= q.answer < len(q.options):
        return ["", *(f"{'=' if i == q.answer else '~'}{_ml(o)}" for i, o in enumerate(q.options))]
    if q.type == "multi" and q.options:
        fractions = list(q.fractions) + [0.0] * (len(q.options) - len(q.fractions))
        return ["", *(f"~%{_percent(f)}%{_ml(o)}" for o, f in zip(q.options, fractions, strict=False))]
    if q.type == "truefalse" and q.correct is not None:
        return ["TRUE" if q.correct else "FALSE"]
    if q.type == "numerical" and q.answers:
        return ["#", *(f"=%{_percent(a.fraction)}%{_number(a.value)}:{_number(a.tolerance)}"  # type: ignore[arg-type]
                        + _feedback(a.feedback) for a in q.answers if a.value is not None)]  # fmt: skip
    if q.type == "shortanswer" and q.answers:
        # Short answers are plain text in Moodle: one language each, both languages as two answers
        # side by side when they differ (either is accepted; reading pairs them back).
        lines = []
        for a in q.answers:
            if a.text is None:
                continue
            for text in dict.fromkeys(" ".join(t.split()) for t in (a.text.ar, a.text.en)):
                if text:
                    lines.append(f"=%{_percent(a.fraction)}%{gift_escape(text)}{_feedback(a.feedback)}")
        return ["", *lines] if lines else None
    if q.type == "matching" and q.pairs:
        lines = []
        for pair in q.pairs:
            # The answers are plain text in Moodle: both languages, as "ar / en" when they differ.
            left = _ml(pair.left) if pair.left is not None else ""
            lines.append(f"={left} -> {gift_escape(join_pair(pair.right))}")
        return ["", *lines]
    if q.type == "ordering" and len(q.items) >= 2:
        return [f">{len(q.items)} ALL VERTICAL {grading} SHOW none", *(_item(i) for i in q.items)]
    return None


def _feedback(text: Text | None) -> str:
    return f"#{_ml(text)}" if text else ""


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
    """A question's lines joined (comments blanked, escapes held), where each line starts, and the
    text of its comment lines (Moodle 4 reads a question's id and tags there)."""

    text: str
    starts: list[int]
    lines: list[int]
    comments: str = ""

    def line_at(self, offset: int) -> int:
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]


def _blocks(text: str) -> list[_Block]:
    """The file cut at blank lines, as Moodle does."""
    out: list[_Block] = []
    parts: list[str] = []
    starts: list[int] = []
    numbers: list[int] = []
    comments: list[str] = []
    size = 0
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        line = raw.strip(_TRIM)
        if not line:
            if parts:
                out.append(_Block("\n".join(parts), starts, numbers, "\n".join(comments)))
                parts, starts, numbers, comments, size = [], [], [], [], 0
            continue
        if line.startswith("//"):
            comments.append(line)
            line = " "
        starts.append(size)
        numbers.append(number)
        parts.append(_hold(line))
        size += len(parts[-1]) + 1
    if parts:
        out.append(_Block("\n".join(parts), starts, numbers, "\n".join(comments)))
    return out


def _unhold(text: str) -> str:
    return text.translate(_UNHOLD)


def _with_format(text: str, default: str) -> Marked:
    """A leading [html] / [moodle] / [plain] / [markdown] marker taken off: (format, text), the
    escapes undone."""
    text = text.strip(_TRIM)
    if text.startswith("["):
        end = text.find("]")
        if end != -1 and text[1:end] in _FORMATS:
            return text[1:end], _unhold(text[end + 1 :]).strip(_TRIM)
    return default, _unhold(text).strip(_TRIM)


_ID = re.compile(r"\[id:((?:\\]|[^\]\x00-\x1f\x7f])+)\]")


_TAG = re.compile(r"\[tag:((?:\\]|[^\]<>\x00-\x1f\x7f])+)\]")


def _id_and_tags(comments: str) -> tuple[str, list[str]]:
    """Moodle 4's idnumber and tags in a question's comment lines: `[id:x]`, `[tag:y]`."""
    found = _ID.search(comments)
    idnumber = found[1].replace("\\]", "]").strip() if found else ""
    return idnumber, [m[1].replace("\\]", "]").strip() for m in _TAG.finditer(comments)]


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
    tags: tuple[str, ...] = ()


#: The ordering plugin's options after `{>`, in its order (each optional, upper case as it matches).
_ORDERING = re.compile(
    r"^\s*>\s*(\d+)\s*"
    r"(ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?\s*"
    r"(HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)?\s*"
    r"(ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST|RELATIVE_NEXT_INCLUDE_LAST"
    r"|RELATIVE_ONE_PREVIOUS_AND_NEXT|RELATIVE_ALL_PREVIOUS_AND_NEXT|RELATIVE_TO_CORRECT|RELATIVE|REL"
    r"|LONGEST_ORDERED_SUBSET|LONGEST_CONTIGUOUS_SUBSET)?\s*"
    r"(SHOW|TRUE|YES|1|HIDE|FALSE|NO|0)?\s*"
    r"(none|123|abc|ABCD|iii|IIII)?\s*"
    r"(.*?)\s*$",
    re.DOTALL,
)


@dataclass(slots=True)
class _Reader(Reader):
    category: str = ""
    idnumbers: dict[int, str] = field(default_factory=dict)

    def block(self, b: _Block) -> None:
        text = b.text
        if not text.strip(_TRIM):
            return  # only comments
        i = len(text) - len(text.lstrip(_TRIM))
        line = b.line_at(i)
        if text.startswith("$CATEGORY:", i):
            first, _, rest = text[i + len("$CATEGORY:") :].partition("\n")
            self.category = _unhold(first).strip()
            self.categories.append(self.category)
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
            self.problem(line, N_("a description (no answers in { }) is not a question: skipped"))
            return
        if start == -1 or finish == -1 or finish < start:
            self.problem(
                line, N_("a { without its } or a } without its {: write \\{ or \\} for a brace in text")
            )
            return
        extra = [p for p in (text.find("{", finish + 1), text.find("}", finish + 1)) if p != -1]
        if extra:
            self.problem(
                b.line_at(min(extra)),
                N_(
                    "a second { } in one question (a cloze question?): skipped; "
                    "put a blank line between questions"
                ),
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
        idnumber, tags = _id_and_tags(b.comments)
        if self.category and (tag := category_tag(self.category)):
            tags.insert(0, tag)
        raw = _Raw(b, line, idnumber or name, fmt, stem, general, answers, start + 1, tuple(tags))
        self.question(raw)

    def question(self, q: _Raw) -> None:
        body = q.answers.strip(_TRIM)
        if body.startswith(">") and _ORDERING.match(body):
            self.ordering(q, body)
        elif not body:
            self.problem(q.line, N_("an essay question ({}) is not imported: skipped"))
        elif body.startswith("#"):
            self.numerical(q, body[1:])
        elif "~" in body:
            self.multiple_choice(q)
        elif "=" in body and "->" in body:
            self.matching(q, body)
        else:
            cut = body.find("#")
            verdict = body[:cut].strip(_TRIM) if cut > 0 else body
            if verdict in ("T", "TRUE", "F", "FALSE"):
                self.true_false(q, body, verdict in ("T", "TRUE"))
            else:
                self.short_answer(q, body)

    # --- the kinds ------------------------------------------------------------------------------

    def pieces(self, q: _Raw, body: str, marks: str) -> list[tuple[int, str]]:
        """The answers as Moodle splits them: each starts at one of `marks` (and keeps it); text
        before the first is an answer too when it is not blank. (offset in the block, text) each."""
        cuts = [k for k, char in enumerate(body) if char in marks]
        if not cuts:
            return [(0, body)] if body.strip(_TRIM) else []
        pieces = [(0, body[: cuts[0]])] if body[: cuts[0]].strip(_TRIM) else []
        ends = [*cuts[1:], len(body)]
        pieces += [(k, body[k:end]) for k, end in zip(cuts, ends, strict=True)]
        return pieces

    def multiple_choice(self, q: _Raw) -> None:
        # As Moodle: "=" anywhere makes a single-answer question; without one, several answers may
        # be chosen, each worth its weight.
        single = "=" in q.answers
        pieces = [(k, t[1:] if t.startswith("~") else t) for k, t in self.pieces(q, q.answers, "~=")]
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
                weight, piece = _weight(m[0]), piece[m.end() :]
            else:
                weight = 0.0
            text, _, note = piece.partition("#")
            options.append(_with_format(text, q.fmt))
            feedback.append(_with_format(note, q.fmt) if note.strip(_TRIM) else None)
            weights.append(weight)
            lines.append(q.block.line_at(q.offset + k))
        if not single:
            if not any(w > 0 for w in weights):
                self.problem(
                    q.line,
                    N_(
                        "no answer earns credit: mark the one right answer with =, or give each right "
                        "answer its share with ~%%50%% (the shares add up to 100%%)"
                    ),
                )
                return
            self.add(q, "multi", options=options, fractions=tuple(weights), feedback=feedback)
            return
        right = [n for n, w in enumerate(weights) if w == 1]
        if len(right) != 1:
            self.problem(
                q.line,
                N_(
                    "%(count)s answers are marked right with = in a single-answer question: mark one; "
                    "for several right answers that all must be chosen, give each its share "
                    "(~%%50%%) and no ="
                ),
                count=len(right),
            )
            return
        for n, w in enumerate(weights):
            if w not in (0, 1):
                self.warn(
                    lines[n],
                    N_(
                        "answer %(number)s: its partial weight %(weight)s is dropped (one right answer, "
                        "marked =): it counts as wrong"
                    ),
                    number=n + 1,
                    weight=f"{w * 100:g}%",
                )
        self.add(q, "mcq", options=options, answer=right[0], feedback=feedback)

    def true_false(self, q: _Raw, body: str, is_true: bool) -> None:
        # {T#feedback when answered wrong#feedback when answered right}
        parts = [*body.split("#", 2), "", ""][:3]
        wrong, right = parts[1], parts[2]
        notes = [_with_format(t, q.fmt) if t.strip(_TRIM) else None for t in (right, wrong)]
        self.add(q, "truefalse", correct=is_true, feedback=notes, right=0)

    def short_answer(self, q: _Raw, body: str) -> None:
        answers, feedback = [], []
        for _k, raw in self.pieces(q, body, "="):
            piece = raw.strip(_TRIM).removeprefix("=").strip(_TRIM)
            weight = 1.0
            if m := _WEIGHT.match(piece):
                weight, piece = _weight(m[0]), piece[m.end() :]
            text, _, note = piece.partition("#")
            text = _unhold(text).strip(_TRIM)
            if not text:
                continue
            answers.append((text, weight))
            feedback.append(_with_format(note, q.fmt) if note.strip(_TRIM) else None)
        if not answers:
            self.problem(q.line, N_("a short-answer question needs an answer"))
            return
        accepted = [
            Accepted(fraction=max(0.0, w), text=Text(t, t), feedback=_marked_key(n))
            for (t, w), n in zip(answers, feedback, strict=True)
        ]
        merged = merge_answers(accepted)
        kept = [_from_key(a.feedback) for a in merged]
        plain_answers = tuple(replace(a, feedback=None) for a in merged)
        self.add(q, "shortanswer", answers=plain_answers, feedback=kept)

    def numerical(self, q: _Raw, body: str) -> None:
        # {#answer:tolerance}, {#min..max}, several {#=%100%1937:0 =%50%1937:2}; "~#feedback" after
        # them is the feedback for any other answer.
        wrong = ""
        if (pos := body.find("~")) != -1:
            body, wrong = body[:pos], body[pos:]
        answers, feedback = [], []
        for _k, raw in self.pieces(q, body, "="):
            piece = raw.strip(_TRIM).removeprefix("=").strip(_TRIM)
            weight = 1.0
            if m := _WEIGHT.match(piece):
                weight, piece = _weight(m[0]), piece[m.end() :]
            text, _, note = piece.partition("#")
            text = _unhold(text).strip(_TRIM)
            value = _numeric(text)
            if value is None:
                self.problem(
                    q.line, N_('"%(value)s" is not a number, a number:tolerance or min..max'), value=text[:20]
                )
                return
            if value[0] is None:  # "*": any answer, Moodle's catch-all
                continue
            answers.append(Accepted(fraction=max(0.0, weight), value=value[0], tolerance=value[1],
                                    feedback=None))  # fmt: skip
            feedback.append(_with_format(note, q.fmt) if note.strip(_TRIM) else None)
        if wrong.strip(_TRIM).lstrip("~").strip(_TRIM).lstrip("#").strip(_TRIM):
            self.warn(q.line, N_("the feedback for other answers (~#...) is dropped"))
        if not answers:
            self.problem(q.line, N_("a numerical question needs an answer"))
            return
        self.add(q, "numerical", answers=tuple(answers), feedback=feedback)

    def matching(self, q: _Raw, body: str) -> None:
        pairs = []
        for _k, raw in self.pieces(q, body, "="):
            piece = raw.strip(_TRIM).removeprefix("=")
            if "->" not in piece:
                self.problem(q.line, N_("a matching answer needs -> between its question and its answer"))
                return
            left, _, right = piece.partition("->")
            marked = _with_format(left, q.fmt)
            pairs.append((marked if marked[1] else None, _unhold(right).strip(_TRIM)))
        self.add(q, "matching", pairs=pairs)

    def ordering(self, q: _Raw, body: str) -> None:
        m = _ORDERING.match(body)
        assert m is not None
        # Items one a line, read as the plugin reads them (no GIFT escapes; HTML in Moodle's format).
        items = [line.strip(_TRIM) for line in _unhold(m[7]).split("\n")]
        items = [i for i in items if i]
        if not 2 <= len(items) <= MAX_OPTIONS:
            self.problem(
                q.line,
                N_("an ordering question needs 2 to %(most)s items, not %(count)s"),
                most=MAX_OPTIONS,
                count=len(items),
            )
            return
        select, count = (m[2] or "RANDOM"), int(m[1])
        if select not in ("ALL", "EXACT") and 2 <= count < len(items):
            self.warn(
                q.line,
                N_("Moodle shows a student %(count)s of its %(total)s items; all of them are imported"),
                count=count,
                total=len(items),
            )
        self.add(q, "ordering", items=[("moodle", i) for i in items])

    # --- one question ---------------------------------------------------------------------------

    def add(
        self,
        q: _Raw,
        qtype: str,
        *,
        options: list[Marked] = (),  # type: ignore[assignment]
        answer: int | None = None,
        fractions: tuple[float, ...] = (),
        items: list[Marked] = (),  # type: ignore[assignment]
        correct: bool | None = None,
        answers: tuple[Accepted, ...] = (),
        pairs: list[tuple[Marked, str]] = (),  # type: ignore[assignment]
        feedback: list[Marked | None] = (),  # type: ignore[assignment]
        right: int | None = None,
    ) -> None:
        general = _with_format(q.general, q.fmt)
        texts, plain, losses = self.texts(
            [
                (q.fmt, q.stem),
                general if general[1] else None,
                *options,
                *items,
                *(p[0] for p in pairs),
                *feedback,
            ]  # fmt: skip
        )
        prompt, explanation, *rest = texts
        assert prompt is not None
        opts = tuple(t for t in rest[: len(options)] if t is not None)
        its = tuple(t for t in rest[len(options) : len(options) + len(items)] if t is not None)
        lefts = rest[len(options) + len(items) : len(options) + len(items) + len(pairs)]
        notes = rest[len(options) + len(items) + len(pairs) :]
        if explanation is None:
            keep = answer if qtype == "mcq" else right
            if keep is not None and keep < len(notes):
                explanation = notes[keep]
        kept_note = answer if qtype == "mcq" else right
        if qtype in ("numerical", "shortanswer"):
            answers = tuple(
                Accepted(fraction=a.fraction, text=a.text, value=a.value, tolerance=a.tolerance, feedback=n)
                for a, n in zip(answers, [*notes, *[None] * len(answers)], strict=False)
            )
        elif any(n is not None for k, n in enumerate(notes) if k != kept_note or q.general.strip(_TRIM)):
            self.warn(
                q.line,
                N_(
                    "feedback on answers is dropped: a question keeps one explanation, "
                    "the general feedback (####) or else the right answer's"
                ),
            )
        if explanation is not None and not (explanation.ar.strip() or explanation.en.strip()):
            explanation = None
        question = AuthoredQuestion(
            id=_question_id(q.name, prompt, q.line),
            type=qtype,  # type: ignore[arg-type]
            prompt=prompt,
            options=opts,
            answer=answer,
            fractions=fractions,
            items=its,
            correct=correct,
            answers=answers,
            pairs=tuple(
                Pair(left if left is not None and (left.ar or left.en) else None, split_pair(r))
                for left, (_m, r) in zip(lefts, pairs, strict=True)
            ),
            explanation=explanation,
        )
        self.keep(question, q.line, plain, losses, q.tags)


def _weight(mark: str) -> float:
    """A GIFT weight ("%50%", "%-33.33333%") as a fraction, read as Moodle reads it."""
    number = mark[1:-1]
    sign = -1 if number.startswith("-") else 1
    return sign * float(number.lstrip("-")) / 100


def _numeric(text: str) -> tuple[float | int | None, float | int] | None:
    """A numerical answer (value, tolerance) from "1937", "1937:2" or "1936..1938"; (None, 0) for
    "*"; None when it is none of these."""

    def num(t: str) -> float | int | None:
        try:
            v = float(t.strip())
        except ValueError:
            return None
        if not math.isfinite(v):
            return None
        return int(v) if v.is_integer() and not any(c in t for c in ".eE") else v

    text = text.strip()
    if text == "*":
        return None, 0
    if (k := text.find("..")) > 0:
        low, high = num(text[:k]), num(text[k + 2 :])
        if low is None or high is None:
            return None
        # As Moodle: the middle, and half the range as the tolerance (rounded off float noise).
        mid = round((low + high) / 2, 12)
        mid = int(mid) if float(mid).is_integer() else mid
        return mid, round(abs(high - mid), 12)
    if (k := text.find(":")) > 0:
        value, tolerance = num(text[:k]), num(text[k + 1 :])
        if value is None or tolerance is None:
            return None
        return value, abs(tolerance)
    value = num(text)
    return None if value is None else (value, 0)


def import_gift(text: str | bytes, path: str = "<gift>") -> MoodleImport:
    """The questions of a GIFT file, every kind we have, as hand-written questions.

    Questions that cannot be imported (essays, descriptions, cloze, broken ones) are skipped and
    listed in `problems` (`path:line: message`); `warnings` name what the imported ones lost.
    :raise BankFileError: when the file is too big, not UTF-8, holds private-use characters, or
        gives no question at all (its problems then say why).
    """
    too_big(text, path, MAX_GIFT_BYTES)
    text = decoded(text, path)
    if m := _HELD.search(text):
        line = text.count("\n", 0, m.start()) + 1
        template = N_("the character U+%(code)s (private use) is not allowed")
        raise BankFileError([Problem(path, line, "", template, {"code": f"{ord(m[0]):04X}"})])
    reader = _Reader(path)
    for b in _blocks(text):
        reader.block(b)
    return reader.result()


def _marked_key(note: Marked | None) -> Text | None:
    """A feedback's (format, markup) carried through merge_answers inside a Text's two fields."""
    return None if note is None else Text(note[0], note[1])


def _from_key(note: Text | None) -> Marked | None:
    return None if note is None else (note.ar, note.en)
