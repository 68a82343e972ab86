"""What a student has answered about each event, read for the review schedule (the learn pages,
and the home page's count of what is due)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import DateTime, bindparam, select

from . import reads
from .banks import to_domain
from .domain.review import Answer, EventState, due_for_review, event_state, states
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


def due_read(user_id: int, now: dt.datetime) -> tuple[Any, dict[str, Any]]:
    """due_counts' statement and its parameters (for quizapp.reads.ahead)."""
    return _due_query(), {"user_id": user_id, "now": now}


def due_counts(user_id: int, events: Mapping[int, Collection[str]], now: dt.datetime) -> dict[int, int]:
    """Per bank (its id, with its events' keys), the events seen before and due again now (unseen
    ones are not counted): every bank's answers in one query, and only the events answered looked
    at (an event never answered is unseen)."""
    out = dict.fromkeys(events, 0)
    if not out:
        return out
    answered: dict[tuple[int, str], list[Answer]] = {}
    # A plain read (quizapp.reads): the home page opens no ORM session for it.
    for bank_id, key, at, score in reads.rows(*due_read(user_id, now)):
        if key in events.get(bank_id, ()):
            answered.setdefault((bank_id, key), []).append(Answer(key, at, score))
    for (bank_id, key), answers in answered.items():
        if event_state(key, answers).is_due(now):
            out[bank_id] += 1
    return out


@functools.cache
def _due_query():  # type: ignore[no-untyped-def]
    """due_counts' statement, built once a process (the home page's: building it cost more than
    running it), with bound parameters user_id and now: the student's answers about every bank (the
    banks asked for are picked out in Python: a list of ids bound at each call cost more than the
    rest of the statement, and a student answers about few banks besides those the page lists)."""
    return (
        select(Quiz.bank_id, QuestionEvent.event_key, Response.answered_at, Response.score)
        .join(AttemptQuestion, AttemptQuestion.id == QuestionEvent.question_id)
        .join(Response, Response.question_id == AttemptQuestion.id)
        .join(Attempt, Attempt.id == AttemptQuestion.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.user_id == bindparam("user_id"),
            visible_clause(bindparam("now", type_=DateTime())),
        )
    )


def review_focus(user_id: int, bank: Bank, now: dt.datetime, limit: int = 10) -> tuple[str, ...]:
    """The events a review quiz is drawn from: missed and due first, then unseen."""
    return tuple(due_for_review(bank_states(user_id, bank), now, limit=limit))
