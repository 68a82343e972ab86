"""Configuration: defaults, then the environment, then the instance folder, then a test's own."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from . import ROOT


def database_url(url: str) -> str:
    """Normalise a DATABASE_URL: postgres:// and postgresql:// go through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _secret_key(instance: Path) -> str:
    # Made once per installation and kept in the instance folder: no default secret anywhere.
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def configure(app: Flask, test_config: dict[str, Any] | None = None) -> None:
    """Fill app.config in order: defaults, environment, instance/config.py, test_config."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        QUESTIONS_DIR=str(ROOT / "questions"),
        MIGRATIONS_DIR=str(ROOT / "migrations"),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'quizapp.db'}",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        DEFAULT_LANGUAGE="ar",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_HEADERS_ENABLED=False,
        WTF_CSRF_TIME_LIMIT=None,  # a quiz may take longer than an hour; the session still guards it
    )
    env = os.environ
    if env.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = env["SECRET_KEY"]
    if env.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = env["DATABASE_URL"]
    for name in ("QUESTIONS_DIR", "RATELIMIT_STORAGE_URI", "DEFAULT_LANGUAGE"):
        if env.get(name):
            app.config[name] = env[name]
    if env.get("SESSION_COOKIE_SECURE") == "1":
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
