"""What every page pays, made cheaper (issue 16), still doing its job: the session cookie still
signed and checked (expired, forged and another key's cookies refused after one was kept), the CSRF
token still Flask-WTF's, static URLs and the page's language the same as Flask and Flask-Babel make
them, and every bidi control still dropped from what a template prints."""

from __future__ import annotations

import time

import pytest
from flask import render_template_string, session
from flask_wtf.csrf import generate_csrf, validate_csrf

from quizapp import web
from quizapp.i18n import LOCALES, select_locale
from tests.conftest import csrf_token, login


def _session_cookie(client) -> str:  # type: ignore[no-untyped-def]
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_kept_session_cookie_gives_the_same_session_and_each_request_its_own_copy(app, client) -> None:  # type: ignore[no-untyped-def]
    client.get("/")  # a CSRF secret: the session is set
    cookie = _session_cookie(client)
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        first = app.session_interface.open_session(app, app_request())
        first["changed"] = True
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        second = app.session_interface.open_session(app, app_request())
        assert "changed" not in second and second["csrf_token"] == first["csrf_token"]
        assert not second.modified


def app_request():  # type: ignore[no-untyped-def]
    from flask import request

    return request._get_current_object()  # type: ignore[attr-defined]


def test_an_expired_cookie_is_refused_though_it_was_kept(app, client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    client.get("/")
    cookie = _session_cookie(client)
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        assert app.session_interface.open_session(app, app_request())  # checked, then kept
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(time, "time", lambda: later)
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        assert dict(app.session_interface.open_session(app, app_request())) == {}
    earlier = later - 2 * lifetime - 100  # signed in the future, as the signer sees it
    monkeypatch.setattr(time, "time", lambda: earlier)
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        assert dict(app.session_interface.open_session(app, app_request())) == {}


def test_a_forged_cookie_and_another_keys_cookie_are_refused(app, client) -> None:  # type: ignore[no-untyped-def]
    client.get("/")
    cookie = _session_cookie(client)
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        assert app.session_interface.open_session(app, app_request())
    forged = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    with app.test_request_context("/", headers={"Cookie": f"session={forged}"}):
        assert dict(app.session_interface.open_session(app, app_request())) == {}
    app.secret_key = "another key"
    try:
        with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
            assert dict(app.session_interface.open_session(app, app_request())) == {}
    finally:
        app.secret_key = app.config["SECRET_KEY"] = "test-secret"


def test_a_session_holding_a_list_is_not_kept(app, client) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"):
        session["_flashes"] = [("info", "one")]
        value = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    for _ in range(2):
        with app.test_request_context("/", headers={"Cookie": f"session={value}"}):
            opened = app.session_interface.open_session(app, app_request())
            assert opened["_flashes"] == [("info", "one")]
            opened["_flashes"].append(("info", "two"))
    assert value not in app.session_interface._opened


def test_a_logged_in_user_stays_logged_in_over_kept_cookies(client, make_user) -> None:  # type: ignore[no-untyped-def]
    make_user("reader")
    assert login(client, "reader").status_code == 302
    for _ in range(3):
        assert "/auth/logout" in client.get("/").get_data(as_text=True)


def test_the_csrf_token_is_flask_wtfs_and_is_checked(app, client, make_user) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"):
        ours = web.csrf_token()
        assert generate_csrf() == ours  # the same token, kept in g under Flask-WTF's name
        validate_csrf(ours)  # raises when Flask-WTF cannot read it
        assert session["csrf_token"]
    make_user("poster")
    token = csrf_token(client, "/auth/login")
    refused = client.post("/auth/login", data={"username": "poster", "password": "x", "csrf_token": "no"})
    assert refused.status_code == 400
    accepted = client.post("/auth/login", data={"username": "poster", "password": "x", "csrf_token": token})
    assert accepted.status_code != 400


def test_templates_call_the_apps_csrf_token_not_flask_wtfs_processor(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"):
        context: dict = {}
        app.update_template_context(context)
        assert "csrf_token" not in context  # Flask-WTF's processor is gone: the global answers
        assert app.jinja_env.globals["csrf_token"] is web.csrf_token
        shown = render_template_string("{{ csrf_token() }}|{{ csrf_meta_tag() }}")
        token = web.csrf_token()
        assert shown == f'{token}|<meta name="csrf-token" content="{token}">'


@pytest.mark.parametrize("length", [1, 39, 40, 2000])
def test_every_bidi_control_is_dropped_from_short_and_long_texts(length: int) -> None:
    from markupsafe import Markup

    for code in web.BIDI_CONTROLS:
        text = "ع" * length + chr(code) + "x"
        assert web.neutralise_bidi(text) == "ع" * length + "x"
        assert web.neutralise_bidi(Markup(text)) == Markup("ع" * length + "x")
    plain = "ع" * length + "\u200f\u061c"  # the marks Arabic text needs stay
    assert web.neutralise_bidi(plain) is plain
    assert web.neutralise_bidi("ascii") == "ascii"
    assert web.neutralise_bidi(7) == 7


@pytest.mark.parametrize(("header", "lang"), [("en", "en"), ("ar", "ar"), ("fr", "ar"), (None, "ar")])
def test_the_locale_is_one_made_once_for_each_language(app, header: str | None, lang: str) -> None:  # type: ignore[no-untyped-def]
    headers = {"Accept-Language": header} if header else {}
    with app.test_request_context("/", headers=headers):
        assert select_locale() is LOCALES[lang]


def test_templates_read_the_environments_globals_and_keep_their_own_apart(app) -> None:  # type: ignore[no-untyped-def]
    from jinja2 import ChoiceLoader, DictLoader

    env = app.jinja_env
    env.loader = ChoiceLoader(
        [DictLoader({"_g.html": "{{ shared }}|{{ own | default('none') }}"}), env.loader]
    )
    with app.test_request_context("/"):
        env.globals["shared"] = "before"
        plain = env.get_template("_g.html")
        assert plain.globals is env.globals and plain.render() == "before|none"
        env.globals["shared"] = "after"  # a change to the environment's globals shows
        assert plain.render() == "after|none"
        given = env.get_template("_g.html", globals={"own": "mine"})  # the same template, cached
        assert given is plain and given.render() == "after|mine"
        assert "own" not in env.globals  # never the environment's
        other = env.from_string("{{ own | default('none') }}")
        assert other.render() == "none"
        chosen = env.select_template(["_missing.html", "_g.html"], globals={"own": "chosen"})
        assert chosen.render() == "after|chosen" and "own" not in env.globals
