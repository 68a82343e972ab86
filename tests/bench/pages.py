"""The app's pages against a bare Flask route, under wrk: requests a second and the server's CPU per
request, so that neither the load generator nor the other work on the machine decides the figures.

Run: .venv/bin/python tests/bench/pages.py [--seconds 5] [--database-url postgresql://postgres@127.0.0.1:5432/test]

Untimed setup: a fresh database (a SQLite file in a temporary folder, or a database made on the
PostgreSQL server of --database-url and dropped afterwards), the first bank, a teacher with two
quizzes, students who finished one of them (the report's data), a student with a finished and an
open attempt (the pages a student sees), and open attempts to post answers to. Each student is
logged in through the app itself; wrk then sends their session cookie.

Served by gunicorn with 2 sync workers that are never recycled (max_requests 0), the app as
production runs it (quizapp.wsgi:app), and the baseline, a one-route Flask app, with the same
settings. Each page is checked once (status and content), warmed up (every worker has served it),
then loaded by wrk (2 threads, 8 connections) for --seconds. The server's CPU is the user plus system
time of the gunicorn workers read from /proc before and after each page's run: worker start-up
and the load generator are not in it.

Posting an answer: each request posts the answer form (with the session's CSRF token) to a
question not answered yet, in blocks of attempts so that concurrent posts hit different attempts and
every tenth one finishes its attempt. Afterwards the stored answers are counted: every distinct
question posted must have stored exactly one row (a post that ran out of new questions is a retry,
idempotent by design, and counted as such).

On PostgreSQL (on this machine) the server's CPU also counts the database backends serving the
bench's database, read the same way: SQLite does that work inside the workers.

The last line printed is JSON: the database, the seconds, per page its rps and cpu_ms (server
CPU-ms per request), db_cpu_ms (the PostgreSQL backends' part of it; empty on SQLite), ratio_rps
(page rps / bare rps) and ratio_cpu (bare CPU-ms / page CPU-ms, so 1.0 means as cheap as bare
Flask), the posts' check (prepared: new questions ready to post; sent;
distinct: questions posted to; stored: new answers; retries) and errors.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import requests

sys.path[:0] = [str(p) for p in (Path(__file__).resolve().parents[2], Path(__file__).resolve().parent)]

from _server import ROOT, backend_clock, cpu_ms, fresh_database, gunicorn, worker_pids  # noqa: E402

USER_AGENT = "quizapp-bench"  # the session protection binds a session to its address and agent
PASSWORD = "bench password"
QUESTIONS = 10
BLOCK = 16  # attempts answered side by side: more than the connections, so no two posts share one
POST_RATE = 1200  # more answers a second than two cores can store: the posts never run out
REPORT_NEW = 20_000  # distinct report URLs: more than wrk sends in a run, each one's figures worked out
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
_TOTAL = re.compile(r"(\d+) requests in ([\d.]+)(m?s)")
_BAD = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_SOCKET = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_DISTINCT = re.compile(r"^distinct: (\d+) laps: (\d+)$", re.M)

#: wrk's script: the requests of a file, one a line ("METHOD<TAB>PATH<TAB>COOKIE<TAB>BODY"), thread k
#: of n taking lines k, k + n, ... in turn; the main state prints how many distinct lines were sent.
LUA = r"""
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  local n, all = tonumber(args[2]), {}
  for line in io.lines(args[1]) do table.insert(all, line) end
  if #all < n then n, id = 1, 0 end  -- fewer lines than threads: each thread sends them all
  reqs, counter, laps = {}, 0, 0
  for i, line in ipairs(all) do
    if (i - 1) % n == id then
      local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = {["User-Agent"] = args[3]}
      if cookie ~= "" then headers["Cookie"] = cookie end
      if method == "POST" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      else
        body = nil
      end
      table.insert(reqs, wrk.format(method, path, headers, body))
    end
  end
end
function request()
  counter = counter + 1
  if counter > #reqs then counter, laps = 1, laps + 1 end
  return reqs[counter]
end
function done(summary, latency, requests)
  local distinct, laps = 0, 0
  for _, t in ipairs(threads) do
    local c, l, n = t:get("counter"), t:get("laps"), #t:get("reqs")
    distinct = distinct + (l > 0 and n or c)
    laps = laps + l
  end
  io.write(string.format("distinct: %d laps: %d\n", distinct, laps))
end
"""


@dataclass
class Line:
    """One request wrk sends."""

    method: str
    path: str
    cookie: str = ""
    body: str = ""


@dataclass
class Page:
    """A page to load: its requests (sent in turn) and what its first response must show."""

    name: str
    label: str
    lines: list[Line]
    expect: str = ""
    status: int = 200
    warm: list[Line] = field(default_factory=list)


@dataclass
class Seed:
    """What the setup made, for the pages."""

    pages: list[Page]
    post_quiz: int
    post_lines: int


# --- setup (untimed) ---------------------------------------------------------------------------


def set_up(url: str, secret: str, posts: int, students: int) -> Seed:
    """Tables, the first bank, a teacher, quizzes, attempts and answers; each account logged in."""
    from sqlalchemy import insert, select, text
    from werkzeug.security import generate_password_hash

    from quizapp import attempts as svc
    from quizapp import create_app
    from quizapp.banks import import_folder
    from quizapp.extensions import db
    from quizapp.models import Quiz, User

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": secret,  # the server's: the cookies made here are valid there
            "QUESTIONS_DIR": str(ROOT / "questions"),
            "RATELIMIT_ENABLED": False,
        }
    )
    rng = random.Random(16)
    # The same attempts in every run: each attempt's questions come from a seed the app draws with
    # secrets.token_hex, drawn here from rng, so that two runs (SQLite and PostgreSQL, this code and
    # the last) show the same questions, not another mix of kinds on the results page.
    same = mock.patch.object(svc.secrets, "token_hex", lambda nbytes=32: rng.randbytes(nbytes).hex())
    with app.app_context(), same:
        db.create_all()
        bank = import_folder(app.config["QUESTIONS_DIR"])[0]
        digest = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        names = ["teacher", "viewer"] + [f"s{i:04d}" for i in range(students)]
        posters = [f"p{i:04d}" for i in range(max(1, posts // (QUESTIONS * 25)) + 1)]
        db.session.execute(
            insert(User),
            [
                {"username": n, "display_name": n.title(), "password_hash": digest,
                 "role": "teacher" if n == "teacher" else "student"}
                for n in names + posters
            ],
        )  # fmt: skip
        ids = {name: id_ for name, id_ in db.session.execute(select(User.username, User.id))}
        settings = {"count": QUESTIONS, "feedback": "end"}
        report_quiz = Quiz(bank_id=bank.id, owner_id=ids["teacher"], title_ar="اختبار", title_en="Test",
                           code="BENCH1", settings=settings)  # fmt: skip
        db.session.add(report_quiz)
        db.session.commit()

        def sit(quiz: Quiz, user: str, answered: int = QUESTIONS):  # type: ignore[no-untyped-def]
            attempt = svc.start_attempt(quiz, "ar", user_id=ids[user])
            for q in attempt.questions[:answered]:
                snap = q.snapshot
                if snap["type"] == "mcq":
                    answer = rng.randrange(len(snap["options"]))
                else:
                    answer = rng.sample(range(len(snap["items"])), len(snap["items"]))
                svc.record_answer(attempt, q, answer)
            if answered == QUESTIONS:
                svc.finish_attempt(attempt)
            return attempt

        for name in names[2:]:
            sit(report_quiz, name)
        done = sit(report_quiz, "viewer").public_id
        open_ = sit(report_quiz, "viewer", answered=0).public_id
        # The posts: practice attempts (a student may have many open at once) in blocks, each block
        # answered question by question.
        practice = db.session.scalar(select(Quiz).where(Quiz.bank_id == bank.id, Quiz.practice.is_(True)))
        attempts = []
        for i in range(-(-posts // QUESTIONS)):
            attempt = svc.start_attempt(practice, "ar", user_id=ids[posters[i % len(posters)]])
            attempts.append((posters[i % len(posters)], attempt.public_id, _answer_bodies(attempt)))
        bank_title = bank.title_ar
        ids_of = {"report": report_quiz.id, "post": practice.id, "bank": bank.id}

    cookies = {name: _log_in(app, name) for name in ["teacher", "viewer", *posters]}
    post_lines = []
    for start in range(0, len(attempts), BLOCK):
        block = attempts[start : start + BLOCK]
        for n in range(QUESTIONS):
            for user, public_id, bodies in block:
                cookie, token = cookies[user]
                body = f"csrf_token={token}&{bodies[n]}"
                post_lines.append(Line("POST", f"/quiz/attempt/{public_id}/{n + 1}", cookie, body))
    warm_posts, post_lines = post_lines[: BLOCK * QUESTIONS], post_lines[BLOCK * QUESTIONS :]
    viewer, teacher = cookies["viewer"][0], cookies["teacher"][0]
    pages = [
        Page("question", "a student's question page", [
            Line("GET", f"/quiz/attempt/{open_}/{n}", viewer) for n in range(1, QUESTIONS + 1)
        ], expect='name="csrf_token"'),
        Page("answer", "posting an answer", post_lines, status=302, warm=warm_posts),
        Page("results", "the results page", [Line("GET", f"/quiz/attempt/{done}/results", viewer)],
             expect=done),
        Page("home_anonymous", "the home page, anonymous", [Line("GET", "/")], expect="/auth/login"),
        Page("home_student", "the home page, logged in", [Line("GET", "/", viewer)], expect="/auth/logout"),
        Page("bank", "a teacher's bank page", [Line("GET", f"/teacher/banks/{ids_of['bank']}", teacher)],
             expect=bank_title),
        Page("report", "a quiz report", [Line("GET", f"/reports/quiz/{ids_of['report']}", teacher)],
             expect="اختبار"),
        # The same report, its figures worked out at each request: a query string of its own each
        # time is a new key for the kept figures (what a new finished attempt costs the first view).
        Page("report_new", "a quiz report, worked out anew", [
            Line("GET", f"/reports/quiz/{ids_of['report']}?new={n}", teacher) for n in range(REPORT_NEW)
        ], expect="اختبار"),
    ]  # fmt: skip
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            # Statistics, as autovacuum keeps them on a live server: a freshly filled database
            # has none, and its plans would scan what an index finds.
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        db.engine.dispose()
    return Seed(pages, ids_of["post"], len(post_lines))


def _answer_bodies(attempt) -> list[str]:  # type: ignore[no-untyped-def]
    """The answer form's fields for each question of an attempt (the first option, the given order)."""
    from quizapp.attempts import option_token

    bodies = []
    for q in attempt.questions:
        snap = q.snapshot
        if snap["type"] == "mcq":
            bodies.append(f"choice={option_token(attempt, q.position, 0)}")
        else:
            tokens = [option_token(attempt, q.position, i) for i in range(len(snap["items"]))]
            bodies.append("&".join(f"rank_{t}={n}" for n, t in enumerate(tokens, 1)))
    return bodies


def _log_in(app, username: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A logged-in session's cookie header and its CSRF token, through the app's log-in form."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
    token = _token(client.get("/auth/login").get_data(as_text=True))
    r = client.post("/auth/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    if r.status_code != 302:
        raise SystemExit(f"{username} could not log in: {r.status_code}")
    token = _token(client.get("/").get_data(as_text=True))
    return f"session={client.get_cookie('session').value}", token


def _token(page: str) -> str:
    m = _CSRF.search(page)
    if not m:
        raise SystemExit("no CSRF token on the page")
    return m.group(1) or m.group(2)


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Result:
    """One page's figures."""

    name: str
    label: str
    requests: int = 0
    seconds: float = 0.0
    cpu_ms: float = 0.0
    db_cpu_ms: float = 0.0
    bad: int = 0
    distinct: int = 0
    laps: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def cpu_per_request(self) -> float:
        """The server's CPU per request: the workers', and the database server's on PostgreSQL."""
        return (self.cpu_ms + self.db_cpu_ms) / self.requests if self.requests else 0.0

    @property
    def db_per_request(self) -> float:
        return self.db_cpu_ms / self.requests if self.requests else 0.0


def send(base: str, line: Line) -> requests.Response:
    """One request as wrk sends it."""
    headers = {"User-Agent": USER_AGENT}
    if line.cookie:
        headers["Cookie"] = line.cookie
    if line.method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return requests.request(
        line.method,
        base + line.path,
        data=line.body or None,
        headers=headers,
        allow_redirects=False,
        timeout=30,
    )


@dataclass
class Load:
    """How wrk loads each page, and where its files go."""

    seconds: int
    threads: int
    connections: int
    folder: Path


def measure(
    base: str,
    pids: list[int],
    page: Page,
    load: Load,
    *,
    ready: Callable[[], None] = lambda: None,
    backends: Callable[[], dict[int, float]] = dict,
) -> Result:
    """Check the page once, warm it up on every worker, then load it with wrk and read the CPU."""
    result = Result(page.name, page.label)
    first = send(base, page.warm[0] if page.warm else page.lines[0])
    if first.status_code != page.status or page.expect not in first.text:
        result.errors.append(f"{page.name}: {first.status_code}, expected {page.status} with {page.expect!r}")
        return result
    for line in page.warm[1:] or page.lines[: 4 * len(pids)] * max(1, 4 * len(pids) // len(page.lines)):
        send(base, line)
    requests_file = load.folder / f"{page.name}.tsv"
    requests_file.write_text("".join(f"{x.method}\t{x.path}\t{x.cookie}\t{x.body}\n" for x in page.lines))
    script = load.folder / "lines.lua"
    script.write_text(LUA)
    ready()
    db_before = backends()
    before = cpu_ms(pids)
    done = subprocess.run(
        ["wrk", f"-t{load.threads}", f"-c{load.connections}", f"-d{load.seconds}s", "-s", str(script),
         base, "--", str(requests_file), str(load.threads), USER_AGENT],
        capture_output=True, text=True, timeout=load.seconds + 60, check=False,
    )  # fmt: skip
    result.cpu_ms = cpu_ms(pids) - before
    # Backends that started during the run count from zero; one that ended is not counted.
    result.db_cpu_ms = sum(spent - db_before.get(pid, 0.0) for pid, spent in backends().items())
    total = _TOTAL.search(done.stdout)
    if done.returncode != 0 or not total:
        result.errors.append(f"{page.name}: wrk failed: {done.stdout[-500:]} {done.stderr[-500:]}")
        return result
    result.requests = int(total.group(1))
    result.seconds = float(total.group(2)) / (1000 if total.group(3) == "ms" else 1)
    bad = _BAD.search(done.stdout)
    result.bad = int(bad.group(1)) if bad else 0
    sockets = _SOCKET.search(done.stdout)
    if result.bad or (sockets and any(int(x) for x in sockets.groups())):
        result.errors.append(
            f"{page.name}: {result.bad} responses not 2xx/3xx; {sockets and sockets.group(0)}"
        )
    distinct = _DISTINCT.search(done.stdout)
    if distinct:
        result.distinct, result.laps = int(distinct.group(1)), int(distinct.group(2))
    return result


def stored_answers(url: str, quiz_id: int) -> int:
    """How many answers the quiz's attempts hold."""
    from sqlalchemy import create_engine, text

    from quizapp.config import database_url

    engine = create_engine(database_url(url))
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT count(*) FROM response r JOIN attempt a ON a.id = r.attempt_id"
                        " WHERE a.quiz_id = :q"
                    ),
                    {"q": quiz_id},
                ).scalar()
                or 0
            )
    finally:
        engine.dispose()


def run(args: argparse.Namespace) -> tuple[list[Result], dict[str, int]]:
    """Set up, then measure the baseline, every page, and the baseline again (drift shows)."""
    secret = secrets.token_hex(32)
    results: list[Result] = []
    with fresh_database(args.database_url) as url, tempfile.TemporaryDirectory(prefix="pages_") as tmp:
        load = Load(max(1, round(args.seconds)), args.threads, args.connections, Path(tmp))
        t0 = time.perf_counter()
        seed = set_up(url, secret, POST_RATE * load.seconds + BLOCK * QUESTIONS, args.students)
        print(f"setup: {time.perf_counter() - t0:.1f} s, {seed.post_lines} answers ready to post", flush=True)
        env = {"DATABASE_URL": url, "SECRET_KEY": secret, "FLASK_DEBUG": "0"}
        bare = Page("bare", "bare Flask route", [Line("GET", "/")], expect="ok")
        before_posts: list[int] = []

        def count_posts() -> None:
            before_posts.append(stored_answers(url, seed.post_quiz))

        with gunicorn("_server:baseline_app()", {}) as (bare_base, bare_proc):
            bare_pids = worker_pids(bare_proc.pid)
            results.append(measure(bare_base, bare_pids, bare, load))
            with gunicorn("quizapp.wsgi:app", env) as (base, proc):
                pids = worker_pids(proc.pid)
                backends = backend_clock(url)
                for page in seed.pages:
                    if args.only and page.name not in args.only:
                        continue
                    ready = count_posts if page.name == "answer" else lambda: None
                    r = measure(base, pids, page, load, ready=ready, backends=backends)
                    results.append(r)
                    print(f"  {r.label}: {r.rps:.0f} req/s, {r.cpu_per_request:.2f} CPU-ms", flush=True)
                if worker_pids(proc.pid) != pids:
                    results[-1].errors.append("the app's workers changed during the run")
            results.append(measure(bare_base, bare_pids, bare, load))
            if worker_pids(bare_proc.pid) != bare_pids:
                results[-1].errors.append("the baseline's workers changed during the run")
        answer = next((r for r in results if r.name == "answer"), None)
        if answer is None or not before_posts:
            return results, {}
        stored = stored_answers(url, seed.post_quiz) - before_posts[0]
    # A post in flight when wrk stops may be stored without being counted: at most one per connection.
    if not answer.distinct - args.connections <= stored <= answer.distinct:
        answer.errors.append(f"answer: {answer.distinct} distinct questions posted, {stored} answers stored")
    retries = max(0, answer.requests - answer.distinct)
    return results, {
        "prepared": seed.post_lines,
        "sent": answer.requests,
        "distinct": answer.distinct,
        "stored": stored,
        "retries": retries,
    }


def summarize(results: list[Result], posts: dict[str, int], database: str, seconds: int) -> dict:
    """Print the table and return the JSON summary."""
    bares = [r for r in results if r.name == "bare"]
    bare_rps = sum(r.rps for r in bares) / len(bares)
    bare_cpu = sum(r.cpu_ms for r in bares) / max(1, sum(r.requests for r in bares))
    pages = [r for r in results if r.name != "bare"]
    ratio_rps = {r.name: round(r.rps / bare_rps, 3) if bare_rps else 0.0 for r in pages}
    ratio_cpu = {r.name: round(bare_cpu / r.cpu_per_request, 3) if r.cpu_per_request else 0.0 for r in pages}
    server = database == "postgresql"
    print(f"\n{database}, {seconds} s a page")
    print(
        "| page | req/s | server CPU-ms per request | of which the database | × bare (req/s) | × bare (CPU) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| bare Flask route | {bare_rps:,.0f} | {bare_cpu:.2f} | – | 1.00 | 1.00 |")
    for r in pages:
        db_cell = f"{r.db_per_request:.2f}" if server else "(in the workers)"
        ratios = f"{ratio_rps[r.name]:.2f} | {ratio_cpu[r.name]:.2f}"
        print(f"| {r.label} | {r.rps:,.0f} | {r.cpu_per_request:.2f} | {db_cell} | {ratios} |")
    if server and not any(r.db_cpu_ms for r in pages):
        print("the database server's CPU is not counted: it runs on another machine")
    print(f"bare Flask runs: {', '.join(f'{r.rps:,.0f} req/s' for r in bares)} (before and after the pages)")
    if posts:
        print(
            f"posting: {posts['sent']} posts, {posts['distinct']} distinct questions, "
            f"{posts['stored']} answers stored, {posts['retries']} retries of answered questions"
        )
    errors = [e for r in results for e in r.errors]
    for error in errors:
        print("error:", error)
    return {
        "database": database,
        "seconds": seconds,
        "rps": {"bare": round(bare_rps, 1), **{r.name: round(r.rps, 1) for r in pages}},
        "cpu_ms": {"bare": round(bare_cpu, 3), **{r.name: round(r.cpu_per_request, 3) for r in pages}},
        "db_cpu_ms": {r.name: round(r.db_per_request, 3) for r in pages} if server else {},
        "ratio_rps": ratio_rps,
        "ratio_cpu": ratio_cpu,
        "posts": posts,
        "errors": len(errors),
    }


def main(argv: list[str] | None = None) -> dict:
    """Run every page and the baseline, print the table; the last line is the JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=5, help="wrk's run per page (whole seconds, 1 or more)"
    )
    parser.add_argument("--database-url", help="a PostgreSQL server to make a fresh database on")
    parser.add_argument("--students", type=int, default=30, help="students who sat the reported quiz")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", nargs="*", help="the pages to run (default: all)")
    args = parser.parse_args(argv)
    results, posts = run(args)
    database = "postgresql" if args.database_url else "sqlite"
    summary = summarize(results, posts, database, max(1, round(args.seconds)))
    print(json.dumps(summary), flush=True)
    return summary


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
