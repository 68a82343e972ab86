"""Browser tests: the app served by a live server in a thread, driven by Debian's Chromium through
Playwright. Where there is no Chromium they skip with a reason; in CI (CI=true) they must run."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import PASSWORD, make_test_app

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LANGS = ("ar", "en")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
HERE = Path(__file__).resolve().parent


def _no_chromium() -> str | None:
    """None when the browser tests can run; otherwise why not."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed"
    return None


_PROBLEM = _no_chromium()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test of this folder e2e; skip them where they cannot run; in CI, refuse to skip."""
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)
    e2e = [item for item in items if item.get_closest_marker("e2e")]
    if not e2e or not _PROBLEM:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI needs the browser tests: {_PROBLEM}")
    for item in e2e:
        item.add_marker(pytest.mark.skip(reason=_PROBLEM))


class _QuietHandler(WSGIRequestHandler):
    """No access log on the test's output."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class LiveServer:
    """The app served on 127.0.0.1 at a free port, in a background thread."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="live-server", daemon=True)

    def start(self) -> None:
        """Start serving."""
        self.thread.start()

    def stop(self) -> None:
        """Stop serving and wait for the thread."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a fresh SQLite database with the Trotsky bank, served for the whole session."""
    if _PROBLEM:
        pytest.skip(_PROBLEM)
    tmp = tmp_path_factory.mktemp("e2e")
    app = make_test_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'e2e.db'}"}, tmp)
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    from quizapp.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser(live_server: LiveServer) -> Iterator[Any]:
    """Debian's Chromium, headless, for the whole session."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def new_page(browser: Any, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """A factory: new_page(lang, viewport=DESKTOP, js=True, state=None) -> a Page in a fresh context.

    The context's locale sets Accept-Language, so the app answers in `lang`.
    """
    contexts: list[Any] = []

    def make(lang: str, viewport: dict | None = None, js: bool = True, state: dict | None = None) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            locale=lang,
            viewport=viewport or DESKTOP,
            java_script_enabled=js,
            storage_state=state,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# -- the app's data, read and written beside the browser ---------------------------------------


def attempt_id_of(url: str) -> str:
    """The attempt's public id in a quiz page's URL."""
    m = re.search(r"/quiz/attempt/([^/]+)", url)
    assert m, url
    return m.group(1)


def question_kinds(app: Any, public_id: str) -> list[str]:
    """The snapshot type ("mcq" or "ordering") of each question of an attempt, in order."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Attempt

    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == public_id))
        return [q.snapshot["type"] for q in attempt.questions]


def recorded_order(app: Any, public_id: str, number: int, tokens: list[str]) -> tuple[list, list]:
    """(the answer stored for question `number`, the item indices `tokens` stand for)."""
    from sqlalchemy import select

    from quizapp.attempts import token_index
    from quizapp.extensions import db
    from quizapp.models import Attempt

    with app.app_context():
        attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == public_id))
        q = attempt.questions[number - 1]
        assert q.response is not None, f"question {number} has no stored answer"
        return list(q.response.answer), [token_index(attempt, q, t) for t in tokens]


def make_student(app: Any, username: str, lang: str) -> None:
    """A student account with the shared test password, its language saved."""
    from quizapp.extensions import db
    from quizapp.models import User

    with app.app_context():
        user = User(username=username, display_name=username.title(), role="student", locale=lang)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()


def log_in(page: Any, username: str) -> None:
    """Log in through the form, as a person would."""
    page.goto("/auth/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    # Students land on the home page, teachers on their banks, admins on the accounts.
    page.wait_for_url(re.compile(r"/$|/admin/users$"))


def ordering_tokens(page: Any) -> list[str]:
    """The ordering items' tokens in the order the page shows them."""
    return page.eval_on_selector_all("ol.ordering > li", "els => els.map(e => e.dataset.token)")


# -- moving about a quiz ----------------------------------------------------------------------

QUESTION_URL = re.compile(r"/quiz/attempt/[^/]+/(\d+)$")


def question_number(page: Any) -> int | None:
    """The number of the question the page shows, or None off a question page."""
    m = QUESTION_URL.search(page.url)
    return int(m.group(1)) if m else None


def is_ordering(page: Any) -> bool:
    """True on an unanswered ordering question."""
    return page.locator("ol.ordering").count() > 0


def submit_answer(page: Any) -> None:
    """Click "Submit answer" and wait for the feedback (the practice quiz shows it at once)."""
    page.locator("form.answer-form button[type=submit]").click()
    page.locator("main [role=status]").first.wait_for()


def take_quiz(page: Any, on_mcq: Callable[[Any, int], None], on_ordering: Callable[[Any, int], None]) -> None:
    """Answer every question of the attempt on the page with the callbacks, until the results."""
    for _ in range(30):
        if page.url.endswith("/results"):
            return
        number = question_number(page)
        assert number, f"not a quiz page: {page.url}"
        (on_ordering if is_ordering(page) else on_mcq)(page, number)
        page.locator("main a.btn-primary").click()
        page.wait_for_load_state()
    pytest.fail("the quiz never ended")


def click_first_option(page: Any, number: int) -> None:
    """Answer a multiple-choice question with the mouse: its first option."""
    page.locator(".option-label").first.click()
    submit_answer(page)


def make_class_quiz(app: Any, code: str, count: int = 4) -> None:
    """A teacher's quiz on the Trotsky bank with a join code: dates and ordering, feedback at once."""
    from sqlalchemy import select

    from quizapp.extensions import db
    from quizapp.models import Bank, Quiz

    with app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        quiz = Quiz(
            bank_id=bank.id,
            title_ar="اختبار الصف",
            title_en="Class quiz",
            code=code,
            settings={"count": count, "kinds": ["event-date", "ordering"], "feedback": "immediate"},
        )
        db.session.add(quiz)
        db.session.commit()


# -- keyboard ---------------------------------------------------------------------------------

#: Whether the focused element shows where the focus is (an outline or a focus ring shadow).
FOCUS_SHOWN = """() => {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  if (el.classList.contains('btn-check')) el = document.querySelector(`label[for="${el.id}"]`);
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  return outline || ring;
}"""


def focus_html(page: Any) -> str:
    """The start of the focused element's HTML, for a failure message."""
    return page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")


def focused(page: Any, selector: str) -> bool:
    """True when the focused element matches `selector`."""
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page: Any, selector: str, limit: int = 40) -> None:
    """Press Tab until the focus lands on `selector`, checking each stop shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_SHOWN) is not False, f"focus not visible on {focus_html(page)}"
        if focused(page, selector):
            return
    pytest.fail(f"Tab never reached {selector}")


# -- accessibility ----------------------------------------------------------------------------

_AXE: list[Any] = []


def assert_accessible(page: Any) -> None:
    """axe-core on the page as it is: no violation of serious or critical impact."""
    if not _AXE:
        from axe_playwright_python.sync_playwright import Axe

        _AXE.append(Axe())
    result = _AXE[0].run(page)
    assert result.response["passes"] or result.response["incomplete"] or result.response["inapplicable"]
    bad = [v for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in bad
    )
    assert not bad, f"{page.url}:\n{details}"


SIDEWAYS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
#: The outermost elements that stick out of the page's width: what to fix when it scrolls sideways.
OVERFLOWING = """() => {
  const w = document.documentElement.clientWidth, out = [];
  const sticks = el => { const r = el.getBoundingClientRect(); return r.right > w + 1 || r.left < -1; };
  for (const el of document.querySelectorAll('body *')) {
    if (sticks(el) && !sticks(el.parentElement)) out.push(el.outerHTML.slice(0, 100));
  }
  return out.slice(0, 5);
}"""


def check_page(page: Any, name: str, lang: str, axe: bool = True) -> None:
    """axe-core (unless told not to), then screenshots at desktop and phone widths; on the phone
    nothing scrolls sideways."""
    if axe:
        assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    size = page.viewport_size
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    widths = page.evaluate(SIDEWAYS)
    culprits = page.evaluate(OVERFLOWING) if widths[0] > widths[1] else []
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}-phone.png"), full_page=True)
    page.set_viewport_size(size)
    if culprits or widths[0] > widths[1]:
        pytest.fail(f"{name} ({lang}) scrolls sideways at {PHONE['width']} px: {widths}; {culprits}")
