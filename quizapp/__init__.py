"""quizapp: history quizzes in Arabic and English, generated from banks of dated events."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

#: The top-level folders the user asked for (questions/, static/, migrations/) sit beside the package.
ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, commands, translations, errors."""
    app = Flask(__name__, instance_relative_config=True, static_folder=str(ROOT / "static"))
    from . import config, errors, extensions, i18n, web

    config.configure(app, test_config)
    i18n.init_app(app)
    extensions.init_app(app)
    web.register(app)
    errors.register(app)
    return app
