"""Quiz codes cannot be guessed: wrong codes are rate limited per address, right ones never count.

A quiz open to anyone with its code has only its six characters to protect it; without a limit a
script could walk the codes through the join box or the quiz's landing page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.extensions import db
from quizapp.models import Quiz
from tests.conftest import csrf_token, login, make_test_app
from tests.web.test_security import redis_problem

EN = {"Accept-Language": "en"}


def limited_app(tmp_path: Path, store: str):  # type: ignore[no-untyped-def]
    database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'codes.db'}"}
    app = make_test_app(database, tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=store)
    from quizapp.extensions import limiter

    with app.app_context():
        limiter.reset()
        practice = db.session.scalar(db.select(Quiz).where(Quiz.practice.is_(True)))
        db.session.add(Quiz(bank_id=practice.bank_id, title_ar="اختبار", title_en="Quiz", code="RIGHT1"))
        db.session.commit()
    return app


@pytest.mark.parametrize("store", ["memory://", "redis://127.0.0.1:6379"])
def test_wrong_codes_are_limited_and_right_ones_are_not_counted(tmp_path: Path, store: str) -> None:
    if store.startswith("redis") and (problem := redis_problem()):
        pytest.skip(problem)
    from quizapp.quiz.views import CODE_MISSES

    misses = int(CODE_MISSES.split()[0])
    app = limited_app(tmp_path, store)
    with app.app_context():
        from quizapp.models import User
        from tests.conftest import _password_hash

        db.session.add(User(username="pupil", display_name="Pupil", password_hash=_password_hash()))
        db.session.commit()
    client = app.test_client()
    login(client, "pupil")
    token = csrf_token(client, "/")
    # A class types the right code again and again: never held back.
    for _ in range(misses + 5):
        assert client.post("/quiz/join", data={"csrf_token": token, "code": "RIGHT1"}).status_code == 302
        assert client.get("/quiz/RIGHT1").status_code == 200
    # Guessing: the join box and the landing page share one count of misses.
    codes = []
    for i in range(misses + 2):
        if i % 2:
            codes.append(client.get(f"/quiz/ZZZ{i:03d}", headers=EN).status_code)
        else:
            wrong = {"csrf_token": token, "code": f"ZZZ{i:03d}"}
            codes.append(client.post("/quiz/join", data=wrong).status_code)
    assert 429 not in codes[:misses] and codes[misses:] == [429, 429]
    held = client.get("/quiz/RIGHT1", headers=EN)
    assert held.status_code == 429 and "Too many tries" in held.get_data(as_text=True)
    # Another address is not held back by this one (Flask-Login then asks it to log in again).
    other = client.get("/quiz/RIGHT1", environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other.status_code != 429
    with app.app_context():
        from quizapp.extensions import limiter

        limiter.reset()
