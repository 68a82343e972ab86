"""Classes over HTTP, on SQLite and PostgreSQL (the `app` fixture runs each test on both): a teacher
makes a class, students join it by its code or get accounts from a roster with first-time passwords
they must change; quizzes assigned to classes reach their members only; the home page lists them,
never anyone else's; reports filter by class; two students of one name are told apart."""

from __future__ import annotations

import io
import re

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from quizapp.classes import CLASS_CODE_LENGTH, CODE_ALPHABET
from quizapp.extensions import db
from quizapp.models import Attempt, ClassMember, Quiz, QuizClass, SchoolClass, User
from tests.conftest import csrf_token, login
from tests.web.test_quiz_flow import take_quiz

HEADERS = {"ar": {"Accept-Language": "ar"}, "en": {"Accept-Language": "en"}}

QUIZ = {
    "title_ar": "اختبار الصف",
    "title_en": "The class quiz",
    "count": "3",
    "kinds": ["event-date"],
    "languages": ["ar", "en"],
    "time_limit_minutes": "",
    "attempts_allowed": "",
    "feedback": "end",
    "ordering_method": "pairs",
    "arabic_months": "eg",
    "opens_at": "",
    "closes_at": "",
    "active": "y",
}


def tr(app, lang: str, msgid: str, **params) -> str:  # type: ignore[no-untyped-def]
    """The interface text as the app writes it in a language (escaped as a page shows it)."""
    with app.test_request_context(headers=HEADERS[lang]):
        return str(escape(gettext(msgid, **params)))


def post(client, url: str, data: dict | None = None, lang: str = "en", page: str = "/", **kw):  # type: ignore[no-untyped-def]
    """Post a form with the session's CSRF token (read from `page`)."""
    return client.post(
        url, data={"csrf_token": csrf_token(client, page), **(data or {})}, headers=HEADERS[lang], **kw
    )


def logout(client) -> None:  # type: ignore[no-untyped-def]
    post(client, "/auth/logout")


def make_class(client, name: str = "Grade 9 B", lang: str = "en") -> SchoolClass:  # type: ignore[no-untyped-def]
    """Make a class through the teacher's page; return its row (detached)."""
    r = post(client, "/teacher/classes", {"name": name}, lang, page="/teacher/classes")
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    class_id = int(r.location.rsplit("/", 1)[1])
    with client.application.app_context():
        row = db.session.get(SchoolClass, class_id)
        db.session.expunge(row)
        return row


def make_quiz(client, class_ids: list[int] = (), lang: str = "en", **changes: str) -> Quiz:  # type: ignore[assignment]
    """Set a quiz from the first bank through the quiz form, assigned to the classes given."""
    data = {**QUIZ, **changes, "classes": [str(c) for c in class_ids]}
    r = post(client, "/teacher/banks/1/quizzes/new", data, lang, page="/teacher/")
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    quiz_id = int(r.location.rsplit("/", 1)[1])
    with client.application.app_context():
        quiz = db.session.get(Quiz, quiz_id)
        db.session.expunge(quiz)
        return quiz


def member_ids(app, class_id: int) -> set[int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return set(db.session.scalars(select(ClassMember.user_id).where(ClassMember.class_id == class_id)))


def user_id(app, username: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


# -- classes and codes -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_teacher_makes_renames_and_recodes_a_class(client, app, make_user, lang) -> None:
    make_user("tina", role="teacher")
    login(client, "tina")
    row = make_class(client, "Grade 9 B", lang)
    assert len(row.code) == CLASS_CODE_LENGTH and set(row.code) <= set(CODE_ALPHABET)
    page = client.get(f"/teacher/classes/{row.id}", headers=HEADERS[lang]).get_data(as_text=True)
    assert row.code in page and f'data-copy="{row.code}"' in page and f"/class/{row.code}" in page
    assert tr(app, lang, "Copy the code") in page
    listing = client.get("/teacher/classes", headers=HEADERS[lang]).get_data(as_text=True)
    assert "Grade 9 B" in listing and row.code in listing
    r = post(
        client, f"/teacher/classes/{row.id}", {"name": "Grade 9 C"}, lang, page=f"/teacher/classes/{row.id}"
    )
    assert r.status_code == 302
    r = post(client, f"/teacher/classes/{row.id}", {"name": ""}, lang, page=f"/teacher/classes/{row.id}")
    assert r.status_code == 422 and tr(app, lang, "Give the class a name.") in r.get_data(as_text=True)
    r = post(client, f"/teacher/classes/{row.id}/code", {}, lang, page=f"/teacher/classes/{row.id}")
    assert r.status_code == 302
    with app.app_context():
        fresh = db.session.get(SchoolClass, row.id)
        assert fresh.name == "Grade 9 C" and fresh.code != row.code
        new_code = fresh.code
    assert client.get(f"/class/{row.code}").status_code == 404  # the old code joins nobody
    assert client.get(f"/class/{new_code}").status_code == 200


def test_another_teacher_may_not_open_or_change_a_class(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    make_user("omar", role="teacher")
    make_user("sam")
    login(client, "tina")
    row = make_class(client)
    logout(client)
    login(client, "omar")
    assert client.get(f"/teacher/classes/{row.id}").status_code == 403
    assert client.get(f"/teacher/classes/{row.id}/accounts").status_code == 403
    assert post(client, f"/teacher/classes/{row.id}/code", page="/teacher/").status_code == 403
    assert row.code not in client.get("/teacher/classes").get_data(as_text=True)
    logout(client)
    login(client, "sam")
    assert client.get("/teacher/classes").status_code == 403


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_student_joins_a_class_with_its_code_in_the_join_box(client, app, make_user, lang) -> None:
    make_user("tina", role="teacher")
    make_user("sam")
    login(client, "tina")
    row = make_class(client)
    logout(client)
    login(client, "sam")
    home = client.get("/", headers=HEADERS[lang]).get_data(as_text=True)
    assert tr(app, lang, "Class code, quiz code or game PIN") in home
    r = post(client, "/quiz/join", {"code": row.code.lower()}, lang)  # typed in lower case
    assert r.status_code == 302 and r.location.endswith(f"/class/{row.code}")
    page = client.get(r.location, headers=HEADERS[lang]).get_data(as_text=True)
    assert "Grade 9 B" in page and "Tina" in page
    for _ in range(2):  # twice, as a double click would: one membership
        r = post(client, f"/class/{row.code}/join", {}, lang, page=f"/class/{row.code}")
        assert r.status_code == 302
    assert member_ids(app, row.id) == {user_id(app, "sam")}
    page = client.get(f"/class/{row.code}", headers=HEADERS[lang]).get_data(as_text=True)
    assert tr(app, lang, "You are a member of this class.") in page
    r = post(client, "/quiz/join", {"code": "NOPE1234"}, lang)
    assert r.status_code == 302
    home = client.get("/", headers=HEADERS[lang]).get_data(as_text=True)
    assert "NOPE1234" in home  # "no quiz or class has the code ..."


def test_a_visitor_with_a_class_code_is_asked_to_log_in(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    login(client, "tina")
    row = make_class(client)
    logout(client)
    r = client.get(f"/class/{row.code}")
    assert r.status_code == 302 and "/auth/login" in r.location


# -- accounts from a roster ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_bad_roster_names_each_line_and_field_and_saves_nothing(client, app, make_user, lang) -> None:
    make_user("tina", role="teacher")
    make_user("taken.name")
    login(client, "tina")
    row = make_class(client)
    users_before = _count(app, User)
    roster = "\n".join(
        [
            "username, display name",  # a header: skipped
            "sara.k, Sara Khalil",
            "no spaces allowed, Omar",
            "lina,",
            "SARA.K, Sara again",
            "Taken.Name, Someone",
            "a,b,c",
        ]
    )
    url = f"/teacher/classes/{row.id}/accounts"
    r = post(client, url, {"text": roster}, lang, page=url)
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    field_names = {"username": tr(app, lang, "username"), "display_name": tr(app, lang, "display name")}
    expected = [
        (
            3,
            "username",
            "A username has 3 to 32 characters: Latin letters, digits, dots, dashes, underscores.",
        ),
        (4, "display_name", "The display name is missing."),
        (5, "username", "This username is already on line %(line)s."),
        (6, "username", "This username is taken."),
    ]
    for line, field, message in expected:
        text = tr(app, lang, message, line=2) if "%(line)s" in message else tr(app, lang, message)
        where = tr(app, lang, "Line %(line)s, %(field)s", line=line, field=field_names[field])
        assert f"{where}: {text}" in page, (line, field)
    columns = tr(app, lang, "Give two values: a username and a display name.")
    assert f"{tr(app, lang, 'Line %(line)s', line=7)}: {columns}" in page
    assert _count(app, User) == users_before and member_ids(app, row.id) == set()


def _count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _sheet_passwords(page: str) -> dict[str, str]:
    """username -> first-time password, read from the printed sheet."""
    usernames = re.findall(r'<dd><code dir="ltr">([^<]+)</code></dd>', page)
    passwords = re.findall(r'<code dir="ltr" class="slip-password">([^<]+)</code>', page)
    assert len(usernames) == len(passwords)
    return dict(zip(usernames, passwords, strict=True))


def make_accounts(client, class_id: int, csv_text: str, lang: str = "en") -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Upload a roster as a CSV file (UTF-8 with a BOM, as Excel saves it); return the sheet."""
    url = f"/teacher/classes/{class_id}/accounts"
    data = {"text": "", "file": (io.BytesIO(("\ufeff" + csv_text).encode()), "roster.csv")}
    r = post(client, url, data, lang, page=url, content_type="multipart/form-data")
    assert r.status_code == 200, r.get_data(as_text=True)[:3000]
    assert r.headers["Cache-Control"] == "no-store"  # the passwords are shown once
    page = r.get_data(as_text=True)
    assert "js-print" in page and "css/print.css" in page
    return _sheet_passwords(page)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_roster_file_makes_accounts_in_the_class_with_a_sheet_of_passwords(
    client, app, make_user, lang
) -> None:
    make_user("tina", role="teacher")
    login(client, "tina")
    row = make_class(client)
    sheet = make_accounts(
        client, row.id, "username;display name\nsara.k;سارة خليل\nomar_h;Omar Hassan\n", lang
    )
    assert set(sheet) == {"sara.k", "omar_h"}
    assert len(set(sheet.values())) == 2 and all(
        re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", p) for p in sheet.values()
    )
    with app.app_context():
        users = {
            u.username: u for u in db.session.scalars(select(User).where(User.username.in_(list(sheet))))
        }
        assert users["sara.k"].display_name == "سارة خليل" and users["sara.k"].role == "student"
        assert all(u.must_change_password for u in users.values())
        assert all(u.check_password(sheet[name]) for name, u in users.items())
        ids = {u.id for u in users.values()}
    assert member_ids(app, row.id) == ids
    page = client.get(f"/teacher/classes/{row.id}", headers=HEADERS[lang]).get_data(as_text=True)
    assert "سارة خليل" in page and "sara.k" in page and tr(app, lang, "first-time password") in page


def test_a_first_time_password_must_be_changed_before_anything_else(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    login(client, "tina")
    row = make_class(client)
    sheet = make_accounts(client, row.id, "sara.k, Sara Khalil\n")
    logout(client)
    r = login(client, "sara.k", sheet["sara.k"])
    assert r.status_code == 302
    for url in ("/", "/quiz/mine", "/learn/mastery", f"/class/{row.code}"):
        r = client.get(url)
        assert r.status_code == 302 and r.location.endswith("/password"), url
    other = app.test_client()  # a second session of the same account, started before the change
    login(other, "sara.k", sheet["sara.k"])
    page = client.get("/password", headers=HEADERS["en"]).get_data(as_text=True)
    assert tr(app, "en", "Choose your password") in page
    r = post(client, "/password", {"password": "short", "confirm": "short"}, page="/password")
    assert r.status_code == 422  # refused by the sign-up rule, the one rule of passwords
    r = post(
        client, "/password", {"password": "blue river of 1940", "confirm": "blue river"}, page="/password"
    )
    assert r.status_code == 422  # the two differ
    r = post(
        client,
        "/password",
        {"password": "blue river of 1940", "confirm": "blue river of 1940"},
        page="/password",
    )
    assert r.status_code == 302 and r.location.endswith("/")
    assert client.get("/").status_code == 200
    assert other.get("/quiz/mine").status_code == 302 and "/auth/login" in other.get("/quiz/mine").location
    logout(client)
    assert login(client, "sara.k", sheet["sara.k"]).status_code == 422  # the first-time one is gone
    assert login(client, "sara.k", "blue river of 1940").status_code == 302
    assert client.get("/quiz/mine").status_code == 200


# -- who sees which quiz ---------------------------------------------------------------------------


def test_a_class_quiz_is_refused_to_non_members_even_with_its_code(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    make_user("member")
    make_user("outsider")
    login(client, "tina")
    row = make_class(client)
    quiz = make_quiz(client, [row.id])
    logout(client)
    login(client, "member")
    post(client, f"/class/{row.code}/join", page=f"/class/{row.code}")
    logout(client)
    login(client, "outsider")
    r = post(client, "/quiz/join", {"code": quiz.code})
    assert r.status_code == 302  # the box finds the quiz ...
    r = client.get(f"/quiz/{quiz.code}", headers=HEADERS["en"])
    assert r.status_code == 403  # ... whose page says why it is closed to them
    assert tr(
        app, "en", "This quiz is for the members of its classes. Join your class with its code first."
    ) in r.get_data(as_text=True)
    r = post(client, f"/quiz/{quiz.code}/start")
    assert r.status_code == 403
    assert _count(app, Attempt) == 0
    logout(client)
    login(client, "member")
    assert client.get(f"/quiz/{quiz.code}").status_code == 200
    r = post(client, f"/quiz/{quiz.code}/start", page=f"/quiz/{quiz.code}")
    assert r.status_code == 302 and "/quiz/attempt/" in r.location
    logout(client)
    login(client, "tina")  # removed from the class, the member is an outsider too
    post(client, f"/teacher/classes/{row.id}/members/{user_id(app, 'member')}/remove", page="/teacher/")
    logout(client)
    login(client, "member")
    assert client.get(f"/quiz/{quiz.code}").status_code == 403


def test_a_quiz_of_no_class_stays_open_to_anyone_with_its_code(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    make_user("sam")
    login(client, "tina")
    quiz = make_quiz(client, [])
    page = client.get(f"/teacher/quizzes/{quiz.id}", headers=HEADERS["ar"]).get_data(as_text=True)
    assert tr(app, "ar", "For anyone with the code (no class chosen).") in page
    logout(client)
    login(client, "sam")
    assert client.get(f"/quiz/{quiz.code}").status_code == 200


def test_a_teacher_assigns_only_their_own_classes(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    make_user("omar", role="teacher")
    login(client, "omar")
    foreign = make_class(client, "Omar's class")
    logout(client)
    login(client, "tina")
    own = make_class(client, "Tina's class")
    page = client.get("/teacher/banks/1/quizzes/new").get_data(as_text=True)
    assert "Tina&#39;s class" in page and "Omar" not in page
    r = post(client, "/teacher/banks/1/quizzes/new", {**QUIZ, "classes": [str(foreign.id)]}, page="/teacher/")
    assert r.status_code == 422
    assert _count(app, QuizClass) == 0
    quiz = make_quiz(client, [own.id], due_at="2030-05-01T08:00")
    page = client.get(f"/teacher/quizzes/{quiz.id}/edit").get_data(as_text=True)
    assert re.search(rf'value="{own.id}"[^>]*checked|checked[^>]*value="{own.id}"', page)
    assert re.search(r'name="due_at"[^>]*value="2030-05-01.08:00', page)
    # Saved with no class ticked: open to anyone with the code again.
    r = post(client, f"/teacher/quizzes/{quiz.id}/edit", {**QUIZ}, page="/teacher/")
    assert r.status_code == 302 and _count(app, QuizClass) == 0


def test_the_home_page_lists_a_students_class_quizzes_never_others_or_their_codes(
    client, app, make_user
) -> None:
    make_user("tina", role="teacher")
    make_user("omar", role="teacher")
    make_user("sam")
    make_user("lina")
    login(client, "omar")
    open_quiz = make_quiz(client, [], title_en="Omar's open quiz")
    other_class = make_class(client, "Omar's class")
    others = make_quiz(client, [other_class.id], title_en="Omar's class quiz")
    logout(client)
    login(client, "tina")
    row = make_class(client)
    assigned = make_quiz(client, [row.id], title_en="Tina's class quiz", due_at="2099-01-01T08:00")
    logout(client)
    login(client, "sam")
    post(client, f"/class/{row.code}/join", page=f"/class/{row.code}")
    home = client.get("/", headers=HEADERS["en"]).get_data(as_text=True)
    assert "Tina&#39;s class quiz" in home and f"/quiz/{assigned.code}" in home
    for quiz in (open_quiz, others):
        assert quiz.code not in home
    assert "Omar&#39;s" not in home
    logout(client)
    login(client, "lina")  # in no class: no quiz at all, no code
    home = client.get("/", headers=HEADERS["en"]).get_data(as_text=True)
    assert "class quiz" not in home and "open quiz" not in home
    for quiz in (open_quiz, others, assigned):
        assert quiz.code not in home
    logout(client)
    login(client, "omar")  # a teacher's own quiz lists show their codes, and nobody else's
    listing = client.get("/teacher/").get_data(as_text=True)
    assert open_quiz.code in listing and others.code in listing and assigned.code not in listing


def test_the_home_page_shows_done_with_the_score_once_visible_and_resume_for_an_open_attempt(
    client, app, make_user
) -> None:
    make_user("tina", role="teacher")
    make_user("sam")
    login(client, "tina")
    row = make_class(client)
    ended = make_quiz(client, [row.id], title_en="Feedback at the end", feedback="end")
    hidden = make_quiz(client, [row.id], title_en="Feedback never", feedback="never")
    running = make_quiz(client, [row.id], title_en="Still running")
    logout(client)
    login(client, "sam")
    post(client, f"/class/{row.code}/join", page=f"/class/{row.code}")
    for quiz in (ended, hidden):
        r = post(client, f"/quiz/{quiz.code}/start", page=f"/quiz/{quiz.code}")
        take_quiz(client, app, r.location.split("/")[3], right=True)
    r = post(client, f"/quiz/{running.code}/start", page=f"/quiz/{running.code}")
    running_pid = r.location.split("/")[3]
    home = client.get("/", headers=HEADERS["en"]).get_data(as_text=True)
    items = set(re.findall(r'assigned-(\w+)">\s*<span>\s*<span class="fw-semibold">([^<]+)</span>', home))
    assert items == {("done", "Feedback at the end"), ("done", "Feedback never"), ("todo", "Still running")}
    done_part = home[home.index("Feedback at the end") : home.index("Feedback at the end") + 1500]
    assert tr(app, "en", "score: %(score)s out of %(total)s", score=3, total=3) in done_part
    never_part = home[home.index("Feedback never") : home.index("Feedback never") + 800]
    assert "score:" not in never_part.split("</li>")[0]
    assert home.count(f"/quiz/attempt/{running_pid}") == 1  # on its quiz's line, not listed twice
    assert tr(app, "en", "Resume") in home
    assert client.get(f"/quiz/attempt/{running_pid}").location.endswith(f"/quiz/attempt/{running_pid}/1")


# -- telling students apart ------------------------------------------------------------------------


def test_two_students_of_one_name_are_told_apart_and_reports_filter_by_class(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    login(client, "tina")
    a = make_class(client, "Morning")
    b = make_class(client, "Evening")
    sheet_a = make_accounts(client, a.id, "ali.1, Ali Hassan\n")
    sheet_b = make_accounts(client, b.id, "ali.2, Ali Hassan\n")
    quiz = make_quiz(client, [a.id, b.id])
    page = client.get(f"/teacher/classes/{a.id}").get_data(as_text=True)
    assert "ali.1" in page and "ali.2" not in page
    logout(client)
    for username, sheet in (("ali.1", sheet_a), ("ali.2", sheet_b)):
        login(client, username, sheet[username])
        post(
            client,
            "/password",
            {"password": "blue river of 1940", "confirm": "blue river of 1940"},
            page="/password",
        )
        r = post(client, f"/quiz/{quiz.code}/start", page=f"/quiz/{quiz.code}")
        take_quiz(client, app, r.location.split("/")[3], right=True)
        logout(client)
    login(client, "tina")
    page = client.get(f"/teacher/quizzes/{quiz.id}").get_data(as_text=True)
    assert page.count("Ali Hassan") == 2 and "ali.1" in page and "ali.2" in page
    report = client.get("/reports/").get_data(as_text=True)
    assert "ali.1" in report and "ali.2" in report
    assert f'<option value="{a.id}">Morning</option>' in report
    report = client.get(f"/reports/?class_id={a.id}").get_data(as_text=True)
    assert "ali.1" in report and "ali.2" not in report
    report = client.get(f"/reports/quiz/{quiz.id}?class_id={b.id}").get_data(as_text=True)
    assert "ali.2" in client.get(f"/reports/students.csv?class_id={b.id}").get_data(as_text=True)
    assert "ali.1" not in client.get(f"/reports/students.csv?class_id={b.id}").get_data(as_text=True)
    assert report.count('class="chart-bar"') >= 1
    logout(client)
    make_user("omar", role="teacher")  # another teacher's class id: ignored, it says nothing
    login(client, "omar")
    report = client.get(f"/reports/?class_id={a.id}").get_data(as_text=True)
    assert "Morning" not in report and "ali.1" not in report


def test_admin_users_list_shows_the_username_beside_the_name(client, app, make_user) -> None:
    make_user("root", role="admin")
    make_user("ali.1")
    login(client, "root")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "ali.1" in page and "Ali.1" in page


def test_joining_counts_one_membership_under_a_race(app, make_user) -> None:
    """Two requests joining at once: the primary key keeps one row, the loser is told False."""
    from quizapp import classes

    teacher = make_user("tina", role="teacher")
    student = make_user("sam")
    with app.app_context():
        row = classes.create_class(db.session.get(User, teacher.id), "Race")
        assert classes.join(row, student.id) is True
        assert classes.join(row, student.id) is False
        db.session.add(ClassMember(class_id=row.id, user_id=student.id))
        with pytest.raises(IntegrityError):  # the database refuses a second row
            db.session.commit()
        db.session.rollback()
        assert member_ids(app, row.id) == {student.id}


def test_an_archived_class_no_longer_joins_nor_reaches_its_members(client, app, make_user) -> None:
    make_user("tina", role="teacher")
    make_user("sam")
    make_user("lina")
    login(client, "tina")
    row = make_class(client)
    quiz = make_quiz(client, [row.id], title_en="Archived class quiz")
    logout(client)
    login(client, "sam")
    post(client, f"/class/{row.code}/join", page=f"/class/{row.code}")
    assert "Archived class quiz" in client.get("/", headers=HEADERS["en"]).get_data(as_text=True)
    logout(client)
    login(client, "tina")
    assert post(client, f"/teacher/classes/{row.id}/archive", page="/teacher/").status_code == 302
    logout(client)
    login(client, "sam")
    assert "Archived class quiz" not in client.get("/", headers=HEADERS["en"]).get_data(as_text=True)
    assert client.get(f"/quiz/{quiz.code}").status_code == 403
    logout(client)
    login(client, "lina")
    assert client.get(f"/class/{row.code}").status_code == 404
    assert post(client, f"/class/{row.code}/join", page="/").status_code == 404
    assert member_ids(app, row.id) == {user_id(app, "sam")}


def test_an_unfinished_practice_is_resumed_from_the_home_page(client, app, make_user) -> None:
    make_user("sam")
    login(client, "sam")
    r = post(client, "/quiz/practice/trotsky")
    pid = r.location.split("/")[3]
    home = client.get("/", headers=HEADERS["ar"]).get_data(as_text=True)
    assert tr(app, "ar", "Unfinished") in home and f'href="/quiz/attempt/{pid}"' in home
    take_quiz(client, app, pid, right=False)
    home = client.get("/", headers=HEADERS["ar"]).get_data(as_text=True)
    assert f"/quiz/attempt/{pid}" not in home  # finished: nothing to resume
