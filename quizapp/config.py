"""Configuration: defaults, then the environment, then the instance folder, then a test's own."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

#: The top-level folders the user asked for (questions/, static/, migrations/) sit beside the package.
ROOT = Path(__file__).resolve().parent.parent


#: The URL prefix of PostgreSQL through psycopg 3, where DATABASE_URL's postgres:// leads.
PSYCOPG = "postgresql+psycopg://"


def database_url(url: str) -> str:
    """Normalise a DATABASE_URL: postgres:// and postgresql:// go through psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return PSYCOPG + url[len(prefix) :]
    return url


def json_text(value: Any) -> str:
    """A JSON column's value as the database keeps it: UTF-8, its Arabic as itself rather than as
    \\u escapes, which made an Arabic question's snapshot two thirds larger (ten questions: 42.1 KB
    against 25.2 KB) to store, send and parse, and unreadable in psql. Values written before are
    read as they are: the two spellings mean the same JSON."""
    return json.dumps(value, ensure_ascii=False)


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
        SQLALCHEMY_ENGINE_OPTIONS={},
        DEFAULT_LANGUAGE="ar",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_HEADERS_ENABLED=False,
        TRUSTED_PROXIES=0,  # how many proxies in front set X-Forwarded-For/-Proto/-Host (wsgi.py)
        WTF_CSRF_TIME_LIMIT=None,  # a quiz may take longer than an hour; the session still guards it
    )
    env = os.environ
    if env.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = env["SECRET_KEY"]
    if env.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = env["DATABASE_URL"]
    names = ("QUESTIONS_DIR", "RATELIMIT_STORAGE_URI", "DEFAULT_LANGUAGE", "TRUSTED_PROXIES")
    for name in (*names, "LIVE_REDIS_URL", "LIVE_SSE"):
        if env.get(name):
            app.config[name] = env[name]
    if env.get("RATELIMIT_PER_PROCESS_OK") == "1":
        app.config["RATELIMIT_PER_PROCESS_OK"] = True
    if env.get("SESSION_COOKIE_SECURE") == "1":
        app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = True
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        # Good for one machine (`quizapp run`); a server farm needs one shared key: see require_secret_key.
        app.config["SECRET_KEY"] = _secret_key(instance)
        app.config["SECRET_KEY_FROM_INSTANCE_FILE"] = True
    app.config["SQLALCHEMY_DATABASE_URI"] = uri = database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        "json_serializer": json_text,
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
    }
    if ":memory:" not in uri and uri.rstrip("/") != "sqlite:":  # a pool of connections (QueuePool)
        # The pool hands out the connection given back last, a stack rather than a queue: a request
        # that reads on a connection of its own (quizapp.reads) and writes through the session gets
        # the same two each time, so each keeps its statements prepared (PostgreSQL prepares one
        # at its fifth run on a connection), and connections beyond the busiest moment's stay idle.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_use_lifo": True, **options}
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith(("sqlite", PSYCOPG)):
        # A database server may restart under a pooled connection: test each one as it is taken
        # (a round trip per request). A SQLite file cannot go away like that: no ping there. On
        # psycopg the engine looks at the connection's socket instead, with no round trip
        # (extensions._tune_psycopg).
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **options}


class MissingSecretKey(RuntimeError):
    """A production server was started without SECRET_KEY."""


def require_secret_key(app: Flask) -> None:
    """Refuse to serve in production with a key made on this machine only.

    Several app servers must share one key (a session signed by one is read by another), so the
    production entry (quizapp.wsgi) needs SECRET_KEY from the environment or instance/config.py.
    Debug and testing may use the instance file's key, as `quizapp run` does.

    :raise MissingSecretKey: with the message to show, when the key came from the instance file.
    """
    if app.config.get("SECRET_KEY_FROM_INSTANCE_FILE") and not (app.debug or app.testing):
        raise MissingSecretKey(
            "quizapp: SECRET_KEY is not set. A production server needs one key shared by every app "
            "server: export SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_hex(32))')\" "
            "(the same value on every machine), or set SECRET_KEY in instance/config.py."
        )


class PerProcessRateLimits(RuntimeError):
    """Several workers were to count rate limits each in its own memory."""


def require_shared_rate_limits(config: dict[str, Any], workers: int) -> None:
    """Refuse several app processes that would each count log-in tries alone.

    With `memory://` every worker keeps its own counts, so N workers let N times the limit through
    (43 of 60 wrong passwords a minute passed with 5 workers instead of 10). RATELIMIT_STORAGE_URI
    must name a store they share (redis://...), unless RATELIMIT_PER_PROCESS_OK=1 says it is meant.

    :raise PerProcessRateLimits: with the message to show.
    """
    if (
        workers > 1
        and config.get("RATELIMIT_ENABLED", True)
        and str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://")
        and not config.get("RATELIMIT_PER_PROCESS_OK")
    ):
        raise PerProcessRateLimits(
            f"quizapp: {workers} workers would each count log-in and sign-up tries alone "
            "(RATELIMIT_STORAGE_URI is memory://), letting through several times the limit. "
            "Share one store: export RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379 (the same for every "
            "server), or run one worker, or export RATELIMIT_PER_PROCESS_OK=1 to accept per-process counts."
        )
