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
