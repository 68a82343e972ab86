"""Taking quizzes through the test client, on SQLite and PostgreSQL, CSRF on, in both languages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from quizapp.attempts import option_token
from quizapp.extensions import db
from quizapp.models import Attempt, AttemptQuestion, Quiz, Response
from tests.conftest import csrf_token, login

AR = {"Accept-Language": "ar"}
EN = {"Accept-Language": "en"}


def start_practice(client, headers=EN) -> str:  # type: ignore[no-untyped-def]
    """Start the Trotsky practice quiz; return the attempt's public id."""
    token = csrf_token(client)
    r = client.post("/quiz/practice/trotsky", data={"csrf_token": token}, headers=headers)
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    m = re.match(r"/quiz/attempt/([^/]+)/1$", r.location)
    assert m, r.location
    return m.group(1)


def attempt_of(app, public_id: str) -> tuple[Attempt, list[AttemptQuestion]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        a = db.session.scalar(select(Attempt).where(Attempt.public_id == public_id))
        qs = list(a.questions)
        for q in qs:
            db.session.expunge(q)
        db.session.expunge(a)
        return a, qs


def answer_form(app, public_id: str, number: int, right: bool, page: str) -> dict:  # type: ignore[no-untyped-def]
    """The form data a student would send for question `number`: the right answer or a wrong one."""
    attempt, questions = attempt_of(app, public_id)
    q = questions[number - 1]
    snap = q.snapshot
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    if snap["type"] == "mcq":
        index = snap["answer"] if right else (snap["answer"] + 1) % len(snap["options"])
        return {"csrf_token": token, "choice": option_token(attempt, q.position, index)}
    order = list(snap["answer"]) if right else list(reversed(snap["answer"]))
    data = {"csrf_token": token}
    for rank, index in enumerate(order, start=1):
        data[f"rank_{option_token(attempt, q.position, index)}"] = str(rank)
    return data


def take_quiz(client, app, public_id: str, right: bool = True, headers=EN) -> None:  # type: ignore[no-untyped-def]
    """Answer every question through the pages, following the app's redirects."""
    for _ in range(50):
        r = client.get(f"/quiz/attempt/{public_id}", headers=headers)
        assert r.status_code == 302
        if r.location.endswith("/results"):
            return
        if r.location.endswith("/summary"):  # feedback at the end or never: finish from the summary
            token = csrf_token(client, r.location)
            data = {"csrf_token": token, "confirm": "yes"}
            finished = client.post(f"/quiz/attempt/{public_id}/finish", data=data)
            assert finished.location.endswith("/results")
            return
        number = int(r.location.rsplit("/", 1)[1])
        page = client.get(r.location, headers=headers).get_data(as_text=True)
        r = client.post(r.location, data=answer_form(app, public_id, number, right, page), headers=headers)
        assert r.status_code == 302, r.get_data(as_text=True)[:800]
    pytest.fail("the quiz never ended")


def test_student_signs_up_takes_practice_and_sees_results(client, app) -> None:
    token = csrf_token(client, "/auth/signup")
    r = client.post(
        "/auth/signup",
        data={
            "csrf_token": token,
            "username": "layla",
            "display_name": "Layla",
            "password": "a long password",
            "confirm": "a long password",
        },
        headers=EN,
    )
    assert r.status_code == 302
    pid = start_practice(client)
    _, questions = attempt_of(app, pid)
    assert len(questions) == 10
    assert {q.snapshot["type"] for q in questions} == {"mcq", "ordering"}
    take_quiz(client, app, pid, right=True)
    page = client.get(f"/quiz/attempt/{pid}/results", headers=EN).get_data(as_text=True)
    assert "10 out of 10" in page
    attempt, _ = attempt_of(app, pid)
    assert attempt.finished and attempt.score == 10.0
    mine = client.get("/quiz/mine", headers=EN).get_data(as_text=True)
    assert pid in mine and "100%" in mine


def test_wrong_answers_score_zero_and_show_the_right_answer(client, app, make_user) -> None:
    make_user("omar")
    login(client, "omar")
    pid = start_practice(client)
    take_quiz(client, app, pid, right=False)
    attempt, questions = attempt_of(app, pid)
    assert attempt.score < 10
    page = client.get(f"/quiz/attempt/{pid}/results", headers=EN).get_data(as_text=True)
    assert "Right answer:" in page
    first_mcq = next(q for q in questions if q.snapshot["type"] == "mcq")
    right_text = first_mcq.snapshot["options"][first_mcq.snapshot["answer"]]["en"]
    assert str(escape(right_text)) in page


def test_arabic_quiz_pages_are_right_to_left_with_arabic_content(client, app) -> None:
    pid = start_practice(client, headers=AR)
    page = client.get(f"/quiz/attempt/{pid}/1", headers=AR).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page
    _, questions = attempt_of(app, pid)
    prompt_ar = questions[0].snapshot["prompt"]["ar"]
    assert str(escape(prompt_ar)) in page


def test_switching_language_mid_quiz_shows_the_same_question(client, app) -> None:
    pid = start_practice(client, headers=EN)
    _, questions = attempt_of(app, pid)
    url = f"/quiz/attempt/{pid}/1"
    en_page = client.get(url, headers=EN).get_data(as_text=True)
    r = client.post("/lang/ar", data={"next": url, "csrf_token": csrf_token(client)})
    assert r.status_code == 302 and r.location == url
    ar_page = client.get(url).get_data(as_text=True)
    assert str(escape(questions[0].snapshot["prompt"]["en"])) in en_page
    assert str(escape(questions[0].snapshot["prompt"]["ar"])) in ar_page
    assert 'dir="rtl"' in ar_page


def test_language_switch_refuses_outside_redirects(client) -> None:
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        r = client.post("/lang/en", data={"next": target, "csrf_token": csrf_token(client)})
        assert r.status_code == 302 and r.location == "/"


def test_double_submit_records_one_answer(client, app, make_user) -> None:
    make_user("sami")
    login(client, "sami")
    pid = start_practice(client)
    page = client.get(f"/quiz/attempt/{pid}/1").get_data(as_text=True)
    right = answer_form(app, pid, 1, True, page)
    wrong = answer_form(app, pid, 1, False, page)
    assert client.post(f"/quiz/attempt/{pid}/1", data=right).status_code == 302
    # The second click carries another answer: the first one stands.
    assert client.post(f"/quiz/attempt/{pid}/1", data=wrong).status_code == 302
    attempt, questions = attempt_of(app, pid)
    with app.app_context():
        rows = db.session.scalars(select(Response).where(Response.attempt_id == attempt.id)).all()
        assert len(rows) == 1
        assert rows[0].score == 1.0


def test_closing_the_tab_and_coming_back_resumes(client, app, make_user) -> None:
    make_user("huda")
    login(client, "huda")
    pid = start_practice(client)
    for number in (1, 2):
        page = client.get(f"/quiz/attempt/{pid}/{number}").get_data(as_text=True)
        client.post(f"/quiz/attempt/{pid}/{number}", data=answer_form(app, pid, number, True, page))
    r = client.get(f"/quiz/attempt/{pid}")
    assert r.location == f"/quiz/attempt/{pid}/3"


def test_another_student_gets_404_everywhere(client, app, make_user) -> None:
    make_user("owner")
    make_user("intruder")
    login(client, "owner")
    pid = start_practice(client)
    other = app.test_client()
    login(other, "intruder")
    token = csrf_token(other)
    for url in (f"/quiz/attempt/{pid}", f"/quiz/attempt/{pid}/1", f"/quiz/attempt/{pid}/results"):
        assert other.get(url).status_code == 404
    assert other.post(f"/quiz/attempt/{pid}/1", data={"csrf_token": token}).status_code == 404
    assert other.post(f"/quiz/attempt/{pid}/finish", data={"csrf_token": token}).status_code == 404
    visitor = app.test_client()
    assert visitor.get(f"/quiz/attempt/{pid}/1").status_code == 404


def test_visitor_practises_without_an_account_and_is_offered_to_sign_up(client, app) -> None:
    pid = start_practice(client)
    take_quiz(client, app, pid, right=True)
    page = client.get(f"/quiz/attempt/{pid}/results", headers=EN).get_data(as_text=True)
    assert "not kept" in page and "/auth/signup" in page
    attempt, _ = attempt_of(app, pid)
    assert attempt.user_id is None
    # Another visitor cannot see it.
    assert app.test_client().get(f"/quiz/attempt/{pid}/results").status_code == 404


def test_the_page_never_carries_the_answer_key(client, app) -> None:
    pid = start_practice(client)
    attempt, questions = attempt_of(app, pid)
    for q in questions:
        page = client.get(f"/quiz/attempt/{pid}/{q.position + 1}").get_data(as_text=True)
        tokens = re.findall(r'value="([0-9a-f]{12})"', page) + re.findall(r'name="rank_([0-9a-f]{12})"', page)
        n = len(q.snapshot.get("options") or q.snapshot.get("items"))
        assert len(set(tokens)) == n
        # Tokens come in display order and are opaque: no index, no "answer", no "correct".
        assert "correct" not in page.lower() and '"answer"' not in page
    # The same question in another attempt gets other tokens.
    pid2 = start_practice(client)
    a2, _ = attempt_of(app, pid2)
    assert option_token(attempt, 0, 0) != option_token(a2, 0, 0)


def test_missing_choice_re_renders_with_a_message_in_the_language(client, app) -> None:
    pid = start_practice(client)
    _, questions = attempt_of(app, pid)
    number = next(q.position + 1 for q in questions if q.snapshot["type"] == "mcq")
    for headers, lang in ((EN, "en"), (AR, "ar")):
        page = client.get(f"/quiz/attempt/{pid}/{number}", headers=headers).get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        r = client.post(f"/quiz/attempt/{pid}/{number}", data={"csrf_token": token}, headers=headers)
        assert r.status_code == 422
        html = r.get_data(as_text=True)
        assert f'lang="{lang}"' in html
        if lang == "en":
            assert "Choose an answer." in html
        else:
            assert "Choose an answer." not in html


def test_a_choice_that_is_not_one_of_the_options_is_refused_and_nothing_is_stored(client, app) -> None:
    pid = start_practice(client)
    attempt, questions = attempt_of(app, pid)
    mcqs = [q for q in questions if q.snapshot["type"] == "mcq"]
    q, other = mcqs[0], mcqs[1]
    url = f"/quiz/attempt/{pid}/{q.position + 1}"
    page = client.get(url, headers=EN).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    # Another question's option, and a made-up token: neither is an option of this question.
    for choice in (option_token(attempt, other.position, 0), "0" * 12):
        r = client.post(url, data={"csrf_token": token, "choice": choice}, headers=EN)
        assert r.status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id)).where(Response.question_id == q.id)) == 0


def test_ordering_needs_distinct_positions(client, app) -> None:
    pid = start_practice(client)
    _, questions = attempt_of(app, pid)
    q = next(q for q in questions if q.snapshot["type"] == "ordering")
    url = f"/quiz/attempt/{pid}/{q.position + 1}"
    page = client.get(url).get_data(as_text=True)
    data = answer_form(app, pid, q.position + 1, True, page)
    for key in data:
        if key.startswith("rank_"):
            data[key] = "1"
    r = client.post(url, data=data, headers=EN)
    assert r.status_code == 422
    assert "different position" in r.get_data(as_text=True)


def test_partial_credit_for_ordering_and_the_items_marked(client, app) -> None:
    pid = start_practice(client)
    attempt, questions = attempt_of(app, pid)
    q = next(q for q in questions if q.snapshot["type"] == "ordering")
    url = f"/quiz/attempt/{pid}/{q.position + 1}"
    page = client.get(url).get_data(as_text=True)
    right = list(q.snapshot["answer"])
    swapped = [right[1], right[0], *right[2:]]  # the first two swapped: one pair of n(n-1)/2 wrong
    data = {"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)}
    for rank, index in enumerate(swapped, start=1):
        data[f"rank_{option_token(attempt, q.position, index)}"] = str(rank)
    client.post(url, data=data)
    n = len(right)
    with app.app_context():
        resp = db.session.scalar(select(Response).join(AttemptQuestion).where(AttemptQuestion.id == q.id))
        assert resp.answer == swapped
        assert resp.score == pytest.approx(1 - 1 / (n * (n - 1) / 2))
    feedback = client.get(url, headers=EN).get_data(as_text=True)
    pairs = n * (n - 1) // 2
    assert "Partly right" in feedback and "is-right" in feedback
    # The credit in the method's own terms (pairs), and no item marked wrong that earned points.
    assert f"{pairs - 1} of {pairs} pairs in the right order" in feedback and "is-wrong" not in feedback
    # The score of the whole attempt shows at most two decimals (5/6 is 0.83, not 0.833).
    finish = client.post(
        f"/quiz/attempt/{pid}/finish", data={"csrf_token": data["csrf_token"], "confirm": "yes"}
    )
    assert finish.status_code == 302
    results = client.get(f"/quiz/attempt/{pid}/results", headers=EN).get_data(as_text=True)
    shown = re.search(r"([0-9.]+) out of 10", results).group(1)
    assert shown == f"{round(1 - 1 / (n * (n - 1) / 2), 2):g}"


def test_csrf_is_enforced(client) -> None:
    r = client.post("/quiz/practice/trotsky", data={})
    assert r.status_code == 400


def test_the_answer_form_checks_the_csrf_token_when_the_app_does_not(database, tmp_path) -> None:
    """A valid answer is read without its WTForms form only once CSRFProtect has checked the token;
    with that check off (WTF_CSRF_CHECK_DEFAULT), the form checks it, as before: nothing stored."""
    from tests.conftest import make_test_app

    app = make_test_app(database, tmp_path, WTF_CSRF_CHECK_DEFAULT=False)
    try:
        client = app.test_client()
        pid = start_practice(client)
        page = client.get(f"/quiz/attempt/{pid}/1").get_data(as_text=True)
        data = answer_form(app, pid, 1, True, page)
        forged = {k: v for k, v in data.items() if k != "csrf_token"}
        assert client.post(f"/quiz/attempt/{pid}/1", data=forged).status_code == 422
        attempt, _questions = attempt_of(app, pid)
        with app.app_context():
            count = select(func.count(Response.id)).where(Response.attempt_id == attempt.id)
            assert db.session.scalar(count) == 0
            assert client.post(f"/quiz/attempt/{pid}/1", data=data).status_code == 302
            assert db.session.scalar(count) == 1
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_time_limit_is_enforced_by_the_server(client, app, make_user) -> None:
    teacher = make_user("teacher1", role="teacher")
    make_user("rami")
    with app.app_context():
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        quiz = Quiz(
            bank_id=practice.bank_id,
            owner_id=teacher.id,
            title_ar="اختبار",
            title_en="Timed test",
            code="TIMED1",
            settings={"count": 5, "time_limit_minutes": 10, "feedback": "end"},
        )
        db.session.add(quiz)
        db.session.commit()
    login(client, "rami")
    landing = client.get("/quiz/TIMED1", headers=EN).get_data(as_text=True)
    assert "Time limit: 10 minutes" in landing
    token = csrf_token(client, "/quiz/TIMED1")
    r = client.post("/quiz/TIMED1/start", data={"csrf_token": token})
    pid = r.location.split("/")[3]
    page = client.get(f"/quiz/attempt/{pid}/1", headers=EN).get_data(as_text=True)
    assert 'role="timer"' in page
    data = answer_form(app, pid, 1, True, page)
    with app.app_context():
        a = db.session.scalar(select(Attempt).where(Attempt.public_id == pid))
        a.deadline = a.started_at - dt.timedelta(minutes=1)
        db.session.commit()
    r = client.post(f"/quiz/attempt/{pid}/1", data=data)
    assert r.status_code == 302 and r.location.endswith("/results")
    with app.app_context():
        a = db.session.scalar(select(Attempt).where(Attempt.public_id == pid))
        assert a.finished
        assert (
            db.session.scalar(select(func.count()).select_from(Response).where(Response.attempt_id == a.id))
            == 0
        )


def test_feedback_at_the_end_hides_the_key_until_results(client, app, make_user) -> None:
    make_user("nour")
    with app.app_context():
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        db.session.add(
            Quiz(
                bank_id=practice.bank_id,
                title_ar="ا",
                title_en="End",
                code="ENDFB",
                settings={"count": 3, "feedback": "end"},
            )
        )
        db.session.commit()
    login(client, "nour")
    token = csrf_token(client, "/quiz/ENDFB")
    pid = client.post("/quiz/ENDFB/start", data={"csrf_token": token}).location.split("/")[3]
    page = client.get(f"/quiz/attempt/{pid}/1").get_data(as_text=True)
    r = client.post(f"/quiz/attempt/{pid}/1", data=answer_form(app, pid, 1, False, page))
    assert r.location.endswith("/2")  # straight on: no feedback page
    shown = client.get(f"/quiz/attempt/{pid}/1", headers=EN).get_data(as_text=True)
    assert "right answer" not in shown and "Your answer is saved." in shown


def test_attempts_allowed_is_enforced(client, app, make_user) -> None:
    make_user("zaid")
    with app.app_context():
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        db.session.add(
            Quiz(
                bank_id=practice.bank_id,
                title_ar="ا",
                title_en="Once",
                code="ONCE1",
                settings={"count": 2, "attempts_allowed": 1},
            )
        )
        db.session.commit()
    login(client, "zaid")
    token = csrf_token(client, "/quiz/ONCE1")
    first = client.post("/quiz/ONCE1/start", data={"csrf_token": token}).location
    assert "/quiz/attempt/" in first
    pid = first.split("/")[3]
    # A second start while the first runs resumes it; once it is finished, none is left.
    assert client.post("/quiz/ONCE1/start", data={"csrf_token": token}).location == f"/quiz/attempt/{pid}"
    client.post(f"/quiz/attempt/{pid}/finish", data={"csrf_token": token, "confirm": "yes"})
    r = client.post("/quiz/ONCE1/start", data={"csrf_token": token}, headers=EN)
    assert r.location == "/quiz/ONCE1"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_join_by_code_from_the_home_page(client, app, make_user) -> None:
    make_user("ali")
    with app.app_context():
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        db.session.add(
            Quiz(bank_id=practice.bank_id, title_ar="ا", title_en="Class 7B", code="ABC123", settings={})
        )
        db.session.commit()
    login(client, "ali")
    token = csrf_token(client)
    r = client.post("/quiz/join", data={"csrf_token": token, "code": "ABC123"})
    assert r.location == "/quiz/ABC123"
    r = client.post("/quiz/join", data={"csrf_token": token, "code": " abc123 "})
    assert r.location == "/quiz/ABC123"
    r = client.post(
        "/quiz/join", data={"csrf_token": token, "code": "NOPE"}, follow_redirects=True, headers=EN
    )
    assert 'No quiz or class has the code <code dir="ltr">NOPE</code>.' in r.get_data(as_text=True)
    # What the student typed is shown escaped inside the <code>, never as markup.
    r = client.post(
        "/quiz/join", data={"csrf_token": token, "code": "<b>x"}, follow_redirects=True, headers=EN
    )
    assert '<code dir="ltr">&lt;B&gt;X</code>' in r.get_data(as_text=True)


def test_a_quiz_in_one_language_shows_its_questions_in_it(client, app, make_user) -> None:
    make_user("farah")
    with app.app_context():
        practice = db.session.scalar(select(Quiz).where(Quiz.practice.is_(True)))
        db.session.add(
            Quiz(
                bank_id=practice.bank_id,
                title_ar="ا",
                title_en="English only",
                code="ENONLY",
                settings={"count": 3, "languages": ["en"]},
            )
        )
        db.session.commit()
    login(client, "farah")
    token = csrf_token(client, "/quiz/ENONLY")
    pid = client.post("/quiz/ENONLY/start", data={"csrf_token": token}, headers=AR).location.split("/")[3]
    attempt, questions = attempt_of(app, pid)
    assert attempt.lang == "en"
    page = client.get(f"/quiz/attempt/{pid}/1", headers=AR).get_data(as_text=True)
    assert 'lang="ar"' in page  # the interface stays in the student's language
    assert str(escape(questions[0].snapshot["prompt"]["en"])) in page
    assert str(escape(questions[0].snapshot["prompt"]["ar"])) not in page


def test_an_attempt_whose_finish_was_cut_short_is_finished_on_the_retry(client, app, make_user) -> None:
    """A worker killed between storing the last answer and finishing: the retry finishes it."""
    from quizapp.attempts import record_answer

    make_user("kamal")
    login(client, "kamal")
    pid = start_practice(client)
    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == pid))
        for q in attempt.questions:  # every answer stored, as by the cut-short requests
            snap = q.snapshot
            record_answer(attempt, q, snap["answer"] if snap["type"] == "mcq" else list(snap["answer"]))
        assert not attempt.finished
        count = len(attempt.questions)
    last = f"/quiz/attempt/{pid}/{count}"
    r = client.post(last, data={"csrf_token": csrf_token(client, last)})  # the client's retry
    assert r.status_code == 302
    r = client.get(f"/quiz/attempt/{pid}/results", headers=EN)
    assert r.status_code == 200 and "10 out of 10" in r.get_data(as_text=True)


def test_an_answer_stored_under_its_feet_is_changed_not_doubled(app, make_user, monkeypatch) -> None:
    """record_answer's last word: when the INSERT meets a row stored meanwhile (the unique question),
    that row is the answer's, changed to the new answer under feedback at the end: still one row."""
    from quizapp import attempts as svc
    from quizapp.domain.scoring import score as score_question
    from tests.web.test_exam import make_quiz

    user = make_user("ines")
    make_quiz(app, "RACE01", feedback="end")
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.code == "RACE01"))
        attempt = svc.start_attempt(quiz, "en", user_id=user.id)
        q = attempt.questions[0]
        snap = q.snapshot
        right = snap["answer"] if snap["type"] == "mcq" else list(snap["answer"])
        wrong = (right + 1) % len(snap["options"]) if snap["type"] == "mcq" else list(reversed(right))
        svc.record_answer(attempt, q, wrong)
        real, calls = svc._stored, []

        def stored(question_id: int):  # type: ignore[no-untyped-def]
            calls.append(question_id)  # the first look misses the row, as if stored meanwhile
            return None if len(calls) == 1 else real(question_id)

        monkeypatch.setattr(svc, "_stored", stored)
        svc.record_answer(attempt, q, right)
        assert len(calls) == 2  # read again after the INSERT failed
        rows = db.session.execute(select(Response.answer, Response.score).where(Response.question_id == q.id))
        assert [tuple(r) for r in rows] == [(right, float(score_question(snap, right, "pairs")))]
