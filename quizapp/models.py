"""The database: users, banks and their events, quizzes, attempts with their question snapshots,
and responses (one per question per attempt, enforced by a unique constraint)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db

ROLES = ("student", "teacher", "admin")


def utcnow() -> dt.datetime:
    """Now, in UTC, without tzinfo (stored the same way on SQLite and PostgreSQL)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_token(nbytes: int = 12) -> str:
    """An opaque, URL-safe random token."""
    return secrets.token_urlsafe(nbytes)


class User(UserMixin, db.Model):
    """A student, a teacher or an admin."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="student")
    locale: Mapped[str | None] = mapped_column(String(8))
    show_hijri: Mapped[bool | None] = mapped_column()  # None: not chosen yet
    # Bumped at log-out: a copied session or remember-me cookie of an earlier session stops working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    active: Mapped[bool] = mapped_column(default=True)
    # Set on accounts a teacher creates with a first-time password: the user must choose their own.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def get_id(self) -> str:
        """What the session cookie keeps: the id and the session version, "12.3"."""
        return f"{self.id}.{self.session_version or 0}"

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password, never the password."""
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users at log-in
        return self.active

    def has_role(self, *roles: str) -> bool:
        """True when the user holds one of the roles (admins hold every role)."""
        return self.role == "admin" or self.role in roles


class Bank(db.Model):
    """A bank of events and hand-written questions; `data` is the bank file's content as JSON.

    `data` and `source_text` are loaded when first read (deferred): most pages need a bank's title
    and version only, and its parsed form comes from quizapp.banks.to_domain's cache.
    """

    __tablename__ = "bank"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title_ar: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    source_text: Mapped[str | None] = mapped_column(Text, deferred=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    published: Mapped[bool] = mapped_column(default=True)
    deleted: Mapped[bool] = mapped_column(default=False)
    show_hijri: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    events: Mapped[list[Event]] = relationship(
        back_populates="bank", cascade="all, delete-orphan", order_by="Event.position"
    )
    owner: Mapped[User | None] = relationship()

    def title(self, lang: str) -> str:
        """The bank's title in a language."""
        return self.title_ar if lang == "ar" else self.title_en


class Event(db.Model):
    """An event of a bank, kept as a row so that reports can group by it."""

    __tablename__ = "event"
    __table_args__ = (UniqueConstraint("bank_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(default=0)
    date: Mapped[str] = mapped_column(String(10))
    title_ar: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))

    bank: Mapped[Bank] = relationship(back_populates="events")


class Quiz(db.Model):
    """A bank with settings: a teacher's quiz with a join code, or a bank's practice quiz."""

    __tablename__ = "quiz"

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    title_ar: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    practice: Mapped[bool] = mapped_column(default=False)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    opens_at: Mapped[dt.datetime | None] = mapped_column()
    closes_at: Mapped[dt.datetime | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set by the teacher's "Release results": feedback "never" shows each student's answers from then.
    results_released_at: Mapped[dt.datetime | None] = mapped_column()

    bank: Mapped[Bank] = relationship()

    def title(self, lang: str) -> str:
        """The quiz's title in a language."""
        return self.title_ar if lang == "ar" else self.title_en

    def is_open(self, now: dt.datetime | None = None) -> bool:
        """True when students may start it now."""
        now = now or utcnow()
        if not self.active or self.bank.deleted:
            return False
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)


class AttemptState:
    """What an attempt's columns say of it: an Attempt's, or the attempt pages' plain row of one
    (quizapp/quiz/rows.py)."""

    __slots__ = ()

    @property
    def finished(self) -> bool:
        """True once the attempt is closed."""
        return self.finished_at is not None  # type: ignore[attr-defined]

    @property
    def question_count(self) -> int:
        """How many questions the attempt has: each is worth one mark, so `max_score` counts them."""
        return int(self.max_score)  # type: ignore[attr-defined]


class Attempt(AttemptState, db.Model):
    """One student's go at a quiz: its seed, language and settings are kept, as are its questions."""

    __tablename__ = "attempt"
    __table_args__ = (Index("ix_attempt_user_id_started_at", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_token)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    guest_token: Mapped[str | None] = mapped_column(String(32), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    seed: Mapped[str] = mapped_column(String(64))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    secret: Mapped[str] = mapped_column(String(32), default=new_token)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    deadline: Mapped[dt.datetime | None] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    score: Mapped[float | None] = mapped_column()
    max_score: Mapped[float] = mapped_column(default=0.0)

    quiz: Mapped[Quiz] = relationship()
    user: Mapped[User | None] = relationship()
    questions: Mapped[list[AttemptQuestion]] = relationship(
        back_populates="attempt", order_by="AttemptQuestion.position", cascade="all, delete-orphan"
    )


class AttemptQuestion(db.Model):
    """A question as the attempt showed it: both languages, options and key, frozen."""

    __tablename__ = "attempt_question"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    flagged: Mapped[bool] = mapped_column(default=False, server_default=sa_false())  # "for review"

    attempt: Mapped[Attempt] = relationship(back_populates="questions")
    response: Mapped[Response | None] = relationship(
        back_populates="question", uselist=False, cascade="all, delete-orphan"
    )


class QuestionEvent(db.Model):
    """Which events an attempt's question rests on, for the per-event reports."""

    __tablename__ = "question_event"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_question.id", ondelete="CASCADE"), primary_key=True
    )
    event_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("bank.id"), index=True)


class Response(db.Model):
    """A student's answer to one question of an attempt: at most one, whatever the retries."""

    __tablename__ = "response"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("attempt_question.id", ondelete="CASCADE"), unique=True
    )
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id", ondelete="CASCADE"), index=True)
    answer: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float] = mapped_column()
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The last change of the answer (feedback at the end or never: changed until finished).
    updated_at: Mapped[dt.datetime | None] = mapped_column()

    question: Mapped[AttemptQuestion] = relationship(back_populates="response")


class SchoolClass(db.Model):
    """A teacher's class: students join it with its code, and quizzes are assigned to it."""

    __tablename__ = "class"

    id: Mapped[int] = mapped_column(primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    archived: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    teacher: Mapped[User] = relationship()


class ClassMember(db.Model):
    """A student's membership of a class (once per class and student: the primary key)."""

    __tablename__ = "class_member"

    class_id: Mapped[int] = mapped_column(ForeignKey("class.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class QuizClass(db.Model):
    """A quiz assigned to a class: a quiz with at least one is for those classes' members only."""

    __tablename__ = "quiz_class"

    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id", ondelete="CASCADE"), primary_key=True)
    class_id: Mapped[int] = mapped_column(
        ForeignKey("class.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    due_at: Mapped[dt.datetime | None] = mapped_column()


class AuditLog(db.Model):
    """An admin's action (who, what, on whom, when), kept for the admin log page."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(120), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


# Covering indexes for the reports' GROUP BYs (quizapp/reports/queries.py): a quiz's marks are read
# from the indexes alone, without the rows' JSON snapshots.
Index("ix_response_question_id_score", Response.question_id, Response.score)
Index("ix_attempt_question_attempt_id_key", AttemptQuestion.attempt_id, AttemptQuestion.key)
