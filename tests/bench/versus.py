"""PostgreSQL against SQLite, side by side: pages.py on each database in turn, several rounds, and
each page's median requests a second and CPU per request, with PostgreSQL's share of SQLite's.

Run: python tests/bench/versus.py [--rounds 3] [--seconds 3]
    [--database-url postgresql://postgres@127.0.0.1:5432/test] [--only PAGE ...]

On a shared machine one run's figures move by 10-30% from one minute to the next, and one database
run after the other compares two different minutes. Here the two take turns (SQLite first in odd
rounds, PostgreSQL first in even ones), and each figure is the median of its rounds. The last line
is JSON: each page's medians and PostgreSQL's share (its req/s over SQLite's, and SQLite's CPU-ms
over its own: 1.0 is as fast, the issue's target is 0.8), by the whole server's CPU (the database
server's included, as it shares this machine) and by the app server's alone (the workers', as when
the database has a machine of its own).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

import pages  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"


def medians(summaries: list[dict], figure: str) -> dict[str, float]:
    """Each page's median of one figure (rps or cpu_ms) over the rounds' summaries."""
    names = summaries[0][figure]
    return {name: statistics.median(s[figure][name] for s in summaries) for name in names}


def compare(sqlite: list[dict], postgres: list[dict]) -> dict:
    """Each page's medians on both databases and PostgreSQL's share of SQLite's."""
    rps = {"sqlite": medians(sqlite, "rps"), "postgresql": medians(postgres, "rps")}
    cpu = {"sqlite": medians(sqlite, "cpu_ms"), "postgresql": medians(postgres, "cpu_ms")}
    share_rps = {name: round(rps["postgresql"][name] / rps["sqlite"][name], 3) for name in rps["sqlite"]}
    share_cpu = {name: round(cpu["sqlite"][name] / cpu["postgresql"][name], 3) for name in cpu["sqlite"]}
    # The app server's own CPU on PostgreSQL (the workers', without the database's): what a request
    # costs the machine that serves it when the database has a machine of its own.
    database = medians(postgres, "db_cpu_ms") if postgres[0]["db_cpu_ms"] else {}
    app_cpu = {name: cpu["postgresql"][name] - database.get(name, 0.0) for name in cpu["postgresql"]}
    share_app = {name: round(cpu["sqlite"][name] / app_cpu[name], 3) for name in cpu["sqlite"]}
    errors = sum(s["errors"] for s in (*sqlite, *postgres))
    return {
        "rounds": len(sqlite), "rps": rps, "cpu_ms": cpu, "share_rps": share_rps, "share_cpu": share_cpu,
        "app_cpu_ms": {name: round(v, 3) for name, v in app_cpu.items()}, "share_app_cpu": share_app,
        "errors": errors,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=3, help="wrk's run per page")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="the PostgreSQL server")
    parser.add_argument("--only", nargs="*", help="the pages to run (default: all)")
    args = parser.parse_args(argv)
    only = ["--only", *args.only] if args.only else []
    common = ["--seconds", str(args.seconds), *only]
    runs: dict[str, list[dict]] = {"sqlite": [], "postgresql": []}
    for number in range(args.rounds):
        turns = [("sqlite", []), ("postgresql", ["--database-url", args.database_url])]
        for name, extra in turns if number % 2 == 0 else reversed(turns):
            print(f"== round {number + 1}: {name}", flush=True)
            runs[name].append(pages.main([*common, *extra]))
    result = compare(runs["sqlite"], runs["postgresql"])
    print(f"\nmedians of {args.rounds} rounds, {args.seconds} s a page")
    print(
        "| page | SQLite req/s | PostgreSQL req/s | share | SQLite CPU-ms | PostgreSQL CPU-ms | share "
        "| PostgreSQL app-server CPU-ms | share |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in result["rps"]["sqlite"]:
        rps, cpu, app = result["rps"], result["cpu_ms"], result["app_cpu_ms"]
        print(
            f"| {name} | {rps['sqlite'][name]:,.0f} | {rps['postgresql'][name]:,.0f} "
            f"| {result['share_rps'][name]:.2f} | {cpu['sqlite'][name]:.2f} | {cpu['postgresql'][name]:.2f} "
            f"| {result['share_cpu'][name]:.2f} | {app[name]:.2f} | {result['share_app_cpu'][name]:.2f} |"
        )
    if result["errors"]:
        print(f"errors: {result['errors']} (see each round's lines)")
    print(json.dumps(result), flush=True)
    return result


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        main()
