"""A class exam in Chromium, in Arabic on a 375 px phone and in English on a desktop: a student
starts a timed closed-book quiz, loses the tab, resumes, flags a question, reviews the summary,
changes an answer and finishes from the summary; the teacher releases the results; the student
sees them. Screenshots of each step at both widths (tests/e2e/screenshots/exam-*)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import (
    DESKTOP,
    PASSWORD,
    PHONE,
    attempt_id_of,
    check_page,
    is_ordering,
    log_in,
    question_number,
)

pytestmark = pytest.mark.e2e

QUESTION_OR_SUMMARY = re.compile(r"/quiz/attempt/[^/]+/(\d+|summary)$")
WALK = {"ar": PHONE, "en": DESKTOP}  # each language walked at one width; screenshots at both


def set_up(app: Any, lang: str) -> tuple[str, int]:
    """A teacher, a student (both speaking `lang`) and the teacher's timed quiz with feedback never
    (closed book by default); its code and id."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Bank, Quiz, User

    with app.app_context():
        for name, role in ((f"exam_teacher_{lang}", "teacher"), (f"exam_student_{lang}", "student")):
            user = User(username=name, display_name=name.title(), role=role, locale=lang)
            user.set_password(PASSWORD)
            db.session.add(user)
        db.session.flush()
        teacher = db.session.scalar(select(User).where(User.username == f"exam_teacher_{lang}"))
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        quiz = Quiz(
            bank_id=bank.id,
            owner_id=teacher.id,
            title_ar="امتحان تروتسكي",
            title_en="Trotsky exam",
            code=f"EXAM{lang.upper()}",
            settings={
                "count": 4,
                "kinds": ["event-date", "ordering"],
                "feedback": "never",
                "time_limit_minutes": 20,
            },
        )
        db.session.add(quiz)
        db.session.commit()
        return quiz.code, quiz.id


def stored(app: Any, public_id: str) -> dict[int, tuple[Any, Any]]:
    """Per question number, the stored (answer, last change) of the attempt."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Attempt

    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == public_id))
        answered = [q for q in attempt.questions if q.response]
        return {q.position + 1: (q.response.answer, q.response.updated_at) for q in answered}


def save(page: Any) -> None:
    """Click "Save answer" and wait for the next question's page (after the POST's redirect)."""
    before = page.url
    page.locator("form.answer-form button[type=submit]").click()
    page.wait_for_url(lambda url: url != before and QUESTION_OR_SUMMARY.search(url) is not None)


def answer(page: Any, option: int = 0) -> None:
    """Answer the question on the page: option `option` of a multiple choice, or an ordering with
    its last item moved up once (with the script's buttons)."""
    if is_ordering(page):
        page.locator("ol.ordering > li").last.locator(".move-up").click()
    else:
        page.locator(".option-label").nth(option).click()
    save(page)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_a_student_sits_a_closed_book_exam_and_sees_the_released_results(new_page, live_server, lang) -> None:
    app = live_server.app
    code, quiz_id = set_up(app, lang)
    name = "exam"
    page = new_page(lang, WALK[lang])
    log_in(page, f"exam_student_{lang}")

    # Start the timed quiz and answer question 1.
    page.goto(f"/quiz/{code}")
    check_page(page, f"{name}-landing", lang, axe=lang == "ar")
    page.locator(f'form[action$="/quiz/{code}/start"] button').click()
    page.wait_for_url(re.compile(r"/quiz/attempt/[^/]+/1$"))
    public_id = attempt_id_of(page.url)
    assert question_number(page) == 1 and page.locator("[role=timer]").count() == 1
    first_kind_is_mcq = not is_ordering(page)
    answer(page)
    assert question_number(page) == 2

    # Closed book: the bank's explore page is closed, and says until when.
    response = page.goto("/learn/trotsky")
    assert response.status == 403
    assert page.locator("main .alert-warning").count() == 1
    check_page(page, f"{name}-closed-book", lang, axe=lang == "ar")

    # The tab is lost: a new one, with the same cookies, back through the quiz's code.
    state = page.context.storage_state()
    page.context.close()
    page = new_page(lang, WALK[lang], state=state)
    page.goto(f"/quiz/{code}")
    resume = page.locator(f'main a[href="/quiz/attempt/{public_id}"]')
    assert resume.count() == 1
    check_page(page, f"{name}-resume", lang, axe=lang == "ar")
    with page.expect_navigation():
        resume.click()
    assert attempt_id_of(page.url) == public_id and question_number(page) == 2  # where it was left

    # Flag question 2 for review, answer it; question 3 comes next.
    with page.expect_navigation():
        page.locator(".flag-form button").click()
    assert page.locator(".flag-badge").count() == 1
    answer(page)
    assert question_number(page) == 3
    check_page(page, f"{name}-question", lang, axe=lang == "ar")

    # The summary: answered, unanswered and flagged, each a link.
    with page.expect_navigation():
        page.locator(".quiz-nav a").last.click()
    assert page.url.endswith("/summary")
    assert page.locator(".quiz-summary li").count() == 4
    assert page.locator(".quiz-summary .text-bg-warning").count() == 1  # the flag on question 2
    assert page.locator(".quiz-summary .text-bg-danger").count() == 2  # 3 and 4 have no answer
    check_page(page, f"{name}-summary", lang, axe=lang == "ar")

    # Change the answer to question 1 from the summary.
    before = stored(app, public_id)[1]
    with page.expect_navigation():
        page.locator(f'.quiz-summary a[href$="/{public_id}/1"]').click()
    assert page.locator("main .alert-info").count() == 1  # "your answer is saved, you can change it"
    answer(page, option=1 if first_kind_is_mcq else 0)
    after = stored(app, public_id)[1]
    assert after[0] != before[0] and after[1] is not None and len(stored(app, public_id)) == 2

    # Finish from the summary, through the confirmation that names the unanswered questions.
    page.goto(f"/quiz/attempt/{public_id}/summary")
    with page.expect_navigation():
        page.locator(f'main a[href$="/{public_id}/finish"]').click()
    warning = page.locator("main .alert-warning")
    assert warning.locator("a").count() == 2
    check_page(page, f"{name}-confirm", lang, axe=lang == "ar")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/results")
    assert page.locator(".score").count() == 0  # feedback never: nothing until the release
    check_page(page, f"{name}-waiting", lang, axe=lang == "ar")

    # The teacher releases the results, confirming with the box.
    teacher = new_page(lang, WALK[lang])
    log_in(teacher, f"exam_teacher_{lang}")
    teacher.goto(f"/teacher/quizzes/{quiz_id}")
    teacher.locator(".release-results input[type=checkbox]").check()
    with teacher.expect_navigation():
        teacher.locator(".release-results button[type=submit]").click()
    assert teacher.locator(".release-results form").count() == 0
    check_page(teacher, f"{name}-released", lang, axe=lang == "ar")

    # The student sees the score and every answer.
    page.reload()
    assert page.locator(".score").count() == 1
    assert page.locator("ol.results > li").count() == 4
    assert re.search(r"\d", page.locator(".score").inner_text())
    check_page(page, f"{name}-results", lang, axe=lang == "ar")
    response = page.goto("/learn/trotsky")
    assert response.status == 200  # open again once finished
