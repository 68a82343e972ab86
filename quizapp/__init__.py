"""quizapp: history quizzes in Arabic and English, generated from banks of dated events."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, commands, translations, errors."""
    from . import config, errors, extensions, i18n, login, reads, web

    app = Flask(__name__, instance_relative_config=True, static_folder=str(config.ROOT / "static"))

    config.configure(app, test_config)
    i18n.init_app(app)
    extensions.init_app(app)
    reads.init_app(app)
    login.init_app(app)
    web.register(app)
    errors.register(app)
    return app
