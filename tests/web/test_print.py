"""Printing a generated quiz and its answer key, in either language."""

from __future__ import annotations

import re

from markupsafe import escape

from quizapp.domain.formats.bankfile import load_bank
from quizapp.domain.generate import Settings, generate_quiz
from tests.conftest import ROOT, login

BANK = load_bank(ROOT / "questions" / "trotsky.yaml")


def test_quiz_and_key_print_the_same_questions_in_the_chosen_language(client, make_user) -> None:
    make_user("teach", role="teacher")
    login(client, "teach")
    expected = generate_quiz(BANK, "42", Settings(count=6)).questions
    for lang, direction in (("ar", "rtl"), ("en", "ltr")):
        quiz = client.get(f"/teacher/print/trotsky?lang={lang}&seed=42&count=6").get_data(as_text=True)
        key = client.get(f"/teacher/print/trotsky/key?lang={lang}&seed=42&count=6").get_data(as_text=True)
        assert f'<html lang="{lang}" dir="{direction}">' in quiz and f'lang="{lang}"' in key
        assert "print.css" in quiz
        for q in expected:
            assert str(escape(q.prompt.get(lang))) in quiz and str(escape(q.prompt.get(lang))) in key
            if q.type == "mcq":
                right = str(escape(q.options[q.answer].get(lang)))
                assert right in key
        # The quiz sheet never says which option is right; the key names one per mcq.
        assert quiz.count('class="letter"') == sum(len(q.options) for q in expected if q.type == "mcq")
        assert key.count('class="letter"') == sum(1 for q in expected if q.type == "mcq")
    other = client.get("/teacher/print/trotsky?lang=en&seed=43&count=6").get_data(as_text=True)
    assert re.findall(r"<p class=\"fw-semibold\">(.*?)</p>", other) != [
        str(escape(q.prompt.en)) for q in expected
    ]


def test_printing_is_for_teachers(client, make_user) -> None:
    make_user("pupil")
    assert client.get("/teacher/print/trotsky").status_code == 302  # visitor: log in first
    login(client, "pupil")
    assert client.get("/teacher/print/trotsky").status_code == 403
    assert client.get("/teacher/print/trotsky/key").status_code == 403


def test_unknown_bank_or_language_is_404(client, make_user) -> None:
    make_user("teach2", role="teacher")
    login(client, "teach2")
    assert client.get("/teacher/print/nope").status_code == 404
    assert client.get("/teacher/print/trotsky?lang=fr").status_code == 404
