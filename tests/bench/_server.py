"""What the benchmarks share: a fresh database, gunicorn serving the app or a bare Flask route, and
the CPU its workers spend (read from /proc, so the load generator's own CPU is never counted)."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(__file__).resolve().parent
_TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def baseline_app():  # type: ignore[no-untyped-def]
    """The baseline: a minimal Flask app with one route (gunicorn calls this factory)."""
    from flask import Flask

    app = Flask("baseline")

    @app.get("/")
    def hello() -> str:
        return "ok"

    return app


@contextlib.contextmanager
def fresh_database(url: str | None) -> Iterator[str]:
    """A URL to an empty database: a temporary SQLite file, or a new PostgreSQL database on the
    server of `url`, dropped afterwards."""
    if not url:
        with tempfile.TemporaryDirectory(prefix="bench_") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    from quizapp.config import database_url

    base = make_url(database_url(url))
    name = f"bench_{secrets.token_hex(4)}"
    admin = base._replace(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base._replace(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(target: str, env: dict[str, str], workers: int = 2) -> Iterator[tuple[str, subprocess.Popen]]:
    """gunicorn serving `target` with sync workers on 127.0.0.1, never recycled (max_requests 0);
    yields its URL and process once it answers."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "sync",
        "--timeout", "30", "--max-requests", "0", "--bind", f"127.0.0.1:{port}",
        "--pythonpath", f"{ROOT},{BENCH}", target,
    ]  # fmt: skip
    # A folder of its own: no gunicorn.conf.py picked up by accident.
    with tempfile.TemporaryFile() as log, tempfile.TemporaryDirectory() as cwd:
        proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    raise SystemExit(f"gunicorn {target} stopped:\n{log.read().decode(errors='replace')}")
                with contextlib.suppress(requests.RequestException):
                    if requests.get(base + "/", timeout=30).status_code < 500:
                        break
                if time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn {target} did not answer within 60 s")
                time.sleep(0.2)
            yield base, proc
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def worker_pids(master: int) -> list[int]:
    """The pids of a gunicorn master's workers (its children), from /proc."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:
                pids.append(int(stat.parent.name))
    return sorted(pids)


def cpu_ms(pids: list[int]) -> float:
    """User plus system CPU time the processes have spent so far, in milliseconds (/proc/PID/stat).

    :raise OSError: when one of them is gone (a worker died or was recycled).
    """
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    return total * _TICK_MS


class WorkerClock:
    """The CPU a gunicorn master's workers spend from now on, in milliseconds. A worker killed
    through `kill` keeps what it spent until then; a worker started since counts from its start."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.start = {pid: cpu_ms([pid]) for pid in worker_pids(master)}
        self.gone = 0.0

    def kill(self, pid: int, sig: int = signal.SIGKILL) -> None:
        """Kill a worker, keeping the CPU it spent."""
        with contextlib.suppress(OSError):
            self.gone += cpu_ms([pid]) - self.start.pop(pid, 0.0)
        os.kill(pid, sig)

    def spent(self) -> float:
        """CPU-ms spent by the workers since this clock started."""
        total = self.gone
        for pid in worker_pids(self.master):
            with contextlib.suppress(OSError):
                total += cpu_ms([pid]) - self.start.get(pid, 0.0)
        return total


def backend_clock(url: str) -> Callable[[], dict[int, float]]:
    """For PostgreSQL on this machine: the CPU-ms each backend serving the database has spent so far
    (its processes read in /proc like the workers); for SQLite, whose work is in the workers, nothing."""
    if not url.startswith("postgresql"):
        return dict
    import psycopg
    from sqlalchemy.engine import make_url

    plain = make_url(url)._replace(drivername="postgresql").render_as_string(hide_password=False)

    def read() -> dict[int, float]:
        with psycopg.connect(plain) as conn:
            pids = conn.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        spent = {}
        for (pid,) in pids:
            with contextlib.suppress(OSError):  # gone, or a server on another machine
                spent[pid] = cpu_ms([pid])
        return spent

    return read
