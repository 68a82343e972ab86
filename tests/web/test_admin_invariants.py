"""The admin invariants over real HTTP, on SQLite and PostgreSQL: two admins demoting or disabling
each other at the same moment (two threads, two clients) leave one admin, never none; disabling an
account ends its sessions and remember-me cookies at once, and for good."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from quizapp.admin import service as svc
from quizapp.extensions import db
from quizapp.models import User
from tests.conftest import PASSWORD, csrf_token, login
from tests.db.test_concurrency import at_once

EN = {"Accept-Language": "en"}
#: Each request holds its change this long before committing, so that the two overlap for sure.
HOLD = 0.4
CHANGES = {"demote": ("role", {"role": "teacher"}), "disable": ("active", {"active": "0"})}


def _admins(app) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        names = db.session.scalars(
            select(User.username).where(User.role == "admin", User.active.is_(True)).order_by(User.username)
        ).all()
        db.session.remove()
        return list(names)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_two_admins_removing_each_other_at_once_leave_one(app, make_user, monkeypatch, change: str) -> None:
    """Each request waits after its checks, as a slow one would: without the lock both went through."""
    path, form = CHANGES[change]
    slow_record = svc._record

    def record(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(HOLD)
        return slow_record(*args, **kwargs)

    monkeypatch.setattr(svc, "_record", record)
    ada, bea = make_user("ada", role="admin"), make_user("bea", role="admin")
    clients = {}
    for name in ("ada", "bea"):
        clients[name] = app.test_client()
        login(clients[name], name)
    tokens = {name: csrf_token(c, "/admin/users") for name, c in clients.items()}

    def remove(actor: str, target: User):  # type: ignore[no-untyped-def]
        def send():  # type: ignore[no-untyped-def]
            return clients[actor].post(
                f"/admin/users/{target.id}/{path}", data={"csrf_token": tokens[actor], **form}, headers=EN
            )

        return send

    results = at_once(remove("ada", bea), remove("bea", ada))
    assert all(r.status_code == 302 for r in results), [r.status_code for r in results]
    left = _admins(app)
    assert len(left) == 1, f"active admins after two {change}s at once: {left}"
    # The refused one was told why, in their language.
    loser = "ada" if left == ["bea"] else "bea"
    with app.app_context():
        db.session.remove()
    page = clients[loser].get("/", headers=EN).get_data(as_text=True)
    if change == "demote":  # a disabled admin is logged out and sees no message
        assert "keeps at least one active administrator" in page


def test_a_demoted_admin_acts_no_more(app, client, make_user) -> None:
    """Under the lock the actor must still be an active admin (the service's own check)."""
    ada, bea = make_user("ada", role="admin"), make_user("bea", role="admin")
    omar = make_user("omar")
    with app.app_context():
        actor, target = db.session.get(User, bea.id), db.session.get(User, ada.id)
        assert svc.set_role(actor, target, "student")  # bea demotes ada
        stale_ada = db.session.get(User, ada.id)
        victim = db.session.get(User, omar.id)
        with pytest.raises(svc.LastAdmin):
            svc.set_active(stale_ada, victim, False)
        assert db.session.get(User, omar.id).active
        db.session.remove()


def _logged_in(client) -> bool:  # type: ignore[no-untyped-def]
    r = client.get("/quiz/mine")
    r.close()
    return r.status_code == 200


def test_disabling_ends_every_session_and_remember_me_for_good(app, make_user) -> None:
    boss = make_user("boss", role="admin")
    layla = make_user("layla")
    admin = app.test_client()
    login(admin, "boss")
    token = csrf_token(admin, "/admin/users")

    browser = app.test_client()
    r = browser.post(
        "/auth/login",
        data={
            "username": "layla",
            "password": PASSWORD,
            "remember": "y",
            "csrf_token": csrf_token(browser, "/auth/login"),
        },
    )
    assert r.status_code == 302
    remember = browser.get_cookie("remember_token")
    assert remember is not None
    # Another device holding only the remember-me cookie (its session long gone).
    device = app.test_client()
    device.set_cookie("remember_token", remember.value)
    assert _logged_in(browser) and _logged_in(device)

    assert (
        admin.post(f"/admin/users/{layla.id}/active", data={"csrf_token": token, "active": "0"}).status_code
        == 302
    )
    assert not _logged_in(browser) and not _logged_in(device)
    assert (
        admin.post(f"/admin/users/{layla.id}/active", data={"csrf_token": token, "active": "1"}).status_code
        == 302
    )
    # Enabled again, the old cookies still open nothing: a new log-in is needed.
    stale = app.test_client()
    stale.set_cookie("remember_token", remember.value)
    assert not _logged_in(stale)
    assert not _logged_in(device)
    fresh = app.test_client()
    assert login(fresh, "layla").status_code == 302 and _logged_in(fresh)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.id == boss.id)) == 1
