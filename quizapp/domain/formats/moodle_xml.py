"""Moodle XML out and in (see the package's docstring)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..bank import AuthoredQuestion, Bank, Text
from ..generate import Question
from ..messages import N_, Message
from ..problems import BankFileError, Problem
from ..scoring import ORDERING_METHODS
from ..xmlread import MAX_ELEMENTS, XmlDocument, XmlRefused, parse_xml
from .moodle_common import (
    FALSE,
    MAX_NAME,
    MAX_OPTIONS,
    MAX_XML_BYTES,
    MOODLE_GRADING,
    TRUE,
    MoodleImport,
    _category,
    _Out,
    _outgoing,
    _question_id,
    _refused,
    _unique,
)
from .multilang import multilang, split_multilang

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
        elif err.too_many:
            template = N_("the file has more than %(limit)s elements: refused")
            params = {"limit": f"{MAX_ELEMENTS:,}"}
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
