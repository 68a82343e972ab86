"""`quizapp user create` with the password piped in, as a script making the first admin does: the
account is made from the first line, without a prompt and without getpass's warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSWORD


def test_a_piped_password_makes_the_account_without_a_warning(tmp_path: Path) -> None:
    quizapp = str(Path(sys.executable).parent / "quizapp")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "SECRET_KEY": "test"}
    env.pop("QUIZAPP_PASSWORD", None)

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [quizapp, *args],
            input=stdin,
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert run("db", "upgrade").returncode == 0
    made = run("user", "create", "boss", "--role", "admin", stdin=f"{PASSWORD}\n")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == "created admin boss"
    assert made.stderr == "", made.stderr  # no "GetPassWarning", no "Password:" prompt
    short = run("user", "create", "other", stdin="short\n")
    assert short.returncode != 0 and "at least 8" in short.stderr

    from sqlalchemy import create_engine, text

    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as conn:
        role, hashed = conn.execute(text("SELECT role, password_hash FROM user WHERE username='boss'")).one()
    engine.dispose()
    from werkzeug.security import check_password_hash

    assert role == "admin" and check_password_hash(hashed, PASSWORD)
