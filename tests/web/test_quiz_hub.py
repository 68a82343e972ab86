"""Issue 20 over HTTP: the teacher's quiz page is a hub (code, link to copy, a QR code drawn on the
server, its report, print this quiz, attempts with usernames); the quiz list counts attempts; a log-in
lands each role on its own page; deleting an event and disabling an account ask first, without
JavaScript; reports name events and questions by their titles and write dates as dates."""

from __future__ import annotations

import re

from sqlalchemy import select

from quizapp.attempts import finish_attempt, record_answer, start_attempt
from quizapp.extensions import db
from quizapp.models import Bank, Quiz, User
from tests.conftest import csrf_token
from tests.conftest import login as _login


def login(client, username: str):  # type: ignore[no-untyped-def]
    """Log in, reading every page in English from then on."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return _login(client, username)


def _quiz(app, owner: str, code: str = "HUB123") -> int:  # type: ignore[no-untyped-def]
    """A teacher's quiz on the first bank, taken once to the end by "pupil"."""
    with app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        teacher = db.session.scalar(select(User).where(User.username == owner))
        quiz = Quiz(bank_id=bank.id, owner_id=teacher.id, title_ar="اختبار", title_en="Hub quiz", code=code,
                    settings={"count": 3, "kinds": ["event-date"], "feedback": "immediate"})  # fmt: skip
        db.session.add(quiz)
        db.session.commit()
        pupil = db.session.scalar(select(User).where(User.username == "pupil"))
        attempt = start_attempt(quiz, "en", user_id=pupil.id)
        for q in attempt.questions:
            record_answer(attempt, q, q.snapshot["answer"])
        finish_attempt(attempt)
        start_attempt(quiz, "en", user_id=pupil.id)  # a second one, left open
        return quiz.id


def test_the_quiz_page_is_a_hub_and_the_list_counts_attempts(client, app, make_user) -> None:
    make_user("teach", role="teacher")
    make_user("pupil")
    quiz_id = _quiz(app, "teach")
    login(client, "teach")
    html = client.get(f"/teacher/quizzes/{quiz_id}").get_data(as_text=True)
    assert 'id="join-code">HUB123<' in html
    assert re.search(
        r'<svg aria-hidden="true" focusable="false"[^>]*viewBox="0 0 \d+ \d+"[^>]*class="qr-code"', html
    )
    assert "<path" in html.split('class="qr-code"')[1].split("</svg>")[0]  # the modules, drawn here
    assert f'href="/reports/quiz/{quiz_id}"' in html
    assert 'href="/teacher/print/trotsky?count=3&amp;seed=HUB123"' in html
    assert 'data-copy="http://localhost/quiz/HUB123"' in html
    assert "pupil" in html and "Who took it (2)" in html
    printed = client.get("/teacher/print/trotsky?count=3&seed=HUB123")
    assert printed.status_code == 200 and printed.get_data(as_text=True).count('class="print-question"') == 3
    listing = client.get("/teacher/").get_data(as_text=True)
    row = listing.split(f'href="/teacher/quizzes/{quiz_id}"')[1].split("</tr>")[0]
    assert ">2 (1)</td>" in row


def test_log_in_lands_each_role_on_its_page(client, make_user) -> None:
    for name, role, where in (
        ("t1", "teacher", "/teacher/"),
        ("a1", "admin", "/admin/"),
        ("s1", "student", "/"),
    ):
        make_user(name, role=role)
        r = login(client, name)
        assert r.status_code == 302 and r.location == where, (role, r.location)
        client.post("/auth/logout", data={"csrf_token": csrf_token(client)})


def test_deleting_an_event_asks_first_without_javascript(client, app, make_user) -> None:
    make_user("boss", role="admin")
    login(client, "boss")
    with app.app_context():
        bank_id = db.session.scalar(select(Bank.id).where(Bank.slug == "trotsky"))
    page = client.get(f"/teacher/banks/{bank_id}").get_data(as_text=True)
    ask = f"/teacher/banks/{bank_id}/events/funeral/delete"
    assert f'<a class="btn btn-outline-danger btn-sm" href="{ask}">' in page  # a link, not a form
    confirm = client.get(ask)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and f'action="{ask}"' in html and "Trotsky&#39;s funeral" in html
    with app.app_context():  # asking deleted nothing
        assert "funeral" in {e["id"] for e in db.session.get(Bank, bank_id).data["events"]}
    done = client.post(ask, data={"csrf_token": csrf_token(client, ask)})
    assert done.status_code == 302
    with app.app_context():
        assert "funeral" not in {e["id"] for e in db.session.get(Bank, bank_id).data["events"]}


def test_disabling_an_account_asks_first_and_enabling_does_not(client, app, make_user) -> None:
    make_user("boss", role="admin")
    victim = make_user("layla")
    login(client, "boss")
    users = client.get("/admin/users").get_data(as_text=True)
    ask = f"/admin/users/{victim.id}/active"
    assert f'href="{ask}"' in users
    html = client.get(ask).get_data(as_text=True)
    assert '<code dir="ltr">layla</code>' in html and 'name="active" value="0"' in html
    with app.app_context():
        assert db.session.get(User, victim.id).active
    client.post(ask, data={"csrf_token": csrf_token(client, ask), "active": "0"})
    with app.app_context():
        assert not db.session.get(User, victim.id).active
    users = client.get("/admin/users").get_data(as_text=True)
    assert f'href="{ask}"' not in users and 'name="active" value="1"' in users  # enable: one click


def test_reports_show_titles_and_dates_not_keys_and_iso(client, app, make_user) -> None:
    make_user("teach", role="teacher")
    make_user("pupil")
    quiz_id = _quiz(app, "teach")
    login(client, "teach")
    for url in (f"/reports/quiz/{quiz_id}", "/reports/events"):
        text = re.sub(r"<[^>]+>", " ", client.get(url).get_data(as_text=True))
        assert not re.search(r"\b[a-z]+(-[a-z]+)*:[a-z0-9]+(-[a-z0-9]+)+\b", text), (
            url
        )  # date-event:lenin-dies
        assert not re.search(r"\b\d{4}-\d{2}(-\d{2})?\b", text), url  # 1940-08-21
    assert "Item analysis by question" in client.get(f"/reports/quiz/{quiz_id}").get_data(as_text=True)
