"""The benchmarks at a small size, as CI runs them: correctness only, no timing asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import _PG_PROBLEM, PG_URL

BENCH = Path(__file__).resolve().parent / "exam_rush.py"


def rush(*args: str) -> dict:
    """Run exam_rush.py with 20 students, 5 at a time; return its last line's JSON."""
    done = subprocess.run(
        [sys.executable, str(BENCH), "--students", "20", "--concurrency", "5", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    summary = json.loads(lines[-1])
    assert set(summary) == {
        "students", "answers_sent", "answers_stored", "lost", "duplicated", "errors",
        "rps", "p50_ms", "p95_ms", "baseline_rps", "ratio",
    }  # fmt: skip
    return {"output": done.stdout, **summary}


def check(summary: dict) -> None:
    assert (summary["lost"], summary["duplicated"], summary["errors"]) == (0, 0, 0), summary["output"]
    assert summary["answers_sent"] == summary["answers_stored"] == 20 * 10
    assert summary["rps"] > 0 and summary["baseline_rps"] > 0


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


def test_import_speed_reads_every_file_and_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH.parent / "import_speed.py"), "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["megabyte_gift_questions"] > 1000 and summary["megabyte_xml_questions"] > 1000
    assert all(summary[k] >= 0 for k in ("hostile_gift_worst_ms", "hostile_xml_worst_ms"))
