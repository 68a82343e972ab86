"""Hard to break into: headers, cookies, sessions, rate limits, CSRF, escaping of teachers' content
(script payloads and bidi overrides, Arabic and English), upload limits and safe parsers."""

from __future__ import annotations

import re
import shutil
import socket
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Response, User
from tests.conftest import ROOT, csrf_token, login, make_test_app
from tests.web.test_quiz_flow import answer_form, start_practice

EN = {"Accept-Language": "en"}
AR = {"Accept-Language": "ar"}
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
TEMPLATES = ROOT / "quizapp" / "templates"


# --- headers -----------------------------------------------------------------------------------


def csp(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The Content-Security-Policy as {directive: sources}."""
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


@pytest.mark.parametrize("url", ["/", "/auth/login", "/no-such-page", "/static/css/app.css"])
def test_every_answer_carries_the_security_headers(client, url: str) -> None:
    r = client.get(url)
    r.close()
    policy = csp(r)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    for sources in policy.values():
        for source in sources:
            # Only this site: no 'unsafe-inline', no 'unsafe-eval', no outside origin, no wildcard.
            assert source in ("'self'", "'none'", "data:"), (url, source)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")
    assert "Strict-Transport-Security" not in r.headers  # plain HTTP here


def test_static_files_are_cached_and_pages_are_not(client) -> None:
    r = client.get("/static/css/app.css")
    r.close()
    assert r.status_code == 200 and "max-age=86400" in r.headers["Cache-Control"]
    assert r.headers.get("ETag")
    assert "max-age" not in client.get("/").headers.get("Cache-Control", "")


def test_no_template_has_inline_script_style_or_handlers() -> None:
    """What the CSP would block anyway, caught before a browser does (every template, new ones too)."""
    for path in sorted(TEMPLATES.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        where = path.relative_to(TEMPLATES)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"{where}: inline <script>"
        assert not re.search(r"\sstyle=", html), f"{where}: style attribute"
        assert not re.search(r"<style\b", html), f"{where}: <style> element"
        assert not re.search(r"\son[a-z]+\s*=", html), f"{where}: event handler attribute"
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), f"{where}: outside origin"


# --- cookies and sessions ----------------------------------------------------------------------


def set_cookies(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def test_cookies_are_httponly_and_samesite(client, make_user) -> None:
    make_user("amal")
    token = csrf_token(client, "/auth/login")
    r = client.post(
        "/auth/login",
        data={"username": "amal", "password": "correct horse battery", "remember": "y", "csrf_token": token},
    )
    cookies = set_cookies(r)
    assert {"session", "remember_token"} <= set(cookies)
    for header in cookies.values():
        assert "HttpOnly" in header and "SameSite=Lax" in header
        assert "Secure" not in header  # plain HTTP: a Secure cookie would never come back


def test_cookies_are_secure_behind_https(monkeypatch, database, tmp_path, make_user) -> None:
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    app = make_test_app(database, tmp_path)
    with app.app_context():
        user = User(username="sara", display_name="Sara", role="student")
        user.set_password("correct horse battery")
        db.session.add(user)
        db.session.commit()
    client = app.test_client()
    base = "https://localhost"
    html = client.get(f"{base}/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    r = client.post(
        f"{base}/auth/login",
        data={"username": "sara", "password": "correct horse battery", "remember": "y", "csrf_token": token},
        headers={"Referer": f"{base}/auth/login"},
    )
    assert r.status_code == 302
    for header in set_cookies(r).values():
        assert "Secure" in header and "HttpOnly" in header
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_behind_a_proxy_the_scheme_and_address_come_from_x_forwarded(monkeypatch, tmp_path) -> None:
    """quizapp.wsgi trusts TRUSTED_PROXIES hops of X-Forwarded-*: https URLs, the client's address."""
    from flask import request

    from quizapp.wsgi import production_app

    monkeypatch.setenv("SECRET_KEY", "s" * 32)
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    app = production_app()
    seen = {}

    @app.get("/_probe")
    def probe() -> str:
        seen.update(scheme=request.scheme, addr=request.remote_addr)
        return "ok"

    r = app.test_client().get(
        "/_probe", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    )
    assert r.status_code == 200 and seen == {"scheme": "https", "addr": "203.0.113.7"}
    assert "Strict-Transport-Security" in r.headers


def test_the_production_entry_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path) -> None:
    from quizapp.config import MissingSecretKey
    from quizapp.wsgi import production_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.db'}")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(MissingSecretKey, match="SECRET_KEY is not set"):
        production_app()


def test_logout_ends_the_session_and_login_renews_it(client, make_user) -> None:
    make_user("rania")
    client.get("/auth/login")
    before = client.get_cookie("session").value
    login(client, "rania")
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as s:
        assert s.get("_user_id") and s.get("_fresh")
    assert client.get("/quiz/mine").status_code == 200
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    assert client.get("/quiz/mine").status_code == 302
    with client.session_transaction() as s:
        assert "_user_id" not in s and "_fresh" not in s


def test_a_session_cookie_copied_before_logout_stops_working(app, make_user) -> None:
    make_user("thief-target")
    victim = app.test_client()
    login(victim, "thief-target")
    stolen = victim.get_cookie("session").value
    attacker = app.test_client()
    attacker.set_cookie("session", stolen)
    assert attacker.get("/quiz/mine").status_code == 200  # a copied cookie works while logged in
    victim.post("/auth/logout", data={"csrf_token": csrf_token(victim)})
    assert attacker.get("/quiz/mine").status_code == 302  # and not after the log-out
    login(victim, "thief-target")
    assert victim.get("/quiz/mine").status_code == 200  # logging in again works


# --- CSRF and rate limits -----------------------------------------------------------------------


def test_every_state_changing_route_refuses_a_request_without_a_csrf_token(app, client, make_user) -> None:
    """Walk the URL map: any POST/PUT/PATCH/DELETE route, with no token, is a 400, whoever asks."""
    make_user("admin1", role="admin")
    login(client, "admin1")
    routes = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"})
    ]
    assert len(routes) >= 5
    for rule, method in routes:
        url = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: "1" if "int" in m.group(0) else "x", rule.rule)
        r = client.open(url, method=method, data={"field": "value"})
        assert r.status_code == 400, (rule.rule, method, r.status_code)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def redis_problem() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return None
            return "Redis at 127.0.0.1:6379 did not answer PING"
    except OSError as err:
        return f"Redis not reachable at 127.0.0.1:6379: {err.__class__.__name__}"


@pytest.mark.parametrize("store", ["memory://", "redis://127.0.0.1:6379"])
@pytest.mark.parametrize("route", ["/auth/login", "/auth/signup"])
def test_login_and_signup_are_rate_limited(store: str, route: str, tmp_path: Path) -> None:
    if store.startswith("redis") and (problem := redis_problem()):
        pytest.skip(problem)
    database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'r.db'}"}
    app = make_test_app(database, tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=store)
    from quizapp.extensions import limiter

    with app.app_context():
        limiter.reset()  # a shared store: start from zero
    # Two app servers sharing the store count one client's tries together.
    other = make_test_app(database, tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=store)
    clients = [app.test_client(), other.test_client()] if store.startswith("redis") else [app.test_client()]
    codes = []
    for i in range(12):
        c = clients[i % len(clients)]
        token = csrf_token(c, route)
        r = c.post(
            route, data={"csrf_token": token, "username": "nobody", "password": "wrong pass"}, headers=EN
        )
        codes.append(r.status_code)
    assert codes[:10] == [422] * 10 and codes[10:] == [429, 429]
    page = r.get_data(as_text=True)
    assert "Too many tries" in page
    # Another address is not held back by this one.
    c = app.test_client()
    token = csrf_token(c, route)
    r = c.post(route, data={"csrf_token": token}, environ_base={"REMOTE_ADDR": "198.51.100.9"}, headers=EN)
    assert r.status_code != 429
    with app.app_context():
        limiter.reset()


# --- teachers' content escaped, bidi overrides neutralised --------------------------------------

PAYLOADS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "\u202egnp.exe",
    "\u2066isolated\u2069",
    "{{ 7*7 }}",
]


def hostile_bank(tmp_path: Path) -> Path:
    """The Trotsky bank with a payload in every event title and every fact's answer and options."""
    data = yaml.safe_load((ROOT / "questions" / "trotsky.yaml").read_text(encoding="utf-8"))
    data["slug"] = "hostile"
    data["title"] = {"ar": "\u202eبنك <script>alert(1)</script>", "en": "\u202eBank <b>bold</b>"}
    for i, event in enumerate(data["events"]):
        payload = PAYLOADS[i % len(PAYLOADS)]
        event["title"] = {k: f"{v} {payload}" for k, v in event["title"].items()}
        for fact in event.get("facts", []):
            if isinstance(fact.get("answer"), dict):
                fact["answer"] = {k: f"{v} {payload}" for k, v in fact["answer"].items()}
    folder = tmp_path / "hostile"
    (folder / "sources").mkdir(parents=True)
    shutil.copy(ROOT / "questions" / "sources" / "trotsky.ar.txt", folder / "sources")
    path = folder / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def assert_safe(html: str, where: str) -> None:
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html, where
    assert not BIDI.search(html), f"{where}: a bidi control reached the page"


def test_teachers_content_is_escaped_and_bidi_overrides_neutralised(app, client, tmp_path) -> None:
    from quizapp.banks import import_file

    with app.app_context():
        import_file(hostile_bank(tmp_path))
        db.session.commit()
    pages = []
    for headers in (EN, AR):
        home = client.get("/", headers=headers).get_data(as_text=True)
        pages.append(("home", home))
        assert "&lt;script&gt;" in home or "&lt;b&gt;bold" in home
        token = csrf_token(client)
        r = client.post("/quiz/practice/hostile", data={"csrf_token": token}, headers=headers)
        pid = r.location.split("/")[3]
        for number in range(1, 11):
            url = f"/quiz/attempt/{pid}/{number}"
            page = client.get(url, headers=headers).get_data(as_text=True)
            pages.append((url, page))
            client.post(url, data=answer_form(app, pid, number, number % 2 == 0, page), headers=headers)
            pages.append((url + " answered", client.get(url, headers=headers).get_data(as_text=True)))
        pages.append(
            ("results", client.get(f"/quiz/attempt/{pid}/results", headers=headers).get_data(as_text=True))
        )
    for where, html in pages:
        assert_safe(html, where)
    shown = "".join(html for _, html in pages)
    assert "&lt;script&gt;alert" in shown  # the payload is shown as text, not dropped
    assert "gnp.exe" in shown and "isolated" in shown  # the text stays, only the controls go


def test_bidi_controls_are_dropped_but_arabic_marks_kept(app) -> None:
    from flask import render_template_string

    with app.test_request_context():
        out = render_template_string(
            "{{ a }}|{{ b }}|{{ c|safe }}",
            a="\u202eabc\u2066d\u2069",
            b="\u200fمرحبا\u061c",
            c="<i>\u202bx</i>",
        )
    assert out == "abcd|\u200fمرحبا\u061c|<i>x</i>"


# --- uploads -------------------------------------------------------------------------------------


def test_a_too_large_request_gets_the_413_page_in_the_language(app, client) -> None:
    for headers, lang in ((EN, "en"), (AR, "ar")):
        r = client.post("/auth/login", data={"x": "a" * (3 * 1024 * 1024)}, headers=headers)
        assert r.status_code == 413
        page = r.get_data(as_text=True)
        assert f'lang="{lang}"' in page
        assert ("The file is too large." in page) == (lang == "en")


def test_bank_files_are_read_with_a_safe_yaml_loader(tmp_path) -> None:
    from quizapp.domain.formats.bankfile import parse_bank
    from quizapp.domain.problems import BankFileError

    hostile = "!!python/object/apply:os.system ['touch " + str(tmp_path / "owned") + "']\n"
    with pytest.raises(BankFileError):
        parse_bank(hostile)
    assert not (tmp_path / "owned").exists()


def test_xml_is_parsed_through_defusedxml() -> None:
    """Every module that reads XML goes through defusedxml (entity bombs, external entities)."""
    readers = []
    for path in sorted((ROOT / "quizapp").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(from|import)\s+(xml\.(etree|dom|sax)|lxml)", source, re.M) and re.search(
            r"\b(fromstring|parse|XMLParser|iterparse|parseString)\s*\(", source
        ):
            readers.append(path.relative_to(ROOT))
        if "defusedxml" in source:
            assert re.search(r"(from|import)\s+defusedxml", source), path
    assert readers == [], f"XML parsed without defusedxml in: {readers}"


def test_a_billion_laughs_is_refused_by_the_xml_reader() -> None:
    import defusedxml.ElementTree as SafeET
    from defusedxml import EntitiesForbidden

    bomb = '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><q>&b;</q>'
    with pytest.raises(EntitiesForbidden):
        SafeET.fromstring(bomb)


def test_nothing_is_written_by_a_refused_answer(app, client, make_user) -> None:
    make_user("hana")
    login(client, "hana")
    pid = start_practice(client)
    page = client.get(f"/quiz/attempt/{pid}/1").get_data(as_text=True)
    data = answer_form(app, pid, 1, True, page)
    data.pop("csrf_token")
    assert client.post(f"/quiz/attempt/{pid}/1", data=data).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_value_the_database_refuses_is_a_bad_request_not_a_crash(app, client, make_user) -> None:
    """PostgreSQL refuses a NUL character that SQLite stores: a 400 page, the session still usable."""
    make_user("nadia")
    login(client, "nadia")
    token = csrf_token(client)
    r = client.post("/quiz/join", data={"csrf_token": token, "code": "AB\x00C"}, headers=EN)
    assert r.status_code in (302, 400)
    if r.status_code == 400:
        assert "The request was not understood." in r.get_data(as_text=True)
    assert client.get("/quiz/mine").status_code == 200
