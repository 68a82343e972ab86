"""Bank formats, side by side, behind one small registry: the bank file (bankfile.py, with
bankfile_reader.py: YAML in and out, JSON out), GIFT (gift.py) and Moodle XML (moodle_xml.py; both
Moodle formats share moodle_common.py and multilang.py). None imports another: what they share
about banks is the domain's (bank.py, validate.py, problems.py, limits.py). A new format is a
module here and a line in the registry.
"""

from __future__ import annotations

from collections.abc import Callable

from ..bank import Bank
from ..problems import BankFileError
from .bankfile import bank_json, dump_bank
from .gift import export_gift, import_gift
from .moodle_common import MoodleImport, merge_questions
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
