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

from ..bank import Bank
from ..bankfile import BankFileError
from .common import (
    FALSE,
    MAX_GIFT_BYTES,
    MAX_IMPORT_BYTES,
    MAX_NAME,
    MAX_OPTIONS,
    MAX_XML_BYTES,
    MOODLE_GRADING,
    TRUE,
    MoodleImport,
    generated_questions,
    merge_questions,
)
from .gift import export_gift, gift_escape, import_gift
from .moodle_xml import export_moodle_xml, import_moodle_xml, xml_text
from .multilang import multilang, split_multilang

__all__ = [
    "FALSE",
    "MAX_GIFT_BYTES",
    "MAX_IMPORT_BYTES",
    "MAX_NAME",
    "MAX_OPTIONS",
    "MAX_XML_BYTES",
    "MOODLE_GRADING",
    "TRUE",
    "MoodleImport",
    "add_moodle",
    "export_gift",
    "export_moodle_xml",
    "generated_questions",
    "gift_escape",
    "import_gift",
    "import_moodle",
    "import_moodle_xml",
    "is_moodle_xml",
    "merge_questions",
    "multilang",
    "split_multilang",
    "xml_text",
]


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
