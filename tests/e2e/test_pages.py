"""Every student and visitor page in both languages: axe-core finds nothing serious, the focus is
visible, nothing scrolls sideways on a phone, Arabic reads right to left in the vendored font.
Screenshots of each page (desktop and phone) go to tests/e2e/screenshots/, which git ignores."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.e2e.conftest import (
    FOCUS_SHOWN,
    LANGS,
    PHONE,
    check_page,
    focus_html,
    log_in,
    make_class_quiz,
    make_student,
)

pytestmark = pytest.mark.e2e


@dataclass
class Tour:
    """A student's attempts made through the services, and the URLs of the pages to visit."""

    urls: dict[str, str] = field(default_factory=dict)
    state: dict | None = None  # the logged-in student's cookies


def _answers(attempt: Any, right: bool) -> None:
    """Answer every question of an attempt: all right, or the first of each type wrong."""
    from quizapp.attempts import finish_attempt, record_answer

    wrong_done: set[str] = set()
    for q in list(attempt.questions):
        snap = q.snapshot
        make_wrong = not right and snap["type"] not in wrong_done
        wrong_done.add(snap["type"])
        if snap["type"] == "mcq":
            answer = (snap["answer"] + 1) % len(snap["options"]) if make_wrong else snap["answer"]
        else:
            answer = list(reversed(snap["answer"])) if make_wrong else list(snap["answer"])
        record_answer(attempt, q, answer)
    finish_attempt(attempt)


def _build_tour(app: Any, browser: Any, base_url: str, lang: str) -> Tour:
    from sqlalchemy import select

    from quizapp.attempts import start_attempt
    from quizapp.extensions import db
    from quizapp.models import Bank, Quiz, User

    username = f"tour_{lang}"
    make_student(app, username, lang)
    tour = Tour()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        quiz = db.session.scalar(select(Quiz).join(Bank).where(Bank.slug == "trotsky", Quiz.practice))
        done = start_attempt(quiz, lang, user_id=user.id)
        _answers(done, right=False)
        _answers(start_attempt(quiz, lang, user_id=user.id), right=True)
        open_ = start_attempt(quiz, lang, user_id=user.id)
        kinds_open = [q.snapshot["type"] for q in open_.questions]
        kinds_done = [q.snapshot["type"] for q in done.questions]
        base = f"/quiz/attempt/{open_.public_id}"
        tour.urls["question-mcq"] = f"{base}/{kinds_open.index('mcq') + 1}"
        tour.urls["question-ordering"] = f"{base}/{kinds_open.index('ordering') + 1}"
        base = f"/quiz/attempt/{done.public_id}"
        tour.urls["feedback-mcq"] = f"{base}/{kinds_done.index('mcq') + 1}"
        tour.urls["feedback-ordering"] = f"{base}/{kinds_done.index('ordering') + 1}"
        tour.urls["results"] = f"{base}/results"
    code = f"TOUR{lang.upper()}"
    make_class_quiz(app, code)
    tour.urls["quiz-landing"] = f"/quiz/{code}"
    context = browser.new_context(base_url=base_url, locale=lang)
    log_in(context.new_page(), username)
    tour.state = context.storage_state()
    context.close()
    return tour


@pytest.fixture(scope="session")
def tours(browser: Any, live_server: Any) -> dict[str, Tour]:
    """One tour per language, made once."""
    return {lang: _build_tour(live_server.app, browser, live_server.url, lang) for lang in LANGS}


#: (name, who, url or the tour's key, expected status)
PAGES = [
    ("home", "visitor", "/", 200),
    ("login", "visitor", "/auth/login", 200),
    ("signup", "visitor", "/auth/signup", 200),
    ("error-404", "visitor", "/no/such/page", 404),
    ("home-student", "student", "/", 200),
    ("question-mcq", "student", "question-mcq", 200),
    ("question-ordering", "student", "question-ordering", 200),
    ("feedback-mcq", "student", "feedback-mcq", 200),
    ("feedback-ordering", "student", "feedback-ordering", 200),
    ("results", "student", "results", 200),
    ("my-results", "student", "/quiz/mine", 200),
    ("quiz-landing", "student", "quiz-landing", 200),
    ("explore", "visitor", "/learn/trotsky", 200),
    ("mastery", "student", "/learn/mastery", 200),
]


def open_page(
    new_page: Any, tours: dict[str, Tour], lang: str, name: str, viewport: dict | None = None
) -> Any:
    """A page of the table, opened as its visitor or student, after its fonts have loaded."""
    _, who, where, status = next(p for p in PAGES if p[0] == name)
    tour = tours[lang]
    page = new_page(lang, viewport=viewport, state=tour.state if who == "student" else None)
    response = page.goto(tour.urls.get(where, where))
    assert response.status == status, page.url
    page.evaluate("document.fonts.ready.then(() => true)")
    return page


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", [p[0] for p in PAGES])
def test_page_is_accessible_and_fits_a_phone(new_page, tours, lang: str, name: str) -> None:
    page = open_page(new_page, tours, lang, name)
    assert page.locator("html").get_attribute("lang") == lang
    assert page.evaluate("getComputedStyle(document.body).direction") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("main h1").count() == 1
    # The focus shows at every stop of the first Tabs (skip link, navigation, the page's controls).
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_SHOWN) is not False, f"focus not visible on {focus_html(page)}"
    page.evaluate("document.activeElement.blur()")
    check_page(page, name, lang)


def box(page: Any, selector: str) -> dict:
    """The bounding box of the first element matching `selector`."""
    b = page.locator(selector).first.bounding_box()
    assert b, selector
    return b


@pytest.mark.parametrize("lang", LANGS)
def test_quiz_widgets_follow_the_reading_direction(new_page, tours, lang: str) -> None:
    """Progress bar and ordering list run right to left in Arabic, left to right in English."""
    rtl = lang == "ar"
    page = open_page(new_page, tours, lang, "question-ordering", viewport=PHONE)
    direction = "rtl" if rtl else "ltr"
    for selector in ("progress.quiz-progress", "ol.ordering", "ol.ordering .card-body"):
        assert (
            page.evaluate("s => getComputedStyle(document.querySelector(s)).direction", selector) == direction
        )
    lst = box(page, "ol.ordering")
    handle = box(page, "ol.ordering > li .drag-handle")
    text = box(page, "ol.ordering > li .item-text")
    buttons = box(page, "ol.ordering > li .move-up")
    if rtl:
        # The handle at the right edge, the text after it, the buttons at the left.
        assert lst["x"] + lst["width"] - (handle["x"] + handle["width"]) < 40
        assert buttons["x"] < text["x"] < handle["x"]
    else:
        assert handle["x"] - lst["x"] < 40
        assert handle["x"] < text["x"] < buttons["x"]


@pytest.mark.parametrize("lang", LANGS)
def test_charts_run_with_the_reading_direction(new_page, tours, lang: str) -> None:
    """The results timeline and the scores chart put the earliest point at the reading start."""
    rtl = lang == "ar"
    page = open_page(new_page, tours, lang, "results")
    xs = page.eval_on_selector_all("svg .tl-dot", "els => els.map(e => e.getBoundingClientRect().x)")
    assert len(xs) > 1
    assert (xs[0] > xs[-1]) if rtl else (xs[0] < xs[-1])
    assert page.evaluate("getComputedStyle(document.querySelector('.timeline-list')).direction") == (
        "rtl" if rtl else "ltr"
    )
    page = open_page(new_page, tours, lang, "my-results")
    xs = page.eval_on_selector_all("svg .chart-dot", "els => els.map(e => e.getBoundingClientRect().x)")
    assert len(xs) > 1
    assert (xs[0] > xs[-1]) if rtl else (xs[0] < xs[-1])


def test_arabic_renders_in_the_vendored_font(new_page, tours) -> None:
    """The woff2 is fetched and loaded, and it, not DejaVu Sans, draws the page's Arabic."""
    fonts: list[str] = []
    page = new_page("ar")
    page.on("request", lambda r: fonts.append(r.url) if r.url.endswith(".woff2") else None)
    page.goto("/")
    page.evaluate("document.fonts.ready.then(() => true)")
    assert any(re.search(r"noto-naskh-arabic-arabic-400-normal\.woff2$", u) for u in fonts), fonts
    assert page.evaluate("() => document.fonts.check('16px \"Noto Naskh Arabic\"', 'عربي')")
    loaded = page.evaluate(
        "() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))"
    )
    assert "Noto Naskh Arabic" in loaded
    assert "Noto Naskh Arabic" in page.evaluate(
        "getComputedStyle(document.querySelector('main h1')).fontFamily"
    )
    # Which fonts drew the heading's glyphs, as Chromium reports them: the vendored face draws the
    # Arabic letters; the system font may draw only the spaces between the words. (A comparison of
    # widths could not tell: at its size-adjust, Naskh sets this line as wide as DejaVu Sans does.)
    heading = page.locator("main h1").text_content().strip()
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "main h1"})["nodeId"]
    cdp.send("CSS.enable")
    used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    naskh = [f for f in used if f["familyName"] == "Noto Naskh Arabic"]
    assert naskh and naskh[0]["isCustomFont"], used
    others = sum(f["glyphCount"] for f in used if f["familyName"] != "Noto Naskh Arabic")
    assert others <= heading.count(" "), used


def test_arabic_letters_are_not_smaller_than_the_digits_beside_them(new_page, tours) -> None:
    """Naskh's letters are small for their em: its size-adjust makes an alef at least as tall as
    the Latin digits of a date ("21 أغسطس 1940") in the same line, at the same font-size."""
    page = new_page("ar")
    page.goto("/")
    page.evaluate("document.fonts.ready.then(() => true)")
    alef, digits = page.evaluate(
        """() => {
          const c = document.createElement('canvas').getContext('2d');
          c.font = '400 100px ' + getComputedStyle(document.querySelector('main p')).fontFamily;
          const ascent = text => c.measureText(text).actualBoundingBoxAscent;
          return [ascent('ا'), ascent('1940')];
        }"""
    )
    assert alef >= digits, (alef, digits)
