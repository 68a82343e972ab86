"""What the question and results pages now make once instead of at each page (issue 16) is what they
wrote before: an ordering item's position menu, the attempt's links and the pages' fixed links
(with the app under a URL prefix too), the ordering reviews' words from the page's catalog, and the
remembered percents and language marks."""

from __future__ import annotations

import pytest
from flask import render_template_string, url_for
from flask_babel import force_locale, gettext, ngettext
from markupsafe import Markup

from quizapp.domain.dates import DEFAULT_STYLE, DateStyle, format_percent
from quizapp.domain.scoring import explain_ordering
from quizapp.i18n import in_lang
from quizapp.quiz.present import METHOD_LEGENDS, ReviewWords, credit_sentence, rank_options
from quizapp.quiz.views import page_links, resume_link
from tests.conftest import login
from tests.web.test_exam import make_quiz, start
from tests.web.test_quiz_flow import AR, EN

#: The menu as question.html wrote it before, one option at a time.
_LOOP = (
    '{%- for n in range(1, count + 1) %}<option value="{{ n }}"{% if rank == n | string %} selected'
    "{% endif %}>{{ n }}</option>{% endfor -%}"
)


@pytest.mark.parametrize("count", [1, 2, 5, 9, 12])
def test_rank_options_are_the_loop_that_wrote_them(app, count: int) -> None:
    ranks = ["1", str(count), str(count + 1), "0", "01", " 1", "", "x", "1.0", "١", None, 1]
    with app.test_request_context():
        for rank in ranks:
            expected = render_template_string(_LOOP, count=count, rank=rank)
            assert str(rank_options(count, rank)) == expected, (count, rank)
            assert isinstance(rank_options(count, rank), Markup)


@pytest.mark.parametrize("root", ["", "/school"])
def test_kept_links_are_url_for(app, root: str) -> None:
    with app.test_request_context("/", base_url=f"http://localhost{root}/", headers=EN):
        template = app.jinja_env.get_template("quiz/question.html")
        links = page_links(template)
        assert links is page_links(template)  # kept
        assert links.sortable == url_for("static", filename="vendor/sortablejs/Sortable.min.js")
        assert links.quiz_js == url_for("static", filename="js/quiz.js")
        assert links.home == url_for("main.home") == f"{root}/"
        for public_id in ["AbC-_09xyz", "a b", "é", "a/b", "x?y", "%41"]:
            assert resume_link(links, public_id) == url_for("quiz.resume", public_id=public_id), public_id
    with app.test_request_context("/", base_url="http://localhost/other/", headers=EN):
        assert page_links(template).home == "/other/"  # another URL root: links of its own


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_review_words_translate_as_flask_babel(app, lang: str) -> None:
    with app.test_request_context(headers={"Accept-Language": lang}), force_locale(lang):
        words = ReviewWords()
        assert words.said == gettext("(%(score)s of %(max)s)")
        assert words.before == gettext("%(first)s before %(second)s")
        for method, legend in METHOD_LEGENDS.items():
            assert words.legend(method) == gettext(legend)
        assert words.gettext("Pairs in the wrong order:") == gettext("Pairs in the wrong order:")
        for num in (0, 1, 2, 3, 11, 100):
            assert words.ngettext("%(num)s point", "%(num)s points", num) == ngettext(
                "%(num)s point", "%(num)s points", num
            )
        answers = ([0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 2, 3], [0, 2, 1, 3])
        for method in METHOD_LEGENDS:
            for answer in answers:
                exp = explain_ordering(answer, [0, 1, 2, 3], method)
                assert credit_sentence(exp, words) == credit_sentence(exp), (method, answer)


def test_remembered_percents_and_marks_are_the_functions(app) -> None:
    styles = [DEFAULT_STYLE, DateStyle(arabic_digits=True), DateStyle(arabic_months="lev")]
    for value in (0, 0.0, 50, 50.0, 33.333333, 66.66666666666667, 100.0, 12.5):
        for lang in ("ar", "en"):
            for style in styles:
                for decimals in (0, 1):
                    expected = format_percent.__wrapped__(value, lang, style, decimals)
                    assert format_percent(value, lang, style, decimals) == expected
    for text in ["A <b>&", Markup("<b>bold</b>"), "<b>bold</b>", "", "وفاة تروتسكي"]:
        for lang in ("ar", "en", None):
            assert in_lang(text, lang) == in_lang.__wrapped__(text, lang)
            assert type(in_lang(text, lang)) is Markup


def test_matching_feedback_arrow_follows_the_page_not_the_questions(client, app, make_user) -> None:
    """_kinds.html is imported without the page's context: the arrow between a stem and its answer
    still points as the page reads (its language is passed in), not as the questions' language."""
    from tests.web.test_kinds_web import kinds_answer

    make_user("arrows1")
    login(client, "arrows1")
    make_quiz(app, "ARROW1", count=6, kinds=["match-dates"], feedback="immediate", languages=["en"])
    pid = start(client, "ARROW1", AR)
    page = client.get(f"/quiz/attempt/{pid}/1", headers=AR).get_data(as_text=True)
    r = client.post(f"/quiz/attempt/{pid}/1", data=kinds_answer(app, pid, 1, False, page), headers=AR)
    assert r.status_code == 302
    arabic = client.get(f"/quiz/attempt/{pid}/1", headers=AR).get_data(as_text=True)
    english = client.get(f"/quiz/attempt/{pid}/1", headers=EN).get_data(as_text=True)
    assert 'class="list-unstyled matching-result"' in arabic
    assert '<span aria-hidden="true">←</span><span class="visually-hidden">:</span>' in arabic
    assert '<span aria-hidden="true">→</span><span class="visually-hidden">:</span>' in english
