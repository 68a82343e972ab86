"""What a student has answered about each event, read for the review schedule (the learn pages,
and the home page's count of what is due)."""

from __future__ import annotations

import datetime as dt
import functools

from sqlalchemy import DateTime, bindparam, select

from .banks import to_domain
from .domain.review import Answer, EventState, due_for_review, states
from .extensions import db
from .feedback import visible_clause
from .models import Attempt, AttemptQuestion, Bank, QuestionEvent, Quiz, Response


def answers(user_id: int, bank_id: int, now: dt.datetime | None = None) -> list[Answer]:
    """Every answered question of the student's about the bank's events, one row per event, once
    its correctness is the student's to know (quizapp.feedback): an exam's answers count when its
    feedback shows, not as they are saved."""
    rows = db.session.execute(
        select(QuestionEvent.event_key, Response.answered_at, Response.score)
        .join(AttemptQuestion, AttemptQuestion.id == QuestionEvent.question_id)
        .join(Response, Response.question_id == AttemptQuestion.id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        # The quiz's bank, which is the question's (a quiz keeps its bank): the plan then starts from
        # the student's attempts (an index), not from every answer anyone gave about the bank.
        .where(Attempt.user_id == user_id, Quiz.bank_id == bank_id, visible_clause(now))
    ).all()
    return [Answer(key, at, score) for key, at, score in rows]


def bank_states(user_id: int, bank: Bank) -> list[EventState]:
    """The state of each event of the bank (in the bank's order) for the student."""
    events = [e.id for e in to_domain(bank).events]
    return states(events, answers(user_id, bank.id))


def due_counts(user_id: int, banks: list[Bank], now: dt.datetime) -> dict[int, int]:
    """Per bank, the events seen before and due again now (unseen ones are not counted): every
    bank's answers in one query."""
    rows = db.session.execute(
        _due_query(), {"user_id": user_id, "banks": [b.id for b in banks], "now": now}
    ).all()
    by_bank: dict[int, list[Answer]] = {}
    for bank_id, key, at, score in rows:
        by_bank.setdefault(bank_id, []).append(Answer(key, at, score))
    out = {}
    for bank in banks:
        events = [e.id for e in to_domain(bank).events]
        out[bank.id] = sum(1 for s in states(events, by_bank.get(bank.id, [])) if s.seen and s.is_due(now))
    return out


@functools.cache
def _due_query():  # type: ignore[no-untyped-def]
    """due_counts' statement, built once a process (the home page's: building it cost more than
    running it), with bound parameters user_id, banks and now."""
    return (
        select(Quiz.bank_id, QuestionEvent.event_key, Response.answered_at, Response.score)
        .join(AttemptQuestion, AttemptQuestion.id == QuestionEvent.question_id)
        .join(Response, Response.question_id == AttemptQuestion.id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.user_id == bindparam("user_id"),
            Quiz.bank_id.in_(bindparam("banks", expanding=True)),
            visible_clause(bindparam("now", type_=DateTime())),
        )
    )


def review_focus(user_id: int, bank: Bank, now: dt.datetime, limit: int = 10) -> tuple[str, ...]:
    """The events a review quiz is drawn from: missed and due first, then unseen."""
    return tuple(due_for_review(bank_states(user_id, bank), now, limit=limit))
