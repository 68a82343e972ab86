"""Explore a bank, mastery by event, review what was missed, Hijri dates: both languages."""

from __future__ import annotations

import datetime as dt

from markupsafe import escape
from sqlalchemy import select

from quizapp.domain.bankfile import load_bank
from quizapp.extensions import db
from quizapp.models import AttemptQuestion, QuestionEvent, Response
from tests.conftest import ROOT, csrf_token, login
from tests.web.test_quiz_flow import attempt_of, start_practice, take_quiz

EN = {"Accept-Language": "en"}
AR = {"Accept-Language": "ar"}
BANK = load_bank(ROOT / "questions" / "trotsky.yaml")


def test_explore_shows_every_event_and_marks_its_evidence_in_the_source(client) -> None:
    for headers, lang in ((EN, "en"), (AR, "ar")):
        page = client.get("/learn/trotsky", headers=headers).get_data(as_text=True)
        assert f'lang="{lang}"' in page
        for event in BANK.events:
            assert str(escape(event.title.get(lang))) in page
            assert f'id="src-{event.id}"' in page or any(
                event.evidence in other.evidence and other.id != event.id for other in BANK.events
            )
        assert page.count("<mark") >= 10 and "<svg viewBox" in page


def test_hijri_dates_appear_when_asked_for(client) -> None:
    page = client.get("/learn/trotsky", headers=EN).get_data(as_text=True)
    assert "Rajab 1359 AH" not in page
    r = client.get("/learn/hijri/on?next=/learn/trotsky")
    assert r.status_code == 302 and r.location == "/learn/trotsky"
    page = client.get("/learn/trotsky", headers=EN).get_data(as_text=True)
    assert "17 Rajab 1359 AH" in page  # the death, 21 August 1940
    assert "arithmetical" in page  # 1917-1924 lie before the Umm al-Qura table
    ar = client.get("/learn/trotsky", headers=AR).get_data(as_text=True)
    assert "17 رجب 1359 هـ" in ar
    client.get("/learn/hijri/off?next=/learn/trotsky")
    assert "Rajab 1359" not in client.get("/learn/trotsky", headers=EN).get_data(as_text=True)


def test_unknown_bank_is_404(client) -> None:
    assert client.get("/learn/nope").status_code == 404


def test_mastery_colours_events_and_review_draws_from_missed_ones(client, app, make_user) -> None:
    make_user("leila")
    login(client, "leila")
    pid = start_practice(client)
    take_quiz(client, app, pid, right=False)
    attempt, questions = attempt_of(app, pid)
    with app.app_context():
        missed = set(
            db.session.scalars(
                select(QuestionEvent.event_key)
                .join(AttemptQuestion, AttemptQuestion.id == QuestionEvent.question_id)
                .join(Response, Response.question_id == AttemptQuestion.id)
                .where(AttemptQuestion.attempt_id == attempt.id, Response.score < 1)
            )
        )
        # Answered a while ago, so that the missed events are due again.
        for r in db.session.scalars(select(Response).where(Response.attempt_id == attempt.id)):
            r.answered_at = r.answered_at - dt.timedelta(days=2)
        db.session.commit()
    assert missed
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert "due for review" in home and "/learn/mastery" in home
    page = client.get("/learn/mastery", headers=EN).get_data(as_text=True)
    assert "lvl-learning" in page and "due for review" in page
    token = csrf_token(client, "/learn/mastery")
    r = client.post("/learn/review/trotsky", data={"csrf_token": token})
    assert r.status_code == 302
    review_pid = r.location.split("/")[3]
    review, review_questions = attempt_of(app, review_pid)
    assert review.settings["review"] is True
    seen = {e for q in questions for e in q.snapshot["about"]}
    unseen = {e.id for e in BANK.events} - seen
    about = [set(q.snapshot["about"]) for q in review_questions]
    # A review asks about what was missed (first) or never seen, and nothing answered right.
    assert all(a & (missed | unseen) for a in about)
    assert any(a & missed for a in about)


def test_mastery_needs_an_account(client) -> None:
    assert client.get("/learn/mastery").status_code == 302
    assert client.post("/learn/review/trotsky", data={"csrf_token": csrf_token(client)}).status_code == 302


def test_timeline_numbers_never_touch_and_arabic_runs_right_to_left() -> None:
    from quizapp.quiz.present import LABEL_GAP, timeline

    rows = [
        {"id": e.id, "date": e.date.iso(), "title": e.title.to_dict(), "date_text": {"ar": "", "en": ""}}
        for e in BANK.events
    ]
    for lang in ("ar", "en"):
        t = timeline(rows, lang)
        by_row: dict[int, list[float]] = {}
        for p in t["points"]:
            by_row.setdefault(p["row"], []).append(p["x"])
        for xs in by_row.values():
            xs.sort()
            assert all(b - a >= LABEL_GAP for a, b in zip(xs, xs[1:], strict=False))
        assert t["height"] >= 54 + 18 * len(by_row)
    first_en, first_ar = timeline(rows, "en")["points"][0]["x"], timeline(rows, "ar")["points"][0]["x"]
    assert first_en < 320 < first_ar  # the earliest event: at the left in English, the right in Arabic


def test_feedback_and_results_show_hijri_dates_when_asked_for(client, app) -> None:
    from tests.web.test_quiz_flow import answer_form

    client.get("/learn/hijri/on")
    pid = start_practice(client)
    page = client.get(f"/quiz/attempt/{pid}/1", headers=EN).get_data(as_text=True)
    client.post(f"/quiz/attempt/{pid}/1", data=answer_form(app, pid, 1, True, page), headers=EN)
    feedback = client.get(f"/quiz/attempt/{pid}/1", headers=EN).get_data(as_text=True)
    assert " AH" in feedback and 'class="hijri"' in feedback
    take_quiz(client, app, pid)
    results = client.get(f"/quiz/attempt/{pid}/results", headers=AR).get_data(as_text=True)
    assert "هـ" in results


def test_a_bank_can_turn_hijri_dates_on_and_a_reader_can_still_turn_them_off(client, app) -> None:
    from quizapp.models import Bank

    with app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        bank.show_hijri = True
        db.session.commit()
    assert "17 Rajab 1359 AH" in client.get("/learn/trotsky", headers=EN).get_data(as_text=True)
    client.get("/learn/hijri/off")
    assert "Rajab 1359" not in client.get("/learn/trotsky", headers=EN).get_data(as_text=True)
