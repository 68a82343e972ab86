"""A class answering at once, on SQLite and PostgreSQL, with real threads and the real database:
the same answer sent twice at once, two tabs on one attempt, a finish racing an answer. Each
question keeps one answer, the score counts exactly what is stored, and no request fails."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

import pytest
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Attempt, Response
from tests.conftest import login
from tests.web.test_quiz_flow import answer_form, start_practice

ROUNDS = 4  # races are won by chance: a few rounds try both orders


def twin(app, client):  # type: ignore[no-untyped-def]
    """A second tab of the same browser: another client holding the same session cookie."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    other.set_cookie("session", cookie.value, domain=cookie.domain)
    return other


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; return their results (exceptions re-raised)."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(i: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except BaseException as err:  # reported in the main thread below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def stored(app, public_id: str) -> tuple[Attempt, dict[int, int]]:  # type: ignore[no-untyped-def]
    """The attempt, and how many responses each of its questions holds."""
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == public_id))
        counts = dict(
            db.session.execute(
                select(Response.question_id, func.count())
                .where(Response.attempt_id == attempt.id)
                .group_by(Response.question_id)
            ).all()
        )
        total = db.session.scalar(
            select(func.coalesce(func.sum(Response.score), 0.0)).where(Response.attempt_id == attempt.id)
        )
        db.session.expunge(attempt)
        return attempt, {"_total": total, **counts}


@pytest.fixture
def student(client, make_user):  # type: ignore[no-untyped-def]
    make_user("racer")
    login(client, "racer")
    return client


def test_the_same_answer_posted_four_times_at_once_is_stored_once(app, student) -> None:
    for _ in range(ROUNDS):
        pid = start_practice(student)
        url = f"/quiz/attempt/{pid}/1"
        data = answer_form(app, pid, 1, True, student.get(url).get_data(as_text=True))
        tabs = [student, *(twin(app, student) for _ in range(3))]
        answers = at_once(*(partial(t.post, url, data=data) for t in tabs))
        assert [r.status_code for r in answers] == [302] * 4
        attempt, counts = stored(app, pid)
        assert counts.pop("_total") == 1.0
        assert list(counts.values()) == [1]


def test_two_tabs_answering_different_questions_and_the_same_one(app, student) -> None:
    for _ in range(ROUNDS):
        pid = start_practice(student)
        other = twin(app, student)
        page = student.get(f"/quiz/attempt/{pid}/1").get_data(as_text=True)
        forms = {n: answer_form(app, pid, n, True, page) for n in (1, 2, 3)}
        wrong3 = answer_form(app, pid, 3, False, page)
        results = at_once(
            partial(student.post, f"/quiz/attempt/{pid}/1", data=forms[1]),
            partial(other.post, f"/quiz/attempt/{pid}/2", data=forms[2]),
            partial(student.post, f"/quiz/attempt/{pid}/3", data=forms[3]),
            partial(other.post, f"/quiz/attempt/{pid}/3", data=wrong3),
        )
        assert [r.status_code for r in results] == [302] * 4
        _, counts = stored(app, pid)
        counts.pop("_total")
        assert sorted(counts.values()) == [1, 1, 1]


def test_a_finish_racing_answers_counts_exactly_what_is_stored(app, student) -> None:
    for _ in range(ROUNDS):
        pid = start_practice(student)
        other = twin(app, student)
        page = student.get(f"/quiz/attempt/{pid}/1").get_data(as_text=True)
        forms = {n: answer_form(app, pid, n, True, page) for n in (1, 2)}
        token = forms[1]["csrf_token"]
        results = at_once(
            partial(student.post, f"/quiz/attempt/{pid}/1", data=forms[1]),
            partial(other.post, f"/quiz/attempt/{pid}/finish", data={"csrf_token": token, "confirm": "yes"}),
            partial(other.post, f"/quiz/attempt/{pid}/2", data=forms[2]),
        )
        assert [r.status_code for r in results] == [302] * 3
        attempt, counts = stored(app, pid)
        total = counts.pop("_total")
        assert attempt.finished
        assert all(n == 1 for n in counts.values())
        # Whichever won, the score is the sum of the answers kept: none landed after the finish.
        assert attempt.score == total == float(len(counts))
        # The results page shows; a late answer is sent there, not to an error page.
        assert student.get(f"/quiz/attempt/{pid}/results").status_code == 200


def test_services_under_threads_keep_one_answer_and_a_consistent_score(app, make_user) -> None:
    """The same race below the web layer, many threads on one attempt."""
    from quizapp import attempts as svc
    from quizapp.models import AttemptQuestion, Quiz

    user = make_user("bulk")
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        public_id = svc.start_attempt(quiz, "en", user_id=user.id).public_id

    def act(number: int | None) -> str:
        with app.app_context():
            attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == public_id))
            if number is None:
                svc.finish_attempt(attempt)
                return "finished"
            q = db.session.scalar(
                select(AttemptQuestion).where(
                    AttemptQuestion.attempt_id == attempt.id, AttemptQuestion.position == number
                )
            )
            try:
                svc.record_answer(attempt, q, q.snapshot["answer"])
            except svc.AttemptClosed:
                return "closed"
            return "stored"

    outcomes = at_once(*(partial(act, n % 5) for n in range(10)), partial(act, None), partial(act, None))
    assert set(outcomes) <= {"stored", "closed", "finished"}
    attempt, counts = stored(app, public_id)
    total = counts.pop("_total")
    assert all(n == 1 for n in counts.values())
    assert attempt.finished and attempt.score == total == float(len(counts))


def test_two_tabs_starting_a_one_attempt_quiz_at_once_get_one_attempt(app, student) -> None:
    from quizapp.models import Quiz
    from tests.conftest import csrf_token

    with app.app_context():
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        db.session.add(
            Quiz(
                bank_id=practice.bank_id,
                title_ar="مرة",
                title_en="Once",
                code="ONCE2",
                settings={"count": 2, "attempts_allowed": 1},
            )
        )
        db.session.commit()
    token = csrf_token(student, "/quiz/ONCE2")
    tabs = [student, twin(app, student), twin(app, student)]
    answers = at_once(*(partial(t.post, "/quiz/ONCE2/start", data={"csrf_token": token}) for t in tabs))
    assert all(r.status_code == 302 for r in answers)
    # One attempt is made; the other tabs resume it (same questions, same clock).
    assert all("/quiz/attempt/" in r.location for r in answers)
    assert len({r.location.split("/")[3] for r in answers}) == 1  # /quiz/attempt/<id>[/1]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1
