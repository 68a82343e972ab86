"""A class sitting an exam at once: every student logs in, starts the quiz, answers every question
and finishes, over real HTTP against gunicorn (2 sync workers), with cookies and CSRF.

Run: .venv/bin/python tests/bench/exam_rush.py --students 300 --concurrency 50 [--database-url URL]
     [--kill-worker]

Untimed setup: a fresh database (a SQLite file in a temporary folder, or a fresh database made on
the PostgreSQL server of --database-url and dropped afterwards), the first bank, a 10-question quiz
that allows one attempt, and the students' accounts (inserted directly, their password hashed once
with a fast method). Timed: the students, `--concurrency` at a time, each with its own
`requests` session and its own client address (X-Forwarded-For, read through TRUSTED_PROXIES=1,
so the log-in rate limit sees a class, not one machine). Baseline: a minimal Flask route served by
gunicorn with the same settings, loaded by the same client with the same number of requests.

With --kill-worker, one gunicorn worker is killed (SIGKILL) when a third of the students are done;
clients retry what failed (an answer is idempotent; a start that went through is found again on
"my results"), and the count afterwards shows whether anything committed was lost or doubled.

The last line printed is JSON: students, answers_sent (answers acknowledged by the server),
answers_stored (counted in the database afterwards), lost, duplicated (a second attempt of a student
or a second answer to a question), errors (requests that failed even after retries), rps, p50_ms,
p95_ms, baseline_rps, ratio (rps / baseline_rps), cpu_ms and baseline_cpu_ms (the gunicorn workers'
CPU per request, read from /proc from the moment the server answers, with the PostgreSQL backends'
on this machine) and cpu_ratio (baseline_cpu_ms
/ cpu_ms). The Python client saturates before the bare route does, so `ratio` flatters the app;
`cpu_ratio` does not depend on the client (tests/bench/pages.py measures each page under wrk).
Targets: nothing lost or duplicated, no error.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import secrets
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import requests

sys.path[:0] = [str(p) for p in (Path(__file__).resolve().parents[2], Path(__file__).resolve().parent)]

from _server import ROOT, WorkerClock, backend_clock, fresh_database, gunicorn, worker_pids  # noqa: E402

QUIZ_CODE = "RUSH01"
PASSWORD = "exam rush password"
QUESTIONS = 10
RETRIES = 8
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_CHOICE = re.compile(r'name="choice"[^>]*value="([0-9a-f]{12})"|value="([0-9a-f]{12})"[^>]*name="choice"')
_RANK = re.compile(r'name="rank_([0-9a-f]{12})"')
_STEP = re.compile(r"/attempt/[^/]+(?:/\d+)?")
_ATTEMPT = re.compile(r'href="/quiz/attempt/([^"/]+)"')


# --- setup (untimed) ---------------------------------------------------------------------------


def set_up(url: str, students: int) -> None:
    """Tables, the first bank, the quiz and the students' accounts."""
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from quizapp import create_app
    from quizapp.banks import import_folder
    from quizapp.extensions import db
    from quizapp.models import Quiz, User

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "setup", "QUESTIONS_DIR": str(ROOT / "questions")}
    )
    with app.app_context():
        db.create_all()
        import_folder(app.config["QUESTIONS_DIR"])
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        db.session.add(
            Quiz(
                bank_id=practice.bank_id,
                title_ar="امتحان",
                title_en="Exam",
                code=QUIZ_CODE,
                settings={"count": QUESTIONS, "feedback": "end", "attempts_allowed": 1},
            )
        )
        digest = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # once, and fast
        db.session.execute(
            insert(User),
            [
                {
                    "username": f"s{i:05d}",
                    "display_name": f"Student {i}",
                    "password_hash": digest,
                    "role": "student",
                }
                for i in range(students)
            ],
        )
        db.session.commit()
        db.engine.dispose()


# --- the client --------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw, shared by the threads."""

    latencies: list[float] = field(default_factory=list)
    by_step: dict[str, list[float]] = field(default_factory=dict)
    acked: set[tuple[str, int]] = field(default_factory=set)
    attempts: dict[int, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    retries: int = 0
    requests: int = 0
    done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Student:
    """One student's browser: a requests session with its own address, retrying what fails."""

    def __init__(self, base: str, index: int, tally: Tally) -> None:
        self.base, self.index, self.tally = base, index, tally
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"
        self.http.headers["Accept-Language"] = "ar" if index % 2 else "en"

    def call(self, method: str, path: str, ok: tuple[int, ...], **kw: object) -> requests.Response:
        """One request, retried on a dropped connection or a 5xx. :raise RuntimeError: if it never works."""
        last = ""
        for attempt in range(RETRIES):
            start = time.perf_counter()
            try:
                r = self.http.request(method, self.base + path, allow_redirects=False, timeout=60, **kw)
            except requests.RequestException as err:
                last = f"{method} {path}: {err.__class__.__name__}"
            else:
                elapsed = time.perf_counter() - start
                with self.tally.lock:
                    self.tally.requests += 1
                    self.tally.latencies.append(elapsed)
                    step = f"{method} {_STEP.sub('/attempt/ID', path)}"
                    self.tally.by_step.setdefault(step, []).append(elapsed)
                if r.status_code in ok:
                    return r
                last = f"{method} {path}: {r.status_code}"
                if r.status_code < 500:
                    break  # a refusal, not a failure: retrying will not help
            with self.tally.lock:
                self.tally.retries += 1
            time.sleep(0.05 * 2**attempt)
        raise RuntimeError(last)

    def csrf(self, path: str) -> tuple[str, str]:
        """A page and the CSRF token on it."""
        page = self.call("GET", path, (200,)).text
        m = _CSRF.search(page)
        if not m:
            raise RuntimeError(f"no CSRF token on {path}")
        return page, m.group(1)

    def sit(self) -> None:
        """Log in, start the quiz, answer every question, finish, see the score."""
        _, token = self.csrf("/auth/login")
        data = {"username": f"s{self.index:05d}", "password": PASSWORD, "csrf_token": token}
        self.call("POST", "/auth/login", (302,), data=data)
        _, token = self.csrf(f"/quiz/{QUIZ_CODE}")
        r = self.call("POST", f"/quiz/{QUIZ_CODE}/start", (302,), data={"csrf_token": token})
        m = re.match(r".*/quiz/attempt/([^/]+)/1$", r.headers["Location"])
        if m:
            public_id = m.group(1)
        else:  # a retried start that had gone through: one attempt allowed, so find it
            mine = self.call("GET", "/quiz/mine", (200,)).text
            found = _ATTEMPT.search(mine)
            if not found:
                raise RuntimeError(f"the start led to {r.headers['Location']} and no attempt exists")
            public_id = found.group(1)
        with self.tally.lock:
            self.tally.attempts[self.index] = public_id
        rng = random.Random(self.index)
        for number in range(1, QUESTIONS + 1):
            page, token = self.csrf(f"/quiz/attempt/{public_id}/{number}")
            answer = {"csrf_token": token}
            choices = [a or b for a, b in _CHOICE.findall(page)]
            if choices:
                answer["choice"] = rng.choice(choices)
            else:
                ranks = list(range(1, len(_RANK.findall(page)) + 1))
                rng.shuffle(ranks)
                answer.update({f"rank_{t}": str(n) for t, n in zip(_RANK.findall(page), ranks, strict=True)})
                if not ranks:
                    raise RuntimeError(f"question {number} has neither options nor items")
            self.call("POST", f"/quiz/attempt/{public_id}/{number}", (302,), data=answer)
            with self.tally.lock:
                self.tally.acked.add((public_id, number - 1))
        # Finish, confirmed (answers at the end may change until then; finishing twice is safe).
        data = {"csrf_token": token, "confirm": "yes"}
        self.call("POST", f"/quiz/attempt/{public_id}/finish", (302,), data=data)
        page = self.call("GET", f"/quiz/attempt/{public_id}/results", (200,)).text
        if "/quiz/attempt/" not in page and public_id not in page:
            raise RuntimeError("the results page does not show the attempt")

    def hammer(self, count: int) -> None:
        """The baseline's load: as many requests as a student makes, to the minimal route."""
        for _ in range(count):
            self.call("GET", "/", (200,))


def run_clients(
    base: str, students: int, concurrency: int, job: Callable[[Student], None], on_done: Callable[[int], None]
) -> tuple[Tally, float]:
    """Every student's job, `concurrency` at a time; returns the tally and the wall time."""
    tally = Tally()

    def one(index: int) -> None:
        try:
            job(Student(base, index, tally))
        except Exception as err:  # counted, and the run goes on
            with tally.lock:
                tally.errors.append(f"student {index}: {err}")
        with tally.lock:
            tally.done += 1
            done = tally.done
        on_done(done)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(students)))
    return tally, time.perf_counter() - start


def client_cpu_ms() -> float:
    """User plus system CPU time of this process (the client's threads included), in milliseconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return (usage.ru_utime + usage.ru_stime) * 1000


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def count_stored(url: str) -> tuple[set[tuple[str, int]], int, int]:
    """From the database: (attempt, position) of every answer, extra attempts and extra answers."""
    from sqlalchemy import create_engine, text

    from quizapp.config import database_url

    engine = create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT a.public_id, q.position FROM response r "
                    "JOIN attempt_question q ON q.id = r.question_id JOIN attempt a ON a.id = q.attempt_id"
                )
            ).all()
            extra = "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM {} GROUP BY {}) t"
            extra_attempts = conn.execute(text(extra.format("attempt", "user_id"))).scalar()
            extra_answers = conn.execute(text(extra.format("response", "question_id"))).scalar()
    finally:
        engine.dispose()
    return {(p, n) for p, n in rows}, int(extra_attempts), int(extra_answers) + len(rows) - len(set(rows))


def main(argv: list[str] | None = None) -> dict[str, float | int]:
    """Run the benchmark and print its figures; the last line is the JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument(
        "--database-url", help="PostgreSQL server to make a fresh database on (default: SQLite)"
    )
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL one worker a third of the way in")
    args = parser.parse_args(argv)

    with fresh_database(args.database_url) as url:
        t0 = time.perf_counter()
        set_up(url, args.students)
        took = time.perf_counter() - t0
        print(f"setup: {args.students} students and a {QUESTIONS}-question quiz in {took:.1f} s")
        env = {
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(32),
            "TRUSTED_PROXIES": "1",
            "FLASK_DEBUG": "0",
        }
        killed: list[int] = []
        with gunicorn("quizapp.wsgi:app", env) as (base, proc):
            # The workers' CPU from /proc, from the moment the server answers (start-up excluded).
            clock = WorkerClock(proc.pid)
            backends = backend_clock(url)  # PostgreSQL's part, on this machine (SQLite's is in the workers)
            db_before = backends()

            def maybe_kill(done: int) -> None:
                if args.kill_worker and not killed and done >= max(1, args.students // 3):
                    pids = worker_pids(proc.pid)
                    if pids:
                        clock.kill(pids[0])
                        killed.append(pids[0])
                        print(f"killed worker {pids[0]} after {done} students", flush=True)

            client_cpu = client_cpu_ms()
            tally, elapsed = run_clients(base, args.students, args.concurrency, lambda s: s.sit(), maybe_kill)
            client_cpu = client_cpu_ms() - client_cpu
            server_cpu = clock.spent()
            db_cpu = sum(spent - db_before.get(pid, 0.0) for pid, spent in backends().items())
            server_cpu += db_cpu
        stored, extra_attempts, extra_answers = count_stored(url)

    per_student = max(1, round(tally.requests / max(1, args.students)))
    with gunicorn("_server:baseline_app()", {}) as (base, proc):
        clock = WorkerClock(proc.pid)
        base_client_cpu = client_cpu_ms()
        base_tally, base_elapsed = run_clients(
            base, args.students, args.concurrency, lambda s: s.hammer(per_student), lambda _: None
        )
        base_client_cpu = client_cpu_ms() - base_client_cpu
        base_server_cpu = clock.spent()

    rps = tally.requests / elapsed if elapsed else 0.0
    baseline_rps = base_tally.requests / base_elapsed if base_elapsed else 0.0
    for error in (tally.errors + base_tally.errors)[:20]:
        print("error:", error)
    if args.kill_worker and not killed:
        print("error: no worker was killed")
    for step, times in sorted(tally.by_step.items()):
        print(
            f"  {step}: p50 {percentile(times, 50) * 1000:.0f} ms, p95 {percentile(times, 95) * 1000:.0f} ms"
        )
    cpu = server_cpu / max(1, tally.requests)
    base_cpu = base_server_cpu / max(1, base_tally.requests)
    restarted = " (with the new worker's start-up)" if killed else ""
    db_part = db_cpu / max(1, tally.requests)
    print(
        f"CPU-ms per request: app server {cpu:.2f}{restarted} (database {db_part:.2f}), "
        f"client {client_cpu / max(1, tally.requests):.2f}; baseline server {base_cpu:.2f}, "
        f"client {base_client_cpu / max(1, base_tally.requests):.2f}; "
        f"by server CPU the app runs at {base_cpu / cpu if cpu else 0:.3f}× bare Flask"
    )
    print(
        f"app: {tally.requests} requests in {elapsed:.1f} s, {tally.retries} retries; "
        f"baseline: {base_tally.requests} requests in {base_elapsed:.1f} s"
    )
    summary: dict[str, float | int] = {
        "students": args.students,
        "answers_sent": len(tally.acked),
        "answers_stored": len(stored),
        "lost": len(tally.acked - stored),
        "duplicated": extra_attempts + extra_answers,
        "errors": len(tally.errors) + len(base_tally.errors) + int(args.kill_worker and not killed),
        "rps": round(rps, 1),
        "p50_ms": round(percentile(tally.latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(tally.latencies, 95) * 1000, 1),
        "baseline_rps": round(baseline_rps, 1),
        "ratio": round(rps / baseline_rps, 3) if baseline_rps else 0.0,
        "cpu_ms": round(cpu, 3),
        "baseline_cpu_ms": round(base_cpu, 3),
        "cpu_ratio": round(base_cpu / cpu, 3) if cpu else 0.0,
    }
    print(json.dumps(summary), flush=True)
    return summary


if __name__ == "__main__":
    main()
