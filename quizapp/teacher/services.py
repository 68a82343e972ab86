"""Teachers' operations on banks and quizzes. Each one builds the new domain Bank, checks it with the
one validator (`validate_bank`, as `quizapp bank validate` does), saves it through `save_bank`, and
commits once; nothing is saved when anything is wrong."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
from typing import Any

import yaml
from sqlalchemy import bindparam, func, select

from .. import reads
from ..banks import save_bank, to_domain
from ..domain import bank as domain
from ..domain.formats.bankfile import parse_bank, too_big
from ..domain.limits import MAX_BANK_BYTES
from ..domain.messages import N_
from ..domain.problems import BankFileError, Problem
from ..domain.validate import validate_bank
from ..extensions import db
from ..models import Attempt, Bank, Quiz, User

#: Join codes use letters and digits nobody mistakes for others (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
#: The settings a quiz stores, as quizapp.attempts.QuizSettings.of reads them.
SETTING_KEYS = (
    "count",
    "kinds",
    "feedback",
    "ordering_method",
    "time_limit_minutes",
    "attempts_allowed",
    "languages",
    "arabic_months",
    "arabic_digits",
)


class Invalid(Exception):
    """The change would make the bank invalid; `problems` say why, `prefix` is the edited item."""

    def __init__(self, problems: list[Problem], prefix: str = "") -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems
        self.prefix = prefix


class SlugTaken(Exception):
    """Another bank (perhaps a deleted one) has this slug."""


class Stale(Exception):
    """The bank changed since the form was opened: saving would undo someone's edit."""


# --- who may do what --------------------------------------------------------------------------------


def may_view(user: User, row: Bank) -> bool:
    """Admins see every bank; teachers their own and the published ones."""
    return user.role == "admin" or row.owner_id == user.id or row.published


def may_edit(user: User, row: Bank) -> bool:
    """Admins edit every bank; a teacher only their own (banks from the CLI have no owner)."""
    return user.role == "admin" or (row.owner_id is not None and row.owner_id == user.id)


def may_edit_quiz(user: User, quiz: Quiz) -> bool:
    """Admins edit every quiz; a teacher only their own."""
    return user.role == "admin" or (quiz.owner_id is not None and quiz.owner_id == user.id)


def visible_banks(user: User) -> list[Bank]:
    """The banks a teacher sees (own and published; all for admins), not deleted, by title."""
    query = select(Bank).where(Bank.deleted.is_(False))
    if user.role != "admin":
        query = query.where((Bank.owner_id == user.id) | Bank.published.is_(True))
    return list(db.session.scalars(query.order_by(Bank.title_en, Bank.id)))


def own_quizzes(user: User) -> list[Quiz]:
    """The teacher's quizzes (every teacher's quiz for admins), newest first."""
    query = select(Quiz).where(Quiz.practice.is_(False))
    if user.role != "admin":
        query = query.where(Quiz.owner_id == user.id)
    return list(db.session.scalars(query.order_by(Quiz.created_at.desc(), Quiz.id.desc())))


def attempt_counts(quiz_ids: list[int]) -> dict[int, tuple[int, int]]:
    """For each quiz, (attempts started, attempts finished), in one query; a quiz nobody took is absent."""
    if not quiz_ids:
        return {}
    rows = db.session.execute(
        select(Attempt.quiz_id, func.count(), func.count(Attempt.finished_at))
        .where(Attempt.quiz_id.in_(quiz_ids))
        .group_by(Attempt.quiz_id)
    )
    return {quiz_id: (started, finished) for quiz_id, started, finished in rows}


# --- saving a bank ---------------------------------------------------------------------------------


def _commit(bank: domain.Bank, prefix: str = "", **new_row: Any) -> Bank:
    """Validate, save and commit. :raise Invalid: with every problem; nothing is saved then."""
    problems = validate_bank(bank)
    if problems:
        raise Invalid(problems, prefix)
    row = save_bank(bank, **new_row)
    db.session.commit()
    return row


def _check_version(row: Bank, version: int | None) -> None:
    if version is not None and version != row.version:
        raise Stale(row.id)


def slug_taken(slug: str) -> bool:
    """True when any bank, deleted ones included, has the slug."""
    return db.session.scalar(select(Bank.id).where(Bank.slug == slug)) is not None


def create_bank(user: User, slug: str, title: domain.Text, description: domain.Text | None) -> Bank:
    """A new, empty, unpublished bank owned by the user. :raise SlugTaken: :raise Invalid:"""
    if slug_taken(slug):
        raise SlugTaken(slug)
    bank = domain.Bank(slug=slug, title=title, description=description)
    return _commit(bank, owner_id=user.id, published=False)


def update_bank(row: Bank, title: domain.Text, description: domain.Text | None) -> Bank:
    """Change a bank's title and description. :raise Invalid:"""
    return _commit(dataclasses.replace(to_domain(row), title=title, description=description))


def free_slug(base: str) -> str:
    """`base` if no bank has it, else base-copy, base-copy-2, ... (at most 80 characters)."""
    stem = re.sub(r"-copy(-\d+)?$", "", base)[:60]
    for n in range(1, 10_000):
        slug = f"{stem}-copy" if n == 1 else f"{stem}-copy-{n}"
        if not slug_taken(slug):
            return slug
    raise SlugTaken(base)  # pragma: no cover - ten thousand copies


def duplicate_bank(row: Bank, user: User) -> Bank:
    """A copy of the bank, owned by the user and unpublished: the way to adapt someone's bank."""
    bank = dataclasses.replace(to_domain(row), slug=free_slug(row.slug))
    return _commit(bank, owner_id=user.id, published=False)


def set_published(row: Bank, published: bool) -> Bank:
    """Publish (students may practise it, teachers may set quizzes from it) or unpublish."""
    row.published = published
    db.session.commit()
    return row


def set_hijri(row: Bank, on: bool) -> Bank:
    """Show the Hijri date beside every Gregorian one of this bank (a reader may still turn it off)."""
    row.show_hijri = on
    db.session.commit()
    return row


def delete_bank(row: Bank) -> Bank:
    """Hide the bank; its quizzes close. Past attempts keep their snapshots, so scores stay."""
    row.deleted = True
    row.published = False
    db.session.commit()
    return row


def _event_position(events: tuple[domain.Event, ...], event: domain.Event) -> int:
    """Where a new event goes: after every event that does not start later."""
    key = event.date.sort_key()
    return sum(1 for e in events if e.date.sort_key() <= key)


def save_event(row: Bank, old_id: str | None, event: domain.Event, version: int | None = None) -> Bank:
    """Add an event (old_id None, placed by date) or replace one; questions follow a renamed id.

    :raise KeyError: for an unknown old_id. :raise Stale: :raise Invalid: (prefix events[i]).
    """
    _check_version(row, version)
    bank = to_domain(row)
    events = list(bank.events)
    questions = bank.questions
    if old_id is None:
        index = _event_position(bank.events, event)
        events.insert(index, event)
    else:
        index = next((i for i, e in enumerate(events) if e.id == old_id), -1)
        if index < 0:
            raise KeyError(old_id)
        events[index] = event
        if event.id != old_id:
            questions = tuple(
                dataclasses.replace(q, events=tuple(event.id if r == old_id else r for r in q.events))
                for q in questions
            )
    new = dataclasses.replace(bank, events=tuple(events), questions=questions)
    return _commit(new, prefix=f"events[{index}]")


def delete_event(row: Bank, event_id: str) -> Bank:
    """Remove an event, and its id from the questions that named it. :raise KeyError: :raise Invalid:"""
    bank = to_domain(row)
    bank.event(event_id)
    events = tuple(e for e in bank.events if e.id != event_id)
    questions = tuple(
        dataclasses.replace(q, events=tuple(r for r in q.events if r != event_id)) for q in bank.questions
    )
    return _commit(dataclasses.replace(bank, events=events, questions=questions))


def save_question(
    row: Bank, old_id: str | None, question: domain.AuthoredQuestion, version: int | None = None
) -> Bank:
    """Add a hand-written question at the end, or replace one.

    :raise KeyError: for an unknown old_id. :raise Stale: :raise Invalid: (prefix questions[i]).
    """
    _check_version(row, version)
    bank = to_domain(row)
    questions = list(bank.questions)
    if old_id is None:
        index = len(questions)
        questions.append(question)
    else:
        index = next((i for i, q in enumerate(questions) if q.id == old_id), -1)
        if index < 0:
            raise KeyError(old_id)
        questions[index] = question
    new = dataclasses.replace(bank, questions=tuple(questions))
    return _commit(new, prefix=f"questions[{index}]")


def delete_question(row: Bank, question_id: str) -> Bank:
    """Remove a hand-written question. :raise KeyError: for an unknown id."""
    bank = to_domain(row)
    questions = tuple(q for q in bank.questions if q.id != question_id)
    if len(questions) == len(bank.questions):
        raise KeyError(question_id)
    return _commit(dataclasses.replace(bank, questions=questions))


def find_question(row: Bank, question_id: str) -> domain.AuthoredQuestion:
    """A hand-written question of the bank. :raise KeyError: when there is none."""
    for q in to_domain(row).questions:
        if q.id == question_id:
            return q
    raise KeyError(question_id)


# --- files -----------------------------------------------------------------------------------------


def upload_bank(user: User, name: str, data: bytes, source: bytes | None = None) -> Bank:
    """Create or replace a bank from a bank file; its source text may come along, or is kept.

    A new slug makes a new unpublished bank owned by the user; the slug of a bank the user may edit
    replaces it (a new version; past attempts keep theirs). :raise BankFileError: with every problem,
    by line; :raise SlugTaken: when the slug is someone else's bank. Nothing is saved on error.
    """
    if len(data) > MAX_BANK_BYTES:
        raise BankFileError([too_big(name, len(data))])
    try:
        text = data.decode("utf-8-sig")
        source_text = source.decode("utf-8-sig") if source else None
    except UnicodeDecodeError as err:
        raise BankFileError([Problem(name, 1, "file", N_("not UTF-8 text"))]) from err
    existing: Bank | None = None

    def load_source(file: str) -> str:
        if source_text is not None:
            return source_text
        if existing is not None and existing.source_text:
            return existing.source_text
        raise FileNotFoundError(2, "not uploaded", file)

    slug = _declared_slug(text)
    if slug:
        existing = db.session.scalar(select(Bank).where(Bank.slug == slug))
        if existing is not None and not may_edit(user, existing):
            raise SlugTaken(slug)
    bank = parse_bank(text, path=name, source_loader=load_source)
    if existing is None:
        return _commit(bank, owner_id=user.id, published=False)
    return _commit(bank)


def _declared_slug(text: str) -> str | None:
    """The top-level `slug:` of a YAML text, from the event stream (nothing is built: safe on any
    input); None when there is none or the YAML is broken (parse_bank then says why)."""
    depth, is_key, wanted = 0, True, False
    try:
        for event in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                if depth == 1:  # a value of the top mapping: a key comes next
                    is_key, wanted = True, False
                depth += 1
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
            elif isinstance(event, yaml.ScalarEvent | yaml.AliasEvent) and depth == 1:
                if not is_key and wanted:
                    return getattr(event, "value", None)
                wanted = is_key and getattr(event, "value", None) == "slug"
                is_key = not is_key
    except yaml.YAMLError:
        return None
    return None


def moodle_preview(row: Bank, data: bytes, name: str) -> tuple[domain.Bank, Any, list[Problem]]:
    """What a Moodle file (GIFT, Moodle XML or Aiken) would add to the bank, nothing saved: the bank
    with its questions, the file's MoodleImport, and the bank's own problems with them (its limits).

    :raise BankFileError: when no question in the file can be imported.
    """
    from ..domain.formats import add_moodle

    bank, result = add_moodle(to_domain(row), data, name)
    return bank, result, validate_bank(bank)


def import_moodle(row: Bank, data: bytes, name: str) -> tuple[Bank, int, list[Problem]]:
    """Add what can be imported of a Moodle file (GIFT, Moodle XML or Aiken) to the bank: (bank, how
    many, warnings and questions skipped).

    :raise BankFileError: when no question in the file can be imported. :raise Invalid: when the
        bank would pass its limits (nothing saved).
    """
    from ..domain.formats import add_moodle

    bank, result = add_moodle(to_domain(row), data, name)
    return _commit(bank), len(result.questions), [*result.problems, *result.warnings]


# --- quizzes ---------------------------------------------------------------------------------------


def new_code() -> str:
    """A join code no quiz has yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.scalar(select(Quiz.id).where(Quiz.code == code)) is None:
            return code


def save_quiz(
    quiz: Quiz | None,
    bank: Bank,
    user: User,
    *,
    title: domain.Text,
    settings: dict[str, Any],
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    active: bool = True,
) -> Quiz:
    """Create a quiz from a bank (with a fresh join code), or change one's settings and times."""
    if quiz is None:
        quiz = Quiz(bank_id=bank.id, owner_id=user.id, code=new_code(), practice=False)
        db.session.add(quiz)
    quiz.title_ar, quiz.title_en = title.ar, title.en
    quiz.settings = {k: settings[k] for k in SETTING_KEYS if k in settings}
    quiz.opens_at, quiz.closes_at, quiz.active = opens_at, closes_at, active
    db.session.commit()
    return quiz


#: A bank's quizzes, newest first (all of them: an admin's), and those of one owner: built once, as
#: the bank's page asks on every visit (a statement built anew, and its cache key, cost more than
#: running it). The bank and the owner are bound when it runs.
_BANK_QUIZZES = (
    select(*reads.columns_of(Quiz))
    .where(Quiz.bank_id == bindparam("bank_id"), Quiz.practice.is_(False))
    .order_by(Quiz.created_at.desc(), Quiz.id.desc())
)
_OWN_BANK_QUIZZES = _BANK_QUIZZES.where(Quiz.owner_id == bindparam("owner_id"))


def bank_quizzes(user: User, row: Bank) -> list[Quiz]:
    """The quizzes set from a bank that the user may edit, newest first: detached, read as plain
    rows (quizapp.reads), for a page to list."""
    return [reads.entity(Quiz, r) for r in reads.rows(*bank_quizzes_read(user, row.id))]


def bank_quizzes_read(user: User, bank_id: int) -> tuple[Any, dict[str, Any]]:
    """bank_quizzes' statement and its parameters (for quizapp.reads.ahead)."""
    if user.role == "admin":
        return _BANK_QUIZZES, {"bank_id": bank_id}
    return _OWN_BANK_QUIZZES, {"bank_id": bank_id, "owner_id": user.id}


def quiz_attempts(quiz: Quiz) -> list[Attempt]:
    """Who took the quiz: every attempt with its student, newest first."""
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.quiz_id == quiz.id)
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        )
    )
