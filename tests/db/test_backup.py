"""`quizapp db backup PATH`: a consistent copy of a live SQLite database, written atomically; for
PostgreSQL, the pg_dump command instead."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy import func, select

from quizapp.cli import main
from quizapp.extensions import db
from quizapp.models import User
from tests.conftest import make_test_app


def test_backup_copies_a_live_sqlite_database_atomically(tmp_path: Path) -> None:
    app = make_test_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.db'}"}, tmp_path)
    target = tmp_path / "backup.db"
    target.write_text("an older backup")
    stop = threading.Event()

    def write() -> None:  # the app keeps writing while the copy is made
        with app.app_context():
            n = 0
            while not stop.is_set():
                db.session.add(User(username=f"u{n}", display_name="U", password_hash="x"))
                db.session.commit()
                n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = app.test_cli_runner().invoke(main, args=["db", "backup", str(target)])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "backed up" in result.output
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        users = copy.execute("SELECT count(*) FROM user").fetchone()[0]
        assert copy.execute("SELECT count(*) FROM bank").fetchone()[0] == 1
    finally:
        copy.close()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) >= users
        db.engine.dispose()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_backup_refuses_postgresql_and_prints_pg_dump(tmp_path: Path) -> None:
    from quizapp import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "SQLALCHEMY_DATABASE_URI": "postgresql://u:secret@db.example/quiz",
        }
    )
    result = app.test_cli_runner().invoke(main, args=["db", "backup", str(tmp_path / "x.dump")])
    assert result.exit_code == 1
    assert "pg_dump --format=custom" in result.output and "postgresql://u@db.example/quiz" in result.output
    assert "secret" not in result.output
    assert not (tmp_path / "x.dump").exists()


def test_backup_refuses_a_missing_database(tmp_path: Path) -> None:
    from quizapp import create_app

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'none.db'}"}
    )
    result = app.test_cli_runner().invoke(main, args=["db", "backup", str(tmp_path / "b.db")])
    assert result.exit_code == 1 and "no database" in result.output
    assert not (tmp_path / "none.db").exists()
