"""Fixtures shared by the web and database tests: an app on a fresh database (SQLite, and
PostgreSQL when the server is at hand), a client, account factories and CSRF-aware helpers."""

from __future__ import annotations

import functools
import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def _postgres_reachable() -> str | None:
    """None when PostgreSQL answers; otherwise why not."""
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as err:  # any failure to connect means: no server here
        return f"PostgreSQL not reachable at {PG_URL}: {err.__class__.__name__}"
    return None


_PG_PROBLEM = _postgres_reachable()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In CI the PostgreSQL tests must run: fail loudly instead of skipping."""
    if _PG_PROBLEM and os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI needs PostgreSQL: {_PG_PROBLEM}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict]:
    """Config for a fresh, empty database: a SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        yield {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}", "kind": "sqlite"}
        return
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    import psycopg

    schema = f"t_{secrets.token_hex(6)}"
    plain = PG_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield {
            "SQLALCHEMY_DATABASE_URI": PG_URL,
            # The app tests each pooled connection as it is taken (tests/db/test_pool.py).
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
            "kind": "postgres",
            "schema": schema,
        }
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def make_test_app(database: dict, tmp_path: Path, **extra: object):  # type: ignore[no-untyped-def]
    """An app on the given database, its tables made from the models, the first bank loaded."""
    from quizapp import create_app
    from quizapp.banks import import_folder
    from quizapp.extensions import db

    config = {k: v for k, v in database.items() if k.isupper()}
    config.update(
        TESTING=True,
        SECRET_KEY="test-secret",
        RATELIMIT_ENABLED=False,
        QUESTIONS_DIR=str(ROOT / "questions"),
    )
    config.update(extra)  # a test may override the defaults above (e.g. RATELIMIT_ENABLED)
    app = create_app(config)
    with app.app_context():
        db.create_all()
        import_folder(app.config["QUESTIONS_DIR"])
        db.session.commit()
    return app


@pytest.fixture
def app(database: dict, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The app on a fresh database, with the first bank loaded. CSRF stays on."""
    app = make_test_app(database, tmp_path)
    yield app
    from quizapp.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    """A browser-like client with its own cookies."""
    return app.test_client()


@pytest.fixture
def make_user(app) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    """A factory: make_user(username, role="student", active=True) -> User (committed)."""
    from quizapp.extensions import db
    from quizapp.models import User

    def make(
        username: str = "student1", role: str = "student", active: bool = True, locale: str | None = None
    ):
        with app.app_context():
            user = User(
                username=username, display_name=username.title(), role=role, active=active, locale=locale
            )
            user.password_hash = _password_hash()  # hashing is slow on purpose: do it once
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@functools.cache
def _password_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD)


def csrf_token(client, url: str = "/") -> str:  # type: ignore[no-untyped-def]
    """The CSRF token of the client's session, read from a page as a browser would."""
    html = client.get(url).get_data(as_text=True)
    m = _CSRF.search(html)
    assert m, f"no CSRF token on {url}"
    return m.group(1) or m.group(2)


def login(client, username: str, password: str = PASSWORD, lang: str | None = None):  # type: ignore[no-untyped-def]
    """Log in through the form, CSRF included."""
    headers = {"Accept-Language": lang} if lang else {}
    token = csrf_token(client, "/auth/login")
    return client.post(
        "/auth/login",
        data={"username": username, "password": password, "csrf_token": token},
        headers=headers,
    )


def run_elsewhere(app, script: str, *args: str) -> str:  # type: ignore[no-untyped-def]
    """Run `script` (Python) as another app server would: a process of its own on the same database
    and secret, its configuration the first argument (JSON) and `args` the rest; what it printed."""
    config = {
        k: v
        for k, v in app.config.items()
        if k in ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "SECRET_KEY", "QUESTIONS_DIR")
    }
    # The serializer of JSON columns is a function, which the other app sets itself (config.json_text).
    options = {k: v for k, v in config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).items() if k != "json_serializer"}
    config.update(TESTING=True, RATELIMIT_ENABLED=False, SQLALCHEMY_ENGINE_OPTIONS=options)
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(config), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
