"""JSON columns are kept as UTF-8 text, Arabic as itself (quizapp.config.json_text): smaller to
store, send and parse than \\u escapes, and readable in the database's own shell. Values written
before with escapes read the same."""

from __future__ import annotations

import json

from sqlalchemy import select, text, update

from quizapp import attempts as svc
from quizapp.extensions import db
from quizapp.models import AttemptQuestion, Quiz

_RAW = "SELECT CAST(snapshot AS TEXT) FROM attempt_question WHERE attempt_id = :a ORDER BY position"


def _raw_snapshots(attempt_id: int) -> list[str]:
    """The snapshots' text as the database holds it."""
    return list(db.session.scalars(text(_RAW), {"a": attempt_id}))


def test_an_arabic_snapshot_is_stored_as_utf8_text_and_escaped_ones_read_the_same(app, make_user) -> None:
    user = make_user("student")
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        attempt = svc.start_attempt(quiz, "ar", user_id=user.id)
        raw = _raw_snapshots(attempt.id)
        assert raw and all("\\u06" not in one for one in raw), raw[0][:200]
        assert any("تروتسكي" in one for one in raw)
        first = attempt.questions[0]
        kept = first.snapshot
        # The same value written as before (\u escapes), read back: equal.
        escaped = json.dumps(kept)
        assert "\\u06" in escaped
        value = "CAST(:s AS JSON)" if db.engine.dialect.name == "postgresql" else ":s"
        db.session.execute(text(f"UPDATE attempt_question SET snapshot = {value} WHERE id = :i"),
                           {"s": escaped, "i": first.id})  # fmt: skip
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(AttemptQuestion, first.id).snapshot == kept
        assert "\\u06" in _raw_snapshots(attempt.id)[0]
        # Written through SQLAlchemy again: UTF-8 once more.
        again = update(AttemptQuestion).where(AttemptQuestion.id == first.id).values(snapshot=kept)
        db.session.execute(again)
        db.session.commit()
        assert "\\u06" not in _raw_snapshots(attempt.id)[0]
