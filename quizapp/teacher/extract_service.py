"""Extraction for teachers: a pasted text's proposals with their date marked in the sentence, and
accepted proposals saved as events of a new or existing bank that keeps the text as its source.

The source rule: every event's evidence must be found in the bank's source text (validate_bank
checks it). A new bank's source is the pasted text. When events from a different text are added to
an existing bank, that text is appended to the bank's source after a blank line, so the old and the
new evidence stay verifiable; the source keeps its title, file name and language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy.exc import IntegrityError

from ..banks import save_bank, to_domain
from ..domain import bank as domain
from ..domain.dates import PartialDate, localize_digits
from ..domain.extract import MAX_PROPOSALS, MAX_TEXT_BYTES, Proposal, extract_first
from ..domain.hijri import ERA as HIJRI_ERA
from ..domain.hijri import MONTHS as HIJRI_MONTHS
from ..domain.problems import Problem
from ..domain.validate import validate_bank
from ..extensions import db
from ..models import Bank, User
from .services import SlugTaken, may_edit, slug_taken, visible_banks

#: Event ids are slugs cut at this length (the database key holds 80 characters, suffixes included).
MAX_ID_LENGTH = 60

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# C0 controls other than tab, line feed, vertical tab, form feed and carriage return: binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


class NotText(ValueError):
    """A text that cannot be used; `reason` is "binary", "encoding", "size" or "empty"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class SourceConflict(Exception):
    """The bank keeps no source text, and its events' evidence is missing or not in the new text."""


class BankInvalid(Exception):
    """The bank would break the rules; `problems` are (index of the new event or None, problem)."""

    def __init__(self, problems: list[tuple[int | None, Problem]]) -> None:
        super().__init__("; ".join(str(problem) for _, problem in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Marked:
    """A proposal with its sentence cut in three around the date: before, the date, after."""

    proposal: Proposal
    before: str
    marked: str
    after: str

    def hijri(self, lang: str) -> str:
        """The Hijri date the text gives, as a reader writes it ("17 ذو الحجة 1375 هـ"), or ""."""
        if not self.proposal.hijri:
            return ""
        parts = [int(p) for p in self.proposal.hijri.split("-")]
        words = [str(parts[2])] if len(parts) > 2 else []
        words += [HIJRI_MONTHS[lang][parts[1] - 1]] if len(parts) > 1 else []
        return localize_digits(" ".join([*words, str(parts[0]), HIJRI_ERA[lang]]), lang)


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An accepted proposal, as the teacher edited it."""

    date: PartialDate
    title: domain.Text
    evidence: str
    #: What the date allows, as the teacher confirmed it (dates.Dating).
    certainty: str = "exact"
    margin: int | None = None
    end: PartialDate | None = None


def clean_text(text: str) -> str:
    """The text with its line ends made "\\n" and no byte-order mark. :raise NotText: when unusable."""
    # Browsers send a form's line ends as CRLF: normalise, so the text posted back is the text shown.
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        raise NotText("binary")
    if len(text) > MAX_TEXT_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise NotText("size")
    if not text.strip():
        raise NotText("empty")
    return text


def decode_upload(data: bytes) -> str:
    """An uploaded file's text. :raise NotText: binary, not UTF-8, too big or empty."""
    if len(data) > MAX_TEXT_BYTES:
        raise NotText("size")
    if b"\x00" in data:
        raise NotText("binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotText("encoding") from None
    return clean_text(text)


def detect_lang(text: str) -> str:
    """ "ar" when Arabic letters outnumber Latin ones, else "en"."""
    arabic = len(_ARABIC.findall(text))
    return "ar" if arabic and arabic >= len(_LATIN.findall(text)) else "en"


def propose(text: str, lang: str) -> tuple[list[Marked], int]:
    """The text's first MAX_PROPOSALS proposals, each with its date marked in its sentence, and how
    many more the text gives (left out). :raise ValueError: for a language not ar/en."""
    out = []
    proposals, left_out = extract_first(text, lang, MAX_PROPOSALS)
    for p in proposals:
        # The sentence is the last copy of the evidence that starts at or before the date.
        at = text.rfind(p.evidence, 0, p.start + len(p.evidence))
        if at < 0 or at + len(p.evidence) < p.end:
            out.append(Marked(p, p.evidence, "", ""))
            continue
        start, end = p.start - at, p.end - at
        out.append(Marked(p, p.evidence[:start], p.evidence[start:end], p.evidence[end:]))
    return out, left_out


def editable_banks(user: User) -> list[Bank]:
    """The banks a user may add events to (the blueprint's one rule, `may_edit`), by title."""
    return [row for row in visible_banks(user) if may_edit(user, row)]


def editable_bank(user: User, bank_id: int) -> Bank | None:
    """One bank the user may add events to, or None."""
    return next((b for b in editable_banks(user) if b.id == bank_id), None)


def slugify(text: str) -> str:
    """Lower-case ASCII letters and digits joined by hyphens ("" when nothing is left)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if len(slug) > MAX_ID_LENGTH:
        slug = slug[:MAX_ID_LENGTH].rsplit("-", 1)[0] or slug[:MAX_ID_LENGTH]
    return slug


def event_ids(titles: Sequence[str], taken: set[str]) -> list[str]:
    """Ids from English titles, unique among themselves and the taken ones ("-2", "-3", ...)."""
    used, out = set(taken), []
    for title in titles:
        base = slugify(title) or "event"
        new, n = base, 1
        while new in used:
            n += 1
            new = f"{base}-{n}"
        used.add(new)
        out.append(new)
    return out


def merged_source(old: str | None, text: str) -> str:
    """The source text once `text` is added: kept as it is when it already holds the text."""
    if not old or not old.strip():
        return text
    if text.strip() in old:
        return old
    return old.rstrip("\n") + "\n\n" + text


def save_to_new_bank(
    text: str, lang: str, events: Sequence[NewEvent], *, slug: str, title: domain.Text, owner_id: int
) -> Bank:
    """Make an unpublished bank of the events, its source the text; commit.

    :raise SlugTaken: when the slug is used. :raise BankInvalid: when the bank breaks a rule.
    """
    if slug_taken(slug):
        raise SlugTaken(slug)
    source = domain.Source(title=title, file=_source_file(slug, lang), lang=lang, text=text)
    base = domain.Bank(slug=slug, title=title, source=source)
    try:
        return _save(base, events, owner_id=owner_id)
    except IntegrityError:  # another request took the slug between the check and the insert
        db.session.rollback()
        raise SlugTaken(slug) from None


def save_to_bank(row: Bank, text: str, lang: str, events: Sequence[NewEvent]) -> Bank:
    """Append the events to an existing bank, the text added to its source; commit.

    :raise SourceConflict: when the bank had no source text and its events' evidence is not in this
    one. :raise BankInvalid: when the bank would break another rule (its own old problems included).
    """
    base = to_domain(row)
    old = row.source_text if row.source_text is not None else (base.source.text if base.source else None)
    text = merged_source(old, text)
    if base.source is None:
        source = domain.Source(title=base.title, file=_source_file(base.slug, lang), lang=lang, text=text)
    else:
        # The file name is what makes the text travel with the bank (to_domain reads it back).
        source = replace(base.source, text=text, file=base.source.file or _source_file(base.slug, lang))
    try:
        return _save(replace(base, source=source), events, owner_id=row.owner_id)
    except BankInvalid as err:
        # Evidence written before the bank had a source cannot be checked against this text.
        if not old and any(index is None for index, _message in err.problems):
            raise SourceConflict(row.slug) from None
        raise


def _source_file(slug: str, lang: str) -> str:
    return f"sources/{slug}.{lang}.txt"


def _save(base: domain.Bank, events: Sequence[NewEvent], owner_id: int | None) -> Bank:
    ids = event_ids([e.title.en for e in events], {e.id for e in base.events})
    new = tuple(
        domain.Event(
            id=i,
            date=e.date,
            title=e.title,
            evidence=e.evidence,
            certainty=e.certainty,
            margin=e.margin,
            end=e.end,
        )
        for i, e in zip(ids, events, strict=True)
    )
    bank = replace(base, events=base.events + new)
    old = len(base.events)
    problems: list[tuple[int | None, Problem]] = []
    for problem in validate_bank(bank):
        m = re.match(r"events\[(\d+)\]", problem.where)
        index = int(m.group(1)) - old if m else -1
        problems.append((index if index >= 0 else None, problem))
    if problems:
        raise BankInvalid(problems)
    row = save_bank(bank, owner_id=owner_id, published=False)  # new banks wait to be published
    db.session.commit()
    return row
