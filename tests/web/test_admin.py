"""Administration through the test client, CSRF on, on SQLite and PostgreSQL, in both languages:
accounts listed and searched, teachers created, roles changed, accounts disabled and enabled, every
action in the audit log, and only admins allowed."""

from __future__ import annotations

from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import AuditLog, User
from tests.conftest import PASSWORD, csrf_token, login

AR = {"Accept-Language": "ar"}
EN = {"Accept-Language": "en"}


def _user(app, username: str) -> User:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        db.session.expunge(user)
        return user


def _log(app) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return [
            (e.actor.username, e.action, e.target)
            for e in db.session.scalars(select(AuditLog).order_by(AuditLog.id))
        ]


def test_admin_creates_a_teacher_who_can_log_in(app, client, make_user) -> None:
    make_user("boss", role="admin")
    login(client, "boss")
    page = client.get("/admin/users/new", headers=AR)
    assert page.status_code == 200 and 'dir="rtl"' in page.get_data(as_text=True)
    token = csrf_token(client, "/admin/users/new")
    form = {
        "csrf_token": token,
        "username": "mona",
        "display_name": "منى",
        "password": "a long password",
        "confirm": "a long password",
    }
    r = client.post("/admin/users/new", data=form, headers=EN)
    assert r.status_code == 302
    mona = _user(app, "mona")
    assert mona.role == "teacher" and mona.display_name == "منى" and mona.check_password("a long password")
    assert _log(app) == [("boss", "create_teacher", f"user:{mona.id} mona")]
    # The same username again, any case, is refused with a message beside the field.
    r = client.post("/admin/users/new", data={**form, "username": "MONA"}, headers=EN)
    assert r.status_code == 422 and "This username is taken." in r.get_data(as_text=True)
    r = client.post("/admin/users/new", data={**form, "username": "x y", "confirm": "other"}, headers=EN)
    assert r.status_code == 422
    # Without the CSRF token nothing is created.
    r = client.post("/admin/users/new", data={**form, "csrf_token": "", "username": "nour"}, headers=EN)
    assert r.status_code in (400, 422)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "nour")) is None
    teacher = app.test_client()
    assert login(teacher, "mona", "a long password").status_code == 302
    assert teacher.get("/reports/").status_code == 200


def test_search_roles_and_disabling_are_logged(app, client, make_user) -> None:
    make_user("boss", role="admin")
    layla = make_user("layla")
    make_user("omar")
    login(client, "boss")
    for headers in (EN, AR):
        page = client.get("/admin/users", query_string={"q": "LAY"}, headers=headers).get_data(as_text=True)
        assert ">layla<" in page and ">omar<" not in page
    page = client.get("/admin/users", query_string={"q": "%"}, headers=EN).get_data(as_text=True)
    assert ">layla<" not in page  # a wildcard is searched for literally

    token = csrf_token(client, "/admin/users")
    r = client.post(f"/admin/users/{layla.id}/role", data={"csrf_token": token, "role": "teacher"})
    assert r.status_code == 302 and _user(app, "layla").role == "teacher"
    assert (
        client.post(f"/admin/users/{layla.id}/role", data={"csrf_token": token, "role": "king"}).status_code
        == 400
    )
    assert client.post(f"/admin/users/{layla.id}/role", data={"role": "admin"}).status_code == 400  # no CSRF
    assert _user(app, "layla").role == "teacher"

    r = client.post(f"/admin/users/{layla.id}/active", data={"csrf_token": token, "active": "0"})
    assert r.status_code == 302 and not _user(app, "layla").active
    other = app.test_client()
    r = login(other, "layla", PASSWORD, lang="en")
    assert r.status_code == 422 and "This account is disabled." in r.get_data(as_text=True)
    client.post(f"/admin/users/{layla.id}/active", data={"csrf_token": token, "active": "1"})
    assert _user(app, "layla").active
    assert login(app.test_client(), "layla").status_code == 302

    target = f"user:{layla.id} layla"
    assert _log(app) == [
        ("boss", "set_role", target),
        ("boss", "disable", target),
        ("boss", "enable", target),
    ]
    for headers in (EN, AR):
        audit = client.get("/admin/audit", headers=headers)
        assert audit.status_code == 200 and target in audit.get_data(as_text=True)
    assert "Disabled an account" in client.get("/admin/audit", headers=EN).get_data(as_text=True)


def test_an_admin_cannot_demote_or_disable_themself(app, client, make_user) -> None:
    boss = make_user("boss", role="admin")
    login(client, "boss")
    token = csrf_token(client, "/admin/users")
    r = client.post(f"/admin/users/{boss.id}/role", data={"csrf_token": token, "role": "student"}, headers=EN)
    assert r.status_code == 302
    assert "You cannot change your own role." in client.get(r.location, headers=EN).get_data(as_text=True)
    client.post(f"/admin/users/{boss.id}/active", data={"csrf_token": token, "active": "0"})
    me = _user(app, "boss")
    assert me.role == "admin" and me.active and _log(app) == []
    assert (
        client.post("/admin/users/9999/active", data={"csrf_token": token, "active": "0"}).status_code == 404
    )


def test_only_admins_may_enter(app, make_user) -> None:
    make_user("teacher1", role="teacher")
    make_user("student1")
    for username in ("teacher1", "student1"):
        c = app.test_client()
        login(c, username)
        for url in ("/admin/", "/admin/users", "/admin/users/new", "/admin/audit"):
            assert c.get(url).status_code == 403, (username, url)
        assert c.post("/admin/users/1/active", data={"active": "0"}).status_code in (400, 403)
    assert app.test_client().get("/admin/users").status_code == 302  # a visitor is sent to log in
