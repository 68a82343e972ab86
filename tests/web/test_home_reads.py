"""The home page reads as plain reads (quizapp.reads): once its cards are kept, neither a visitor's
nor a student's home page opens the ORM session, and a student's class quizzes come with their
attempts at them in one statement, however many there are."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tests.conftest import login
from tests.web.test_query_counts import EXACT, _sit, _statements


def _class_student(app, make_user) -> None:  # type: ignore[no-untyped-def]
    """Student "sam" in a class of teacher "tina" with three quizzes: one done, one with an attempt
    running, one not started; and a practice attempt left unfinished."""
    from quizapp import classes
    from quizapp.extensions import db
    from quizapp.models import Bank, Quiz, User, utcnow

    tina, sam = make_user("tina", role="teacher"), make_user("sam")
    with app.app_context():
        bank = db.session.scalar(select(Bank).order_by(Bank.id))
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True), Quiz.bank_id == bank.id))
        row = classes.create_class(db.session.get(User, tina.id), "Class")
        classes.join(row, sam.id)
        quizzes = []
        for i in range(3):
            quiz = Quiz(bank_id=bank.id, owner_id=tina.id, title_ar=f"اختبار {i}", title_en=f"Quiz {i}",
                        code=f"HOME{i:02d}", settings={"count": 4, "feedback": "end"})  # fmt: skip
            db.session.add(quiz)
            db.session.flush()
            classes.assign(quiz, [row.id], utcnow() + dt.timedelta(days=i + 1))
            quizzes.append(quiz.id)
        db.session.commit()
        practice_id = practice.id
    _sit(app, quizzes[0], sam.id)
    _sit(app, quizzes[0], sam.id)
    _sit(app, quizzes[1], sam.id, answered=1)
    _sit(app, practice_id, sam.id, answered=0)


def test_the_home_page_opens_no_orm_session(app, make_user) -> None:
    _class_student(app, make_user)
    visitor, student = app.test_client(), app.test_client()
    login(student, "sam")
    begun: list[object] = []

    def begin(session, _transaction, _connection) -> None:  # type: ignore[no-untyped-def]
        begun.append(session)

    for client in (visitor, student):
        for lang in ("ar", "en"):
            client.get("/", headers={"Accept-Language": lang})  # its cards rendered and kept
            event.listen(Session, "after_begin", begin)
            try:
                page = client.get("/", headers={"Accept-Language": lang})
            finally:
                event.remove(Session, "after_begin", begin)
            assert page.status_code == 200
            assert begun == [], (client is student, lang)
    page = student.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.count("assigned-todo") == 2 and page.count("assigned-done") == 1  # the attempts read


def test_a_students_class_quizzes_and_attempts_are_one_statement(app, make_user) -> None:
    """The class quizzes with the student's attempts at them, and the attempts still running: one
    statement together (a UNION ALL, quizapp.access.home_quizzes)."""
    _class_student(app, make_user)
    student = app.test_client()
    login(student, "sam")
    _statements(app, student, "GET", "/")
    status, seen = _statements(app, student, "GET", "/")
    assert status == 200
    assert len(seen) == EXACT["home_student"] == 4, seen
    page = student.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    # Quiz 1's running attempt is on its own line, not among the unfinished; the practice one is.
    assert page.count("assigned-todo") == 2 and page.count("assigned-done") == 1
    assert page.count('id="running-heading"') == 1
