"""Who may see and start what: the one place every page asks (quiz, learn, main, teacher, reports).

The rules:
- A bank is explored and practised by everyone once it is published; a draft (unpublished) only by
  its owner and admins. A deleted bank by nobody.
- A teacher's quiz assigned to at least one class is for those classes' members only (and for its
  teacher and admins, who may try it); a quiz assigned to no class is open to anyone with its code.
- A quiz's join code is shown to its teacher and admins only.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NamedTuple

from sqlalchemy import DateTime, and_, bindparam, exists, false, func, null, select, true, union_all

from . import attempts as svc
from . import reads
from .extensions import db
from .models import Attempt, AttemptState, Bank, ClassMember, Quiz, QuizClass, SchoolClass, utcnow

#: An assigned quiz due within this time is "due soon" on the student's home page.
DUE_SOON = dt.timedelta(days=3)


def _user_id(user: Any) -> int | None:
    """The id of a logged-in user; None for a visitor (Flask-Login's anonymous user, or None)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.id


def _is_admin(user: Any) -> bool:
    return _user_id(user) is not None and user.role == "admin"


def _owns(user: Any, owner_id: int | None) -> bool:
    uid = _user_id(user)
    return uid is not None and owner_id is not None and owner_id == uid


# -- banks -----------------------------------------------------------------------------------------


def may_explore_bank(user: Any, bank: Bank) -> bool:
    """A published bank: everyone; a draft: its owner and admins; a deleted bank: nobody."""
    if bank.deleted:
        return False
    return bank.published or _is_admin(user) or _owns(user, bank.owner_id)


def may_practice_bank(user: Any, bank: Bank) -> bool:
    """Practice (immediate feedback shows the answers) follows the explore rule: a draft's answers
    are its teacher's alone."""
    return may_explore_bank(user, bank)


# -- quizzes ---------------------------------------------------------------------------------------


def may_see_code(user: Any, quiz: Quiz) -> bool:
    """A quiz's join code is for its teacher and admins."""
    return _is_admin(user) or _owns(user, quiz.owner_id)


def is_assigned(quiz: Quiz) -> bool:
    """True when the quiz is assigned to at least one class (then it is for their members only)."""
    return bool(db.session.scalar(select(exists().where(QuizClass.quiz_id == quiz.id))))


def is_member_for(user: Any, quiz: Quiz) -> bool:
    """True when the user belongs to a class (not archived) the quiz is assigned to."""
    uid = _user_id(user)
    if uid is None:
        return False
    return bool(
        db.session.scalar(
            select(
                exists()
                .where(QuizClass.quiz_id == quiz.id, ClassMember.class_id == QuizClass.class_id)
                .where(ClassMember.user_id == uid, SchoolClass.id == QuizClass.class_id)
                .where(SchoolClass.archived.is_(False))
            )
        )
    )


def may_start_quiz(user: Any, quiz: Quiz) -> bool:
    """May the user see this quiz's page and start it (whether it is open now is the quiz's own
    is_open, asked separately)? A practice quiz follows its bank; a class quiz its classes."""
    if quiz.practice:
        return may_practice_bank(user, quiz.bank)
    if may_see_code(user, quiz):
        return True
    return not is_assigned(quiz) or is_member_for(user, quiz)


# -- a student's quizzes ---------------------------------------------------------------------------


class AssignedQuiz:
    """A quiz of the student's classes, as their home page reads it: plain columns, no ORM object.
    Its title and whether it is open are the Quiz's own methods."""

    __slots__ = (
        "id", "title_ar", "title_en", "code", "opens_at", "closes_at", "active", "results_released_at",
    )  # fmt: skip

    id: int
    title_ar: str
    title_en: str
    code: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    active: bool
    results_released_at: dt.datetime | None

    #: Quiz.is_open asks whether the quiz's bank is deleted: the home page's query leaves those out.
    bank = SimpleNamespace(deleted=False)
    title = Quiz.title
    is_open = Quiz.is_open


class AssignedAttempt(AttemptState):
    """The student's attempt at an assigned quiz: what the home page reads of it (its state, whether
    its time is up, its score and whether that shows: quizapp.feedback.attempt_visible)."""

    __slots__ = ("public_id", "settings", "deadline", "finished_at", "score", "max_score", "quiz")

    public_id: str
    settings: dict[str, Any]
    deadline: dt.datetime | None
    finished_at: dt.datetime | None
    score: float | None
    max_score: float
    quiz: AssignedQuiz


_QUIZ_COLUMNS = AssignedQuiz.__slots__
_ATTEMPT_COLUMNS = AssignedAttempt.__slots__[:-1]  # its quiz is the row's
# The places in a row of _home_query: the quiz's columns, its due date, the attempt's columns, then:
_DUE = len(_QUIZ_COLUMNS)
_ATTEMPT = _DUE + 1
_DEADLINE = _ATTEMPT + _ATTEMPT_COLUMNS.index("deadline")
_STARTED = _ATTEMPT + len(_ATTEMPT_COLUMNS)  # the attempt's start (then its id, for the order)
_DELETED = _STARTED + 2  # whether the quiz's bank is deleted
_RUNNING = _DELETED + 1  # a row of an attempt still running, not of a class quiz


def _filled(target: Any, names: tuple[str, ...], values: tuple) -> Any:
    """`target` with each named attribute set to its value."""
    for name, value in zip(names, values, strict=True):
        setattr(target, name, value)
    return target


@dataclass
class Assigned:
    """A quiz assigned to one of the student's classes, as their home page lists it."""

    quiz: AssignedQuiz
    due_at: dt.datetime | None
    state: str  # "todo" (open, not done), "upcoming" (not open yet), "done", "missed" (closed)
    due_soon: bool = False
    overdue: bool = False
    finished: AssignedAttempt | None = None  # the latest finished attempt
    unfinished: AssignedAttempt | None = None  # an attempt to resume


class Unfinished(NamedTuple):
    """An attempt still running, as the home page lists it: plain columns, no ORM object."""

    public_id: str
    quiz_id: int
    started_at: dt.datetime
    deadline: dt.datetime | None
    title_ar: str
    title_en: str

    def title(self, lang: str) -> str:
        """Its quiz's title in a language (as Quiz.title)."""
        return self.title_ar if lang == "ar" else self.title_en


def home_read(uid: int, now: dt.datetime, limit: int = 10) -> tuple[Any, dict[str, Any]]:
    """home_quizzes' statement and its parameters (for quizapp.reads.ahead)."""
    return _home_query(), {"uid": uid, "now": now, "limit": limit}


def home_quizzes(
    user: Any, now: dt.datetime | None = None, limit: int = 10
) -> tuple[list[Assigned], list[Unfinished]]:
    """What a student's home page lists, in one plain read (quizapp.reads), nothing for a visitor:
    - the quizzes assigned to the user's classes (never anyone else's), with what is left to do,
      sorted: to do (soonest due first), upcoming, then done and missed (newest first);
    - the user's attempts still running (time not up), newest first (the `limit` newest, then those
      of a deleted bank left out), with their quizzes' titles."""
    uid = _user_id(user)
    if uid is None:
        return [], []
    now = now or utcnow()
    rows = reads.rows(*home_read(uid, now, limit))
    running = [row for row in rows if row[_RUNNING]]  # oldest first
    return _assigned(rows[: len(rows) - len(running)], now), _unfinished(reversed(running))


def _assigned(rows: list[tuple], now: dt.datetime) -> list[Assigned]:
    """The assigned quizzes of _home_query's rows of class quizzes: each quiz once for each of the
    user's attempts at it (oldest first), or once with none."""
    quizzes: dict[int, tuple[AssignedQuiz, dt.datetime | None]] = {}
    finished: dict[int, AssignedAttempt] = {}
    unfinished: dict[int, AssignedAttempt] = {}
    for row in rows:
        found = quizzes.get(row[0])
        if found is None:
            found = quizzes[row[0]] = (_filled(AssignedQuiz(), _QUIZ_COLUMNS, row[:_DUE]), row[_DUE])
        if row[_ATTEMPT] is None:  # no attempt
            continue
        attempt = _filled(AssignedAttempt(), _ATTEMPT_COLUMNS, row[_ATTEMPT:_STARTED])
        attempt.quiz = found[0]
        if attempt.finished:
            finished[row[0]] = attempt
        elif not svc.time_is_up(attempt, now):
            unfinished[row[0]] = attempt
    out = []
    for quiz, due_at in quizzes.values():
        done = finished.get(quiz.id)
        if done is not None and quiz.id not in unfinished:
            state = "done"
        elif quiz.is_open(now):
            state = "todo"
        elif quiz.opens_at and now < quiz.opens_at:
            state = "upcoming"
        else:
            state = "missed"
        out.append(
            Assigned(
                quiz=quiz,
                due_at=due_at,
                state=state,
                due_soon=state == "todo" and due_at is not None and now <= due_at <= now + DUE_SOON,
                overdue=state == "todo" and due_at is not None and due_at < now,
                finished=done,
                unfinished=unfinished.get(quiz.id),
            )
        )
    order = {"todo": 0, "upcoming": 1, "done": 2, "missed": 2}
    far = dt.datetime.max
    out.sort(key=lambda a: (order[a.state], a.due_at or a.quiz.closes_at or far, -a.quiz.id))
    return out


def _unfinished(rows: Iterable[tuple]) -> list[Unfinished]:
    """The running attempts of _home_query's rows of them (newest first): those of a
    deleted bank left out."""
    return [
        Unfinished(row[_ATTEMPT], row[0], row[_STARTED], row[_DEADLINE], row[1], row[2])
        for row in rows
        if not row[_DELETED]
    ]


@functools.cache
def _home_query():  # type: ignore[no-untyped-def]
    """The home page's statement, built once a process (building it cost more than running it), with
    bound parameters uid, now and limit. Two kinds of row, the columns of each the same: the quiz's
    (those of AssignedQuiz), its due date, the attempt's (those of AssignedAttempt), its start and
    id, whether the quiz's bank is deleted, and whether the row is of an attempt running:
    - the quizzes of the user's classes (active, of a bank not deleted, due at their earliest due
      date), once for each of the user's attempts at them or once with none (attempt's columns NULL);
    - then the user's attempts still running at `now`, the `limit` newest (due date NULL).
    Each kind oldest attempt first."""
    uid = bindparam("uid")
    now = bindparam("now", type_=DateTime())
    quiz, attempt = Quiz.__table__, Attempt.__table__
    due = (
        select(QuizClass.quiz_id.label("quiz_id"), func.min(QuizClass.due_at).label("due_at"))
        .join(ClassMember, ClassMember.class_id == QuizClass.class_id)
        .join(SchoolClass, SchoolClass.id == QuizClass.class_id)
        .where(ClassMember.user_id == uid, SchoolClass.archived.is_(False))
        .group_by(QuizClass.quiz_id)
        .subquery()
    )

    def columns(due_at: Any, running: Any) -> tuple:
        return (
            *(quiz.c[name] for name in _QUIZ_COLUMNS),
            due_at.label("due_at"),
            *(attempt.c[name] for name in _ATTEMPT_COLUMNS),
            attempt.c.started_at,
            attempt.c.id.label("attempt_id"),
            Bank.deleted,
            running.label("running"),
        )

    assigned = (
        select(*columns(due.c.due_at, false()))
        .select_from(quiz)
        .join(due, due.c.quiz_id == quiz.c.id)
        .join(Bank, Bank.id == quiz.c.bank_id)
        .outerjoin(attempt, and_(attempt.c.quiz_id == quiz.c.id, attempt.c.user_id == uid))
        .where(quiz.c.practice.is_(False), quiz.c.active.is_(True), Bank.deleted.is_(False))
    )
    newest = (
        select(attempt.c.id)
        .where(attempt.c.user_id == uid, attempt.c.finished_at.is_(None))
        .where(attempt.c.deadline.is_(None) | (attempt.c.deadline > now))
        .order_by(attempt.c.started_at.desc(), attempt.c.id.desc())
        .limit(bindparam("limit"))
        .subquery()
    )
    running = (
        select(*columns(null(), true()))
        .select_from(newest)
        .join(attempt, attempt.c.id == newest.c.id)
        .join(quiz, quiz.c.id == attempt.c.quiz_id)
        .join(Bank, Bank.id == quiz.c.bank_id)
    )
    both = union_all(assigned, running)
    return both.order_by(*(both.selected_columns[name] for name in ("running", "started_at", "attempt_id")))


# -- classes ---------------------------------------------------------------------------------------


def may_manage_class(user: Any, row: SchoolClass) -> bool:
    """A class is managed by its teacher and admins."""
    return _is_admin(user) or _owns(user, row.teacher_id)
