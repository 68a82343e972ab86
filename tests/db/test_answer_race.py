"""A new answer is stored in one statement (quizapp.attempts._store_new): the races it must win, with
real threads and connections, the locks taken in a chosen order. A finish holding the attempt's
lock makes the INSERT wait and store nothing; an INSERT holding its share lock makes the finish wait
and count it (PostgreSQL, READ COMMITTED). And what a post sends: no transaction of its own."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import func, insert, select, text

from quizapp import attempts as svc
from quizapp.extensions import db
from quizapp.models import Attempt, Quiz, Response, utcnow
from quizapp.quiz import rows
from tests.conftest import csrf_token, login
from tests.db.test_concurrency import at_once
from tests.web.test_quiz_flow import answer_form, start_practice


def _right(q) -> object:  # type: ignore[no-untyped-def]
    snap = q.snapshot
    return snap["answer"] if snap["type"] == "mcq" else list(snap["answer"])


def _open_attempt(app, make_user) -> str:  # type: ignore[no-untyped-def]
    """A student's practice attempt (feedback at once), nothing answered; its public id."""
    user = make_user("racer")
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        return svc.start_attempt(quiz, "en", user_id=user.id).public_id


def _answer_in_thread(app, public_id: str, number: int) -> tuple[threading.Thread, list[object]]:  # type: ignore[no-untyped-def]
    """record_answer of the right answer to question `number`, as a post does (the attempt pages'
    rows, its own app context and connections), started in a thread; its outcome is appended."""
    outcome: list[object] = []

    def run() -> None:
        with app.app_context():
            attempt, q, _ = rows.question_row(public_id, number)
            try:
                svc.record_answer(attempt, q, _right(q))
                outcome.append("stored")
            except svc.AttemptClosed:
                outcome.append("closed")
            except BaseException as err:  # reported by the test
                outcome.append(err)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _until(condition: Callable[[], object], timeout: float = 10.0) -> object:
    """Poll the condition until it holds (its value), or fail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail("the expected wait never came")


def _watching(engine):  # type: ignore[no-untyped-def]
    """A connection to watch the others' locks in autocommit (pg_stat_activity, read in a
    transaction, stays as it was at its first reading)."""
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def _scored(app, public_id: str) -> tuple[Attempt, list[float]]:  # type: ignore[no-untyped-def]
    """The attempt and its stored answers' scores."""
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == public_id))
        scores = list(db.session.scalars(select(Response.score).where(Response.attempt_id == attempt.id)))
        db.session.expunge(attempt)
        return attempt, scores


def test_a_finish_holding_the_lock_makes_the_answer_wait_and_store_nothing(app, make_user, database) -> None:
    public_id = _open_attempt(app, make_user)
    with app.app_context():
        attempt_id = db.session.scalar(select(Attempt.id).where(Attempt.public_id == public_id))
        svc._close(attempt_id)  # the finish's UPDATE and SUM, not committed: it holds the lock
        postgres = database["kind"] == "postgres"
        holder = db.session.scalar(text("SELECT pg_backend_pid()")) if postgres else None
        thread, outcome = _answer_in_thread(app, public_id, 1)
        if holder is None:  # SQLite: the INSERT waits for the write lock (the busy timeout)
            time.sleep(0.5)
        else:  # PostgreSQL: the INSERT waits for the finish's row lock
            with _watching(db.engine) as watch:
                blocked = text("SELECT count(*) FROM pg_stat_activity WHERE :p = ANY(pg_blocking_pids(pid))")
                _until(lambda: watch.execute(blocked, {"p": holder}).scalar())
        assert thread.is_alive() and outcome == []
        db.session.commit()
    thread.join(30)
    assert outcome == ["closed"]
    attempt, scores = _scored(app, public_id)
    assert attempt.finished and scores == [] and attempt.score == 0.0


def test_an_answer_holding_its_share_lock_makes_the_finish_wait_and_count_it(
    app, make_user, database
) -> None:  # noqa: E501
    """The INSERT holds the attempt FOR SHARE while it waits on the question's unique index (another
    transaction's uncommitted row, then rolled back); the finish's UPDATE waits for the INSERT's
    commit, and its SUM, a later statement, counts the answer."""
    if database["kind"] != "postgres":
        pytest.skip("the share lock is PostgreSQL's; SQLite's write lock serialises (test above)")
    public_id = _open_attempt(app, make_user)
    with app.app_context():
        attempt, q, _ = rows.question_row(public_id, 1)
        engine = db.engine
    with engine.connect() as blocker, _watching(engine) as watch:
        row = {"question_id": q.id, "attempt_id": attempt.id, "answer": 0, "score": 0.0}
        blocker.execute(insert(Response), {**row, "answered_at": utcnow()})
        xid = blocker.execute(text("SELECT pg_current_xact_id()::text")).scalar()
        answering, answered = _answer_in_thread(app, public_id, 1)
        waiter = text(
            "SELECT pid FROM pg_locks WHERE locktype = 'transactionid' AND transactionid::text = :x"
            " AND NOT granted"
        )
        answer_pid = _until(lambda: watch.execute(waiter, {"x": xid}).scalar())  # on the unique index
        finished: list[object] = []

        def finish() -> None:
            with app.app_context():
                finished.append(svc.finish_attempt(rows.attempt_row(public_id)[0]).score)

        finishing = threading.Thread(target=finish)
        finishing.start()
        blocked = text("SELECT count(*) FROM pg_stat_activity WHERE :p = ANY(pg_blocking_pids(pid))")
        _until(lambda: watch.execute(blocked, {"p": answer_pid}).scalar())  # the finish waits for the INSERT
        assert answered == [] and finished == []
        blocker.rollback()
    answering.join(30)
    finishing.join(30)
    assert answered == ["stored"]
    attempt, scores = _scored(app, public_id)
    assert attempt.finished and scores == [1.0] and finished == [1.0] == [attempt.score]


def test_an_answer_racing_a_finish_is_stored_and_counted_or_refused(app, make_user, database) -> None:
    """Many rounds of one answer and one finish let go together: the score is always what is stored."""
    if database["kind"] != "postgres":
        pytest.skip("on SQLite tests/db/test_concurrency.py races the same")
    user = make_user("racer")
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        ids = [svc.start_attempt(quiz, "en", user_id=user.id).public_id for _ in range(12)]
    seen: set[object] = set()
    for public_id in ids:
        outcome: list[object] = []

        def answer(public_id: str = public_id, outcome: list[object] = outcome) -> None:
            with app.app_context():
                attempt, q, _ = rows.question_row(public_id, 1)
                try:
                    svc.record_answer(attempt, q, _right(q))
                    outcome.append("stored")
                except svc.AttemptClosed:
                    outcome.append("closed")

        def finish(public_id: str = public_id) -> None:
            with app.app_context():
                svc.finish_attempt(rows.attempt_row(public_id)[0])

        at_once(answer, finish)
        attempt, scores = _scored(app, public_id)
        assert attempt.finished and attempt.score == sum(scores)
        assert scores == ([1.0] if outcome == ["stored"] else []), outcome
        seen.add(outcome[0])
    assert seen  # which won is chance: either is right


def test_the_next_unanswered_question_comes_round_from_the_start(app, make_user) -> None:
    public_id = _open_attempt(app, make_user)
    with app.app_context():
        attempt, q, _ = rows.question_row(public_id, 1)
        for number in (1, 2, 5, 6, 7, 8, 9, 10):
            attempt, q, _ = rows.question_row(public_id, number)
            svc.record_answer(attempt, q, _right(q))
        positions = {after: rows.next_unanswered(attempt.id, after) for after in (0, 3, 4, 9)}
        assert positions == {0: 2, 3: 3, 4: 2, 9: 2}  # positions 2 and 3 (numbers 3 and 4) are open
        for number in (3, 4):
            attempt, q, _ = rows.question_row(public_id, number)
            svc.record_answer(attempt, q, _right(q))
        assert rows.next_unanswered(attempt.id, 4) is None


def test_a_second_answer_to_a_stored_question_keeps_or_replaces_it_in_one_row(app, make_user) -> None:
    """The one statement stores nothing then: the locked path keeps the first answer (feedback at
    once) or replaces it (at the end), in the same row."""
    from tests.web.test_exam import make_quiz

    user = make_user("student")
    make_quiz(app, "LATER1", feedback="end")
    with app.app_context():
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        later = db.session.scalar(select(Quiz).where(Quiz.code == "LATER1"))
        ids = [svc.start_attempt(quiz, "en", user_id=user.id).public_id for quiz in (practice, later)]
        for public_id, kept in zip(ids, ("first", "second"), strict=True):
            attempt, q, _ = rows.question_row(public_id, 1)
            right = _right(q)
            wrong = (right + 1) % len(q.snapshot["options"]) if q.snapshot["type"] == "mcq" else right[::-1]
            svc.record_answer(attempt, q, wrong)
            svc.record_answer(attempt, q, right)
            answers = list(db.session.scalars(select(Response.answer).where(Response.question_id == q.id)))
            assert answers == [wrong if kept == "first" else right]


def test_a_new_answer_is_posted_without_a_transaction_of_its_own(app, client, make_user, database) -> None:
    """On PostgreSQL a post of a new answer sends its four statements (the user; the attempt and its
    question; the INSERT; the next question) and no BEGIN, COMMIT or ROLLBACK: four round trips."""
    if database["kind"] != "postgres":
        pytest.skip("round trips are PostgreSQL's")
    import tempfile

    make_user("racer")
    login(client, "racer")
    public_id = start_practice(client)
    with app.app_context():
        engine = db.engine
    sent: list[str] = []
    with tempfile.TemporaryFile("w+") as trace:
        _post_traced(app, client, public_id, engine, trace)
        trace.seek(0)
        lines = trace.read().splitlines()
    for line in lines:
        # libpq's trace: each message the client sent (F), with its type; a statement is a Bind of
        # the extended protocol, BEGIN/COMMIT/ROLLBACK a simple Query.
        found = re.search(r"\tF\t\d+\t(Bind|Query)\b(.*)", line)
        if found:
            sent.append(found.group(1) if found.group(1) == "Bind" else found.group(2).strip())
    assert sent == ["Bind"] * 8, sent  # two posts, four statements each, no transaction commands
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 2


def _post_traced(app, client, public_id: str, engine, trace) -> None:  # type: ignore[no-untyped-def]
    """Post the answers to questions 1 and 2, each traced by libpq into `trace`."""
    from sqlalchemy import event

    def watch(dbapi_conn, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.pgconn.trace(trace.fileno())

    def unwatch(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.pgconn.untrace()

    for number in (1, 2):
        url = f"/quiz/attempt/{public_id}/{number}"
        data = answer_form(app, public_id, number, True, client.get(url).get_data(as_text=True))
        data["csrf_token"] = csrf_token(client, url)
        event.listen(engine.pool, "checkout", watch)
        event.listen(engine.pool, "checkin", unwatch)
        try:
            assert client.post(url, data=data).status_code == 302
        finally:
            event.remove(engine.pool, "checkout", watch)
            event.remove(engine.pool, "checkin", unwatch)
