"""Attempts: start one from a quiz, record answers once, finish and score. Views call these."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from . import reads
from .banks import to_domain
from .domain.dates import DateStyle, format_dating
from .domain.generate import Settings, generate_quiz
from .domain.scoring import score as score_question
from .extensions import db
from .feedback import mode_of as feedback_mode
from .models import Attempt, AttemptQuestion, QuestionEvent, Quiz, Response, User, utcnow

FEEDBACK_MODES = ("immediate", "end", "never")


class AttemptClosed(Exception):
    """The attempt is finished or its time is up: no more answers."""


class NoQuestions(Exception):
    """The bank could not give a single question with the quiz's settings."""


class NoAttemptsLeft(Exception):
    """The student has used every attempt the quiz allows."""


@dataclass(frozen=True)
class QuizSettings:
    """A quiz's settings, with the defaults a practice quiz uses."""

    count: int = 10
    kinds: tuple[str, ...] | None = None
    feedback: str = "immediate"
    ordering_method: str = "pairs"
    time_limit_minutes: int | None = None
    attempts_allowed: int | None = None
    languages: tuple[str, ...] = ("ar", "en")
    arabic_months: str = "eg"
    arabic_digits: bool = False
    closed_book: bool = False  # the bank's explore, practice and review pages close during an attempt

    @classmethod
    def of(cls, quiz: Quiz) -> QuizSettings:
        """Read a quiz's settings column, ignoring what is unknown."""
        raw: dict[str, Any] = dict(quiz.settings or {})
        kinds = raw.get("kinds")
        time_limit = raw.get("time_limit_minutes") or None
        return cls(
            count=int(raw.get("count", 10)),
            kinds=tuple(kinds) if kinds else None,
            feedback=raw.get("feedback", "immediate") if raw.get("feedback") in FEEDBACK_MODES else "end",
            ordering_method=raw.get("ordering_method", "pairs"),
            time_limit_minutes=time_limit,
            attempts_allowed=raw.get("attempts_allowed") or None,
            languages=tuple(raw.get("languages") or ("ar", "en")),
            arabic_months=raw.get("arabic_months", "eg"),
            arabic_digits=bool(raw.get("arabic_digits", False)),
            # Quizzes saved before the setting existed: closed book when timed, as new ones default.
            closed_book=bool(raw.get("closed_book", time_limit is not None)),
        )

    @property
    def style(self) -> DateStyle:
        """How the quiz writes dates."""
        return DateStyle.from_dict({"arabic_months": self.arabic_months, "arabic_digits": self.arabic_digits})


def start_attempt(
    quiz: Quiz,
    lang: str,
    user_id: int | None = None,
    guest_token: str | None = None,
    focus: tuple[str, ...] | None = None,
    *,
    live: dict[str, str] | None = None,
) -> Attempt:
    """Generate the questions from a fresh seed and store them as the attempt's snapshot.

    A student's unfinished attempt at a teacher's quiz is returned instead, as it was (same
    questions, same order, answers kept, its deadline unchanged): rejoining resumes. Two tabs
    starting at once take turns (the student's row is locked), so they get one attempt.
    `focus` keeps the questions to some events (a review of what the student missed).
    `live` ({"session", "seed", "nickname"}) is a live class session's player (quizapp/live_state.py):
    the session's seed gives every player the same questions; no resume, no attempt limit, no
    deadline (the session times each question), feedback at once, and its settings name the session.
    :raise NoQuestions: when the bank gives no question with the quiz's settings.
    :raise NoAttemptsLeft: when the student has used every attempt the quiz allows.
    """
    settings = QuizSettings.of(quiz)
    if user_id is not None and not quiz.practice and live is None:
        # A write that changes nothing locks the student's row (PostgreSQL) or the database
        # (SQLite) until the commit below: two tabs starting at once count one after the other.
        db.session.execute(update(User).where(User.id == user_id).values(id=User.id))
        unfinished = open_attempt(quiz, user_id)
        if unfinished is not None:
            db.session.commit()
            return unfinished
    allowed = settings.attempts_allowed
    if user_id is not None and allowed and live is None and attempts_used(quiz, user_id) >= allowed:
        db.session.rollback()
        raise NoAttemptsLeft(quiz.id)
    bank = to_domain(quiz.bank)
    seed = live["seed"] if live else secrets.token_hex(8)
    generated = generate_quiz(
        bank, seed, Settings(count=settings.count, kinds=settings.kinds, style=settings.style, focus=focus)
    )
    if not generated.questions:
        raise NoQuestions(quiz.id)
    now = utcnow()
    limit = settings.time_limit_minutes
    deadline = now + dt.timedelta(minutes=limit) if limit and not live else None
    if not live and quiz.closes_at is not None and (deadline is None or quiz.closes_at < deadline):
        deadline = quiz.closes_at  # the quiz's closing time ends the attempts still open, timed or not
    attempt = Attempt(
        quiz_id=quiz.id,
        user_id=user_id,
        guest_token=guest_token,
        lang=lang,
        seed=seed,
        started_at=now,
        settings={
            "feedback": settings.feedback,
            "ordering_method": settings.ordering_method,
            "bank_version": quiz.bank.version,
            "review": focus is not None,
            "languages": list(settings.languages),
            "closed_book": settings.closed_book and not quiz.practice and not live,
            **(
                {"feedback": "immediate", "live": live["session"], "nickname": live["nickname"]}
                if live
                else {}
            ),
        },
        deadline=deadline,
        max_score=float(len(generated.questions)),
    )
    db.session.add(attempt)
    db.session.flush()
    # What the feedback shows of each event, frozen with the question: a later edit of the bank
    # never changes what this attempt showed.
    context = functools.cache(lambda event_id: _event_context(bank, event_id, settings.style))
    rows = []
    for position, question in enumerate(generated.questions):
        snapshot = question.to_dict()
        snapshot["context"] = [context(eid) for eid in question.events]
        rows.append(
            {"attempt_id": attempt.id, "position": position, "kind": question.kind, "key": question.key,
             "snapshot": snapshot}
        )  # fmt: skip
    # Two batched INSERTs (and a SELECT of the new ids), not a round trip per question and event.
    db.session.execute(insert(AttemptQuestion), rows)
    ids = db.session.scalars(
        select(AttemptQuestion.id)
        .where(AttemptQuestion.attempt_id == attempt.id)
        .order_by(AttemptQuestion.position)
    ).all()
    links = [
        {"question_id": qid, "event_key": event_id, "bank_id": quiz.bank_id}
        for qid, question in zip(ids, generated.questions, strict=True)
        for event_id in question.about or dict.fromkeys(question.events)
    ]
    if links:
        db.session.execute(insert(QuestionEvent), links)
    db.session.commit()
    return attempt


def _event_context(bank: Any, event_id: str, style: DateStyle) -> dict[str, Any]:
    try:
        event = bank.event(event_id)
    except KeyError:
        return {"id": event_id}
    return {
        "id": event.id,
        "date": event.date.iso(),
        "date_text": {lang: format_dating(event.dating, lang, style) for lang in ("ar", "en")},
        "title": event.title.to_dict(),
        "evidence": event.evidence,
        "evidence_lang": bank.source.lang if bank.source else "",
        "evidence_translation": event.evidence_translation,
    }


def option_token(attempt: Attempt, position: int, index: int) -> str:
    """An opaque id of an option (or ordering item): says nothing of which is right."""
    msg = f"{position}:{index}".encode()
    return hmac.new(attempt.secret.encode(), msg, hashlib.sha256).hexdigest()[:12]


def token_index(attempt: Attempt, question: AttemptQuestion, token: str) -> int | None:
    """The option index a token stands for, or None."""
    count = len(question.snapshot.get("options") or question.snapshot.get("items") or ())
    for index in range(count):
        if hmac.compare_digest(option_token(attempt, question.position, index), token):
            return index
    return None


def time_is_up(attempt: Attempt, now: dt.datetime | None = None) -> bool:
    """True when the attempt had a limit and it has passed (a few seconds' grace for the network)."""
    if attempt.deadline is None:
        return False
    return (now or utcnow()) > attempt.deadline + dt.timedelta(seconds=5)


def _lock_open_attempt(attempt_id: int) -> bool:
    """Lock the attempt for the rest of the transaction and say whether it is still open.

    A write that changes nothing: on PostgreSQL it holds the attempt's row lock, on SQLite the
    database's write lock, until the commit. Answers and the finish of one attempt thus take
    turns, so a finish never misses an answer that is being stored, and no answer lands after it.
    """
    result = db.session.connection().execute(_lock_statement(), {"attempt_id": attempt_id})
    return result.rowcount == 1


_ATTEMPT, _RESPONSE = Attempt.__table__, Response.__table__


@functools.cache
def _lock_statement():  # type: ignore[no-untyped-def]
    """_lock_open_attempt's UPDATE, built once a process (building it cost more than running it).

    The answer's statements are Core statements on the session's connection (its transaction): as
    ORM statements, each passed through the ORM's machinery (the INSERT through a flush), which
    cost a post more than the database's work.
    """
    return (
        update(_ATTEMPT)
        .where(_ATTEMPT.c.id == bindparam("attempt_id"), _ATTEMPT.c.finished_at.is_(None))
        .values(seed=_ATTEMPT.c.seed)
    )


@functools.cache
def _response_query():  # type: ignore[no-untyped-def]
    """A question's response (its id and answer), if any (built once, as _lock_statement)."""
    return select(_RESPONSE.c.id, _RESPONSE.c.answer).where(
        _RESPONSE.c.question_id == bindparam("question_id")
    )


def _stored(question_id: int):  # type: ignore[no-untyped-def]
    return db.session.connection().execute(_response_query(), {"question_id": question_id}).first()


def record_answer(attempt: Any, question: Any, answer: Any) -> None:
    """Store the answer in the question's one response row.

    With feedback at once, the first answer is final: a retry, a double click or a second tab gets
    the answer already stored. With feedback at the end or never, a new answer replaces the stored
    one (the same row) until the attempt is finished. A first answer to an open attempt is stored in
    one statement (_store_new); otherwise answers of one attempt take turns under its lock, so two
    tabs never make two rows and the last answer stored is the one that counts.
    `attempt` and `question` are ORM entities or the attempt pages' rows (quizapp/quiz/rows.py).
    :raise AttemptClosed: when the attempt is finished (by a finish racing in too) or out of time,
        unless this very answer is already stored (a retry of a request that went through).
    """
    if not time_is_up(attempt) and _store_new(attempt, question, answer):
        return  # the common case, in one statement: a first answer to an open attempt
    is_open = _lock_open_attempt(attempt.id)
    existing = _stored(question.id)
    final = feedback_mode(attempt.settings) == "immediate"
    if not is_open or time_is_up(attempt):
        if is_open:
            _close(attempt.id)
        db.session.commit()
        if existing is not None and (final or existing.answer == answer):
            return
        raise AttemptClosed(attempt.public_id)
    if existing is not None:
        if not final and existing.answer != answer:
            _change(existing.id, question, answer, attempt.settings)
        db.session.commit()
        return
    mark = score_question(question.snapshot, answer, attempt.settings.get("ordering_method", "pairs"))
    row = {"question_id": question.id, "attempt_id": attempt.id, "answer": answer, "score": float(mark)}
    try:
        db.session.connection().execute(insert(_RESPONSE), row)
        db.session.commit()
    except IntegrityError:
        # Stored already by a request that did not wait for the lock (it cannot happen while every
        # writer takes it first; kept as the database's last word): that row is the answer's.
        db.session.rollback()
        existing = _stored(question.id)
        if existing is None:
            raise
        if not final and existing.answer != answer and _lock_open_attempt(attempt.id):
            _change(existing.id, question, answer, attempt.settings)
        db.session.commit()


def _store_new(attempt: Any, question: Any, answer: Any) -> bool:
    """Store a first answer to a question of an open attempt in one statement; False when it stores
    nothing (the question has its answer already, or the attempt is finished), for record_answer's
    locked path to decide.

    On PostgreSQL the INSERT reads the attempt's row FOR SHARE, and only while it is unfinished: a
    share lock waits for the finish's row lock (its UPDATE of finished_at) and the finish's UPDATE
    waits for it. In READ COMMITTED (each statement sees what was committed when it began) either
    - the finish committed before the INSERT began: the INSERT's snapshot sees it finished; or
    - the finish locked the row first: the INSERT waits for its commit, then reads the row's new
      version again (the recheck of a locking clause), finds it finished and inserts nothing; or
    - the INSERT locked it first: the finish's UPDATE waits until the INSERT commits, and the
      finish's SUM, a later statement with a later snapshot, counts the answer.
    No answer is missed by a finish, and none lands after it. Two answers to one question meet at
    its unique index: ON CONFLICT DO NOTHING waits for the other's commit, and the second inserts
    nothing (the locked path then keeps or replaces the first). Answers to other questions of the
    attempt share the lock and do not wait for each other.
    The INSERT runs as a plain read (quizapp.reads: a SELECT of its RETURNING, a data-modifying
    WITH): when the session has not begun a transaction, on the request's connection in autocommit,
    a transaction of its own (the share lock held to its end) without a BEGIN or COMMIT round trip.
    On SQLite the INSERT takes the database's write lock as it starts, before it reads the attempt,
    and the finish holds it from its UPDATE to its COMMIT: the two take turns.
    """
    mark = score_question(question.snapshot, answer, attempt.settings.get("ordering_method", "pairs"))
    params = {
        "question_id": question.id, "attempt_id": attempt.id, "answer": answer, "score": float(mark),
        "answered_at": utcnow(),
    }  # fmt: skip
    began = reads.in_session_transaction()
    if db.engine.dialect.name == "postgresql":
        stored = reads.first(_store_new_query(), params)
        if began:  # run in the session's transaction: commit it
            db.session.commit()
        return stored is not None
    stored = db.session.connection().execute(_store_new_statement("sqlite"), params).first()
    db.session.commit()
    return stored is not None


@functools.cache
def _store_new_statement(dialect: str):  # type: ignore[no-untyped-def]
    """_store_new's INSERT for the dialect (built once, as _lock_statement): the question's answer,
    if the attempt is unfinished (on PostgreSQL, its row read FOR SHARE) and no answer is stored,
    returning the new row's id."""
    from sqlalchemy.dialects import postgresql, sqlite

    columns = ("question_id", "attempt_id", "answer", "score", "answered_at")
    values = [
        _ATTEMPT.c.id if name == "attempt_id" else bindparam(name, type_=_RESPONSE.c[name].type)
        for name in columns
    ]
    open_attempt = (
        select(*values)
        .where(_ATTEMPT.c.id == bindparam("attempt_id"), _ATTEMPT.c.finished_at.is_(None))
        .with_for_update(read=True)
    )
    insert_of = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert_of(_RESPONSE)
        .from_select(columns, open_attempt, include_defaults=False)
        .on_conflict_do_nothing(index_elements=[_RESPONSE.c.question_id])
        .returning(_RESPONSE.c.id)
    )


@functools.cache
def _store_new_query():  # type: ignore[no-untyped-def]
    """_store_new's INSERT on PostgreSQL as a SELECT of what it returns, for quizapp.reads."""
    stored = _store_new_statement("postgresql").cte("stored")
    return select(stored.c.id)


def _change(response_id: int, question: Any, answer: Any, settings: dict) -> None:
    method = settings.get("ordering_method", "pairs")
    score = float(score_question(question.snapshot, answer, method))
    db.session.connection().execute(
        update(_RESPONSE)
        .where(_RESPONSE.c.id == response_id)
        .values(answer=answer, score=score, updated_at=utcnow())
    )


def answer_is_final(attempt: Attempt, question: AttemptQuestion) -> bool:
    """True when the question's answer can no longer change: stored under feedback at once, or the
    attempt is finished."""
    if attempt.finished:
        return True
    return question.response is not None and feedback_mode(attempt.settings) == "immediate"


def set_flag(attempt: Attempt, question: AttemptQuestion, flagged: bool) -> None:
    """Mark a question "for review" (or not) while the attempt is open; setting it twice is the same."""
    db.session.execute(
        update(AttemptQuestion)
        .where(AttemptQuestion.id == question.id, AttemptQuestion.attempt_id == attempt.id)
        .values(flagged=flagged)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def open_attempt(quiz: Quiz, user_id: int, now: dt.datetime | None = None) -> Attempt | None:
    """The student's unfinished attempt at the quiz whose time is not up, if any (the newest).

    An unfinished attempt whose time is up is closed here: its answers so far are its score.
    """
    rows = db.session.scalars(
        select(Attempt)
        .where(Attempt.quiz_id == quiz.id, Attempt.user_id == user_id, Attempt.finished_at.is_(None))
        .order_by(Attempt.started_at.desc())
    ).all()
    found = None
    for row in rows:
        if time_is_up(row, now):
            _close(row.id)
        elif found is None:
            found = row
    return found


def closed_book_attempt(user_id: int, bank_id: int, now: dt.datetime | None = None) -> Attempt | None:
    """The student's open attempt at a closed-book quiz on the bank, if any: while it runs, the
    bank's explore, practice, mastery and review pages are closed to the student."""
    rows = db.session.scalars(
        select(Attempt)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.user_id == user_id, Attempt.finished_at.is_(None), Quiz.bank_id == bank_id)
        .order_by(Attempt.started_at.desc())
    ).all()
    return next((a for a in rows if a.settings.get("closed_book") and not time_is_up(a, now)), None)


def _close(attempt_id: int) -> None:
    """Mark the attempt finished and score it from its answers, if no one did it first."""
    closed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.finished_at.is_(None))
        .values(finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if closed.rowcount != 1:
        return
    # Summed under the lock the update above took: every answer stored before is counted.
    total = db.session.scalar(
        select(db.func.coalesce(db.func.sum(Response.score), 0.0)).where(Response.attempt_id == attempt_id)
    )
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id)
        .values(score=float(total or 0.0))
        .execution_options(synchronize_session=False)
    )


def finish_attempt(attempt: Any) -> Any:
    """Close the attempt and store its score; finishing twice, or racing an answer, is safe.

    `attempt` is an Attempt, or the attempt pages' plain row of one (quizapp/quiz/rows.py), whose
    finish and score are read again the same way: one SELECT.
    """
    _close(attempt.id)
    db.session.commit()
    if isinstance(attempt, Attempt):
        db.session.refresh(attempt)
    else:
        attempt.finished_at, attempt.score = db.session.execute(
            _finish_query(), {"attempt_id": attempt.id}
        ).one()
    return attempt


@functools.cache
def _finish_query():  # type: ignore[no-untyped-def]
    """An attempt's finish and score (built once, as _lock_statement)."""
    return select(Attempt.finished_at, Attempt.score).where(Attempt.id == bindparam("attempt_id"))


def attempts_used(quiz: Quiz, user_id: int) -> int:
    """How many attempts a student has started on a quiz."""
    return (
        db.session.scalar(
            select(db.func.count(Attempt.id)).where(Attempt.quiz_id == quiz.id, Attempt.user_id == user_id)
        )
        or 0
    )


def purge_guest_attempts(older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete visitors' attempts older than a day: a visitor's result is not kept."""
    cutoff = utcnow() - older_than
    rows = db.session.scalars(
        select(Attempt).where(Attempt.user_id.is_(None), Attempt.started_at < cutoff)
    ).all()
    for row in rows:
        db.session.delete(row)
    db.session.commit()
    return len(rows)
