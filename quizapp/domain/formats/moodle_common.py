"""What both Moodle formats share: the limits, the questions that go out, and the imported
questions' result, names and merge into a bank.

Moodle's formats: GIFT and Moodle XML out, and both back in.

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

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..bank import AuthoredQuestion, Bank, Text
from ..generate import KINDS, Question, Settings, generate_quiz
from ..limits import MAX_BANK_BYTES
from ..problems import Problem
from ..validate import SLUG_RE, validate_bank

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
