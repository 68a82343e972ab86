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
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NamedTuple

from sqlalchemy import DateTime, and_, bindparam, exists, func, select

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
_DUE = len(_QUIZ_COLUMNS)  # the due date's place in a row of _assigned_query, the attempt's after it


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


def assigned_quizzes(user: Any, now: dt.datetime | None = None) -> list[Assigned]:
    """The quizzes assigned to the user's classes (never anyone else's), with what is left to do.

    One plain read (quizapp.reads): each quiz with its earliest due date, once for each of the
    user's attempts at it (oldest first), or once with none.
    Sorted: to do (soonest due first), upcoming, then done and missed (newest first).
    """
    uid = _user_id(user)
    if uid is None:
        return []
    now = now or utcnow()
    quizzes: dict[int, tuple[AssignedQuiz, dt.datetime | None]] = {}
    finished: dict[int, AssignedAttempt] = {}
    unfinished: dict[int, AssignedAttempt] = {}
    for row in reads.rows(_assigned_query(), {"uid": uid}):
        found = quizzes.get(row[0])
        if found is None:
            found = quizzes[row[0]] = (_filled(AssignedQuiz(), _QUIZ_COLUMNS, row[:_DUE]), row[_DUE])
        if row[_DUE + 1] is None:  # no attempt
            continue
        attempt = _filled(AssignedAttempt(), _ATTEMPT_COLUMNS, row[_DUE + 1 :])
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


def unfinished_attempts(user: Any, now: dt.datetime | None = None, limit: int = 10) -> list[Unfinished]:
    """The user's attempts still running (time not up), newest first (the `limit` newest, then
    those of a deleted bank left out), with their quizzes' titles: a plain read (quizapp.reads)."""
    uid = _user_id(user)
    if uid is None:
        return []
    now = now or utcnow()
    rows = reads.rows(_unfinished_query(), {"uid": uid, "now": now, "limit": limit})
    return [Unfinished(*row[:-1]) for row in rows if not row[-1]]


# The home page's statements, built once a process with bound parameters: building them cost more
# than running them.


@functools.cache
def _assigned_query():  # type: ignore[no-untyped-def]
    """The quizzes of the classes of user `uid` (active, of a bank not deleted), each with its
    earliest due date, once for each of the user's attempts at it (oldest first), or once with
    none: the columns of AssignedQuiz, the due date, then those of AssignedAttempt or NULLs."""
    due = (
        select(QuizClass.quiz_id.label("quiz_id"), func.min(QuizClass.due_at).label("due_at"))
        .join(ClassMember, ClassMember.class_id == QuizClass.class_id)
        .join(SchoolClass, SchoolClass.id == QuizClass.class_id)
        .where(ClassMember.user_id == bindparam("uid"), SchoolClass.archived.is_(False))
        .group_by(QuizClass.quiz_id)
        .subquery()
    )
    quiz, attempt = Quiz.__table__, Attempt.__table__
    return (
        select(
            *(quiz.c[name] for name in _QUIZ_COLUMNS),
            due.c.due_at,
            *(attempt.c[name] for name in _ATTEMPT_COLUMNS),
        )
        .select_from(quiz)
        .join(due, due.c.quiz_id == quiz.c.id)
        .join(Bank, Bank.id == quiz.c.bank_id)
        .outerjoin(attempt, and_(attempt.c.quiz_id == quiz.c.id, attempt.c.user_id == bindparam("uid")))
        .where(quiz.c.practice.is_(False), quiz.c.active.is_(True), Bank.deleted.is_(False))
        .order_by(attempt.c.started_at, attempt.c.id)
    )


@functools.cache
def _unfinished_query():  # type: ignore[no-untyped-def]
    """The attempts of user `uid` still running at `now`, newest first, at most `limit`: the columns
    of Unfinished, then whether the quiz's bank is deleted."""
    now = bindparam("now", type_=DateTime())
    return (
        select(
            Attempt.public_id,
            Attempt.quiz_id,
            Attempt.started_at,
            Attempt.deadline,
            Quiz.title_ar,
            Quiz.title_en,
            Bank.deleted,
        )
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Bank, Bank.id == Quiz.bank_id)
        .where(Attempt.user_id == bindparam("uid"), Attempt.finished_at.is_(None))
        .where((Attempt.deadline.is_(None)) | (Attempt.deadline > now))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(bindparam("limit"))
    )


# -- classes ---------------------------------------------------------------------------------------


def may_manage_class(user: Any, row: SchoolClass) -> bool:
    """A class is managed by its teacher and admins."""
    return _is_admin(user) or _owns(user, row.teacher_id)
