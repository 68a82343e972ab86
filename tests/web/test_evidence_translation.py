"""Evidence on a page in the other language than the source's: the quote stays in the source's
language, marked as such, and the bank's translation of it stands beside it (issue 20)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

from quizapp.domain.formats.bankfile import dump_bank, load_bank, parse_bank
from tests.web.test_quiz_flow import AR, EN, answer_form, attempt_of, start_practice
from tests.web.test_teacher import add_event, domain_bank, new_bank, teacher  # noqa: F401


def test_the_translation_is_kept_by_the_bank_file() -> None:
    bank = load_bank(QUESTIONS / "trotsky.yaml")
    death = bank.event("trotsky-dies")
    assert death.evidence_translation.startswith("The next day, on 21 August 1940")
    again = parse_bank(
        dump_bank(bank), "again.yaml", lambda name: (QUESTIONS / name).read_text(encoding="utf-8")
    )
    assert again.event("trotsky-dies").evidence_translation == death.evidence_translation
    # every event that quotes the source has its translation
    assert all(e.evidence_translation for e in bank.events if e.evidence)


QUESTIONS = Path(__file__).resolve().parents[2] / "questions"


@pytest.mark.parametrize(("headers", "shown"), [(EN, True), (AR, False)])
def test_feedback_shows_the_translation_on_pages_in_the_other_language(client, app, headers, shown) -> None:
    pid = start_practice(client, headers)  # practice: feedback after each answer
    _, questions = attempt_of(app, pid)
    seen = 0
    for number, q in enumerate(questions, start=1):
        url = f"/quiz/attempt/{pid}/{number}"
        page = client.get(url, headers=headers).get_data(as_text=True)
        r = client.post(url, data=answer_form(app, pid, number, True, page), headers=headers)
        assert r.status_code == 302
        translations = [
            c["evidence_translation"] for c in q.snapshot.get("context", []) if c.get("evidence_translation")
        ]
        if not translations:
            continue
        feedback = client.get(url, headers=headers).get_data(as_text=True)
        assert 'lang="ar" dir="rtl">«' in feedback  # the quote itself, in Arabic
        for text in translations:
            assert (str(escape(text)) in feedback) is shown
            seen += 1
    assert seen


@pytest.mark.parametrize(("headers", "shown"), [(EN, True), (AR, False)])
def test_explore_shows_the_translation_in_english_only(client, headers, shown) -> None:
    page = client.get("/learn/trotsky", headers=headers).get_data(as_text=True)
    assert (str(escape("In Mexico City his body was shown to visitors")) in page) is shown
    assert bool(re.search(r'class="[^"]*evidence-translation', page)) is shown


def test_a_teacher_writes_the_translation_in_the_event_form(teacher, app) -> None:  # noqa: F811
    bank_id = new_bank(teacher, lang="en")
    r = add_event(teacher, bank_id, "en", key="coup", evidence_translation="The army rose in Morocco.")
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    assert domain_bank(app, "spanish-war").event("coup").evidence_translation == "The army rose in Morocco."
    page = teacher.get(f"/teacher/banks/{bank_id}/events/coup/edit").get_data(as_text=True)
    assert "The army rose in Morocco." in page
