"""The kinds after Moodle's (issue 17) in Chromium, in Arabic and English: a student answers a
generated true/false, typed year and matching question and hand-written questions of every new
type (several right answers, true/false, numerical, short answer, matching), with the mouse, the
keyboard and touch-sized controls; once more without JavaScript. Each page passes axe-core and
fits a 375 px phone; screenshots at both widths (tests/e2e/screenshots/kinds-*)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from tests.e2e.conftest import DESKTOP, PASSWORD, PHONE, check_page, log_in, question_number

pytestmark = pytest.mark.e2e

GENERATED = ["tf-date", "year-typed", "match-dates"]
NEW = ("multi", "truefalse", "numerical", "shortanswer", "matching")


def set_up(app: Any, lang: str, suffix: str = "") -> tuple[str, str]:
    """A student speaking `lang`, the hand-written questions of every new type in a copy of the Trotsky bank,
    and two quizzes (the generated kinds; the hand-written questions), feedback at once: their codes."""
    from sqlalchemy import select

    from quizapp.banks import save_bank, to_domain
    from quizapp.extensions import db
    from quizapp.models import Bank, Quiz, User
    from quizapp.teacher import services as teacher_svc
    from tests.domain.test_kinds import NEW_QUESTIONS

    name = f"kinds_student_{lang}{suffix}"
    codes = (f"KG{lang.upper()}{suffix.upper()}", f"KA{lang.upper()}{suffix.upper()}")
    with app.app_context():
        user = User(username=name, display_name=name.title(), role="student", locale=lang)
        user.set_password(PASSWORD)
        db.session.add(user)
        # A copy of the Trotsky bank: the other browser tests share this server and its bank.
        first = to_domain(db.session.scalar(select(Bank).where(Bank.slug == "trotsky")))
        slug = f"kinds-quiz-{lang}{suffix}".lower()
        row = db.session.scalar(select(Bank).where(Bank.slug == slug)) or save_bank(
            dataclasses.replace(first, slug=slug)
        )
        db.session.commit()
        kept = {q.id for q in to_domain(row).questions}
        for q in NEW_QUESTIONS:
            if q.id not in kept:
                row = teacher_svc.save_question(row, None, q)
        for code, kinds, count in ((codes[0], GENERATED, 3), (codes[1], ["authored"], 12)):
            db.session.add(
                Quiz(
                    bank_id=row.id, title_ar="أنواع الأسئلة", title_en="Kinds of question", code=code,
                    settings={"count": count, "kinds": kinds, "feedback": "immediate"},
                )
            )  # fmt: skip
        db.session.commit()
    return codes


def snapshot(app: Any, public_id: str, number: int) -> dict:
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Attempt

    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == public_id))
        return attempt.questions[number - 1].snapshot


def stored_scores(app: Any, public_id: str) -> dict[str, float]:
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Attempt

    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == public_id))
        assert all(q.response for q in attempt.questions), "a question left unanswered"
        return {q.snapshot["type"]: q.response.score for q in attempt.questions}


def answer_right(page: Any, snap: dict, lang: str, js: bool) -> None:
    """Answer the question on the page rightly: mouse for options, keyboard for typing and for
    matching with JavaScript, plain selection without."""
    qtype = snap["type"]
    if qtype == "multi":
        for i, f in enumerate(snap["fractions"]):
            if f > 0:
                page.locator(".option-label").nth(i).click()
    elif qtype == "truefalse":
        page.locator(".option-label").nth(0 if snap["answer"] else 1).click()
    elif qtype == "numerical":
        page.locator("#typed").click()
        digits = str(snap["answer"])
        page.keyboard.type(
            digits.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) if lang == "ar" else digits
        )
    elif qtype == "shortanswer":
        full = next(a for a in snap["answers"] if a["fraction"] >= 1)
        page.locator("#typed").fill(full["text"][lang] or full["text"]["en"])
    elif qtype == "matching":
        selects = page.locator("select[name^=match_]")
        for k, c in enumerate(snap["answer"]):
            if js:  # the keyboard: focus the select, move down to the answer, Enter... as a person
                selects.nth(k).focus()
                selects.nth(k).select_option(index=c + 1)
            else:
                selects.nth(k).select_option(value=str(c + 1))
    elif qtype == "mcq":
        page.locator(".option-label").nth(snap["answer"]).click()
    # ordering: the positions as shown are an answer


def walk(app: Any, page: Any, code: str, lang: str, *, js: bool = True, shots: bool = True) -> dict:
    """Start the quiz by its code and answer every question rightly; the stored scores by type."""
    page.goto(f"/quiz/{code}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: question_number_of(url) == 1)
    public_id = page.url.split("/quiz/attempt/")[1].split("/")[0]
    for _ in range(15):
        number = question_number(page)
        if number is None:
            break
        snap = snapshot(app, public_id, number)
        if shots and snap["type"] in NEW:
            check_page(page, f"kinds-{snap['kind']}-{snap['type']}", lang)
        answer_right(page, snap, lang, js)
        page.locator("form.answer-form button[type=submit]").click()
        page.locator("main [role=status]").first.wait_for()
        if snap["type"] in NEW:
            assert page.locator("main .alert-success").count() == 1, f"{snap['type']}: not right"
            if shots:
                check_page(page, f"kinds-{snap['kind']}-{snap['type']}-feedback", lang)
        page.locator("main a.btn-primary").click()
        page.wait_for_load_state()
    assert page.url.endswith("/results"), page.url
    if shots:
        check_page(page, f"kinds-results-{code}", lang)
    return stored_scores(app, public_id)


def question_number_of(url: str) -> int | None:
    tail = url.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else None


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_student_answers_each_new_kind(live_server: Any, new_page: Any, lang: str) -> None:
    generated, authored = set_up(live_server.app, lang)
    page = new_page(lang, PHONE if lang == "ar" else DESKTOP)
    log_in(page, f"kinds_student_{lang}")
    scores = walk(live_server.app, page, generated, lang)
    assert set(scores) == {"truefalse", "numerical", "matching"} and set(scores.values()) == {1.0}
    scores = walk(live_server.app, page, authored, lang)
    assert {t for t in scores if t in NEW} == set(NEW)
    assert all(scores[t] == 1.0 for t in NEW)


def test_every_new_kind_works_without_javascript(live_server: Any, new_page: Any) -> None:
    generated, authored = set_up(live_server.app, "en", suffix="nojs")
    page = new_page("en", PHONE, js=False)
    log_in(page, "kinds_student_ennojs")
    scores = walk(live_server.app, page, generated, "en", js=False, shots=False)
    assert set(scores.values()) == {1.0}
    scores.update(walk(live_server.app, page, authored, "en", js=False, shots=False))
    assert all(scores[t] == 1.0 for t in NEW)


TEACHER_FORMS = {
    "multi": {"#choices": "أصفر | yellow\nأحمر | red\nبيج | off-beige", "#credits": "50, -100, 50"},
    "truefalse": {},
    "numerical": {"#answers": "1937 | 0 | 100\n1937 | 1 | 50"},
    "shortanswer": {"#answers": "مكسيكو سيتي | Mexico City | 100"},
    "matching": {
        "#pairs": "لينين | Lenin\nتروتسكي | Trotsky",
        "#pair_answers": "روسيا | Russia\nالمكسيك | Mexico",
    },
}


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_teacher_writes_each_new_type(live_server: Any, new_page: Any, lang: str) -> None:
    """The teacher's form of each new type, filled with the keyboard and saved; its page and the
    bank's list pass axe-core and fit a phone."""
    from sqlalchemy import select

    from quizapp.banks import to_domain
    from quizapp.domain.bank import Text
    from quizapp.extensions import db
    from quizapp.models import Bank, User
    from quizapp.teacher import services as teacher_svc

    app = live_server.app
    name = f"kinds_teacher_{lang}"
    with app.app_context():
        user = User(username=name, display_name=name.title(), role="teacher", locale=lang)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        bank_id = teacher_svc.create_bank(user, f"kinds-{lang}", Text("أنواع", "Kinds"), None).id
    page = new_page(lang, DESKTOP if lang == "en" else PHONE)
    log_in(page, name)
    for qtype, fields in TEACHER_FORMS.items():
        page.goto(f"/teacher/banks/{bank_id}/questions/new/{qtype}")
        page.fill("#key", f"q-{qtype}")
        page.fill("#prompt_ar", "سؤال؟")
        page.fill("#prompt_en", "A question?")
        for selector, value in fields.items():
            page.fill(selector, value)
        check_page(page, f"kinds-teacher-{qtype}", lang)
        page.locator("main form.teacher-form button[type=submit]").click()
        page.wait_for_url(
            lambda url: url.endswith("/questions") or "#questions" in url or url.endswith(f"/banks/{bank_id}")
        )
    check_page(page, "kinds-teacher-bank", lang)
    with app.app_context():
        row = db.session.get(Bank, bank_id)
        assert {q.type for q in to_domain(row).questions} == set(TEACHER_FORMS)
        assert db.session.scalar(select(Bank.slug).where(Bank.id == bank_id)) == f"kinds-{lang}"
