"""Exams over HTTP, on SQLite and PostgreSQL: each defect of issue 13's "exam integrity" and
"taking an exam" parts reproduced as a student and a teacher would meet it, and shown gone."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from quizapp.attempts import option_token
from quizapp.extensions import db
from quizapp.models import Attempt, Quiz, Response
from tests.conftest import csrf_token, login
from tests.web.test_quiz_flow import AR, EN, answer_form, attempt_of, start_practice

_CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]+(")|(value=")[^"]+("[^>]*name="csrf_token")')


def make_quiz(app, code: str, owner=None, **settings) -> None:  # type: ignore[no-untyped-def]
    """A teacher's quiz on the Trotsky bank with the given settings (open to anyone with the code)."""
    with app.app_context():
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        db.session.add(
            Quiz(
                bank_id=practice.bank_id,
                owner_id=owner.id if owner else None,
                title_ar="امتحان",
                title_en="Exam " + code,
                code=code,
                settings={"count": 4, **settings},
            )
        )
        db.session.commit()


def start(client, code: str, headers=EN) -> str:  # type: ignore[no-untyped-def]
    """Start (or resume) the quiz through its landing page; the attempt's public id."""
    token = csrf_token(client, f"/quiz/{code}")
    r = client.post(f"/quiz/{code}/start", data={"csrf_token": token}, headers=headers)
    assert r.status_code == 302 and "/quiz/attempt/" in r.location, r.location
    return r.location.split("/")[3]


def answer(client, app, pid: str, number: int, right: bool):  # type: ignore[no-untyped-def]
    """Answer question `number` (right or wrong) through its page; the POST's response."""
    page = client.get(f"/quiz/attempt/{pid}/{number}").get_data(as_text=True)
    return client.post(f"/quiz/attempt/{pid}/{number}", data=answer_form(app, pid, number, right, page))


def finish(client, pid: str):  # type: ignore[no-untyped-def]
    token = csrf_token(client, f"/quiz/attempt/{pid}/finish")
    return client.post(f"/quiz/attempt/{pid}/finish", data={"csrf_token": token, "confirm": "yes"})


def neutral(html: str) -> str:
    """A page without what differs between two answers by design: the CSRF token and which
    option or position is chosen (the student's own answer, filled in again)."""
    html = _CSRF_VALUE.sub(lambda m: "".join(g for g in m.groups() if g), html)
    return html.replace(" checked", "").replace(" selected", "")


def responses(app, pid: str) -> list[Response]:  # type: ignore[no-untyped-def]
    with app.app_context():
        a = db.session.scalar(select(Attempt).where(Attempt.public_id == pid))
        rows = db.session.scalars(select(Response).where(Response.attempt_id == a.id)).all()
        for r in rows:
            db.session.expunge(r)
        return list(rows)


def _number_of(app, pid: str, kind: str) -> int:  # type: ignore[no-untyped-def]
    _, questions = attempt_of(app, pid)
    return next(q.position + 1 for q in questions if q.snapshot["type"] == kind)


# --- no answer leaks -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["end", "never"])
@pytest.mark.parametrize("kind", ["mcq", "ordering"])
def test_a_right_and_a_wrong_answer_give_the_same_question_page(client, app, make_user, mode, kind) -> None:
    make_user("rana")
    make_quiz(app, "LEAK1", feedback=mode, count=8, kinds=["event-date", "ordering"])
    login(client, "rana")
    pid = start(client, "LEAK1")
    number = _number_of(app, pid, kind)
    url = f"/quiz/attempt/{pid}/{number}"
    pages, moves = [], []
    for right in (True, False):  # the same question answered right, then changed to a wrong answer
        r = answer(client, app, pid, number, right)
        moves.append(r.location)
        pages.append(client.get(url, headers=EN).get_data(as_text=True))
    assert [r.score for r in responses(app, pid)] == [0.0]  # the wrong answer is the one stored
    assert moves[0] == moves[1]  # the same next step after either
    assert neutral(pages[0]) == neutral(pages[1])
    for page in pages:
        assert "is-right" not in page and "is-wrong" not in page and "✓" not in page
        assert "Your answer is saved." in page


# --- feedback modes hold on every page that counts answers ----------------------------------------


def test_feedback_at_the_end_counts_toward_mastery_only_once_finished(client, app, make_user) -> None:
    make_user("hadi")
    make_quiz(app, "ENDM", feedback="end")
    login(client, "hadi")

    def mastery() -> str:
        return neutral(client.get("/learn/mastery", headers=EN).get_data(as_text=True))

    def explore() -> str:
        return neutral(client.get("/learn/trotsky", headers=EN).get_data(as_text=True))

    before, explored = mastery(), explore()
    pid = start(client, "ENDM")
    for number in range(1, 5):
        answer(client, app, pid, number, right=True)
    assert len(responses(app, pid)) == 4
    # Saved, not finished: nothing counts yet, on "What I know", the explore page or "my results".
    assert mastery() == before and explore() == explored
    mine = client.get("/quiz/mine", headers=EN).get_data(as_text=True)
    assert "%" not in mine.split("<tbody>")[1] and "Resume" in mine
    assert finish(client, pid).location.endswith("/results")
    assert mastery() != before
    results = client.get(f"/quiz/attempt/{pid}/results", headers=EN).get_data(as_text=True)
    assert "4 out of 4" in results


def test_feedback_never_shows_nothing_until_the_teacher_releases_the_results(client, app, make_user) -> None:
    teacher = make_user("mona", role="teacher")
    make_user("adel")
    make_quiz(app, "NEVER1", owner=teacher, feedback="never")
    login(client, "adel")
    before = neutral(client.get("/learn/mastery", headers=EN).get_data(as_text=True))
    pid = start(client, "NEVER1")
    for number in range(1, 5):
        answer(client, app, pid, number, right=True)
    finish(client, pid)
    results = client.get(f"/quiz/attempt/{pid}/results", headers=EN).get_data(as_text=True)
    assert "out of" not in results and "release" in results and "Right answer" not in results
    mine = client.get("/quiz/mine", headers=EN).get_data(as_text=True)
    assert "results not released yet" in mine and "100%" not in mine
    assert neutral(client.get("/learn/mastery", headers=EN).get_data(as_text=True)) == before
    for number in (1, 4):  # the finished attempt's question pages say nothing either
        page = client.get(f"/quiz/attempt/{pid}/{number}", headers=EN).get_data(as_text=True)
        assert "is-right" not in page and "Right!" not in page

    teacher_client = app.test_client()
    login(teacher_client, "mona")
    with app.app_context():
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.code == "NEVER1"))
    page = teacher_client.get(f"/teacher/quizzes/{quiz_id}", headers=EN).get_data(as_text=True)
    assert "Release results" in page
    token = csrf_token(teacher_client, f"/teacher/quizzes/{quiz_id}")
    # Without the confirmation box ticked, nothing is released.
    teacher_client.post(f"/teacher/quizzes/{quiz_id}/release", data={"csrf_token": token})
    assert "out of" not in client.get(f"/quiz/attempt/{pid}/results", headers=EN).get_data(as_text=True)
    # A student cannot release it.
    student_token = csrf_token(client)
    client.post(f"/teacher/quizzes/{quiz_id}/release", data={"csrf_token": student_token, "confirm": "y"})
    assert "out of" not in client.get(f"/quiz/attempt/{pid}/results", headers=EN).get_data(as_text=True)
    teacher_client.post(f"/teacher/quizzes/{quiz_id}/release", data={"csrf_token": token, "confirm": "y"})
    results = client.get(f"/quiz/attempt/{pid}/results", headers=EN).get_data(as_text=True)
    assert "4 out of 4" in results
    assert "100%" in client.get("/quiz/mine", headers=EN).get_data(as_text=True)
    assert neutral(client.get("/learn/mastery", headers=EN).get_data(as_text=True)) != before
    assert "Released" in teacher_client.get(f"/teacher/quizzes/{quiz_id}", headers=EN).get_data(as_text=True)


# --- closed book ---------------------------------------------------------------------------------


def test_closed_book_closes_the_banks_pages_while_the_attempt_is_open(client, app, make_user) -> None:
    make_user("salma")
    make_quiz(app, "CLOSED", feedback="end", time_limit_minutes=20)  # closed book: on when timed
    make_quiz(app, "OPENBK", feedback="end", time_limit_minutes=20, closed_book=False)
    login(client, "salma")
    assert client.get("/learn/trotsky").status_code == 200
    open_pid = start(client, "OPENBK")
    assert client.get("/learn/trotsky").status_code == 200  # an open-book quiz closes nothing
    finish(client, open_pid)
    pid = start(client, "CLOSED")
    token = csrf_token(client, f"/quiz/attempt/{pid}/1")
    page = client.get("/learn/trotsky", headers=EN)
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "closed-book quiz" in html and "at the latest" in html and f"/quiz/attempt/{pid}" in html
    assert client.post("/quiz/practice/trotsky", data={"csrf_token": token}).status_code == 403
    assert client.post("/learn/review/trotsky", data={"csrf_token": token}).status_code == 403
    mastery = client.get("/learn/mastery", headers=EN).get_data(as_text=True)
    assert "Closed while your closed-book quiz" in mastery and "table-sm" not in mastery
    with app.app_context():
        before = db.session.scalar(select(func.count(Attempt.id)))
    finish(client, pid)
    assert client.get("/learn/trotsky").status_code == 200
    assert client.post("/quiz/practice/trotsky", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == before + 1


def test_the_closed_book_box_is_on_for_a_new_quiz_and_saved(client, app, make_user) -> None:
    make_user("tarek", role="teacher")
    login(client, "tarek")
    with app.app_context():
        bank_id = db.session.scalar(select(Quiz.bank_id).where(Quiz.practice.is_(True)))
    page = client.get(f"/teacher/banks/{bank_id}/quizzes/new", headers=EN).get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*id="closed_book"|<input[^>]*id="closed_book"[^>]*checked', page)
    assert "Closed book" in page


# --- resume --------------------------------------------------------------------------------------


def test_rejoining_by_code_resumes_the_same_attempt_with_its_clock(client, app, make_user) -> None:
    make_user("yara")
    make_quiz(app, "RESUME", feedback="end", time_limit_minutes=30)
    login(client, "yara")
    pid = start(client, "RESUME")
    answer(client, app, pid, 1, right=True)
    answer(client, app, pid, 2, right=False)
    first, questions = attempt_of(app, pid)
    # The tab is lost. Back through the code on the home page: the same attempt, at question 3.
    other = app.test_client()
    login(other, "yara")
    r = other.post("/quiz/join", data={"csrf_token": csrf_token(other), "code": "resume"})
    assert r.location == f"/quiz/attempt/{pid}"
    assert other.get(r.location).location == f"/quiz/attempt/{pid}/3"
    landing = other.get("/quiz/RESUME", headers=EN).get_data(as_text=True)
    assert "Resume the quiz" in landing and f"/quiz/attempt/{pid}" in landing
    assert "Start the quiz" not in landing
    assert start(other, "RESUME") == pid  # the start button, pressed anyway, resumes too
    again, same_questions = attempt_of(app, pid)
    assert again.deadline == first.deadline  # the clock did not restart
    assert [q.snapshot for q in same_questions] == [q.snapshot for q in questions]
    assert len(responses(app, pid)) == 2
    with app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 1
    mine = other.get("/quiz/mine", headers=EN).get_data(as_text=True)
    assert "Resume" in mine and f"/quiz/attempt/{pid}" in mine


# --- previous / next, flag, summary, finish with a confirmation ----------------------------------


def test_flag_summary_and_finish_with_a_confirmation_naming_the_unanswered(client, app, make_user) -> None:
    make_user("nadia")
    make_quiz(app, "SUMM", feedback="end")
    login(client, "nadia")
    pid = start(client, "SUMM")
    page = client.get(f"/quiz/attempt/{pid}/2", headers=EN).get_data(as_text=True)
    assert f'href="/quiz/attempt/{pid}/1"' in page and f'href="/quiz/attempt/{pid}/3"' in page
    token = csrf_token(client, f"/quiz/attempt/{pid}/2")
    r = client.post(f"/quiz/attempt/{pid}/2/flag", data={"csrf_token": token, "flagged": "1"})
    assert r.location == f"/quiz/attempt/{pid}/2"
    assert "flagged for review" in client.get(f"/quiz/attempt/{pid}/2", headers=EN).get_data(as_text=True)
    answer(client, app, pid, 1, right=True)
    answer(client, app, pid, 2, right=True)
    r = answer(client, app, pid, 4, right=True)
    assert r.location == f"/quiz/attempt/{pid}/3"  # on to the one left unanswered
    summary = client.get(f"/quiz/attempt/{pid}/summary", headers=EN).get_data(as_text=True)
    assert "Answered: 3 of 4. Flagged for review: 1." in summary
    for n in range(1, 5):
        assert f'href="/quiz/attempt/{pid}/{n}"' in summary
    # The old one-click finish (no confirmation) only shows the confirmation page.
    r = client.post(f"/quiz/attempt/{pid}/finish", data={"csrf_token": token}, headers=EN)
    assert r.status_code == 200
    confirm = r.get_data(as_text=True)
    assert "1 question has no answer" in confirm and f'href="/quiz/attempt/{pid}/3">Question 3' in confirm
    assert "Flagged for review:" in confirm and not attempt_of(app, pid)[0].finished
    question = client.get(f"/quiz/attempt/{pid}/1", headers=EN).get_data(as_text=True)
    assert "Finish the quiz now" not in question and "Review and finish" in question
    arabic = client.get(f"/quiz/attempt/{pid}/finish", headers=AR).get_data(as_text=True)
    assert "سؤال واحد بلا إجابة" in arabic
    r = client.post(f"/quiz/attempt/{pid}/finish", data={"csrf_token": token, "confirm": "yes"})
    assert r.location.endswith("/results") and attempt_of(app, pid)[0].finished
    results = client.get(f"/quiz/attempt/{pid}/results", headers=EN).get_data(as_text=True)
    assert "3 out of 4" in results
    # Flags do nothing once finished.
    client.post(f"/quiz/attempt/{pid}/1/flag", data={"csrf_token": token, "flagged": "1"})
    assert not attempt_of(app, pid)[1][0].flagged


# --- changing answers ----------------------------------------------------------------------------


def test_an_answer_changes_until_finished_in_one_row(client, app, make_user) -> None:
    make_user("khaled")
    make_quiz(app, "CHANGE", feedback="end", count=2)
    login(client, "khaled")
    pid = start(client, "CHANGE")
    answer(client, app, pid, 1, right=False)
    page = client.get(f"/quiz/attempt/{pid}/1").get_data(as_text=True)
    right = answer_form(app, pid, 1, True, page)
    for _ in range(3):  # a change, then its double click and a retry
        client.post(f"/quiz/attempt/{pid}/1", data=right)
    rows = responses(app, pid)
    assert len(rows) == 1 and rows[0].score == 1.0 and rows[0].updated_at is not None
    finish(client, pid)
    wrong = answer_form(app, pid, 1, False, page)
    client.post(f"/quiz/attempt/{pid}/1", data=wrong)  # too late: finished
    rows = responses(app, pid)
    assert len(rows) == 1 and rows[0].score == 1.0


def test_with_feedback_at_once_the_first_answer_is_final(client, app, make_user) -> None:
    make_user("lina")
    login(client, "lina")
    pid = start_practice(client)
    answer(client, app, pid, 1, right=False)
    page = client.get(f"/quiz/attempt/{pid}/1", headers=EN).get_data(as_text=True)
    assert 'class="answer-form"' not in page  # the feedback shows, no form to change it
    client.post(f"/quiz/attempt/{pid}/1", data=answer_form(app, pid, 1, True, page))
    rows = responses(app, pid)
    assert len(rows) == 1 and rows[0].score == 0.0


# --- ordering feedback tells the truth of its method ---------------------------------------------


@pytest.mark.parametrize("headers", [EN, AR])
def test_ordering_feedback_counts_pairs_and_marks_no_item_right_that_is_not(client, app, headers) -> None:
    pid = start_practice(client)
    attempt, questions = attempt_of(app, pid)
    q = next(q for q in questions if q.snapshot["type"] == "ordering")
    url = f"/quiz/attempt/{pid}/{q.position + 1}"
    page = client.get(url).get_data(as_text=True)
    right = list(q.snapshot["answer"])
    rotated = [*right[1:], right[0]]  # no item in its place; every pair with the first one wrong
    data = {"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)}
    for rank, index in enumerate(rotated, start=1):
        data[f"rank_{option_token(attempt, q.position, index)}"] = str(rank)
    client.post(url, data=data)
    n = len(right)
    pairs, good = n * (n - 1) // 2, (n - 1) * (n - 2) // 2
    feedback = client.get(url, headers=headers).get_data(as_text=True)
    yours = feedback.split('class="ordering-result"')[1].split("</ol>")[0]
    assert "✓" not in yours and "is-right" not in yours  # no item is in order with every other
    assert yours.count("is-wrong") == 1  # the first event, out of order with all the others
    percent = round(100 * good / pairs)
    if headers is EN:
        assert f"{good} of {pairs} pairs in the right order: {percent}%" in feedback
        assert "Pairs in the wrong order:" in feedback
    else:
        assert f"{good} من {pairs} " in feedback and f"في الترتيب الصحيح: {percent}%" in feedback


def test_two_tabs_answering_at_once_store_one_row_with_the_last_answer(app, make_user) -> None:
    """Two tabs of one student send different answers to one question at the same moment, ten
    times: each time one row, holding one of the two answers, and the attempt stays open."""
    import threading

    make_user("omnia")
    make_quiz(app, "TABS", feedback="end", count=2)
    tabs = [app.test_client(), app.test_client()]
    login(tabs[0], "omnia")
    pid = start(tabs[0], "TABS")
    page = tabs[0].get(f"/quiz/attempt/{pid}/1").get_data(as_text=True)
    with tabs[0].session_transaction() as sess:
        cookie = dict(sess)
    with tabs[1].session_transaction() as sess:
        sess.update(cookie)  # the second tab shares the first one's session, as a browser's would
    forms = [answer_form(app, pid, 1, True, page), answer_form(app, pid, 1, False, page)]
    def send(i: int, barrier: threading.Barrier, codes: list[int]) -> None:
        barrier.wait()
        codes.append(tabs[i].post(f"/quiz/attempt/{pid}/1", data=forms[i]).status_code)

    for _ in range(10):
        barrier, codes = threading.Barrier(2), []
        threads = [threading.Thread(target=send, args=(i, barrier, codes)) for i in (0, 1)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert codes == [302, 302]
        rows = responses(app, pid)
        assert len(rows) == 1 and rows[0].score in (0.0, 1.0)
    assert not attempt_of(app, pid)[0].finished
