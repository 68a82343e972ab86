"""Bank formats, side by side, behind one small registry: the bank file (bankfile.py, with
bankfile_reader.py: YAML in and out, JSON out), GIFT (gift.py), Moodle XML (moodle_xml.py) and
Aiken in (aiken.py; the Moodle formats share moodle_common.py and multilang.py). None imports
another: what they share about banks is the domain's (bank.py, validate.py, problems.py,
limits.py). A new format is a module here and a line in the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ..bank import Bank
from ..messages import N_, Choices
from ..problems import BankFileError, Problem
from .aiken import import_aiken, looks_like_aiken
from .bankfile import bank_json, dump_bank
from .gift import export_gift, import_gift
from .moodle_common import EVENT_TAG, MoodleImport, _category, category_tag, merge_questions
from .moodle_xml import export_moodle_xml, import_moodle_xml


def bank_gift(bank: Bank) -> str:
    """The bank's multiple-choice questions for Moodle, in GIFT."""
    return export_gift(bank)


def bank_moodle_xml(bank: Bank) -> str:
    """The bank's questions for Moodle, in Moodle XML."""
    return export_moodle_xml(bank)


#: Export formats by name (`quizapp bank export --format`).
EXPORT_FORMATS: dict[str, Callable[[Bank], str]] = {
    "json": bank_json,
    "yaml": dump_bank,
    "gift": bank_gift,
    "moodle-xml": bank_moodle_xml,
}


def is_moodle_xml(data: str | bytes, path: str = "") -> bool:
    """Whether a file is Moodle XML rather than GIFT: it begins as XML does, or its name ends in .xml."""
    head = data[:1024]
    start = (head.decode("utf-8", "ignore") if isinstance(head, bytes) else head).lstrip("\ufeff \t\r\n")
    return start.lower().startswith(("<?xml", "<quiz")) or path.lower().endswith(".xml")


def moodle_format(data: str | bytes, path: str = "") -> str:
    """Which Moodle format a file is in: "moodle-xml" (see is_moodle_xml), "aiken" (see
    aiken.looks_like_aiken) or "gift"."""
    if is_moodle_xml(data, path):
        return "moodle-xml"
    return "aiken" if looks_like_aiken(data, path) else "gift"


_READERS = {"moodle-xml": import_moodle_xml, "aiken": import_aiken, "gift": import_gift}


def import_moodle(data: str | bytes, path: str = "<moodle>") -> MoodleImport:
    """The questions of a GIFT, Moodle XML or Aiken file, told apart by moodle_format.

    :raise BankFileError: as import_gift, import_moodle_xml or import_aiken.
    """
    return _READERS[moodle_format(data, path)](data, path)


def add_moodle(
    bank: Bank, data: str | bytes, path: str = "<moodle>", strict: bool = False
) -> tuple[Bank, MoodleImport]:
    """The bank with a Moodle file's questions added (what can be), and what the file gave.

    A question's links to events the bank does not have are dropped with a warning; the bank's own
    category (as its exports write it) is no tag. With `strict`, any question skipped refuses the
    whole file.
    :raise BankFileError: when no question can be imported, when the file itself is refused (see
        import_moodle), or, with `strict`, when any question is skipped.
    """
    result = import_moodle(data, path)
    if result.problems and strict:
        raise BankFileError(list(result.problems))
    known = {e.id for e in bank.events}
    own = category_tag(_category(bank))
    questions, warnings = [], list(result.warnings)
    for q in result.questions:
        missing = [e for e in q.events if e not in known]
        if missing:
            warnings.append(
                Problem(
                    path, None, "",
                    N_(
                        'question "%(id)s": its links to events this bank does not have are dropped: '
                        "%(events)s"
                    ),
                    {"id": q.id, "events": Choices(tuple(EVENT_TAG + e for e in missing), "standard-narrow")},
                )
            )  # fmt: skip
        questions.append(
            replace(
                q, events=tuple(e for e in q.events if e in known), tags=tuple(t for t in q.tags if t != own)
            )
        )
    kept = replace(result, questions=tuple(questions), warnings=tuple(warnings))
    return merge_questions(bank, questions), kept
