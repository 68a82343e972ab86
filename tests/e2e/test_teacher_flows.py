"""Teachers and admins in Chromium, in Arabic and English: a bank made by hand and a quiz set from
it, then taken by a student with the code; events accepted from a pasted text; every report opened
and a CSV downloaded. Each page they see goes through axe-core and the phone-width check."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import (
    LANGS,
    PASSWORD,
    check_page,
    click_first_option,
    log_in,
    make_class_quiz,
    ordering_tokens,
    submit_answer,
    take_quiz,
)

pytestmark = pytest.mark.e2e

#: axe-core is the slow part (1 s a page on a busy machine): the teachers' and admins' pages run it
#: in Arabic, the layout that breaks first; both languages get the layout check and screenshots.
AXE = {"ar": True, "en": False}

EVENTS = [  # (date, Arabic title, English title): distinct years, so they can be put in order
    ("1917", "ثورة أكتوبر", "The October Revolution"),
    ("1924", "وفاة لينين", "Lenin dies"),
    ("1929", "نفي تروتسكي من الاتحاد السوفيتي", "Trotsky expelled from the Soviet Union"),
    ("1940", "اغتيال تروتسكي", "Trotsky is assassinated"),
]


def make_user(app: Any, username: str, role: str, lang: str) -> None:
    """An account of any role, its language saved."""
    from quizapp.extensions import db
    from quizapp.models import User

    with app.app_context():
        user = User(username=username, display_name=username.title(), role=role, locale=lang)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()


def submit_main_form(page: Any, selector: str = "main form[method=post] button[type=submit]") -> None:
    """Click the page's main submit button and wait for the answer."""
    with page.expect_navigation():
        page.locator(selector).last.click()


def quiz_code(app: Any, title_en: str) -> str:
    """The join code of the quiz with that English title."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Quiz

    with app.app_context():
        return db.session.scalar(select(Quiz.code).where(Quiz.title_en == title_en))


def order_with_one_move(page: Any, number: int) -> None:
    """An ordering answer: the last item up one place."""
    last = ordering_tokens(page)[-1]
    page.locator(f'ol.ordering > li[data-token="{last}"] .move-up').click()
    submit_answer(page)


@pytest.mark.parametrize("lang", LANGS)
def test_teacher_makes_a_bank_and_a_quiz_a_student_takes_it(new_page, live_server, lang: str) -> None:
    app = live_server.app
    make_user(app, f"teacher_{lang}", "teacher", lang)
    page = new_page(lang)
    log_in(page, f"teacher_{lang}")
    page.goto("/teacher/")
    check_page(page, "teacher-index", lang, axe=AXE[lang])
    page.goto("/teacher/banks/new")
    check_page(page, "teacher-new-bank", lang, axe=AXE[lang])
    page.fill("#title_ar", "تروتسكي باختصار")
    page.fill("#title_en", f"Trotsky in short {lang}")
    page.fill("#slug", f"short-{lang}")
    submit_main_form(page)
    assert re.search(r"/teacher/banks/\d+$", page.url), page.url
    bank_url = page.url
    for i, (date, title_ar, title_en) in enumerate(EVENTS):
        page.goto(f"{bank_url}/events/new")
        page.fill("#date", "1940-13" if i == 0 else date)  # the first time, a month that does not exist
        page.fill("#title_ar", title_ar)
        page.fill("#title_en", title_en)
        submit_main_form(page)
        if i == 0:
            # The mistake is named next to its field, and the field says so to assistive technology.
            date_field = page.locator("#date")
            assert "is-invalid" in (date_field.get_attribute("class") or "")
            message = page.locator("#date ~ .invalid-feedback, .invalid-feedback:near(#date)").first
            assert message.is_visible() and message.text_content().strip()
            check_page(page, "teacher-event-error", lang, axe=AXE[lang])
            date_field.fill(date)
            submit_main_form(page)
        assert page.url.split("#")[0] == bank_url, page.url
    assert page.locator("main table tbody tr").count() >= len(EVENTS)
    check_page(page, "teacher-bank", lang, axe=AXE[lang])
    page.locator('main a[href$="/preview"]').first.click()
    page.wait_for_url("**/preview")
    assert page.locator(".teacher-preview > li").count() > 0
    check_page(page, "teacher-preview", lang, axe=AXE[lang])
    page.goto(f"{bank_url}/quizzes/new")
    title_en = f"Short quiz {lang}"
    page.fill("#title_ar", "اختبار قصير")
    page.fill("#title_en", title_en)
    page.fill("#count", "3")
    page.check('input[name="feedback"][value="immediate"]')
    check_page(page, "teacher-new-quiz", lang, axe=AXE[lang])
    submit_main_form(page)
    assert re.search(r"/teacher/quizzes/\d+$", page.url), page.url
    code = quiz_code(app, title_en)
    # The code on the quiz's page, and in the message that says it is saved.
    assert code and page.locator(f"main .alert code:text-is('{code}')").count() == 1
    assert page.locator(f"main code:text-is('{code}')").count() == 2
    check_page(page, "teacher-quiz", lang, axe=AXE[lang])

    # A student joins with the code and takes the quiz.
    make_user(app, f"pupil_{lang}", "student", lang)
    student = new_page(lang)
    log_in(student, f"pupil_{lang}")
    student.fill("#code", code)
    student.locator('form[action$="/quiz/join"] button[type=submit]').click()
    student.wait_for_url(f"**/quiz/{code}")
    student.locator("main form button[type=submit]").click()
    student.wait_for_url(re.compile(r"/quiz/attempt/[^/]+/1$"))
    take_quiz(student, click_first_option, order_with_one_move)
    assert student.locator("main .score").is_visible()


TEXTS = {
    "en": "Trotsky was exiled to Alma-Ata in January 1928. In 1929 he was expelled from the Soviet "
    "Union. He arrived in Mexico in January 1937.",
    "ar": "نُفي تروتسكي إلى ألما آتا في يناير 1928. وفي عام 1929 طُرد من الاتحاد السوفيتي. "
    "ووصل إلى المكسيك في يناير 1937.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_teacher_accepts_events_proposed_from_a_pasted_text(new_page, live_server, lang: str) -> None:
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Bank

    app = live_server.app
    make_user(app, f"paster_{lang}", "teacher", lang)
    page = new_page(lang)
    log_in(page, f"paster_{lang}")
    page.goto("/teacher/extract")
    check_page(page, "teacher-extract", lang, axe=AXE[lang])
    page.fill("textarea[name=text]", TEXTS[lang])
    page.select_option("select[name=lang]", lang)
    submit_main_form(page, "form.extract-paste button[type=submit]")
    rows = page.locator("table.extract-table tbody tr")
    assert rows.count() >= 2
    check_page(page, "teacher-extract-review", lang, axe=AXE[lang])
    for i in range(2):
        row = rows.nth(i)
        row.locator("input[type=checkbox]").check()
        for suffix, text in (("title_ar", f"حدث {i + 1}"), ("title_en", f"Event {i + 1}")):
            field = row.locator(f'input[name$="{suffix}"]')
            if not field.input_value():
                field.fill(text)
    page.check('input[name="target"][value="new"]')
    page.fill("input[name=slug]", f"pasted-{lang}")
    page.fill("input[name=bank_title_ar]", "من نص ملصق")
    page.fill("input[name=bank_title_en]", f"From a pasted text {lang}")
    submit_main_form(page, 'form[action$="/extract/accept"] button[type=submit]')
    assert re.search(r"/teacher/banks/\d+$", page.url), page.url
    with app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.slug == f"pasted-{lang}"))
        assert bank is not None and len(bank.events) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_admin_opens_each_report_and_downloads_a_csv(new_page, live_server, lang: str) -> None:
    from quizapp.attempts import finish_attempt, record_answer, start_attempt
    from quizapp.extensions import db
    from quizapp.models import Quiz, User

    app = live_server.app
    code = f"RPT{lang.upper()}"
    make_class_quiz(app, code)
    make_user(app, f"reported_{lang}", "student", lang)
    with app.app_context():  # one finished attempt, so that every report has a row
        from sqlalchemy import select

        quiz = db.session.scalar(select(Quiz).where(Quiz.code == code))
        user = db.session.scalar(select(User).where(User.username == f"reported_{lang}"))
        attempt = start_attempt(quiz, lang, user_id=user.id)
        for q in list(attempt.questions):
            snap = q.snapshot
            record_answer(attempt, q, snap["answer"] if snap["type"] == "mcq" else list(snap["answer"]))
        finish_attempt(attempt)
    make_user(app, f"admin_{lang}", "admin", lang)
    page = new_page(lang)
    log_in(page, f"admin_{lang}")
    seen: set[str] = set()
    page.goto("/reports/")
    check_page(page, "reports-index", lang, axe=AXE[lang])
    links = [
        page.locator('main a[href^="/reports/quiz/"]').first.get_attribute("href"),
        page.locator('main a[href^="/reports/student/"]').first.get_attribute("href"),
        "/reports/events",
    ]
    for href in links:
        assert href
        page.goto(href)
        name = "reports-" + href.strip("/").split("/")[1]
        check_page(page, name, lang, axe=AXE[lang])
        seen.add(name)
        question = page.locator('main a[href$="/question"], main a[href*="/question?"]')
        if question.count() and "reports-question" not in seen:
            page.goto(question.first.get_attribute("href"))
            check_page(page, "reports-question", lang, axe=AXE[lang])
            seen.add("reports-question")
    assert {"reports-quiz", "reports-student", "reports-events"} <= seen
    page.goto("/reports/")
    csv_link = page.locator('main a[href$=".csv"], main a[href*=".csv?"]').first
    with page.expect_download() as info:
        csv_link.click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "," in text.splitlines()[0] and len(text.splitlines()) >= 2
    for path in ("/admin/", "/admin/users", "/admin/audit"):
        page.goto(path)
        check_page(page, "admin-" + (path.strip("/").split("/")[1:] or ["index"])[0], lang, axe=AXE[lang])


@pytest.mark.parametrize("lang", LANGS)
def test_teacher_prints_a_quiz_and_its_key_on_a4_and_letter(new_page, live_server, lang: str) -> None:
    make_user(live_server.app, f"printer-{lang}", "teacher", lang)
    page = new_page(lang)
    log_in(page, f"printer-{lang}")
    page.goto(f"/teacher/print/trotsky?lang={lang}&seed=7&count=8")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("li.print-question").count() == 8
    check_page(page, "print-quiz", lang, axe=AXE[lang])
    page.emulate_media(media="print")
    # On paper: no navigation and no toolbar, only the quiz.
    assert not page.locator("header nav").is_visible()
    assert not page.locator(".print-toolbar").is_visible()
    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size)
        assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 1
    page.emulate_media(media="screen")
    page.goto(f"/teacher/print/trotsky/key?lang={lang}&seed=7&count=8")
    assert page.locator("li.print-question").count() == 8
    check_page(page, "print-key", lang, axe=AXE[lang])
