"""The results page's data, prepared once for the page (issue 16): an ordering review's wrong pairs
come as sentences ready to print, their events escaped and marked with their language, with the
words translated once for every review of the page; a page that may not show the answers yet reads
no question at all."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from markupsafe import Markup
from sqlalchemy import select

from quizapp.quiz.present import ReviewWords, ordering_review
from tests.conftest import login
from tests.web.test_exam import make_quiz, start
from tests.web.test_query_counts import _statements
from tests.web.test_quiz_flow import AR, EN, take_quiz

ITEMS = [{"en": "A <b>&", "ar": "أ <b>&"}, {"en": "B", "ar": "ب"}, {"en": "C", "ar": "ج"}]


def _question(answer: list[int]) -> SimpleNamespace:
    """An ordering question of three items (right order 0, 1, 2) answered `answer`, as the page reads it."""
    return SimpleNamespace(
        snapshot={"type": "ordering", "items": ITEMS, "answer": [0, 1, 2]},
        response=SimpleNamespace(answer=answer, score=0.0),
        attempt=SimpleNamespace(settings={"ordering_method": "pairs"}),
    )


@pytest.mark.parametrize(("lang", "attrs", "before"), [("en", 'lang="en" dir="ltr"', " before "),
                                                       ("ar", 'lang="ar" dir="rtl"', " قبل ")])  # fmt: skip
def test_wrong_pairs_are_sentences_with_their_events_escaped_and_marked(app, lang, attrs, before) -> None:
    with app.test_request_context(headers={"Accept-Language": lang}):
        words = ReviewWords()
        review = ordering_review(_question([2, 0, 1]), lang, words)
        again = ordering_review(_question([1, 0, 2]), lang, words)
    first = "A &lt;b&gt;&amp;" if lang == "en" else "أ &lt;b&gt;&amp;"
    c, b = ("C", "B") if lang == "en" else ("ج", "ب")
    assert review is not None and again is not None
    assert review["wrong_pairs"] == [
        f"<span {attrs}>{c}</span>{before}<span {attrs}>{first}</span>",
        f"<span {attrs}>{c}</span>{before}<span {attrs}>{b}</span>",
    ]
    assert all(isinstance(pair, Markup) for pair in review["wrong_pairs"])
    assert again["wrong_pairs"] == [f"<span {attrs}>{b}</span>{before}<span {attrs}>{first}</span>"]
    assert review["legend"] == again["legend"] and review["legend"]
    of = "of" if lang == "en" else "من"  # C is out of order with both others, A and B with C only
    assert [item["said"] for item in review["items"]] == [f"(0 {of} 2)", f"(1 {of} 2)", f"(1 {of} 2)"]


def test_results_not_yet_released_read_no_question(app, client, make_user) -> None:
    """Feedback never: until the teacher releases the results, the page reads the user and the
    attempt only; once released, the questions with their answers too, and shows them."""
    from quizapp.extensions import db
    from quizapp.models import Quiz

    make_user("hidden1")
    login(client, "hidden1")
    make_quiz(app, "HIDE01", count=4, feedback="never")
    pid = start(client, "HIDE01", EN)
    take_quiz(client, app, pid, right=False)
    url = f"/quiz/attempt/{pid}/results"
    client.get(url, headers=EN)
    status, seen = _statements(app, client, "GET", url, headers=EN)
    page = client.get(url, headers=EN).get_data(as_text=True)
    assert status == 200 and len(seen) == 2, seen
    assert "Your answers are saved" in page and 'class="results' not in page
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.code == "HIDE01"))
        quiz.results_released_at = dt.datetime(2020, 1, 1)
        db.session.commit()
    status, seen = _statements(app, client, "GET", url, headers=AR)
    page = client.get(url, headers=AR).get_data(as_text=True)
    assert status == 200 and len(seen) == 3, seen
    assert page.count('<li class="card mb-3 border-danger">') == 4 and "timeline-list" in page
