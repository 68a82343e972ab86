"""The home page's practice cards, kept per bank version (quizapp.main.practice), and the count of
what is due for review (quizapp.reviews.due_counts)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from flask import template_rendered
from markupsafe import escape
from sqlalchemy import select

from quizapp.banks import save_bank, to_domain
from quizapp.extensions import db
from quizapp.main import practice
from quizapp.models import Bank, Response, utcnow
from quizapp.reviews import bank_states, due_counts
from tests.conftest import login
from tests.web.test_quiz_flow import start_practice, take_quiz

EN = {"Accept-Language": "en"}
AR = {"Accept-Language": "ar"}
_TOKENS = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def _cards_rendered(app, client, headers: dict) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    """The home page, and how many cards its request rendered (not taken from those kept)."""
    rendered: list[str] = []

    def seen(_app, template, context, **_extra) -> None:  # type: ignore[no-untyped-def]
        rendered.append(template.name)

    with template_rendered.connected_to(seen, app):
        page = client.get("/", headers=headers).get_data(as_text=True)
    return page, sum(1 for name in rendered if name.endswith(practice.CARD))


def test_a_card_is_rendered_once_per_language_and_follows_the_banks_version(client, app) -> None:
    page, made = _cards_rendered(app, client, EN)
    assert made == 1 and "17 events" in page
    assert _cards_rendered(app, client, EN)[1] == 0  # kept
    ar, made = _cards_rendered(app, client, AR)
    assert made == 1 and 'lang="ar"' in ar
    with app.app_context():
        row = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        first = to_domain(row)
        title = dataclasses.replace(first.title, en="Trotsky <renamed>")
        save_bank(dataclasses.replace(first, title=title, events=first.events[:-1]))  # a new version
        db.session.commit()
    page, made = _cards_rendered(app, client, EN)
    assert made == 1 and "16 events" in page and str(escape("Trotsky <renamed>")) in page
    assert "17 events" not in page


def test_each_form_has_the_requests_token_and_no_kept_card_holds_one(client, app, make_user) -> None:
    make_user("nadia")
    tokens = set()
    for who in (None, "nadia"):
        if who:
            login(client, who)
        for _ in range(2):
            page = client.get("/", headers=EN).get_data(as_text=True)
            found = {a or b for a, b in _TOKENS.findall(page)}
            assert len(found) == 1  # the language switch, the practice form and the join form alike
            tokens |= found
    assert tokens
    assert practice._KEPT
    for _template, card in practice._KEPT.values():
        kept = "".join(card.pieces)
        assert not any(token in kept for token in tokens)
        assert card.html("TOKEN").count('name="csrf_token" value="TOKEN"') == 1


def test_the_due_count_is_the_banks_seen_events_due_now(client, app, make_user) -> None:
    user = make_user("omar")
    login(client, "omar")
    take_quiz(client, app, start_practice(client), right=False)
    with app.app_context():
        for r in db.session.scalars(select(Response)):
            r.answered_at -= dt.timedelta(days=2)
        db.session.commit()
    take_quiz(client, app, start_practice(client), right=True)  # some answered again, right, today
    with app.app_context():
        bank = db.session.scalar(select(Bank).where(Bank.slug == "trotsky"))
        now = utcnow()
        expected = sum(1 for s in bank_states(user.id, bank) if s.seen and s.is_due(now))
        events = frozenset(e.id for e in to_domain(bank).events)
        assert due_counts(user.id, {bank.id: events}, now) == {bank.id: expected}
        assert due_counts(user.id, {bank.id: frozenset()}, now) == {bank.id: 0}  # only the events given
        assert due_counts(user.id, {}, now) == {}
        later = now + dt.timedelta(days=30)  # everything seen is due by then
        seen = sum(1 for s in bank_states(user.id, bank) if s.seen)
        assert due_counts(user.id, {bank.id: events}, later) == {bank.id: seen} and seen > 0
    page = client.get("/", headers=EN).get_data(as_text=True)
    if expected:
        assert f"{expected} event" in page and "due for review" in page
    else:
        assert "due for review" not in page
