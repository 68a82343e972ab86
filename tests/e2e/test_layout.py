"""Every page, as its visitor, student, teacher or admin sees it, in Arabic and English, at a phone's
375 px and a desktop's 1280 px: no control lies outside the viewport, no text is smaller than 12 CSS
px (a chart's labels included, at the size they are drawn), axe-core finds no serious or critical
violation of WCAG 2.1 A and AA, and nothing scrolls sideways. Screenshots go to
tests/e2e/screenshots/layout-<page>-<lang>-<width>.png (git ignores them).

One test per page and language visits both widths, so the whole walk stays near a minute on two
cores."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import (
    DESKTOP,
    LANGS,
    OVERFLOWING,
    PHONE,
    SCREENSHOTS,
    SIDEWAYS,
    assert_accessible,
)

pytestmark = pytest.mark.e2e

#: Visible controls whose box lies outside the viewport's width (a scroll region of its own, a
#: timeline, may hold a picture wider than the page; its controls would be checked inside it).
CONTROLS_OUTSIDE = """() => {
  const w = document.documentElement.clientWidth, out = [];
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;            // visually hidden (skip link) or not drawn
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('.scroll-region') && el.closest('.scroll-region') !== el) continue;
    const where = `${Math.round(r.left)}..${Math.round(r.right)} `;
    if (r.left < -1 || r.right > w + 1) out.push(where + el.outerHTML.slice(0, 90));
  }
  return out.slice(0, 6);
}"""

#: Text drawn smaller than 12 CSS px: HTML text at its computed size, SVG text at its computed size
#: times the drawing's scale on the screen.
SMALL_TEXT = """() => {
  const out = [], seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (!el || seen.has(el)) continue;
    seen.add(el);
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;             // not drawn, or visually hidden
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden') continue;
    let size = parseFloat(s.fontSize);
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      if (m) size *= Math.sqrt(m.a * m.a + m.b * m.b);
    }
    if (size < 11.95) out.push(`${size.toFixed(1)}px ` + el.outerHTML.slice(0, 80));
  }
  return out.slice(0, 6);
}"""


@dataclass
class Site:
    """The URLs of every page, and the cookies of the people who see them."""

    urls: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (who, url)
    states: dict[str, dict] = field(default_factory=dict)  # (who-lang) -> storage state


def _seed(app: Any, lang: str) -> dict[str, tuple[str, str]]:
    """A student, a teacher and an admin; a class with the student; a teacher's quiz assigned to it
    with a finished attempt; a practice attempt open and finished. Returns the pages' URLs."""
    from sqlalchemy import select

    from quizapp.attempts import finish_attempt, record_answer, start_attempt
    from quizapp.classes import assign, create_class, join
    from quizapp.extensions import db
    from quizapp.models import Bank, Quiz, User

    with app.app_context():
        people = {}
        for who in ("student", "teacher", "admin"):
            user = User(username=f"lay_{who}_{lang}", display_name=f"Lay {who} {lang}", role=who, locale=lang)
            user.set_password(PASSWORD)
            db.session.add(user)
            people[who] = user
        db.session.commit()
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        practice = db.session.scalar(select(Quiz).where(Quiz.bank_id == bank.id, Quiz.practice))
        quiz = Quiz(
            bank_id=bank.id,
            owner_id=people["teacher"].id,
            title_ar="اختبار التخطيط",
            title_en="Layout quiz",
            code=f"LAY{lang.upper()}",
            settings={"count": 6, "kinds": ["event-date", "ordering"], "feedback": "immediate"},
        )
        db.session.add(quiz)
        db.session.commit()
        klass = create_class(people["teacher"], f"Class {lang}")
        join(klass, people["student"].id)
        assign(quiz, [klass.id])
        db.session.commit()

        def answer_all(attempt: Any) -> None:
            for i, q in enumerate(list(attempt.questions)):
                snap = q.snapshot
                if snap["type"] == "mcq":
                    answer = snap["answer"] if i % 2 else (snap["answer"] + 1) % len(snap["options"])
                else:
                    answer = list(snap["answer"]) if i % 2 else list(reversed(snap["answer"]))
                record_answer(attempt, q, answer)
            finish_attempt(attempt)

        student = people["student"].id
        done = start_attempt(practice, lang, user_id=student)
        answer_all(done)
        answer_all(start_attempt(practice, lang, user_id=student))
        taken = start_attempt(quiz, lang, user_id=student)
        answer_all(taken)
        report_key = taken.questions[0].key
        open_ = start_attempt(practice, lang, user_id=student)
        kinds = [q.snapshot["type"] for q in open_.questions]
        event = bank.events[0]
        question_key = bank.data["questions"][0]["id"]
        ids = {"bank": bank.id, "quiz": quiz.id, "class": klass.id, "student": student}
        return {
            # visitors
            "home": ("visitor", "/"),
            "login": ("visitor", "/auth/login"),
            "signup": ("visitor", "/auth/signup"),
            "explore": ("visitor", "/learn/trotsky"),
            "error-404": ("visitor", "/no/such/page"),
            # students
            "home-student": ("student", "/"),
            "question-mcq": ("student", f"/quiz/attempt/{open_.public_id}/{kinds.index('mcq') + 1}"),
            "question-ordering": (
                "student",
                f"/quiz/attempt/{open_.public_id}/{kinds.index('ordering') + 1}",
            ),
            "feedback": ("student", f"/quiz/attempt/{done.public_id}/1"),
            "summary": ("student", f"/quiz/attempt/{open_.public_id}/summary"),
            "results": ("student", f"/quiz/attempt/{done.public_id}/results"),
            "my-results": ("student", "/quiz/mine"),
            "mastery": ("student", "/learn/mastery"),
            "quiz-landing": ("student", f"/quiz/{quiz.code}"),
            "class-joined": ("student", f"/class/{klass.code}"),
            "password": ("student", "/password"),
            # teachers
            "teacher-banks": ("teacher", "/teacher/"),
            "teacher-bank": ("admin", f"/teacher/banks/{ids['bank']}"),
            "teacher-bank-edit": ("admin", f"/teacher/banks/{ids['bank']}/edit"),
            "teacher-event-new": ("admin", f"/teacher/banks/{ids['bank']}/events/new"),
            "teacher-event-edit": ("admin", f"/teacher/banks/{ids['bank']}/events/{event.key}/edit"),
            "teacher-question-edit": (
                "admin",
                f"/teacher/banks/{ids['bank']}/questions/{question_key}/edit",
            ),
            "teacher-preview": ("admin", f"/teacher/banks/{ids['bank']}/preview"),
            "teacher-import-gift": ("admin", f"/teacher/banks/{ids['bank']}/import-gift"),
            "teacher-quiz-new": ("admin", f"/teacher/banks/{ids['bank']}/quizzes/new"),
            "teacher-quiz": ("teacher", f"/teacher/quizzes/{ids['quiz']}"),
            "teacher-quiz-edit": ("teacher", f"/teacher/quizzes/{ids['quiz']}/edit"),
            "teacher-classes": ("teacher", "/teacher/classes"),
            "teacher-class": ("teacher", f"/teacher/classes/{ids['class']}"),
            "teacher-class-accounts": ("teacher", f"/teacher/classes/{ids['class']}/accounts"),
            "teacher-extract": ("teacher", "/teacher/extract"),
            "print-quiz": ("teacher", "/teacher/print/trotsky"),
            "reports": ("teacher", "/reports/"),
            "report-quiz": ("teacher", f"/reports/quiz/{ids['quiz']}"),
            "report-question": ("teacher", f"/reports/quiz/{ids['quiz']}/question?key={report_key}"),
            "report-student": ("teacher", f"/reports/student/{student}"),
            "report-events": ("teacher", "/reports/events"),
            # admins
            "admin": ("admin", "/admin/"),
            "admin-users": ("admin", "/admin/users"),
            "admin-new-teacher": ("admin", "/admin/users/new"),
            "admin-audit": ("admin", "/admin/audit"),
            "admin-disable": ("admin", f"/admin/users/{student}/active"),
            "teacher-event-delete": ("admin", f"/teacher/banks/{ids['bank']}/events/{event.key}/delete"),
        }


@pytest.fixture(scope="session")
def site(browser: Any, live_server: Any) -> dict[str, Site]:
    """Each language's people, data and logged-in cookies, made once per worker."""
    sites = {}
    for lang in LANGS:
        s = Site(urls=_seed(live_server.app, lang))
        for who in ("student", "teacher", "admin"):
            context = browser.new_context(base_url=live_server.url, locale=lang)
            page = context.new_page()
            page.goto("/auth/login")
            page.fill("#username", f"lay_{who}_{lang}")
            page.fill("#password", PASSWORD)
            page.locator("main form button[type=submit]").click()
            page.wait_for_load_state()
            s.states[who] = context.storage_state()
            context.close()
        sites[lang] = s
    return sites


NAMES = [
    "home", "login", "signup", "explore", "error-404", "home-student", "question-mcq", "question-ordering",
    "feedback", "summary", "results", "my-results", "mastery", "quiz-landing", "class-joined", "password",
    "teacher-banks", "teacher-bank", "teacher-bank-edit", "teacher-event-new", "teacher-event-edit",
    "teacher-question-edit", "teacher-preview", "teacher-import-gift", "teacher-quiz-new", "teacher-quiz",
    "teacher-quiz-edit", "teacher-classes", "teacher-class", "teacher-class-accounts", "teacher-extract",
    "print-quiz", "reports", "report-quiz", "report-question", "report-student", "report-events",
    "admin", "admin-users", "admin-new-teacher", "admin-audit", "admin-disable", "teacher-event-delete",
]  # fmt: skip


def check_layout(page: Any, name: str, lang: str, width: str) -> list[str]:
    """The layout rules at the page's current width; what breaks them, as lines of text."""
    page.evaluate("document.fonts.ready.then(() => true)")
    problems = [f"control outside the viewport: {c}" for c in page.evaluate(CONTROLS_OUTSIDE)]
    problems += [f"text under 12 px: {t}" for t in page.evaluate(SMALL_TEXT)]
    widths = page.evaluate(SIDEWAYS)
    if widths[0] > widths[1]:
        problems.append(f"scrolls sideways {widths}: {page.evaluate(OVERFLOWING)}")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"layout-{name}-{lang}-{width}.png"), full_page=True)
    try:
        assert_accessible(page)
    except AssertionError as e:
        problems.append(str(e))
    return [f"{width}: {p}" for p in problems]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", NAMES)
def test_page_fits_phone_and_desktop(new_page, site, lang: str, name: str) -> None:
    who, url = site[lang].urls[name]
    page = new_page(lang, viewport=PHONE, state=site[lang].states.get(who))
    response = page.goto(url)
    assert response.status == (404 if name == "error-404" else 200), page.url
    problems = check_layout(page, name, lang, "375")
    page.set_viewport_size(DESKTOP)
    problems += check_layout(page, name, lang, "1280")
    assert not problems, "\n".join(problems)


#: The printable width of A4 (210 mm) and Letter (8.5 in) inside print.css's 14 mm side margins, in
#: CSS px (96 a inch).
PAPER = {"A4": round((210 - 28) / 25.4 * 96), "Letter": round((8.5 - 28 / 25.4) * 96)}


@pytest.mark.parametrize("lang", LANGS)
def test_a_printed_quiz_fits_a4_and_letter_with_every_question_whole(new_page, site, lang: str) -> None:
    who, url = site[lang].urls["print-quiz"]
    page = new_page(lang, state=site[lang].states[who])
    page.goto(url + "?count=20")
    page.emulate_media(media="print")
    for paper, width in PAPER.items():
        page.set_viewport_size({"width": width, "height": 1000})
        assert page.evaluate(SIDEWAYS)[0] <= width, (paper, page.evaluate(OVERFLOWING))
        outside = page.evaluate(
            CONTROLS_OUTSIDE.replace(
                "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]",
                ".print-question *",
            )
        )
        assert not outside, (paper, outside)
        breaks = page.eval_on_selector_all(
            ".print-question", "els => els.map(e => getComputedStyle(e).breakInside)"
        )
        assert len(breaks) == 20 and set(breaks) == {"avoid"}, breaks
    pdf = page.pdf(format="A4", margin={"top": "0", "bottom": "0"})  # print.css's @page sets the margins
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
