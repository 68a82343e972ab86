"""The attempt pages' attempt, quiz and questions read as plain rows, not ORM entities.

The question page, an answer's post and the results page each read one attempt with its quiz and
bank, and one or all of its questions with their answers. As ORM entities (five kinds of them), the
ORM built each entity's row processors on every execution, which cost those pages more than their
SQL; here one Core statement (built once a process, with bound parameters, run as a plain read:
quizapp.reads) fills small objects that have the attributes the views, quizapp.attempts and the
templates read, under the same names.
Nothing is written through them: quizapp.attempts writes with statements of its own.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.sql import Select

from .. import reads
from ..models import Attempt, AttemptQuestion, AttemptState, Bank, Quiz, Response

_A, _Q, _R, _QUIZ, _BANK = (m.__table__ for m in (Attempt, AttemptQuestion, Response, Quiz, Bank))

#: The attempt's columns, in the order of AttemptRow's slots.
_ATTEMPT_COLUMNS = (
    "id", "public_id", "quiz_id", "user_id", "guest_token", "lang", "seed", "settings", "secret",
    "started_at", "deadline", "finished_at", "score", "max_score",
)  # fmt: skip


class BankRow:
    """What the attempt pages read of the quiz's bank."""

    __slots__ = ("id", "show_hijri")

    def __init__(self, id: int, show_hijri: bool) -> None:  # noqa: A002
        self.id, self.show_hijri = id, show_hijri


class QuizRow:
    """What the attempt pages read of the attempt's quiz: its settings (QuizSettings.of), its results'
    release (quizapp.feedback) and its bank."""

    __slots__ = ("id", "settings", "results_released_at", "bank_id", "bank")

    def __init__(self, id: int, settings: dict | None, released: dt.datetime | None, bank: BankRow) -> None:  # noqa: A002
        self.id, self.settings, self.results_released_at = id, settings, released
        self.bank_id, self.bank = bank.id, bank


class AttemptRow(AttemptState):
    """An attempt's columns, with its quiz (QuizRow) and, on the pages that list them, its questions."""

    __slots__ = (*_ATTEMPT_COLUMNS, "quiz", "questions")

    id: int
    public_id: str
    user_id: int | None
    guest_token: str | None
    settings: dict[str, Any]
    secret: str
    deadline: dt.datetime | None
    finished_at: dt.datetime | None
    score: float | None
    max_score: float
    quiz: QuizRow
    questions: list[QuestionRow]


class ResponseRow:
    """A question's stored answer and its score."""

    __slots__ = ("id", "answer", "score")

    def __init__(self, id: int, answer: Any, score: float) -> None:  # noqa: A002
        self.id, self.answer, self.score = id, answer, score


class QuestionRow:
    """A question of the attempt, as it was frozen (its snapshot), with its answer or None."""

    __slots__ = ("id", "position", "snapshot", "flagged", "attempt", "response")

    def __init__(self, row: Any, start: int, attempt: AttemptRow) -> None:
        """From the row's columns at `start` on: _QUESTION_COLUMNS, then _RESPONSE_COLUMNS."""
        self.id, self.position, self.snapshot, self.flagged, rid, answer, score = row[start : start + 7]
        self.attempt = attempt
        self.response = None if rid is None else ResponseRow(rid, answer, score)


_QUESTION_COLUMNS = (_Q.c.id, _Q.c.position, _Q.c.snapshot, _Q.c.flagged)
_RESPONSE_COLUMNS = (_R.c.id, _R.c.answer, _R.c.score)


def _attempt(row: Any) -> AttemptRow:
    """The AttemptRow of a row that starts with the attempt's columns, then its quiz's and bank's."""
    attempt = AttemptRow()
    (
        attempt.id, attempt.public_id, attempt.quiz_id, attempt.user_id, attempt.guest_token, attempt.lang,
        attempt.seed, attempt.settings, attempt.secret, attempt.started_at, attempt.deadline,
        attempt.finished_at, attempt.score, attempt.max_score, settings, released, bank_id, show_hijri,
    ) = row[: len(_ATTEMPT_COLUMNS) + 4]  # fmt: skip
    attempt.quiz = QuizRow(attempt.quiz_id, settings, released, BankRow(bank_id, show_hijri))
    return attempt


def _with_quiz(*columns: Any) -> Select:
    """The attempt's columns, its quiz's and bank's (_attempt reads them), the closed-book column
    (closed_book_running), then `columns`; the attempt joined with its quiz and bank."""
    return (
        select(
            *(_A.c[name] for name in _ATTEMPT_COLUMNS),
            _QUIZ.c.settings,
            _QUIZ.c.results_released_at,
            _QUIZ.c.bank_id,
            _BANK.c.show_hijri,
            closed_book_running(),
            *columns,
        )  # fmt: skip
        .select_from(_A)
        .join(_QUIZ, _QUIZ.c.id == _A.c.quiz_id)
        .join(_BANK, _BANK.c.id == _QUIZ.c.bank_id)
    )


def closed_book_running():  # type: ignore[no-untyped-def]
    """Whether the attempt's student has an unfinished closed-book attempt on the same bank: a
    column of the query that loads the attempt, so that only then is the closed-book page's own
    query run (quizapp.ui.closed_book, which also asks whether its time is up)."""
    other, other_quiz = _A.alias("other"), _QUIZ.alias("other_quiz")
    return (
        select(other.c.id)
        .join(other_quiz, other_quiz.c.id == other.c.quiz_id)
        .where(other.c.user_id == _A.c.user_id, other.c.finished_at.is_(None))
        .where(other_quiz.c.bank_id == _QUIZ.c.bank_id, other.c.settings["closed_book"].as_boolean())
        .exists()
    )


_CLOSED_BOOK = len(_ATTEMPT_COLUMNS) + 4  # the closed-book column's place in _with_quiz's rows


@functools.cache
def _attempt_query() -> Select:
    """An attempt by its public id (built once a process: building a statement, its joins and the
    aliases of its subquery, cost several times what the database spends running it)."""
    return _with_quiz().where(_A.c.public_id == bindparam("public_id"))


@functools.cache
def _question_query() -> Select:
    """An attempt and one of its questions with its answer (built once: see _attempt_query)."""
    return (
        _with_quiz(*_QUESTION_COLUMNS, *_RESPONSE_COLUMNS)
        .join(_Q, _Q.c.attempt_id == _A.c.id)
        .outerjoin(_R, _R.c.question_id == _Q.c.id)
        .where(_A.c.public_id == bindparam("public_id"), _Q.c.position == bindparam("position"))
    )


@functools.cache
def _questions_query() -> Select:
    """An attempt's questions in order, each with its answer or None: one query, any length."""
    return (
        select(*_QUESTION_COLUMNS, *_RESPONSE_COLUMNS)
        .select_from(_Q)
        .outerjoin(_R, _R.c.question_id == _Q.c.id)
        .where(_Q.c.attempt_id == bindparam("attempt_id"))
        .order_by(_Q.c.position)
    )


def attempt_row(public_id: str) -> tuple[AttemptRow, bool] | None:
    """The attempt (with its quiz and bank) and the closed-book column, or None."""
    row = reads.first(*attempt_read(public_id))
    return None if row is None else (_attempt(row), bool(row[_CLOSED_BOOK]))


def attempt_read(public_id: str) -> tuple[Select, dict[str, Any]]:
    """attempt_row's statement and its parameters (for quizapp.reads.ahead)."""
    return _attempt_query(), {"public_id": public_id}


def with_questions(attempt: AttemptRow) -> AttemptRow:
    """The attempt with its questions in order (attempt.questions), each with its answer."""
    rows = reads.rows(_questions_query(), {"attempt_id": attempt.id})
    attempt.questions = [QuestionRow(row, 0, attempt) for row in rows]
    return attempt


def question_row(public_id: str, number: int) -> tuple[AttemptRow, QuestionRow, bool] | None:
    """The attempt (with its quiz and bank), its question `number` (from 1) with its answer, and the
    closed-book column, in one query; None when either is missing."""
    row = reads.first(*question_read(public_id, number))
    if row is None:
        return None
    attempt = _attempt(row)
    return attempt, QuestionRow(row, _CLOSED_BOOK + 1, attempt), bool(row[_CLOSED_BOOK])


def question_read(public_id: str, number: int) -> tuple[Select, dict[str, Any]]:
    """question_row's statement and its parameters (for quizapp.reads.ahead)."""
    return _question_query(), {"public_id": public_id, "position": number - 1}


def next_unanswered(attempt_id: int, after: int) -> int | None:
    """The position of the attempt's first question from position `after` on without an answer,
    else its first before (round from the start), or None: one query."""
    return reads.scalar(_next_unanswered_query(), {"attempt_id": attempt_id, "after": after})


@functools.cache
def _next_unanswered_query() -> Select:
    return (
        select(_Q.c.position)
        .select_from(_Q)
        .outerjoin(_R, _R.c.question_id == _Q.c.id)
        .where(_Q.c.attempt_id == bindparam("attempt_id"), _R.c.id.is_(None))
        .order_by(_Q.c.position < bindparam("after"), _Q.c.position)
        .limit(1)
    )
