"""Classes in Chromium, in Arabic and English, at desktop width and 375 px: a teacher makes a class,
makes its students' accounts from a pasted list and prints their first-time passwords, and assigns a
quiz to the class; a student logs in with a first-time password, must choose their own, and finds
the quiz on their home page. Each page goes through axe-core and the phone-width check, and leaves
screenshots in tests/e2e/screenshots/ (class-*)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import LANGS, PASSWORD, PHONE, SCREENSHOTS, check_page
from tests.e2e.test_teacher_flows import make_user

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "blue river of 1940"


def submit(page: Any, form: str = "main form[method=post]") -> None:
    """Click the last submit button of the page's main form and wait for the next page."""
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").last.click()


def log_in(page: Any, username: str, password: str) -> None:
    """Log in through the form, as a person would."""
    page.goto("/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    submit(page)


@pytest.mark.parametrize("lang", LANGS)
def test_a_class_from_roster_to_a_student_finding_the_quiz(live_server, new_page, lang: str) -> None:
    app = live_server.app
    teacher_name = f"cls_teacher_{lang}"
    make_user(app, teacher_name, "teacher", lang)
    page = new_page(lang)
    log_in(page, teacher_name, PASSWORD)

    # A class, its code shown with a copy button.
    page.goto("/teacher/classes")
    check_page(page, "class-list-empty", lang)
    page.fill("#name", "التاسع ب" if lang == "ar" else "Grade 9 B")
    submit(page)
    assert re.search(r"/teacher/classes/\d+$", page.url)
    class_url = page.url
    code = page.locator("#class-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    check_page(page, "class-page", lang)

    # Accounts from a pasted list: a bad line first (nothing saved), then the list put right.
    page.locator("a[href$='/accounts']").click()
    page.wait_for_url(re.compile(r"/accounts$"))
    users = [(f"sara_{lang}", "سارة خليل"), (f"ali1_{lang}", "Ali Hassan"), (f"ali2_{lang}", "Ali Hassan")]
    page.fill("#text", "\n".join([*(f"{u}, {n}" for u, n in users), "x, Too short"]))
    submit(page)
    problems = page.locator("#roster-problems")
    assert problems.is_visible() and "4" in problems.inner_text()
    check_page(page, "class-accounts-errors", lang)
    page.fill("#text", "\n".join(f"{u}, {n}" for u, n in users))
    submit(page)
    slips = page.locator(".password-slip")
    assert slips.count() == 3
    sheet = {}
    for i in range(3):
        slip = slips.nth(i)
        sheet[slip.locator("dd code").first.inner_text()] = slip.locator(".slip-password").inner_text()
    assert set(sheet) == {u for u, _ in users}
    check_page(page, "class-sheet", lang)
    page.emulate_media(media="print")  # the printed sheet: no navigation, no buttons
    assert not page.locator("header nav").is_visible() and not page.locator(".print-toolbar").is_visible()
    page.screenshot(path=str(SCREENSHOTS / f"class-sheet-{lang}-print.png"), full_page=True)
    page.emulate_media(media="screen")

    # The members, the two Ali Hassans told apart by their usernames.
    page.goto(class_url)
    rows = page.locator("table tbody tr")
    assert rows.count() == 3
    text = page.locator("table").inner_text()
    assert f"ali1_{lang}" in text and f"ali2_{lang}" in text

    # A quiz for the class: its checkbox in the quiz form.
    page.goto("/teacher/banks/1/quizzes/new")
    page.fill("#title_en", f"Class quiz {lang}")
    page.fill("#title_ar", f"اختبار الصف {lang}")
    page.fill("#count", "3")
    page.locator("input[name=classes]").first.check()
    check_page(page, "class-quiz-form", lang, axe=False)
    submit(page, "main form.teacher-form")
    assert re.search(r"/teacher/quizzes/\d+$", page.url), page.url

    # The student, on a phone: a first-time password, then their own, then the quiz.
    student = new_page(lang, viewport=PHONE)
    username = f"sara_{lang}"
    log_in(student, username, sheet[username])
    assert student.url.endswith("/password")
    check_page(student, "class-password", lang)
    student.fill("#password", NEW_PASSWORD)
    student.fill("#confirm", NEW_PASSWORD)
    submit(student)
    assert student.url.endswith("/")
    section = student.locator("section.class-quizzes")
    title = f"اختبار الصف {lang}" if lang == "ar" else f"Class quiz {lang}"
    assert title in section.inner_text()
    check_page(student, "class-home-student", lang)
    section.locator("a.btn-primary").first.click()
    student.wait_for_url(re.compile(r"/quiz/[A-Z2-9]{6}$"))

    # Another student, in no class, sees neither the quiz nor its code.
    other = new_page(lang)
    other_name = f"loner_{lang}"
    make_user(app, other_name, "student", lang)
    log_in(other, other_name, PASSWORD)
    assert title not in other.content()
    assert other.goto(student.url).status == 403
    assert not other.locator("form[action$='/start']").count()
