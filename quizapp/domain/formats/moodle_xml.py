"""Moodle XML out and in (see the package's docstring)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ..bank import Accepted, AuthoredQuestion, Bank, Pair, Text
from ..generate import Question
from ..messages import N_, Message
from ..problems import BankFileError, Problem
from ..scoring import ORDERING_METHODS
from ..xmlread import MAX_ELEMENTS, XmlDocument, XmlRefused, parse_xml
from .moodle_common import (
    MAX_NAME,
    MAX_OPTIONS,
    MAX_XML_BYTES,
    MOODLE_GRADING,
    Marked,
    MoodleImport,
    Reader,
    _category,
    _Out,
    _outgoing,
    _question_id,
    carriable,
    category_tag,
    event_tags,
    join_pair,
    merge_answers,
    read_text,
    split_pair,
    too_big,
)
from .multilang import multilang

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


def _head(quiz: ET.Element, out: _Out, qtype: str, penalty: str = "0.3333333") -> ET.Element:
    q = out.question
    el = _sub(quiz, "question", type=qtype)
    _sub(_sub(el, "name"), "text", " ".join(out.name[:MAX_NAME].split()))
    _formatted(el, "questiontext", multilang(q.prompt))
    _formatted(el, "generalfeedback", multilang(q.explanation) if q.explanation else "")
    _sub(el, "defaultgrade", "1")
    _sub(el, "penalty", penalty)
    _sub(el, "hidden", "0")
    _sub(el, "idnumber", q.id[:100])
    return el


def _tags(el: ET.Element, q: AuthoredQuestion) -> None:
    tags = event_tags(q)
    if tags:
        holder = _sub(el, "tags")
        for tag in tags:
            _sub(_sub(holder, "tag"), "text", tag)


def _combined_feedback(el: ET.Element, shownumcorrect: bool = False) -> None:
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _formatted(el, tag, "")
    if shownumcorrect:
        _sub(el, "shownumcorrect")


def _answer(
    el: ET.Element, text: str, fraction: float, feedback: Text | None, fmt: str = "html"
) -> ET.Element:
    answer = _sub(el, "answer", fraction=_percent(fraction), format=fmt)
    _sub(answer, "text", text)
    _formatted(answer, "feedback", multilang(feedback) if feedback else "")
    return answer


def _percent(fraction: float) -> str:
    return f"{round(fraction * 100, 5):g}"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def export_moodle_xml(
    bank: Bank,
    questions: Iterable[Question] | None = None,
    ordering_method: str = "relative_next_exclude_last",
) -> str:
    """The bank's questions (and generated ones, if given) as a Moodle XML file, every kind.

    Multiple choice: one right answer (fraction 100, the others 0), answers shuffled; several right
    answers: `single` false, each answer's fraction. True/false, numerical (answers with their
    tolerance), short answer (one answer per language when they differ), matching (answers as
    "عربي / English" when they differ) and ordering (the ordering plugin's question, items in the
    right order, graded by `ordering_method`, one of scoring.ORDERING_METHODS; the default is the
    plugin's). Each question's idnumber is its id, its tags its tags and `event:<id>` per event it
    tests. A category question comes first.
    :raise ValueError: on an unknown ordering method.
    """
    if ordering_method not in MOODLE_GRADING:
        known = ", ".join(ORDERING_METHODS)
        raise ValueError(f"unknown ordering method {ordering_method!r}; known: {known}")
    quiz = ET.Element("quiz")
    category = _sub(quiz, "question", type="category")
    _sub(_sub(category, "category"), "text", _category(bank))
    _formatted(category, "info", multilang(bank.description) if bank.description else "")
    for out in _outgoing(bank, questions):
        q = out.question
        if not carriable(q):
            why = f" {out.name}: left out, Moodle XML cannot carry this question ({q.type}) "
            quiz.append(ET.Comment(why.replace("--", "- -")))
            continue
        if q.type in ("mcq", "multi"):
            el = _head(quiz, out, "multichoice")
            _sub(el, "single", "true" if q.type == "mcq" else "false")
            _sub(el, "shuffleanswers", "true")
            _sub(el, "answernumbering", "abc")
            _sub(el, "showstandardinstruction", "0")
            _combined_feedback(el, shownumcorrect=q.type == "multi")
            fractions = (
                [1.0 if i == q.answer else 0.0 for i in range(len(q.options))]
                if q.type == "mcq"
                else [*q.fractions, *[0.0] * (len(q.options) - len(q.fractions))]
            )
            for option, f in zip(q.options, fractions, strict=False):
                _answer(el, multilang(option), f, None)
        elif q.type == "truefalse":
            el = _head(quiz, out, "truefalse", penalty="1")
            for word, value in (("true", True), ("false", False)):
                _answer(el, word, 1.0 if q.correct is value else 0.0, None, fmt="moodle_auto_format")
        elif q.type == "numerical":
            el = _head(quiz, out, "numerical")
            for a in q.answers:
                if a.value is None:
                    continue
                answer = _answer(el, _number(a.value), a.fraction, a.feedback, fmt="moodle_auto_format")
                _sub(answer, "tolerance", _number(a.tolerance))
            _sub(el, "unitgradingtype", "0")
            _sub(el, "unitpenalty", "0.1000000")
            _sub(el, "showunits", "3")
            _sub(el, "unitsleft", "0")
        elif q.type == "shortanswer":
            el = _head(quiz, out, "shortanswer")
            _sub(el, "usecase", "1" if q.case_sensitive else "0")
            for a in q.answers:
                if a.text is None:
                    continue
                for text in dict.fromkeys(" ".join(t.split()) for t in (a.text.ar, a.text.en)):
                    if text:
                        _answer(el, text, a.fraction, a.feedback, fmt="moodle_auto_format")
        elif q.type == "matching":
            el = _head(quiz, out, "matching")
            _sub(el, "shuffleanswers", "true")
            _combined_feedback(el, shownumcorrect=True)
            for pair in q.pairs:
                sub = _formatted(el, "subquestion", multilang(pair.left) if pair.left is not None else "")
                _sub(_sub(sub, "answer"), "text", join_pair(pair.right))
        elif q.type == "ordering":
            el = _head(quiz, out, "ordering")
            _sub(el, "layouttype", "VERTICAL")
            _sub(el, "selecttype", "ALL")
            _sub(el, "selectcount", str(len(q.items)))
            _sub(el, "gradingtype", MOODLE_GRADING[ordering_method])
            _sub(el, "showgrading", "SHOW")
            _sub(el, "numberingstyle", "none")
            _combined_feedback(el)
            _sub(el, "shownumcorrect", "1")
            # The plugin keeps the right order in `fraction` (1, 2, 3, ...), as its own export does.
            for position, item in enumerate(q.items, start=1):
                _formatted(el, "answer", multilang(item), fraction=str(position))
        else:
            why = f" {out.name}: left out, Moodle XML cannot carry this question ({q.type}) "
            quiz.append(ET.Comment(why.replace("--", "- -")))
            continue
        _tags(el, q)
    ET.indent(quiz, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


#: qformat_xml's format names as GIFT's (moodle_common.TEXT_FORMATS); any other is html, as in Moodle.
_XML_FORMATS = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown",
                "wiki_like": "plain"}  # fmt: skip


def xml_text(fmt: str, markup: str) -> tuple[Text, bool]:
    """A Moodle XML text in its format, as Arabic and English plain text: (text, found)."""
    text, found, _losses = read_text(_XML_FORMATS.get(fmt.strip(), "html"), markup)
    return text, found


#: The longest question name a warning quotes, and the longest value a problem does.
_NAME_SHOWN = 80


_VALUE_SHOWN = 20


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


#: Moodle's question types by what a teacher calls them, for the skipped ones' warnings.
_SKIPPED_TYPES = {
    "essay": N_("an essay"),
    "description": N_("a description"),
    "cloze": N_("a cloze (embedded answers) question"),
    "multianswer": N_("a cloze (embedded answers) question"),
}


@dataclass(slots=True)
class _XmlReader(Reader):
    doc: XmlDocument | None = None
    category: str = ""
    number: int = 0  # the question's number in the file (categories not counted)

    def line(self, el: ET.Element | None) -> int | None:
        assert self.doc is not None
        return self.doc.line(el)

    def marked(self, el: ET.Element | None, default: str) -> Marked:
        """A formatted element's text and its format (the question text's when it names none)."""
        if el is None:
            return default, ""
        fmt = el.get("format")
        return (_XML_FORMATS.get(fmt.strip(), "html") if fmt else default), _text_of(el)

    def question(self, el: ET.Element) -> None:
        qtype = (el.get("type") or "").strip()
        if qtype == "category":
            category = " ".join(_text_of(el.find("category")).split())
            if category:
                self.category = category
                self.categories.append(category)
            return
        self.number += 1
        fmt, stem = self.marked(el.find("questiontext"), "html")
        name = _text_of(el.find("name")).strip()
        # A name is plain text, but may hold multilang spans; without one, the question's text.
        names, _ = xml_text("html", name) if name else xml_text(_FORMAT_NAMES.get(fmt, "html"), stem)
        shown = " / ".join(dict.fromkeys(n for n in (names.en, names.ar) if n))
        shown = shown if len(shown) <= _NAME_SHOWN else shown[: _NAME_SHOWN - 1] + "…"
        label = shown or Message(N_("(no name)"))
        idnumber = (el.findtext("idnumber") or "").strip()
        tags = [category_tag(self.category)] if self.category else []
        holder = el.find("tags")
        if holder is not None:
            tags += [_text_of(t).strip() for t in holder.findall("tag")]
        head = _Head(el, fmt, stem, idnumber or names.en, label, tuple(t for t in tags if t))
        handler = {
            "multichoice": self.multichoice,
            "truefalse": self.truefalse,
            "shortanswer": self.shortanswer,
            "numerical": self.numerical,
            "matching": self.matching,
            "ordering": self.ordering,
        }.get(qtype)
        if handler is not None:
            handler(head)
            return
        kind = _SKIPPED_TYPES.get(qtype)
        if kind:
            self.problem(
                self.line(el),
                N_('question %(number)s, "%(name)s", is skipped: %(kind)s is not a question we can import'),
                number=self.number, name=label, kind=Message(kind),
            )  # fmt: skip
        else:
            self.problem(
                self.line(el),
                N_('question %(number)s, "%(name)s", is skipped: its type (%(type)s) is not imported'),
                number=self.number, name=label, type=qtype or "?",
            )  # fmt: skip

    def answers(self, head: _Head) -> tuple[list[ET.Element], list[float]] | None:
        """The answers and their fractions (in percent); None (and a problem) when one is no number."""
        answers = head.el.findall("answer")
        fractions = []
        for n, answer in enumerate(answers, start=1):
            fraction = _fraction(answer)
            if fraction is None:
                value = answer.get("fraction", "")
                value = value if len(value) <= _VALUE_SHOWN else value[: _VALUE_SHOWN - 1] + "…"
                self.problem(
                    self.line(answer),
                    N_('answer %(number)s: its fraction "%(value)s" is not a number'),
                    number=n,
                    value=value,
                )
                return None
            fractions.append(fraction)
        return answers, fractions

    def multichoice(self, head: _Head) -> None:
        el = head.el
        single = el.findtext("single")
        several = single is not None and single.strip() in ("false", "0", "")  # as Moodle's trans_single
        read = self.answers(head)
        if read is None:
            return
        answers, fractions = read
        if not 2 <= len(answers) <= MAX_OPTIONS:
            self.problem(
                self.line(el),
                N_("a multiple-choice question needs 2 to %(most)s answers, not %(count)s"),
                most=MAX_OPTIONS,
                count=len(answers),
            )
            return
        options = [self.marked(a, head.fmt) for a in answers]
        feedback = [self.note(a, head.fmt) for a in answers]
        if several:
            shares = tuple(f / 100 for f in fractions)
            self.add(head, "multi", options=options, fractions=shares, feedback=feedback)
            return
        right = [n for n, f in enumerate(fractions) if abs(f - 100) < 1e-6]
        if len(right) != 1:
            self.problem(
                self.line(el),
                N_(
                    "%(count)s answers have the full grade (fraction 100) in a single-answer question: "
                    "one must; for several right answers that all must be chosen, set <single>false</single> "
                    "and give each its share"
                ),
                count=len(right),
            )
            return
        for n, (answer, f) in enumerate(zip(answers, fractions, strict=True)):
            if n != right[0] and f != 0:
                self.warn(
                    self.line(answer),
                    N_(
                        "answer %(number)s: its partial weight %(weight)s is dropped (one right answer, "
                        "fraction 100): it counts as wrong"
                    ),
                    number=n + 1,
                    weight=f"{f:g}%",
                )
        self.add(head, "mcq", options=options, answer=right[0], feedback=feedback)

    def note(self, answer: ET.Element, fmt: str) -> Marked | None:
        marked = self.marked(answer.find("feedback"), fmt)
        return marked if marked[1].strip() else None

    def truefalse(self, head: _Head) -> None:
        read = self.answers(head)
        if read is None:
            return
        answers, fractions = read
        if not answers:
            self.problem(self.line(head.el), N_("a true/false question needs its answers, true and false"))
            return
        # As Moodle reads it: the answer "true" (else the first) is right when its fraction is
        # 100, the answer "false" when its fraction is not; the last answer read decides.
        is_true = True
        feedback: dict[bool, Marked | None] = {True: None, False: None}
        for n, (answer, f) in enumerate(zip(answers, fractions, strict=True)):
            word = _text_of(answer).strip()
            says_true = word == "true" if word in ("true", "false") else n == 0
            is_true = (f == 100) if says_true else (f != 100)
            feedback[says_true] = self.note(answer, head.fmt)
        right, wrong = (feedback[True], feedback[False]) if is_true else (feedback[False], feedback[True])
        self.add(head, "truefalse", correct=is_true, feedback=[right, wrong], right=0)

    def shortanswer(self, head: _Head) -> None:
        read = self.answers(head)
        if read is None:
            return
        answers, fractions = read
        accepted, notes = [], []
        for answer, f in zip(answers, fractions, strict=True):
            text = " ".join(_text_of(answer).split())
            if not text:
                continue
            note = self.note(answer, head.fmt)
            accepted.append(Accepted(fraction=max(0.0, f / 100), text=Text(text, text),
                                     feedback=None if note is None else Text(*note)))  # fmt: skip
        merged = merge_answers(accepted)
        notes = [None if a.feedback is None else (a.feedback.ar, a.feedback.en) for a in merged]
        usecase = (head.el.findtext("usecase") or "0").strip() not in ("0", "", "false")
        self.add(head, "shortanswer", answers=tuple(replace(a, feedback=None) for a in merged),
                 feedback=notes, case_sensitive=usecase)  # fmt: skip

    def numerical(self, head: _Head) -> None:
        read = self.answers(head)
        if read is None:
            return
        answers, fractions = read
        accepted, notes = [], []
        for answer, f in zip(answers, fractions, strict=True):
            raw = (_text_of(answer) or "".join(answer.itertext())).strip()
            if raw in ("", "*"):
                if self.note(answer, head.fmt):
                    self.warn(self.line(answer), N_("the feedback for other answers (*) is dropped"))
                continue
            value, tolerance = _num(raw), _num(answer.findtext("tolerance") or "0")
            if value is None or tolerance is None:
                self.problem(self.line(answer), N_('"%(value)s" is not a number'), value=raw[:_VALUE_SHOWN])
                return
            accepted.append(Accepted(fraction=max(0.0, f / 100), value=value, tolerance=abs(tolerance)))
            notes.append(self.note(answer, head.fmt))
        if head.el.find("units") is not None and head.el.find("units").find("unit") is not None:  # type: ignore[union-attr]
            self.warn(self.line(head.el), N_("its units are dropped: only the number is asked for"))
        self.add(head, "numerical", answers=tuple(accepted), feedback=notes)

    def matching(self, head: _Head) -> None:
        pairs = []
        for sub in head.el.findall("subquestion"):
            left = self.marked(sub, head.fmt)
            right = " ".join(_text_of(sub.find("answer")).split())
            if not right:
                continue
            pairs.append((left if left[1].strip() else None, right))
        self.add(head, "matching", pairs=pairs)

    def ordering(self, head: _Head) -> None:
        el = head.el
        # The plugin reads its answers in the right order (their fractions are only positions).
        answers = el.findall("answer")
        if not 2 <= len(answers) <= MAX_OPTIONS:
            self.problem(
                self.line(el),
                N_("an ordering question needs 2 to %(most)s items, not %(count)s"),
                most=MAX_OPTIONS,
                count=len(answers),
            )
            return
        select = (el.findtext("selecttype") or "ALL").strip().upper()
        count = (el.findtext("selectcount") or "").strip()
        if select not in ("ALL", "EXACT", "0") and count.isdigit() and 2 <= int(count) < len(answers):
            self.warn(
                self.line(el),
                N_("Moodle shows a student %(count)s of its %(total)s items; all of them are imported"),
                count=int(count),
                total=len(answers),
            )
        feedback = [self.note(a, head.fmt) for a in answers]
        items = [self.marked(a, head.fmt) for a in answers]
        self.add(head, "ordering", items=items, feedback=feedback)

    def add(
        self,
        head: _Head,
        qtype: str,
        *,
        options: Sequence[Marked] = (),
        answer: int | None = None,
        fractions: tuple[float, ...] = (),
        items: Sequence[Marked] = (),
        correct: bool | None = None,
        answers: tuple[Accepted, ...] = (),
        case_sensitive: bool = False,
        pairs: Sequence[tuple[Marked | None, str]] = (),
        feedback: Sequence[Marked | None] = (),
        right: int | None = None,
    ) -> None:
        el = head.el
        general = self.marked(el.find("generalfeedback"), head.fmt)
        texts, plain, losses = self.texts(
            [
                (head.fmt, head.stem),
                general if general[1].strip() else None,
                *options,
                *items,
                *(p[0] for p in pairs),
                *feedback,
            ]  # fmt: skip
        )
        prompt, explanation, *rest = texts
        assert prompt is not None
        n_opt, n_item, n_pair = len(options), len(items), len(pairs)
        opts = tuple(t for t in rest[:n_opt] if t is not None)
        its = tuple(t for t in rest[n_opt : n_opt + n_item] if t is not None)
        lefts = rest[n_opt + n_item : n_opt + n_item + n_pair]
        notes = rest[n_opt + n_item + n_pair :]
        kept_note = answer if qtype == "mcq" else right
        if explanation is None and kept_note is not None and kept_note < len(notes):
            explanation = notes[kept_note]
        if qtype in ("numerical", "shortanswer"):
            answers = tuple(
                replace(a, feedback=n)
                for a, n in zip(answers, [*notes, *[None] * len(answers)], strict=False)
            )
        elif any(n is not None for k, n in enumerate(notes) if k != kept_note or general[1].strip()):
            self.warn(
                self.line(el),
                N_(
                    "feedback on answers is dropped: a question keeps one explanation, "
                    "the general feedback or else the right answer's"
                ),
            )
        files = [f.get("name") or "?" for f in el.iter("file")]
        if files:
            losses.files[:0] = [f for f in files if f not in losses.files]
        line = self.line(el)
        question = AuthoredQuestion(
            id=_question_id(head.name, prompt, line, "moodle"),
            type=qtype,  # type: ignore[arg-type]
            prompt=prompt,
            options=opts,
            answer=answer,
            fractions=fractions,
            items=its,
            correct=correct,
            answers=answers,
            case_sensitive=case_sensitive,
            pairs=tuple(Pair(left, split_pair(r)) for left, (_m, r) in zip(lefts, pairs, strict=True)),
            explanation=explanation,
        )
        self.keep(question, line, plain, losses, head.tags)


#: GIFT's format names back to themselves (a question text's format is already one of them).
_FORMAT_NAMES = {name: name for name in ("html", "moodle", "plain", "markdown")}


@dataclass(frozen=True, slots=True)
class _Head:
    """What every question has: its element, its text's format and markup, name, label, tags."""

    el: ET.Element
    fmt: str
    stem: str
    name: str
    label: str | Message
    tags: tuple[str, ...]


def _num(text: str) -> int | float | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and not any(c in text for c in ".eE") else value


def import_moodle_xml(data: str | bytes, path: str = "<moodle-xml>") -> MoodleImport:
    """The questions of a Moodle XML file, every kind we have.

    Questions of other types (essays, descriptions, cloze, ...) are skipped, each named by its
    number and name in `problems` with its line; so are questions that cannot be imported.
    :raise BankFileError: when the file is too big, not well-formed XML, declares a DTD (entities,
        a billion laughs), is not a Moodle XML quiz, or gives no question at all (its problems and
        warnings then say why).
    """
    too_big(data, path, MAX_XML_BYTES)
    try:
        doc = parse_xml(data)
    except XmlRefused as err:
        if err.forbidden:
            template, params = N_("a DOCTYPE or an entity is not allowed in a Moodle XML file"), {}
        elif err.too_many:
            template = N_("the file has more than %(limit)s elements: refused")
            params = {"limit": f"{MAX_ELEMENTS:,}"}
        else:
            template, params = N_("not well-formed XML: %(detail)s"), {"detail": err.detail}
        raise BankFileError([Problem(path, err.line, "", template, params)]) from None
    if doc.root.tag != "quiz":
        template = N_("not a Moodle XML file: its top element is <%(tag)s>, not <quiz>")
        raise BankFileError([Problem(path, doc.line(doc.root), "", template, {"tag": doc.root.tag})])
    reader = _XmlReader(path, doc=doc)
    for el in doc.root.findall("question"):
        reader.question(el)
    return reader.result()
