"""A second pair of eyes on issues 13 and 14: holes found by trying to break their promises over
HTTP as a hostile student, a curious teacher and a careless admin would, each shown closed."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.web.test_exam import answer, finish, make_quiz, start
from tests.web.test_quiz_flow import EN, start_practice


def test_closed_book_also_closes_the_results_and_questions_of_other_attempts_on_the_bank(
    client, app, make_user
) -> None:
    """During a closed-book attempt, an earlier attempt's results (the same exam's first try, or a
    practice) show the bank's events with their dates, and an unfinished practice's questions show
    each answer at once: both are the bank's events, closed until the attempt ends."""
    make_user("hala")
    make_quiz(app, "CB2", feedback="end", time_limit_minutes=20, attempts_allowed=2)
    login(client, "hala")
    practice_pid = start_practice(client)  # left unfinished: feedback at once
    first = start(client, "CB2")
    for number in range(1, 5):
        answer(client, app, first, number, right=True)
    finish(client, first)
    assert client.get(f"/quiz/attempt/{first}/results").status_code == 200
    second = start(client, "CB2")
    assert second != first
    for url in (
        f"/quiz/attempt/{first}/results",
        f"/quiz/attempt/{first}/1",
        f"/quiz/attempt/{practice_pid}/1",
        f"/quiz/attempt/{practice_pid}/results",
    ):
        page = client.get(url, headers=EN, follow_redirects=True)
        assert page.status_code == 403, url
        assert "closed-book quiz" in page.get_data(as_text=True)
    assert client.get(f"/quiz/attempt/{second}/1").status_code == 200  # the exam itself goes on
    finish(client, second)
    assert client.get(f"/quiz/attempt/{first}/results").status_code == 200


@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "0", "x"])
def test_the_admin_lists_take_any_page_number_without_a_500(client, make_user, page) -> None:
    """/admin/users?page= and /admin/audit?page= with a number past a 64-bit integer answered 500
    (OverflowError on SQLite, bigint out of range on PostgreSQL)."""
    make_user("root", role="admin")
    login(client, "root")
    for url in (f"/admin/users?page={page}", f"/admin/audit?page={page}"):
        assert client.get(url, headers=EN).status_code == 200, url
