"""What every request runs, trimmed for speed (issue 16), still doing its job: rate limits that
apply to every request are still counted before each one."""

from __future__ import annotations

from pathlib import Path

import flask_limiter
from flask_limiter.util import get_remote_address

from quizapp.extensions import any_app_wide_limits, db, limiter
from tests.conftest import make_test_app


def test_the_app_has_no_limit_on_every_request_so_the_check_before_each_one_is_skipped() -> None:
    # The log-in, sign-up and code limits are on their views, which check them when called.
    assert not any_app_wide_limits(limiter)
    everywhere = flask_limiter.Limiter(key_func=get_remote_address, default_limits=["5 per minute"])
    assert any_app_wide_limits(everywhere)


def test_a_limit_on_every_request_is_still_counted_before_each_one(tmp_path: Path) -> None:
    database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.db'}"}
    app = make_test_app(database, tmp_path, RATELIMIT_ENABLED=True)
    manager = limiter.limit_manager
    saved = manager._default_limits
    manager.set_default_limits(
        [flask_limiter.Limit("3 per minute", key_function=get_remote_address).bind(limiter)]
    )
    try:
        with app.app_context():
            limiter.reset()
        client = app.test_client()
        codes = [client.get("/", environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
    finally:
        manager.set_default_limits(saved)
        with app.app_context():
            limiter.reset()
            db.engine.dispose()


def test_a_macro_imported_without_context_speaks_each_requests_language(app) -> None:  # type: ignore[no-untyped-def]
    # Jinja keeps such a macro's module (and its evaluation context) from one render to the next:
    # nothing of one request's language may stay with it.
    from flask_babel import gettext
    from jinja2 import ChoiceLoader, DictLoader

    from quizapp.domain.dates import format_number
    from quizapp.i18n import current_lang, number_style

    macro = '{% macro m() %}{{ _("Log in") }}|{{ 1234567 | number }}{% endmacro %}'
    app.jinja_env.loader = ChoiceLoader([DictLoader({"_test_macro.html": macro}), app.jinja_env.loader])
    page = app.jinja_env.from_string('{% from "_test_macro.html" import m %}{{ m() }}')
    seen = {}
    for lang in ("ar", "en", "ar", "en"):
        with app.test_request_context("/", headers={"Accept-Language": lang}):
            assert current_lang() == lang
            shown = page.render()
            assert shown == f"{gettext('Log in')}|{format_number(1234567, lang, number_style())}", lang
            seen.setdefault(lang, shown)
            assert shown == seen[lang]
    assert seen["ar"] != seen["en"]


def test_the_kept_header_is_the_header_drawn_anew_with_each_pages_token_and_path(app, make_user) -> None:  # type: ignore[no-untyped-def]
    # The header is rendered once for each language and kind of user and kept (web.HeaderNav), its
    # CSRF token and `next` path written in at each request: every page's header equals the one drawn
    # with nothing kept, carries its own session's token and its own path (as the template writes
    # it), and a user's name never reaches another user's header.
    import re

    from tests.conftest import login

    make_user("tina", role="teacher")
    make_user("sami")
    clients = {"anonymous": app.test_client()}
    for name in ("tina", "sami"):
        clients[name] = app.test_client()
        assert login(clients[name], name).status_code == 302
    header = re.compile(r"<header>.*</header>", re.S)
    token = re.compile(r'name="csrf_token" value="([^"]+)"')
    path = "/?q=%3Cb%3E%26%E2%80%AEx"

    def page(who: str, lang: str) -> str:
        html = clients[who].get(path, headers={"Accept-Language": lang}).get_data(as_text=True)
        return header.search(html).group(0)  # type: ignore[union-attr]

    def headers() -> dict[tuple[str, str], str]:
        return {(who, lang): page(who, lang) for who in clients for lang in ("ar", "en", "ar")}

    kept = headers()
    app.jinja_env.auto_reload = True  # nothing kept: each header drawn anew
    try:
        drawn = headers()
    finally:
        app.jinja_env.auto_reload = False
    assert len(app.jinja_env.globals["header_nav"].kept) == 6  # 3 kinds of user × 2 languages
    for (who, lang), html in kept.items():
        unsigned = re.sub(r'(value="[^".]+)\.[^"]+"', r'\1"', html)  # the signature carries the time
        assert unsigned == re.sub(r'(value="[^".]+)\.[^"]+"', r'\1"', drawn[who, lang])
        assert 'name="next" value="/?q=%3Cb%3E%26%E2%80%AEx"' in html
        # The session's own token (signed again in another second: the time and signature differ).
        tokens = {t.split(".")[0] for t in token.findall(html)}
        page_tokens = {t.split(".")[0] for t in token.findall(clients[who].get("/").get_data(as_text=True))}
        assert len(tokens) == 1 and tokens <= page_tokens
        assert ("Tina" in html) == (who == "tina") and ("Sami" in html) == (who == "sami")
        assert ("/teacher/" in html) == (who == "tina")
    assert kept["sami", "ar"] != kept["sami", "en"]


def test_kept_parts_follow_their_template_and_bound_and_are_filled_at_each_request(app) -> None:  # type: ignore[no-untyped-def]
    from quizapp.ui.kept import Holes, keep, kept

    store: dict = {}
    one, other = object(), object()  # two compiled templates (two apps, or a file read again)
    with app.app_context():
        assert keep(store, one, ("a",), "A", most=2) == "A" and kept(store, one, ("a",)) == "A"
        assert kept(store, other, ("a",)) is None  # another template's: not this one's
        keep(store, one, ("b",), "B", most=2)
        keep(store, one, ("c",), "C", most=2)  # full: emptied, then kept
        assert list(store) == [("c",)]
        app.jinja_env.auto_reload = True
        try:
            keep(store, one, ("d",), "D", most=2)
        finally:
            app.jinja_env.auto_reload = False
        assert kept(store, one, ("d",)) is None  # templates reload: nothing kept
    holes = Holes("token", "path")
    pieces = holes.split("<a>{token}</a><b>{path}</b>{token}".format(**holes.places))
    assert "".join(pieces).count(holes.places["token"]) == 2
    assert holes.fill(pieces, token="T1", path="/p?x=&lt;") == "<a>T1</a><b>/p?x=&lt;</b>T1"
    assert holes.fill(pieces, token="T2", path="/q") == "<a>T2</a><b>/q</b>T2"
