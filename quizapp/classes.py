"""Classes: create and rename, codes, members, assignments, and student accounts made in bulk from a
roster (CSV: username, display name) with first-time passwords.

The callers (teacher pages, the student's join page) decide who may act; these functions do it and
commit. Joining twice, or two tabs joining at once, leaves one membership (the primary key).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from .extensions import db
from .models import ClassMember, Quiz, QuizClass, SchoolClass, User

#: The letters of a code (no 0/O, 1/I/L): read aloud or copied from a board without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#: Class codes are longer than quiz codes (6), so one box can take either without ambiguity.
CLASS_CODE_LENGTH = 8
#: First-time passwords: lower-case letters and digits a reader cannot confuse, in groups of four.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PASSWORD_GROUPS = 3
#: How a first-time password is hashed. It has about 59 random bits and is replaced at first log-in
#: (by set_password's slow hash), so a slow hash adds nothing to it: scrypt took 290 ms an account
#: on this machine (30 students: 9 s in one request), this takes about 12.
FIRST_TIME_HASH = "pbkdf2:sha256:20000"
#: The most accounts one roster may create (one printed sheet, one class).
MAX_ROSTER = 300
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,32}$")
MAX_NAME = 80


# -- classes ---------------------------------------------------------------------------------------


def new_class_code() -> str:
    """A class code no class has yet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CLASS_CODE_LENGTH))
        if db.session.scalar(select(SchoolClass.id).where(SchoolClass.code == code)) is None:
            return code


def teacher_classes(teacher_id: int, include_archived: bool = False) -> list[SchoolClass]:
    """A teacher's classes, by name."""
    stmt = select(SchoolClass).where(SchoolClass.teacher_id == teacher_id)
    if not include_archived:
        stmt = stmt.where(SchoolClass.archived.is_(False))
    return list(db.session.scalars(stmt.order_by(SchoolClass.name, SchoolClass.id)))


def member_counts(class_ids: list[int]) -> dict[int, int]:
    """How many members each class has (one GROUP BY)."""
    if not class_ids:
        return {}
    rows = db.session.execute(
        select(ClassMember.class_id, func.count())
        .where(ClassMember.class_id.in_(class_ids))
        .group_by(ClassMember.class_id)
    )
    return {cid: n for cid, n in rows}


def create_class(teacher: User, name: str) -> SchoolClass:
    """A new class of the teacher's, with a fresh code."""
    row = SchoolClass(teacher_id=teacher.id, name=name.strip(), code=new_class_code())
    db.session.add(row)
    db.session.commit()
    return row


def rename_class(row: SchoolClass, name: str) -> None:
    """Change a class's name."""
    row.name = name.strip()
    db.session.commit()


def regenerate_code(row: SchoolClass) -> str:
    """A new code for the class: the old one stops working (members stay members)."""
    row.code = new_class_code()
    db.session.commit()
    return row.code


def set_archived(row: SchoolClass, archived: bool) -> None:
    """Archive a class (its quizzes no longer reach its members, its code no longer joins) or bring
    it back."""
    row.archived = archived
    db.session.commit()


def class_by_code(code: str) -> SchoolClass | None:
    """The class (not archived) with this code, typed in either case."""
    return db.session.scalar(
        select(SchoolClass).where(SchoolClass.code == code.strip().upper(), SchoolClass.archived.is_(False))
    )


def members(row: SchoolClass) -> list[tuple[User, dt.datetime]]:
    """The class's members with when they joined, by display name then username."""
    return [
        (user, joined)
        for user, joined in db.session.execute(
            select(User, ClassMember.joined_at)
            .join(ClassMember, ClassMember.user_id == User.id)
            .where(ClassMember.class_id == row.id)
            .order_by(User.display_name, User.username)
        )
    ]


def is_member(row: SchoolClass, user_id: int) -> bool:
    """True when the user belongs to the class."""
    return db.session.get(ClassMember, (row.id, user_id)) is not None


def join(row: SchoolClass, user_id: int) -> bool:
    """Make the user a member; False when they already were (a retry or two tabs change nothing)."""
    if is_member(row, user_id):
        return False
    try:
        db.session.execute(insert(ClassMember).values(class_id=row.id, user_id=user_id))
        db.session.commit()
    except IntegrityError:  # the other tab won: one membership either way
        db.session.rollback()
        return False
    return True


def remove_member(row: SchoolClass, user_id: int) -> None:
    """Take a student out of the class (their account and past attempts stay)."""
    db.session.execute(
        delete(ClassMember).where(ClassMember.class_id == row.id, ClassMember.user_id == user_id)
    )
    db.session.commit()


def class_quizzes(row: SchoolClass) -> list[tuple[Quiz, dt.datetime | None]]:
    """The quizzes assigned to the class, with their due dates, newest first."""
    return [
        (quiz, due)
        for quiz, due in db.session.execute(
            select(Quiz, QuizClass.due_at)
            .join(QuizClass, QuizClass.quiz_id == Quiz.id)
            .where(QuizClass.class_id == row.id)
            .order_by(Quiz.created_at.desc(), Quiz.id.desc())
        )
    ]


# -- assignments -----------------------------------------------------------------------------------


def assigned_class_ids(quiz: Quiz) -> list[int]:
    """The classes a quiz is assigned to."""
    return list(db.session.scalars(select(QuizClass.class_id).where(QuizClass.quiz_id == quiz.id)))


def quiz_classes(quiz: Quiz) -> list[tuple[SchoolClass, dt.datetime | None]]:
    """The classes a quiz is assigned to, with its due date for each, by name."""
    return [
        (row, due)
        for row, due in db.session.execute(
            select(SchoolClass, QuizClass.due_at)
            .join(QuizClass, QuizClass.class_id == SchoolClass.id)
            .where(QuizClass.quiz_id == quiz.id)
            .order_by(SchoolClass.name)
        )
    ]


def assigned_due(quiz: Quiz) -> dt.datetime | None:
    """The quiz's due date (the same for each of its classes when set from the quiz form)."""
    return db.session.scalar(select(func.min(QuizClass.due_at)).where(QuizClass.quiz_id == quiz.id))


def assign(quiz: Quiz, class_ids: Iterable[int], due_at: dt.datetime | None = None) -> None:
    """Assign the quiz to exactly these classes (none: open to anyone with its code); the caller
    has checked that the classes are the quiz teacher's. The caller commits."""
    wanted = set(class_ids)
    db.session.execute(
        delete(QuizClass).where(QuizClass.quiz_id == quiz.id, QuizClass.class_id.not_in(wanted or {0}))
    )
    have = {
        qc.class_id: qc for qc in db.session.scalars(select(QuizClass).where(QuizClass.quiz_id == quiz.id))
    }
    for cid in wanted:
        if cid in have:
            have[cid].due_at = due_at
        else:
            db.session.add(QuizClass(quiz_id=quiz.id, class_id=cid, due_at=due_at))


# -- accounts in bulk ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterProblem:
    """What is wrong on one line of a roster: the line's number (from 1), the field and why."""

    line: int
    field: str  # "username", "display_name" or "" (the whole line)
    message: str


@dataclass
class Roster:
    """A parsed roster: the accounts to make, or the problems that stop all of them."""

    rows: list[tuple[int, str, str]] = field(default_factory=list)  # (line, username, display name)
    problems: list[RosterProblem] = field(default_factory=list)


#: A first line that names the columns is skipped (in either language).
_HEADER_WORDS = {"username", "user", "login", "اسم المستخدم", "المستخدم"}

ROSTER_MESSAGES = {
    "columns": _l("Give two values: a username and a display name."),
    "username": _l("A username has 3 to 32 characters: Latin letters, digits, dots, dashes, underscores."),
    "name-missing": _l("The display name is missing."),
    "name-long": _l("A display name has at most 80 characters."),
    "repeated": _l("This username is already on line %(line)s."),
    "taken": _l("This username is taken."),
    "empty": _l("The list is empty: give one student per line."),
    "too-many": _l("At most %(max)s students at once."),
}


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    if ";" in first and "," not in first:
        return ";"
    if "،" in first and "," not in first:  # the Arabic comma
        return "،"
    return ","


def _lines(reader: Any, roster: Roster) -> Iterator[list[str]]:
    """The reader's rows until one cannot be read (a field past the csv module's 128 KB, a quote
    left open to the end): that line is a problem of the roster, not a 500."""
    try:
        yield from reader
    except csv.Error:
        roster.problems.append(RosterProblem(reader.line_num, "", str(ROSTER_MESSAGES["columns"])))


def parse_roster(text: str) -> Roster:
    """Read "username, display name" lines (a header line, blank lines and a BOM are skipped; commas,
    semicolons or tabs separate), and check each against the rules and the accounts that exist.

    Every problem is reported with its line and field; usernames already taken (any case) too.
    """
    text = text.lstrip("\ufeff")
    roster = Roster()
    seen: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    for number, raw in enumerate(_lines(reader, roster), start=1):
        cells = [c.strip() for c in raw]
        if not any(cells):
            continue
        if not roster.rows and not roster.problems and cells[0].lower() in _HEADER_WORDS:
            continue
        if len(cells) < 2 or len([c for c in cells[2:] if c]) > 0:
            roster.problems.append(RosterProblem(number, "", str(ROSTER_MESSAGES["columns"])))
            continue
        username, name = cells[0], cells[1]
        bad = False
        if not USERNAME_RE.match(username):
            roster.problems.append(RosterProblem(number, "username", str(ROSTER_MESSAGES["username"])))
            bad = True
        elif username.lower() in seen:
            message = ROSTER_MESSAGES["repeated"] % {"line": seen[username.lower()]}
            roster.problems.append(RosterProblem(number, "username", str(message)))
            bad = True
        if not name:
            roster.problems.append(
                RosterProblem(number, "display_name", str(ROSTER_MESSAGES["name-missing"]))
            )
            bad = True
        elif len(name) > MAX_NAME:
            roster.problems.append(RosterProblem(number, "display_name", str(ROSTER_MESSAGES["name-long"])))
            bad = True
        if not bad:
            seen[username.lower()] = number
            roster.rows.append((number, username, name))
    if not roster.rows and not roster.problems:
        roster.problems.append(RosterProblem(0, "", str(ROSTER_MESSAGES["empty"])))
    if len(roster.rows) > MAX_ROSTER:
        roster.problems.append(RosterProblem(0, "", str(ROSTER_MESSAGES["too-many"] % {"max": MAX_ROSTER})))
    if roster.rows:
        lowered = [u.lower() for _, u, _ in roster.rows]
        taken = set(
            db.session.scalars(
                select(func.lower(User.username)).where(func.lower(User.username).in_(lowered))
            )
        )
        for number, username, _ in roster.rows:
            if username.lower() in taken:
                roster.problems.append(RosterProblem(number, "username", str(ROSTER_MESSAGES["taken"])))
    roster.problems.sort(key=lambda p: p.line)
    return roster


def first_time_password() -> str:
    """A random password easy to read off paper and type: "k7mq-2xpd-w9tr" (about 59 bits)."""
    groups = ("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(PASSWORD_GROUPS))
    return "-".join(groups)


def create_accounts(row: SchoolClass, roster: Roster, locale: str | None = None) -> list[tuple[User, str]]:
    """Make a student account per roster line, each a member of the class with a first-time
    password it must change at first log-in; all or none (one commit). Returns (user, password)
    pairs: the passwords are shown once and kept nowhere.

    :raise ValueError: when the roster has problems. :raise IntegrityError: when a username was
    taken meanwhile (nothing is saved then).
    """
    if roster.problems:
        raise ValueError("the roster has problems")
    made = []
    for _, username, name in roster.rows:
        user = User(username=username, display_name=name, role="student", locale=locale)
        password = first_time_password()
        user.password_hash = generate_password_hash(password, method=FIRST_TIME_HASH)
        user.must_change_password = True
        made.append((user, password))
    try:
        db.session.add_all([u for u, _ in made])
        db.session.flush()
        db.session.execute(insert(ClassMember), [{"class_id": row.id, "user_id": u.id} for u, _ in made])
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise
    return made
