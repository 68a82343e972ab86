"""Accounts through the forms: sign up, log in, log out, in both languages, CSRF on."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import User
from tests.conftest import PASSWORD, csrf_token, login

EN = {"Accept-Language": "en"}
AR = {"Accept-Language": "ar"}


def signup(client, headers=EN, **fields):  # type: ignore[no-untyped-def]
    data = {"username": "mona", "display_name": "Mona", "password": "secret pass", "confirm": "secret pass"}
    data.update(fields)
    data["csrf_token"] = csrf_token(client, "/auth/signup")
    return client.post("/auth/signup", data=data, headers=headers)


def test_signup_stores_a_hash_not_the_password_and_logs_in(client, app) -> None:
    r = signup(client)
    assert r.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "mona"))
        assert user.role == "student"
        assert "secret pass" not in user.password_hash and user.check_password("secret pass")
    assert "Mona" in client.get("/", headers=EN).get_data(as_text=True)


def test_bad_signup_re_renders_with_messages_in_english_and_arabic(client, app) -> None:
    r = signup(client, username="a b", password="short", confirm="other")
    assert r.status_code == 422
    page = r.get_data(as_text=True)
    assert "Use only Latin letters" in page and "at least 8 characters" in page
    r = signup(client, headers=AR, username="a b", password="short", confirm="other")
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and 'lang="ar"' in page
    assert "Use only Latin letters" not in page
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "a b")) is None


def test_username_taken_case_insensitively(client, make_user) -> None:
    make_user("Mona")
    r = signup(client, username="mona")
    assert r.status_code == 422 and "This username is taken." in r.get_data(as_text=True)


def test_login_wrong_password_and_disabled_account(client, make_user) -> None:
    make_user("karim")
    make_user("gone", active=False)
    r = login(client, "karim", "wrong password", lang="en")
    assert r.status_code == 422 and "Wrong username or password." in r.get_data(as_text=True)
    r = login(client, "gone", lang="en")
    assert r.status_code == 422 and "This account is disabled." in r.get_data(as_text=True)
    r = login(client, "karim")
    assert r.status_code == 302


def test_login_renews_the_session_and_logout_ends_it(client, make_user) -> None:
    make_user("rana")
    client.get("/")
    with client.session_transaction() as s:
        s["planted"] = "by an attacker"
    login(client, "rana")
    with client.session_transaction() as s:
        assert "planted" not in s and s.get("_user_id")
    token = csrf_token(client)
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    with client.session_transaction() as s:
        assert not s.get("_user_id")
    assert client.get("/quiz/mine").status_code == 302  # back to the log-in page


def test_saved_language_wins_over_the_browser(client, make_user) -> None:
    make_user("yara", locale="ar")
    login(client, "yara")
    assert 'lang="ar"' in client.get("/", headers=EN).get_data(as_text=True)
    client.post("/lang/en", data={"csrf_token": csrf_token(client)})
    assert 'lang="en"' in client.get("/", headers=AR).get_data(as_text=True)


def test_cli_user_create_asks_for_a_password(app) -> None:
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from quizapp.cli import main

    runner = CliRunner()
    args = ["user", "create", "boss", "--role", "admin"]
    result = runner.invoke(main, args, input="pw\npw\n", obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code != 0 and "at least 8" in result.output
    result = runner.invoke(
        main, args, input=f"{PASSWORD}\n{PASSWORD}\n", obj=ScriptInfo(create_app=lambda: app)
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        boss = db.session.scalar(select(User).where(User.username == "boss"))
        assert boss.role == "admin" and boss.check_password(PASSWORD)
