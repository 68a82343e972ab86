"""A quiz report's figures and the report pages' filter forms are kept between requests
(quizapp.reports.views.quiz_body, filters_part): never older than the attempts, on this server or
another sharing the database, never one teacher's choices on another's page.

The figures are kept under the version of the quiz's attempts (queries.attempts_version). Each test
here changes the data a way a school does (an attempt started, answered, flagged, finished here or on
another server; a class's members), then compares the page with what it shows when nothing is kept.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from quizapp.attempts import finish_attempt, record_answer, set_flag, start_attempt
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptQuestion, ClassMember, Quiz, SchoolClass
from quizapp.reports import views as report_views
from tests.conftest import login, run_elsewhere
from tests.web.test_reports import PATTERNS, _answer, _users, data  # noqa: F401 (a fixture)

EN = {"Accept-Language": "en"}
_CSRF = re.compile(r'(name="csrf_token"[^>]*value="|csrf-token" content=")[^"]*"')


def _page(client, path: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(path, headers=EN)
    assert response.status_code == 200
    return _CSRF.sub(r"\1", response.get_data(as_text=True))


def _unkept(client, path: str) -> str:  # type: ignore[no-untyped-def]
    """The page as it is when nothing is kept (the figures worked out from the database)."""
    report_views._QUIZ_BODIES.clear()
    report_views._FILTERS.clear()
    return _page(client, path)


def _attempts_shown(html: str) -> int:
    """The summary's number of attempts (its first row's figure)."""
    found = re.search(r"<th scope=\"row\">Attempts</th><td[^>]*>([0-9]+)</td>", html)
    assert found, "no attempts row in the summary"
    return int(found.group(1))


@pytest.fixture
def teacher(app, data):  # type: ignore[no-untyped-def]  # noqa: F811
    client = app.test_client()
    login(client, "teacher1")
    return client


def test_a_started_or_finished_attempt_shows_at_once(app, data, teacher) -> None:  # noqa: F811
    path = f"/reports/quiz/{data['q1']}"
    first = _page(teacher, path)
    assert _page(teacher, path) == first  # kept, the same
    attempts = _attempts_shown(first)
    with app.app_context():
        quiz = db.session.get(Quiz, data["q1"])
        attempt = start_attempt(quiz, "en", user_id=data["students"]["other"])
        started = _page(teacher, path)
        assert _attempts_shown(started) == attempts + 1
        assert started == _unkept(teacher, path)
        for question, right in zip(attempt.questions, PATTERNS["s2"], strict=False):
            record_answer(attempt, question, _answer(question.snapshot, bool(right)))
        finish_attempt(attempt)
    finished = _page(teacher, path)
    assert finished != started  # the finished attempt's score is in the figures now
    assert finished == _unkept(teacher, path)


def test_what_leaves_the_version_alone_leaves_the_figures_alone(app, data, teacher) -> None:  # noqa: F811
    """An open attempt's answers and flags are not in a report: the kept figures stay right."""
    path = f"/reports/quiz/{data['q1']}"
    with app.app_context():
        quiz = db.session.get(Quiz, data["q1"])
        attempt = start_attempt(quiz, "ar", user_id=data["students"]["other"])
        attempt_id = attempt.id
    kept = _page(teacher, path)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        for question in attempt.questions[:3]:
            record_answer(attempt, question, _answer(question.snapshot, True))
        set_flag(attempt, attempt.questions[0], True)
    assert _page(teacher, path) == kept
    assert _unkept(teacher, path) == kept


def test_a_finish_on_another_server_shows_at_once_on_this_one(app, data, teacher) -> None:  # noqa: F811
    path = f"/reports/quiz/{data['q1']}"
    before = _page(teacher, path)
    _page(teacher, path)
    _finish_elsewhere(app, data["q1"], data["students"]["other"])
    after = _page(teacher, path)
    assert _attempts_shown(after) == _attempts_shown(before) + 1
    assert after == _unkept(teacher, path)


#: The other server: the same configuration, a process of its own; a student sits the quiz there.
SIT = """
import json, sys
from quizapp import create_app
from quizapp.attempts import finish_attempt, record_answer, start_attempt
from quizapp.extensions import db
from quizapp.models import Quiz

config, quiz_id, user_id = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
app = create_app(config)
with app.app_context():
    attempt = start_attempt(db.session.get(Quiz, quiz_id), "en", user_id=user_id)
    record_answer(attempt, attempt.questions[0], attempt.questions[0].snapshot["answer"])
    finish_attempt(attempt)
"""


def _finish_elsewhere(app, quiz_id: int, user_id: int) -> None:  # type: ignore[no-untyped-def]
    run_elsewhere(app, SIT, str(quiz_id), str(user_id))


def test_a_report_narrowed_to_a_class_follows_its_members(app, data, teacher) -> None:  # noqa: F811
    """A class's members change no attempt: a report narrowed to a class is never kept."""
    with app.app_context():
        owner = db.session.scalar(select(Quiz.owner_id).where(Quiz.id == data["q1"]))
        row = SchoolClass(teacher_id=owner, name="Class A", code="CLASSA1")
        db.session.add(row)
        db.session.flush()
        db.session.add(ClassMember(class_id=row.id, user_id=data["students"]["s1"]))
        db.session.commit()
        class_id = row.id
    path = f"/reports/quiz/{data['q1']}?class_id={class_id}"
    one = _page(teacher, path)
    assert _attempts_shown(one) == 1 and _page(teacher, path) == one
    with app.app_context():
        db.session.add(ClassMember(class_id=class_id, user_id=data["students"]["s2"]))
        db.session.commit()
    assert _attempts_shown(_page(teacher, path)) == 2


def test_each_teacher_sees_their_own_classes_in_the_filters(app, data) -> None:  # noqa: F811
    """The same query string on two teachers' pages: each form offers its own classes only."""
    with app.app_context():
        owners = dict(db.session.execute(select(Quiz.id, Quiz.owner_id)).all())
        db.session.add_all(
            [
                SchoolClass(teacher_id=owners[data["q1"]], name="First's class", code="FIRST1"),
                SchoolClass(teacher_id=owners[data["q2"]], name="Second's class", code="SECOND1"),
            ]
        )
        db.session.commit()
    first, second = app.test_client(), app.test_client()
    login(first, "teacher1")
    login(second, "teacher2")
    for path in ("/reports/?lang=en", "/reports/events?lang=en", "/reports/?lang=en"):
        mine, theirs = _page(first, path), _page(second, path)
        assert "First&#39;s class" in mine and "Second&#39;s class" not in mine
        assert "Second&#39;s class" in theirs and "First&#39;s class" not in theirs
        assert "Trotsky test" in mine and "Trotsky test" not in theirs  # the quiz choices too
    arabic = first.get("/reports/?lang=en", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert 'lang="ar"' in arabic and ">All<" not in arabic  # a language's form, not another's


def test_kept_figures_carry_no_bidi_control(app, data, teacher) -> None:  # noqa: F811
    """A prompt with a right-to-left override is written without it, kept or not."""
    with app.app_context():
        ids = db.session.scalars(
            select(AttemptQuestion.id).join(Attempt).where(Attempt.quiz_id == data["q1"])
        ).all()
        for qid in ids:
            row = db.session.get(AttemptQuestion, qid)
            snapshot = dict(row.snapshot)
            snapshot["prompt"] = {"ar": "\u202eمعكوس", "en": "\u202ereversed"}
            db.session.execute(
                update(AttemptQuestion).where(AttemptQuestion.id == qid).values(snapshot=snapshot)
            )
        db.session.commit()
    path = f"/reports/quiz/{data['q1']}"
    for html in (_unkept(teacher, path), _page(teacher, path)):
        assert "reversed" in html and "\u202e" not in html
