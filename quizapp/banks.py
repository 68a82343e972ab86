"""Banks between their files, the domain and the database."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from sqlalchemy import inspect, select

from .domain import bank as domain
from .domain.formats.bankfile import load_bank, read_stored
from .domain.generate.index import index_bank
from .extensions import db
from .models import Bank, Event, Quiz, new_token

PRACTICE_SETTINGS = {"count": 10, "feedback": "immediate", "ordering_method": "pairs"}


def save_bank(bank: domain.Bank, owner_id: int | None = None, published: bool = True) -> Bank:
    """Insert or update the bank's row and its events' rows (the caller commits).

    Past attempts keep their own snapshots, so an update never changes them.
    """
    row = db.session.scalar(select(Bank).where(Bank.slug == bank.slug))
    if row is None:
        row = Bank(slug=bank.slug, owner_id=owner_id, published=published)
        db.session.add(row)
    else:
        row.version += 1
        row.deleted = False
    row.title_ar, row.title_en = bank.title.ar, bank.title.en
    row.data = bank.to_dict()
    row.source_text = bank.source.text if bank.source else None
    existing = {e.key: e for e in row.events}
    keep = []
    for position, event in enumerate(bank.events):
        ev = existing.get(event.id) or Event(key=event.id)
        ev.position, ev.date = position, event.date.iso()
        ev.title_ar, ev.title_en = event.title.ar, event.title.en
        keep.append(ev)
    row.events = keep
    db.session.flush()
    ensure_practice_quiz(row)
    return row


def ensure_practice_quiz(row: Bank) -> Quiz:
    """The bank's practice quiz: 10 questions mixing kinds, feedback at once."""
    quiz = db.session.scalar(select(Quiz).where(Quiz.bank_id == row.id, Quiz.practice.is_(True)))
    if quiz is None:
        quiz = Quiz(bank_id=row.id, practice=True, code=new_token(6), settings=dict(PRACTICE_SETTINGS))
        db.session.add(quiz)
    quiz.title_ar, quiz.title_en = row.title_ar, row.title_en
    db.session.flush()
    return quiz


def import_file(path: str | Path, owner_id: int | None = None) -> Bank:
    """Load a bank file and save it. :raise BankFileError: when the file is not valid."""
    return save_bank(load_bank(path), owner_id=owner_id)


def import_folder(folder: str | Path) -> list[Bank]:
    """Import every bank file of a folder, in name order."""
    return [import_file(p) for p in sorted(Path(folder).glob("*.yaml"))]


#: Parsed banks by (id, version, update time, slug), the least recently used dropped first.
_CACHE: OrderedDict[tuple, domain.Bank] = OrderedDict()
_CACHE_SIZE = 64

#: What a bank's parsed form is read from, in one SELECT: its document and the version it is.
_DOCUMENT = ("version", "updated_at", "slug", "data", "source_text")


def to_domain(row: Bank) -> domain.Bank:
    """The domain Bank of a row, parsed once per bank and version.

    The key carries the update time and slug too: ids and versions repeat across databases (a
    fresh test database, a restored backup), the moment of an update does not. The document is
    loaded only when the cache misses (it is deferred), together with the version in one statement:
    a row read at version N whose document changed since is brought to the new version as a whole,
    never left at N with the content of N + 1.
    """
    key = (row.id, row.version, row.updated_at, row.slug)
    bank = _CACHE.get(key)
    if bank is not None:
        _CACHE.move_to_end(key)
        return bank
    state = inspect(row)
    if {"data", "source_text"} & state.unloaded and (state.persistent or state.detached):
        if state.detached:  # read as a plain row (quizapp.reads): a copy in the session reads it
            row = db.session.merge(row, load=False)
        db.session.refresh(row, list(_DOCUMENT))
        key = (row.id, row.version, row.updated_at, row.slug)
    source = row.source_text or ""
    # Checked against the limits on its way in: read back whatever its size (limits.py).
    bank = read_stored(row.data, path=f"bank:{row.slug}", source_loader=lambda _file: source)
    index_bank(bank)  # the generators' index, built with the parse: no question pays for it
    _CACHE[key] = bank
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return bank
