"""When a student may see whether their answers were right: one rule, in Python and in SQL.

The quiz's feedback mode is frozen in each attempt's settings when it starts:
- "immediate": each answer's correctness shows as soon as it is stored;
- "end": every answer's shows once the attempt is finished (by the student or by the clock);
- "never": once the attempt is finished and the teacher has released the quiz's results.

Every page and query that shows a student correctness (the question page, results, "my results",
mastery, the review schedule, the learn pages) asks `visible` or filters with `visible_clause`, so
no page can count an answer the student may not yet know about.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, or_
from sqlalchemy.sql.elements import ColumnElement

from .models import Attempt, Quiz, utcnow

MODES = ("immediate", "end", "never")


def mode_of(settings: dict | None) -> str:
    """An attempt's feedback mode; an unknown or missing one counts as "end" (the cautious one)."""
    mode = (settings or {}).get("feedback")
    return mode if mode in MODES else "end"


def visible(
    mode: str,
    finished_at: dt.datetime | None,
    released_at: dt.datetime | None,
    now: dt.datetime | None = None,
    answered: bool = True,
) -> bool:
    """True when the student may see whether an answer of this attempt was right.

    `answered` matters for "immediate" only: a question's correctness shows once it is answered.
    """
    if mode == "immediate":
        return answered
    if finished_at is None:
        return False
    if mode == "end":
        return True
    now = now or utcnow()
    return released_at is not None and released_at <= now


def attempt_visible(attempt: Attempt, now: dt.datetime | None = None, answered: bool = True) -> bool:
    """`visible` for an attempt (its frozen mode, its finish, its quiz's release)."""
    return visible(
        mode_of(attempt.settings), attempt.finished_at, attempt.quiz.results_released_at, now, answered
    )


def visible_clause(now: dt.datetime | ColumnElement | None = None) -> ColumnElement[bool]:
    """`visible` as a SQL condition on Attempt joined with its Quiz (for answered questions); `now`
    may be a bound parameter (a statement built once)."""
    if now is None:
        now = utcnow()
    mode = func.coalesce(Attempt.settings["feedback"].as_string(), "end")
    finished = Attempt.finished_at.is_not(None)
    released = and_(Quiz.results_released_at.is_not(None), Quiz.results_released_at <= now)
    return or_(
        mode == "immediate",
        # Any other mode counts as "end" (mode_of). Not an IN list: its values would be an expanding
        # parameter, which a plain read (quizapp.reads) does not take.
        and_(finished, mode != "immediate", mode != "never"),
        and_(finished, mode == "never", released),
    )
