"""A second pair of eyes on issues 13 and 14: holes found by trying to break their promises over
HTTP as a hostile student, a curious teacher and a careless admin would, each shown closed."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from quizapp.cli import user
from quizapp.extensions import db
from quizapp.models import Attempt, User
from tests.conftest import csrf_token, login
from tests.web.test_classes import logout, make_accounts, make_class, post
from tests.web.test_exam import answer, finish, make_quiz, responses, start
from tests.web.test_quiz_flow import EN, answer_form, start_practice


def test_closed_book_also_closes_the_results_and_questions_of_other_attempts_on_the_bank(
    client, app, make_user
) -> None:
    """During a closed-book attempt, an earlier attempt's results (the same exam's first try, or a
    practice) show the bank's events with their dates, and an unfinished practice's questions show
    each answer at once: both are the bank's events, closed until the attempt ends."""
    make_user("hala")
    make_quiz(app, "CB2", feedback="end", time_limit_minutes=20, attempts_allowed=2)
    login(client, "hala")
    practice_pid = start_practice(client)  # left unfinished: feedback at once
    first = start(client, "CB2")
    for number in range(1, 5):
        answer(client, app, first, number, right=True)
    finish(client, first)
    assert client.get(f"/quiz/attempt/{first}/results").status_code == 200
    second = start(client, "CB2")
    assert second != first
    for url in (
        f"/quiz/attempt/{first}/results",
        f"/quiz/attempt/{first}/1",
        f"/quiz/attempt/{practice_pid}/1",
        f"/quiz/attempt/{practice_pid}/results",
    ):
        page = client.get(url, headers=EN, follow_redirects=True)
        assert page.status_code == 403, url
        assert "closed-book quiz" in page.get_data(as_text=True)
    assert client.get(f"/quiz/attempt/{second}/1").status_code == 200  # the exam itself goes on
    finish(client, second)
    assert client.get(f"/quiz/attempt/{first}/results").status_code == 200


@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "0", "x"])
def test_the_admin_lists_take_any_page_number_without_a_500(client, make_user, page) -> None:
    """/admin/users?page= and /admin/audit?page= with a number past a 64-bit integer answered 500
    (OverflowError on SQLite, bigint out of range on PostgreSQL)."""
    make_user("root", role="admin")
    login(client, "root")
    for url in (f"/admin/users?page={page}", f"/admin/audit?page={page}"):
        assert client.get(url, headers=EN).status_code == 200, url


def test_a_roster_with_a_field_past_the_csv_limit_is_a_problem_not_a_500(client, app, make_user) -> None:
    """A pasted or uploaded roster with one field over 128 KB (or a quote left open to the end)
    raised csv.Error: 500. It is now a problem named on its line, and nothing is saved."""
    make_user("tamer", role="teacher")
    login(client, "tamer")
    row = make_class(client)
    url = f"/teacher/classes/{row.id}/accounts"
    token = csrf_token(client, url)
    for text in ("a" * 200_000, 'rana,Rana\n"' + "x" * 140_000):
        r = client.post(url, data={"csrf_token": token, "text": text}, headers=EN)
        assert r.status_code == 422
        assert "Give two values: a username and a display name." in r.get_data(as_text=True)
    upload = {"csrf_token": token, "file": (io.BytesIO(b"b" * 200_000), "roster.csv")}
    assert client.post(url, data=upload, content_type="multipart/form-data").status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.username == "rana")) == 0


@pytest.mark.parametrize("password", ["password", "12345678", "headmaster", "short"])
def test_the_command_line_refuses_the_passwords_sign_up_refuses(app, password) -> None:
    """`quizapp user create head --role admin` took "password", "12345678" or the username itself
    (only the length was checked): the first admin's account is the one most worth guessing."""
    result = app.test_cli_runner().invoke(
        user, ["create", "headmaster", "--role", "admin", "--password", password]
    )
    assert result.exit_code != 0
    assert "password" in result.output.lower()
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.username == "headmaster")) == 0
    good = app.test_cli_runner().invoke(user, ["create", "headmaster", "--password", "pale ink 7 rivers"])
    assert good.exit_code == 0, good.output


def test_closed_book_refuses_another_quiz_on_the_bank_while_the_attempt_runs(client, app, make_user) -> None:
    """A second quiz on the same bank (open to anyone with its code), closed book itself but with
    feedback at once, started during a closed-book exam showed each question's right answer and
    the events' dates: the bank's events by another door. It is refused until the exam ends."""
    make_user("badr")
    make_quiz(app, "EXAMA", feedback="end", time_limit_minutes=20)
    make_quiz(app, "DRILLB", feedback="immediate", time_limit_minutes=20)
    login(client, "badr")
    exam = start(client, "EXAMA")
    token = csrf_token(client, "/quiz/DRILLB")
    r = client.post("/quiz/DRILLB/start", data={"csrf_token": token}, headers=EN)
    assert r.status_code == 403
    assert "closed-book quiz" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 1
    finish(client, exam)
    assert "/quiz/attempt/" in client.post("/quiz/DRILLB/start", data={"csrf_token": token}).location


@pytest.mark.parametrize("field", ["opens_at", "closes_at", "due_at"])
@pytest.mark.parametrize(
    ("zone", "when"), [("Asia/Riyadh", "0001-01-01T00:00"), ("America/Lima", "9999-12-31T23:59")]
)
def test_a_quiz_time_the_site_zone_cannot_carry_to_utc_is_refused_not_a_500(
    database, tmp_path, field, zone, when
) -> None:
    """With the site's time zone set (BABEL_DEFAULT_TIMEZONE), year 1 east of Greenwich or 31
    December 9999 west of it overflowed on the way to UTC: the quiz form answered 500."""
    from quizapp.models import User as Account
    from tests.conftest import _password_hash, make_test_app
    from tests.web.test_classes import QUIZ

    app = make_test_app(database, tmp_path, BABEL_DEFAULT_TIMEZONE=zone)
    with app.app_context():
        teacher = Account(username="tz", display_name="Tz", role="teacher", active=True)
        teacher.password_hash = _password_hash()
        db.session.add(teacher)
        db.session.commit()
    client = app.test_client()
    login(client, "tz")
    token = csrf_token(client, "/teacher/banks/1/quizzes/new")
    r = client.post(
        "/teacher/banks/1/quizzes/new", data={**QUIZ, field: when, "csrf_token": token}, headers=EN
    )
    assert r.status_code == 422
    assert "Write a date and time, such as 2025-03-01 08:00." in r.get_data(as_text=True)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_first_time_password_cannot_be_chosen_again(client, app, make_user) -> None:
    """An account made from a roster had to change its first-time password, but could type the
    printed one again: the sheet's password went on working. It is refused, in both languages."""
    make_user("tina", role="teacher")
    login(client, "tina")
    row = make_class(client)
    sheet = make_accounts(client, row.id, "sara.k, Sara Khalil\nomar.f, Omar Fathi\n", lang="ar")
    logout(client)
    for username, text in (("sara.k", "يجب أن تختلف كلمة المرور الجديدة"), ("omar.f", "must differ")):
        login(client, username, sheet[username])
        if username == "omar.f":  # the account's language was the teacher's (Arabic): switch it
            post(client, "/lang/en", page="/password")
        same = {"password": sheet[username], "confirm": sheet[username]}
        r = post(client, "/password", same, page="/password")
        assert r.status_code == 422 and text in r.get_data(as_text=True)
        if username == "sara.k":
            post(client, "/auth/logout", page="/password")
    assert client.get("/").location.endswith("/password")  # still to be changed
    new = {"password": "blue river of 1940", "confirm": "blue river of 1940"}
    assert post(client, "/password", new, page="/password").status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("limit", [None, 60])
def test_an_attempt_ends_when_its_quiz_closes(client, app, make_user, limit) -> None:
    """A student who started just before the quiz closed (untimed, or with more time left than the
    quiz had) went on answering and changing answers after the closing time, even after the
    teacher released the results to the others. The closing time is now the attempt's deadline."""
    import datetime as dt

    from quizapp.models import Quiz, utcnow

    make_user("late")
    make_quiz(app, "CLOSES", feedback="never", time_limit_minutes=limit, closed_book=False)
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.code == "CLOSES"))
        quiz.closes_at = utcnow() + dt.timedelta(minutes=2)
        db.session.commit()
    login(client, "late")
    pid = start(client, "CLOSES")
    page = client.get(f"/quiz/attempt/{pid}/1", headers=EN).get_data(as_text=True)
    seconds = int(re.search(r'data-seconds="(\d+)"', page).group(1))  # a countdown to the closing
    assert 100 <= seconds <= 120
    form = answer_form(app, pid, 1, True, page)
    with app.app_context():  # three minutes later: the quiz closed a minute ago
        attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == pid))
        quiz = db.session.scalar(select(Quiz).where(Quiz.code == "CLOSES"))
        assert attempt.deadline == quiz.closes_at
        shift = dt.timedelta(minutes=3)
        attempt.started_at -= shift
        attempt.deadline -= shift
        quiz.closes_at -= shift
        db.session.commit()
    r = client.post(f"/quiz/attempt/{pid}/1", data=form)  # the page was open before the closing
    assert r.status_code == 302 and r.location.endswith("/results")
    assert responses(app, pid) == []
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.finished_at.is_(None)))
            == 0
        )


def test_a_timed_out_closed_book_attempt_shows_no_answers_during_another(client, app, make_user) -> None:
    """A closed-book attempt left to time out (not yet closed) counted as 'the running exam itself'
    and passed the closed-book check: opened during another closed-book exam on the bank, it was
    closed by the clock there and then showed its right answers and the events' dates."""
    import datetime as dt

    make_user("zaid")
    make_quiz(app, "FIRSTB", feedback="end", time_limit_minutes=20)
    make_quiz(app, "SECONDA", feedback="end", time_limit_minutes=20)
    login(client, "zaid")
    early = start(client, "FIRSTB")
    answer(client, app, early, 1, right=True)
    with app.app_context():  # its twenty minutes are over; nobody has opened it since
        row = db.session.scalar(select(Attempt).where(Attempt.public_id == early))
        row.deadline -= dt.timedelta(minutes=30)
        db.session.commit()
    exam = start(client, "SECONDA")
    assert exam != early
    for url in (f"/quiz/attempt/{early}/1", f"/quiz/attempt/{early}/results"):
        page = client.get(url, headers=EN, follow_redirects=True)
        assert page.status_code == 403, url
        assert "closed-book quiz" in page.get_data(as_text=True)
