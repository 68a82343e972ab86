"""Explore a bank, mastery by event, review what was missed, Hijri dates: both languages."""

from __future__ import annotations

import datetime as dt

from markupsafe import escape
from sqlalchemy import select

from quizapp.domain.formats.bankfile import load_bank
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
    token = csrf_token(client, "/learn/trotsky")
    r = client.post("/learn/hijri/on", data={"csrf_token": token, "next": "/learn/trotsky"})
    assert r.status_code == 302 and r.location == "/learn/trotsky"
    page = client.get("/learn/trotsky", headers=EN).get_data(as_text=True)
    assert "17 Rajab 1359 AH" in page  # the death, 21 August 1940
    assert "arithmetical" in page  # 1917-1924 lie before the Umm al-Qura table
    ar = client.get("/learn/trotsky", headers=AR).get_data(as_text=True)
    assert "17 رجب 1359 هـ" in ar
    client.post("/learn/hijri/off", data={"csrf_token": token, "next": "/learn/trotsky"})
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
    from quizapp.domain.dates import to_western_digits
    from quizapp.ui.charts import LABEL_GAP_MIN, timeline

    rows = [
        {"id": e.id, "date": e.date.iso(), "title": e.title.to_dict(), "date_text": {"ar": "", "en": ""}}
        for e in BANK.events
    ]
    for lang in ("ar", "en"):
        t = timeline(rows, lang)
        by_row: dict[int, list[tuple[float, float]]] = {}
        for lb in t["labels"]:
            by_row.setdefault(lb["row"], []).append((lb["x"], lb["width"]))
        for placed in by_row.values():
            placed.sort()
            for (x1, w1), (x2, w2) in zip(placed, placed[1:], strict=False):
                assert x2 - x1 >= (w1 + w2) / 2 + LABEL_GAP_MIN
        # Every event is numbered once: the labels' ranges cover 1..n.
        covered = []
        for lb in t["labels"]:
            ends = [int(x) for x in to_western_digits(lb["text"]).split("–")]
            covered += list(range(ends[0], ends[-1] + 1))
        assert sorted(covered) == list(range(1, len(rows) + 1))
        assert t["height"] == 54 + 18 * len(by_row)
    first_en, first_ar = timeline(rows, "en")["points"][0]["x"], timeline(rows, "ar")["points"][0]["x"]
    assert first_en < 320 < first_ar  # the earliest event: at the left in English, the right in Arabic


def test_a_teacher_turns_a_banks_hijri_dates_on_from_its_page(client, app, make_user) -> None:
    from quizapp.models import Bank

    teacher = make_user("hakim", role="teacher")
    with app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        bank.owner_id = teacher.id
        db.session.commit()
        bank_id = bank.id
    login(client, "hakim")
    page = client.get(f"/teacher/banks/{bank_id}", headers=EN).get_data(as_text=True)
    assert f"/teacher/banks/{bank_id}/hijri/on" in page
    token = csrf_token(client, f"/teacher/banks/{bank_id}")
    assert client.post(f"/teacher/banks/{bank_id}/hijri/on", data={"csrf_token": token}).status_code == 302
    visitor = app.test_client()
    assert "17 Rajab 1359 AH" in visitor.get("/learn/trotsky", headers=EN).get_data(as_text=True)
    client.post(f"/teacher/banks/{bank_id}/hijri/off", data={"csrf_token": token})
    assert "Rajab 1359" not in visitor.get("/learn/trotsky", headers=EN).get_data(as_text=True)
