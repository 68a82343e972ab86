"""The kinds after Moodle's (issue 17) through the test client, as a browser without JavaScript
sends them: multi-answer, true/false, numerical, short answer and matching, generated from the
Trotsky bank's events and written by hand, in both languages, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from quizapp.attempts import option_token
from quizapp.banks import to_domain
from quizapp.domain.dates import to_arabic_digits
from quizapp.extensions import db
from quizapp.models import Bank, Response
from quizapp.teacher import services as teacher_svc
from tests.conftest import login
from tests.domain.test_kinds import NEW_QUESTIONS
from tests.web.test_exam import finish, make_quiz, start
from tests.web.test_quiz_flow import AR, EN, answer_form, attempt_of

GENERATED = ["tf-date", "year-typed", "match-dates"]
_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def kinds_answer(app, pid: str, number: int, right: bool, page: str, *, arabic_digits: bool = False) -> dict:  # type: ignore[no-untyped-def]
    """The form a student sends for a question of a new type: the right answer or a wrong one."""
    attempt, questions = attempt_of(app, pid)
    q = questions[number - 1]
    snap = q.snapshot
    data = {"csrf_token": _TOKEN.search(page).group(1)}
    qtype = snap["type"]
    if qtype == "multi":
        good = [i for i, f in enumerate(snap["fractions"]) if f > 0]
        bad = [i for i, f in enumerate(snap["fractions"]) if f <= 0][:1]
        data["choice"] = [option_token(attempt, q.position, i) for i in (good if right else bad)]
    elif qtype == "truefalse":
        data["choice"] = "true" if snap["answer"] == right else "false"
    elif qtype == "numerical":
        value = str(snap["answer"] if right else snap["answer"] + 7)
        data["typed"] = to_arabic_digits(value) if arabic_digits else value
    elif qtype == "shortanswer":
        full = next(a for a in snap["answers"] if a["fraction"] >= 1)
        data["typed"] = (full["text"]["en"] or full["text"]["ar"]).upper() if right else "nothing like it"
    elif qtype == "matching":
        n = len(snap["options"])
        for k, c in enumerate(snap["answer"]):
            data[f"match_{option_token(attempt, q.position, k)}"] = str((c if right else (c + 1) % n) + 1)
    else:  # mcq and ordering, as the quiz flow's tests answer them
        return answer_form(app, pid, number, right, page)
    return data


def answer_all(client, app, pid: str, right: bool, *, headers=EN, arabic_digits: bool = False) -> list[str]:  # type: ignore[no-untyped-def]
    """Answer every question of the attempt through its page; the types met."""
    _attempt, questions = attempt_of(app, pid)
    types = []
    for number in range(1, len(questions) + 1):
        page = client.get(f"/quiz/attempt/{pid}/{number}", headers=headers).get_data(as_text=True)
        data = kinds_answer(app, pid, number, right, page, arabic_digits=arabic_digits)
        r = client.post(f"/quiz/attempt/{pid}/{number}", data=data, headers=headers)
        assert r.status_code == 302, r.get_data(as_text=True)[:1500]
        types.append(questions[number - 1].snapshot["type"])
    return types


def scores(app, pid: str) -> list[float]:  # type: ignore[no-untyped-def]
    attempt, questions = attempt_of(app, pid)
    with app.app_context():
        rows = db.session.scalars(select(Response).where(Response.attempt_id == attempt.id)).all()
        by_question = {r.question_id: r.score for r in rows}
    return [by_question.get(q.id) for q in questions]


def add_authored(app) -> None:  # type: ignore[no-untyped-def]
    """The hand-written questions of every new type, added to the Trotsky bank."""
    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        kept = {q.id for q in to_domain(row).questions}
        for q in NEW_QUESTIONS:
            if q.id not in kept:
                row = teacher_svc.save_question(row, None, q)
        db.session.commit()


@pytest.mark.parametrize("headers", [AR, EN], ids=["ar", "en"])
def test_generated_kinds_answered_right_score_full_marks(client, app, make_user, headers) -> None:
    make_user("kindsweb1")
    login(client, "kindsweb1")
    make_quiz(app, "KINDG1", count=6, kinds=GENERATED, feedback="end")
    pid = start(client, "KINDG1", headers)
    page = client.get(f"/quiz/attempt/{pid}/1", headers=headers).get_data(as_text=True)
    assert "<script" not in page.split("<form", 1)[1].split("</form>", 1)[0]  # the form needs no script
    types = answer_all(client, app, pid, right=True, headers=headers, arabic_digits=headers is AR)
    assert set(types) == {"truefalse", "numerical", "matching"}
    assert finish(client, pid).status_code == 302
    assert scores(app, pid) == [1.0] * len(types)
    results = client.get(f"/quiz/attempt/{pid}/results", headers=headers).get_data(as_text=True)
    assert "6 out of 6" in results or "6 من 6" in results or "٦" in results


def test_generated_kinds_answered_wrong_score_nothing_and_show_the_key(client, app, make_user) -> None:
    make_user("kindsweb2")
    login(client, "kindsweb2")
    make_quiz(app, "KINDG2", count=6, kinds=GENERATED, feedback="immediate")
    pid = start(client, "KINDG2", EN)
    types = answer_all(client, app, pid, right=False)
    assert scores(app, pid) == [0.0] * len(types)
    _attempt, questions = attempt_of(app, pid)
    for number, q in enumerate(questions, start=1):
        page = client.get(f"/quiz/attempt/{pid}/{number}", headers=EN).get_data(as_text=True)
        assert "Right answer:" in page or "right answer" in page, q.snapshot["type"]
        if q.snapshot["type"] == "numerical":
            assert str(q.snapshot["answer"]) in page


def test_hand_written_questions_of_every_new_type(client, app, make_user) -> None:
    add_authored(app)
    make_user("kindsweb3")
    login(client, "kindsweb3")
    make_quiz(app, "KINDA1", count=10, kinds=["authored"], feedback="end")
    pid = start(client, "KINDA1", AR)
    _attempt, questions = attempt_of(app, pid)
    new = [n for n, q in enumerate(questions, start=1) if q.snapshot["type"] not in ("mcq", "ordering")]
    assert len(new) == 5
    for number in new:
        page = client.get(f"/quiz/attempt/{pid}/{number}", headers=AR).get_data(as_text=True)
        r = client.post(
            f"/quiz/attempt/{pid}/{number}", data=kinds_answer(app, pid, number, True, page), headers=AR
        )
        assert r.status_code == 302
    with app.app_context():
        stored = {
            q.snapshot["type"]: r.answer
            for q in questions
            for r in db.session.scalars(select(Response).where(Response.question_id == q.id))
        }
    assert sorted(stored["multi"]) == stored["multi"] and len(stored["multi"]) == 2
    assert stored["truefalse"] is True and stored["numerical"] == 1937
    assert stored["shortanswer"] == "MEXICO CITY" and len(stored["matching"]) == 2
    assert [s for n, s in enumerate(scores(app, pid), start=1) if n in new] == [1.0] * 5


def test_partial_credit_and_penalties(client, app, make_user) -> None:
    add_authored(app)
    make_user("kindsweb4")
    login(client, "kindsweb4")
    make_quiz(app, "KINDA2", count=10, kinds=["authored"], feedback="immediate")
    pid = start(client, "KINDA2", EN)
    attempt, questions = attempt_of(app, pid)
    by_type = {q.snapshot["type"]: (n, q) for n, q in enumerate(questions, start=1)}
    n, q = by_type["multi"]
    page = client.get(f"/quiz/attempt/{pid}/{n}").get_data(as_text=True)
    assert page.count('type="checkbox"') == 3
    good = next(i for i, f in enumerate(q.snapshot["fractions"]) if f > 0)
    data = {"csrf_token": _TOKEN.search(page).group(1), "choice": [option_token(attempt, q.position, good)]}
    assert client.post(f"/quiz/attempt/{pid}/{n}", data=data).status_code == 302
    n2, q2 = by_type["numerical"]
    page = client.get(f"/quiz/attempt/{pid}/{n2}").get_data(as_text=True)
    data = {"csrf_token": _TOKEN.search(page).group(1), "typed": "۱۹۳۸"}  # Persian digits, one year off
    assert client.post(f"/quiz/attempt/{pid}/{n2}", data=data).status_code == 302
    got = dict(zip([q.id for q in questions], scores(app, pid), strict=True))
    assert got[q.id] == 0.5 and got[q2.id] == 0.5
    page = client.get(f"/quiz/attempt/{pid}/{n}", headers=EN).get_data(as_text=True)
    assert "Partly right: 50%" in page and "costs marks" not in page


def test_double_submit_and_bad_input(client, app, make_user) -> None:
    make_user("kindsweb5")
    login(client, "kindsweb5")
    make_quiz(app, "KINDG3", count=6, kinds=["year-typed", "match-dates"], feedback="immediate")
    pid = start(client, "KINDG3", EN)
    attempt, questions = attempt_of(app, pid)
    for number, q in enumerate(questions, start=1):
        page = client.get(f"/quiz/attempt/{pid}/{number}").get_data(as_text=True)
        token = _TOKEN.search(page).group(1)
        if q.snapshot["type"] == "numerical":
            url = f"/quiz/attempt/{pid}/{number}"
            r = client.post(url, data={"csrf_token": token, "typed": "the thirties"}, headers=EN)
            assert r.status_code == 422 and "Type a number in digits" in r.get_data(as_text=True)
            r = client.post(f"/quiz/attempt/{pid}/{number}", data={"csrf_token": token, "typed": ""})
            assert r.status_code == 422
        else:
            r = client.post(f"/quiz/attempt/{pid}/{number}", data={"csrf_token": token}, headers=EN)
            assert r.status_code == 422 and "Choose an answer for each item." in r.get_data(as_text=True)
            stray = {"csrf_token": token}
            stray.update(
                {
                    f"match_{option_token(attempt, q.position, k)}": "99"
                    for k in range(len(q.snapshot["items"]))
                }
            )
            assert client.post(f"/quiz/attempt/{pid}/{number}", data=stray).status_code == 400
        right = kinds_answer(app, pid, number, True, page)
        wrong = kinds_answer(app, pid, number, False, page)
        assert client.post(f"/quiz/attempt/{pid}/{number}", data=right).status_code == 302
        assert client.post(f"/quiz/attempt/{pid}/{number}", data=right).status_code == 302  # a double click
        assert client.post(f"/quiz/attempt/{pid}/{number}", data=wrong).status_code == 302  # a second tab
    with app.app_context():
        count = db.session.scalar(select(func.count(Response.id)).where(Response.attempt_id == attempt.id))
    assert count == len(questions)
    assert scores(app, pid) == [1.0] * len(questions)  # the first answer stood


def test_an_answer_changes_until_finished_with_feedback_at_the_end(client, app, make_user) -> None:
    make_user("kindsweb6")
    login(client, "kindsweb6")
    make_quiz(app, "KINDG4", count=3, kinds=["tf-date"], feedback="end")
    pid = start(client, "KINDG4", EN)
    page = client.get(f"/quiz/attempt/{pid}/1").get_data(as_text=True)
    assert (
        client.post(f"/quiz/attempt/{pid}/1", data=kinds_answer(app, pid, 1, False, page)).status_code == 302
    )
    page = client.get(f"/quiz/attempt/{pid}/1").get_data(as_text=True)
    assert " checked" in page  # the stored answer is shown again
    assert (
        client.post(f"/quiz/attempt/{pid}/1", data=kinds_answer(app, pid, 1, True, page)).status_code == 302
    )
    assert scores(app, pid)[0] == 1.0


def test_old_quizzes_keep_the_old_kinds(client, app, make_user) -> None:
    make_user("kindsweb7")
    login(client, "kindsweb7")
    make_quiz(app, "KINDOLD", count=15)
    pid = start(client, "KINDOLD", EN)
    _attempt, questions = attempt_of(app, pid)
    assert {q.kind for q in questions}.isdisjoint(GENERATED)


def test_reports_and_printing_of_the_new_kinds(client, app, make_user) -> None:
    add_authored(app)
    teacher = make_user("kindsteach1", role="teacher")
    make_user("kindsweb8")
    make_quiz(app, "KINDR1", owner=teacher, count=30, kinds=[*GENERATED, "authored"], feedback="end")
    login(client, "kindsweb8")
    pid = start(client, "KINDR1", EN)
    types = answer_all(client, app, pid, right=True)
    assert finish(client, pid).status_code == 302
    client = app.test_client()  # the teacher's own browser
    login(client, "kindsteach1", lang="en")
    attempt, questions = attempt_of(app, pid)
    report = client.get(f"/reports/quiz/{attempt.quiz_id}", headers=EN)
    assert report.status_code == 200
    for q in questions:
        if q.snapshot["type"] in ("mcq", "ordering"):
            continue
        page = client.get(
            f"/reports/quiz/{attempt.quiz_id}/question", query_string={"key": q.key}, headers=EN
        )
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and 'id="table-options"' in html, q.snapshot["type"]
        csv = client.get(f"/reports/quiz/{attempt.quiz_id}/options.csv", query_string={"key": q.key})
        assert csv.status_code == 200 and len(csv.get_data(as_text=True).splitlines()) >= 2
    detail = client.get(f"/reports/quiz/{attempt.quiz_id}/responses.csv", headers=EN)
    assert detail.status_code == 200 and "Mexico City" in detail.get_data(as_text=True).upper().title()
    hub = client.get(f"/teacher/quizzes/{attempt.quiz_id}", headers=EN).get_data(as_text=True)
    assert "kind=tf-date" in hub
    for lang in ("ar", "en"):
        args = {"lang": lang, "seed": "k", "count": 12, "kind": [*GENERATED, "authored"]}
        printed = client.get("/teacher/print/trotsky", query_string=args).get_data(as_text=True)
        key = client.get("/teacher/print/trotsky/key", query_string=args).get_data(as_text=True)
        assert printed.count('class="print-question"') == 12 and key.count('class="print-question"') == 12
        assert "print-matching" in printed and "write-line" in printed
        assert "print-truefalse" in printed and (lang == "ar" or "True" in printed)
    assert set(types) >= {"multi", "truefalse", "numerical", "shortanswer", "matching"}


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"', html)
    return m.group(1) or m.group(2)


def _input(html: str, name: str) -> str:
    m = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', m.group(0)) if m else None
    return unescape(value.group(1)) if value else ""


def _textarea(html: str, name: str) -> str | None:
    m = re.search(rf'<textarea[^>]*name="{name}"[^>]*>\n?([^<]*)</textarea>', html)
    return unescape(m.group(1)) if m else None


NEW_FORMS = {
    "multi": {"choices": "أصفر | yellow\nأحمر | red\nبيج | off-beige", "credits": "50, -100, 50"},
    "truefalse": {"correct": "false"},
    "numerical": {"answers": "١٩٣٧ | 0 | 100\n1937 | 1 | 50"},
    "shortanswer": {"answers": "مكسيكو سيتي | Mexico City | 100\n | Coyoac* | 50", "case_sensitive": "y"},
    "matching": {
        "pairs": "لينين | Lenin\nتروتسكي | Trotsky",
        "pair_answers": "روسيا | Russia\nالمكسيك | Mexico",
        "extra": "إسبانيا | Spain",
    },
}


@pytest.mark.parametrize("qtype", list(NEW_FORMS))
def test_a_teacher_writes_and_edits_each_new_type_in_the_browser(client, app, make_user, qtype) -> None:
    teacher = make_user("kindsteach2", role="teacher")
    login(client, "kindsteach2", lang="en")
    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        row.owner_id = teacher.id  # the teacher's own bank
        db.session.commit()
        bank_id = row.id
    url = f"/teacher/banks/{bank_id}/questions/new/{qtype}"
    page = client.get(url, headers=EN)
    assert page.status_code == 200
    token = _csrf(page.get_data(as_text=True))
    data = {"csrf_token": token, "key": f"k-{qtype}", "prompt_ar": "سؤال؟",
            "prompt_en": "Question?", **NEW_FORMS[qtype]}  # fmt: skip
    r = client.post(url, data=data, headers=EN)
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        saved = next(q for q in to_domain(row).questions if q.id == f"k-{qtype}")
    wanted = next(q for q in NEW_QUESTIONS if q.type == qtype)
    if qtype == "multi":
        assert saved.fractions == (0.5, -1.0, 0.5) and len(saved.options) == 3
    elif qtype == "truefalse":
        assert saved.correct is False
    elif qtype == "numerical":
        assert saved.answers == wanted.answers
    elif qtype == "shortanswer":
        assert saved.answers == wanted.answers and saved.case_sensitive
    else:

        def english(pairs):  # type: ignore[no-untyped-def]
            return [(p.left.en if p.left else None, p.right.en) for p in pairs]

        assert english(saved.pairs) == english(wanted.pairs)
    # editing shows the question as saved, and saving it again changes nothing
    edit = client.get(f"/teacher/banks/{bank_id}/questions/k-{qtype}/edit", headers=EN).get_data(as_text=True)
    values = {"csrf_token": _csrf(edit), "version": _input(edit, "version")}
    for name in (
        "key",
        "prompt_ar",
        "prompt_en",
        "choices",
        "credits",
        "answers",
        "pairs",
        "pair_answers",
        "extra",
    ):
        found = _textarea(edit, name) if "<textarea" in edit and f'name="{name}"' in edit else None
        values[name] = found if found is not None else _input(edit, name)
    if qtype == "truefalse":
        values["correct"] = re.search(
            r'<option selected value="(\w+)"|<option value="(\w+)" selected', edit
        ).group(1)
    if qtype == "shortanswer":
        assert re.search(r'<input checked[^>]*name="case_sensitive"|name="case_sensitive"[^>]*checked', edit)
        values["case_sensitive"] = "y"
    r = client.post(f"/teacher/banks/{bank_id}/questions/k-{qtype}/edit", data=values, headers=EN)
    assert r.status_code == 302, r.get_data(as_text=True)[:3000]
    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        again = next(q for q in to_domain(row).questions if q.id == f"k-{qtype}")
    assert again == saved


def test_a_teacher_is_told_what_is_wrong_with_a_new_type(client, app, make_user) -> None:
    teacher = make_user("kindsteach3", role="teacher")
    login(client, "kindsteach3", lang="en")
    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        row.owner_id = teacher.id
        db.session.commit()
        bank_id = row.id
    base = {"prompt_ar": "سؤال؟", "prompt_en": "Question?"}
    cases = {
        "multi": ({**NEW_FORMS["multi"], "credits": "50, -100"}, "Give one credit for each of the 3 options"),
        "numerical": ({"answers": "nineteen | 0 | 100"}, "is not a number"),
        "shortanswer": ({"answers": "a | b | 50"}, "no accepted answer earns full credit"),
        "matching": (
            {**NEW_FORMS["matching"], "pair_answers": "روسيا | Russia"},
            "Write one answer for each item",
        ),
    }
    for qtype, (fields, message) in cases.items():
        url = f"/teacher/banks/{bank_id}/questions/new/{qtype}"
        token = _csrf(client.get(url, headers=EN).get_data(as_text=True))
        r = client.post(url, data={"csrf_token": token, **base, **fields}, headers=EN)
        assert r.status_code == 422 and message in r.get_data(as_text=True), qtype


def test_the_quiz_form_offers_the_new_kinds_unticked_and_saves_them(client, app, make_user) -> None:
    from tests.web.test_teacher import QUIZ, post

    make_user("kindsteach4", role="teacher")
    login(client, "kindsteach4", lang="en")
    with app.app_context():
        bank_id = db.session.scalar(select(Bank.id).where(Bank.slug == "trotsky"))
    page = client.get(f"/teacher/banks/{bank_id}/quizzes/new", headers=EN).get_data(as_text=True)
    for kind in GENERATED:
        box = re.search(rf'<input[^>]*value="{kind}"[^>]*>', page).group(0)
        assert "checked" not in box  # a new quiz keeps the usual mix unless the teacher asks
    assert re.search(
        r'<input[^>]*checked[^>]*value="event-date"|<input[^>]*value="event-date"[^>]*checked', page
    )
    r = post(
        client, f"/teacher/banks/{bank_id}/quizzes/new", {**QUIZ, "kinds": ["tf-date", "match-dates"]}, "en"
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    with app.app_context():
        from quizapp.models import Quiz

        quiz = db.session.scalar(select(Quiz).where(Quiz.practice.is_(False)))
        assert quiz.settings["kinds"] == ["tf-date", "match-dates"]


def test_the_feedback_of_the_answer_given_is_shown(client, app, make_user) -> None:
    from dataclasses import replace

    from quizapp.domain.bank import Text

    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        city = next(q for q in NEW_QUESTIONS if q.type == "shortanswer")
        said = Text(
            ar="قريب: كويواكان حيّ في مدينة مكسيكو.", en="Close: Coyoacán is a borough of Mexico City."
        )
        answers = (city.answers[0], replace(city.answers[1], feedback=said))
        teacher_svc.save_question(row, None, replace(city, id="city-fb", answers=answers))
    make_user("kindsweb9")
    login(client, "kindsweb9")
    make_quiz(app, "KINDFB", count=20, kinds=["authored"], feedback="immediate")
    pid = start(client, "KINDFB", EN)
    _attempt, questions = attempt_of(app, pid)
    number = next(n for n, q in enumerate(questions, start=1) if q.key == "authored:city-fb")
    page = client.get(f"/quiz/attempt/{pid}/{number}", headers=EN).get_data(as_text=True)
    r = client.post(
        f"/quiz/attempt/{pid}/{number}", data={"csrf_token": _csrf(page), "typed": "Coyoacán"}, headers=EN
    )
    assert r.status_code == 302
    page = client.get(f"/quiz/attempt/{pid}/{number}", headers=EN).get_data(as_text=True)
    assert "Partly right: 50%" in page and "Coyoacán is a borough of Mexico City." in page
