"""The benchmarks at a small size, as CI runs them: correctness only, no timing asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import _PG_PROBLEM, PG_URL

BENCH = Path(__file__).resolve().parent / "exam_rush.py"


def run_bench(script: str, *args: str) -> dict:
    """Run a benchmark of this folder; return its last line's JSON, with its whole output."""
    done = subprocess.run(
        [sys.executable, str(BENCH.parent / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return {"output": done.stdout, **json.loads(done.stdout.strip().splitlines()[-1])}


def rush(*args: str) -> dict:
    """Run exam_rush.py with 20 students, 5 at a time; return its last line's JSON."""
    summary = run_bench("exam_rush.py", "--students", "20", "--concurrency", "5", *args)
    assert set(summary) - {"output"} == {
        "students", "answers_sent", "answers_stored", "lost", "duplicated", "errors",
        "rps", "p50_ms", "p95_ms", "baseline_rps", "ratio", "cpu_ms", "baseline_cpu_ms", "cpu_ratio",
    }  # fmt: skip
    return summary


def check(summary: dict) -> None:
    assert (summary["lost"], summary["duplicated"], summary["errors"]) == (0, 0, 0), summary["output"]
    assert summary["answers_sent"] == summary["answers_stored"] == 20 * 10
    assert summary["rps"] > 0 and summary["baseline_rps"] > 0
    assert summary["cpu_ms"] > 0 and summary["baseline_cpu_ms"] > 0


def test_exam_rush_on_sqlite_loses_nothing() -> None:
    check(rush())


def test_exam_rush_survives_a_killed_worker() -> None:
    summary = rush("--kill-worker")
    assert "killed worker" in summary["output"]
    check(summary)


@pytest.mark.postgres
def test_exam_rush_on_postgresql_loses_nothing() -> None:
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    check(rush("--database-url", PG_URL))


PAGES = ("question", "answer", "results", "home_anonymous", "home_student", "bank", "report", "report_new")


def pages(*args: str) -> dict:
    """Run pages.py for one second a page; return its last line's JSON (and the output)."""
    summary = run_bench("pages.py", "--seconds", "1", "--students", "5", *args)
    done = summary["output"]
    assert summary["errors"] == 0, done
    assert set(summary["ratio_rps"]) == set(summary["ratio_cpu"]) == set(PAGES)
    assert all(summary["rps"][p] > 0 and summary["cpu_ms"][p] > 0 for p in ("bare", *PAGES)), done
    # Every post reached a question not answered yet (unless all were) and stored exactly one answer.
    posts = summary["posts"]
    assert posts["sent"] > 0 and (posts["retries"] == 0 or posts["distinct"] == posts["prepared"]), posts
    assert posts["distinct"] - 8 <= posts["stored"] <= posts["distinct"], posts
    return summary


def test_pages_on_sqlite_measures_every_page() -> None:
    assert pages()["database"] == "sqlite"


@pytest.mark.postgres
def test_pages_on_postgresql_measures_every_page() -> None:
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    assert pages("--database-url", PG_URL)["database"] == "postgresql"


def test_import_speed_reads_every_file_and_prints_its_figures() -> None:
    summary = run_bench("import_speed.py", "--repeat", "1")
    assert summary["megabyte_gift_questions"] > 1000 and summary["megabyte_xml_questions"] > 1000
    assert all(summary[k] >= 0 for k in ("hostile_gift_worst_ms", "hostile_xml_worst_ms"))


def test_generate_speed_prints_a_row_per_size_and_step() -> None:
    summary = run_bench("generate_speed.py", "--sizes", "20,500", "--repeat", "1")
    assert summary["sizes"] == [20, 500]
    rows = {(r["events"], r["what"]): r for r in summary["results"]}
    assert set(rows) == {(n, w) for n in (20, 500) for w in ("quiz", "preview", "print")}
    assert [rows[(500, w)]["questions"] for w in ("quiz", "preview", "print")] == [10, 20, 50]
    assert all(r["cold_ms"] >= 0 and r["warm_ms"] >= 0 and r["peak_mb"] >= 0 for r in rows.values())


def _no_redis() -> str | None:
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except redis.RedisError as err:
        return f"Redis not reachable at 127.0.0.1:6379: {err.__class__.__name__}"
    return None


@pytest.mark.parametrize("mode", [(), ("--poll",)], ids=["sse", "poll"])
def test_live_class_counts_every_answer(mode: tuple[str, ...]) -> None:
    problem = _no_redis()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs Redis for the live bench: {problem}")
        pytest.skip(problem)
    summary = run_bench("live_class.py", "--students", "12", "--questions", "3", *mode)
    assert set(summary) - {"output"} == {
        "students", "answers_sent", "answers_counted", "lost", "errors", "p95_ms", "p50_ms", "max_ms",
        "seconds", "mode",
    }  # fmt: skip
    assert (summary["lost"], summary["errors"]) == (0, 0), summary["output"]
    assert summary["answers_sent"] == summary["answers_counted"] == 12 * 3, summary["output"]
    assert summary["p95_ms"] > 0


@pytest.mark.postgres
def test_versus_compares_the_two_databases_page_by_page() -> None:
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    url = os.environ.get("DATABASE_URL") or PG_URL.replace("+psycopg", "")
    result = run_bench("versus.py", "--rounds", "1", "--seconds", "1", "--only", "question",
                       "--database-url", url)  # fmt: skip
    assert result["errors"] == 0, result["output"]
    assert set(result["rps"]["sqlite"]) == set(result["rps"]["postgresql"]) == {"bare", "question"}
    rps, cpu = result["rps"], result["cpu_ms"]
    page = "question"
    assert result["share_rps"][page] == round(rps["postgresql"][page] / rps["sqlite"][page], 3)
    assert result["share_cpu"][page] == round(cpu["sqlite"][page] / cpu["postgresql"][page], 3)
    # The app server's CPU is the whole server's without the database's: less, and more than nothing.
    assert 0 < result["app_cpu_ms"]["question"] < cpu["postgresql"]["question"], result["output"]
    assert "| question |" in result["output"]
