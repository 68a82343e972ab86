"""Reports through the test client, on SQLite and PostgreSQL, in both languages: the numbers are
checked against quizapp.domain.stats computed here from the raw rows, the CSV files are read back,
and each user sees only what they may."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from quizapp.attempts import finish_attempt, record_answer, start_attempt
from quizapp.domain.stats import histogram, item_statistics, summary
from quizapp.extensions import db
from quizapp.models import Attempt, Bank, Quiz, Response, User, utcnow
from quizapp.reports import queries as q
from quizapp.reports import weighted
from quizapp.reports.present import csv_cell
from tests.conftest import PASSWORD, login

AR = {"Accept-Language": "ar"}
EN = {"Accept-Language": "en"}

# Which questions (by position) each student answers right; the rest get a wrong answer. Student 4
# leaves the last question unanswered (it counts 0); "late" starts but never finishes.
PATTERNS = {
    "s1": [1, 1, 1, 1, 1],
    "s2": [1, 0, 1, 1, 0],
    "s3": [0, 1, 0, 1, 1],
    "s4": [1, 0, 0, 0, None],
    "s5": [0, 0, 0, 0, 0],
}


def _answer(snapshot: dict, right: bool):  # type: ignore[no-untyped-def]
    if snapshot["type"] == "mcq":
        return snapshot["answer"] if right else (snapshot["answer"] + 1) % len(snapshot["options"])
    order = list(snapshot["answer"])
    if not right:  # the first two swapped: partial credit under the default "pairs" method
        order[0], order[1] = order[1], order[0]
    return order


def _take(
    quiz: Quiz, user_id: int | None, lang: str, pattern: list, minutes: int, *, finish: bool = True
) -> int:
    attempt = start_attempt(quiz, lang, user_id=user_id, guest_token=None if user_id else "guest")
    attempt.started_at = utcnow() - dt.timedelta(minutes=minutes)
    db.session.commit()
    for question, right in zip(attempt.questions, pattern, strict=False):
        if right is not None:
            record_answer(attempt, question, _answer(question.snapshot, bool(right)))
    if finish:
        finish_attempt(attempt)
    return attempt.id


@functools.cache
def _hash() -> str:
    return generate_password_hash(PASSWORD)  # once: scrypt is slow on purpose


def _users(app, roles: dict[str, str]) -> dict[str, User]:  # type: ignore[no-untyped-def]
    """Accounts sharing one password hash (the test password)."""
    with app.app_context():
        users = {
            name: User(username=name, display_name=name.title(), role=role, password_hash=_hash())
            for name, role in roles.items()
        }
        db.session.add_all(users.values())
        db.session.commit()
        for user in users.values():
            db.session.refresh(user)
            db.session.expunge(user)
        return users


@pytest.fixture
def data(app):  # type: ignore[no-untyped-def]
    """Two teachers' quizzes on the Trotsky bank; five students on the first, one on the second."""
    users = _users(
        app,
        {"teacher1": "teacher", "teacher2": "teacher", "admin1": "admin"}
        | {name: "student" for name in [*PATTERNS, "late", "other"]},
    )
    t1, t2 = users["teacher1"], users["teacher2"]
    students = {name: users[name] for name in [*PATTERNS, "late", "other"]}
    with app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        settings = {"count": 5, "feedback": "end", "kinds": ["event-date", "date-event", "ordering"]}
        q1 = Quiz(
            bank_id=bank.id,
            owner_id=t1.id,
            title_ar="اختبار تروتسكي",
            title_en="Trotsky test",
            code="Q1CODE",
            settings=settings,
        )
        q2 = Quiz(
            bank_id=bank.id,
            owner_id=t2.id,
            title_ar="اختبار آخر",
            title_en="Other test",
            code="Q2CODE",
            settings=settings,
        )
        db.session.add_all([q1, q2])
        db.session.commit()
        for i, (name, pattern) in enumerate(PATTERNS.items()):
            _take(q1, students[name].id, "ar" if i % 2 else "en", pattern, minutes=2 * (i + 1))
        _take(q1, students["late"].id, "en", [1, 1], minutes=1, finish=False)
        _take(q1, None, "en", [1] * 5, minutes=1)  # a visitor: never reported
        _take(q2, students["other"].id, "en", [1] * 5, minutes=1)
        return {"q1": q1.id, "q2": q2.id, "students": {k: v.id for k, v in students.items()}}


def _raw(app, quiz_id: int):  # type: ignore[no-untyped-def]
    """Marks per finished registered attempt, per position, read plainly through the ORM."""
    with app.app_context():
        attempts = db.session.scalars(
            select(Attempt).where(Attempt.quiz_id == quiz_id, Attempt.user_id.is_not(None))
        ).all()
        marks = [
            [qn.response.score if qn.response else 0.0 for qn in a.questions] for a in attempts if a.finished
        ]
        minutes = [(a.finished_at - a.started_at).total_seconds() / 60 for a in attempts if a.finished]
        return len(attempts), marks, minutes


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def test_quiz_report_matches_the_domain_statistics(app, client, data) -> None:
    n_attempts, marks, minutes = _raw(app, data["q1"])
    assert n_attempts == 6 and len(marks) == 5
    percents = [100 * sum(m) / len(m) for m in marks]
    expected = summary(percents)
    stats = item_statistics(marks, [1.0] * 5)
    with app.test_request_context():
        report = q.quiz_report(data["q1"])
        analysis = q.item_analysis(data["q1"])
        questions = q.question_analysis(data["q1"])
    assert report["attempts"] == 6 and report["finished"] == 5
    assert report["completion"] == pytest.approx(100 * 5 / 6)
    for key in ("n", "mean", "median", "sd", "min", "max"):
        assert _close(report["scores"][key], expected[key]), key
    assert report["histogram"] == histogram(percents)
    assert report["time"]["mean"] == pytest.approx(60 * sum(minutes) / 5, abs=1.0)
    for got, want in zip(analysis["slots"], stats["questions"], strict=True):
        for key in ("facility", "sd", "discrimination_index", "discriminative_efficiency"):
            assert _close(got[key], want[key]), key
    for key, want in stats["test"].items():
        assert _close(analysis["test"][key], want), key
    assert sum(x["n"] for x in questions) == 25
    # Per question key: the key's marks against the rest of each attempt, as a two-slot test.
    with app.app_context():
        by_key: dict[str, list[list[float]]] = {}
        for a in db.session.scalars(select(Attempt).where(Attempt.quiz_id == data["q1"])):
            if a.user_id is None or not a.finished:
                continue
            for qn in a.questions:
                x = qn.response.score if qn.response else 0.0
                by_key.setdefault(qn.key, []).append([x, a.score - x])
    assert {x["key"] for x in questions} == set(by_key)
    for got in questions:
        want = item_statistics(by_key[got["key"]], [1.0, 4.0])["questions"][0]
        assert got["n"] == len(by_key[got["key"]])
        for key in ("facility", "sd", "discrimination_index", "discriminative_efficiency"):
            assert got[key] == pytest.approx(want[key], abs=1e-6) if want[key] is not None else True, key
    # One key alone (the question's own page) reads only its rows and gives the same figures.
    with app.test_request_context():
        for whole in questions:
            (alone,) = q.question_analysis(data["q1"], key=whole["key"])
            assert alone == whole
        assert q.question_analysis(data["q1"], key="no such key") == []

    login(client, "teacher1")
    en = client.get(f"/reports/quiz/{data['q1']}", headers=EN)
    assert en.status_code == 200
    page = en.get_data(as_text=True)
    assert "Trotsky test" in page and "<svg" in page and "Discrimination index" in page
    assert "<caption" in page and 'scope="col"' in page
    ar = client.get(f"/reports/quiz/{data['q1']}", headers=AR).get_data(as_text=True)
    assert 'dir="rtl"' in ar and "اختبار تروتسكي" in ar

    # The tables read back from CSV give the same numbers.
    test_rows = {
        row[0]: row[1] for row in _csv(client.get(f"/reports/quiz/{data['q1']}/test.csv", headers=EN))
    }
    assert float(test_rows["Mean (marks)"]) == pytest.approx(stats["test"]["mean"], abs=1e-6)
    assert float(test_rows["Standard deviation (marks)"]) == pytest.approx(stats["test"]["sd"], abs=1e-6)
    slots = _csv(client.get(f"/reports/quiz/{data['q1']}/slots.csv", headers=EN))
    assert len(slots) == 1 + 5
    for row, want in zip(slots[1:], stats["questions"], strict=True):
        assert float(row[2]) == pytest.approx(want["facility"], abs=1e-6)
    histo = _csv(client.get(f"/reports/quiz/{data['q1']}/histogram.csv", headers=EN))
    assert [int(r[1]) for r in histo[1:]] == histogram(percents)


def test_detailed_csv_has_one_row_per_response_keyed_by_question(app, client, data) -> None:
    login(client, "teacher1")
    rows = _csv(client.get(f"/reports/quiz/{data['q1']}/responses.csv", headers=AR))
    header, body = rows[0], rows[1:]
    with app.app_context():
        stored = db.session.scalars(
            select(Response).join(Attempt).where(Attempt.quiz_id == data["q1"], Attempt.user_id.is_not(None))
        ).all()
        by_id = {r.question_id: (r.question.key, r.score) for r in stored}
    assert len(body) == len(stored) == 5 * 5 - 1 + 2
    assert len(header) == len(body[0])
    ids = [int(r[4]) for r in body]
    assert len(set(ids)) == len(ids) and set(ids) == set(by_id)
    for row in body:
        key, score = by_id[int(row[4])]
        assert row[5] == key and float(row[10]) == pytest.approx(score)
    # The Arabic prompts and answers survive the round trip.
    assert any("\u0600" <= ch <= "\u06ff" for row in body for ch in row[7])
    assert any("\u0600" <= ch <= "\u06ff" for row in body for ch in row[9])


def test_front_page_lists_own_quizzes_and_students_and_guards_formulas(app, client, data) -> None:
    with app.app_context():
        db.session.get(User, data["students"]["s2"]).display_name = "=HYPERLINK(1)"
        db.session.commit()
    login(client, "teacher1")
    for headers in (EN, AR):
        page = client.get("/reports/", headers=headers).get_data(as_text=True)
        assert f"/reports/quiz/{data['q1']}" in page and f"/reports/quiz/{data['q2']}" not in page
    quizzes = _csv(client.get("/reports/quizzes.csv", headers=EN))
    assert len(quizzes) == 2 and quizzes[1][2:4] == ["6", "5"]
    students = _csv(client.get("/reports/students.csv", headers=EN))
    names = [r[0] for r in students[1:]]
    assert "'=HYPERLINK(1)" in names and "Other" not in names and len(names) == 6


def test_filters_narrow_by_language_and_date(app, client, data) -> None:
    login(client, "teacher1")
    with app.app_context():
        a = db.session.scalar(
            select(Attempt).where(Attempt.user_id == data["students"]["s1"], Attempt.quiz_id == data["q1"])
        )
        a.started_at = dt.datetime(2020, 1, 1, 12)
        db.session.commit()
    rows = _csv(client.get("/reports/quizzes.csv", query_string={"lang": "ar"}))
    assert rows[1][2] == "2"  # s2 and s4 took it in Arabic
    rows = _csv(client.get("/reports/quizzes.csv", query_string={"date_from": "2021-01-01"}))
    assert rows[1][2] == "5"
    rows = _csv(client.get("/reports/quizzes.csv", query_string={"date_to": "2020-01-01"}))
    assert rows[1][2] == "1"
    page = client.get("/reports/", query_string={"date_from": "not a date"}, headers=EN)
    assert page.status_code == 200 and "is-invalid" in page.get_data(as_text=True)


def test_event_report_worst_first_and_student_report(app, client, data) -> None:
    login(client, "teacher1")
    rows = _csv(client.get("/reports/events/events.csv", headers=EN))
    rates = [float(r[4]) for r in rows[1:]]
    assert rates and rates == sorted(rates)
    assert sum(int(r[2]) for r in rows[1:]) >= 5 * 5 - 1 + 2
    page = client.get("/reports/events", headers=AR)
    assert page.status_code == 200
    s1 = data["students"]["s1"]
    for headers in (EN, AR):
        r = client.get(f"/reports/student/{s1}", headers=headers)
        assert r.status_code == 200
    mastery = _csv(client.get(f"/reports/student/{s1}/events.csv", headers=EN))
    assert all(r[4] == "100.0" for r in mastery[1:])  # s1 answered everything right
    attempts = _csv(client.get(f"/reports/student/{s1}/attempts.csv", headers=EN))
    assert len(attempts) == 2 and attempts[1][-1] == "100.0"


def test_question_page_counts_the_options_chosen(app, client, data) -> None:
    login(client, "teacher1")
    with app.test_request_context():
        questions = q.question_analysis(data["q1"])
    mcq = [x for x in questions if x["kind"] in ("event-date", "date-event")]
    assert mcq
    key = max(mcq, key=lambda x: x["n"])["key"]
    for headers in (EN, AR):
        r = client.get(f"/reports/quiz/{data['q1']}/question", query_string={"key": key}, headers=headers)
        assert r.status_code == 200
    rows = _csv(client.get(f"/reports/quiz/{data['q1']}/options.csv", query_string={"key": key}, headers=EN))
    with app.app_context():
        answered = db.session.scalars(
            select(Response).join(Attempt).where(Attempt.quiz_id == data["q1"], Attempt.user_id.is_not(None))
        ).all()
        chosen = Counter(
            r.question.snapshot["options"][r.answer]["en"] for r in answered if r.question.key == key
        )
    assert {r[0]: int(r[2]) for r in rows[1:]} == dict(chosen)
    assert client.get(f"/reports/quiz/{data['q1']}/question", query_string={"key": "nope"}).status_code == 404


def test_who_sees_what(app, client, data) -> None:
    login(client, "teacher2")
    assert client.get(f"/reports/quiz/{data['q1']}").status_code == 404
    assert client.get(f"/reports/quiz/{data['q1']}/responses.csv").status_code == 404
    assert client.get(f"/reports/student/{data['students']['s1']}").status_code == 404
    assert client.get(f"/reports/quiz/{data['q2']}").status_code == 200
    client.post("/auth/logout", data={})
    student = app.test_client()
    login(student, "s1")
    assert student.get("/reports/").status_code == 403
    assert student.get(f"/reports/quiz/{data['q1']}").status_code == 403
    visitor = app.test_client()
    assert visitor.get("/reports/").status_code == 302
    admin = app.test_client()
    login(admin, "admin1")
    page = admin.get("/reports/", headers=EN).get_data(as_text=True)
    assert f"/reports/quiz/{data['q1']}" in page and f"/reports/quiz/{data['q2']}" in page


def test_csv_cells_that_could_run_as_formulas_are_defused() -> None:
    assert [csv_cell(v) for v in ("=1+1", "+1", "-1", "@SUM", "plain", "تروتسكي")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM",
        "plain",
        "تروتسكي",
    ]
    assert csv_cell(-1.5) == -1.5 and csv_cell(None) == ""


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda p: st.lists(
            st.lists(st.sampled_from([0, 0.125, 0.25, 0.5, 0.75, 1]), min_size=p, max_size=p), max_size=15
        )
    )
)
def test_counts_give_the_domain_numbers(marks: list[list[float]]) -> None:
    slots = len(marks[0]) if marks else 3
    rows: Counter = Counter()
    for attempt in marks:
        total = sum(attempt)
        for slot, mark in enumerate(attempt):
            rows[(slot, mark, total)] += 1
    got = weighted.item_statistics([(*k, c) for k, c in rows.items()], [1.0] * slots)
    want = item_statistics(marks, [1.0] * slots)
    for g, w in zip(got["questions"], want["questions"], strict=True):
        assert all(_close(g[k], w[k]) for k in w)
    assert all(_close(got["test"][k], w) for k, w in want["test"].items())
    totals = [100 * sum(a) / slots for a in marks]
    assert weighted.weighted_histogram(Counter(totals)) == histogram(totals)
    s = weighted.summary(Counter(totals))
    assert all(_close(s[k], v) for k, v in summary(totals).items())


def test_thirds_and_sixths_agree_with_the_domain_within_rounding() -> None:
    rng = random.Random(5)
    marks = [[rng.choice([0, 1 / 3, 2 / 3, 1, 1 / 6]) for _ in range(4)] for _ in range(40)]
    rows: Counter = Counter()
    for attempt in marks:
        for slot, mark in enumerate(attempt):
            rows[(slot, mark, sum(attempt))] += 1
    got = weighted.item_statistics([(*k, c) for k, c in rows.items()], [1.0] * 4)
    want = item_statistics(marks, [1.0] * 4)
    for g, w in zip(got["questions"], want["questions"], strict=True):
        for k in ("facility", "sd", "discrimination_index", "discriminative_efficiency"):
            assert g[k] == pytest.approx(w[k], rel=1e-7)
    assert got["test"]["cic"] == pytest.approx(want["test"]["cic"], rel=1e-7)


def _expected(app, quiz_id: int, keep) -> dict:  # type: ignore[no-untyped-def]
    """A quiz report's counts computed plainly from the attempts `keep` lets through (registered
    users only): attempts, finished, the item analysis's attempts and per key the answers counted."""
    with app.app_context():
        attempts = [
            a
            for a in db.session.scalars(select(Attempt).where(Attempt.quiz_id == quiz_id))
            if a.user_id is not None and keep(a)
        ]
        finished = [a for a in attempts if a.finished]
        most = max((a.max_score for a in finished), default=0)
        full = [a for a in finished if a.max_score == most]
        keys = Counter(qn.key for a in full for qn in a.questions)
        return {"attempts": len(attempts), "finished": len(finished), "analysed": len(full), "keys": keys}


def _got(quiz_id: int, filters: q.Filters) -> dict:
    report = q.quiz_report(quiz_id, filters)
    analysis = q.item_analysis(quiz_id, filters)
    questions = q.question_analysis(quiz_id, filters)
    for whole in questions:  # the question's own page, with the same filters
        assert q.question_analysis(quiz_id, filters, key=whole["key"]) == [whole]
    return {
        "attempts": report["attempts"],
        "finished": report["finished"],
        "analysed": analysis["attempts"],
        "keys": Counter({x["key"]: x["n"] for x in questions}),
    }


def test_quiz_report_filters_take_each_requests_values(app, data) -> None:
    """The report's statements are built once for each set of filters given (their values bound):
    one quiz then another, one language then the other, one date then another, one class then
    another, each gives its own attempts' figures, never the ones of the statement's first use."""
    from quizapp.models import ClassMember, SchoolClass

    with app.app_context():
        s1 = db.session.get(Attempt, _attempt_of(data["students"]["s1"], data["q1"]))
        s1.started_at = dt.datetime(2020, 1, 1, 12)
        teacher = db.session.scalar(select(User).where(User.username == "teacher1"))
        first = SchoolClass(teacher_id=teacher.id, name="A", code="CLASSA")
        second = SchoolClass(teacher_id=teacher.id, name="B", code="CLASSB")
        db.session.add_all([first, second])
        db.session.flush()
        members = {first.id: ["s1", "s2"], second.id: ["s3", "s4", "s5"]}
        db.session.add_all(
            ClassMember(class_id=cid, user_id=data["students"][name])
            for cid, names in members.items()
            for name in names
        )
        db.session.commit()
    member_of = {cid: {data["students"][name] for name in names} for cid, names in members.items()}
    cases = [
        (data["q1"], q.Filters(), lambda a: True),
        (data["q2"], q.Filters(), lambda a: True),
        (data["q1"], q.Filters(lang="ar"), lambda a: a.lang == "ar"),
        (data["q1"], q.Filters(lang="en"), lambda a: a.lang == "en"),
        (
            data["q1"],
            q.Filters(date_to=dt.date(2020, 1, 1)),
            lambda a: a.started_at < dt.datetime(2020, 1, 2),
        ),
        (data["q1"], q.Filters(date_to=dt.date(2019, 1, 1)), lambda a: False),
        (
            data["q1"],
            q.Filters(date_from=dt.date(2021, 1, 1)),
            lambda a: a.started_at >= dt.datetime(2021, 1, 1),
        ),
        (data["q1"], q.Filters(date_from=dt.date(2000, 1, 1)), lambda a: True),
        (
            data["q1"],
            q.Filters(user_id=data["students"]["s2"]),
            lambda a: a.user_id == data["students"]["s2"],
        ),
        (
            data["q1"],
            q.Filters(user_id=data["students"]["s3"]),
            lambda a: a.user_id == data["students"]["s3"],
        ),
    ] + [
        (data["q1"], q.Filters(class_id=cid), lambda a, ids=ids: a.user_id in ids)  # type: ignore[misc]
        for cid, ids in member_of.items()
    ]
    wanted = []
    for quiz_id, filters, keep in cases:
        want = _expected(app, quiz_id, keep)
        wanted.append(str(want))
        with app.test_request_context():
            assert _got(quiz_id, filters) == want, filters
    assert len(set(wanted)) >= 6  # the cases differ: a value kept from a previous one would show


def _attempt_of(user_id: int, quiz_id: int) -> int:
    return db.session.scalar(select(Attempt.id).where(Attempt.user_id == user_id, Attempt.quiz_id == quiz_id))


def test_table_cells_are_escaped_as_markupsafe_escapes_them() -> None:
    """Table.body builds its HTML as strings: each value comes out as markupsafe escapes it."""
    from markupsafe import Markup, escape

    from quizapp.reports.present import Column, Link, Table, _escape

    tricky = ["plain", "<b>&amp;</b>", "'\"", "a{0}b{}", "x\u202ey", "", "&#39;"]
    for text_ in tricky:
        assert _escape(text_) == str(escape(text_))
        assert _escape(Markup(text_)) == str(escape(Markup(text_)))
    table = Table(
        "t",
        "caption",
        [Column("Q<1>"), Column("code {x}", "code"), Column("n", "int"), Column('say "hi"')],
        rows=[[Link(t, f"/q?key={t}"), t, 3, Markup(t)] for t in tricky] + [["short", None]],
    )
    with_app = table.body("en")
    for t in tricky:
        row = (
            f'<tr><th scope="row"><a href="{escape(f"/q?key={t}")}">{escape(t)}</a></th>'
            f'<td class="" data-label="code {{x}}"><code dir="ltr">{escape(t)}</code></td>'
            f'<td class="num" data-label="n">3</td>'
            f'<td class="" data-label="say &#34;hi&#34;">{escape(str(t))}</td></tr>'
        )
        assert row in with_app
    assert '<tr><th scope="row">short</th><td class="" data-label="code {x}">–</td></tr>' in with_app
