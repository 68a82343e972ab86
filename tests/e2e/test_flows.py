"""Students and visitors taking quizzes in Chromium, in Arabic and English: mouse, drag and drop,
move buttons, keyboard alone, and no JavaScript at all. Each ordering answer is checked in the DB."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import (
    FOCUS_SHOWN,
    LANGS,
    PASSWORD,
    assert_accessible,
    attempt_id_of,
    click_first_option,
    focused,
    is_ordering,
    log_in,
    make_class_quiz,
    make_student,
    ordering_tokens,
    question_kinds,
    question_number,
    recorded_order,
    submit_answer,
    tab_to,
)

pytestmark = pytest.mark.e2e

START_PRACTICE = 'form[action$="/quiz/practice/trotsky"] button'


def start_practice(page: Any) -> str:
    """From the home page, start the Trotsky practice quiz; return the attempt's public id."""
    page.goto("/")
    page.locator(START_PRACTICE).click()
    page.wait_for_url(re.compile(r"/quiz/attempt/[^/]+/1$"))
    return attempt_id_of(page.url)


def open_first_ordering(page: Any, app: Any, public_id: str) -> int:
    """Go straight to the attempt's first ordering question; return its number."""
    number = question_kinds(app, public_id).index("ordering") + 1
    page.goto(f"/quiz/attempt/{public_id}/{number}")
    assert is_ordering(page)
    return number


def drag(page: Any, source: int, target: int) -> None:
    """Drag ordering item `source` onto item `target` with the mouse, in small steps (SortableJS)."""
    items = page.locator("ol.ordering > li")
    box = items.nth(source).locator(".item-text").bounding_box()
    goal = items.nth(target).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y + 8, steps=4)  # past the drag threshold
    # Hover the target, let the others slide aside (150 ms animation), then go past its middle.
    page.mouse.move(x, goal["y"] + goal["height"] / 2, steps=12)
    page.wait_for_timeout(250)
    page.mouse.move(x, goal["y"] + goal["height"] - 4, steps=6)
    page.wait_for_timeout(250)
    page.mouse.up()


def check_recorded(page: Any, app: Any, tokens: list[str], number: int) -> None:
    """Submit, then check the database holds exactly the order the page showed."""
    public_id = attempt_id_of(page.url)
    submit_answer(page)
    stored, shown = recorded_order(app, public_id, number, tokens)
    assert stored == shown


def selects_follow(page: Any, tokens: list[str]) -> None:
    """The hidden position selects (what the form sends) follow the order on screen."""
    ranks = page.eval_on_selector_all(
        "ol.ordering > li", "els => els.map(e => e.querySelector('select').value)"
    )
    assert ranks == [str(i + 1) for i in range(len(tokens))]


def order_by_drag(app: Any) -> Any:
    """An ordering answer made by dragging the first item onto the third, then one move button."""

    def answer(page: Any, number: int) -> None:
        before = ordering_tokens(page)
        drag(page, 0, 2)
        after = ordering_tokens(page)
        assert after == moved(moved(before, before[0], 1), before[0], 1), (before, after)
        selects_follow(page, after)
        # The move buttons still work after a drag.
        page.locator(f'ol.ordering > li[data-token="{after[-1]}"] .move-up').click()
        final = moved(after, after[-1], -1)
        assert ordering_tokens(page) == final
        selects_follow(page, final)
        check_recorded(page, app, final, number)

    return answer


def moved(order: list[str], token: str, delta: int) -> list[str]:
    """The order after moving `token` one place up (-1) or down (+1), as the page does."""
    order = list(order)
    i = order.index(token)
    j = min(max(i + delta, 0), len(order) - 1)
    order.insert(j, order.pop(i))
    return order


def order_by_buttons(app: Any) -> Any:
    """An ordering answer made with the move buttons, by mouse: the last item up twice, the first down."""

    def answer(page: Any, number: int) -> None:
        before = ordering_tokens(page)
        expected = before
        for token, delta in ((before[-1], -1), (before[-1], -1), (before[0], 1)):
            page.locator(
                f'ol.ordering > li[data-token="{token}"] .move-{"up" if delta < 0 else "down"}'
            ).click()
            expected = moved(expected, token, delta)
        after = ordering_tokens(page)
        assert after == expected and after != before
        selects_follow(page, after)
        assert page.locator("#ordering-status").text_content().strip()
        check_recorded(page, app, after, number)

    return answer


@pytest.mark.parametrize("lang", LANGS)
def test_student_signs_up_and_takes_a_quiz_dragging_the_order(new_page, live_server, lang: str) -> None:
    app = live_server.app
    page = new_page(lang)
    page.goto("/auth/signup")
    page.fill("#username", f"layla_{lang}")
    page.fill("#display_name", "Layla")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.locator("main .alert-success").is_visible()
    assert page.locator("html").get_attribute("lang") == lang
    public_id = start_practice(page)
    kinds = question_kinds(app, public_id)
    assert {"mcq", "ordering"} <= set(kinds)
    dragged: list[int] = []
    by_drag, by_buttons = order_by_drag(app), order_by_buttons(app)

    def ordering(page: Any, number: int) -> None:
        (by_buttons if dragged else by_drag)(page, number)
        dragged.append(number)

    # Answer up to the first ordering question (dragged), then finish: the rest is the same again.
    while not dragged:
        number = question_number(page)
        (ordering if is_ordering(page) else click_first_option)(page, number)
        page.locator("main a.btn-primary").click()
        page.wait_for_load_state()
    page.goto(f"/quiz/attempt/{public_id}")  # the next unanswered question, or the results
    if question_number(page):
        finish_from_confirmation(page, public_id)
    assert page.locator("main .score").is_visible()
    page.locator('nav a[href="/quiz/mine"]:visible').click()  # the header's row (its phone menu is hidden)
    page.wait_for_url("**/quiz/mine")
    assert page.locator(f'main a[href="/quiz/attempt/{public_id}"]').count() == 1


def finish_from_confirmation(page: Any, public_id: str) -> None:
    """Finish an unfinished attempt as a student does: the confirmation page, then its button."""
    page.goto(f"/quiz/attempt/{public_id}/finish")
    assert page.locator("main .alert-warning").count() == 1  # it names the unanswered questions
    with page.expect_navigation():
        page.locator(f'main form[action$="/{public_id}/finish"] button[type=submit]').click()
    page.wait_for_url(f"**/quiz/attempt/{public_id}/results")


@pytest.mark.parametrize("lang", LANGS)
def test_visitor_practises_without_an_account(new_page, live_server, lang: str) -> None:
    app = live_server.app
    page = new_page(lang)
    public_id = start_practice(page)
    assert page.locator('nav a[href="/quiz/mine"]').count() == 0
    # The first question with the mouse, then the first ordering question with the move buttons.
    if is_ordering(page):
        order_by_buttons(app)(page, 1)
    else:
        click_first_option(page, 1)
        order_by_buttons(app)(page, open_first_ordering(page, app, public_id))
    page.goto(f"/quiz/attempt/{public_id}")  # resume: the next unanswered question
    assert question_number(page)
    finish_from_confirmation(page, public_id)
    assert page.locator("main .score").is_visible()
    # The result is not kept: the page says so and offers to sign up.
    assert page.locator('main .alert-info a[href="/auth/signup"]').is_visible()
    assert_accessible(page)
    # Another browser (no guest cookie) cannot see it.
    other = new_page(lang)
    assert other.goto(f"/quiz/attempt/{public_id}/results").status == 404


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_a_student_orders_with_position_menus(new_page, live_server, lang: str) -> None:
    app = live_server.app
    make_student(app, f"nojs_{lang}", lang)
    page = new_page(lang, js=False)
    log_in(page, f"nojs_{lang}")
    public_id = start_practice(page)
    number = open_first_ordering(page, app, public_id)
    assert page.locator(".move-btn").count() == 0  # no script, no buttons
    selects = page.locator("ol.ordering select")
    assert selects.first.is_visible()
    tokens = ordering_tokens(page)
    # Reverse the order: the last item first.
    for i, token in enumerate(tokens):
        page.select_option(f'li[data-token="{token}"] select', str(len(tokens) - i))
    wanted = list(reversed(tokens))
    check_recorded(page, app, wanted, number)
    # The same position twice is refused with a message, and nothing is stored.
    public_id2 = start_practice(page)
    number2 = open_first_ordering(page, app, public_id2)
    tokens2 = ordering_tokens(page)
    page.select_option(f'li[data-token="{tokens2[1]}"] select', "1")
    page.locator("form.answer-form button[type=submit]").click()
    assert page.locator("form.answer-form .alert-danger").is_visible()
    assert question_number(page) == number2


def answer_mcq_by_keyboard(page: Any) -> None:
    """Tab into the options, take the second with the arrow key, Tab to the button, Enter."""
    tab_to(page, "input.btn-check")
    page.keyboard.press("ArrowDown")
    assert page.locator("input.btn-check:checked").count() == 1
    tab_to(page, "form.answer-form button[type=submit]")
    page.keyboard.press("Enter")
    page.locator("main [role=status]").first.wait_for()


def order_by_keyboard(page: Any, app: Any, number: int) -> None:
    """Tab to the first move button, Space and Enter on it, Alt+Arrow Up; the focus stays on the item."""
    before = ordering_tokens(page)
    first = before[0]
    tab_to(page, ".move-btn")
    assert focused(page, f'li[data-token="{first}"] .move-down')  # the top item's "up" is disabled
    expected = before
    for key, delta in (("Space", 1), ("Enter", 1), ("Alt+ArrowUp", -1)):
        page.keyboard.press(key)
        expected = moved(expected, first, delta)
        assert ordering_tokens(page) == expected, key
        assert focused(page, f'li[data-token="{first}"] .move-btn'), f"focus lost after {key}"
        assert page.evaluate(FOCUS_SHOWN)
    assert expected != before
    assert page.locator("#ordering-status").text_content().strip()
    selects_follow(page, expected)
    tab_to(page, "form.answer-form button[type=submit]")
    page.keyboard.press("Enter")
    page.locator("main [role=status]").first.wait_for()
    stored, shown = recorded_order(app, attempt_id_of(page.url), number, expected)
    assert stored == shown


@pytest.mark.parametrize("lang", LANGS)
def test_a_whole_quiz_by_keyboard_alone(new_page, live_server, lang: str) -> None:
    """Log in, join a class quiz by its code, answer and go on: Tab, arrows, Space, Enter; no mouse."""
    app = live_server.app
    code = f"KEYS{lang.upper()}"
    make_class_quiz(app, code)
    make_student(app, f"keys_{lang}", lang)
    page = new_page(lang)
    page.goto("/auth/login")
    tab_to(page, "#username")
    page.keyboard.type(f"keys_{lang}")
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/$"))
    tab_to(page, "#code")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/quiz/{code}")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/quiz/attempt/[^/]+/1$"))
    public_id = attempt_id_of(page.url)
    kinds = question_kinds(app, public_id)
    assert {"mcq", "ordering"} <= set(kinds)
    for number in range(1, len(kinds) + 1):
        assert question_number(page) == number
        if is_ordering(page):
            order_by_keyboard(page, app, number)
        else:
            answer_mcq_by_keyboard(page)
        tab_to(page, "main a.btn-primary")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert page.url.endswith(f"/quiz/attempt/{public_id}/results")
    assert page.locator("main .score").is_visible()
