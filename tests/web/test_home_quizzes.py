"""A student's class quizzes and unfinished attempts, read in one statement for the home page
(quizapp.access.home_quizzes), on SQLite and PostgreSQL: the unfinished attempts are the `limit`
newest still running, newest first, then those of a deleted bank left out, as the ORM reads them;
the class quizzes are what they were when each was its own statement."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.web.test_home_reads import _class_student
from tests.web.test_query_counts import _sit


def _expected_unfinished(user_id: int, now: dt.datetime, limit: int) -> list[str]:
    """The public ids of the user's attempts still running, as the ORM reads them."""
    from quizapp.extensions import db
    from quizapp.models import Attempt, Bank, Quiz

    newest = db.session.scalars(
        select(Attempt)
        .where(Attempt.user_id == user_id, Attempt.finished_at.is_(None))
        .where(Attempt.deadline.is_(None) | (Attempt.deadline > now))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(limit)
    ).all()
    deleted = set(db.session.scalars(select(Quiz.id).join(Bank).where(Bank.deleted.is_(True))))
    return [a.public_id for a in newest if a.quiz_id not in deleted]


def test_unfinished_attempts_are_the_newest_running_and_class_quizzes_are_unchanged(app, make_user) -> None:
    from quizapp import access
    from quizapp.extensions import db
    from quizapp.models import Attempt, Bank, Quiz, User, utcnow

    _class_student(app, make_user)
    with app.app_context():
        sam = db.session.scalar(select(User).where(User.username == "sam"))
        practice = db.session.scalar(select(Quiz.id).where(Quiz.practice.is_(True)))
        class_quizzes = list(db.session.scalars(select(Quiz.id).where(Quiz.practice.is_(False))))
        sam_id = sam.id
    for _ in range(3):
        _sit(app, practice, sam_id, answered=1)
    timed_out = _sit(app, class_quizzes[2], sam_id, answered=0)
    with app.app_context():
        now = utcnow()
        attempts = list(db.session.scalars(select(Attempt).where(Attempt.user_id == sam_id)))
        for i, attempt in enumerate(attempts):  # distinct start times, none in the future
            attempt.started_at = now - dt.timedelta(minutes=10 * (len(attempts) - i))
        up = db.session.scalar(select(Attempt).where(Attempt.public_id == timed_out))
        up.deadline = now - dt.timedelta(minutes=1)  # its time is up
        db.session.commit()
        sam = db.session.get(User, sam_id)
        for limit in (1, 2, 3, 10):
            assigned, unfinished = access.home_quizzes(sam, now, limit)
            assert [a.public_id for a in unfinished] == _expected_unfinished(sam_id, now, limit), limit
            assert all(a.title_en for a in unfinished)
        assert timed_out not in {a.public_id for a in access.home_quizzes(sam, now)[1]}
        assigned = access.home_quizzes(sam, now)[0]
        states = {a.quiz.title_en: a.state for a in assigned}
        assert states == {"Quiz 0": "done", "Quiz 1": "todo", "Quiz 2": "todo"}
        running = {a.quiz.title_en: a.unfinished is not None for a in assigned}
        assert running == {"Quiz 0": False, "Quiz 1": True, "Quiz 2": False}  # Quiz 2's time is up

        # The practice bank deleted: its attempts leave the list (after the limit, as before).
        db.session.scalar(select(Bank).where(Bank.id == select(Quiz.bank_id).where(Quiz.id == practice)
                                             .scalar_subquery())).deleted = True  # fmt: skip
        db.session.commit()
        for limit in (1, 3, 10):
            expected = _expected_unfinished(sam_id, now, limit)
            assert [a.public_id for a in access.home_quizzes(sam, now, limit)[1]] == expected
        assert access.home_quizzes(sam, now)[0] == []  # its class quizzes too (all on that bank)
