"""SQLite is tuned on every connection: WAL, a busy timeout, synchronous=NORMAL, foreign keys,
helper threads for large sorts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from quizapp import create_app
from quizapp.extensions import SORTER_THREADS, db


def test_every_sqlite_connection_is_tuned(tmp_path: Path) -> None:
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}
    )
    with app.app_context():
        for _ in range(2):  # a fresh connection each time
            with db.engine.connect() as conn:
                assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
                assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
                assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
                assert conn.execute(text("PRAGMA threads")).scalar() == SORTER_THREADS
            db.engine.dispose()


def test_database_url_picks_postgresql_through_psycopg(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    app = create_app({"TESTING": True, "SECRET_KEY": "t"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://postgres@127.0.0.1:5432/test"
