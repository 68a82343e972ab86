"""A class playing a live quiz (issue 18): a teacher's projector and `--students` phones, over real
HTTP against gunicorn (gthread workers, so that the streams are held by threads) with Redis.

Run: .venv/bin/python tests/bench/live_class.py --students 200 [--questions 5] [--workers 2]
     [--threads 150] [--poll] [--database-url URL] [--redis-url URL]

Untimed setup: a fresh database (a SQLite file in a temporary folder, or a fresh database on the
PostgreSQL server of --database-url, dropped afterwards), the first bank, a teacher and their quiz of
`--questions` questions (dates, and orderings), made straight in the database.

Then, as a class would: the teacher logs in, opens a live session from the quiz's hub and keeps its
projector page's stream open (Server-Sent Events); every student (a thread with its own cookies and
client address) opens the PIN's page, joins with a nickname (live_s0001 ...), and listens to its
phone's stream (or, with --poll, polls state.json every second, as a phone does where no stream can
be held); at each question it reads its options, waits 0.2 to 2.5 s as a person would, and answers
(one of the options at random; an ordering as shown). The teacher moves to the next question once
the projector shows the results (everyone answered, or the time ran out), then to the podium.

The last line printed is JSON: students, answers_sent (answers the server acknowledged),
answers_counted (responses stored in the players' attempts afterwards), lost (acknowledged but not
stored), errors (requests that failed, answers refused included), p95_ms (the time from sending an
answer to the projector's stream showing a count that includes it; 95th percentile), with p50_ms,
max_ms, seconds (the whole game) and mode (sse or poll). Targets: 0 lost, 0 errors, p95 <= 500 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

sys.path[:0] = [str(p) for p in (Path(__file__).resolve().parents[2], Path(__file__).resolve().parent)]

from _server import BENCH, ROOT, free_port, fresh_database  # noqa: E402

PASSWORD = "live class password"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_PIN = re.compile(r'id="live-pin">(\d{6})<')


def set_up(url: str, questions: int) -> int:
    """Tables, the first bank, a teacher and their quiz; returns the quiz's id."""
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from quizapp import create_app
    from quizapp.banks import import_folder
    from quizapp.extensions import db
    from quizapp.models import Bank, Quiz, User

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "setup", "QUESTIONS_DIR": str(ROOT / "questions")}
    )
    with app.app_context():
        db.create_all()
        import_folder(app.config["QUESTIONS_DIR"])
        teacher = User(username="live_bench_teacher", display_name="Teacher", role="teacher", locale="en")
        teacher.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        db.session.add(teacher)
        db.session.flush()
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        quiz = Quiz(bank_id=bank.id, owner_id=teacher.id, title_ar="الصف مباشرة", title_en="Live class",
                    code="LIVE42", settings={"count": questions, "kinds": ["event-date", "ordering"],
                                             "feedback": "immediate"})  # fmt: skip
        db.session.add(quiz)
        db.session.commit()
        quiz_id = quiz.id
        db.session.remove()
        db.engine.dispose()
    return quiz_id


def count_responses(url: str, sid: str) -> tuple[int, int, int]:
    """(responses stored in the session's attempts, its attempts, those finished)."""
    from sqlalchemy import select

    from quizapp import create_app
    from quizapp.extensions import db
    from quizapp.models import Attempt, Response

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "count"})
    with app.app_context():
        attempts = [a for a in db.session.scalars(select(Attempt)) if a.settings.get("live") == sid]
        ids = [a.id for a in attempts]
        stored = db.session.scalar(select(db.func.count(Response.id)).where(Response.attempt_id.in_(ids)))
        finished = sum(1 for a in attempts if a.finished)
        db.session.remove()
        db.engine.dispose()
    return int(stored or 0), len(attempts), finished


@contextlib.contextmanager
def gunicorn_gthread(env: dict[str, str], workers: int, threads: int) -> Iterator[str]:
    """gunicorn serving quizapp.wsgi:app with gthread workers on 127.0.0.1; yields its URL."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers), "--worker-class", "gthread",
        "--threads", str(threads), "--timeout", "120", "--graceful-timeout", "5", "--max-requests", "0",
        "--bind", f"127.0.0.1:{port}", "--pythonpath", f"{ROOT},{BENCH}", "quizapp.wsgi:app",
    ]  # fmt: skip
    with tempfile.TemporaryFile() as log, tempfile.TemporaryDirectory() as cwd:
        proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=log)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    log.seek(0)
                    raise SystemExit(f"gunicorn stopped:\n{log.read().decode(errors='replace')}")
                with contextlib.suppress(requests.RequestException):
                    if requests.get(base + "/live/", timeout=30).status_code < 500:
                        break
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not answer within 60 s")
                time.sleep(0.2)
            yield base
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.seek(0)
            tail = log.read().decode(errors="replace")
            if "Traceback" in tail:
                print("server errors:\n" + tail[-4000:], file=sys.stderr)


def sse(http: requests.Session, url: str, stop: threading.Event) -> Iterator[dict]:
    """The events of a stream, reconnecting when it ends (as EventSource does), until `stop`."""
    while not stop.is_set():
        try:
            with http.get(url, stream=True, timeout=(10, 30)) as r:
                if r.status_code != 200:
                    raise SystemExit(f"{url}: the stream answered {r.status_code}")
                for line in r.iter_lines(decode_unicode=True):
                    if stop.is_set():
                        return
                    if line and line.startswith("data: "):
                        yield json.loads(line[len("data: ") :])
        except requests.RequestException:
            time.sleep(0.5)


class Game:
    """What the run shares between the projector, the teacher and the students."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: list[tuple[float, dict]] = []  # the projector's events, with when they came
        self.sent: list[tuple[int, int, float]] = []  # (question, nth answer, when sent)
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.changed = threading.Condition(self.lock)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)

    def wait_for(self, test, timeout: float) -> dict | None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + timeout
        with self.changed:
            while True:
                for _t, ev in reversed(self.seen[-5:]):
                    if test(ev):
                        return ev
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.changed.wait(left)


def projector(base: str, cookies: dict, sid: str, out: multiprocessing.Queue) -> None:
    """The projector page's stream, in a process of its own: the time each event arrives is not
    held up by the students' threads (one interpreter lock for all of them)."""
    http = requests.Session()
    http.cookies.update(cookies)
    for ev in sse(http, f"{base}/live/host/{sid}/stream", threading.Event()):
        out.put((time.time(), ev))


def collect(events: multiprocessing.Queue, game: Game) -> None:
    while True:
        item = events.get()
        if item is None:
            return
        with game.changed:
            game.seen.append(item)
            game.changed.notify_all()


def student(base: str, pin: str, index: int, game: Game, *, poll: bool, joined: threading.Barrier) -> None:
    http = requests.Session()
    # As a browser does: a request on a kept-alive connection the server has just closed is sent
    # again (an answer may be: the server takes it once).
    retry = Retry(total=3, connect=3, read=3, other=3, status=0, allowed_methods=None, backoff_factor=0.1)
    http.mount("http://", HTTPAdapter(max_retries=retry))
    http.headers["X-Forwarded-For"] = f"10.9.{index // 256 % 256}.{index % 256}"
    rng = random.Random(index)
    try:
        page = http.get(f"{base}/live/join/{pin}", timeout=30)
        token = _CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        r = http.post(f"{base}/live/join/{pin}", data={"nickname": f"live_s{index:04d}", "csrf_token": token},
                      allow_redirects=False, timeout=60)  # fmt: skip
        if r.status_code != 302:
            raise RuntimeError(f"join: {r.status_code}")
        sid = r.headers["Location"].rsplit("/", 1)[1]
    except Exception as err:  # a failure is counted, the run goes on
        game.error(f"student {index} join: {err}")
        joined.wait()
        return
    joined.wait()
    answered: set[int] = set()

    def on_change() -> bool:
        st = http.get(
            f"{base}/live/play/{sid}/state.json", headers={"Accept": "application/json"}, timeout=30
        )
        state = st.json()
        if state["phase"] == "ended":
            return False
        if state["phase"] == "question" and not state["answered"] and state["index"] not in answered:
            answered.add(state["index"])
            time.sleep(rng.uniform(0.2, 2.5))
            data = {"csrf_token": state["csrf"], "index": state["index"]}
            if state["type"] == "mcq":
                data["choice"] = rng.choice(state["options"])["token"]
            else:
                for n, it in enumerate(state["items"]):
                    data[f"rank_{it['token']}"] = n + 1
            t0 = time.time()
            r = http.post(f"{base}/live/play/{sid}/answer", data=data, headers={"Accept": "application/json"},
                          timeout=30)  # fmt: skip
            if r.status_code != 200:
                game.error(f"student {index} answer {state['index']}: {r.status_code} {r.text[:80]}")
            else:
                with game.lock:
                    game.sent.append((state["index"], r.json()["n"], t0))
        return True

    def safe_change() -> bool:
        try:
            return on_change()
        except Exception as err:  # counted; the phone goes on, as its script would
            game.error(f"student {index}: {err}")
            return True

    if poll:
        while not game.stop.is_set() and safe_change():
            time.sleep(1.0)
    else:
        version = None
        for ev in sse(http, f"{base}/live/play/{sid}/stream", game.stop):
            if ev["v"] != version:
                version = ev["v"]
                if not safe_change():
                    return


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="per worker (default: students + 40)")
    parser.add_argument("--poll", action="store_true", help="phones poll state.json instead of streaming")
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url", default=os.environ.get("LIVE_REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args(argv)
    # A stream holds a thread, and gunicorn does not spread connections evenly over its workers: each
    # worker gets threads for every stream of the class, and some more for the other requests.
    threads = args.threads or args.students + 40

    with fresh_database(args.database_url) as url:
        quiz_id = set_up(url, args.questions)
        env = {"DATABASE_URL": url, "SECRET_KEY": "bench-" + os.urandom(8).hex(), "TRUSTED_PROXIES": "1",
               "LIVE_REDIS_URL": args.redis_url, "RATELIMIT_STORAGE_URI": args.redis_url,
               "FLASK_DEBUG": "0"}  # fmt: skip
        with gunicorn_gthread(env, args.workers, threads) as base:
            teacher = requests.Session()
            page = teacher.get(f"{base}/auth/login", timeout=30)
            teacher.post(f"{base}/auth/login", timeout=30, data={
                "username": "live_bench_teacher", "password": PASSWORD,
                "csrf_token": _CSRF.search(page.text).group(1)})  # type: ignore[union-attr]  # fmt: skip
            hub = teacher.get(f"{base}/teacher/quizzes/{quiz_id}", timeout=30)
            r = teacher.post(f"{base}/live/new/{quiz_id}", allow_redirects=False, timeout=30,
                             data={"csrf_token": _CSRF.search(hub.text).group(1)})  # type: ignore[union-attr]  # fmt: skip
            sid = r.headers["Location"].rsplit("/", 1)[1]
            host = teacher.get(f"{base}/live/host/{sid}", timeout=30).text
            pin = _PIN.search(host).group(1)  # type: ignore[union-attr]
            csrf = _CSRF.search(host).group(1)  # type: ignore[union-attr]
            game = Game()
            events: multiprocessing.Queue = multiprocessing.get_context("fork").Queue()
            watcher = multiprocessing.get_context("fork").Process(
                target=projector, args=(base, teacher.cookies.get_dict(), sid, events), daemon=True
            )
            watcher.start()  # before any thread of this process: a clean fork
            threading.Thread(target=collect, args=(events, game), daemon=True).start()
            joined = threading.Barrier(args.students + 1)
            t_start = time.perf_counter()
            phones = [
                threading.Thread(
                    target=student,
                    args=(base, pin, i, game),
                    kwargs={"poll": args.poll, "joined": joined},
                    daemon=True,
                )
                for i in range(args.students)
            ]
            for t in phones:
                t.start()
            joined.wait()
            ok = game.wait_for(lambda ev: ev.get("players", 0) >= args.students - len(game.errors), 120)
            print(f"joined: {ok and ok['players']} players in {time.perf_counter() - t_start:.1f} s")

            def act(action: str, index: int) -> None:
                data = {"csrf_token": csrf, "index": index}
                r = teacher.post(
                    f"{base}/live/host/{sid}/{action}", data=data, allow_redirects=False, timeout=30
                )
                if r.status_code != 302:
                    game.error(f"teacher {action}: {r.status_code}")

            t_game = time.perf_counter()
            act("next", -1)
            for index in range(args.questions):
                shown = game.wait_for(lambda ev, i=index: ev["phase"] == "reveal" and ev["index"] == i, 120)
                if shown is None:
                    game.error(f"question {index}: no results within 120 s")
                    break
                print(f"question {index + 1}: {shown['answered']} answers of {shown['players']}")
                time.sleep(0.5)
                act("next", index)
            game.wait_for(lambda ev: ev["phase"] == "ended", 60)
            seconds = time.perf_counter() - t_game
            for t in phones:
                t.join(timeout=30)
            game.stop.set()
            watcher.terminate()
            events.put(None)

            # When the projector first showed a count including each answer.
            latencies = []
            for index, n, t0 in game.sent:
                shown = (t for t, ev in game.seen if ev.get("index") == index and ev.get("answered", 0) >= n)
                when = next((t for t in shown if t >= t0), None)
                if when is None:
                    game.error(f"answer {n} to question {index} never shown")
                else:
                    latencies.append(1000 * (when - t0))
        stored, attempts, finished = count_responses(url, sid)
    sent = len(game.sent)
    for line in game.errors[:20]:
        print("error:", line)
    print(f"attempts: {attempts} ({finished} finished); responses stored: {stored}")
    summary = {
        "students": args.students,
        "answers_sent": sent,
        "answers_counted": stored,
        "lost": max(0, sent - stored),
        "errors": len(game.errors),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p50_ms": round(percentile(latencies, 50), 1),
        "max_ms": round(max(latencies, default=0.0), 1),
        "seconds": round(seconds, 1),
        "mode": "poll" if args.poll else "sse",
    }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
