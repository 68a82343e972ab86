"""How long a quiz's report and item analysis take on a million responses, against a hand-written
SQL aggregate of the same numbers.

Run: .venv/bin/python tests/bench/reports.py --responses 1000000 [--database-url URL]

Setup (untimed): a fresh database (SQLite in a temporary folder, or a new database on the
PostgreSQL server of --database-url, dropped afterwards) filled by bulk inserts: one quiz of 10
questions, responses/10 finished attempts by 1,000 students, one response per question.
Timed (best of --repeat runs each): quizapp.reports.queries.quiz_report and item_analysis as the
report page calls them, then the baseline: three plain SQL aggregates giving the same figures
(attempts, completion, mean score and histogram, mean time; per slot: count, facility, standard
deviation and the sums behind the discrimination index). The last line is JSON:
{"responses": .., "report_ms": .., "baseline_ms": .., "ratio": ..}. Target: a ratio of at most 1.5.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for folder in (ROOT, Path(__file__).resolve().parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from exam_rush import fresh_database  # noqa: E402

QUESTIONS = 10
STUDENTS = 1000
BATCH = 20_000

BASELINE_REPORT = """
SELECT count(*), count(finished_at), avg(100.0 * score / max_score)
FROM attempt WHERE quiz_id = :quiz AND user_id IS NOT NULL
"""
BASELINE_HISTOGRAM = """
SELECT CASE WHEN score >= max_score THEN 9 ELSE CAST(10 * score / max_score AS INTEGER) END AS bin, count(*)
FROM attempt WHERE quiz_id = :quiz AND user_id IS NOT NULL AND finished_at IS NOT NULL
GROUP BY bin
"""
BASELINE_ITEMS = """
SELECT q.position, count(*), avg(coalesce(r.score, 0.0)),
       sum(coalesce(r.score, 0.0) * coalesce(r.score, 0.0)),
       sum(coalesce(r.score, 0.0) * (a.score - coalesce(r.score, 0.0))),
       sum(a.score - coalesce(r.score, 0.0)),
       sum((a.score - coalesce(r.score, 0.0)) * (a.score - coalesce(r.score, 0.0)))
FROM attempt a JOIN attempt_question q ON q.attempt_id = a.id
LEFT JOIN response r ON r.question_id = q.id
WHERE a.quiz_id = :quiz AND a.user_id IS NOT NULL AND a.finished_at IS NOT NULL
GROUP BY q.position ORDER BY q.position
"""


def fill(url: str, responses: int) -> tuple[object, int]:
    """Tables, the first bank, a quiz and `responses` responses; returns the app and the quiz's id."""
    from sqlalchemy import insert, select

    from quizapp import create_app
    from quizapp.banks import import_folder
    from quizapp.extensions import db
    from quizapp.models import Attempt, AttemptQuestion, Quiz, Response, User

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "QUESTIONS_DIR": str(ROOT / "questions")}
    )
    rng = random.Random(1)
    with app.app_context():
        db.create_all()
        import_folder(app.config["QUESTIONS_DIR"])
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        teacher = User(username="teacher", display_name="T", role="teacher", password_hash="x")
        db.session.add(teacher)
        db.session.flush()
        quiz = Quiz(
            bank_id=practice.bank_id, owner_id=teacher.id, title_ar="ا", title_en="Bench", code="BENCH1",
            settings={"count": QUESTIONS},
        )  # fmt: skip
        db.session.add(quiz)
        db.session.flush()
        first_user = teacher.id + 1
        db.session.execute(
            insert(User),
            [
                {"id": first_user + i, "username": f"s{i}", "display_name": "S", "password_hash": "x"}
                for i in range(STUDENTS)
            ],
        )
        db.session.commit()
        quiz_id = quiz.id
        keys = [f"k{i}" for i in range(40)]
        start = dt.datetime(2026, 1, 1)
        attempts = responses // QUESTIONS
        for lo in range(0, attempts, BATCH // QUESTIONS):
            hi = min(attempts, lo + BATCH // QUESTIONS)
            a_rows, q_rows, r_rows = [], [], []
            for a in range(lo, hi):
                marks = [float(rng.random() < 0.3 + 0.05 * p) for p in range(QUESTIONS)]
                begun = start + dt.timedelta(minutes=a)
                a_rows.append({
                    "id": a + 1, "public_id": f"p{a}", "secret": "s", "quiz_id": quiz_id,
                    "user_id": first_user + a % STUDENTS, "lang": "ar" if a % 2 else "en", "seed": "1",
                    "settings": {}, "started_at": begun, "score": sum(marks), "max_score": float(QUESTIONS),
                    "finished_at": begun + dt.timedelta(seconds=60 + a % 600),
                })  # fmt: skip
                for p, mark in enumerate(marks):
                    qid = a * QUESTIONS + p + 1
                    q_rows.append({
                        "id": qid, "attempt_id": a + 1, "position": p, "kind": "event_date",
                        "key": rng.choice(keys), "snapshot": {"type": "mcq"},
                    })  # fmt: skip
                    r_rows.append(
                        {"id": qid, "question_id": qid, "attempt_id": a + 1, "answer": 0, "score": mark}
                    )
            db.session.execute(insert(Attempt), a_rows)
            db.session.execute(insert(AttemptQuestion), q_rows)
            db.session.execute(insert(Response), r_rows)
            db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("COMMIT")
                conn.exec_driver_sql("ANALYZE")
        else:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
    return app, quiz_id


def best_ms(run, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """The fastest of `repeat` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1000)
    return min(times)


def main(argv: list[str] | None = None) -> dict[str, float | int]:
    """Fill, time both ways, print the figures; the last line is the JSON summary."""
    from sqlalchemy import text

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument(
        "--database-url", help="PostgreSQL server to make a fresh database on (default: SQLite)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    with fresh_database(args.database_url) as url:
        t0 = time.perf_counter()
        app, quiz_id = fill(url, args.responses)
        print(f"setup: {args.responses} responses in {time.perf_counter() - t0:.1f} s", flush=True)
        from quizapp.extensions import db
        from quizapp.reports import queries

        with app.app_context():
            results = {}

            def app_way() -> None:
                results["report"] = queries.quiz_report(quiz_id)
                results["items"] = queries.item_analysis(quiz_id)

            def baseline() -> None:
                params = {"quiz": quiz_id}
                results["b_report"] = db.session.execute(text(BASELINE_REPORT), params).one()
                results["b_hist"] = db.session.execute(text(BASELINE_HISTOGRAM), params).all()
                results["b_items"] = db.session.execute(text(BASELINE_ITEMS), params).all()

            report_ms = best_ms(app_way, args.repeat)
            baseline_ms = best_ms(baseline, args.repeat)
            # The same numbers both ways: attempts, and each slot's facility.
            attempts, finished, _ = results["b_report"]
            assert results["report"]["attempts"] == attempts and results["report"]["finished"] == finished
            for slot, row in zip(results["items"]["slots"], results["b_items"], strict=True):
                facility = slot.get("facility")
                if facility is not None:
                    assert (
                        abs(facility - 100.0 * float(row[2])) < 1e-6 or abs(facility - float(row[2])) < 1e-6
                    )
            db.session.remove()
            db.engine.dispose()
    print(f"report and item analysis: {report_ms:.0f} ms; hand-written SQL: {baseline_ms:.0f} ms")
    summary: dict[str, float | int] = {
        "responses": args.responses,
        "report_ms": round(report_ms, 1),
        "baseline_ms": round(baseline_ms, 1),
        "ratio": round(report_ms / baseline_ms, 3) if baseline_ms else 0.0,
    }
    print(json.dumps(summary), flush=True)
    return summary


if __name__ == "__main__":
    main()
