"""The pages of tests/bench/pages.py called in-process, without a server or a load generator: the
app's own CPU per request, steady enough to compare one change with the next on a busy machine, and
with --profile, where it goes.

Run: python tests/bench/profile_pages.py [PAGE ...] [-n 300] [--profile [--sort cumulative]]
    [--database-url postgresql://postgres@127.0.0.1:5432/test]

The data is pages.py's (a SQLite file in a temporary folder, or a database made on the PostgreSQL
server of --database-url and dropped afterwards; the first bank, 30 students who sat the reported
quiz); each request is the WSGI call of the app as production builds it
(quizapp.wsgi:app), with the session cookie of the user who sees the page. Each page is checked
(status), warmed up, then called n times; the figures are the process's CPU time per call, and
the whole machine's (the database server's work included, and whatever else runs meanwhile).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import sys
import time
from pathlib import Path

sys.path[:0] = [str(p) for p in (Path(__file__).resolve().parents[2], Path(__file__).resolve().parent)]

import pages  # noqa: E402
from _server import fresh_database  # noqa: E402


def environ(line: pages.Line) -> dict:
    """The WSGI environ of one of pages.py's requests, as wrk sends it from this machine."""
    from werkzeug.test import EnvironBuilder

    headers = {"User-Agent": pages.USER_AGENT}
    if line.cookie:
        headers["Cookie"] = line.cookie
    post = line.method == "POST"
    built = EnvironBuilder(
        path=line.path,
        method=line.method,
        headers=headers,
        data=line.body if post else None,
        content_type="application/x-www-form-urlencoded" if post else None,
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    ).get_environ()
    built["quizapp.bench_body"] = (line.body or "").encode()
    return built


def machine_cpu() -> float:
    """The seconds of CPU that every process on the machine has spent (all cores, /proc/stat): with
    PostgreSQL on this machine, its server's work for each request is counted too."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
    # user, nice, system, irq and softirq; not steal (fields[7]), the time the host ran others
    return (sum(fields[:7]) - idle) / os.sysconf("SC_CLK_TCK")


def call(app, env: dict) -> tuple[str, bytes]:  # type: ignore[no-untyped-def]
    """One request through the WSGI app: its status line and body."""
    env = dict(env, **{"wsgi.input": io.BytesIO(env["quizapp.bench_body"])})
    status: list[str] = []
    body = b"".join(app(env, lambda s, h, e=None: status.append(s)))
    return status[0], body


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="page names (default: all)")
    parser.add_argument("-n", type=int, default=300, help="calls a page")
    parser.add_argument("--profile", action="store_true", help="print cProfile's statistics too")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--database-url", help="a PostgreSQL server to make its database on (else SQLite)")
    args = parser.parse_args(argv)
    with fresh_database(args.database_url) as url:
        secret = secrets.token_hex(16)
        seed = pages.set_up(url, secret, 20 + 2 * args.n, 30)
        os.environ.update({"DATABASE_URL": url, "SECRET_KEY": secret, "FLASK_DEBUG": "0"})
        from quizapp.wsgi import app

        for page in seed.pages:
            if args.pages and page.name not in args.pages:
                continue
            lines = page.lines if page.name == "answer" else page.lines * (args.n // len(page.lines) + 1)
            envs = [environ(line) for line in lines[: 2 * args.n + 20]]
            warm, runs, profiled = envs[:20], envs[20 : 20 + args.n], envs[20 + args.n :]
            if page.name != "answer":
                runs, profiled = envs[: args.n], envs[: args.n]
            statuses = {call(app, env)[0] for env in warm}
            start, machine = time.process_time(), machine_cpu()
            for env in runs:
                call(app, env)
            calls = max(1, len(runs))
            spent = (time.process_time() - start) / calls * 1e3
            everything = (machine_cpu() - machine) / calls * 1e3
            print(
                f"{page.name}: {spent:.3f} CPU-ms a request in-process, {everything:.3f} on the whole "
                f"machine (the database server's too) ({len(runs)} calls; {statuses})"
            )
            if args.profile and profiled:
                profiler = cProfile.Profile()
                profiler.enable()
                for env in profiled:
                    call(app, env)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
                print(out.getvalue())


if __name__ == "__main__":
    main()
