"""The SQL statements of each page measured by tests/bench/pages.py stay fixed as the data grows
(issue 16): the same count with one bank, one student and one attempt as with several banks, a class
of students who sat the quiz and a student with many attempts. Each page is asked twice and the
second is counted: the steady state of a worker, whose parsed banks are cached."""

from __future__ import annotations

import random
import re

import pytest
from sqlalchemy import event, select

from tests.conftest import csrf_token, login

#: Every page's statements at most: a page that needs more has a query per row somewhere.
MOST = 12

#: Each page's statements exactly (the user's row included): a new one is a choice to make on
#: purpose, here, with the bench (tests/bench/pages.py) run before and after.
EXACT = {
    "question": 2,  # the user; the attempt with its quiz, bank, question, answer and closed-book check
    # the user; the attempt...; the INSERT of a new answer, only if the attempt is open (it was
    # 6: the attempt's lock and a SELECT of a stored answer before the INSERT; on PostgreSQL it runs
    # in autocommit, no BEGIN nor COMMIT); the next question (one query, round from the start)
    "answer": 4,
    "results": 3,  # the user; the attempt...; its questions with their answers
    "home_anonymous": 1,  # the banks with their practice quizzes
    "home_student": 4,  # the user; the banks; what is due; class quizzes and unfinished attempts
    "bank": 3,
    # the user; the quiz; the teacher's classes (the quiz's page looks up no quizzes nor banks for
    # its filters, which it hides); the version of the quiz's attempts, whose figures are kept
    "report": 4,
    # the same, the first time a version is shown: then its figures are worked out, two GROUP BYs of
    # the summary, the largest attempt and the GROUP BY by position, the GROUP BY by question with
    # each key's snapshot joined (was 12, then 8 before the figures were kept)
    "report_first": 9,
}
_CHOICE = re.compile(r'name="choice"[^>]*value="([0-9a-f]{12})"|value="([0-9a-f]{12})"[^>]*name="choice"')
_RANK = re.compile(r'name="rank_([0-9a-f]{12})"')


def _statements(app, client, method: str, path: str, **kw) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    """The response status and the SQL statements one request ran, as the database driver saw them:
    through the ORM's session and through quizapp.reads' plain reads alike (not the transactions'
    own BEGIN, COMMIT and ROLLBACK, nor SQLite's PRAGMAs on a new connection)."""
    from quizapp.extensions import db

    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def count(statement: str) -> None:
        words = " ".join(str(statement).split())
        if words.removeprefix(TOGETHER).split(" ", 1)[0].upper() not in _NOT_COUNTED:
            seen.append(words[:120])

    def watch(dbapi_conn, _record, _proxy) -> None:  # type: ignore[no-untyped-def]
        if hasattr(dbapi_conn, "set_trace_callback"):  # sqlite3: every statement it runs
            dbapi_conn.set_trace_callback(count)
        else:  # psycopg: every query its cursors send (quizapp.reads' kept ones made anew)
            dbapi_conn.cursor_factory = _counting_cursor(count)
            dbapi_conn._reading = None

    def unwatch(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        if hasattr(dbapi_conn, "set_trace_callback"):
            dbapi_conn.set_trace_callback(None)
        else:
            import psycopg

            dbapi_conn.cursor_factory = psycopg.Cursor
            dbapi_conn._reading = None

    event.listen(engine.pool, "checkout", watch)
    event.listen(engine.pool, "checkin", unwatch)
    try:
        status = client.open(path, method=method, **kw).status_code
    finally:
        event.remove(engine.pool, "checkout", watch)
        event.remove(engine.pool, "checkin", unwatch)
    return status, seen


#: The mark of a statement sent in a pipeline, with the others beside it: one round trip for them all.
TOGETHER = "(together) "


def round_trips(seen: list[str]) -> int:
    """The round trips of a request's statements: statements sent together, one after the other,
    are one."""
    alone = [not words.startswith(TOGETHER) for words in seen]
    return sum(1 for i, one in enumerate(alone) if one or i == 0 or alone[i - 1])


#: What a driver runs on its own or for a transaction: not a page's statements.
_NOT_COUNTED = {"BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SAVEPOINT", "RELEASE"}


def _counting_cursor(count):  # type: ignore[no-untyped-def]
    import psycopg

    class Counting(psycopg.Cursor):  # type: ignore[type-arg]
        def execute(self, query, params=None, **kw):  # type: ignore[no-untyped-def]
            text = query if isinstance(query, str) else query.as_string(self)
            together = self.connection.pgconn.pipeline_status != 0  # sent with others (quizapp.reads.ahead)
            count(TOGETHER + text if together else text)
            return super().execute(query, params, **kw)

    return Counting


def _sit(app, quiz_id: int, user_id: int, answered: int | None = None) -> str:  # type: ignore[no-untyped-def]
    """A student's attempt at a quiz with `answered` questions answered (all, and finished, by
    default); its public id."""
    from quizapp import attempts as svc
    from quizapp.extensions import db
    from quizapp.models import Quiz

    rng = random.Random(user_id)
    with app.app_context():
        attempt = svc.start_attempt(db.session.get(Quiz, quiz_id), "ar", user_id=user_id)
        questions = list(attempt.questions)
        for q in questions[: len(questions) if answered is None else answered]:
            snap = q.snapshot
            if snap["type"] == "mcq":
                svc.record_answer(attempt, q, rng.randrange(len(snap["options"])))
            else:
                svc.record_answer(attempt, q, rng.sample(range(len(snap["items"])), len(snap["items"])))
        if answered is None:
            svc.finish_attempt(attempt)
        return attempt.public_id


def _grow(app, quiz_id: int, practice_id: int, viewer_id: int, n: int) -> None:  # type: ignore[no-untyped-def]
    """n more banks (copies of the first), n more students who sat the quiz, n more practice
    attempts of the viewer's."""
    import dataclasses

    from quizapp.banks import save_bank, to_domain
    from quizapp.extensions import db
    from quizapp.models import Bank, User

    with app.app_context():
        first = to_domain(db.session.scalar(select(Bank).order_by(Bank.id)))
        for i in range(n):
            save_bank(dataclasses.replace(first, slug=f"{first.slug}-{i}"))
        students = [User(username=f"grow{i}", display_name=f"Grow {i}", password_hash="x") for i in range(n)]
        db.session.add_all(students)
        db.session.commit()
        ids = [s.id for s in students]
    for user_id in ids:
        _sit(app, quiz_id, user_id)
    for _ in range(n):
        _sit(app, practice_id, viewer_id)


def _answer_form(client, path: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The answer form of a question page, filled in."""
    page = client.get(path).get_data(as_text=True)
    choices = [a or b for a, b in _CHOICE.findall(page)]
    if choices:
        return {"choice": choices[0]}
    return {f"rank_{t}": str(i) for i, t in enumerate(_RANK.findall(page), 1)}


@pytest.fixture
def scene(app, make_user):  # type: ignore[no-untyped-def]
    """A teacher's quiz on the first bank, a viewer (a student) with a finished and an open attempt."""
    from quizapp.extensions import db
    from quizapp.models import Bank, Quiz

    teacher, viewer = make_user("teacher1", role="teacher"), make_user("viewer")
    with app.app_context():
        bank = db.session.scalar(select(Bank).order_by(Bank.id))
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True), Quiz.bank_id == bank.id))
        quiz = Quiz(bank_id=bank.id, owner_id=teacher.id, title_ar="اختبار", title_en="Test", code="COUNT1",
                    settings={"count": 10, "feedback": "end"})  # fmt: skip
        db.session.add(quiz)
        db.session.commit()
        ids = {"bank": bank.id, "quiz": quiz.id, "practice": practice.id, "viewer": viewer.id}
    ids["done"] = _sit(app, ids["quiz"], viewer.id)
    ids["open"] = _sit(app, ids["practice"], viewer.id, answered=0)
    return ids


def _counts(app, scene: dict, number: int, trips: bool = False) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Each page's statements (the second of two requests; the answer posted to question `number`),
    or with `trips`, its round trips to the database."""
    size = round_trips if trips else len
    student, teacher, visitor = app.test_client(), app.test_client(), app.test_client()
    login(student, "viewer")
    login(teacher, "teacher1")
    question = f"/quiz/attempt/{scene['open']}/{number}"
    form = _answer_form(student, question)
    pages = {
        "question": (student, "GET", question, {}),
        "results": (student, "GET", f"/quiz/attempt/{scene['done']}/results", {}),
        "home_anonymous": (visitor, "GET", "/", {}),
        "home_student": (student, "GET", "/", {}),
        "bank": (teacher, "GET", f"/teacher/banks/{scene['bank']}", {}),
        "report": (teacher, "GET", f"/reports/quiz/{scene['quiz']}", {}),
    }
    counts = {}
    for name, (client, method, path, kw) in pages.items():
        first_status, first = _statements(app, client, method, path, **kw)
        status, seen = _statements(app, client, method, path, **kw)
        assert status == first_status == 200, (name, status)
        counts[name] = size(seen)
        if name == "report":  # its first time shows a new version of the quiz's attempts
            counts["report_first"] = size(first)
    data = {"csrf_token": csrf_token(student, question), **form}
    status, seen = _statements(app, student, "POST", question, data=data)
    assert status == 302, status
    counts["answer"] = size(seen)
    return counts


def _growth(app, scene: dict) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Each page's statements before and after the data grew."""
    small = _counts(app, scene, 1)
    _grow(app, scene["quiz"], scene["practice"], scene["viewer"], 3)
    large = _counts(app, scene, 2)
    return {name: (small[name], large[name]) for name in small}


HOME = ("home_anonymous", "home_student")


def test_no_page_runs_more_statements_as_the_data_grows(app, scene) -> None:
    counts = {k: v for k, v in _growth(app, scene).items() if k not in HOME}
    assert set(counts) == {"question", "answer", "results", "bank", "report", "report_first"}
    assert {k: v for k, v in counts.items() if v[1] > MOST} == {}, counts
    assert {k: v for k, v in counts.items() if v[0] != v[1]} == {}, f"(before, after): {counts}"


def test_the_home_page_runs_no_more_statements_as_banks_are_added(app, scene) -> None:
    counts = {k: v for k, v in _growth(app, scene).items() if k in HOME}
    grew = {k: v for k, v in counts.items() if v[0] != v[1] or v[1] > MOST}
    assert grew == {}, f"(before, after): {counts}"


def test_each_page_runs_exactly_its_statements(app, scene) -> None:
    assert _counts(app, scene, 1) == EXACT


def test_on_postgresql_reads_that_wait_for_no_other_go_in_one_round_trip(
    app, scene, database
) -> None:
    if database["kind"] != "postgres":
        pytest.skip("PostgreSQL's round trips (SQLite has none)")
    # A student's pages send their first reads with the user's row (quizapp.login.read_with_user):
    # the attempt with its question; the attempt (its questions are read once the key may show);
    # the banks, what is due and the class quizzes. A teacher's pages read the user first (what
    # they read depends on the role), then together: the bank and its quizzes; the quiz, its
    # filter's classes and its attempts' version.
    together = {"question": 1, "answer": 3, "results": 2, "home_student": 1, "bank": 2, "report": 2,
                "report_first": 7}  # fmt: skip
    assert _counts(app, scene, 1, trips=True) == {**EXACT, **together}
